"""Many workbooks at once: files, folders or zip archives, one centre's workbook each.

A folder or archive may hold workbooks (.xlsx, .xlsm, .xls, .ods) and CSV files; CSV files
named ``<centre> - <table>.csv`` are grouped into one centre's workbook by that prefix.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Protocol

from valuechain.errors import UnreadableWorkbook, ValuechainError
from valuechain.incidents import fault
from valuechain.reading.archives import ArchiveLimits, open_archive, read_member
from valuechain.reading.inputs import TEXT_EXTENSIONS, WORKBOOK_EXTENSIONS, InputFile
from valuechain.store.db import AlreadyImported, ImportResult, Version

Group = list[InputFile]


class Importer(Protocol):
    """What imports one workbook: a ``Store`` (its owner), or an ``Access`` (a person, who may be
    refused a centre; ``federation`` then the one an admin of several chose for new centres)."""

    def import_files(
        self,
        files: list[InputFile],
        batch: str | None = None,
        limits=None,
        now=None,
        again: bool = False,
        guarded: bool = False,
        federation: str | None = None,
        move: bool = False,
    ) -> Version: ...


ACCEPTED = WORKBOOK_EXTENSIONS | TEXT_EXTENSIONS  # what a folder or an archive may bring


def _group_csv(files: list[tuple[str, InputFile]]) -> list[Group]:
    """(folder, file) pairs → workbooks: CSV files grouped by folder and name prefix."""
    groups: dict[tuple[str, str], Group] = defaultdict(list)
    singles: list[Group] = []
    for folder, file in files:
        stem = PurePosixPath(file.name).stem
        if PurePosixPath(file.name).suffix.lower() in TEXT_EXTENSIONS:
            prefix = stem.rsplit(" - ", 1)[0] if " - " in stem else stem
            groups[(folder, prefix)].append(file)
        else:
            singles.append([file])
    return singles + [sorted(g, key=lambda f: f.name) for _, g in sorted(groups.items())]


def collect(paths: Iterable[str | os.PathLike], limits: ArchiveLimits | None = None) -> list[Group]:
    """Every centre's workbook found in ``paths`` (files, folders, zip archives), in order.

    A zip that breaks a limit, or cannot be opened, becomes one empty file of its name, which
    the import reports with the reason (``InputFile.refusal``)."""
    limits = limits or ArchiveLimits.from_environment()
    found: list[tuple[str, InputFile]] = []

    def read(path: Path) -> InputFile:
        try:
            return InputFile.from_path(path)
        except UnreadableWorkbook as refusal:  # too large to read: said by the import
            return InputFile(path.name, b"", refusal=refusal)

    def skip(item: Path, code: str) -> None:
        found.append((str(item.parent), InputFile(item.name, b"", refusal=UnreadableWorkbook(code, name=str(item)))))

    for path in map(Path, paths):
        if path.is_dir():
            for item in _walk(path):
                if _is_noise(item.name):
                    continue
                if item.is_symlink():
                    # A link is followed only to a file inside the folder being imported: a
                    # link to /etc/passwd or to another user's files is not read, and said.
                    target = item.resolve()
                    if not target.exists():
                        skip(item, "entry_link_dangling")
                        continue
                    if not target.is_relative_to(path.resolve()):
                        skip(item, "entry_link_outside")
                        continue
                    if target.is_dir():
                        continue  # a folder inside the folder: its files are listed already
                if item.suffix.lower() == ".zip":
                    found.extend(from_zip(item.read_bytes(), str(item), limits))
                elif item.suffix.lower() in ACCEPTED:
                    found.append((str(item.parent), read(item)))
                else:
                    skip(item, "entry_not_workbook")
        elif path.suffix.lower() == ".zip" and path.is_file():
            found.extend(from_zip(path.read_bytes(), str(path), limits))
        elif path.is_file():
            found.append((str(path.parent), read(path)))
        else:
            found.append(("", InputFile(str(path), b"")))  # reported as not found by the import
    return _group_csv(found)


def _walk(folder: Path) -> list[Path]:
    """The files below ``folder``, links to folders not followed (a loop, or a way out)."""
    files: list[Path] = []
    for root, directories, names in os.walk(folder, followlinks=False):
        directories.sort()
        files.extend(Path(root) / name for name in sorted(names))
        # A link to a folder is listed as an entry, to be said, not walked.
        files.extend(Path(root) / d for d in directories if (Path(root) / d).is_symlink())
    return files


def _is_noise(name: str) -> bool:
    """What every folder and archive carries that nobody means to import."""
    return name.startswith((".", "~$")) or name in ("Thumbs.db", "desktop.ini")


def collect_uploads(files: Iterable[InputFile], limits: ArchiveLimits | None = None) -> list[Group]:
    """The same as ``collect`` for files uploaded in the browser (zips opened, CSV grouped)."""
    limits = limits or ArchiveLimits.from_environment()
    found: list[tuple[str, InputFile]] = []
    for file in files:
        if PurePosixPath(file.name).suffix.lower() == ".zip":
            found.extend(from_zip(file.data, file.name, limits))
        else:
            found.append(("", file))
    return _group_csv(found)


def from_zip(data: bytes, origin: str, limits: ArchiveLimits) -> list[tuple[str, InputFile]]:
    """The workbooks and CSV files of an archive, each inflated within the limits."""
    result = []
    try:
        archive = open_archive(data, Path(origin).name, limits)
        budget = [int(limits.max_total_mb * 1_000_000)]
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = PurePosixPath(info.filename)
            if info.is_dir() or _is_noise(name.name) or "__MACOSX" in name.parts:
                continue
            if name.suffix.lower() not in ACCEPTED:
                refusal = UnreadableWorkbook("entry_not_workbook", name=f"{Path(origin).name}/{info.filename}")
                result.append((f"{origin}/{name.parent}", InputFile(name.name, b"", refusal=refusal)))
                continue
            member = read_member(archive, info, Path(origin).name, limits, budget)
            result.append((f"{origin}/{name.parent}", InputFile(name.name, member)))
    except UnreadableWorkbook as refusal:
        return [("", InputFile(Path(origin).name, b"", refusal=refusal))]
    return result


def added(results: Iterable[ImportResult]) -> int:
    """How many of ``results`` are new versions (neither refused nor imported before)."""
    return sum(1 for result in results if not result.message and not result.already)


def import_groups(
    store: Importer,
    groups: list[Group],
    batch: str | None = None,
    lang: str = "fr",
    progress: Callable[[Iterable], Iterable] | None = None,
    again: bool = False,
    federation: str | None = None,
    move: bool = False,
) -> list[ImportResult]:
    """Import each workbook in its own transaction; a bad file is reported and skipped, and a
    file already imported for its centre is said and skipped (re-running an interrupted batch
    adds nothing twice), unless ``again``. Through an ``Access``, a workbook the user may not
    import (another centre's) is said and skipped too; ``federation`` is the one an admin of
    several chose for new centres; ``move`` lets the owner's ``federation`` move a centre kept
    in another one (``Access.import_files``)."""
    results = []
    for group in progress(groups) if progress else groups:
        name = ", ".join(f.name for f in group)
        try:
            refusal = next((f.refusal for f in group if f.refusal is not None), None)
            if refusal is not None and refusal.code == "entry_not_workbook":
                results.append(ImportResult(name, None, refusal.message(lang), skipped=True))
                continue
            if refusal is not None:  # an archive refused before anything was inflated
                raise refusal
            if not any(f.data for f in group):  # a path that was not there, or an empty archive
                raise UnreadableWorkbook(
                    "file_not_found" if not Path(group[0].name).suffix else "file_empty", name=group[0].name
                )
            version = store.import_files(
                group, batch=batch, again=again, guarded=True, federation=federation, move=move
            )
            results.append(ImportResult(name, version, None))
        except AlreadyImported as already:
            results.append(ImportResult(name, already.version, None, already=True))
        except ValuechainError as refused:  # unreadable, or not the user's to import
            results.append(ImportResult(name, None, refused.message(lang)))
        except Exception as error:  # a fault of ours on one file must not stop the batch
            results.append(ImportResult(name, None, fault(error, f"import of {name}").message(lang)))
    return results

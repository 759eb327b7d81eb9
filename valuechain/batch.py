"""Many workbooks at once: files, folders or zip archives, one centre's workbook each.

A folder or archive may hold workbooks (.xlsx, .xlsm, .xls, .ods) and CSV files; CSV files
named ``<centre> - <table>.csv`` are grouped into one centre's workbook by that prefix.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .model import UnreadableWorkbook
from .reading import TEXT_EXTENSIONS, WORKBOOK_EXTENSIONS, InputFile
from .store import ImportResult, Store

Group = list[InputFile]


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


def collect(paths: Iterable[str | os.PathLike]) -> list[Group]:
    """Every centre's workbook found in ``paths`` (files, folders, zip archives), in order."""
    found: list[tuple[str, InputFile]] = []
    accepted = WORKBOOK_EXTENSIONS | TEXT_EXTENSIONS

    def add(folder: str, name: str, data: bytes) -> None:
        if PurePosixPath(name).suffix.lower() in accepted and not PurePosixPath(name).name.startswith(("~$", ".")):
            found.append((folder, InputFile(PurePosixPath(name).name, data)))

    for path in map(Path, paths):
        if path.is_dir():
            for item in sorted(p for p in path.rglob("*") if p.is_file()):
                if item.suffix.lower() == ".zip":
                    found.extend(_from_zip(item.read_bytes(), str(item)))
                else:
                    add(str(item.parent), item.name, item.read_bytes())
        elif path.suffix.lower() == ".zip" and path.is_file():
            found.extend(_from_zip(path.read_bytes(), str(path)))
        elif path.is_file():
            found.append((str(path.parent), InputFile(path.name, path.read_bytes())))
        else:
            found.append(("", InputFile(str(path), b"")))  # reported as not found by the import
    return _group_csv(found)


def _from_zip(data: bytes, origin: str) -> list[tuple[str, InputFile]]:
    accepted = WORKBOOK_EXTENSIONS | TEXT_EXTENSIONS
    result = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [("", InputFile(Path(origin).name, b""))]
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = PurePosixPath(info.filename)
        if info.is_dir() or name.suffix.lower() not in accepted or name.name.startswith(("~$", ".")) \
                or "__MACOSX" in name.parts:
            continue
        result.append((f"{origin}/{name.parent}", InputFile(name.name, archive.read(info))))
    return result


def import_groups(store: Store, groups: list[Group], batch: str | None = None, lang: str = "fr",
                  progress: Callable[[Iterable], Iterable] | None = None) -> list[ImportResult]:
    """Import each workbook in its own transaction; a bad file is reported and skipped."""
    results = []
    for group in (progress(groups) if progress else groups):
        name = ", ".join(f.name for f in group)
        try:
            if not any(f.data for f in group):  # a path that was not there, or an empty archive
                raise UnreadableWorkbook("file_not_found" if not Path(group[0].name).suffix else "file_empty",
                                         name=group[0].name)
            version = store.import_files(group, batch=batch)
            results.append(ImportResult(name, version, None))
        except UnreadableWorkbook as unreadable:
            results.append(ImportResult(name, None, unreadable.message(lang)))
        except Exception as error:  # a fault of ours on one file must not stop the batch
            results.append(ImportResult(name, None, UnreadableWorkbook("internal_error", detail=type(error).__name__).message(lang)))
    return results

"""Zip archives read without trusting them: a batch's ``lot.zip``, and the zip inside every
``.xlsx``/``.xlsm``/``.ods`` workbook.

A 2 MB zip can hold a 2 GB member. Nothing here inflates more than the limits allow: the
central directory's declared sizes, member count and compression ratio are checked before
anything is read, then each member is inflated in bounded chunks that stop at the limit (a
member that lies about its size is caught there, or by its checksum). Every refusal is an
``UnreadableWorkbook`` naming the file, the member and the limit.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from valuechain.errors import UnreadableWorkbook

_CHUNK = 1 << 20
# Below this size a member's compression ratio says nothing (a small XML of repeated tags
# compresses 100-fold and is harmless).
_RATIO_FLOOR_BYTES = 8 << 20


@dataclass(frozen=True)
class ArchiveLimits:
    """What one zip may hold once inflated; each can be set from the environment."""

    max_member_mb: float = 50.0  # one member (a workbook, a CSV, a workbook's sheet XML)
    max_total_mb: float = 200.0  # all members together
    max_members: int = 5_000
    max_ratio: float = 200.0  # inflated / compressed, for members over _RATIO_FLOOR_BYTES

    @classmethod
    def from_environment(cls) -> ArchiveLimits:
        env = os.environ.get
        return cls(
            max_member_mb=float(env("VALUECHAIN_MAX_FILE_MB", cls.max_member_mb)),
            max_total_mb=float(env("VALUECHAIN_MAX_ARCHIVE_MB", cls.max_total_mb)),
            max_members=int(env("VALUECHAIN_MAX_ARCHIVE_MEMBERS", cls.max_members)),
            max_ratio=float(env("VALUECHAIN_MAX_ZIP_RATIO", cls.max_ratio)),
        )


def _mb(size: float) -> str:
    """Megabytes as a whole number (no decimal separator to get wrong in either language)."""
    return str(max(1, round(size / 1_000_000)))


def open_archive(data: bytes, name: str, limits: ArchiveLimits) -> zipfile.ZipFile:
    """The archive, once its directory has been checked against the limits (nothing inflated)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UnreadableWorkbook("file_damaged", name=name) from None
    if len(members) > limits.max_members:
        raise UnreadableWorkbook("archive_too_many_members", name=name, count=len(members), limit=limits.max_members)
    total = 0
    for info in members:
        _check_declared(info, name, limits)
        total += info.file_size
    if total > limits.max_total_mb * 1_000_000:
        raise UnreadableWorkbook("archive_too_large", name=name, size=_mb(total), limit=f"{limits.max_total_mb:g}")
    return archive


def _check_declared(info: zipfile.ZipInfo, name: str, limits: ArchiveLimits) -> None:
    if info.file_size > limits.max_member_mb * 1_000_000:
        raise UnreadableWorkbook(
            "archive_member_too_large",
            name=name,
            member=info.filename,
            size=_mb(info.file_size),
            limit=f"{limits.max_member_mb:g}",
        )
    if info.file_size > _RATIO_FLOOR_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise UnreadableWorkbook(
            "archive_ratio",
            name=name,
            member=info.filename,
            ratio=f"{info.file_size / max(info.compress_size, 1):.0f}",
            limit=f"{limits.max_ratio:g}",
        )


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ArchiveLimits, budget: list[int] | None = None
) -> bytes:
    """A member's bytes, inflated in chunks that stop at the member limit and at what remains
    of ``budget`` (a one-item list of bytes still allowed for the whole archive)."""
    return b"".join(inflate_chunks(archive, info, name, limits, budget))


def inflate_chunks(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ArchiveLimits, budget: list[int] | None = None
) -> Iterator[bytes]:
    """A member's bytes, chunk by chunk, never past the limits; a member whose content is not
    what its directory entry says is reported as damaged."""
    _check_declared(info, name, limits)
    member_limit = int(limits.max_member_mb * 1_000_000)
    inflated = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                inflated += len(chunk)
                if inflated > member_limit:
                    raise UnreadableWorkbook(
                        "archive_member_too_large",
                        name=name,
                        member=info.filename,
                        size=f"> {_mb(member_limit)}",
                        limit=f"{limits.max_member_mb:g}",
                    )
                if budget is not None:
                    budget[0] -= len(chunk)
                    if budget[0] < 0:
                        raise UnreadableWorkbook(
                            "archive_too_large",
                            name=name,
                            size=f"> {limits.max_total_mb:g}",
                            limit=f"{limits.max_total_mb:g}",
                        )
                yield chunk
    except UnreadableWorkbook:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
        zlib.error,
    ):
        # A bad checksum, an unknown compression, an encrypted member, a truncated stream.
        raise UnreadableWorkbook("file_damaged", name=name) from None


# A workbook's sheet XML is about 350 bytes per row of eight cells (200,000 flows: 67 MB,
# from a 14 MB file), and is read as a stream: it may be this many times the file limit.
# Every other member (the shared strings, which the reader keeps in memory, above all) stays
# within the file limit itself.
SHEET_XML_FACTOR = 10
_SHEET_XML = ("xl/worksheets/", "content.xml")


def check_workbook_container(
    data: bytes, name: str, limits: ArchiveLimits, scan: Callable[[str, Iterator[bytes]], None] | None = None
) -> None:
    """Inflate every member of a workbook's zip within the limits before the spreadsheet
    reader sees it, so that an inflated ``sheet1.xml`` or ``sharedStrings.xml`` is refused
    here. ``scan(member_name, chunks)`` may read a member's content on the way."""
    sheet_limits = replace(
        limits,
        max_member_mb=limits.max_member_mb * SHEET_XML_FACTOR,
        max_total_mb=limits.max_member_mb * SHEET_XML_FACTOR * 2,
    )
    archive = open_archive(data, name, sheet_limits)
    budget = [int(sheet_limits.max_total_mb * 1_000_000)]
    for info in archive.infolist():
        if info.is_dir():
            continue
        member_limits = sheet_limits if info.filename.startswith(_SHEET_XML) else limits
        chunks = inflate_chunks(archive, info, name, member_limits, budget)
        if scan is not None:
            scan(info.filename, chunks)
        for _ in chunks:  # whatever scan left unread still counts against the limits
            pass

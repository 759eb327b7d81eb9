"""What reading takes: a file's name and bytes (``InputFile``), the limits one upload must keep
(``ReadLimits``), and the kinds of file told apart by extension and first bytes.

A file of any kind gives a ``Grid`` per sheet: its rows of cells, a row's index being its
spreadsheet line number minus one unless the grid carries its own ``line_numbers``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from valuechain.errors import UnreadableWorkbook
from valuechain.reading.archives import ArchiveLimits

WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container holding this stream (MS-OFFCRYPTO).
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# A table's header row is looked for in a sheet's first rows: the row limit leaves them room.
HEADER_SEARCH_ROWS = 10

Grid = list[list[object]]


@dataclass(frozen=True)
class ReadLimits:
    """Limits on what one upload may hold; set from the environment or by the caller.

    ``max_cells`` bounds a sheet's rectangle (rows × columns from its first to its last
    filled cell): the spreadsheet reader allocates that whole rectangle, so one stray cell at
    ``XFD1048576`` would ask for hundreds of gigabytes."""

    max_file_mb: float = 50.0
    max_rows: int = 200_000
    max_cells: int = 6_000_000
    archive: ArchiveLimits = ArchiveLimits()

    @classmethod
    def from_environment(cls) -> ReadLimits:
        return cls(
            max_file_mb=float(os.environ.get("VALUECHAIN_MAX_FILE_MB", cls.max_file_mb)),
            max_rows=int(os.environ.get("VALUECHAIN_MAX_ROWS", cls.max_rows)),
            max_cells=int(os.environ.get("VALUECHAIN_MAX_CELLS", cls.max_cells)),
            archive=ArchiveLimits.from_environment(),
        )


@dataclass(frozen=True)
class InputFile:
    name: str
    data: bytes
    # Why a file that could not be taken out of its archive is empty (reported by the import).
    refusal: UnreadableWorkbook | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_path(cls, path: str | os.PathLike, limits: ReadLimits | None = None) -> InputFile:
        """The file's bytes, once its size on disk is known to be within the limit (a 3 GB
        file is refused before it is read)."""
        path = Path(path)
        if path.is_dir():  # "not found" would send the person looking for what is right there
            raise UnreadableWorkbook("file_is_folder", name=str(path))
        if not path.is_file():
            raise UnreadableWorkbook("file_not_found", name=str(path))
        limit_mb = (limits or ReadLimits.from_environment()).max_file_mb
        size = path.stat().st_size
        if size > limit_mb * 1_000_000:
            raise UnreadableWorkbook(
                "file_too_large", name=path.name, size=f"{size / 1_000_000:.0f}", limit=f"{limit_mb:g}"
            )
        return cls(path.name, path.read_bytes())

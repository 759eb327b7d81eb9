"""Files → the tables as typed (``RawWorkbook``), with located reading problems.

Workbooks (.xlsx, .xlsm, .xls, .ods) are read by python-calamine, the engine pandas uses for
``read_excel(engine="calamine")``; we call it directly because we need every row with its own
spreadsheet number (pandas drops blank lines) and because it only reads the cells that hold
something, whatever the sheet's stored dimension claims. CSV files go through the standard
``csv`` module after their encoding and separator are detected.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import python_calamine

from .cells import EXCEL_CELL_LIMIT, as_text, is_blank
from .model import ERROR, WARNING, Problem, RawRow, RawWorkbook, UnreadableWorkbook
from .vocabulary import (
    CENTRE,
    RESULT_SHEETS,
    FLOWS,
    RECORD_TABLES,
    TABLES,
    Table,
    is_skipped_sheet,
    match_centre_field,
    normalise_key,
    table_for_sheet_name,
)

WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
HEADER_SEARCH_ROWS = 10
# Sheets a workbook may hold for people, not for the program (the template's own).
_PEOPLE_SHEETS = {"instructions", "lisez moi", "lisezmoi", "read me", "readme", "aide", "help", "notice"}

_RESULT_SHEETS = {normalise_key(name) for names in RESULT_SHEETS.values() for name in names.values()}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container holding this stream (MS-OFFCRYPTO).
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class ReadLimits:
    """Limits on what one upload may hold; set from the environment or by the caller."""

    max_file_mb: float = 50.0
    max_rows: int = 200_000

    @classmethod
    def from_environment(cls) -> ReadLimits:
        return cls(
            max_file_mb=float(os.environ.get("VALUECHAIN_MAX_FILE_MB", cls.max_file_mb)),
            max_rows=int(os.environ.get("VALUECHAIN_MAX_ROWS", cls.max_rows)),
        )


@dataclass(frozen=True)
class InputFile:
    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | os.PathLike) -> InputFile:
        path = Path(path)
        if not path.is_file():
            raise UnreadableWorkbook("file_not_found", name=str(path))
        return cls(path.name, path.read_bytes())


def read_paths(paths: Iterable[str | os.PathLike], limits: ReadLimits | None = None) -> RawWorkbook:
    return read_files([InputFile.from_path(p) for p in paths], limits)


def read_files(files: Sequence[InputFile], limits: ReadLimits | None = None) -> RawWorkbook:
    """Read one workbook, or several CSV files that together make one centre's workbook, or a
    Kumu export (Elements and Connections sheets)."""
    from .kumu import is_kumu_export, read_kumu  # Kumu's reader builds on this module's grids

    limits = limits or ReadLimits.from_environment()
    if not files:
        raise UnreadableWorkbook("no_file")
    workbook = RawWorkbook(name=_workbook_name(files))
    unrecognised: list[str] = []
    for file in files:
        _check_size(file, limits)
        sheets = list(_grids(file, limits))
        if is_kumu_export([name for name, _, from_csv in sheets if not from_csv]):
            read_kumu(workbook, {name: grid for name, grid, _ in sheets})
            continue
        for sheet_name, grid, from_csv in sheets:
            if not _add_sheet(workbook, sheet_name, grid, file, from_csv, limits):
                if from_csv:
                    unrecognised.append(file.name)
    if not workbook.has_flows():
        if unrecognised:
            raise UnreadableWorkbook("csv_not_recognised", name=unrecognised[0])
        raise UnreadableWorkbook("no_flows_table", name=files[0].name)
    return workbook


def _workbook_name(files: Sequence[InputFile]) -> str:
    stem = Path(files[0].name).stem
    if len(files) > 1:
        # "Castors - Flux.csv" + "Castors - Acteurs.csv" → "Castors"
        for table in TABLES:
            for suffix in (table.fr, table.en):
                if normalise_key(stem).endswith(normalise_key(suffix)):
                    trimmed = stem[: len(stem) - len(suffix)].rstrip(" -_")
                    return trimmed or stem
    return stem


def _check_size(file: InputFile, limits: ReadLimits) -> None:
    if not file.data:
        raise UnreadableWorkbook("file_empty", name=file.name)
    size_mb = len(file.data) / 1_000_000
    if size_mb > limits.max_file_mb:
        raise UnreadableWorkbook("file_too_large", name=file.name, size=f"{size_mb:.1f}",
                                 limit=f"{limits.max_file_mb:g}")


# Grids ----------------------------------------------------------------------------------------
Grid = list[list[object]]


def _grids(file: InputFile, limits: ReadLimits) -> Iterator[tuple[str, Grid, bool]]:
    """(sheet name, rows of cells, from a CSV file) for each sheet the file holds."""
    extension = Path(file.name).suffix.lower()
    head = file.data[:8]
    if head.startswith(_OLE_MAGIC) and _ENCRYPTION_STREAM in file.data[:200_000]:
        raise UnreadableWorkbook("password_protected", name=file.name)
    looks_binary = head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC)
    if extension in WORKBOOK_EXTENSIONS or looks_binary:
        yield from _workbook_grids(file, limits)
    elif extension in TEXT_EXTENSIONS or not extension:
        yield Path(file.name).name, _csv_grid(file), True
    else:
        # An unknown extension: it may still be a CSV saved as .dat or similar.
        try:
            yield Path(file.name).name, _csv_grid(file), True
        except UnreadableWorkbook:
            raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None


def _workbook_grids(file: InputFile, limits: ReadLimits) -> Iterator[tuple[str, Grid, bool]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(file.data))
    except python_calamine.PasswordError:
        raise UnreadableWorkbook("password_protected", name=file.name) from None
    except Exception:  # calamine raises several types for a file that is not a workbook
        raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
    for name in workbook.sheet_names:
        if is_skipped_sheet(name):
            continue
        try:
            sheet = workbook.get_sheet_by_name(name)
            grid = _sheet_rows(sheet, file.name, name, limits)
        except UnreadableWorkbook:
            raise
        except Exception:
            raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
        yield name, grid, False


def _sheet_rows(sheet: python_calamine.CalamineSheet, file_name: str, sheet_name: str,
                limits: ReadLimits) -> Grid:
    # iter_rows starts at the sheet's first row even when it is blank, so that a row's index
    # in the grid is its spreadsheet number minus one; it is lazy, so the row limit stops it.
    rows: Grid = []
    filled = 0
    for row in sheet.iter_rows():
        rows.append(row)
        if any(c != "" for c in row):
            filled += 1
            if filled > limits.max_rows + HEADER_SEARCH_ROWS:
                raise UnreadableWorkbook("too_many_rows", name=file_name, sheet=sheet_name,
                                         limit=limits.max_rows)
    return rows


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")  # Excel's "Texte Unicode" export
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # French Excel's default; cp1252 leaves five bytes undefined, latin-1 none.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _detect_separator(lines: list[str]) -> str:
    """The separator that splits the first lines into the most fields, most consistently."""
    best, best_score = ";", (-1.0, 0)
    sample = [line for line in lines[:30] if line.strip()]
    for separator in (";", "\t", ","):
        counts = [len(fields) for fields in csv.reader(sample, delimiter=separator)]
        if not counts:
            continue
        common, frequency = Counter(counts).most_common(1)[0]
        if common < 2:
            continue
        score = (frequency / len(counts), common)
        if score > best_score:
            best, best_score = separator, score
    return best


class _CsvGrid(list):
    """A CSV file's rows, with the separator found and the lines that did not fit it."""

    separator: str = ";"
    line_numbers: list[int]


def _csv_grid(file: InputFile) -> Grid:
    text = _decode(file.data)
    if "\x00" in text:
        raise UnreadableWorkbook("not_spreadsheet", name=file.name)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise UnreadableWorkbook("file_empty", name=file.name)
    separator = _detect_separator(lines)
    grid = _CsvGrid()
    grid.separator = separator
    grid.line_numbers = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    previous_line = 0
    try:
        for record in reader:
            grid.line_numbers.append(previous_line + 1)
            previous_line = reader.line_num
            grid.append(record)
    except csv.Error:
        raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
    return grid


# Sheets → tables ---------------------------------------------------------------------------------
def _header_codes(row: list[object], table: Table) -> dict[int, str]:
    """Column index → the table's column code, for the cells of ``row`` that name one."""
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        code = table.match_column(cell) if isinstance(cell, str) else None
        if code and code not in found.values():
            found[index] = code
    return found


def _find_header(grid: Grid, table: Table) -> tuple[int, dict[int, str]] | None:
    required = {c.code for c in table.required}
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        codes = _header_codes(row, table)
        if required <= set(codes.values()):
            return index, codes
    return None


def _recognise_by_headers(grid: Grid) -> Table | None:
    """The record table whose required columns a header row holds, preferring the most matches."""
    best: tuple[int, Table] | None = None
    for table in RECORD_TABLES:
        header = _find_header(grid, table)
        if header and (best is None or len(header[1]) > best[0]):
            best = (len(header[1]), table)
    if best:
        return best[1]
    # A Centre table: "champ | valeur", or fields straight away.
    first_cells = [row[0] for row in grid[:HEADER_SEARCH_ROWS] if row and not is_blank(row[0])]
    if first_cells and sum(match_centre_field(c) is not None for c in first_cells) >= 2:
        return CENTRE
    return None


def _add_sheet(workbook: RawWorkbook, sheet_name: str, grid: Grid, file: InputFile,
               from_csv: bool, limits: ReadLimits) -> bool:
    """Add a sheet's rows to the workbook; False when the sheet holds no known table."""
    if not any(any(not is_blank(c) for c in row) for row in grid):
        return True  # an empty sheet is nothing to report
    if not from_csv and normalise_key(sheet_name) in _PEOPLE_SHEETS | _RESULT_SHEETS:
        return True  # instructions for people, or the results our own export adds
    by_name = table_for_sheet_name(Path(sheet_name).stem if from_csv else sheet_name)
    if from_csv and by_name is None:
        by_name = next((t for t in TABLES if t.name_suffix_match(Path(sheet_name).stem)), None)
    by_headers = _recognise_by_headers(grid)
    table = by_name
    if by_name is None or (from_csv and by_headers is not None and by_headers is not by_name):
        if from_csv and by_name is not None:
            workbook.problems.append(Problem(WARNING, "csv_name_headers_disagree", sheet=sheet_name,
                                             params=(("by_name", by_name.fr), ("by_headers", by_headers.fr))))
        table = by_headers
    if table is None:
        if not from_csv:
            workbook.problems.append(Problem(
                WARNING, "sheet_unknown", sheet=sheet_name, value=sheet_name,
                params=(("choices", ", ".join(t.fr for t in TABLES)),)))
        return False
    if table is CENTRE:
        _add_centre_sheet(workbook, sheet_name, grid)
        return True
    header = _find_header(grid, table)
    if header is None:
        workbook.problems.append(Problem(
            ERROR, "header_not_found", sheet=sheet_name, table=table.code,
            params=(("columns", ", ".join(c.fr for c in table.required)),)))
        # With no header the flows cannot be read: that is "no flows table" for the file.
        return table is not FLOWS
    header_index, codes = header
    _add_records(workbook, table, sheet_name, grid, header_index, codes, limits, file)
    return True


def _row_number(grid: Grid, index: int) -> int:
    numbers = getattr(grid, "line_numbers", None)
    return numbers[index] if numbers else index + 1


def _add_records(workbook: RawWorkbook, table: Table, sheet_name: str, grid: Grid,
                 header_index: int, codes: dict[int, str], limits: ReadLimits,
                 file: InputFile) -> None:
    raw = workbook.tables.get(table.code)
    if raw is not None and raw.rows:
        workbook.problems.append(Problem(WARNING, "table_merged", sheet=sheet_name,
                                         params=(("table", table.fr),)))
    raw = workbook.table(table.code)
    header_row = grid[header_index]
    names: list[str] = []
    for index, cell in enumerate(header_row):
        if index in codes:
            names.append(codes[index])
            raw.headers.setdefault(codes[index], str(cell).strip())
        elif not is_blank(cell):
            names.append(as_text(cell))
        else:
            names.append("")
    title_rows = sum(1 for row in grid[:header_index] if any(not is_blank(c) for c in row))
    if title_rows:
        workbook.problems.append(Problem(
            WARNING, "title_rows_skipped", sheet=sheet_name, row=_row_number(grid, header_index),
            table=table.code,
            params=(("count", title_rows), ("header_row", _row_number(grid, header_index)))))
    separator = getattr(grid, "separator", None)
    expected_fields = len(header_row)
    count = 0
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        cells: dict[str, object] = {}
        # The hot loop of a read: plain type checks rather than is_blank() for each cell.
        for position, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if cell.__class__ is str:
                cell = cell.strip()
                if not cell:
                    continue
            elif cell.__class__ is float and cell != cell:
                continue
            name = names[position] if position < len(names) else ""
            if not name:
                name = _column_letter(position)
                names.extend([""] * (position + 1 - len(names)))
                names[position] = name
            cells[name] = cell
        if not cells:
            continue
        count += 1
        if count > limits.max_rows:
            raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=sheet_name,
                                     limit=limits.max_rows)
        number = _row_number(grid, index)
        broken = separator is not None and len(row) != expected_fields
        if broken:
            workbook.problems.append(Problem(
                ERROR, "csv_field_count", sheet=sheet_name, row=number, table=table.code,
                params=(("found", len(row)), ("expected", expected_fields),
                        ("separator", "tab" if separator == "\t" else separator))))
        for name, cell in cells.items():
            if cell.__class__ is str and len(cell) > EXCEL_CELL_LIMIT:
                workbook.problems.append(Problem(
                    WARNING, "long_text", sheet=sheet_name, row=number, table=table.code,
                    column=raw.header(name) if name in raw.headers else name,
                    value=cell, params=(("length", len(cell)),)))
        raw.rows.append(RawRow(sheet_name, number, cells, broken))
    raw.add_columns([n for n in names if n])


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"colonne {letters}"


def _add_centre_sheet(workbook: RawWorkbook, sheet_name: str, grid: Grid) -> None:
    for index, row in enumerate(grid):
        cells = [c for c in row]
        if not cells or is_blank(cells[0]):
            continue
        field_name = as_text(cells[0])
        value = cells[1] if len(cells) > 1 and not is_blank(cells[1]) else None
        key = normalise_key(field_name)
        if key in ("champ", "field") and normalise_key(value) in ("valeur", "value"):
            continue  # the optional header row
        code = match_centre_field(field_name) or field_name
        workbook.centre_fields.setdefault(code, (value, sheet_name, _row_number(grid, index)))

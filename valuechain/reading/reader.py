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
import html
import io
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import python_calamine

from valuechain.cells import EXCEL_CELL_LIMIT, as_text, is_blank
from valuechain.errors import UnreadableWorkbook
from valuechain.model import ERROR, WARNING, Problem, RawRow, RawWorkbook
from valuechain.reading.archives import ArchiveLimits, check_workbook_container
from valuechain.reading.kumu import kumu_sheets, read_kumu
from valuechain.vocabulary import (
    CENTRE,
    FLOWS,
    RECORD_TABLES,
    RESULT_SHEETS,
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
        if not path.is_file():
            raise UnreadableWorkbook("file_not_found", name=str(path))
        limit_mb = (limits or ReadLimits.from_environment()).max_file_mb
        size = path.stat().st_size
        if size > limit_mb * 1_000_000:
            raise UnreadableWorkbook(
                "file_too_large", name=path.name, size=f"{size / 1_000_000:.0f}", limit=f"{limit_mb:g}"
            )
        return cls(path.name, path.read_bytes())


def read_paths(paths: Iterable[str | os.PathLike], limits: ReadLimits | None = None) -> RawWorkbook:
    return read_files([InputFile.from_path(p, limits) for p in paths], limits)


def read_files(files: Sequence[InputFile], limits: ReadLimits | None = None) -> RawWorkbook:
    """Read one workbook, or several CSV files that together make one centre's workbook, or a
    Kumu export (Elements and Connections sheets)."""
    limits = limits or ReadLimits.from_environment()
    if not files:
        raise UnreadableWorkbook("no_file")
    workbook = RawWorkbook(name=_workbook_name(files))
    unrecognised: list[str] = []
    sheet_names: list[str] = []
    every: list[tuple[str, Grid, bool, InputFile]] = []
    for file in files:
        _check_size(file, limits)
        sheets = list(_grids(file, limits))
        sheet_names += [name for name, _, _ in sheets]
        for name, grid, from_csv in sheets:
            workbook.problems.extend(getattr(grid, "problems", ()))
            every.append((name, grid, from_csv, file))
    # A Kumu map (an Elements sheet or one sheet per type, and Connections; or the same as CSV
    # files): Kumu's sheets are read as Kumu reads them, the sheets of ours it carries as ours.
    kumu = kumu_sheets([(name, grid) for name, grid, _, _ in every])
    if kumu is not None:
        connections, elements = kumu
        kumu_file = next(file.name for name, _, _, file in every if name == connections)
        read_kumu(
            workbook,
            {name: grid for name, grid, _, _ in every},
            connections,
            elements,
            max_rows=limits.max_rows,
            file_name=kumu_file,
        )
        every = [sheet for sheet in every if sheet[0] != connections and sheet[0] not in elements]
    for sheet_name, grid, from_csv, file in every:
        if not _add_sheet(workbook, sheet_name, grid, file, from_csv, limits):
            if from_csv:
                unrecognised.append(file.name)
        # The limit is on each table as built, not on each sheet: several files, each under it,
        # may not pass it together.
        if any(len(table.rows) > limits.max_rows for table in workbook.tables.values()):
            raise UnreadableWorkbook("too_many_rows_together", name=file.name, limit=limits.max_rows)
    if not workbook.has_flows():
        headless = next((p for p in workbook.problems if p.code == "header_not_found" and p.table == FLOWS.code), None)
        if headless is not None and dict(headless.params)["missing"] != ", ".join(c.fr for c in FLOWS.required):
            # The flows are there, under a header row that lacks a column: say which.
            params = dict(headless.params)
            raise UnreadableWorkbook(
                "flows_columns_missing",
                name=files[0].name,
                sheet=headless.sheet,
                missing=params["missing"],
                found=params["found"],
            )
        if unrecognised:
            raise UnreadableWorkbook("csv_not_recognised", name=unrecognised[0])
        raise UnreadableWorkbook("no_flows_table", name=files[0].name, sheets=", ".join(sheet_names) or "—")
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
        raise UnreadableWorkbook(
            "file_too_large", name=file.name, size=f"{size_mb:.1f}", limit=f"{limits.max_file_mb:g}"
        )


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
        yield Path(file.name).name, _csv_grid(file, limits), True
    else:
        # An unknown extension: it may still be a CSV saved as .dat or similar.
        try:
            yield Path(file.name).name, _csv_grid(file, limits), True
        except UnreadableWorkbook:
            raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None


def _workbook_grids(file: InputFile, limits: ReadLimits) -> Iterator[tuple[str, Grid, bool]]:
    sparse: dict[str, tuple[str, str]] = {}
    grid: Grid
    if file.data.startswith(_ZIP_MAGIC):
        # .xlsx/.xlsm/.ods are zips: inflate them within the limits, and measure each sheet's
        # rectangle, before the spreadsheet reader allocates anything.
        extents = SheetExtents()
        check_workbook_container(file.data, file.name, limits.archive, extents.scan)
        sparse = extents.check(file.name, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(file.data))
    except python_calamine.PasswordError:
        raise UnreadableWorkbook("password_protected", name=file.name) from None
    except Exception:  # calamine raises several types for a file that is not a workbook
        raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
    strings: list[str] | None = None
    for name in workbook.sheet_names:
        if is_skipped_sheet(name):
            continue
        try:
            if name in sparse:
                # A sheet reaching a far-away cell with few cells: read cell by cell from its
                # XML, so that only the filled cells take room.
                archive = zipfile.ZipFile(io.BytesIO(file.data))
                strings = _shared_strings(archive) if strings is None else strings
                member, far_cell = sparse[name]
                sparse_grid = _SparseGrid(_sparse_rows(archive, member, strings, file.name, name, limits))
                sparse_grid.problems = [
                    Problem(WARNING, "sheet_read_sparsely", sheet=name, value=far_cell, params=(("cell", far_cell),))
                ]
                grid = sparse_grid
            else:
                grid = _sheet_rows(workbook.get_sheet_by_name(name), file.name, name, limits)
        except UnreadableWorkbook:
            raise
        except Exception:
            raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
        yield name, grid, False


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class _SparseGrid(list):
    """The rows of a sheet read cell by cell, with the warning that says so."""

    problems: list[Problem]


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    from xml.etree.ElementTree import iterparse

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    with archive.open("xl/sharedStrings.xml") as stream:  # within the member limit, checked before
        for _, element in iterparse(stream):
            if element.tag == _MAIN_NS + "si":
                strings.append("".join(t.text or "" for t in element.iter(_MAIN_NS + "t")))
                element.clear()
    return strings


_NO_CELLS: list = []


def _sparse_rows(
    archive: zipfile.ZipFile, member: str, strings: list[str], file_name: str, sheet_name: str, limits: ReadLimits
) -> Grid:
    from xml.etree.ElementTree import iterparse

    filled: dict[int, dict[int, object]] = {}
    with archive.open(member) as stream:
        for _, element in iterparse(stream):
            if element.tag != _MAIN_NS + "c":
                continue
            match = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", element.get("r") or "")
            value_element = element.find(_MAIN_NS + "v")
            kind = element.get("t")
            if kind == "inlineStr":
                value: object = "".join(t.text or "" for t in element.iter(_MAIN_NS + "t"))
            elif value_element is None or value_element.text is None:
                value = ""
            elif kind == "s":
                index = int(value_element.text)
                value = strings[index] if 0 <= index < len(strings) else ""
            elif kind in ("str", "e"):
                value = value_element.text
            elif kind == "b":
                value = value_element.text == "1"
            else:
                try:
                    value = float(value_element.text)
                except ValueError:
                    value = value_element.text
            element.clear()
            if match and value != "":
                row = filled.setdefault(int(match[2]), {})
                row[_column_number(match[1]) - 1] = value
                if len(filled) > limits.max_rows + HEADER_SEARCH_ROWS:
                    raise UnreadableWorkbook("too_many_rows", name=file_name, sheet=sheet_name, limit=limits.max_rows)
    rows: Grid = []
    for number in range(1, max(filled, default=0) + 1):
        cells = filled.get(number)
        if not cells:
            rows.append(_NO_CELLS)  # one shared empty row for the million blank ones
            continue
        line: list[object] = [""] * (max(cells) + 1)
        for column, value in cells.items():
            line[column] = value
        rows.append(line)
    return rows


class SheetExtents:
    """Each sheet's rectangle, read from the workbook's XML as it is inflated.

    xlsx: the ``r="B12"`` reference of every cell of ``xl/worksheets/*.xml`` (names from
    ``xl/workbook.xml`` and its relationships). ods: ``content.xml``'s rows and cells with
    their ``number-rows-repeated`` / ``number-columns-repeated`` counts; repeated empty cells
    (LibreOffice writes a million of them at the end of every sheet) take no room and are not
    counted."""

    # Excel, LibreOffice and openpyxl write a cell's reference first: ``<c r="B12" …>``. The
    # general pattern (reference anywhere in the tag) is three times slower, so it is used
    # only for a chunk whose cells do not all start that way.
    _ROW_OF_CELL = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
    _COLUMN_OF_CELL = re.compile(rb'<c r="([A-Z]{1,3})')
    _CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
    _SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
    _REL = re.compile(
        rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|'
        rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
    )

    def __init__(self) -> None:
        self.rectangles: dict[str, tuple[int, int, str]] = {}  # member → (rows, columns, far cell)
        self.cell_counts: dict[str, int] = {}  # xlsx member → cells it really holds
        self._workbook_xml = b""
        self._rels_xml = b""

    def scan(self, member: str, chunks: Iterator[bytes]) -> None:
        if member == "xl/workbook.xml":
            self._workbook_xml = b"".join(chunks)[:2_000_000]
        elif member == "xl/_rels/workbook.xml.rels":
            self._rels_xml = b"".join(chunks)[:2_000_000]
        elif member.startswith("xl/worksheets/") and member.endswith(".xml"):
            self._scan_xlsx_sheet(member, chunks)
        elif member == "content.xml":
            self._scan_ods(chunks)

    def _scan_xlsx_sheet(self, member: str, chunks: Iterator[bytes]) -> None:
        rows: list[int] = []
        columns: set[bytes] = set()
        tail = b""
        cells = 0
        for chunk in chunks:
            text = tail + chunk
            # A reference cut by the chunk's end is searched again with the next chunk.
            cut = text.rfind(b"<c")
            searched, tail = (text[:cut], text[cut:]) if cut >= 0 and len(text) - cut < 200 else (text, b"")
            here = searched.count(b"<c ")
            cells += here
            self._extend(searched, rows, columns, here)
        here = tail.count(b"<c ")
        cells += here
        self._extend(tail, rows, columns, here)
        self.cell_counts[member] = cells
        if rows and columns:
            numbers = [_column_number(column) for column in columns]
            self.rectangles[member] = (
                max(rows) - min(rows) + 1,
                max(numbers) - min(numbers) + 1,
                f"{_letters(max(numbers))}{max(rows)}",
            )

    def _extend(self, text: bytes, rows: list[int], columns: set[bytes], cells: int) -> None:
        # Two plain patterns (each match a bytes object, not a tuple) when every cell starts
        # with its reference, as Excel, LibreOffice and openpyxl write them.
        row_refs: list[bytes] = self._ROW_OF_CELL.findall(text)
        if len(row_refs) == cells:
            column_refs: list[bytes] = self._COLUMN_OF_CELL.findall(text)
        else:
            references = self._CELL_REF.findall(text)
            row_refs, column_refs = [row for _, row in references], [column for column, _ in references]
        if row_refs:
            # Compared as digit strings (longer is larger): no int() for each of a million cells.
            row_numbers = set(row_refs)
            rows.append(int(min(row_numbers, key=lambda r: (len(r), r))))
            rows.append(int(max(row_numbers, key=lambda r: (len(r), r))))
            columns.update(column_refs)

    def _scan_ods(self, chunks: Iterator[bytes]) -> None:
        from xml.etree.ElementTree import Element, XMLPullParser

        table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
        office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
        parser: XMLPullParser = XMLPullParser(events=("start", "end"))
        sheet, row, row_repeat, column, last_row, last_col = "", 0, 1, 0, 0, 0
        for chunk in chunks:
            parser.feed(chunk)
            for event, element in parser.read_events():  # type: ignore[misc]
                if not isinstance(element, Element):  # start and end events always give one
                    continue
                tag = element.tag
                if event == "start" and tag == table_ns + "table":
                    sheet, row, last_row, last_col = element.get(table_ns + "name", "?"), 0, 0, 0
                elif event == "start" and tag == table_ns + "table-row":
                    row_repeat = _count(element.get(table_ns + "number-rows-repeated"))
                    column = 0
                elif event == "end" and tag in (table_ns + "table-cell", table_ns + "covered-table-cell"):
                    repeat = _count(element.get(table_ns + "number-columns-repeated"))
                    column += repeat
                    if element.get(office_ns + "value-type") is not None or len(element):
                        last_col = max(last_col, column)
                        last_row = row + row_repeat
                    element.clear()
                elif event == "end" and tag == table_ns + "table-row":
                    row += row_repeat
                    element.clear()
                elif event == "end" and tag == table_ns + "table":
                    if last_row and last_col:
                        self.rectangles[sheet] = (last_row, last_col, f"{_letters(last_col)}{last_row}")
                    element.clear()
                if self.rectangles and max(r * c for r, c, _ in self.rectangles.values()) > 10**12:
                    return

    def sheet_name(self, member: str) -> str:
        """The sheet's name as the user knows it (xlsx members are named sheetN.xml)."""
        if not member.startswith("xl/"):
            return member
        targets = {}
        for match in self._REL.finditer(self._rels_xml):
            rel_id, target = (match[1], match[2]) if match[1] else (match[4], match[3])
            targets[rel_id] = target.decode(errors="replace").lstrip("/").removeprefix("xl/")
        for name, rel_id in self._SHEET.findall(self._workbook_xml):
            if "xl/" + targets.get(rel_id, "") == member:
                return html.unescape(name.decode(errors="replace"))
        return member

    def check(self, file_name: str, limits: ReadLimits) -> dict[str, tuple[str, str]]:
        """The sheets too wide for a dense grid that can be read sparsely (an xlsx sheet whose
        filled cells are few: a stray cell far away), by name → far cell; refuses the others."""
        sparse = {}
        for member, (rows, columns, far_cell) in self.rectangles.items():
            if rows * columns <= limits.max_cells:
                continue
            if self.cell_counts.get(member, limits.max_cells + 1) <= limits.max_cells:
                sparse[self.sheet_name(member)] = (member, far_cell)  # read cell by cell
                continue
            raise UnreadableWorkbook(
                "sheet_too_wide",
                name=file_name,
                sheet=self.sheet_name(member),
                cell=far_cell,
                cells=f"{rows * columns:,}".replace(",", " "),
                limit=f"{limits.max_cells:,}".replace(",", " "),
            )
        return sparse


def _count(text: str | None) -> int:
    try:
        return max(1, int(text)) if text else 1
    except ValueError:
        return 1


def _column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters if isinstance(letters, str) else letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_rows(sheet: python_calamine.CalamineSheet, file_name: str, sheet_name: str, limits: ReadLimits) -> Grid:
    # iter_rows starts at the sheet's first row even when it is blank, so that a row's index
    # in the grid is its spreadsheet number minus one; it is lazy, so the row limit stops it.
    rows: Grid = []
    filled = 0
    for row in sheet.iter_rows():
        rows.append(row)  # type: ignore[arg-type]  # calamine's list of cell values
        if any(c != "" for c in row):
            filled += 1
            if filled > limits.max_rows + HEADER_SEARCH_ROWS:
                raise UnreadableWorkbook("too_many_rows", name=file_name, sheet=sheet_name, limit=limits.max_rows)
    return rows


# A UTF-8 encoded accent: a lead byte then a continuation byte (French Windows text puts an
# ASCII letter, not a byte of 0x80-0xBF, after its accented letters).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _decode(data: bytes) -> tuple[str, list[int]]:
    """The text, and the lines (numbered from 1) read as Windows-1252 inside a UTF-8 file.

    A file that is not UTF-8 is read line by line: each line that is valid UTF-8 as such,
    each other line as French Excel's Windows-1252 (Latin-1 for its five undefined bytes). A
    Windows file gives the same text as decoding it whole; a UTF-8 file with one Windows line
    (a cell pasted from elsewhere) keeps every other accent, and that line is reported."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), []  # Excel's "Texte Unicode" export
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if not _UTF8_SEQUENCE.search(data):
        # No UTF-8 accent anywhere: every line with an accent is Windows-1252, and decoding the
        # whole file at once gives the same text as line by line (French Excel's usual CSV).
        try:
            return data.decode("cp1252"), []
        except UnicodeDecodeError:
            pass  # one of its five undefined bytes: line by line below
    decoded: list[str] = []
    windows_lines: list[int] = []
    utf8_accents = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            text = line.decode("utf-8")
            utf8_accents = utf8_accents or not line.isascii()
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:
                text = line.decode("latin-1")
            windows_lines.append(number)
        decoded.append(text)
    # Only a mixture is worth a word: a file all in Windows-1252 is French Excel's usual CSV.
    return "\n".join(decoded), windows_lines if utf8_accents else []


def _detect_separator(lines: list[str]) -> str:
    """The separator that splits the first lines into the most fields, most consistently."""
    best, best_score = ";", (-1.0, 0)
    # Each line on its own, carriage returns left out: a quoted cell that starts with one would
    # stop the csv module ("new-line character seen in unquoted field"); only counts matter here.
    sample = [line.replace("\r", "") for line in lines[:30] if line.strip()]
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
    """A CSV file's rows, with the separator found, each row's line number, the rows that
    cannot be trusted, and what was noticed while reading the text."""

    separator: str = ";"
    line_numbers: list[int]
    broken_rows: set[int]
    problems: list[Problem]


# A cell may be longer than the csv module's default field limit (131,072 characters): the
# format keeps long text with a warning, and the file's own size limit bounds it anyway.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


def _non_blank_lines(text: str, stop_after: int) -> int:
    """How many lines hold something, counted without making a list of them, up to a bound."""
    count = 0
    for line in io.StringIO(text):
        if line.strip():
            count += 1
            if count > stop_after:
                break
    return count


def _first_lines(text: str, count: int) -> list[str]:
    lines = []
    for line in io.StringIO(text):
        if line.strip():
            lines.append(line.rstrip("\r\n"))
            if len(lines) == count:
                break
    return lines


def _csv_grid(file: InputFile, limits: ReadLimits) -> Grid:
    text, windows_lines = _decode(file.data)
    if "\x00" in text:
        raise UnreadableWorkbook("not_spreadsheet", name=file.name)
    # Twelve million tiny lines fit in a 48 MB file: count them before making any row.
    bound = limits.max_rows + HEADER_SEARCH_ROWS
    if text.count("\n") > bound and _non_blank_lines(text, bound) > bound:
        raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=Path(file.name).name, limit=limits.max_rows)
    sample = _first_lines(text, 30)
    if not sample:
        raise UnreadableWorkbook("file_empty", name=file.name)
    separator = _detect_separator(sample)
    grid = _CsvGrid()
    grid.separator = separator
    grid.line_numbers = []
    grid.broken_rows = set()
    sheet = Path(file.name).name
    grid.problems = [Problem(WARNING, "csv_line_encoding", sheet=sheet, row=number) for number in windows_lines[:50]]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    previous_line = 0
    physical_lines: list[str] = []
    try:
        for record in reader:
            first_line = previous_line + 1
            previous_line = reader.line_num
            if previous_line > first_line and _swallowed_lines(record, separator):
                # A quote opened and never closed: the lines up to the next quote became one
                # cell. Each of those lines is read again on its own, quotes taken as text;
                # the line with the stray quote is kept aside and said.
                physical_lines = physical_lines or text.split("\n")
                grid.problems.append(
                    Problem(ERROR, "csv_quote_unclosed", sheet=sheet, row=first_line, params=(("last", previous_line),))
                )
                for number in range(first_line, previous_line + 1):
                    line = physical_lines[number - 1].rstrip("\r")
                    if number == first_line:
                        grid.broken_rows.add(len(grid))
                    grid.line_numbers.append(number)
                    grid.append(next(csv.reader([line], delimiter=separator, quoting=csv.QUOTE_NONE), []))
                continue
            grid.line_numbers.append(first_line)
            grid.append(record)
    except csv.Error:
        raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
    return grid


def _swallowed_lines(record: list[str], separator: str) -> bool:
    """Whether a multi-line record holds what look like other rows of the file (a line break
    followed by text holding the separator), rather than a cell written on several lines."""
    return any("\n" in field and separator in field for field in record)


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


def _centre_layout(grid: Grid) -> str | None:
    """How strongly a grid looks like the Centre table's key/value layout: "header" for a
    ``champ | valeur`` header row, "fields" for two or more field names down the first
    column (the header row is optional), None otherwise."""
    first_rows = [row for row in grid[:HEADER_SEARCH_ROWS] if row and not is_blank(row[0])]
    for row in first_rows[:2]:
        if (
            normalise_key(row[0]) in ("champ", "field")
            and len(row) > 1
            and normalise_key(row[1]) in ("valeur", "value")
        ):
            return "header"
    if sum(match_centre_field(row[0]) is not None for row in first_rows) >= 2:
        return "fields"
    return None


def _closest_header(grid: Grid, table: Table) -> tuple[list[str], list[str]]:
    """For a sheet whose header row lacks required columns: the row of the first ten that
    names the most of the table's columns, as (required columns it lacks, what it holds)."""
    best_index, best_codes = 0, {}  # type: tuple[int, dict[int, str]]
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        codes = _header_codes(row, table)
        if len(codes) > len(best_codes):
            best_index, best_codes = index, codes
    row = grid[best_index] if grid else []
    missing = [c.fr for c in table.required if c.code not in best_codes.values()]
    found = [str(as_text(cell)) for cell in row if not is_blank(cell)][:12]
    return missing, found


def _recognise_by_headers(grid: Grid) -> Table | None:
    """The table a grid's headers describe. A ``champ | valeur`` header is the Centre table;
    otherwise the record table whose required columns a header row holds, preferring the most
    matches, unless that header is a single matching word and the first column reads as the
    Centre table's fields ("nom ; Les Tilleuls" is a field, not an Activites header)."""
    layout = _centre_layout(grid)
    if layout == "header":
        return CENTRE
    best: tuple[int, Table] | None = None
    for table in RECORD_TABLES:
        header = _find_header(grid, table)
        if header and (best is None or len(header[1]) > best[0]):
            best = (len(header[1]), table)
    if best and not (layout == "fields" and best[0] < 2):
        return best[1]
    return CENTRE if layout else None


def _fits(grid: Grid, table: Table) -> bool:
    """Whether a grid can be read as ``table``: its header row, or the Centre's layout."""
    if table is CENTRE:
        return _centre_layout(grid) is not None
    return _find_header(grid, table) is not None


def _add_sheet(
    workbook: RawWorkbook, sheet_name: str, grid: Grid, file: InputFile, from_csv: bool, limits: ReadLimits
) -> bool:
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
    # A file's name naming a table wins whenever its contents can be read as that table; the
    # headers decide only when there is no such name, or when the named table does not fit.
    if by_name is None or (from_csv and by_headers not in (None, by_name) and not _fits(grid, by_name)):
        if from_csv and by_name is not None:
            workbook.problems.append(
                Problem(
                    WARNING,
                    "csv_name_headers_disagree",
                    sheet=sheet_name,
                    params=(("by_name", by_name.fr), ("by_headers", by_headers.fr if by_headers else "—")),
                )
            )
        table = by_headers
    if table is None:
        if not from_csv:
            workbook.problems.append(
                Problem(
                    WARNING,
                    "sheet_unknown",
                    sheet=sheet_name,
                    value=sheet_name,
                    params=(("choices", ", ".join(t.fr for t in TABLES)),),
                )
            )
        return False
    if table is CENTRE:
        _add_centre_sheet(workbook, sheet_name, grid)
        return True
    header = _find_header(grid, table)
    if header is None:
        missing, found = _closest_header(grid, table)
        workbook.problems.append(
            Problem(
                ERROR,
                "header_not_found",
                sheet=sheet_name,
                table=table.code,
                params=(("missing", ", ".join(missing)), ("found", ", ".join(found) or "—")),
            )
        )
        # With no header the flows cannot be read: that is "no flows table" for the file.
        return table is not FLOWS
    header_index, codes = header
    _say_synonyms(workbook, table, sheet_name, table is by_name and not from_csv, grid, header_index, codes)
    _add_records(workbook, table, sheet_name, grid, header_index, codes, limits, file)
    return True


def _say_synonyms(
    workbook: RawWorkbook,
    table: Table,
    sheet_name: str,
    by_its_name: bool,
    grid: Grid,
    header_index: int,
    codes: dict[int, str],
) -> None:
    """Words outside the format that the reader maps (a sheet "Échanges", a column "montant")
    are welcome, and each is said once, so that nobody wonders how the file was read."""
    both = lambda fr, en: (("read_fr", fr), ("read_en", en))  # noqa: E731
    if by_its_name and table.name_is_synonym(sheet_name):
        workbook.problems.append(
            Problem(
                WARNING,
                "sheet_read_as",
                sheet=sheet_name,
                value=sheet_name,
                table=table.code,
                params=both(table.fr, table.en),
            )
        )
    for index, code in codes.items():
        cell = grid[header_index][index]
        if table.column_is_synonym(cell):
            column = table.column(code)
            workbook.problems.append(
                Problem(
                    WARNING,
                    "column_read_as",
                    sheet=sheet_name,
                    row=_row_number(grid, header_index),
                    table=table.code,
                    column=str(cell).strip(),
                    value=str(cell).strip(),
                    params=both(column.fr, column.en),
                )
            )


def _row_number(grid: Grid, index: int) -> int:
    numbers = getattr(grid, "line_numbers", None)
    return numbers[index] if numbers else index + 1


def _add_records(
    workbook: RawWorkbook,
    table: Table,
    sheet_name: str,
    grid: Grid,
    header_index: int,
    codes: dict[int, str],
    limits: ReadLimits,
    file: InputFile,
) -> None:
    raw = workbook.tables.get(table.code)
    if raw is not None and raw.rows:
        workbook.problems.append(Problem(WARNING, "table_merged", sheet=sheet_name, params=(("table", table.fr),)))
    raw = workbook.table(table.code)
    header_row = grid[header_index]
    names: list[str] = []
    taken = set(codes.values())  # names given so far (a set: a CSV may have 17,000 columns)
    for index, cell in enumerate(header_row):
        if index in codes:
            names.append(codes[index])
            raw.headers.setdefault(codes[index], str(cell).strip())
        elif not is_blank(cell):
            text = str(as_text(cell))
            twin = table.match_column(cell) if isinstance(cell, str) else None
            if twin in taken or text in taken:
                # A second "source" column must not overwrite the first: kept apart, and said.
                first = next(i for i, n in enumerate(names) if n in (twin, text))
                kept_as = f"{text} ({_letters(index + 1)})"
                workbook.problems.append(
                    Problem(
                        WARNING,
                        "duplicate_column",
                        sheet=sheet_name,
                        row=_row_number(grid, header_index),
                        table=table.code,
                        column=text,
                        value=text,
                        params=(("first", _letters(first + 1)), ("second", _letters(index + 1)), ("kept_as", kept_as)),
                    )
                )
                text = kept_as
            names.append(text)
            taken.add(text)
        else:
            names.append("")
    title_rows = sum(1 for row in grid[:header_index] if any(not is_blank(c) for c in row))
    if title_rows:
        workbook.problems.append(
            Problem(
                WARNING,
                "title_rows_skipped",
                sheet=sheet_name,
                row=_row_number(grid, header_index),
                table=table.code,
                params=(("count", title_rows), ("header_row", _row_number(grid, header_index))),
            )
        )
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
            raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=sheet_name, limit=limits.max_rows)
        number = _row_number(grid, index)
        broken = separator is not None and len(row) != expected_fields
        if index in getattr(grid, "broken_rows", ()):
            broken = True  # said once, when the text was read (an unclosed quote)
        elif broken:
            workbook.problems.append(
                Problem(
                    ERROR,
                    "csv_field_count",
                    sheet=sheet_name,
                    row=number,
                    table=table.code,
                    params=(
                        ("found", len(row)),
                        ("expected", expected_fields),
                        ("separator", "tab" if separator == "\t" else separator),
                    ),
                )
            )
        for name, cell in cells.items():
            if cell.__class__ is str and len(cell) > EXCEL_CELL_LIMIT:
                workbook.problems.append(
                    Problem(
                        WARNING,
                        "long_text",
                        sheet=sheet_name,
                        row=number,
                        table=table.code,
                        column=raw.header(name) if name in raw.headers else name,
                        value=cell,
                        params=(("length", len(cell)),),
                    )
                )
        raw.rows.append(RawRow(sheet_name, number, cells, broken))
    raw.add_columns([n for n in names if n])


def _column_letter(index: int) -> str:
    return f"colonne {_letters(index + 1)}"


def _help_headers() -> frozenset[str]:
    """The header of the template's help column beside the Centre sheet's values ("aide",
    "help"), in every language of the catalogue."""
    from valuechain.words import catalogue

    return frozenset(normalise_key(catalogue.text("template", "help_header.0", lang)) for lang in catalogue.languages())


def _add_centre_sheet(workbook: RawWorkbook, sheet_name: str, grid: Grid) -> None:
    help_columns: set[int] = set()
    for index, row in enumerate(grid):
        cells = [c for c in row]
        if not cells or is_blank(cells[0]):
            continue
        field_name = str(as_text(cells[0]))
        value = cells[1] if len(cells) > 1 and not is_blank(cells[1]) else None
        key = normalise_key(field_name)
        if key in ("champ", "field") and normalise_key(value) in ("valeur", "value"):
            # The optional header row; a column headed like the template's help is help, not a
            # second value (the blank template gave a warning per field).
            helps = _help_headers()
            help_columns = {number for number, cell in enumerate(cells) if number >= 2 and normalise_key(cell) in helps}
            continue
        number = _row_number(grid, index)
        extra = [
            str(as_text(c))
            for column, c in enumerate(cells)
            if column >= 2 and column not in help_columns and not is_blank(c)
        ]
        if extra:
            workbook.problems.append(
                Problem(
                    WARNING,
                    "centre_extra_cells",
                    sheet=sheet_name,
                    row=number,
                    table=CENTRE.code,
                    column=field_name,
                    params=(("extra", " | ".join(extra)[:200]),),
                )
            )
        code = match_centre_field(field_name) or field_name
        if code in workbook.centre_fields:
            first_row = workbook.centre_fields[code][2]
            workbook.problems.append(
                Problem(
                    WARNING,
                    "centre_field_twice",
                    sheet=sheet_name,
                    row=number,
                    table=CENTRE.code,
                    column=field_name,
                    value=field_name,
                    params=(("first_row", first_row), ("row", number)),
                )
            )
            continue
        workbook.centre_fields[code] = (value, sheet_name, number)

"""Spreadsheet files (.xlsx, .xlsm, .xls, .xlsb, .ods) → one grid per sheet.

They are read by python-calamine, the engine pandas uses for ``read_excel(engine="calamine")``;
we call it directly because we need every row with its own spreadsheet number (pandas drops
blank lines) and because it only reads the cells that hold something, whatever the sheet's
stored dimension claims. A sheet's rectangle is measured in the workbook's XML as it is
inflated (``SheetExtents``), before the spreadsheet reader allocates it: a sheet too large is
refused, and one whose far-away cell stands among few filled cells is read cell by cell.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from operator import itemgetter
from typing import Iterator

import python_calamine

from valuechain.errors import UnreadableWorkbook
from valuechain.model import WARNING, Problem
from valuechain.reading.archives import check_workbook_container
from valuechain.reading.inputs import HEADER_SEARCH_ROWS, ZIP_MAGIC, Grid, InputFile, ReadLimits
from valuechain.vocabulary import is_skipped_sheet


def workbook_grids(file: InputFile, limits: ReadLimits) -> Iterator[tuple[str, Grid, bool]]:
    """(sheet name, rows of cells, False: not from a CSV file) for each sheet of a workbook."""
    sparse: dict[str, tuple[str, str]] = {}
    grid: Grid
    if file.data.startswith(ZIP_MAGIC):
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
    _REFERENCE_FIRST = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
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
                f"{column_letters(max(numbers))}{max(rows)}",
            )

    def _extend(self, text: bytes, rows: list[int], columns: set[bytes], cells: int) -> None:
        # One pass of the plain pattern when every cell starts with its reference, as Excel,
        # LibreOffice and openpyxl write them (two passes, rows then columns, took a fifth more).
        references: list[tuple[bytes, bytes]] = self._REFERENCE_FIRST.findall(text)
        if len(references) != cells:
            references = self._CELL_REF.findall(text)
        if references:
            # Each row's number once (a set made in C), then as a number.
            row_numbers = list(map(int, set(map(itemgetter(1), references))))
            rows.append(min(row_numbers))
            rows.append(max(row_numbers))
            columns.update(map(itemgetter(0), references))

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
                        self.rectangles[sheet] = (last_row, last_col, f"{column_letters(last_col)}{last_row}")
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


def column_letters(number: int) -> str:
    """A column's letters as a spreadsheet shows them, from its number counted from 1.

    >>> column_letters(1), column_letters(28), column_letters(16384)
    ('A', 'AB', 'XFD')
    """
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
        if row.count("") != len(row):  # a cell that is not blank (counted in C: 200,000 rows)
            filled += 1
            if filled > limits.max_rows + HEADER_SEARCH_ROWS:
                raise UnreadableWorkbook("too_many_rows", name=file_name, sheet=sheet_name, limit=limits.max_rows)
    return rows

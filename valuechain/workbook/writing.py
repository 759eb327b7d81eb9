"""Write a centre's workbook back to ``.xlsx`` with openpyxl: everything the user typed,
extra columns and rows in error included (highlighted, with the problem as a cell comment).

Text is always written as text: a name beginning with ``=``, ``+``, ``-`` or ``@`` is never a
formula in the file we hand back, and text longer than Excel can hold is shortened, saying so.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from valuechain.cells import EXCEL_CELL_LIMIT
from valuechain.model import Problem, RawRow, RawTable, RawWorkbook
from valuechain.vocabulary import CENTRE, CENTRE_FIELDS, RECORD_TABLES, TABLES_BY_CODE
from valuechain.words.language import language
from valuechain.words.messages import say

HEADER_FONT = Font(bold=True)
EXCEL_MAX_COLUMNS = 16_384
ERROR_FILL = PatternFill("solid", start_color="FFF4C7C3")
SHORTENED_SUFFIX = "…"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# Control characters a workbook cannot hold (openpyxl refuses them): each is written as its
# visible Unicode "control picture" (\x07 → ␇), so the name stays whole and readable.
_CONTROL_PICTURES = {code: 0x2400 + code for code in (*range(0, 9), 11, 12, *range(14, 32))}


def visible_controls(text: str) -> str:
    """``text`` with each control character that XML cannot hold as its visible picture."""
    return text.translate(_CONTROL_PICTURES)


def set_text_safe(cell: Cell, value: object) -> list[str]:
    """Write ``value`` into ``cell``; strings stay strings. Returns notes on what was changed."""
    notes: list[str] = []
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            notes.append("control characters shown as symbols")
            value = visible_controls(value)
        if len(value) > EXCEL_CELL_LIMIT:
            notes.append(f"shortened from {len(value)} characters")
            value = value[: EXCEL_CELL_LIMIT - len(SHORTENED_SUFFIX)] + SHORTENED_SUFFIX
        cell.value = value
        # openpyxl takes a string starting with "=" for a formula: force the text type.
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return notes


def cell_for(sheet, value: object, font: Font | None = None, number_format: str | None = None) -> Cell | None:
    """A cell to ``append`` to ``sheet`` (a worksheet, or one of a write-only workbook), text
    as text (``set_text_safe``); ``number_format`` applies to a number. None for a blank cell
    without a font: nothing is written there."""
    if value is None and font is None:
        return None
    cell = WriteOnlyCell(sheet)
    set_text_safe(cell, value)
    if font is not None:
        cell.font = font
    if number_format and isinstance(value, (int, float)):
        cell.number_format = number_format
    return cell


def write_header(sheet: Worksheet, headers: list[str], widths: Iterable[int] | None = None) -> None:
    """The first row of a new sheet, in bold and frozen. Widths are set first: a sheet of a
    write-only workbook writes its columns before its first row."""
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [18] * len(headers), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([cell_for(sheet, header, font=HEADER_FONT) for header in headers])


def write_table(
    sheet: Worksheet,
    headers: list[str],
    rows: Iterable[Iterable[object]],
    widths: list[int] | None = None,
    formats: dict[int, str] | None = None,
) -> None:
    """A header row, then the rows, text as text, appended to a new sheet; ``formats`` gives a
    number format by column (1-based) to the numbers of that column."""
    write_header(sheet, headers, widths or [max(14, len(h) + 4) for h in headers])
    formats = formats or {}
    for row in rows:
        sheet.append([cell_for(sheet, value, number_format=formats.get(c)) for c, value in enumerate(row, start=1)])


def _problems_by_row(problems: Iterable[Problem]) -> dict[tuple[str | None, int | None], list[Problem]]:
    found: dict[tuple[str | None, int | None], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row is not None:
            found[(problem.sheet, problem.row)].append(problem)
    return found


def write_raw_workbook(
    raw: RawWorkbook, lang: str = "fr", problems: Iterable[Problem] = (), write_only: bool = False
) -> Workbook:
    """The workbook as typed: one sheet per table, in the user's language. ``write_only``
    makes a workbook whose sheets can only be appended to, and saved once (openpyxl's mode that
    keeps no cell in memory: the results workbook of 20,000 flows)."""
    lang = language(lang).code
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    by_row = _problems_by_row(problems)
    shortened: list[str] = []
    _write_centre(book, raw, lang)
    for spec in RECORD_TABLES:
        table = raw.tables.get(spec.code)
        if table is None:
            continue
        _write_table(book.create_sheet(spec.sheet_name(lang)), table, lang, by_row, shortened)
    if shortened:
        sheet = book.create_sheet(say("export_word", "shortened_sheet", lang))
        write_header(sheet, [say("export_word", "cell", lang), "note"], [30, 60])
        for note in shortened:
            location, text = note.split("|", 1)
            sheet.append([cell_for(sheet, location), cell_for(sheet, text)])
    return book


def _write_centre(book: Workbook, raw: RawWorkbook, lang: str) -> None:
    if not raw.centre_fields:
        return
    sheet = book.create_sheet(CENTRE.sheet_name(lang))
    write_header(sheet, [CENTRE.column("field").header(lang), CENTRE.column("value").header(lang)], [28, 40])
    known = {c.code: c for c in CENTRE_FIELDS}
    for code, (value, _sheet, _row) in raw.centre_fields.items():
        sheet.append([cell_for(sheet, known[code].header(lang) if code in known else code), cell_for(sheet, value)])


def _write_table(
    sheet: Worksheet,
    table: RawTable,
    lang: str,
    by_row: dict[tuple[str | None, int | None], list[Problem]],
    shortened: list[str],
) -> None:
    spec = TABLES_BY_CODE[table.code]
    known = [c.code for c in spec.columns]
    columns = known + table.extra_columns
    # Excel opens no sheet wider than 16,384 columns: the extra columns past the last one
    # are gathered, "name = value" each, into that last column, so nothing is dropped.
    gathered = columns[EXCEL_MAX_COLUMNS - 1 :] if len(columns) > EXCEL_MAX_COLUMNS else []
    if gathered:
        columns = columns[: EXCEL_MAX_COLUMNS - 1]
        shortened.append(
            f"{sheet.title}!{get_column_letter(EXCEL_MAX_COLUMNS)}1|"
            + say("export_word", "columns_gathered", lang, count=len(gathered))
        )
    headers = [spec.column(c).header(lang) if c in known else c for c in columns]
    if gathered:
        headers.append(say("export_word", "other_columns", lang, count=len(gathered)))
    write_header(sheet, headers)
    for index, row in enumerate(table.rows, start=2):
        cells = _row_cells(sheet, index, row, columns, by_row.get((row.sheet, row.row), []), lang, shortened)
        if gathered:
            rest = " | ".join(
                f"{name} = {row.cells[name]}" for name in gathered if row.cells.get(name) not in (None, "")
            )
            cell = WriteOnlyCell(sheet)
            for note in set_text_safe(cell, rest):
                shortened.append(f"{sheet.title}!{get_column_letter(EXCEL_MAX_COLUMNS)}{index}|{note}")
            cells.append(cell)
        sheet.append(cells)


def _row_cells(
    sheet: Worksheet,
    index: int,
    row: RawRow,
    columns: list[str],
    problems: list[Problem],
    lang: str,
    shortened: list[str],
) -> list[Cell | None]:
    """The cells of row ``index`` (rows are appended in order): a blank cell is not written,
    but a row in error is highlighted whole."""
    errors = [p for p in problems if p.is_error]
    cells: list[Cell | None] = []
    for position, column in enumerate(columns, start=1):
        value = row.cells.get(column)
        if value is None and not errors:
            cells.append(None)
            continue
        cell = WriteOnlyCell(sheet)
        for note in set_text_safe(cell, value):
            shortened.append(f"{sheet.title}!{get_column_letter(position)}{index}|{note}")
        if errors:
            cell.fill = ERROR_FILL
        cells.append(cell)
    if errors and cells:
        # The problem travels with the row, as a comment: adding a column would change the data.
        first = cells[0]
        first.comment = Comment("\n".join(p.message(lang) for p in errors), "valuechain")  # type: ignore[union-attr]
    return cells


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raw_workbook_from_records(
    name: str, centre: dict[str, object] | None = None, **tables: list[dict[str, object]]
) -> RawWorkbook:
    """Build a workbook as typed from plain records keyed by column code (samples, tests).

    Row numbers are those the rows would have in a sheet with its header on row 1.
    """
    raw = RawWorkbook(name=name)
    for row_number, (code, value) in enumerate((centre or {}).items(), start=2):
        raw.centre_fields[code] = (value, CENTRE.sheet_name("fr"), row_number)
    for code, records in tables.items():
        spec = TABLES_BY_CODE[code]
        table = raw.table(code)
        known = [c.code for c in spec.columns]
        table.add_columns(known)
        for row_number, record in enumerate(records, start=2):
            cells = {k: v for k, v in record.items() if v is not None and v != ""}
            table.add_columns(list(cells))
            table.rows.append(RawRow(spec.sheet_name("fr"), row_number, cells))
    return raw

"""A grid of cells → the workbook's raw tables: which table a sheet holds (by its name or its
header row), the header row matched to the vocabulary's columns, the records under it, and
the Centre sheet's fields; every surprise said as a located problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from valuechain.cells import EXCEL_CELL_LIMIT, as_text, is_blank
from valuechain.errors import UnreadableWorkbook
from valuechain.model import ERROR, WARNING, Problem, RawRow, RawWorkbook
from valuechain.reading.inputs import HEADER_SEARCH_ROWS, Grid, InputFile, ReadLimits
from valuechain.reading.sheets import column_letters
from valuechain.vocabulary import (
    CENTRE,
    FLOWS,
    RECORD_TABLES,
    TABLES,
    Table,
    match_centre_field,
    normalise_key,
    result_sheet_names,
    table_for_sheet_name,
)
from valuechain.words.messages import in_every_language

# Sheets a workbook may hold for people, not for the program (the template's own).
_PEOPLE_SHEETS = {"instructions", "lisez moi", "lisezmoi", "read me", "readme", "aide", "help", "notice"}

_RESULT_SHEETS = {normalise_key(name) for name in result_sheet_names()}


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


def add_sheet(
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
                kept_as = f"{text} ({column_letters(index + 1)})"
                workbook.problems.append(
                    Problem(
                        WARNING,
                        "duplicate_column",
                        sheet=sheet_name,
                        row=_row_number(grid, header_index),
                        table=table.code,
                        column=text,
                        value=text,
                        params=(
                            ("first", column_letters(first + 1)),
                            ("second", column_letters(index + 1)),
                            ("kept_as", kept_as),
                        ),
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
    line_numbers = getattr(grid, "line_numbers", None)
    broken_rows = getattr(grid, "broken_rows", ())
    expected_fields = len(header_row)
    count = 0
    every_column_named = all(names)
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        cells: dict[str, object] = {}
        long_text = False
        if not (every_column_named and len(row) <= len(names)):
            # A cell under no header (a blank header, or past the header's end): its column is
            # named by its letter, once a cell of it holds something.
            _name_columns(row, names)
            every_column_named = all(names)
        # The hot loop of a read: cells read in pairs with their columns' names, plain type
        # checks rather than is_blank() for each cell.
        for name, cell in zip(names, row):
            if cell.__class__ is str:
                cell = cell.strip()
                if not cell:
                    continue
                if len(cell) > EXCEL_CELL_LIMIT:
                    long_text = True
            elif cell is None or (cell.__class__ is float and cell != cell) or cell == "":
                continue
            cells[name] = cell
        if not cells:
            continue
        count += 1
        if count > limits.max_rows:
            raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=sheet_name, limit=limits.max_rows)
        number = line_numbers[index] if line_numbers else index + 1  # as _row_number says it
        broken = separator is not None and len(row) != expected_fields
        if index in broken_rows:
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
        for name, cell in cells.items() if long_text else ():
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


def _name_columns(row: Sequence[object], names: list[str]) -> None:
    """Name by its letter each column of ``row`` that holds something under no name yet."""
    for position, cell in enumerate(row):
        if is_blank(cell) or (position < len(names) and names[position]):
            continue
        names.extend([""] * (position + 1 - len(names)))
        names[position] = _column_letter(position)


def _column_letter(index: int) -> str:
    return f"colonne {column_letters(index + 1)}"


def _help_headers() -> frozenset[str]:
    """The header of the template's help column beside the Centre sheet's values ("aide",
    "help"), in every language of the catalogue."""
    return frozenset(normalise_key(header) for header in in_every_language("template", "help_header.0"))


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

"""Files → the tables as typed (``RawWorkbook``), with located reading problems.

Each file gives its sheets as grids, told apart by extension and first bytes: workbooks through
``sheets``, text through ``csv_files``. A Kumu map's sheets are read as Kumu reads them
(``kumu``); every other grid goes to the table it holds (``grids``). Several CSV files make one
centre's workbook together, within the limits of one upload (``inputs.ReadLimits``).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from valuechain.errors import UnreadableWorkbook
from valuechain.model import RawWorkbook
from valuechain.reading.csv_files import csv_grid
from valuechain.reading.grids import add_sheet
from valuechain.reading.inputs import (
    ENCRYPTION_STREAM,
    OLE_MAGIC,
    TEXT_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
    ZIP_MAGIC,
    Grid,
    InputFile,
    ReadLimits,
)
from valuechain.reading.kumu import kumu_sheets, read_kumu
from valuechain.reading.sheets import workbook_grids
from valuechain.vocabulary import CENTRE, FLOWS, TABLES, normalise_key


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
    held: dict[str, set[str]] = {}  # a file's name → the tables its sheets hold
    for sheet_name, grid, from_csv, file in every:
        before = _sizes(workbook)
        problems_before = len(workbook.problems)
        if not add_sheet(workbook, sheet_name, grid, file, from_csv, limits):
            if from_csv:
                unrecognised.append(file.name)
        grown = {code for code, size in _sizes(workbook).items() if size != before.get(code)}
        held.setdefault(file.name, set()).update(grown)
        if len(files) > 1 and not from_csv:
            # Several files: a spreadsheet's sheet is named with its file ("b.xlsx › Flux"),
            # so that every problem says which file it is in (a CSV file's sheet is its name).
            _name_with_file(workbook, sheet_name, f"{file.name} › {sheet_name}", problems_before)
        # The limit is on each table as built, not on each sheet: several files, each under it,
        # may not pass it together.
        if any(len(table.rows) > limits.max_rows for table in workbook.tables.values()):
            raise UnreadableWorkbook("too_many_rows_together", name=file.name, limit=limits.max_rows)
    if len(files) > 1:
        _one_workbook(files, held)
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


def _sizes(workbook: RawWorkbook) -> dict[str, int]:
    """How much each table holds: its rows, and the Centre sheet's fields (as "centre")."""
    sizes = {code: len(table.rows) for code, table in workbook.tables.items()}
    sizes[CENTRE.code] = len(workbook.centre_fields)
    return sizes


def _name_with_file(workbook: RawWorkbook, sheet: str, named: str, problems_from: int) -> None:
    """The rows, fields and problems just read from ``sheet`` carry ``named`` as their sheet."""
    for table in workbook.tables.values():
        for row in table.rows:
            if row.sheet == sheet:
                row.sheet = named
    for code, (value, field_sheet, number) in list(workbook.centre_fields.items()):
        if field_sheet == sheet:
            workbook.centre_fields[code] = (value, named, number)
    workbook.problems[problems_from:] = [
        replace(p, sheet=named) if p.sheet == sheet else p for p in workbook.problems[problems_from:]
    ]


def _one_workbook(files: Sequence[InputFile], held: dict[str, set[str]]) -> None:
    """Several files make one workbook only as its parts (one CSV file per table, or sheets
    split between files): two files that are each a whole workbook (a Centre sheet, or a
    spreadsheet holding two tables or more), or two spreadsheets holding the same table, are
    two workbooks, refused with both names, never merged into a centre that neither is."""
    spreadsheets = {f.name for f in files if Path(f.name).suffix.lower() not in TEXT_EXTENSIONS}
    whole = [
        f.name
        for f in files
        if CENTRE.code in held.get(f.name, ()) or (f.name in spreadsheets and len(held.get(f.name, ())) >= 2)
    ]
    if len(whole) >= 2:
        raise UnreadableWorkbook("two_workbooks", name=whole[0], other=whole[1])
    seen: dict[str, str] = {}
    for file in files:
        if file.name not in spreadsheets:
            continue
        for code in sorted(held.get(file.name, ())):
            if code in seen and seen[code] != file.name:
                raise UnreadableWorkbook("two_workbooks", name=seen[code], other=file.name)
            seen.setdefault(code, file.name)


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


def _grids(file: InputFile, limits: ReadLimits) -> Iterator[tuple[str, Grid, bool]]:
    """(sheet name, rows of cells, from a CSV file) for each sheet the file holds."""
    extension = Path(file.name).suffix.lower()
    head = file.data[:8]
    if head.startswith(OLE_MAGIC) and ENCRYPTION_STREAM in file.data[:200_000]:
        raise UnreadableWorkbook("password_protected", name=file.name)
    looks_binary = head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)
    if extension in WORKBOOK_EXTENSIONS or looks_binary:
        yield from workbook_grids(file, limits)
    elif extension in TEXT_EXTENSIONS or not extension:
        yield Path(file.name).name, csv_grid(file, limits), True
    else:
        # An unknown extension: it may still be a CSV saved as .dat or similar.
        try:
            yield Path(file.name).name, csv_grid(file, limits), True
        except UnreadableWorkbook:
            raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None

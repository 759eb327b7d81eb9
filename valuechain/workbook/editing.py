"""Editing the workbook as typed: tables to edit, edits back into a new ``RawWorkbook``.

The editor works on text as the user typed it, so a fixed row reads exactly like a row typed
in Excel; validation then runs again and every figure follows. Rows in error are in the
tables with their problem beside them, so they can be fixed where they are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from valuechain.cells import as_text, parse_yes_no
from valuechain.model import Problem, RawRow, RawTable, RawWorkbook, row_from_list, row_to_list
from valuechain.vocabulary import (
    ACTIVITY_TYPES,
    CATEGORIES,
    CENTRE,
    CENTRE_FIELDS,
    DOMAINS,
    EVIDENCE,
    FUNCTIONS,
    NATURES,
    TABLES_BY_CODE,
)
from valuechain.words.language import language
from valuechain.words.messages import say, say_list

ROW = "_row"
SHEET = "_sheet"

# The columns the editor offers as a list, and how each choice is named for the user.
SELECTS = {
    "actors": ("category", "local"),
    "activities": ("type", "function"),
    "flows": ("nature", "tangible"),
    "indicators": ("domain",),
    "outcomes": ("domain", "evidence"),
}
_CHOICES = {
    "category": (CATEGORIES, lambda term, lang: term.short(lang)),
    "nature": (NATURES, lambda term, lang: term.short(lang)),
    "type": (ACTIVITY_TYPES, lambda term, lang: term.short(lang).lower()),
    "function": (FUNCTIONS, lambda term, lang: term.label(lang).lower()),
    "domain": (DOMAINS, lambda term, lang: term.short(lang)),
    "evidence": (EVIDENCE, lambda term, lang: term.label(lang)),
}


def select_options(column: str, lang: str) -> list[str]:
    """The choices of a list column, in the user's words ("Monétaire", "oui")."""
    lang = language(lang).code
    if column in ("local", "tangible"):
        return say_list("yes_no", "words", lang)
    vocabulary, name = _CHOICES[column]
    return [name(term, lang) for term in vocabulary.terms]


def editor_options(column: str, lang: str, shown: pd.Series) -> list[str]:
    """What a list column of the editor offers: its choices (``select_options``), then the
    other values the table ``shown`` holds as typed, so that a cell typed otherwise stays as it is."""
    options = select_options(column, lang)
    return options + [v for v in shown.dropna().unique() if v and v not in options]


def _choice_shown(column: str, value: object, lang: str) -> object:
    """A list column's value as its choice is named (``monetaire`` typed → "Monétaire"); a
    value the vocabulary does not know stays as typed, to be fixed."""
    if column in ("local", "tangible"):
        answer, understood = parse_yes_no(value)
        return say_list("yes_no", "words", lang)[0 if answer else 1] if understood and answer is not None else value
    vocabulary, name = _CHOICES[column]
    code = vocabulary.match(value)
    return name(vocabulary.term(code), lang) if code else value


def _shown_cell(table: str, column: str, value: object, lang: str, decimal: str | None = None) -> str | None:
    """A cell as the editor shows it: a list column's choice by its name, any value as the
    user writes it. An unchanged cell is recognised by comparing with this. (``decimal``: the
    language's decimal sign, when the caller has it already.)"""
    if column in SELECTS.get(table, ()) and value is not None:
        value = _choice_shown(column, value, lang)
    return _shown_value(value, lang, decimal)


def column_label(table: str, column: str, lang: str) -> str:
    """A column as the editor names it, in the user's words ("Quantité", not ``quantite``)."""
    return say("column", f"{table}.{column}", lang)


def _headers(table: RawTable, lang: str) -> tuple[list[str], list[str]]:
    spec = TABLES_BY_CODE[table.code]
    known = [c.code for c in spec.columns]
    codes = known + table.extra_columns
    return codes, [column_label(table.code, c, lang) if c in known else c for c in codes]


def editable_frame(raw: RawWorkbook, code: str, lang: str, problems: Sequence[Problem] = ()) -> pd.DataFrame:
    """One table as text, one row per row typed, with its problems in the first column."""
    lang = language(lang).code
    table = raw.tables.get(code) or RawTable(code, columns=[c.code for c in TABLES_BY_CODE[code].columns])
    codes, headers = _headers(table, lang)
    rows = table.rows
    decimal = language(lang).decimal  # once, not once a number (a third of the frame's time)
    status = say("editing", "status", lang)
    data: dict[str, list] = {
        status: _statuses(rows, code, lang, problems),
        ROW: [row.row for row in rows],
        SHEET: [row.sheet for row in rows],
    }
    for column, header in zip(codes, headers):
        # Column by column, each distinct value written once: a table of 20,000 flows holds a
        # few natures, units and names many times over. (By type too: 1, 1.0 and True differ.)
        shown: dict[tuple[type, object], str | None] = {}
        cells = []
        for row in rows:
            value = row.cells.get(column)
            try:
                cells.append(shown[value.__class__, value])
            except KeyError:
                cells.append(
                    shown.setdefault((value.__class__, value), _shown_cell(code, column, value, lang, decimal))
                )
            except TypeError:  # a value that cannot be a key (none that a reader makes)
                cells.append(_shown_cell(code, column, value, lang, decimal))
        data[header] = cells
    return pd.DataFrame(data, columns=[status, ROW, SHEET, *headers], dtype=object)


def _statuses(rows: Sequence[RawRow], code: str, lang: str, problems: Sequence[Problem]) -> list[str]:
    """The first column of a table as the editor shows it: each row's problems, one a line."""
    messages: dict[tuple[str | None, int], list[str]] = {}
    for problem in problems:
        if problem.table == code and problem.row is not None:
            messages.setdefault((problem.sheet, problem.row), []).append(
                # Words, not "⛔"/"⚠️": an empty box where no emoji font is installed (issue 34.12).
                say(
                    "editing",
                    "status_error" if problem.is_error else "status_warning",
                    lang,
                    message=problem.message(lang),
                )
            )
    if not messages:
        return [""] * len(rows)
    found = messages.get  # most rows have none: nothing to join for them
    return ["\n".join(said) if (said := found((row.sheet, row.row))) else "" for row in rows]


# Past this many rows changed, a table is written again whole rather than from the one before.
_FEW_ROWS_CHANGED = 200


def edited_frame(
    previous: pd.DataFrame,
    before: RawWorkbook,
    raw: RawWorkbook,
    code: str,
    lang: str,
    problems: Sequence[Problem] = (),
) -> pd.DataFrame:
    """``editable_frame(raw, code, lang, problems)``, made from ``previous``, the frame of
    ``before``, when the table holds the same rows in the same places but a few (an edit of a
    cell): only those rows are written again, and the problems' column (20,000 rows took a
    tenth of a second to write again at each edit). Otherwise written whole."""
    lang = language(lang).code
    old, new = _old_table(before, code), _old_table(raw, code)
    codes, headers = _headers(new, lang)
    status = say("editing", "status", lang)
    if (
        len(old.rows) != len(new.rows)
        or len(previous) != len(new.rows)
        or list(previous.columns) != [status, ROW, SHEET, *headers]
        or old.columns != new.columns
    ):
        return editable_frame(raw, code, lang, problems)
    changed = [position for position, (a, b) in enumerate(zip(old.rows, new.rows)) if a is not b]
    if len(changed) > _FEW_ROWS_CHANGED:
        return editable_frame(raw, code, lang, problems)
    frame = previous.copy()
    frame[status] = pd.Series(_statuses(new.rows, code, lang, problems), index=frame.index, dtype=object)
    decimal = language(lang).decimal
    for position in changed:
        row = new.rows[position]
        frame.iat[position, 1], frame.iat[position, 2] = row.row, row.sheet
        for offset, column in enumerate(codes, start=3):
            frame.iat[position, offset] = _shown_cell(code, column, row.cells.get(column), lang, decimal)
    return frame


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _with_table(raw: RawWorkbook, code: str, table: RawTable) -> RawWorkbook:
    """A new workbook that is ``raw`` with table ``code`` replaced. The other tables are shared
    with ``raw``, not copied (copying 20,000 rows took a quarter of a second an edit): nothing
    changes a table in place but ``apply_changes``, on a workbook of its own."""
    return RawWorkbook(
        raw.name,
        {**raw.tables, code: table},
        dict(raw.centre_fields),
        # Problems found while reading (a broken CSV line…) belong to the rows as they were.
        [p for p in raw.problems if p.table != code],
    )


class _Rows:
    """Turns the editor's records (header → value) back into rows of table ``code``. Unchanged
    cells keep their original type (a number stays a number); new rows get the next row numbers."""

    def __init__(self, old_table: RawTable, lang: str) -> None:
        self.code, self.lang = old_table.code, lang
        self.codes, self.headers = _headers(old_table, lang)
        self.old_rows: dict[tuple[object, object], RawRow] = {(r.sheet, r.row): r for r in old_table.rows}
        self.default_sheet = old_table.rows[0].sheet if old_table.rows else TABLES_BY_CODE[self.code].sheet_name(lang)
        self.next_row = max([r.row for r in old_table.rows] + [1]) + 1

    def row(self, record: dict) -> RawRow | None:
        """The row a record holds; None for a row emptied in the editor (a row deleted)."""
        cells = {}
        for column, header in zip(self.codes, self.headers):
            value = record.get(header)
            if not _blank(value):
                cells[column] = value.strip() if isinstance(value, str) else value
        if not cells:
            return None
        key = (record.get(SHEET), record.get(ROW))
        original = self.old_rows.get(key) if not _blank(key[1]) else None
        if original is not None:
            for column, value in list(cells.items()):
                if _shown_cell(self.code, column, original.cells.get(column), self.lang) == (as_text(value) or ""):
                    cells[column] = original.cells[column]
            return RawRow(original.sheet, original.row, cells, broken=False)
        self.next_row += 1
        return RawRow(self.default_sheet, self.next_row - 1, cells)


def _old_table(raw: RawWorkbook, code: str) -> RawTable:
    return raw.tables.get(code) or RawTable(code, columns=[c.code for c in TABLES_BY_CODE[code].columns])


def apply_table_edits(raw: RawWorkbook, code: str, frame: pd.DataFrame, lang: str) -> RawWorkbook:
    """A new workbook in which table ``code`` is what ``frame`` holds. Unchanged cells keep
    their original type (a number stays a number); new rows get the next row numbers."""
    lang = language(lang).code
    old_table = _old_table(raw, code)
    rows = _Rows(old_table, lang)
    table = RawTable(code, columns=list(old_table.columns) or rows.codes, headers=dict(old_table.headers))
    table.rows = [row for row in map(rows.row, frame.to_dict("records")) if row is not None]
    return _with_table(raw, code, table)


def apply_editor_changes(raw: RawWorkbook, code: str, frame: pd.DataFrame, changes: Mapping, lang: str) -> RawWorkbook:
    """``apply_table_edits`` of ``frame`` (the table as the editor showed it, from
    ``editable_frame``) with the changes the editor records: ``edited_rows`` (position → header
    → value), ``added_rows`` (header → value each) and ``deleted_rows`` (positions), as
    Streamlit's data editor keeps them. Only the rows changed are read again, rather than every
    row of the table."""
    lang = language(lang).code
    old_table = _old_table(raw, code)
    rows = _Rows(old_table, lang)
    edited = {int(position): values for position, values in (changes.get("edited_rows") or {}).items()}
    deleted = {int(position) for position in changes.get("deleted_rows") or ()}
    table = RawTable(code, columns=list(old_table.columns) or rows.codes, headers=dict(old_table.headers))
    # The frame shows the table's rows in order: position n of the editor is row n of the table.
    for position, original in enumerate(old_table.rows):
        if position in deleted:
            continue
        if position not in edited:
            # As apply_table_edits reads it back: a row shown in the editor is no longer broken.
            table.rows.append(original if not original.broken else RawRow(original.sheet, original.row, original.cells))
            continue
        row = rows.row({**frame.iloc[position].to_dict(), **edited[position]})
        if row is not None:
            table.rows.append(row)
    for added in changes.get("added_rows") or ():
        row = rows.row(dict(added))
        if row is not None:
            table.rows.append(row)
    return _with_table(raw, code, table)


def with_editor_changes(frame: pd.DataFrame, changes: Mapping) -> pd.DataFrame:
    """The table as the editor shows it after the changes it records (``edited_rows``,
    ``added_rows``, ``deleted_rows``, as in ``apply_editor_changes``)."""
    edited = frame.copy()
    for position, values in (changes.get("edited_rows") or {}).items():
        for header, value in values.items():
            edited.iat[int(position), edited.columns.get_loc(header)] = value
    edited = edited.drop(index=edited.index[[int(p) for p in changes.get("deleted_rows") or ()]])
    added = pd.DataFrame(list(changes.get("added_rows") or ()), columns=frame.columns, dtype=object)
    return pd.concat([edited, added], ignore_index=True) if len(added) else edited


def _field_label(code: str, lang: str) -> str:
    """A Centre field in the user's words ("Taux horaire du bénévolat (€/h)", not its column
    name ``taux_horaire_benevolat``)."""
    return say("centre_field", code, lang)


def _shown_value(value: object, lang: str, decimal: str | None = None) -> str | None:
    """A value as the user writes it: numbers in the language's way ("12,02"), never "None"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        decimal = decimal or language(lang).decimal
        if decimal != ".":
            return repr(value).replace(".", decimal)
    text = as_text(value)
    return "" if text is None else text


def centre_frame(raw: RawWorkbook, lang: str) -> pd.DataFrame:
    lang = language(lang).code
    field_header, value_header = CENTRE.column("field").header(lang), CENTRE.column("value").header(lang)
    rows = [
        {
            field_header: _field_label(c.code, lang),
            value_header: _shown_value(raw.centre_fields.get(c.code, (None,))[0], lang),
        }
        for c in CENTRE_FIELDS
    ]
    known = {c.code for c in CENTRE_FIELDS}
    rows += [{field_header: k, value_header: as_text(v[0])} for k, v in raw.centre_fields.items() if k not in known]
    return pd.DataFrame(rows, dtype=object)


def apply_centre_edits(raw: RawWorkbook, frame: pd.DataFrame, lang: str) -> RawWorkbook:
    lang = language(lang).code
    edited = RawWorkbook(raw.name, dict(raw.tables), {}, list(raw.problems))  # the tables are shared, not copied
    field_header, value_header = CENTRE.column("field").header(lang), CENTRE.column("value").header(lang)
    by_header = {c.header(lang): c.code for c in CENTRE_FIELDS} | {
        _field_label(c.code, lang): c.code for c in CENTRE_FIELDS
    }
    sheet = next((v[1] for v in raw.centre_fields.values()), CENTRE.sheet_name(lang))
    next_row = max([v[2] for v in raw.centre_fields.values()] + [1]) + 1
    fields = {}
    for record in frame.to_dict("records"):
        code = by_header.get(record[field_header], record[field_header])
        value = record.get(value_header)
        if _blank(value):
            continue
        old = raw.centre_fields.get(code)
        if old is not None and _shown_value(old[0], lang) == as_text(value):
            fields[code] = old
        else:
            fields[code] = (value, old[1] if old else sheet, old[2] if old else next_row)
            next_row += 0 if old else 1
    edited.centre_fields = fields
    return edited


def add_row(raw: RawWorkbook, code: str, cells: dict[str, object]) -> RawWorkbook:
    """A new workbook with one row added to table ``code`` (the quick-add forms)."""
    old = raw.tables.get(code)
    # Only the table that grows is copied (its list of rows; the rows themselves are shared).
    table = RawTable(code, list(old.columns), list(old.rows), dict(old.headers)) if old else RawTable(code)
    edited = RawWorkbook(raw.name, {**raw.tables, code: table}, dict(raw.centre_fields), list(raw.problems))
    apply_changes(edited, [new_row(raw, code, cells)])
    return edited


# Changes as a workshop's journal keeps them ------------------------------------------------------
# A change is JSON-ready data, small enough to keep one per edit: a row added (a quick add, an
# accepted proposal), a table as edited (only that table), or the Centre sheet as edited. The
# workbook of a workshop is its starting workbook with its journal's changes applied in order.


def changes_between(before: RawWorkbook, after: RawWorkbook) -> list[dict]:
    """The changes that turn ``before`` into ``after``: rows appended as rows added, any other
    edit of a table as that table, the Centre sheet when it changed."""
    changes: list[dict] = []
    if centre_dict(before) != centre_dict(after):
        changes.append({"op": "centre", "fields": centre_dict(after)})
    for code in [*before.tables, *(c for c in after.tables if c not in before.tables)]:
        old = before.tables[code].to_dict() if code in before.tables else {"columns": [], "headers": {}, "rows": []}
        new = after.tables[code].to_dict() if code in after.tables else {"columns": [], "headers": {}, "rows": []}
        if old == new:
            continue
        appended = len(new["rows"]) > len(old["rows"]) and new["rows"][: len(old["rows"])] == old["rows"]
        if appended and (old["columns"], old["headers"]) == (new["columns"], new["headers"]):
            changes += [{"op": "add_row", "table": code, "row": row} for row in new["rows"][len(old["rows"]) :]]
        else:
            removed = len(old["rows"]) - len(new["rows"])
            changes.append({"op": "table", "table": code, "data": new, "removed": max(removed, 0)})
    return changes


def centre_dict(raw: RawWorkbook) -> dict:
    return raw.centre_to_dict()


def apply_changes(raw: RawWorkbook, changes: Sequence[dict]) -> None:
    """Apply a journal's changes to ``raw``, in place."""
    for change in changes:
        if change["op"] == "add_row":
            table = raw.table(change["table"])
            if not table.columns:
                table.add_columns([c.code for c in TABLES_BY_CODE[change["table"]].columns])
            table.rows.append(row_from_list(change["row"]))
        elif change["op"] == "table":
            raw.tables[change["table"]] = RawTable.from_dict(change["table"], change["data"])
            # Problems found while reading belong to the rows as they were.
            raw.problems = [p for p in raw.problems if p.table != change["table"]]
        elif change["op"] == "centre":
            raw.centre_fields = {k: (v, sheet, row) for k, (v, sheet, row) in change["fields"].items()}
        else:
            raise ValueError(f"unknown change {change['op']!r}")


def new_rows(raw: RawWorkbook, additions: Sequence[tuple[str, dict[str, object]]]) -> list[dict]:
    """The changes that add rows, ``(table code, cells)`` each, after the last rows of ``raw``:
    rows added to one table take the next numbers in turn."""
    following: dict[str, int] = {}
    changes = []
    for code, cells in additions:
        table = raw.tables.get(code)
        rows = table.rows if table is not None else []
        if code not in following:
            following[code] = max([r.row for r in rows] + [1]) + 1
        sheet = rows[0].sheet if rows else TABLES_BY_CODE[code].sheet_name("fr")
        changes.append(
            {
                "op": "add_row",
                "table": code,
                "row": row_to_list(RawRow(sheet, following[code], {k: v for k, v in cells.items() if not _blank(v)})),
            }
        )
        following[code] += 1
    return changes


def new_row(raw: RawWorkbook, code: str, cells: dict[str, object]) -> dict:
    """The change that adds one row to table ``code`` of ``raw`` (after its last row)."""
    return new_rows(raw, [(code, cells)])[0]


# Edits kept as what they change ----------------------------------------------------------------
# A person's draft (valuechain.store.drafts) keeps its edits over the workbook its files read, not
# the whole edited workbook at every edit (3.5 MB of JSON at 20,000 flows): the tables changed,
# each as runs of the read rows kept as they are and the rows changed or added written out.


class EditsDoNotFit(ValueError):
    """Edits kept over a workbook that no longer reads as it did (its rows are not where they were)."""


def _same_row(kept: RawRow, row: RawRow) -> bool:
    """Whether ``row`` is ``kept`` exactly: the same cells of the same types (1, 1.0 and True differ)."""
    if kept is row:
        return True
    if (kept.sheet, kept.row, kept.broken) != (row.sheet, row.row, row.broken) or kept.cells.keys() != row.cells.keys():
        return False
    return all(type(value) is type(row.cells[k]) and value == row.cells[k] for k, value in kept.cells.items())


class _ReadRows:
    """Where a row of an edited table is among the rows read: the next one read, most often
    (the same object, found without looking); else found by its sheet and row number."""

    def __init__(self, rows: list[RawRow]) -> None:
        self.rows = rows
        self.where: dict[tuple[str, int], int] = {}  # made at the first row not where expected

    def find(self, row: RawRow, expected: int) -> int | None:
        if expected < len(self.rows) and self.rows[expected] is row:
            return expected
        if not self.where:
            for position, kept in enumerate(self.rows):
                self.where.setdefault((kept.sheet, kept.row), position)
        found = self.where.get((row.sheet, row.row))
        return found if found is not None and _same_row(self.rows[found], row) else None


def edits_over(base: RawWorkbook, edited: RawWorkbook) -> dict:
    """What turns ``base`` (the workbook as its files read) into ``edited``, as JSON-ready data
    that grows with the edits, not with the workbook: each table changed, its rows as runs of
    ``base``'s rows kept as they are (``{"same": [first, end, sheet, row]}``) and the rows
    changed or added written out; the Centre sheet and the reading's problems whole.
    ``with_edits(base, edits_over(base, edited))`` is ``edited``."""
    tables: dict[str, dict] = {}
    for code, table in edited.tables.items():
        old = base.tables.get(code)
        if table is old:
            continue
        old_rows = old.rows if old is not None else []
        read = _ReadRows(old_rows)
        parts: list = []
        following = 0
        for row in table.rows:
            position = read.find(row, following)
            if position is not None:
                following = position + 1
                last = parts[-1] if parts else None
                if isinstance(last, dict) and last["same"][1] == position:
                    last["same"][1] = position + 1
                else:
                    parts.append({"same": [position, position + 1, row.sheet, row.row]})
            else:
                parts.append(row_to_list(row))
        tables[code] = {
            "columns": list(table.columns),
            "headers": dict(table.headers),
            "rows": parts,
            "base_rows": len(old_rows),
        }
    return {
        "name": edited.name,
        "centre_fields": edited.centre_to_dict(),
        "tables": tables,
        "dropped": [code for code in base.tables if code not in edited.tables],
        "problems": RawWorkbook(edited.name, problems=edited.problems).to_dict()["problems"],
    }


def with_edits(base: RawWorkbook, edits: Mapping) -> RawWorkbook:
    """``base`` with ``edits`` (from ``edits_over``) made, as a new workbook (the tables not
    edited are shared with ``base``). Raises ``EditsDoNotFit`` when ``base``'s rows are not
    where the edits found them (its files read otherwise now)."""
    edited = RawWorkbook.from_dict(
        {"name": edits["name"], "centre_fields": edits["centre_fields"], "tables": {}, "problems": edits["problems"]}
    )
    tables = {code: table for code, table in base.tables.items() if code not in set(edits["dropped"])}
    for code, data in edits["tables"].items():
        old_rows = base.tables[code].rows if code in base.tables else []
        if data["base_rows"] != len(old_rows):
            raise EditsDoNotFit(code)
        rows: list[RawRow] = []
        for part in data["rows"]:
            if isinstance(part, dict):
                first, end, sheet, number = part["same"]
                if not 0 <= first < end <= len(old_rows) or (old_rows[first].sheet, old_rows[first].row) != (
                    sheet,
                    number,
                ):
                    raise EditsDoNotFit(code)
                rows.extend(old_rows[first:end])
            else:
                rows.append(row_from_list(part))
        tables[code] = RawTable(code, list(data["columns"]), rows, dict(data["headers"]))
    edited.tables = tables
    return edited

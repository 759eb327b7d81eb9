"""The shapes of the data: what was entered, what was understood, and what is wrong.

``RawWorkbook`` keeps what the user typed, cell by cell, with each row's sheet and row number:
it is what the editor shows and what an export writes back, so nothing typed is ever lost.
``CentreWorkbook`` is what validation understood of it: typed tables of the valid rows, the
centre, and every ``Problem`` with its location.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:  # pandas is imported where a table is made: the command line starts without it
    import pandas as pd

from valuechain.vocabulary import CENTRE_FIELDS, DEFAULT_DISCOUNT_RATE, DEFAULT_VOLUNTEER_HOURLY_RATE, TABLES_BY_CODE
from valuechain.words.language import language
from valuechain.words.messages import say, say_list

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as the user sees it: sheet, spreadsheet row (header = 1), column."""

    severity: str
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: tuple[tuple[str, object], ...] = ()
    table: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str) -> str:
        lang = language(lang).code
        params: dict[str, Any] = dict(self.params)
        for key in ("kind", "other"):
            if isinstance(params.get(key), str):
                with suppress(KeyError):  # a kind the catalogue names is said in words, another as it is
                    params[key] = say("kind", params[key], lang)
        if "read_fr" in params:  # the term a word was read as, in the reader's language
            params["read"] = params.get("read_" + lang) or params["read_fr"]
        if isinstance(params.get("choices"), (list, tuple)):
            params["choices"] = ", ".join(params["choices"])
        shown_value = self.value if self.value is None or len(self.value) <= 80 else self.value[:77] + "…"
        return say("problem", self.code, lang, value=shown_value, column=self.column, **params)

    def severity_label(self, lang: str) -> str:
        return say("severity", self.severity, lang)

    def located(self, lang: str) -> str:
        """The problem in one line, where it is then what it is: "Erreur · Flux · 12 · valeur ·
        abc — …" (what the problems' table says of it, each cell that says something)."""
        where = (self.severity_label(lang), self.sheet, self.row, self.column, self.value)
        return " · ".join(str(part) for part in where if part is not None and str(part)) + f" — {self.message(lang)}"

    def as_dict(self, lang: str) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
        }


@dataclass
class RawRow:
    """A row as typed. ``cells`` maps a known column's code, or an extra column's own header,
    to the cell's value; ``broken`` marks a CSV line that did not fit the separator."""

    sheet: str
    row: int
    cells: dict[str, object]
    broken: bool = False


@dataclass
class RawTable:
    code: str
    # The columns in the order found: known columns by code, extra columns by their header.
    columns: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    # Known column code → the header as the user wrote it, for messages ("Catégorie").
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def extra_columns(self) -> list[str]:
        known = {c.code for c in TABLES_BY_CODE[self.code].columns}
        return [c for c in self.columns if c not in known]

    def add_columns(self, columns: list[str]) -> None:
        for column in columns:
            if column not in self.columns:
                self.columns.append(column)

    def to_dict(self) -> dict:
        """The table as JSON-ready data (a stored version, a workshop's journal)."""
        return {
            "columns": list(self.columns),
            "headers": dict(self.headers),
            "rows": [row_to_list(r) for r in self.rows],
        }

    @classmethod
    def from_dict(cls, code: str, data: dict) -> RawTable:
        return cls(code, list(data["columns"]), [row_from_list(r) for r in data["rows"]], dict(data["headers"]))

    def header(self, code: str) -> str:
        """The header as the user wrote it; an extra column's code is its header already."""
        if code in self.headers:
            return self.headers[code]
        known = {c.code: c for c in TABLES_BY_CODE[self.code].columns}
        return known[code].fr if code in known else code


@dataclass
class RawWorkbook:
    """Everything typed in the workbook, before interpretation."""

    name: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    # The Centre sheet: field code (or extra field name) → (value, sheet, row).
    centre_fields: dict[str, tuple[object, str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def table(self, code: str) -> RawTable:
        if code not in self.tables:
            self.tables[code] = RawTable(code)
        return self.tables[code]

    def has_flows(self) -> bool:
        return "flows" in self.tables

    def to_dict(self) -> dict:
        """Everything typed, as JSON-ready data (kept with each stored version)."""
        return {
            "name": self.name,
            "centre_fields": self.centre_to_dict(),
            "tables": {code: t.to_dict() for code, t in self.tables.items()},
            "problems": [
                [p.severity, p.code, p.sheet, p.row, p.column, p.value, [list(x) for x in p.params], p.table]
                for p in self.problems
            ],
        }

    def centre_to_dict(self) -> dict:
        """The Centre sheet as JSON-ready data."""
        return {k: [_json_cell(v), sheet, row] for k, (v, sheet, row) in self.centre_fields.items()}

    @classmethod
    def from_dict(cls, data: dict) -> RawWorkbook:
        raw = cls(name=data["name"])
        raw.centre_fields = {k: (v, sheet, row) for k, (v, sheet, row) in data["centre_fields"].items()}
        for code, table in data["tables"].items():
            raw.tables[code] = RawTable.from_dict(code, table)
        raw.problems = [
            Problem(severity, code, sheet, row, column, value, tuple(tuple(x) for x in params), table)
            for severity, code, sheet, row, column, value, params, table in data["problems"]
        ]
        return raw


def row_to_list(row: RawRow) -> list:
    return [row.sheet, row.row, {k: _json_cell(v) for k, v in row.cells.items()}, row.broken]


def row_from_list(data: list) -> RawRow:
    sheet, number, cells, broken = data
    return RawRow(sheet, number, dict(cells), broken)


def _json_cell(value: object) -> object:
    """A cell as JSON holds it: dates as ISO text (they are read back as text, as typed)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass
class CentreInfo:
    name: str
    town: str | None = None
    department: str | None = None
    federation: str | None = None
    year: int | None = None
    type: str = "centre_social"
    volunteer_hourly_rate: float = DEFAULT_VOLUNTEER_HOURLY_RATE
    # The range of the rate for the figures' sensitivity; None: the rate × 0.75 and × 1.25.
    rate_low: float | None = None
    rate_high: float | None = None
    territory: str | None = None
    # How many people live in the territory the centre serves: figures per inhabitant.
    population: float | None = None
    # The rate at which the social value's later years are discounted (``social_value``).
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    extras: dict[str, object] = field(default_factory=dict)

    FIELDS = tuple(c.code for c in CENTRE_FIELDS)


# The typed records of valid rows, declared once: validation makes them, the typed tables'
# columns are their fields in this order, and the graph reads them.
class ActorRecord(TypedDict):
    id: str
    name: str
    category: str
    category_text: str | None  # the text typed, when it was not a known category
    town: str | None
    local: bool | None
    count: float | None
    description: str | None
    tags: tuple[str, ...]
    extras: dict[str, object]  # columns the format does not know, kept as typed
    sheet: str | None
    row: int | None
    inferred: bool  # created because a flow named it


class ActivityRecord(TypedDict):
    id: str
    name: str
    type: str
    function: str | None
    lead: str | None  # the id of the actor that runs it (set once every actor is known)
    domains: tuple[str, ...]
    description: str | None
    extras: dict[str, object]
    sheet: str | None
    row: int | None
    inferred: bool


class FlowRecord(TypedDict):
    source: str
    target: str
    nature: str
    nature_text: str | None
    quantity: float | None
    unit: str | None
    value_entered: float | None
    activity: str | None
    domains: tuple[str, ...]
    tangible: bool | None
    data_source: str | None
    year: int | None
    description: str | None
    extras: dict[str, object]
    sheet: str | None
    row: int | None


class IndicatorRecord(TypedDict):
    domain: str | None
    domain_text: str | None
    indicator: str
    value: float | None
    unit: str | None
    activity: str | None
    actor: str | None
    source: str | None
    comment: str | None
    extras: dict[str, object]
    sheet: str | None
    row: int | None


class OutcomeRecord(TypedDict):
    """An outcome of the Effets sheet (``docs/indicateurs.md``, social value): percentages as
    fractions from 0 to 1; ``proxy_value`` None when the outcome is listed, not valued."""

    stakeholder: str
    outcome: str
    activity: str | None
    domain: str | None
    indicator: str | None
    quantity: float | None
    proxy: str | None
    proxy_value: float | None
    proxy_source: str | None
    duration: int
    deadweight: float
    displacement: float
    attribution: float
    drop_off: float
    evidence: str
    comment: str | None
    extras: dict[str, object]
    sheet: str | None
    row: int | None


ACTOR_COLUMNS = list(ActorRecord.__annotations__)
ACTIVITY_COLUMNS = list(ActivityRecord.__annotations__)
FLOW_COLUMNS = list(FlowRecord.__annotations__)
INDICATOR_COLUMNS = list(IndicatorRecord.__annotations__)
OUTCOME_COLUMNS = list(OutcomeRecord.__annotations__)
TABLE_COLUMNS = {
    "actors": ACTOR_COLUMNS,
    "activities": ACTIVITY_COLUMNS,
    "flows": FLOW_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "outcomes": OUTCOME_COLUMNS,
}


def frame_of(records: Sequence[Mapping[str, object]], table: str) -> pd.DataFrame:
    # object dtype keeps None as None: pandas would otherwise infer string columns whose
    # missing values are NaN, and NaN is not a node of the graph (a NaN given is made None).
    # Built column by column: a third faster than from_records, then astype and where.
    import pandas as pd

    columns = TABLE_COLUMNS[table]
    data = {}
    for column in columns:
        values = [record.get(column) for record in records]
        if any(value.__class__ is float and value != value for value in values):
            values = [None if value.__class__ is float and value != value else value for value in values]
        data[column] = values
    return pd.DataFrame(data, columns=columns, dtype=object)


@dataclass
class CentreWorkbook:
    """A centre's workbook as understood: typed tables of the valid rows, and every problem.

    Actors and activities are identified by their ``id``; flows name their ``source`` and
    ``target`` by id. Rows in error are not in these tables but stay in ``raw``.
    """

    raw: RawWorkbook
    centre: CentreInfo
    centre_id: str
    # The valid rows of each table of ``TABLE_COLUMNS`` as records (the Effets sheet's may be
    # missing: the sheet is optional). The graph and the figures are made from these; the
    # typed tables (``actors``, ``flows``…) only when something asks for one, so that the
    # command line never loads pandas.
    records: Mapping[str, Sequence[Mapping[str, object]]]
    problems: list[Problem]
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    def rows_of(self, table: str) -> Sequence[Mapping[str, object]]:
        """The valid rows of ``table`` as records, in the order read."""
        return self.records.get(table, ())

    def table(self, table: str) -> pd.DataFrame:
        """The valid rows of ``table`` as a typed table (made once, on the first call)."""
        if table not in self._frames:
            self._frames[table] = frame_of(self.rows_of(table), table)
        return self._frames[table]

    @property
    def actors(self) -> pd.DataFrame:
        return self.table("actors")

    @property
    def activities(self) -> pd.DataFrame:
        return self.table("activities")

    @property
    def flows(self) -> pd.DataFrame:
        return self.table("flows")

    @property
    def indicators(self) -> pd.DataFrame:
        return self.table("indicators")

    @property
    def outcomes(self) -> pd.DataFrame:
        """The Effets sheet's valid rows (optional sheet: empty when the workbook has none)."""
        return self.table("outcomes")

    def __getstate__(self) -> dict[str, object]:
        # The typed tables are made again from the records: not kept twice in a pickle.
        return {**self.__dict__, "_frames": {}}

    @property
    def name(self) -> str:
        return self.centre.name

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def error_rows(self, table: str) -> set[tuple[str | None, int]]:
        """(sheet, row) of the rows of ``table`` left out because of an error."""
        return {(p.sheet, p.row) for p in self.problems if p.is_error and p.table == table and p.row is not None}

    def rows_in_error(self, table: str) -> list[int]:
        """The spreadsheet rows of ``table`` left out because of an error, in order."""
        return sorted({row for _, row in self.error_rows(table)})

    def with_rate(self, rate: float) -> CentreWorkbook:
        return replace(self, centre=replace(self.centre, volunteer_hourly_rate=rate))

    def listed_problems(self, errors_only: bool = False) -> list[Problem]:
        """Every problem, or the errors alone: the rows of ``problems_frame``, in its order."""
        return self.errors if errors_only else self.problems

    def problems_frame(self, lang: str, errors_only: bool = False) -> pd.DataFrame:
        import pandas as pd

        lang = language(lang).code
        headers = say_list("problems_table", "headers", lang)
        # A problem about the whole file has no sheet, row or column: blank, never "None".
        rows = [
            [
                p.severity_label(lang),
                p.sheet or "",
                "" if p.row is None else p.row,
                p.column or "",
                "" if p.value is None else p.value,
                p.message(lang),
            ]
            for p in self.listed_problems(errors_only)
        ]
        return pd.DataFrame(rows, columns=headers)

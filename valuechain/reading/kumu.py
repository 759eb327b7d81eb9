"""Kumu in: organisations that already map their partners in Kumu bring their map in. Kumu out
is ``media.kumu_workbook``: reading sits below the figures, and this module imports nothing that
computes them.

Every layout Kumu documents is read as Kumu reads it:
- an ``Elements`` sheet, or one sheet per element type (the sheet's name is then the type), and
  a ``Connections`` sheet; or the same as CSV files (``… - elements.csv``, ``… - connections.csv``);
- headers in any case (``Label``, ``label``); Kumu's own columns are taken by Kumu's names
  first (``ID``, ``Label``, ``Type``, ``Description``, ``Tags``; ``From``, ``To``, ``Type``,
  ``Direction``…). A column that merely shares a name with one of ours (``Source``, ``Nature``,
  ``Amount``…) is kept as an extra field: it never overwrites ``From`` or ``To``;
- elements with an ``ID``, and connections whose ``From``/``To`` hold those IDs;
- several elements in one ``From`` or ``To`` cell (``A|B|C``): one connection for each;
- ``Direction``: ``directed`` (default), ``mutual`` (both ways), ``undirected`` (read From → To,
  and said).

Kumu's element and connection types are free text: we map them to our categories and natures
by their names, say each guess once per type (not once per row), and keep the original type
(``Kumu type``) so that every export carries it and Kumu gets it back. The sheets of our own
format that a Kumu workbook of ours carries (Centre, Indicateurs, Effets) are read as usual.
"""

from __future__ import annotations

from collections import defaultdict

from valuechain.cells import as_text, is_blank
from valuechain.errors import UnreadableWorkbook
from valuechain.model import WARNING, Problem, RawRow, RawWorkbook
from valuechain.vocabulary import ACTIVITIES, ACTIVITY_TYPES, ACTORS, CATEGORIES, FLOWS, NATURES, TABLES, normalise_key
from valuechain.words.messages import in_every_language

# The column our export writes for the original Kumu type, and for our own category and nature
# (names no Kumu map uses, so that they are never taken for somebody's own field).
KUMU_TYPE = "Kumu type"
OUR_CATEGORY = "Category (valuechain)"
OUR_NATURE = "Nature (valuechain)"

# Kumu's element columns, and ours that our export adds, by their normalised header → our code.
ELEMENT_COLUMNS = {
    "id": "id",
    "label": "name",
    "type": "type",
    "description": "description",
    "tags": "tags",
    normalise_key(OUR_CATEGORY): "category",
    normalise_key(KUMU_TYPE): "kumu_type",
    "local": "local",
    "town": "town",
    "count": "count",
    "activity type": "activity_type",
    "function": "function",
    "lead": "lead",
    "domains": "domains",
}
# Kumu's connection columns, and ours that our export adds.
CONNECTION_COLUMNS = {
    "id": "id",
    "from": "source",
    "to": "target",
    "type": "type",
    "direction": "direction",
    normalise_key(OUR_NATURE): "nature",
    normalise_key(KUMU_TYPE): "kumu_type",
    "quantity": "quantity",
    "unit": "unit",
    "value": "value",
    "activity": "activity",
    "domains": "domains",
    "tangible": "tangible",
    "data source": "data_source",
    "year": "year",
    "description": "description",
}
# Kept as typed in our tables under Kumu's header (not ours: ``ID`` is Kumu's, ``Label`` too).
KUMU_ELEMENTS = ["ID", "Label", "Type", "Description", "Tags"]
KUMU_CONNECTIONS = ["ID", "From", "To", "Type", "Direction"]

# Kumu words → our category or "activity" (normalised keys; a match here is a guess).
ELEMENT_GUESSES = {
    "organization": "associations",
    "organisation": "associations",
    "ngo": "associations",
    "nonprofit": "associations",
    "person": "habitants",
    "personne": "habitants",
    "people": "habitants",
    "individual": "habitants",
    "company": "entreprises",
    "business": "entreprises",
    "societe": "entreprises",
    "government": "institutions",
    "public agency": "institutions",
    "collectivite": "institutions",
    "commune": "institutions",
    "funder": "financeurs",
    "foundation": "financeurs",
    "fondation": "financeurs",
    "donor": "financeurs",
    "volunteer": "benevoles",
    "farm": "producteurs",
    "ferme": "producteurs",
    "producer": "producteurs",
    "staff": "salaries",
    "employee": "salaries",
    "employee founder": "salaries",
    "founder": "salaries",
}
ACTIVITY_WORDS = {
    "activite",
    "activity",
    "project",
    "projet",
    "action",
    "programme",
    "program",
    "event",
    "evenement",
    "atelier",
    "workshop",
}
# The type our export gives activities ("Activité", "Activity"): ours, not a Kumu type to keep.
ACTIVITY_LABEL_KEYS = frozenset(normalise_key(label) for label in in_every_language("kumu", "activity_type"))
CONNECTION_GUESSES = {
    "funding": "monetaire",
    "financement": "monetaire",
    "money": "monetaire",
    "grant": "monetaire",
    "subvention": "monetaire",
    "don": "monetaire",
    "donation": "monetaire",
    "volunteering": "benevolat",
    "volunteer": "benevolat",
    "volunteer time": "benevolat",
    "knowledge": "competences",
    "training": "competences",
    "expertise": "competences",
    "communication": "information",
    "referral": "information",
    "orientation": "information",
    "trust": "reconnaissance",
    "partnership": "reconnaissance",
    "partenariat": "reconnaissance",
    "support": "reconnaissance",
    "soutien": "reconnaissance",
    "goods": "nature",
    "food": "nature",
    "in kind": "nature",
    "space": "lieu",
    "premises": "lieu",
    "room": "lieu",
    "venue": "lieu",
    "salle": "lieu",
}


def _stem_key(name: str) -> str:
    """A sheet's or a CSV file's name as compared: ``Carte - connections.csv`` → ``connections``."""
    key = normalise_key(name.rsplit(".", 1)[0] if name.lower().endswith((".csv", ".txt")) else name)
    return key.rsplit(" ", 1)[-1] if key.endswith((" elements", " connections")) else key


def is_connections_sheet(name: str) -> bool:
    return _stem_key(name) == "connections"


def kumu_sheets(sheets: list[tuple[str, list[list[object]]]]) -> tuple[str, list[str]] | None:
    """The Connections sheet and the element sheets of a Kumu workbook, or None when the file is
    not one: ``Elements``, or every other sheet with a ``Label`` column that is not a table of
    ours."""
    connections = next((name for name, _ in sheets if is_connections_sheet(name)), None)
    if connections is None:
        return None
    elements = []
    for name, grid in sheets:
        if name == connections:
            continue
        headers, _ = _records(grid)
        # Kumu's "Label" makes a sheet Kumu's, whatever its name ("Activity" is a type of
        # elements here, not our Activites table); the sheets of ours have no such column.
        if "label" in {normalise_key(h) for h in headers} or (
            _stem_key(name) == "elements" and not any(table.matches_name(name) for table in TABLES)
        ):
            elements.append(name)
    return connections, elements


def _records(grid: list[list[object]]) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    header_index = next((i for i, row in enumerate(grid) if any(not is_blank(c) for c in row)), None)
    if header_index is None:
        return [], []
    headers = [as_text(c) or "" for c in grid[header_index]]
    records = []
    for index in range(header_index + 1, len(grid)):
        cells = {h: c for h, c in zip(headers, grid[index]) if h and not is_blank(c)}
        if cells:
            records.append((index + 1, {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()}))
    return headers, records


def _split(headers: list[str], known: dict[str, str]) -> dict[str, str]:
    """Header as typed → our code, for the headers Kumu (or our export) names; others are extras."""
    return {h: known[normalise_key(h)] for h in headers if normalise_key(h) in known}


class _Guesses:
    """Each guessed type said once per sheet, on its first row, with how many rows it covers."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str, str], tuple[int, str, str, str]] = {}
        self.counts: dict[tuple[str, str, str], int] = defaultdict(int)

    def add(self, sheet: str, row: int, column: str, value: str, table: str, code: str, vocabulary) -> None:
        key = (sheet, table, value)
        self.first.setdefault(key, (row, column, code, vocabulary.name))
        self.counts[key] += 1

    def said(self) -> list[Problem]:
        problems = []
        for (sheet, table, value), (row, column, code, name) in self.first.items():
            vocabulary = CATEGORIES if name == CATEGORIES.name else NATURES
            problems.append(
                Problem(
                    WARNING,
                    "kumu_guess",
                    sheet=sheet,
                    row=row,
                    column=column,
                    value=value or "—",
                    params=(
                        ("read_fr", vocabulary.short(code, "fr")),
                        ("read_en", vocabulary.short(code, "en")),
                        ("count", self.counts[(sheet, table, value)]),
                    ),
                    table=table,
                )
            )
        return problems


def read_kumu(
    workbook: RawWorkbook,
    grids: dict[str, list[list[object]]],
    connections_sheet: str,
    element_sheets: list[str],
    max_rows: int | None = None,
    file_name: str = "",
) -> None:
    """Fill ``workbook`` (as typed) from a Kumu map's element sheets and Connections sheet.

    A connection whose source and target list several names (``A|B``) is one flow per pair:
    ``max_rows`` bounds the flows so built, before they are built (a 64 kB row of 1 000 × 1 000
    names would otherwise be a million flows)."""
    actors, activities, flows = workbook.table("actors"), workbook.table("activities"), workbook.table("flows")
    for table, spec in ((actors, ACTORS), (activities, ACTIVITIES), (flows, FLOWS)):
        table.add_columns([c.code for c in spec.columns])
    guesses = _Guesses()
    for sheet in element_sheets:
        headers, elements = _records(grids[sheet])
        codes = _split(headers, ELEMENT_COLUMNS)
        type_header = next((h for h, c in codes.items() if c == "type"), "Type")
        _name_headers(actors, codes, {"type": "category"})
        _name_headers(activities, codes, {"activity_type": "type"})
        sheet_type = None if _stem_key(sheet) == "elements" else sheet  # one sheet per type
        for row, cells in elements:
            _read_element(actors, activities, guesses, sheet, row, cells, codes, type_header, sheet_type)
    headers, connections = _records(grids[connections_sheet])
    codes = _split(headers, CONNECTION_COLUMNS)
    type_header = next((h for h, c in codes.items() if c == "type"), "Type")
    _name_headers(flows, codes, {"type": "nature"})
    undirected = None
    for row, cells in connections:
        known = {codes[h]: v for h, v in cells.items() if h in codes}
        extras = {h: v for h, v in cells.items() if h not in codes}
        kind = as_text(known.get("type"))
        nature = as_text(known.get("nature"))
        if nature is None:
            if kind is not None and NATURES.match(kind) is not None:
                nature = kind
            else:
                code = CONNECTION_GUESSES.get(normalise_key(kind)) or "autre"
                nature = NATURES.short(code, "fr")
                guesses.add(connections_sheet, row, type_header, kind or "", "flows", code, NATURES)
        if kind is not None and NATURES.match(kind) != NATURES.match(nature):
            extras[KUMU_TYPE] = kind  # Kumu's own type, carried back to Kumu
        if known.get("kumu_type") is not None:
            extras[KUMU_TYPE] = known["kumu_type"]
        if known.get("id") is not None:
            extras["ID"] = known["id"]
        direction = normalise_key(known.get("direction")) or "directed"
        if direction == "undirected" and undirected is None:
            undirected = row
        record = {
            k: v for k, v in known.items() if k not in ("id", "type", "direction", "kumu_type", "source", "target")
        }
        record["nature"] = nature
        sources, targets = _several(known.get("source")), _several(known.get("target"))
        built = len(sources) * len(targets) * (2 if direction == "mutual" else 1)
        if max_rows is not None and len(flows.rows) + built > max_rows:
            raise UnreadableWorkbook(
                "kumu_too_many_links", name=file_name, sheet=connections_sheet, row=row, limit=max_rows
            )
        for source in sources:
            for target in targets:
                one = {**record, **extras, "source": source, "target": target}
                flows.rows.append(RawRow(connections_sheet, row, {k: v for k, v in one.items() if v is not None}))
                if direction == "mutual":
                    back = {**one, "source": target, "target": source}
                    flows.rows.append(RawRow(connections_sheet, row, {k: v for k, v in back.items() if v is not None}))
    if undirected is not None:
        direction_header = next((h for h, c in codes.items() if c == "direction"), "Direction")
        workbook.problems.append(
            Problem(
                WARNING,
                "kumu_direction",
                sheet=connections_sheet,
                row=undirected,
                column=direction_header,
                value="undirected",
                table="flows",
            )
        )
    workbook.problems.extend(guesses.said())
    for table in (actors, activities, flows):
        for typed in table.rows:
            table.add_columns(list(typed.cells))


def _name_headers(table, codes: dict[str, str], renamed: dict[str, str]) -> None:
    """Problems name the user's own headers ("From", "Label"), never our codes. ``renamed``:
    the Kumu columns that fill one of ours under another code (Kumu's ``Type`` is our nature)."""
    for header, code in codes.items():
        table.headers.setdefault(renamed.get(code, code), header)


def _several(cell: object) -> list[object]:
    """``A|B|C`` → three elements, as Kumu reads a cell naming several."""
    if isinstance(cell, str) and "|" in cell:
        return [part.strip() for part in cell.split("|") if part.strip()]
    return [cell]


def _read_element(
    actors,
    activities,
    guesses: _Guesses,
    sheet: str,
    row: int,
    cells: dict,
    codes: dict,
    type_header: str,
    sheet_type: str | None,
) -> None:
    known = {codes[h]: v for h, v in cells.items() if h in codes}
    extras = {h: v for h, v in cells.items() if h not in codes}
    kind = as_text(known.get("type")) or sheet_type
    key = normalise_key(kind)
    if known.get("kumu_type") is not None:
        extras[KUMU_TYPE] = known["kumu_type"]
    activity_word = key in ACTIVITY_WORDS or key in ACTIVITY_LABEL_KEYS
    if known.get("activity_type") is not None or activity_word or (kind and ACTIVITY_TYPES.match(kind) == "support"):
        if kind and not activity_word and ACTIVITY_TYPES.match(kind) is None:
            extras[KUMU_TYPE] = kind
        record = {
            "id": known.get("id"),
            "name": known.get("name"),
            "type": known.get("activity_type") or ("support" if "support" in (kind or "").lower() else None),
            "function": known.get("function"),
            "lead": known.get("lead"),
            "domains": known.get("domains"),
            "description": known.get("description"),
        }
        activities.rows.append(RawRow(sheet, row, {k: v for k, v in {**record, **extras}.items() if v is not None}))
        return
    category = as_text(known.get("category"))
    if category is None:
        if kind and CATEGORIES.match(kind) is not None:
            category = kind
        else:
            code = ELEMENT_GUESSES.get(key) or "autre"
            category = CATEGORIES.short(code, "fr")
            guesses.add(sheet, row, type_header, kind or "", "actors", code, CATEGORIES)
    if kind and CATEGORIES.match(kind) != CATEGORIES.match(category):
        extras.setdefault(KUMU_TYPE, kind)
    record = {
        "id": known.get("id"),
        "name": known.get("name"),
        "category": category,
        "description": known.get("description"),
        "tags": known.get("tags"),
        "local": known.get("local"),
        "town": known.get("town"),
        "count": known.get("count"),
    }
    actors.rows.append(RawRow(sheet, row, {k: v for k, v in {**record, **extras}.items() if v is not None}))

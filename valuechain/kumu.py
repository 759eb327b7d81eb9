"""Kumu in: organisations that already map their partners in Kumu bring their map in (a Kumu
Excel export: ``Elements`` and ``Connections`` sheets). Kumu out is ``kumu_export``: reading
sits below the figures, and this module imports nothing that computes them.

Kumu's element and connection types are free text: we map them to our categories and natures
by their names, and say so with a warning whenever the mapping is a guess.
"""

from __future__ import annotations

from . import catalogue
from .cells import as_text, is_blank
from .model import WARNING, Problem, RawRow, RawWorkbook
from .vocabulary import (ACTIVITIES, ACTIVITY_TYPES, ACTORS, CATEGORIES, FLOWS, NATURES, normalise_key)

KUMU_ELEMENTS = ["Label", "Type", "Description", "Tags"]
KUMU_CONNECTIONS = ["From", "To", "Type", "Direction"]
ACTIVITY_TYPE_LABEL = catalogue.by_key("kumu")["activity_type"]

# Kumu words → our category or "activity" (normalised keys; a match here is a guess).
ELEMENT_GUESSES = {
    "organization": "associations", "organisation": "associations", "ngo": "associations", "nonprofit": "associations",
    "person": "habitants", "personne": "habitants", "people": "habitants", "individual": "habitants",
    "company": "entreprises", "business": "entreprises", "societe": "entreprises",
    "government": "institutions", "public agency": "institutions", "collectivite": "institutions", "commune": "institutions",
    "funder": "financeurs", "foundation": "financeurs", "fondation": "financeurs", "donor": "financeurs",
    "volunteer": "benevoles", "farm": "producteurs", "ferme": "producteurs", "producer": "producteurs",
    "staff": "salaries", "employee": "salaries",
}
ACTIVITY_WORDS = {"activite", "activity", "project", "projet", "action", "programme", "program", "event",
                  "evenement", "atelier", "workshop"}
CONNECTION_GUESSES = {
    "funding": "monetaire", "financement": "monetaire", "money": "monetaire", "grant": "monetaire",
    "subvention": "monetaire", "don": "monetaire", "donation": "monetaire",
    "volunteering": "benevolat", "volunteer": "benevolat",
    "knowledge": "competences", "training": "competences", "expertise": "competences",
    "communication": "information", "referral": "information", "orientation": "information",
    "trust": "reconnaissance", "partnership": "reconnaissance", "partenariat": "reconnaissance",
    "support": "reconnaissance", "soutien": "reconnaissance",
    "goods": "nature", "food": "nature", "in kind": "nature",
    "space": "lieu", "premises": "lieu", "room": "lieu", "venue": "lieu", "salle": "lieu",
}


def is_kumu_export(sheet_names: list[str]) -> bool:
    keys = {normalise_key(n) for n in sheet_names}
    return {"elements", "connections"} <= keys


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


def _guess(problems: list[Problem], sheet: str, row: int, value: str, table: str, target: str) -> None:
    problems.append(Problem(WARNING, "kumu_guess", sheet=sheet, row=row, column="Type", value=value,
                            params=(("guess", target),), table=table))


def read_kumu(workbook: RawWorkbook, grids: dict[str, list[list[object]]]) -> None:
    """Fill ``workbook`` (as typed) from a Kumu export's Elements and Connections sheets."""
    by_key = {normalise_key(name): name for name in grids}
    elements_sheet, connections_sheet = by_key["elements"], by_key["connections"]
    actors, activities, flows = workbook.table("actors"), workbook.table("activities"), workbook.table("flows")
    for table, spec in ((actors, ACTORS), (activities, ACTIVITIES), (flows, FLOWS)):
        table.add_columns([c.code for c in spec.columns])
    _, elements = _records(grids[elements_sheet])
    for row, cells in elements:
        label = as_text(cells.get("Label"))
        kind = as_text(cells.get("Type"))
        key = normalise_key(kind)
        extras = {k: v for k, v in cells.items() if k not in KUMU_ELEMENTS}
        activity_type = as_text(extras.pop("Activity type", None))
        if key in ACTIVITY_WORDS or (kind and ACTIVITY_TYPES.match(kind) == "support"):
            record = {"name": label, "type": activity_type or ("support" if "support" in (kind or "").lower() else None),
                      "lead": extras.pop("Lead", None), "domains": extras.pop("Domains", None),
                      "description": cells.get("Description")}
            activities.rows.append(RawRow(elements_sheet, row, {k: v for k, v in {**record, **extras}.items() if v is not None}))
            continue
        category = kind
        if kind and CATEGORIES.match(kind) is None and key in ELEMENT_GUESSES:
            category = CATEGORIES.short(ELEMENT_GUESSES[key], "fr")
            _guess(workbook.problems, elements_sheet, row, kind, "actors", category)
        if category is None:
            category = CATEGORIES.short("autre", "fr")
            _guess(workbook.problems, elements_sheet, row, "", "actors", category)
        record = {"name": label, "category": category, "description": cells.get("Description"),
                  "tags": cells.get("Tags"), "local": extras.pop("Local", None), "town": extras.pop("Town", None),
                  "count": extras.pop("Count", None)}
        actors.rows.append(RawRow(elements_sheet, row, {k: v for k, v in {**record, **extras}.items() if v is not None}))
    _, connections = _records(grids[connections_sheet])
    for row, cells in connections:
        kind = as_text(cells.get("Type"))
        nature = kind
        if kind is None:
            nature = NATURES.short("autre", "fr")
            _guess(workbook.problems, connections_sheet, row, "", "flows", nature)
        elif NATURES.match(kind) is None and normalise_key(kind) in CONNECTION_GUESSES:
            nature = NATURES.short(CONNECTION_GUESSES[normalise_key(kind)], "fr")
            _guess(workbook.problems, connections_sheet, row, kind, "flows", nature)
        direction = normalise_key(cells.get("Direction")) or "directed"
        extras = {k: v for k, v in cells.items() if k not in KUMU_CONNECTIONS}
        record = {"source": cells.get("From"), "target": cells.get("To"), "nature": nature}
        for header, value in extras.items():
            code = FLOWS.match_column(header)
            record[code or header] = value
        flows.rows.append(RawRow(connections_sheet, row, {k: v for k, v in record.items() if v is not None}))
        if direction in ("mutual", "undirected"):
            workbook.problems.append(Problem(WARNING, "kumu_direction", sheet=connections_sheet, row=row,
                                             column="Direction", value=direction, table="flows"))
            if direction == "mutual":
                reverse = dict(record, source=record["target"], target=record["source"])
                flows.rows.append(RawRow(connections_sheet, row, {k: v for k, v in reverse.items() if v is not None}))
    for table in (actors, activities, flows):
        for typed in table.rows:
            table.add_columns(list(typed.cells))

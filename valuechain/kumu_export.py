"""Kumu out: our map as a workbook Kumu imports (``Elements`` and ``Connections`` sheets, the
column names Kumu reads first), so that a centre takes its chain back to Kumu."""

from __future__ import annotations

from openpyxl import Workbook

from .analysis import Analysis
from .kumu import ACTIVITY_TYPE_LABEL, KUMU_CONNECTIONS, KUMU_ELEMENTS
from .messages import lang_or_default
from .vocabulary import CATEGORIES, NATURES, YES_NO_LABELS
from .writing import workbook_bytes, write_table
from .graph import is_activity_node


def kumu_workbook(analysis: Analysis, lang: str = "fr") -> bytes:
    """A workbook Kumu imports: ``Elements`` (Label, Type, Description, Tags and our fields)
    and ``Connections`` (From, To, Type, Direction and our fields)."""
    lang = lang_or_default(lang)
    graph = analysis.graph
    yes, no = YES_NO_LABELS[lang]
    book = Workbook()
    elements = book.active
    elements.title = "Elements"
    rows = []
    for _, data in graph.nodes(data=True):
        if is_activity_node(data):
            rows.append([data["name"], ACTIVITY_TYPE_LABEL[lang], data.get("description"), None, None, None, None,
                         data["type"], graph.nodes[data["lead"]]["name"], "|".join(data.get("domains", ())) or None])
        else:
            local = data.get("local")
            rows.append([data["name"], CATEGORIES.short(data["category"], lang), data.get("description"),
                         "|".join(data.get("tags", ())) or None, None if local is None else (yes if local else no),
                         data.get("town"), data.get("count"), None, None, None])
    write_table(elements, KUMU_ELEMENTS + ["Local", "Town", "Count", "Activity type", "Lead", "Domains"], rows)
    rows = []
    for source, target, data in graph.edges(data=True):
        rows.append([graph.nodes[source]["name"], graph.nodes[target]["name"], NATURES.short(data["nature"], lang),
                     "directed", data.get("quantity"), data.get("unit"),
                     data.get("value") if data.get("value_basis") == "entered" else None,
                     "|".join(data.get("own_domains", ())) or None, yes if data.get("tangible") else no,
                     data.get("description")])
    write_table(book.create_sheet("Connections"),
                KUMU_CONNECTIONS + ["Quantity", "Unit", "Value", "Domains", "Tangible", "Description"], rows)
    return workbook_bytes(book)

"""Kumu out: our map as a workbook Kumu imports, that also comes back to valuechain with the
same figures.

- ``Elements`` and ``Connections``, the column names Kumu reads first, with an ``ID`` for every
  element and connection (a map imported twice into Kumu updates, not duplicates), Kumu's
  original types when the map came from Kumu (``Type``), our category and nature beside them,
  every field we know (town, count, lead, function, earmarked activity, data source, year…)
  and every extra field as typed (Image, Website…).
- The sheets of ours that Kumu ignores and valuechain reads back: ``Centre`` (the year, the
  hourly rate, the federation, the town…), ``Indicateurs`` and ``Effets``.
"""

from __future__ import annotations

from valuechain.chain.analysis import Analysis
from valuechain.model import RawWorkbook
from valuechain.reading.kumu import KUMU_TYPE, OUR_CATEGORY, OUR_NATURE
from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, DOMAINS, FUNCTIONS, NATURES
from valuechain.words.language import language
from valuechain.words.messages import say, say_list
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook, write_table

ELEMENT_HEADERS = [
    "ID",
    "Label",
    "Type",
    OUR_CATEGORY,
    "Description",
    "Tags",
    "Local",
    "Town",
    "Count",
    "Activity type",
    "Function",
    "Lead",
    "Domains",
]
CONNECTION_HEADERS = [
    "ID",
    "From",
    "To",
    "Type",
    OUR_NATURE,
    "Direction",
    "Quantity",
    "Unit",
    "Value",
    "Activity",
    "Domains",
    "Tangible",
    "Data source",
    "Year",
    "Description",
]


def _extras_columns(frames) -> list[str]:
    """Every extra field of the rows, in the order first met (the Kumu type has its own place)."""
    seen: dict[str, None] = {}
    for frame in frames:
        for extras in frame.extras:
            for key in extras:
                if key not in (KUMU_TYPE, "ID"):
                    seen.setdefault(key, None)
    return list(seen)


def kumu_workbook(analysis: Analysis, lang: str = "fr") -> bytes:
    """A workbook Kumu imports and valuechain reads back as the same centre."""
    lang = language(lang).code
    workbook = analysis.workbook
    actors, activities, flows = workbook.actors, workbook.activities, workbook.flows
    yes, no = say_list("yes_no", "words", lang)
    names = {**dict(zip(actors.id, actors.name)), **dict(zip(activities.id, activities.name))}

    def joined(values) -> str | None:
        return "|".join(str(v) for v in values) if values else None

    # The sheets Kumu ignores come first from our own writer; Kumu's two sheets are added to it.
    carried = RawWorkbook(name=workbook.raw.name, centre_fields=dict(workbook.raw.centre_fields))
    for code in ("indicators", "outcomes"):
        if code in workbook.raw.tables:
            carried.tables[code] = workbook.raw.tables[code]
    book = write_raw_workbook(carried, lang, write_only=True)  # appended to, then saved

    extra_columns = _extras_columns([actors, activities])
    rows = []
    for actor in actors.to_dict("records"):
        local = actor["local"]
        extras = actor["extras"]
        rows.append(
            [
                actor["id"],
                actor["name"],
                extras.get(KUMU_TYPE) or CATEGORIES.short(actor["category"], lang),
                CATEGORIES.short(actor["category"], lang),
                actor["description"],
                joined(actor["tags"]),
                None if local is None else (yes if local else no),
                actor["town"],
                actor["count"],
                None,
                None,
                None,
                None,
            ]
            + [extras.get(column) for column in extra_columns]
        )
    for activity in activities.to_dict("records"):
        extras = activity["extras"]
        rows.append(
            [
                activity["id"],
                activity["name"],
                extras.get(KUMU_TYPE) or say("kumu", "activity_type", lang),
                None,
                activity["description"],
                None,
                None,
                None,
                None,
                ACTIVITY_TYPES.short(activity["type"], lang).lower(),
                FUNCTIONS.label(activity["function"], lang).lower() if activity["function"] else None,
                names.get(activity["lead"]) if activity["lead"] else None,
                joined([DOMAINS.short(d, lang) for d in activity["domains"]]),
            ]
            + [extras.get(column) for column in extra_columns]
        )
    elements = book.create_sheet("Elements", 0)
    write_table(elements, ELEMENT_HEADERS + extra_columns, rows)

    extra_columns = _extras_columns([flows])
    rows = []
    for number, flow in enumerate(flows.to_dict("records"), start=1):
        extras = flow["extras"]
        nature = NATURES.short(flow["nature"], lang)
        tangible = flow["tangible"]
        rows.append(
            [
                extras.get("ID") or f"flow-{number}",
                names.get(flow["source"], flow["source"]),
                names.get(flow["target"], flow["target"]),
                extras.get(KUMU_TYPE) or nature,
                nature,
                "directed",
                flow["quantity"],
                flow["unit"],
                flow["value_entered"],
                names.get(flow["activity"]) if flow["activity"] else None,
                joined([DOMAINS.short(d, lang) for d in flow["domains"]]),
                None if tangible is None else (yes if tangible else no),
                flow["data_source"],
                flow["year"],
                flow["description"],
            ]
            + [extras.get(column) for column in extra_columns]
        )
    write_table(book.create_sheet("Connections", 1), CONNECTION_HEADERS + extra_columns, rows)
    book.active = 0
    return workbook_bytes(book)

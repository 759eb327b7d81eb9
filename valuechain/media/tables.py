"""Result tables built once, for every medium: the page, the PDF, the results workbook and
the text report render the same rows under the same headers.

A table is its columns (a code, whose header is the catalogue's ``col_<code>``, and how its
cells read), and its rows as values: numbers stay numbers in a workbook, and are written as
the figures are on a page or in a printed report. A medium may show fewer columns
(``select``), never other words or other rows; the largest contributors shown apart from the
rest follow one rule (``top_contributions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from valuechain.chain import figures as registry
from valuechain.chain.analysis import Analysis
from valuechain.chain.metrics import Contribution, Undefined
from valuechain.chain.social_value import MONEY_COLUMNS, SHARE_COLUMNS, VALUE_MAP_COLUMNS, SocialValue, value_map
from valuechain.media import formatting as fmt
from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, NATURES, domain_label, unit_label
from valuechain.words.language import language
from valuechain.words.messages import say, say_list

if TYPE_CHECKING:
    import pandas as pd

# The contributors a chart shows one by one; the rest are one bar, "Autres (n)".
CHART_TOP = 15

ResultColumn = tuple[str, str]  # (code, how its cells read: text, money, share, hours, number, count)
CONTRIBUTION_COLUMNS: tuple[ResultColumn, ...] = (
    ("actor", "text"),
    ("category", "text"),
    ("value", "money"),
    ("share", "share"),
)
ACTIVITY_COLUMNS: tuple[ResultColumn, ...] = (
    ("activity", "text"),
    ("type", "text"),
    ("lead", "text"),
    ("resources", "money"),
    ("by_nature", "text"),
    ("hours", "hours"),
    ("in", "count"),
    ("out", "count"),
    ("people", "count"),
)
COST_COLUMNS: tuple[ResultColumn, ...] = (
    ("activity", "text"),
    ("direct", "money"),
    ("support", "money"),
    ("operating", "money"),
    ("full", "money"),
    ("served", "count"),
    ("per_person", "money"),
)
NOT_VALUED_COLUMNS: tuple[ResultColumn, ...] = (
    ("source", "text"),
    ("target", "text"),
    ("nature", "text"),
    ("quantity", "number"),
    ("unit", "text"),
    ("resource", "text"),
    ("sheet", "text"),
    ("row", "count"),
)
INDICATOR_COLUMNS: tuple[ResultColumn, ...] = (
    ("domain", "text"),
    ("indicator", "text"),
    ("number", "number"),
    ("unit", "text"),
    ("activity", "text"),
    ("actor", "text"),
    ("indicator_source", "text"),
    ("comment", "text"),
)
# A numeric column is written as the figures of the same kind are (the registry's number formats); a
# quantity keeps up to two decimals.
_NUMBER_FORMATS = {"money": registry.MONEY, "share": registry.SHARE, "hours": registry.HOURS, "count": registry.PEOPLE}
_NUMBER_EXCEL = "#,##0.##"


def headers(columns: tuple[ResultColumn, ...], lang: str) -> list[str]:
    return [say("app", f"col_{code}", lang) for code, _ in columns]


def excel_formats(columns: tuple[ResultColumn, ...]) -> dict[int, str]:
    """Column number (from 1) → Excel number format, for the numeric columns."""
    return {
        i: _NUMBER_FORMATS[kind].excel if kind in _NUMBER_FORMATS else _NUMBER_EXCEL
        for i, (_, kind) in enumerate(columns, start=1)
        if kind in _NUMBER_FORMATS or kind == "number"
    }


def select(
    columns: tuple[ResultColumn, ...], rows: list[list[object]], codes: tuple[str, ...]
) -> tuple[tuple[ResultColumn, ...], list[list[object]]]:
    """The same table with only the columns ``codes``, in that order (a printed page is narrow)."""
    positions = [next(i for i, (code, _) in enumerate(columns) if code == wanted) for wanted in codes]
    return tuple(columns[i] for i in positions), [[row[i] for i in positions] for row in rows]


def shown(columns: tuple[ResultColumn, ...], rows: list[list[object]], lang: str) -> list[list[str]]:
    """The rows as text, each cell written as its column reads."""

    def cell(kind: str, value: object) -> str:
        if value is None:
            return fmt.DASH
        if kind in _NUMBER_FORMATS:
            return fmt.formatted(_NUMBER_FORMATS[kind], value, lang)  # type: ignore[arg-type]
        if kind == "number":
            return fmt.number(value, lang)
        return str(value)

    return [[cell(kind, value) for (_, kind), value in zip(columns, row)] for row in rows]


def top_contributions(contributions: list[Contribution], top: int) -> tuple[list[Contribution], int, float]:
    """The ``top`` largest contributors, and how many the rest are and what they bring together."""
    rest = contributions[top:]
    return contributions[:top], len(rest), sum(c.value for c in rest)


def contribution_rows(analysis: Analysis, lang: str, top: int | None = None) -> list[list[object]]:
    """Every contributor, largest first (or the ``top`` largest and one row for the others)."""
    lang = language(lang).code
    listed, others, others_value = top_contributions(
        analysis.contributions, len(analysis.contributions) if top is None else top
    )
    rows: list[list[object]] = [
        [c.name, CATEGORIES.short(c.category, lang), c.value, None if isinstance(c.share, Undefined) else c.share]
        for c in listed
    ]
    if others:
        rows.append([say("chart", "others", lang, count=others), "", others_value, None])
    return rows


def activity_rows(analysis: Analysis, lang: str) -> list[list[object]]:
    lang = language(lang).code
    names = {n: d["name"] for n, d in analysis.graph.nodes(data=True)}
    return [
        [
            a.name,
            ACTIVITY_TYPES.short(a.type, lang),
            names.get(a.lead, a.lead),
            a.resources_value,
            # What the activity received, by nature: a nature at 0 € is not listed ("—" for none).
            ", ".join(
                f"{NATURES.short(n, lang)} {fmt.money(v, lang, 0)}" for n, v in a.resources_by_nature.items() if v > 0
            )
            or None,
            a.volunteer_hours,
            a.flows_in,
            a.flows_out,
            a.people_reached,
        ]
        for a in analysis.activities
    ]


def not_valued_rows(analysis: Analysis, lang: str) -> list[list[object]]:
    lang = language(lang).code
    yes, no = say_list("yes_no", "words", lang)
    return [
        [
            u.source,
            u.target,
            NATURES.short(u.nature, lang),
            u.quantity,
            unit_label(u.unit, lang),
            yes if u.resource else no,
            u.sheet,
            u.row,
        ]
        for u in analysis.not_valued
    ]


def indicator_rows(analysis: Analysis, lang: str) -> list[list[object]]:
    """The Indicateurs sheet as read: its domain named in ``lang`` (as typed when it names none
    of ours, "—" when empty), an empty cell as empty text, a missing number as ``None``."""

    def text(value: object) -> object:
        return "" if value is None or value != value else value  # NaN, the frame's empty cell, is not equal to itself

    indicators = analysis.workbook.indicators
    domains = [
        domain_label(code, lang) if code else (typed or fmt.DASH)
        for code, typed in zip(indicators.domain, indicators.domain_text)
    ]
    return [
        [domain, text(name), value, text(unit), text(activity), text(actor), text(source), text(comment)]
        for domain, name, value, unit, activity, actor, source, comment in zip(
            domains,
            indicators.indicator,
            indicators.value,
            indicators.unit,
            indicators.activity,
            indicators.actor,
            indicators.source,
            indicators.comment,
        )
    ]


def value_map_text(value: SocialValue, lang: str) -> tuple[list[str], list[list[object]]]:
    """The value map (``social_value.value_map``) as a page shows it: shares and euros written
    as the figures are, a quantity with the decimals it has, an empty cell where an outcome is
    not valued."""
    headers, rows = value_map(value, lang)

    def cell(code: str, found: object) -> object:
        if found is None:
            return ""
        if not isinstance(found, (int, float)) or isinstance(found, bool):
            return found
        if code in SHARE_COLUMNS:
            return fmt.percent(found, lang, 0)
        if code in MONEY_COLUMNS:
            return fmt.money(found, lang)
        if code == "quantity":
            return fmt.number(found, lang, 0 if float(found).is_integer() else 2)
        return found

    return headers, [[cell(code, found) for code, found in zip(VALUE_MAP_COLUMNS, row)] for row in rows]


def cost_rows(analysis: Analysis) -> list[list[object]]:
    """The full cost of each main activity (``None`` for a cost per person that cannot be
    computed)."""
    return [
        [
            c.activity,
            c.direct,
            c.support,
            c.operating,
            c.full,
            c.people,
            None if isinstance(c.per_person, Undefined) else c.per_person,
        ]
        for c in analysis.activity_costs
    ]


def cost_notes(analysis: Analysis, lang: str, markdown: bool = False) -> list[str]:
    """What the costs table cannot show in its cells, said under it (issue 34.11): why an
    activity's cost per person is "—", and why the habitants an activity touches (the
    activities' table) are not the people it serves (the costs' table). ``markdown``: the
    activities' names escaped, for a page."""
    lang = language(lang).code
    reached = {a.name: a.people_reached for a in analysis.activities}
    notes = []
    for cost in analysis.activity_costs:
        if not isinstance(cost.per_person, Undefined):
            continue
        touched = reached.get(cost.activity, 0.0)
        if cost.per_person.reason == "no_people_served" and touched:
            key, count = "cost_note_touched_not_served", touched
        else:
            key, count = "cost_note_" + cost.per_person.reason, cost.people
        notes.append(say("costs", key, lang, markdown=markdown, activity=cost.activity, count=count))
    if notes:
        notes.insert(0, say("costs", "people_served_definition", lang, markdown=markdown))
    return notes


def centre_role_note(analysis: Analysis, lang: str) -> str | None:
    """When the centre's betweenness and its dependence read as one number twice (0,9333 and
    93,33 %), what each counts and why they meet here; ``None`` when they differ or either is
    undefined (docs/indicateurs.md, "Dépendance au centre")."""
    betweenness, dependence = analysis.figures["centre_betweenness"], analysis.figures["centre_dependence"]
    if isinstance(betweenness, Undefined) or isinstance(dependence, Undefined):
        return None
    if round(float(betweenness), 4) != round(float(dependence), 4):
        return None
    return say(
        "app",
        "centre_role_same",
        lang,
        betweenness=fmt.format_figure("centre_betweenness", betweenness, lang),
        dependence=fmt.format_figure("centre_dependence", dependence, lang),
    )


def rate_range(analysis: Analysis, lang: str) -> str:
    """The figures that depend on the volunteer rate, as ranges ("de … à …"), in one sentence."""
    lang = language(lang).code
    low, high = analysis.rate_sensitivity.low, analysis.rate_sensitivity.high
    return say(
        "app",
        "rate_range",
        lang,
        low_rate=fmt.money(low.rate, lang),
        high_rate=fmt.money(high.rate, lang),
        resources_low=fmt.money(low.resources_total, lang),
        resources_high=fmt.money(high.resources_total, lang),
        leverage_low=fmt.fixed(low.leverage, lang, 3),
        leverage_high=fmt.fixed(high.leverage, lang, 3),
        share_low=fmt.percent(low.non_monetary_share, lang),
        share_high=fmt.percent(high.non_monetary_share, lang),
        volunteers_low=fmt.money(low.volunteer_value, lang),
        volunteers_high=fmt.money(high.volunteer_value, lang),
    )


def evidence_range(analysis: Analysis, lang: str) -> str:
    """The figures as ranges by the data's evidence (declared ± 10 %, estimated ± 30 %), in one
    sentence (``metrics.evidence_range``); the leverage or a share "—" when undefined."""
    lang = language(lang).code
    found = analysis.evidence_range
    low, high = found.low, found.high

    def ratio(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.fixed(value, lang, 3)

    def share(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.percent(value, lang)

    if not found.uncertain:
        return say("app", "evidence_range_measured", lang)
    return say(
        "app",
        "evidence_range",
        lang,
        uncertain=fmt.money(found.uncertain, lang),
        resources_low=fmt.money(low.resources_total, lang),
        resources_high=fmt.money(high.resources_total, lang),
        leverage_low=ratio(low.leverage),
        leverage_high=ratio(high.leverage),
        share_low=share(low.non_monetary_share),
        share_high=share(high.non_monetary_share),
        volunteers_low=fmt.money(low.volunteer_value, lang),
        volunteers_high=fmt.money(high.volunteer_value, lang),
    )


def value_map_frame(value: SocialValue, lang: str) -> pd.DataFrame:
    """The value map as a table to read on screen (``value_map_text``)."""
    import pandas as pd

    headers, rows = value_map_text(value, lang)
    return pd.DataFrame(rows, columns=headers)


def ratio_texts(value: SocialValue, lang: str) -> tuple[str, str, str]:
    """The ratio, its range ("2,10 – 3,40") and the proxies' break-even factor, as cards show
    them: two decimals, a dash for what cannot be computed."""
    low_high = value.ratio_range
    return (
        fmt.fixed(value.ratio, lang, 2) if value.ratio is not None else fmt.DASH,
        f"{fmt.fixed(low_high[0], lang, 2)} – {fmt.fixed(low_high[1], lang, 2)}" if low_high else fmt.DASH,
        fmt.fixed(value.break_even_proxy_factor, lang, 2) if value.break_even_proxy_factor is not None else fmt.DASH,
    )


def in_words(value: SocialValue, lang: str) -> str:
    """The result in plain words, with its range and what it rests on."""
    if value.ratio is None:
        return say("social_value", "reading_no_investment", lang, value=fmt.money(value.present_value, lang))
    low, high = value.ratio_range or (value.ratio, value.ratio)
    return say(
        "social_value",
        "reading",
        lang,
        ratio=fmt.money(value.ratio, lang),
        low=fmt.money(low, lang),
        high=fmt.money(high, lang),
        declared=fmt.percent(value.share_of_grade("declare") or 0.0, lang, 0),
        assumed=fmt.percent(value.share_of_grade("estime") or 0.0, lang, 0),
        measured=fmt.percent(value.share_of_grade("mesure") or 0.0, lang, 0),
    )

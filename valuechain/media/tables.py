"""Result tables built once, for every medium: the page, the PDF, the results workbook and
the text report render the same rows under the same headers.

A table is its columns (a code, whose header is the catalogue's ``col_<code>``, and how its
cells read), and its rows as values: numbers stay numbers in a workbook, and are written as
the figures are on a page or in a printed report. A medium may show fewer columns
(``select``), never other words or other rows; the largest contributors shown apart from the
rest follow one rule (``top_contributions``).
"""

from __future__ import annotations

from valuechain.words import catalogue
from valuechain.chain import figures as registry
from valuechain.media import formatting as fmt
from valuechain.chain.analysis import Analysis
from valuechain.words.messages import fill, lang_or_default
from valuechain.chain.metrics import Contribution, Undefined
from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, NATURES, YES_NO_LABELS, unit_label


# The contributors a chart shows one by one; the rest are one bar, "Autres (n)".
CHART_TOP = 15

Column = tuple[str, str]  # (code, how its cells read: text, money, share, hours, number, count)
CONTRIBUTIONS: tuple[Column, ...] = (("actor", "text"), ("category", "text"), ("value", "money"), ("share", "share"))
ACTIVITIES: tuple[Column, ...] = (("activity", "text"), ("type", "text"), ("lead", "text"), ("resources", "money"),
                                  ("by_nature", "text"), ("hours", "hours"), ("in", "count"), ("out", "count"),
                                  ("people", "count"))
COSTS: tuple[Column, ...] = (("activity", "text"), ("direct", "money"), ("support", "money"), ("operating", "money"),
                             ("full", "money"), ("served", "count"), ("per_person", "money"))
NOT_VALUED: tuple[Column, ...] = (("source", "text"), ("target", "text"), ("nature", "text"), ("quantity", "number"),
                                  ("unit", "text"), ("resource", "text"), ("sheet", "text"), ("row", "count"))
# A numeric column reads as the figures of the same kind do (the registry's readings); a
# quantity keeps up to two decimals.
_READINGS = {"money": registry.MONEY, "share": registry.SHARE, "hours": registry.HOURS, "count": registry.PEOPLE}
_NUMBER_EXCEL = "#,##0.##"


def headers(columns: tuple[Column, ...], lang: str) -> list[str]:
    return [catalogue.text("app", f"col_{code}", lang_or_default(lang)) for code, _ in columns]


def excel_formats(columns: tuple[Column, ...]) -> dict[int, str]:
    """Column number (from 1) → Excel number format, for the numeric columns."""
    return {i: _READINGS[kind].excel if kind in _READINGS else _NUMBER_EXCEL
            for i, (_, kind) in enumerate(columns, start=1) if kind in _READINGS or kind == "number"}


def select(columns: tuple[Column, ...], rows: list[list[object]], codes: tuple[str, ...]
           ) -> tuple[tuple[Column, ...], list[list[object]]]:
    """The same table with only the columns ``codes``, in that order (a printed page is narrow)."""
    positions = [next(i for i, (code, _) in enumerate(columns) if code == wanted) for wanted in codes]
    return tuple(columns[i] for i in positions), [[row[i] for i in positions] for row in rows]


def shown(columns: tuple[Column, ...], rows: list[list[object]], lang: str) -> list[list[str]]:
    """The rows as text, each cell written as its column reads."""
    def cell(kind: str, value: object) -> str:
        if value is None:
            return fmt.DASH
        if kind in _READINGS:
            return fmt.reading_text(_READINGS[kind], value, lang)  # type: ignore[arg-type]
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
    lang = lang_or_default(lang)
    listed, others, others_value = top_contributions(analysis.contributions, len(analysis.contributions) if top is None else top)
    rows: list[list[object]] = [[c.name, CATEGORIES.short(c.category, lang), c.value,
                                 None if isinstance(c.share, Undefined) else c.share] for c in listed]
    if others:
        rows.append([fill(catalogue.text("chart", "others", lang), lang, count=others), "", others_value, None])
    return rows


def activity_rows(analysis: Analysis, lang: str) -> list[list[object]]:
    lang = lang_or_default(lang)
    names = {n: d["name"] for n, d in analysis.graph.nodes(data=True)}
    return [[a.name, ACTIVITY_TYPES.short(a.type, lang), names.get(a.lead, a.lead), a.resources_value,
             ", ".join(f"{NATURES.short(n, lang)} {fmt.money(v, lang, 0)}" for n, v in a.resources_by_nature.items()),
             a.volunteer_hours, a.flows_in, a.flows_out, a.people_reached] for a in analysis.activities]


def not_valued_rows(analysis: Analysis, lang: str) -> list[list[object]]:
    lang = lang_or_default(lang)
    yes, no = YES_NO_LABELS[lang]
    return [[u.source, u.target, NATURES.short(u.nature, lang), u.quantity, unit_label(u.unit, lang),
             yes if u.resource else no, u.sheet, u.row] for u in analysis.not_valued]


def cost_rows(analysis: Analysis) -> list[list[object]]:
    """The full cost of each main activity (``None`` for a cost per person that cannot be
    computed)."""
    return [[c.activity, c.direct, c.support, c.operating, c.full, c.people,
             None if isinstance(c.per_person, Undefined) else c.per_person] for c in analysis.activity_costs]


def rate_range(analysis: Analysis, lang: str) -> str:
    """The figures that depend on the volunteer rate, as ranges ("de … à …"), in one sentence."""
    lang = lang_or_default(lang)
    low, high = analysis.rate_sensitivity.low, analysis.rate_sensitivity.high
    return fill(catalogue.text("app", "rate_range", lang), lang,
                low_rate=fmt.money(low.rate, lang), high_rate=fmt.money(high.rate, lang),
                resources_low=fmt.money(low.resources_total, lang), resources_high=fmt.money(high.resources_total, lang),
                leverage_low=fmt.fixed(low.leverage, lang, 3), leverage_high=fmt.fixed(high.leverage, lang, 3),
                share_low=fmt.percent(low.non_monetary_share, lang), share_high=fmt.percent(high.non_monetary_share, lang),
                volunteers_low=fmt.money(low.volunteer_value, lang), volunteers_high=fmt.money(high.volunteer_value, lang))


def evidence_range(analysis: Analysis, lang: str) -> str:
    """The figures as ranges by the data's evidence (declared ± 10 %, estimated ± 30 %), in one
    sentence (``metrics.evidence_range``); the leverage or a share "—" when undefined."""
    lang = lang_or_default(lang)
    found = analysis.evidence_range
    low, high = found.low, found.high

    def ratio(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.fixed(value, lang, 3)

    def share(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.percent(value, lang)

    if not found.uncertain:
        return catalogue.text("app", "evidence_range_measured", lang)
    return fill(catalogue.text("app", "evidence_range", lang), lang,
                uncertain=fmt.money(found.uncertain, lang),
                resources_low=fmt.money(low.resources_total, lang), resources_high=fmt.money(high.resources_total, lang),
                leverage_low=ratio(low.leverage), leverage_high=ratio(high.leverage),
                share_low=share(low.non_monetary_share), share_high=share(high.non_monetary_share),
                volunteers_low=fmt.money(low.volunteer_value, lang), volunteers_high=fmt.money(high.volunteer_value, lang))

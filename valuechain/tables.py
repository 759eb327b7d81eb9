"""Result tables built once, for every medium: the page, the PDF and the results workbook
render the same rows under the same headers (``msgctxt "cost_column"`` in the catalogue).

A table is its column codes, its headers in a language, and its rows: as numbers for a
workbook, as text for a page or a printed report.
"""

from __future__ import annotations

from . import catalogue
from . import formatting as fmt
from .analysis import Analysis
from .messages import fill, lang_or_default
from .metrics import Undefined

COST_COLUMNS = ("activity", "direct", "support", "operating", "full", "people", "per_person")


def cost_headers(lang: str) -> list[str]:
    return [catalogue.text("cost_column", code, lang_or_default(lang)) for code in COST_COLUMNS]


def cost_rows(analysis: Analysis) -> list[list[object]]:
    """The full cost of each main activity, as numbers (``None`` for a cost per person that
    cannot be computed)."""
    return [[c.activity, c.direct, c.support, c.operating, c.full, c.people,
             None if isinstance(c.per_person, Undefined) else c.per_person] for c in analysis.activity_costs]


def cost_rows_shown(analysis: Analysis, lang: str) -> list[list[str]]:
    """The same rows as text, written as the figures are."""
    shown = []
    for activity, direct, support, operating, full, people, per_person in cost_rows(analysis):
        shown.append([activity, *(fmt.money(v, lang) for v in (direct, support, operating, full)),
                      fmt.number(people, lang, 0), fmt.DASH if per_person is None else fmt.money(per_person, lang)])
    return shown


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

"""The registry of the centre's scalar figures: each declared once, read by every medium.

A figure has one code (its JSON key and its catalogue key), one function of ``metrics`` that
computes it, one number format (money, share, ratio…, which gives both its display and its
Excel format), and its places: compared across centres, shown among the key figures. Its name
and definition come from the catalogue (``msgctxt "figure"`` and ``"figure_definition"``).

``report --json``, the text report, the pages, the PDF, the results workbook and the
comparison all iterate this registry; adding a figure is one entry here, its function, its
words in the catalogue and its test.

>>> BY_CODE["leverage"].number_format.excel
'#,##0.000'
>>> KEY_FIGURES[:3]
('resources_total', 'leverage', 'volunteer_value')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import networkx as nx

from valuechain.chain import metrics
from valuechain.words.messages import figure_definition, figure_name

# The version of the definitions of the figures, kept with every stored result. Raise it
# whenever a figure's definition or computation changes, and say how here:
# 1. the first definitions;
# 2. volunteer value no longer rounded to the cent flow by flow (0,3 h × 11,65 € is 3,495 €);
#    a flow whose activity names an actor, an actor with an unreadable count, a volunteer rate
#    of 0 now count (they were left out or replaced).
# 3. an activity's cost per person counts its service flows in persons, to any actor (it
#    counted every nature, to habitants only); an outcome with no domain goes to "non renseigné";
#    an Effets sheet whose every row is in error gives a social value of 0, not none.
# 4. the share estimated reads a flow's evidence grade (vocabulary.flow_evidence: "supposé",
#    "approx." are estimated, as in the range by data quality), not only "estim…"; the range by
#    data quality gives each figure from its lowest to its highest (a ratio's numerator and
#    denominator moved apart); an activity with no valued cost has no cost per person ("—").
DEFINITIONS = 4


@dataclass(frozen=True)
class NumberFormat:
    """How a figure is written: its kind of number, the decimals shown, its Excel number format."""

    kind: str  # "money", "percent", "decimal", "hours", "count"
    decimals: int
    excel: str


MONEY = NumberFormat("money", 2, '#,##0.00 "€"')
SHARE = NumberFormat("percent", 2, "0.00%")
RATIO = NumberFormat("decimal", 3, "#,##0.000")
INDEX = NumberFormat("decimal", 4, "#,##0.0000")
HOURS = NumberFormat("hours", 1, "#,##0.0")
PEOPLE = NumberFormat("count", 0, "#,##0")
FTE = NumberFormat("decimal", 2, "#,##0.00")


@dataclass(frozen=True)
class Figure:
    """One scalar figure of ``docs/indicateurs.md``."""

    code: str
    function: Callable[[nx.MultiDiGraph], metrics.Number]
    number_format: NumberFormat
    compared: bool = True  # a column of the comparison of centres
    key: int | None = None  # its place among the key figures (home page, the PDF's cover)
    # The first set is the contract of ``report --json`` (its first keys, in this order); the
    # figures added since come after the problems, so that no script reading it breaks.
    first_set: bool = True

    def name(self, lang: str) -> str:
        return figure_name(self.code, lang)

    def definition(self, lang: str) -> str:
        return figure_definition(self.code, lang)


# In the order they are presented everywhere.
FIGURES: tuple[Figure, ...] = (
    Figure("resources_total", metrics.resources_total, MONEY, key=1),
    Figure("public_funding", metrics.public_funding, MONEY),
    Figure("leverage", metrics.leverage, RATIO, key=2),
    Figure("non_monetary_share", metrics.non_monetary_share, SHARE),
    Figure("volunteer_hours", metrics.volunteer_hours, HOURS),
    Figure("volunteer_value", metrics.volunteer_value, MONEY, key=3),
    Figure("local_share", metrics.local_share, SHARE, key=4),
    # A data-quality figure: the comparison shows it among its quality columns.
    Figure("local_coverage", metrics.local_coverage, SHARE, compared=False),
    Figure("support_share", metrics.support_share, SHARE),
    Figure("evenness", metrics.contribution_evenness, INDEX),
    Figure("centre_betweenness", metrics.centre_betweenness, INDEX),
    Figure("centre_dependence", metrics.centre_dependence, SHARE, key=6),
    Figure("reciprocity", metrics.reciprocity, SHARE),
    Figure("people_reached", metrics.people_reached, PEOPLE, key=5),
    Figure("intangible_share", metrics.intangible_share, SHARE),
    # The second set: what funders and federations ask next.
    Figure("volunteer_fte", metrics.volunteer_fte, FTE, first_set=False),
    Figure("largest_contribution_share", metrics.largest_contribution_share, SHARE, first_set=False),
    Figure("contribution_concentration", metrics.contribution_concentration, INDEX, first_set=False),
)

BY_CODE: dict[str, Figure] = {figure.code: figure for figure in FIGURES}
CODES: tuple[str, ...] = tuple(BY_CODE)
COMPARED: tuple[str, ...] = tuple(f.code for f in FIGURES if f.compared)
FIRST_SET: tuple[str, ...] = tuple(f.code for f in FIGURES if f.first_set)
SECOND_SET: tuple[str, ...] = tuple(f.code for f in FIGURES if not f.first_set)
KEY_FIGURES: tuple[str, ...] = tuple(f.code for f in sorted((f for f in FIGURES if f.key), key=lambda f: f.key or 0))


# Computed after the others: on a large network they may be under way in a child process
# (``metrics.start_network_figures``) while the others are computed.
_NETWORK_FIGURES = ("centre_betweenness", "centre_dependence")


def compute(graph: nx.MultiDiGraph) -> dict[str, metrics.Number]:
    """Every scalar figure of a graph, by code, in the registry's order."""
    values = {figure.code: figure.function(graph) for figure in FIGURES if figure.code not in _NETWORK_FIGURES}
    values.update((code, BY_CODE[code].function(graph)) for code in _NETWORK_FIGURES)
    return {code: values[code] for code in CODES}

"""One centre's workbook, its graph and its figures, computed once and kept together.

Pages, reports and exports read an ``Analysis`` instead of recomputing: each property is
computed on first use by the one function of ``metrics`` that defines it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from valuechain.chain import figures as registry
from valuechain.chain import metrics, social_value
from valuechain.chain.graph import build_graph
from valuechain.model import CentreWorkbook, RawWorkbook
from valuechain.performance import gc_paused
from valuechain.reading.validation import validate


@dataclass
class Analysis:
    workbook: CentreWorkbook
    graph: nx.MultiDiGraph

    @cached_property
    def figures(self) -> dict[str, metrics.Number]:
        """Scalar figures by code (the registry, ``figures``): a number or ``Undefined``."""
        return registry.compute(self.graph)

    @cached_property
    def contributions(self) -> list[metrics.Contribution]:
        return metrics.contributions(self.graph)

    @cached_property
    def contributions_by_category(self) -> dict[str, float]:
        return metrics.contributions_by_category(self.graph)

    @cached_property
    def value_by_domain(self) -> dict[str, float]:
        return metrics.value_by_domain(self.graph)

    @cached_property
    def resources_by_nature(self) -> dict[str, float]:
        return metrics.resources_by_nature(self.graph)

    @cached_property
    def activities(self) -> list[metrics.ActivitySummary]:
        return metrics.activity_summaries(self.graph)

    @cached_property
    def actors(self) -> list[metrics.ActorSummary]:
        return metrics.actor_summaries(self.graph)

    @cached_property
    def brokerage(self) -> metrics.Brokerage:
        return metrics.centre_brokerage(self.graph)

    @cached_property
    def not_valued(self) -> list[metrics.UnvaluedFlow]:
        return metrics.not_valued(self.graph)

    @cached_property
    def not_valued_count(self) -> int:
        return metrics.not_valued_count(self.graph)

    @cached_property
    def largest_contribution(self) -> metrics.LargestContribution | metrics.Undefined:
        return metrics.largest_contribution(self.graph)

    @cached_property
    def activity_costs(self) -> list[metrics.ActivityCost]:
        return metrics.activity_costs(self.graph)

    @cached_property
    def rate_sensitivity(self) -> metrics.RateSensitivity:
        return metrics.rate_sensitivity(self.graph)

    @cached_property
    def evidence_range(self) -> metrics.EvidenceRange:
        return metrics.evidence_range(self.graph)

    @cached_property
    def social_value(self) -> social_value.SocialValue | None:
        """The SROI value map of the Effets sheet, against the resources mobilised; None
        without outcomes (``social_value``)."""
        resources = self.figures["resources_total"]
        return social_value.of_workbook(self.workbook, resources if isinstance(resources, (int, float)) else 0.0)

    @cached_property
    def estimated_share(self) -> object:
        return metrics.estimated_share(self.graph)

    @property
    def name(self) -> str:
        return self.workbook.centre.name

    def compute(self, names: tuple[str, ...]) -> None:
        """Compute now the figures and tables ``names`` (properties above) that are not yet."""
        for name in names:
            getattr(self, name)


# Every figure and table that a page, report or export shows. (``actors``, a per-actor table
# that none of them shows yet, stays computed on demand.)
EVERYTHING_SHOWN = (
    "figures",
    "contributions",
    "contributions_by_category",
    "value_by_domain",
    "resources_by_nature",
    "activities",
    "brokerage",
    "not_valued",
    "estimated_share",
    "largest_contribution",
    "activity_costs",
    "rate_sensitivity",
    "social_value",
)
# What the dashboard's first page shows of a centre just given: its key figures and the range
# of those that hang on the volunteer rate.
FIRST_SHOWN = ("figures", "rate_sensitivity")


def analyse(workbook: CentreWorkbook, compute_all: bool = False, compute: tuple[str, ...] = ()) -> Analysis:
    """The analysis of a workbook. ``compute_all`` computes now, rather than on first use,
    everything shown anywhere (``EVERYTHING_SHOWN``); ``compute`` names what to compute now.
    Either is computed with the collector paused."""
    with gc_paused():
        analysis = Analysis(workbook, build_graph(workbook))
        analysis.compute(EVERYTHING_SHOWN if compute_all else compute)
    return analysis


def analyse_raw(raw: RawWorkbook, compute: tuple[str, ...] = ()) -> Analysis:
    """The analysis of a workbook as read or as edited, before validation (a workshop's, at
    one step of its journal): validated, then analysed as ``analyse`` does."""
    return analyse(validate(raw), compute=compute)

"""Where a centre stands in its federation, without exposing any other centre.

A member receives the federation's **distribution** of each compared figure (how many centres,
quartiles and median) and where their own centre stands, never another centre's row; a group
of fewer than ``MIN_GROUP`` centres gives no distribution at all (small-group suppression: with
three centres, the median is one of them). Some figures are also given on a common base (per
inhabitant of the territory, per 1 000 € of resources). The social-value ratio is never part of
a distribution: it is never ranked (SROI guidance), only shown with its range and evidence.
Definitions in docs/indicateurs.md ("Se situer dans sa fédération").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from valuechain.chain import figures as registry
from valuechain.chain.compare import ComparedRow, figure_value

# Fewer centres than this and no distribution is shown, nor any "Centre A" letters.
MIN_GROUP = 5

BELOW, LOWER_MIDDLE, UPPER_MIDDLE, ABOVE = "below", "lower_middle", "upper_middle", "above"


def _per(numerator: str, denominator: Callable[[dict], float | None], scale: float = 1.0):
    def compute(report: dict) -> float | None:
        value, base = figure_value(report, numerator), denominator(report)
        if value is None or not base:
            return None
        return value / base * scale

    return compute


def _population(report: dict) -> float | None:
    return report.get("population")


def _resources(report: dict) -> float | None:
    return report.get("resources_total")


# Figures on a common base: code → (function of a report, the registry figure whose format it takes).
NORMALISED: dict[str, tuple[Callable[[dict], float | None], str]] = {
    "resources_per_inhabitant": (_per("resources_total", _population), "resources_total"),
    "people_per_thousand_inhabitants": (_per("people_reached", _population, 1000.0), "people_reached"),
    "people_per_thousand_euros": (_per("people_reached", _resources, 1000.0), "volunteer_fte"),
    "hours_per_thousand_euros": (_per("volunteer_hours", _resources, 1000.0), "volunteer_hours"),
}
# Every figure a distribution is given for, in the order shown.
DISTRIBUTED: tuple[str, ...] = (*registry.COMPARED, *NORMALISED)


def value_of(report: ComparedRow, code: str) -> float | None:
    """A report's value for a distributed figure."""
    if code in NORMALISED:
        return NORMALISED[code][0](report)
    return figure_value(report, code)


def hazen_quantile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted values by Hazen's rule: position n·q + ½ (1-based) between the
    values, clamped to the ends. Median of 1, 2, 3, 4: 2.5; first quartile of 1…5: 1.75."""
    n = len(ordered)
    position = n * q + 0.5
    if position <= 1:
        return ordered[0]
    if position >= n:
        return ordered[-1]
    below = int(position)
    return ordered[below - 1] + (position - below) * (ordered[below] - ordered[below - 1])


@dataclass(frozen=True)
class Distribution:
    """One figure across a federation's centres of one year (none of them named)."""

    code: str
    count: int  # centres for which the figure is defined
    low_quartile: float | None  # None when fewer than MIN_GROUP centres
    median: float | None
    high_quartile: float | None
    own: float | None = None  # the member's own centre, when it has the figure
    position: str | None = None  # BELOW, LOWER_MIDDLE, UPPER_MIDDLE or ABOVE

    @property
    def suppressed(self) -> bool:
        return self.median is None


def centres_counted(found: list[Distribution]) -> int:
    """How many centres the best-known figure of ``found`` is defined for: fewer than
    ``MIN_GROUP``, and the federation's group is too small to show."""
    return max((d.count for d in found), default=0)


def position(value: float, low: float, median: float, high: float) -> str:
    """Where a value stands against the quartiles (on a boundary: the lower side)."""
    if value < low:
        return BELOW
    if value <= median:
        return LOWER_MIDDLE
    if value <= high:
        return UPPER_MIDDLE
    return ABOVE


def distribution(reports: list[ComparedRow], code: str, own: ComparedRow | None = None) -> Distribution:
    """A figure's distribution over ``reports`` (one per centre), with ``own``'s place in it."""
    ordered = sorted(v for v in (value_of(r, code) for r in reports) if v is not None)
    mine = value_of(own, code) if own is not None else None
    if len(ordered) < MIN_GROUP:
        return Distribution(code, len(ordered), None, None, None, mine, None)
    low, median, high = (hazen_quantile(ordered, q) for q in (0.25, 0.5, 0.75))
    return Distribution(
        code, len(ordered), low, median, high, mine, None if mine is None else position(mine, low, median, high)
    )


def distributions(reports: list[ComparedRow], own: ComparedRow | None = None) -> list[Distribution]:
    """Every distributed figure's distribution, in the order shown."""
    return [distribution(reports, code, own) for code in DISTRIBUTED]


def formatted_as(code: str) -> str:
    """The registry figure whose number format a distributed figure shares (money, hours…)."""
    return NORMALISED[code][1] if code in NORMALISED else code

"""Where a centre stands in its federation, without exposing any other centre.

A member receives the federation's **distribution** of each compared figure (how many centres,
quartiles and median) and where their own centre stands, never another centre's row. What it is
shown of the others moves with nothing it controls, and gives no centre's exact figure (issue 33:
with five centres, a member that imported its own centre at 0,01 € and then 1 000 000 000 € read
the four others' resources off the quartiles):

- the member's own centre is **not among** the centres of the distribution shown to it (its
  imports move nothing it is shown), and the smallest group, ``MIN_GROUP``, is counted without
  it: fewer other centres than that and no distribution at all (with three, the median is one
  of them);
- the quartiles and the median are **published rounded** to ``SIGNIFICANT`` significant figures
  (``published``): the median of five centres is one of them, so its exact value is never shown;
- its own centre's place is read against those published numbers, never the exact ones, so that
  importing values on either side of an exact quartile finds nothing (the probe of a bisection).

Some figures are also given on a common base (per inhabitant of the territory, per 1 000 € of
resources). The social-value ratio is never part of a distribution: it is never ranked (SROI
guidance), only shown with its range and evidence. Definitions in docs/indicateurs.md ("Se situer
dans sa fédération"); what a member or an analyst can and cannot learn in docs/federations.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import isfinite
from typing import Callable

from valuechain.chain import figures as registry
from valuechain.chain.compare import ComparedRow, figure_value

# Fewer centres than this (the viewer's own not counted) and no distribution is shown, nor any
# "Centre A" letters.
MIN_GROUP = 5
# The quartiles and median shown are rounded to this many significant figures (3 702,21 € → 3 700 €).
SIGNIFICANT = 2

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


def published(value: float) -> float:
    """A statistic as it is shown: rounded half up to ``SIGNIFICANT`` significant figures, so that
    an order statistic (the median of five centres is the third of them) never gives a centre's
    exact value. 3 702,21 → 3 700; 0,5773 → 0,58; 5 250 → 5 300.

    >>> published(3702.21), published(0.5773), published(5250.0), published(0.0)
    (3700.0, 0.58, 5300.0, 0.0)
    """
    if value == 0 or not isfinite(value):
        return value
    exact = Decimal(repr(value))
    step = Decimal(1).scaleb(exact.adjusted() - SIGNIFICANT + 1)
    return float(exact.quantize(step, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Distribution:
    """One figure across a federation's centres of one year (none of them named), as it is shown:
    the quartiles and median ``published`` (rounded), over the centres other than the viewer's."""

    code: str
    count: int  # centres for which the figure is defined, the viewer's own not among them
    low_quartile: float | None  # None when fewer than MIN_GROUP centres
    median: float | None
    high_quartile: float | None
    own: float | None = None  # the member's own centre, when it has the figure
    position: str | None = None  # BELOW, LOWER_MIDDLE, UPPER_MIDDLE or ABOVE the published numbers
    total: int = 0  # centres of the group, the figure defined or not (the viewer's own not among them)

    @property
    def missing(self) -> int:
        """Centres of the group with no value for this figure (a blank population, no resources)."""
        return max(0, self.total - self.count)

    @property
    def for_lack_of_data(self) -> bool:
        """Suppressed because centres lack the figure, not because the group is small: enough
        centres, too few of them with a value."""
        return self.suppressed and self.total >= MIN_GROUP

    @property
    def suppressed(self) -> bool:
        return self.median is None


def centres_counted(found: list[Distribution]) -> int:
    """How many centres the best-known figure of ``found`` is defined for."""
    return max((d.count for d in found), default=0)


def centres_in_group(found: list[Distribution]) -> int:
    """How many centres the group holds, whatever figures they have: fewer than ``MIN_GROUP``,
    and the federation's group is too small to show (a figure defined for too few of a large
    enough group is a lack of data, said on its own row)."""
    return max((max(d.total, d.count) for d in found), default=0)


def position(value: float, low: float, median: float, high: float) -> str:
    """Where a value stands against the quartiles (on a boundary: the lower side)."""
    if value < low:
        return BELOW
    if value <= median:
        return LOWER_MIDDLE
    if value <= high:
        return UPPER_MIDDLE
    return ABOVE


def distribution(others: list[ComparedRow], code: str, own: ComparedRow | None = None) -> Distribution:
    """A figure's distribution over ``others`` (one report per centre, never the viewer's own:
    what the viewer imports must move nothing it is shown), with ``own``'s place in it."""
    ordered = sorted(v for v in (value_of(r, code) for r in others) if v is not None)
    mine = value_of(own, code) if own is not None else None
    if len(ordered) < MIN_GROUP:
        return Distribution(code, len(ordered), None, None, None, mine, None, total=len(others))
    low, median, high = (published(hazen_quantile(ordered, q)) for q in (0.25, 0.5, 0.75))
    return Distribution(
        code,
        len(ordered),
        low,
        median,
        high,
        mine,
        None if mine is None else position(mine, low, median, high),
        total=len(others),
    )


def distributions(others: list[ComparedRow], own: ComparedRow | None = None) -> list[Distribution]:
    """Every distributed figure's distribution over ``others``, in the order shown."""
    return [distribution(others, code, own) for code in DISTRIBUTED]


def formatted_as(code: str) -> str:
    """The registry figure whose number format a distributed figure shares (money, hours…)."""
    return NORMALISED[code][1] if code in NORMALISED else code

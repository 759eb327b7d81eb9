"""Social value from outcomes: the SROI value map of a centre's optional Effets sheet.

Each outcome's impact is its quantity × the proxy's value, less what would have happened
anyway (deadweight), what it displaced, and what is due to others (attribution); it lasts
``duration`` years, declining by ``drop_off`` a year after the first, and each year is discounted
once more. The ratio compares the sum of present values with the resources mobilised (the
contribution figure ``resources_total``), and is never shown without its range: one factor
at a time, each set low and high (``SENSITIVITY``). Definitions: ``docs/indicateurs.md``, and
the worked example of ``shared/social-value.md`` is ``tests/library/test_social_value.py``.

Outcomes without a quantity or a proxy value are listed, not valued. This value is never added
to the contribution figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from valuechain.model import OUTCOME_COLUMNS
from valuechain.vocabulary import DOMAINS, EVIDENCE, UNSPECIFIED_DOMAIN
from valuechain.words.messages import say

ADJUSTMENTS = ("deadweight", "displacement", "attribution", "drop_off")


@dataclass(frozen=True)
class Outcome:
    stakeholder: str
    outcome: str
    quantity: float | None
    proxy_value: float | None
    duration: int = 1
    deadweight: float = 0.0
    displacement: float = 0.0
    attribution: float = 0.0
    drop_off: float = 0.0
    evidence: str = "estime"
    domain: str | None = None
    activity: str | None = None
    indicator: str | None = None
    proxy: str | None = None
    proxy_source: str | None = None

    @property
    def valued(self) -> bool:
        return self.quantity is not None and self.proxy_value is not None


def impact_year1(o: Outcome) -> float:
    """I1 = q × p × (1 − deadweight) × (1 − displacement) × (1 − attribution)."""
    if not o.valued:
        return 0.0
    return o.quantity * o.proxy_value * (1 - o.deadweight) * (1 - o.displacement) * (1 - o.attribution)  # type: ignore[operator]


def present_value(o: Outcome, discount_rate: float) -> float:
    """Σ over t = 1…n of I1 × (1 − drop_off)^(t−1) / (1 + r)^t: year 1 discounted once."""
    first = impact_year1(o)
    return sum(first * (1 - o.drop_off) ** (t - 1) / (1 + discount_rate) ** t for t in range(1, o.duration + 1))


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


# Each factor of the sensitivity: (name, how every outcome and the rate change, low, high).
Settings = tuple[Callable[[Outcome], Outcome], Callable[[float], float]]
SENSITIVITY: tuple[tuple[str, Settings, Settings], ...] = (
    (
        "proxy",
        (lambda o: replace(o, proxy_value=o.proxy_value and o.proxy_value * 0.75), lambda r: r),
        (lambda o: replace(o, proxy_value=o.proxy_value and o.proxy_value * 1.25), lambda r: r),
    ),
    (
        "quantity",
        (lambda o: replace(o, quantity=o.quantity and o.quantity * 0.75), lambda r: r),
        (lambda o: replace(o, quantity=o.quantity and o.quantity * 1.25), lambda r: r),
    ),
    (
        "duration",
        (lambda o: replace(o, duration=max(1, o.duration - 1)), lambda r: r),
        (lambda o: replace(o, duration=o.duration + 1), lambda r: r),
    ),
    # Adjustments: more of them lowers the value, so the "low" setting adds 10 points.
    *(
        (
            name,
            (lambda o, n=name: replace(o, **{n: _clamp(getattr(o, n) + 0.10)}), lambda r: r),
            (lambda o, n=name: replace(o, **{n: _clamp(getattr(o, n) - 0.10)}), lambda r: r),
        )
        for name in ADJUSTMENTS
    ),
    ("discount_rate", (lambda o: o, lambda r: r + 0.015), (lambda o: o, lambda r: max(0.0, r - 0.015))),
)


@dataclass(frozen=True)
class OutcomeValue:
    outcome: Outcome
    impact_year1: float
    present_value: float


@dataclass(frozen=True)
class SocialValue:
    discount_rate: float
    investment: float
    outcomes: tuple[OutcomeValue, ...]
    present_value: float
    ratio: float | None
    net_present_value: float
    break_even_proxy_factor: float | None
    by_grade: dict[str, float]
    by_domain: dict[str, float]
    sensitivity: tuple[tuple[str, float | None, float | None], ...]  # (factor, low ratio, high ratio)

    @property
    def not_valued(self) -> list[Outcome]:
        return [v.outcome for v in self.outcomes if not v.outcome.valued]

    @property
    def ratio_range(self) -> tuple[float, float] | None:
        return ratio_range(self.ratio, [end for _, low, high in self.sensitivity for end in (low, high)])

    def share_of_grade(self, grade: str) -> float | None:
        return self.by_grade.get(grade, 0.0) / self.present_value if self.present_value else None


def ratio_range(ratio: float | None, ends: list[float | None]) -> tuple[float, float] | None:
    """The lowest low and the highest high of the sensitivity's ratios (``ends``), the ratio
    itself included: the ratio is never shown alone. None without a ratio."""
    values = [end for end in ends if end is not None]
    if ratio is None or not values:
        return None
    return min(values + [ratio]), max(values + [ratio])


def _total(outcomes: list[Outcome], discount_rate: float) -> float:
    return sum(present_value(o, discount_rate) for o in outcomes)


def social_value(outcomes: list[Outcome], investment: float, discount_rate: float) -> SocialValue:
    """The value map of ``outcomes`` against the resources mobilised (``investment``)."""
    values = tuple(OutcomeValue(o, impact_year1(o), present_value(o, discount_rate)) for o in outcomes)
    total = sum(v.present_value for v in values)
    ratio = total / investment if investment > 0 else None
    by_grade: dict[str, float] = {}
    by_domain: dict[str, float] = {}
    for v in values:
        if v.outcome.valued:
            by_grade[v.outcome.evidence] = by_grade.get(v.outcome.evidence, 0.0) + v.present_value
            # An outcome that names no domain is filed under "non renseigné", as the contribution
            # figures do, so that the parts add up to the present value.
            domain = v.outcome.domain or UNSPECIFIED_DOMAIN
            by_domain[domain] = by_domain.get(domain, 0.0) + v.present_value
    sensitivity = []
    for name, (low_outcome, low_rate), (high_outcome, high_rate) in SENSITIVITY:
        low: float | None
        high: float | None
        if investment > 0:
            low = _total([low_outcome(o) for o in outcomes], low_rate(discount_rate)) / investment
            high = _total([high_outcome(o) for o in outcomes], high_rate(discount_rate)) / investment
        else:
            low = high = None
        sensitivity.append((name, low, high))
    return SocialValue(
        discount_rate=discount_rate,
        investment=investment,
        outcomes=values,
        present_value=total,
        ratio=ratio,
        net_present_value=total - investment,
        break_even_proxy_factor=investment / total if total > 0 else None,
        by_grade={g: by_grade[g] for g in EVIDENCE.codes if g in by_grade},
        by_domain={d: by_domain[d] for d in (*DOMAINS.codes, UNSPECIFIED_DOMAIN) if d in by_domain},
        sensitivity=tuple(sensitivity),
    )


def outcomes_of(records) -> list[Outcome]:
    """The Effets sheet's valid rows (``CentreWorkbook.rows_of("outcomes")``) as outcomes, every
    column of the table given (None when missing, as a NaN is): read from the records, so that
    the command line's report on a workbook with outcomes does not load pandas (0.35 s)."""
    fields = [column for column in OUTCOME_COLUMNS if column in Outcome.__dataclass_fields__]
    return [
        Outcome(**{column: _none_for_nan(record.get(column)) for column in fields})  # type: ignore[arg-type]
        for record in records
    ]


def _none_for_nan(value: object) -> object:
    return None if value.__class__ is float and value != value else value


def has_outcomes_sheet(workbook) -> bool:
    """Whether the workbook describes outcomes at all: an Effets sheet with at least one row,
    valid or not. Rows in error still mean the centre tried: its social value is then 0, with
    the reason, never "not described"."""
    table = workbook.raw.tables.get("outcomes")
    return bool(table and table.rows)


def of_workbook(workbook, investment: float) -> SocialValue | None:
    """The centre's social value; None only when its workbook has no Effets sheet (or an
    empty one). When every row is in error, the value map has no outcome: present value 0."""
    if not has_outcomes_sheet(workbook):
        return None
    return social_value(outcomes_of(workbook.rows_of("outcomes")), investment, workbook.centre.discount_rate)


def as_json(value: SocialValue | None) -> dict | None:
    """``report --json``'s ``social_value`` (``shared/social-value.md``)."""
    if value is None:
        return None
    return {
        "discount_rate": value.discount_rate,
        "investment": value.investment,
        "present_value": value.present_value,
        "net_present_value": value.net_present_value,
        "ratio": value.ratio,
        "break_even_proxy_factor": value.break_even_proxy_factor,
        "outcomes": [
            {
                "stakeholder": v.outcome.stakeholder,
                "outcome": v.outcome.outcome,
                "impact_year1": v.impact_year1 if v.outcome.valued else None,
                "present_value": v.present_value if v.outcome.valued else None,
                "grade": v.outcome.evidence,
            }
            for v in value.outcomes
        ],
        "by_grade": value.by_grade,
        "by_domain": value.by_domain,
        "sensitivity": [{"factor": name, "low": low, "high": high} for name, low, high in value.sensitivity],
    }


# How it reads: one table and one sentence for the page, the PDF and the results workbook ----------------
VALUE_MAP_COLUMNS = (
    "stakeholder",
    "outcome",
    "activity",
    "domain",
    "indicator",
    "quantity",
    "proxy",
    "proxy_value",
    "proxy_source",
    "duration",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "evidence",
    "impact_year1",
    "present_value",
)
SHARE_COLUMNS = frozenset(ADJUSTMENTS)
MONEY_COLUMNS = frozenset({"proxy_value", "impact_year1", "present_value"})


def value_map(value: SocialValue, lang: str) -> tuple[list[str], list[list[object]]]:
    """The value map as headers and rows of plain values (shares as fractions, euros as
    numbers, a blank where an outcome is not valued); each medium formats them its way."""

    # The outcome's own columns under the editor's names; the two results under their own.
    headers = [
        say("social_value", f"col_{code}", lang)
        if code in MONEY_COLUMNS - {"proxy_value"}
        else say("column", f"outcomes.{code}", lang)
        for code in VALUE_MAP_COLUMNS
    ]
    rows = []
    for item in value.outcomes:
        o = item.outcome
        cells: dict[str, object] = {
            **{code: getattr(o, code) for code in VALUE_MAP_COLUMNS if hasattr(o, code)},
            "domain": DOMAINS.short(o.domain, lang) if o.domain else None,
            "evidence": EVIDENCE.label(o.evidence, lang),
            "impact_year1": item.impact_year1 if o.valued else None,
            "present_value": item.present_value if o.valued else None,
        }
        rows.append([cells.get(code) for code in VALUE_MAP_COLUMNS])
    return headers, rows

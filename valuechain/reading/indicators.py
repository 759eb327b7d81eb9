"""The Indicateurs table (figures the centre follows, by domain) → its valid rows."""

from __future__ import annotations

from typing import cast

from valuechain.cells import as_text, parse_number
from valuechain.model import ERROR, WARNING, IndicatorRecord
from valuechain.reading.cell_checks import CellChecks
from valuechain.vocabulary import DOMAINS, INDICATORS, canonical_unit


def read_indicators(checks: CellChecks) -> list[IndicatorRecord]:
    """The Indicateurs table's valid rows; a row with an error is left out, the error said."""
    indicators: list[IndicatorRecord] = []
    for row in checks.rows("indicators"):
        errors = checks.error_count
        domain_text = checks.required(INDICATORS, row, "domain")
        indicator = checks.required(INDICATORS, row, "indicator")
        domain = DOMAINS.match(domain_text) if domain_text else None
        if domain_text and domain is None:
            checks.report(
                WARNING,
                "domain_unknown",
                INDICATORS,
                row,
                "domain",
                domain_text,
                choices=[t.short("fr") for t in DOMAINS.terms],
            )
        value_cell = row.cells.get("value")
        # An indicator may fall (an evolution, a balance): negative values are kept.
        number = parse_number(value_cell, allow_negative=True)
        if number.error:
            checks.report(ERROR, number.error, INDICATORS, row, "value", value_cell)
        if row.broken or checks.error_count > errors:
            continue
        indicators.append(
            {
                "domain": domain,
                "domain_text": domain_text if domain is None else None,
                "indicator": cast(str, indicator),
                "value": number.value,  # required: checked above
                "unit": as_text(row.cells.get("unit")) or canonical_unit(number.unit),
                "activity": as_text(row.cells.get("activity")),
                "actor": as_text(row.cells.get("actor")),
                "source": as_text(row.cells.get("source")),
                "comment": as_text(row.cells.get("comment")),
                "extras": checks.extras(row, INDICATORS),
                "sheet": row.sheet,
                "row": row.row,
            }
        )
    return indicators

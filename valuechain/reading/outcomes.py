"""The optional Effets table (outcomes and their financial proxies: the social value) → its valid rows."""

from __future__ import annotations

from typing import Mapping, cast

from valuechain.cells import as_text, is_blank, parse_number, parse_percent
from valuechain.model import ERROR, WARNING
from valuechain.reading.cell_checks import CellChecks
from valuechain.reading.network import Node
from valuechain.vocabulary import (
    CATEGORIES,
    DEFAULT_EVIDENCE,
    DOMAINS,
    EVIDENCE,
    MAX_OUTCOME_YEARS,
    OUTCOMES,
    normalise_reference,
)


def read_outcomes(checks: CellChecks, nodes: Mapping[str, Node]) -> list[dict]:
    """The Effets table's valid rows (the social value), each stakeholder and activity looked
    up among the ``nodes`` of the value chain."""
    outcomes: list[dict] = []
    for row in checks.rows("outcomes"):
        errors = checks.error_count
        stakeholder = checks.required(OUTCOMES, row, "stakeholder")
        outcome = checks.required(OUTCOMES, row, "outcome")
        # A stakeholder is an actor of the map or a category of actors; anything else is
        # kept as written, and said.
        if stakeholder and normalise_reference(stakeholder) not in nodes and CATEGORIES.match(stakeholder) is None:
            checks.report(WARNING, "stakeholder_unknown", OUTCOMES, row, "stakeholder", stakeholder)
        activity = as_text(row.cells.get("activity"))
        if activity:
            node = nodes.get(normalise_reference(activity))
            if node is None or node.kind != "activity":
                checks.report(WARNING, "outcome_activity_unknown", OUTCOMES, row, "activity", activity)
        domain_text = as_text(row.cells.get("domain"))
        domain = DOMAINS.match(domain_text) if domain_text else None
        if domain_text and domain is None:
            checks.report(
                WARNING,
                "domain_unknown",
                OUTCOMES,
                row,
                "domain",
                domain_text,
                choices=[t.short("fr") for t in DOMAINS.terms],
            )
        numbers = {}
        for code in ("quantity", "proxy_value"):
            cell = row.cells.get(code)
            number = parse_number(cell)
            if number.error:
                checks.report(ERROR, number.error, OUTCOMES, row, code, cell)
            numbers[code] = number.value
        duration_cell = row.cells.get("duration")
        duration = 1
        if not is_blank(duration_cell):
            number = parse_number(duration_cell)
            if number.value is None or not 1 <= number.value <= MAX_OUTCOME_YEARS or number.value != int(number.value):
                checks.report(
                    ERROR, "duration_invalid", OUTCOMES, row, "duration", duration_cell, max=MAX_OUTCOME_YEARS
                )
            else:
                duration = int(number.value)
        shares = {}
        for code in ("deadweight", "displacement", "attribution", "drop_off"):
            cell = row.cells.get(code)
            share = parse_percent(cell)
            if share.error:
                checks.report(
                    ERROR,
                    "percent_invalid" if share.error == "number_invalid" else share.error,
                    OUTCOMES,
                    row,
                    code,
                    cell,
                )
            elif share.ambiguous:
                checks.report(WARNING, "percent_one", OUTCOMES, row, code, cell)
            shares[code] = share.value or 0.0
        evidence_text = as_text(row.cells.get("evidence"))
        evidence = EVIDENCE.match(evidence_text) if evidence_text else DEFAULT_EVIDENCE
        if evidence is None:
            checks.report(
                WARNING,
                "evidence_unknown",
                OUTCOMES,
                row,
                "evidence",
                evidence_text,
                choices=", ".join(t.label("fr") for t in EVIDENCE.terms),
                default=EVIDENCE.label(DEFAULT_EVIDENCE, "fr"),
            )
            evidence = DEFAULT_EVIDENCE
        if row.broken or checks.error_count > errors:
            continue
        # Listed, not valued: an outcome with no proxy value or no quantity (said once each).
        if numbers["proxy_value"] is None:
            checks.report(WARNING, "outcome_not_valued", OUTCOMES, row, "proxy_value", outcome=outcome)
        elif numbers["quantity"] is None:
            checks.report(WARNING, "outcome_no_quantity", OUTCOMES, row, "quantity", outcome=outcome)
        elif not as_text(row.cells.get("proxy_source")):
            checks.report(WARNING, "proxy_without_source", OUTCOMES, row, "proxy_source", outcome=outcome)
        outcomes.append(
            {
                "stakeholder": cast(str, stakeholder),
                "outcome": cast(str, outcome),
                "activity": activity,
                "domain": domain,
                "indicator": as_text(row.cells.get("indicator")),
                "quantity": numbers["quantity"],
                "proxy": as_text(row.cells.get("proxy")),
                "proxy_value": numbers["proxy_value"],
                "proxy_source": as_text(row.cells.get("proxy_source")),
                "duration": duration,
                **shares,
                "evidence": evidence,
                "comment": as_text(row.cells.get("comment")),
                "extras": checks.extras(row, OUTCOMES),
                "sheet": row.sheet,
                "row": row.row,
            }
        )
    return outcomes

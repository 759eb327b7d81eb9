"""A centre's figures as one object: the JSON of ``report --json`` and the text summary.

The JSON keys are a contract with scripts and federations (issue "metrics core"): shares are
fractions between 0 and 1, money in euros, undefined figures ``null``.
"""

from __future__ import annotations

from typing import Any

from valuechain.chain import figures as registry
from valuechain.chain import metrics
from valuechain.chain.analysis import Analysis
from valuechain.media import formatting as fmt
from valuechain.media import tables
from valuechain.vocabulary import NATURES, domain_label, unit_label
from valuechain.words.language import language
from valuechain.words.messages import figure_name, say


def _json_number(value: object) -> float | None:
    if isinstance(value, metrics.Undefined) or value is None:
        return None
    return round(float(value), 10)  # type: ignore[arg-type]  # a number once Undefined is out


# The two tables of the contract, each right after the figure it details.
_TABLES_AFTER = {"resources_total": "contributions", "evenness": "value_by_domain"}


def contract_keys() -> list[str]:
    """The keys ``report --json`` starts with, in order (the README and the CLI's help list
    them from here): the centre, the registry's figures with the two tables, the problems."""
    keys = ["centre", "year"]
    for code in registry.FIRST_SET:
        keys.append(code)
        if code in _TABLES_AFTER:
            keys.append(_TABLES_AFTER[code])
    return keys + ["problems"]


def _social_value_json(analysis: Analysis) -> dict | None:
    from valuechain.chain.social_value import as_json

    value = as_json(analysis.social_value)
    if value is None:
        return None

    def rounded(item):
        if isinstance(item, float):
            return round(item, 10)
        if isinstance(item, dict):
            return {k: rounded(v) for k, v in item.items()}
        if isinstance(item, list):
            return [rounded(v) for v in item]
        return item

    return rounded(value)


def figures(analysis: Analysis, lang: str = "fr") -> dict[str, Any]:
    """The figures of ``docs/indicateurs.md`` under their JSON keys, in the contract's order,
    read from the analysis (each computed once, by its one function)."""
    workbook = analysis.workbook
    # The rest first: the actor network's figures may be under way on another core
    # (``metrics.start_network_figures``), and the registry's figures ask for them last.
    analysis.compute(("contributions", "activity_costs", "rate_sensitivity", "evidence_range"))
    values: dict[str, Any] = {code: _json_number(value) for code, value in analysis.figures.items()}
    values["contributions"] = [
        {"actor": c.name, "category": c.category, "value": round(c.value, 10), "share": _json_number(c.share)}
        for c in analysis.contributions
    ]
    values["value_by_domain"] = {k: round(v, 10) for k, v in analysis.value_by_domain.items()}
    # The largest contributor's share comes with its actor.
    largest = analysis.largest_contribution
    values["largest_contribution_share"] = (
        None if isinstance(largest, metrics.Undefined) else {"actor": largest.actor, "share": round(largest.share, 10)}
    )
    result: dict[str, Any] = {"centre": workbook.centre.name, "year": workbook.centre.year}
    for key in contract_keys()[2:-1]:
        result[key] = values[key]
    result["problems"] = [p.as_dict(lang) for p in workbook.problems]
    # The second set, after the contract's keys.
    for code in registry.SECOND_SET:
        result[code] = values[code]
    result["activity_costs"] = [
        {
            "activity": c.activity,
            "direct": round(c.direct, 10),
            "support": round(c.support, 10),
            "operating": round(c.operating, 10),
            "full": round(c.full, 10),
            "people": round(c.people, 10),
            "per_person": _json_number(c.per_person),
        }
        for c in analysis.activity_costs
    ]
    result["rate_sensitivity"] = {
        side: {
            "rate": round(at.rate, 10),
            "resources_total": round(at.resources_total, 10),
            "leverage": _json_number(at.leverage),
            "non_monetary_share": _json_number(at.non_monetary_share),
            "volunteer_value": round(at.volunteer_value, 10),
        }
        for side, at in (("low", analysis.rate_sensitivity.low), ("high", analysis.rate_sensitivity.high))
    }
    evidence = analysis.evidence_range
    result["evidence_range"] = {
        "uncertain": round(evidence.uncertain, 10),
        **{
            at.side: {
                "resources_total": round(at.resources_total, 10),
                "leverage": _json_number(at.leverage),
                "non_monetary_share": _json_number(at.non_monetary_share),
                "volunteer_value": round(at.volunteer_value, 10),
            }
            for at in (evidence.low, evidence.high)
        },
    }
    # Keys beyond the contract: context a federation needs to read the figures fairly.
    result["volunteer_hourly_rate"] = workbook.centre.volunteer_hourly_rate
    result["estimated_share"] = _json_number(analysis.estimated_share)
    betweenness = analysis.figures["centre_betweenness"]
    result["centre_betweenness_estimate"] = (
        {"pivots": betweenness.pivots, "margin": round(betweenness.margin, 10)}
        if isinstance(betweenness, metrics.Estimate)
        else None
    )
    # The social value of the Effets sheet (shared/social-value.md): null without outcomes.
    result["social_value"] = _social_value_json(analysis)
    result["errors"] = len(workbook.errors)
    result["warnings"] = len(workbook.warnings)
    result["not_valued"] = analysis.not_valued_count
    result["federation"] = workbook.centre.federation
    result["town"] = workbook.centre.town
    result["population"] = workbook.centre.population
    return result


def problems_line(workbook, lang: str) -> str:
    """What reading found, in one sentence before the figures: "1 erreur : 1 ligne mise de côté,
    0 avertissement" (the rows in error count in no figure), or that there is no error."""
    warnings = say("count", "warnings", lang, count=len(workbook.warnings))
    if not workbook.errors:
        return say("ui", "report_no_error", lang, warnings=warnings)
    rows = {(p.sheet, p.row) for p in workbook.errors if p.row is not None}
    return say(
        "ui",
        "report_errors",
        lang,
        errors=say("count", "errors", lang, count=len(workbook.errors)),
        rows=say("count", "rows_aside", lang, count=len(rows)),
        warnings=warnings,
    )


def text_report(analysis: Analysis, lang: str = "fr") -> str:
    """A readable summary for the terminal, numbers formatted for the language."""
    lang = language(lang).code
    workbook = analysis.workbook
    lines = [say("ui", "report_title", lang, name=workbook.centre.name)]
    year = workbook.centre.year if workbook.centre.year is not None else say("ui", "year_unknown", lang)
    lines.append(say("ui", "label_value", lang, label=say("ui", "year", lang), value=year))
    lines.append(say("ui", "rate_used", lang, rate=fmt.money(workbook.centre.volunteer_hourly_rate, lang) + "/h"))
    lines.append(problems_line(workbook, lang))
    lines.append("")
    width = max(len(figure_name(code, lang)) for code in registry.CODES)
    for code, value in analysis.figures.items():
        note = fmt.estimate_note(code, value, lang)
        lines.append(
            f"  {figure_name(code, lang):<{width}}  {fmt.format_figure(code, value, lang)}"
            + (f"  ({note})" if note else "")
        )
    lines += [
        "",
        f"{figure_name('rate_sensitivity', lang)} — {tables.rate_range(analysis, lang)}",
        f"{say('app', 'evidence_range_title', lang)} — {tables.evidence_range(analysis, lang)}",
    ]
    lines += ["", say("ui", "contributors", lang)]
    for name, category, given, share in tables.shown(
        tables.CONTRIBUTION_COLUMNS, tables.contribution_rows(analysis, lang), lang
    ):
        lines.append(f"  {name:<32} {category:<24} {given:>16}  {share:>9}")
    lines += ["", figure_name("value_by_domain", lang)]
    for code, value in analysis.value_by_domain.items():
        lines.append(f"  {domain_label(code, lang):<32} {fmt.money(value, lang):>16}")
    lines += ["", say("ui", "per_activity", lang)]
    columns, rows = tables.select(
        tables.ACTIVITY_COLUMNS, tables.activity_rows(analysis, lang), ("activity", "resources", "in", "out")
    )
    for name, resources, flows_in, flows_out in tables.shown(columns, rows, lang):
        lines.append(f"  {name:<32} {resources:>16}  {flows_in} → {flows_out}")
    if analysis.activity_costs:
        lines += ["", figure_name("activity_costs", lang)]
        columns, rows = tables.select(
            tables.COST_COLUMNS, tables.cost_rows(analysis), ("activity", "full", "served", "per_person")
        )
        for name, full, people, per_person in tables.shown(columns, rows, lang):
            lines.append(f"  {name:<32} {full:>16}  {people:>8}  {per_person:>14}")
    brokerage = analysis.brokerage
    lines += [
        "",
        say("ui", "brokerage", lang),
        "  "
        + say(
            "ui",
            "neighbours",
            lang,
            partners=say("count", "partners", lang, count=brokerage.neighbours),
            pairs=say("count", "pairs_through_centre", lang, count=brokerage.pairs_linked),
        ),
    ]
    if analysis.social_value is not None:
        from valuechain.media.tables import in_words

        lines += ["", say("app", "page_social_value", lang), "  " + in_words(analysis.social_value, lang)]
    unvalued = analysis.not_valued
    if unvalued:
        lines += ["", f"{say('ui', 'not_valued', lang)} ({len(unvalued)})"]
        for u in unvalued[:20]:
            quantity = "" if u.quantity is None else f" {fmt.number(u.quantity, lang)} {unit_label(u.unit, lang)}"
            lines.append(f"  {u.source} → {u.target} : {NATURES.short(u.nature, lang)}{quantity}")
        if len(unvalued) > 20:
            lines.append(f"  … (+{len(unvalued) - 20})")
    return "\n".join(lines)

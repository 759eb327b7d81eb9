"""The Centre sheet's fields (name, year, town, rates, population, type…) → ``CentreInfo``.

A field that cannot be understood is left at its default, with a warning on its row."""

from __future__ import annotations

from valuechain.cells import as_text, is_blank, parse_number, parse_percent, parse_year
from valuechain.model import WARNING, CentreInfo, Problem
from valuechain.reading.cell_checks import CellChecks
from valuechain.vocabulary import CENTRE_TYPES, DEFAULT_DISCOUNT_RATE, DEFAULT_VOLUNTEER_HOURLY_RATE


def read_centre(checks: CellChecks) -> CentreInfo:
    """The Centre sheet's fields as understood: texts, the year, the rates, the type."""
    fields = checks.raw.centre_fields
    info = CentreInfo(name=as_text(fields.get("name", (None,))[0]) or "")
    for text_field in ("town", "department", "federation", "territory"):
        setattr(info, text_field, as_text(fields.get(text_field, (None,))[0]))
    year_cell = fields.get("year")
    if year_cell and not is_blank(year_cell[0]):
        year, understood = parse_year(year_cell[0])
        info.year = year
        if not understood:
            _report(checks, WARNING, "year_invalid", year_cell, "annee")
    if info.year is None:
        checks.problems.append(
            Problem(
                WARNING,
                "centre_year_missing",
                sheet=year_cell[1] if year_cell else None,
                row=year_cell[2] if year_cell else None,
                column="annee" if year_cell else None,
                table="centre",
            )
        )
    rate_cell = fields.get("volunteer_hourly_rate")
    if rate_cell and not is_blank(rate_cell[0]):
        rate = parse_number(rate_cell[0])
        # 0 is a choice (volunteer time counted in hours, not valued in euros), not a typo.
        if rate.value is not None and rate.value >= 0:
            info.volunteer_hourly_rate = rate.value
        else:
            _report(
                checks,
                WARNING,
                "centre_rate_invalid",
                rate_cell,
                "taux_horaire_benevolat",
                default=DEFAULT_VOLUNTEER_HOURLY_RATE,
            )
    for field_code, column in (("rate_low", "taux_horaire_bas"), ("rate_high", "taux_horaire_haut")):
        cell = fields.get(field_code)
        if cell and not is_blank(cell[0]):
            bound = parse_number(cell[0])
            if bound.value is not None:
                setattr(info, field_code, bound.value)
            else:
                _report(checks, WARNING, "centre_rate_bound_invalid", cell, column)
    population_cell = fields.get("population")
    if population_cell and not is_blank(population_cell[0]):
        population = parse_number(population_cell[0])
        if population.value is not None and population.value > 0:
            info.population = population.value
        else:
            _report(checks, WARNING, "centre_population_invalid", population_cell, "habitants_territoire")
    discount_cell = fields.get("discount_rate")
    if discount_cell and not is_blank(discount_cell[0]):
        discount = parse_percent(discount_cell[0])
        if discount.value is not None:
            info.discount_rate = discount.value
        else:
            _report(
                checks,
                WARNING,
                "centre_discount_invalid",
                discount_cell,
                "taux_actualisation",
                default=DEFAULT_DISCOUNT_RATE * 100,
            )
    type_cell = fields.get("type")
    if type_cell and not is_blank(type_cell[0]):
        code = CENTRE_TYPES.match(type_cell[0])
        if code is None:
            _report(checks, WARNING, "centre_type_unknown", type_cell, "type")
        info.type = code or "centre_social"
    info.extras = {k: v[0] for k, v in fields.items() if k not in CentreInfo.FIELDS}
    return info


def _report(checks: CellChecks, severity: str, code: str, cell: tuple, column: str, **params) -> None:
    value, sheet, row = cell
    checks.problems.append(
        Problem(
            severity,
            code,
            sheet=sheet,
            row=row,
            column=column,
            value=as_text(value),
            params=tuple(params.items()),
            table="centre",
        )
    )

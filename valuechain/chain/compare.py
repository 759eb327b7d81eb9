"""Centres side by side, with the same definitions, and the data quality next to the figures
so that no centre is judged on thin data."""

from __future__ import annotations

import hashlib
import hmac
import os
import string
from typing import Any

from valuechain.chain import figures as registry
from valuechain.chain.social_value import ratio_range
from valuechain.vocabulary import normalise_reference

QUALITY = ("estimated_share", "local_coverage", "errors", "warnings", "not_valued")

# A centre's row in a comparison (``comparison_part``): centre, year, federation, town, population,
# value_by_domain and social_value (its ratio and evidence), then each compared figure and each
# measure of data quality under its code (``figures.COMPARED``, ``QUALITY``); a stored comparison
# adds version_id, ``with_changes`` the change from the year before. Keyed by the registry's codes,
# read at run time, which a TypedDict cannot list.
ComparedRow = dict[str, Any]


def comparison_part(report: dict) -> ComparedRow:
    """What a comparison shows of a stored report (``report --json``): who, when, the figures
    compared, the data quality, the value by domain, and the social value's ratio and range
    (``anonymised_row`` keeps less again). Not the problems, activities or outcomes, which
    make most of a report and which no comparison shows."""
    kept = {key: report.get(key) for key in ("centre", "year", "federation", "town", "population", "value_by_domain")}
    for code in (*registry.COMPARED, *QUALITY):
        kept[code] = report.get(code)
    kept["social_value"] = social_evidence(report.get("social_value"))
    return kept


def social_evidence(social: dict | None) -> dict | None:
    """The social value's ratio with its evidence, read with it (how much of the value is
    measured, declared, assumed, and its range): never its outcomes, which name the people
    concerned."""
    if not social:
        return None
    return {
        "ratio": social.get("ratio"),
        "present_value": social.get("present_value"),
        "by_grade": dict(social.get("by_grade") or {}),
        "sensitivity": [
            {"factor": s.get("factor"), "low": s.get("low"), "high": s.get("high")}
            for s in social.get("sensitivity", [])
        ],
    }


def anonymous_names(count: int, lang: str) -> list[str]:
    """Centre A, Centre B, … Centre Z, Centre AA, …"""

    def letters(index: int) -> str:
        text = ""
        index += 1
        while index:
            index, rest = divmod(index - 1, 26)
            text = string.ascii_uppercase[rest] + text
        return text

    return [f"Centre {letters(i)}" for i in range(count)]


def aliases(names, lang: str, anonymise: bool = True, period: int | None = None) -> dict[str, str]:
    """How each centre is shown: itself, or, anonymised, "Centre A", "Centre B"… given in an
    order that says nothing of the names (not alphabetical: "Centre A" would otherwise be
    the centre whose name comes first). The order is a keyed hash of each name within the
    set compared and the ``period`` (a year), with ``VALUECHAIN_SECRET`` on a shared deployment
    so that nobody can recompute it from a list of the federation's centres: the same centres
    of the same year give every user and every process the same letters, and any change of
    year or of the centres draws them all again (issue 33: a letter kept from one year to the
    next would single out the centre that joined, the one letter with no row the year before)."""
    names = sorted(set(names), key=str.casefold)
    if not anonymise:
        return {name: name for name in names}
    key = "\0".join([os.environ.get("VALUECHAIN_SECRET", ""), str(period), *names]).encode()
    shuffled = sorted(names, key=lambda name: hmac.new(key, name.encode(), hashlib.sha256).digest())
    return dict(zip(shuffled, anonymous_names(len(names), lang)))


def centres_by_year(rows) -> dict[int | None, set[str]]:
    """The centres of each year among ``rows`` (a comparison's rows, or pairs (centre, year)):
    letters are drawn, and the smallest group counted, year by year."""
    found: dict[int | None, set[str]] = {}
    for row in rows:
        centre, year = (row["centre"], row.get("year")) if isinstance(row, dict) else row
        found.setdefault(year, set()).add(centre)
    return found


def letters_by_year(rows, lang: str) -> dict[tuple[str, int | None], str]:
    """Each centre's letter in each year of ``rows``, drawn among that year's centres."""
    return {
        (name, year): letter
        for year, names in centres_by_year(rows).items()
        for name, letter in aliases(names, lang, period=year).items()
    }


def figure_value(report: dict, code: str) -> float | None:
    """A figure of a report as a number (the largest contributor's share comes with its actor)."""
    value = report.get(code)
    return value.get("share") if isinstance(value, dict) else value


def change(current: dict, previous: dict) -> dict[str, dict[str, float | None]]:
    """Each compared figure's change from ``previous`` (year N − 1) to ``current`` (year N):
    absolute, and relative to the earlier value (``None`` when that is 0 or undefined)."""
    result = {}
    for code in registry.COMPARED:
        now, before = figure_value(current, code), figure_value(previous, code)
        absolute = None if now is None or before is None else now - before
        relative = None if absolute is None or not before else absolute / abs(before)
        result[code] = {"absolute": absolute, "relative": relative}
    return result


def with_changes(reports: list[ComparedRow]) -> list[ComparedRow]:
    """The reports, each with ``change`` from the same centre's report of the year before
    among them, or ``None`` when there is none."""
    by_centre_year = {(normalise_reference(r["centre"]), r.get("year")): r for r in reports}
    result = []
    for report in reports:
        year = report.get("year")
        previous = by_centre_year.get((normalise_reference(report["centre"]), year - 1)) if year else None
        result.append(dict(report, change=None if previous is None else change(report, previous)))
    return result


# What an anonymised row keeps, and nothing else (issue 33.8: an anonymised output that copied
# the report and took names out kept contributors, activities, problems, the population…). One
# whitelist for every anonymised medium: the JSON, the comparison's table and workbook, the pages'
# lettered rows. The social value keeps its ratio and its evidence, never its outcomes (they name
# the people concerned); the largest contributor keeps its share, never its actor.
ANONYMISED_KEYS: tuple[str, ...] = ("centre", "year", "value_by_domain", *registry.COMPARED, *QUALITY, "social_value")


def anonymised_row(report: dict, letter: str) -> ComparedRow:
    """A centre's report (``report --json`` or ``comparison_part``) as an anonymised output shows
    it: ``letter`` for its name, its year, and the figures of ``ANONYMISED_KEYS``."""
    kept: ComparedRow = {"centre": letter, "year": report.get("year")}
    kept["value_by_domain"] = {str(domain): value for domain, value in (report.get("value_by_domain") or {}).items()}
    for code in (*registry.COMPARED, *QUALITY):  # read now: the registry may gain a figure
        value = report.get(code)
        kept[code] = {"share": value.get("share")} if isinstance(value, dict) else value
    kept["social_value"] = social_evidence(report.get("social_value"))
    return kept


def is_anonymised(report: dict) -> bool:
    """Whether a row is already an anonymised one (a benchmark of the store, lettered there)."""
    return set(report) <= set(ANONYMISED_KEYS)


def anonymised_reports(reports: list[ComparedRow], lang: str) -> list[ComparedRow]:
    """Every report as ``anonymised_row``, each centre under its letter of that year
    (``letters_by_year``). Rows all anonymised already (the store's benchmarks) keep their
    letters, so that a page's table and charts say the same "Centre A"."""
    if all(is_anonymised(r) for r in reports):
        return list(reports)
    letters = letters_by_year(reports, lang)
    return [anonymised_row(r, letters[(r["centre"], r.get("year"))]) for r in reports]


def centre_names(reports: list[ComparedRow], followed: bool = False) -> list[str]:
    """The centres of a comparison, each once, by name (case left aside; under letters, in the
    letters' order); ``followed``: only those shown under their own name from a stored version,
    whose years may be followed (never a benchmark)."""
    return sorted({r["centre"] for r in reports if not followed or "version_id" in r}, key=str.casefold)


def domain_series(reports: list[ComparedRow], names: list[str]) -> dict[str, dict[str, float]]:
    """The value by domain of each centre of ``names``, in that order: a chart's series."""
    by_name = {r["centre"]: r["value_by_domain"] for r in reports}
    return {name: by_name[name] for name in names}


def year_and_before(reports: list[ComparedRow], year: int) -> tuple[ComparedRow | None, ComparedRow | None]:
    """A centre's report of ``year`` and of the year before, among its years (``None`` where
    the store has none)."""
    by_year = {r.get("year"): r for r in reports}
    return by_year.get(year), by_year.get(year - 1)


def social_ratio(report: dict) -> tuple[float | None, float | None, float | None]:
    """(ratio, lowest, highest) of a report's ``social_value`` (``report --json``), or Nones."""
    value = report.get("social_value") or {}
    ratio = value.get("ratio")
    ends = ratio_range(ratio, [end for s in value.get("sensitivity", []) for end in (s.get("low"), s.get("high"))])
    return (None, None, None) if ends is None else (ratio, *ends)

"""Centres side by side, with the same definitions, and the data quality next to the figures
so that no centre is judged on thin data."""

from __future__ import annotations

import hashlib
import hmac
import os
import string

import pandas as pd

from valuechain.words import catalogue
from valuechain.chain import figures as registry
from valuechain.media import formatting as fmt
from valuechain.words.messages import SOCIAL_VALUE, figure_definition, figure_name, lang_or_default
from valuechain.chain.social_value import ratio_range
from valuechain.vocabulary import normalise_reference
from valuechain.workbook.writing import workbook_bytes, write_table

QUALITY = ("estimated_share", "local_coverage", "errors", "warnings", "not_valued")
WORDS = catalogue.by_key("compare")


def comparison_part(report: dict) -> dict:
    """What a comparison shows of a stored report (``report --json``): who, when, the figures
    compared, the data quality, the value by domain, and the social value's ratio and range
    (``benchmark_report`` keeps less again). Not the problems, activities or outcomes, which
    make most of a report and which no comparison shows."""
    kept = {key: report.get(key) for key in ("centre", "year", "federation", "town", "population", "value_by_domain")}
    for code in (*registry.COMPARED, *QUALITY):
        kept[code] = report.get(code)
    social = report.get("social_value")
    kept["social_value"] = None if not social else {
        "ratio": social.get("ratio"),
        # Its evidence, read with the ratio: how much of the value is measured, declared, assumed.
        "present_value": social.get("present_value"), "by_grade": social.get("by_grade") or {},
        "sensitivity": [{"factor": s.get("factor"), "low": s.get("low"), "high": s.get("high")}
                        for s in social.get("sensitivity", [])]}
    return kept


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


def aliases(names, lang: str, anonymise: bool = True) -> dict[str, str]:
    """How each centre is shown: itself, or, anonymised, "Centre A", "Centre B"… given in an
    order that says nothing of the names (not alphabetical: "Centre A" would otherwise be
    the centre whose name comes first). The order is a keyed hash of each name within the
    set compared (with ``VALUECHAIN_SECRET`` on a shared deployment, so that nobody can
    recompute it from a list of the federation's centres): the same comparison gives every
    user, every process and every year the same letters."""
    names = sorted(set(names), key=str.casefold)
    if not anonymise:
        return {name: name for name in names}
    key = os.environ.get("VALUECHAIN_SECRET", "").encode() + b"\0" + "\0".join(names).encode()
    shuffled = sorted(names, key=lambda name: hmac.new(key, name.encode(), hashlib.sha256).digest())
    return dict(zip(shuffled, anonymous_names(len(names), lang)))


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


def with_changes(reports: list[dict]) -> list[dict]:
    """The reports, each with ``change`` from the same centre's report of the year before
    among them, or ``None`` when there is none."""
    by_centre_year = {(normalise_reference(r["centre"]), r.get("year")): r for r in reports}
    result = []
    for report in reports:
        year = report.get("year")
        previous = by_centre_year.get((normalise_reference(report["centre"]), year - 1)) if year else None
        result.append(dict(report, change=None if previous is None else change(report, previous)))
    return result


def anonymised_reports(reports: list[dict], lang: str) -> list[dict]:
    """Reports with each centre's name replaced by its alias, and what would name it
    (town, federation) removed."""
    shown = aliases((r["centre"] for r in reports), lang)
    return [dict(r, centre=shown[r["centre"]], town=None, federation=None) for r in reports]


def comparison_frame(reports: list[dict], lang: str = "fr", anonymise: bool = False,
                     formatted: bool = False, rows: slice | None = None, social: bool = True) -> pd.DataFrame:
    """One row per centre and year: the figures under their one name, then data quality.

    ``reports`` are ``report.figures`` objects (the JSON of ``report --json``). Anonymised,
    each centre keeps its letter across years within one comparison (``aliases``), and rows
    are in the order of the letters. ``rows`` keeps some of those rows only (a page of 50 of
    2,300 centres: only they are written as text). ``social`` off leaves out the social value's
    ratio: a table a reader can sort shows it apart (``social_frame``), never ranked."""
    lang = lang_or_default(lang)
    shown = aliases((r["centre"] for r in reports), lang, anonymise)
    ordered = sorted(reports, key=lambda r: (shown[r["centre"]].casefold(), r.get("year") or 0))
    table = []
    for report in ordered[rows] if rows is not None else ordered:
        row = {WORDS["centre"][lang]: shown[report["centre"]], WORDS["year"][lang]: report.get("year")}
        if not anonymise:
            row[WORDS["federation"][lang]] = report.get("federation") or (fmt.DASH if formatted else None)
        # Data quality first, beside the centre: a figure is read with what it rests on, and a
        # wide table shows these columns without scrolling.
        for code in QUALITY:
            quality: object = report.get(code)
            if formatted and code in ("estimated_share", "local_coverage"):
                quality = fmt.DASH if quality is None else fmt.percent(quality, lang)
            row[quality_header(code, lang)] = quality
        for code in registry.COMPARED:
            value = figure_value(report, code)
            row[figure_name(code, lang)] = _shown(code, value, lang) if formatted else value
        # The social value, for the centres that described their outcomes: the ratio and its
        # range, never the ratio alone; the others say so.
        if not social:
            table.append(row)
            continue
        ratio, low, high = social_ratio(report)
        missing = WORDS["social_not_filled"][lang]
        row[SOCIAL_VALUE["ratio"][lang]] = missing if ratio is None else (fmt.fixed(ratio, lang, 2) if formatted else ratio)
        row[SOCIAL_VALUE["range"][lang]] = missing if ratio is None else (
            f"{fmt.fixed(low, lang, 2)} – {fmt.fixed(high, lang, 2)}" if formatted else f"{low:.2f} – {high:.2f}")
        table.append(row)
    return pd.DataFrame(table)


def social_frame(reports: list[dict], lang: str = "fr", anonymise: bool = False) -> pd.DataFrame:
    """The social value of the centres that described their outcomes, in the order of the
    centres (never by ratio): the ratio with its range, and the share of its present value that
    is measured, self-reported and assumed. SROI guidance warns against ranking organisations by
    their ratio: this table is shown static, not sortable."""
    from valuechain.vocabulary import EVIDENCE

    lang = lang_or_default(lang)
    words = catalogue.by_language("benchmark")[lang]
    shown = aliases((r["centre"] for r in reports), lang, anonymise)
    rows = []
    for report in sorted(reports, key=lambda r: (shown[r["centre"]].casefold(), r.get("year") or 0)):
        ratio, low, high = social_ratio(report)
        if ratio is None:
            continue
        value = report.get("social_value") or {}
        total = value.get("present_value") or 0.0
        grades = value.get("by_grade") or {}
        evidence = " · ".join(f"{EVIDENCE.short(code, lang)} {fmt.percent(grades.get(code, 0.0) / total, lang)}"
                              for code in EVIDENCE.codes) if total else fmt.DASH
        rows.append({WORDS["centre"][lang]: shown[report["centre"]], WORDS["year"][lang]: report.get("year"),
                     words["col_ratio"]: f"{fmt.fixed(ratio, lang, 2)} ({fmt.fixed(low, lang, 2)} – {fmt.fixed(high, lang, 2)})",
                     words["col_evidence"]: evidence})
    return pd.DataFrame(rows)


def quality_header(code: str, lang: str) -> str:
    """A quality column's header: a figure of the registry keeps the figure's one name."""
    return figure_name(code, lang) if code in registry.BY_CODE else WORDS[code][lang]


def column_definitions(lang: str = "fr") -> dict[str, str]:
    """Each column of ``comparison_frame`` that needs one, with its definition: what a header
    means is read where the header is (the page's column help)."""
    lang = lang_or_default(lang)
    definitions = {figure_name(code, lang): figure_definition(code, lang) for code in registry.COMPARED}
    definitions.update({quality_header(code, lang): figure_definition(code, lang) if code in registry.BY_CODE
                        else WORDS[f"{code}_help"][lang] for code in QUALITY})
    definitions[SOCIAL_VALUE["ratio"][lang]] = SOCIAL_VALUE["ratio_help"][lang]
    definitions[SOCIAL_VALUE["range"][lang]] = SOCIAL_VALUE["range_help"][lang]
    return definitions


def social_ratio(report: dict) -> tuple[float | None, float | None, float | None]:
    """(ratio, lowest, highest) of a report's ``social_value`` (``report --json``), or Nones."""
    value = report.get("social_value") or {}
    ratio = value.get("ratio")
    ends = ratio_range(ratio, [end for s in value.get("sensitivity", []) for end in (s.get("low"), s.get("high"))])
    return (None, None, None) if ends is None else (ratio, *ends)


def _shown(code: str, value: object, lang: str) -> str:
    return fmt.DASH if value is None else fmt.format_figure(code, value, lang)


def change_frame(current: dict, previous: dict, lang: str) -> pd.DataFrame:
    """One centre's year-on-year change as a table: each compared figure, its two values, the
    change, and the change relative to the earlier value, written as the figures are."""
    lang = lang_or_default(lang)
    changes = change(current, previous)
    rows = []
    for code in registry.COMPARED:
        moved = changes[code]
        rows.append({
            WORDS["change_figure"][lang]: figure_name(code, lang),
            str(previous.get("year")): _shown(code, figure_value(previous, code), lang),
            str(current.get("year")): _shown(code, figure_value(current, code), lang),
            WORDS["change_absolute"][lang]: _change_shown(code, moved["absolute"], lang),
            WORDS["change_relative"][lang]: fmt.DASH if moved["relative"] is None else fmt.percent(moved["relative"], lang),
        })
    return pd.DataFrame(rows)


def _change_shown(code: str, change: float | None, lang: str) -> str:
    """A change as its figure is written, but a share's change in percentage points
    ("0,62 pt", not "0,62 %", which would read as a change relative to the share)."""
    if change is not None and registry.BY_CODE[code].reading.kind == "percent":
        return f"{fmt.number(change * 100, lang, 2)}\u00a0{WORDS['points'][lang]}"
    return _shown(code, change, lang)


def comparison_workbook(reports: list[dict], lang: str = "fr", anonymise: bool = False) -> bytes:
    """The comparison as .xlsx: numbers as numbers, names as text (never formulas)."""
    from openpyxl import Workbook

    frame = comparison_frame(reports, lang, anonymise)
    book = Workbook()
    sheet = book.active
    sheet.title = catalogue.text("compare", "sheet_title", lang_or_default(lang))
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    write_table(sheet, list(frame.columns), rows, [30, 8] + [16] * (len(frame.columns) - 2))
    return workbook_bytes(book)


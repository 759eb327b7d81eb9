"""Centres side by side as tables and files: the comparison, its data quality, the social-value
ratios apart, the change from one year to the next, the trend, and a federation's distribution.
Every figure written as the pages and the PDF write it (``formatting``); the numbers themselves
come from ``chain.compare`` and ``chain.distribution``."""

from __future__ import annotations

import pandas as pd

from valuechain.chain import figures as registry
from valuechain.chain.compare import QUALITY, ComparedRow, anonymised_reports, change, figure_value, social_ratio
from valuechain.chain.distribution import MIN_GROUP, NORMALISED, SIGNIFICANT, Distribution, formatted_as
from valuechain.media import formatting as fmt
from valuechain.vocabulary import EVIDENCE
from valuechain.words.language import language
from valuechain.words.messages import figure_definition, figure_name, say
from valuechain.workbook.writing import workbook_bytes, write_table


def comparison_frame(
    reports: list[ComparedRow],
    lang: str = "fr",
    anonymise: bool = False,
    formatted: bool = False,
    rows: slice | None = None,
    social: bool = True,
) -> pd.DataFrame:
    """One row per centre and year: the figures under their one name, then data quality.

    ``reports`` are ``report.figures`` objects (the JSON of ``report --json``). Anonymised,
    each row is what ``anonymised_reports`` keeps of it (its letter of that year, its figures,
    nothing else), and rows are in the order of the years and the letters. ``rows`` keeps some
    of those rows only (a page of 50 of 2,300 centres: only they are written as text).
    ``social`` off leaves out the social value's ratio: a table a reader can sort shows it apart
    (``social_frame``), never ranked."""
    lang = language(lang).code
    ordered = _in_order(reports, lang, anonymise)
    centre, year, federation = (say("compare", key, lang) for key in ("centre", "year", "federation"))
    missing = say("compare", "social_not_filled", lang)
    table = []
    for report in ordered[rows] if rows is not None else ordered:
        row = {centre: report["centre"], year: report.get("year")}
        if not anonymise:
            row[federation] = report.get("federation") or (fmt.DASH if formatted else None)
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
        row[say("social_value", "ratio", lang)] = (
            missing if ratio is None else (fmt.fixed(ratio, lang, 2) if formatted else ratio)
        )
        row[say("social_value", "range", lang)] = (
            missing
            if ratio is None
            else (f"{fmt.fixed(low, lang, 2)} – {fmt.fixed(high, lang, 2)}" if formatted else f"{low:.2f} – {high:.2f}")
        )
        table.append(row)
    return pd.DataFrame(table)


def social_frame(reports: list[ComparedRow], lang: str = "fr", anonymise: bool = False) -> pd.DataFrame:
    """The social value of the centres that described their outcomes, in the order of the
    centres (never by ratio): the ratio with its range, and the share of its present value that
    is measured, self-reported and assumed. SROI guidance warns against ranking organisations by
    their ratio: this table is shown static, not sortable."""

    lang = language(lang).code
    rows = []
    for report in _in_order(reports, lang, anonymise):
        ratio, low, high = social_ratio(report)
        if ratio is None:
            continue
        value = report.get("social_value") or {}
        total = value.get("present_value") or 0.0
        grades = value.get("by_grade") or {}
        evidence = (
            " · ".join(
                f"{EVIDENCE.short(code, lang)} {fmt.percent(grades.get(code, 0.0) / total, lang)}"
                for code in EVIDENCE.codes
            )
            if total
            else fmt.DASH
        )
        said_ratio = f"{fmt.fixed(ratio, lang, 2)} ({fmt.fixed(low, lang, 2)} – {fmt.fixed(high, lang, 2)})"
        rows.append(
            {
                say("compare", "centre", lang): report["centre"],
                say("compare", "year", lang): report.get("year"),
                say("benchmark", "col_ratio", lang): said_ratio,
                say("benchmark", "col_evidence", lang): evidence,
            }
        )
    return pd.DataFrame(rows)


def _in_order(reports: list[ComparedRow], lang: str, anonymise: bool) -> list[ComparedRow]:
    """The rows a table shows, in its order: by centre and year; anonymised, only what the one
    whitelist keeps (``anonymised_reports``, shared by every anonymised medium), by year and
    letter, since a letter holds for one year only."""
    if anonymise:
        return sorted(anonymised_reports(reports, lang), key=lambda r: (r.get("year") or 0, r["centre"].casefold()))
    return sorted(reports, key=lambda r: (r["centre"].casefold(), r.get("year") or 0))


def quality_header(code: str, lang: str) -> str:
    """A quality column's header: a figure of the registry keeps the figure's one name."""
    return figure_name(code, lang) if code in registry.BY_CODE else say("compare", code, lang)


def column_definitions(lang: str = "fr") -> dict[str, str]:
    """Each column of ``comparison_frame`` that needs one, with its definition: what a header
    means is read where the header is (the page's column help)."""
    lang = language(lang).code
    definitions = {figure_name(code, lang): figure_definition(code, lang) for code in registry.COMPARED}
    definitions.update(
        {
            quality_header(code, lang): figure_definition(code, lang)
            if code in registry.BY_CODE
            else say("compare", f"{code}_help", lang)
            for code in QUALITY
        }
    )
    definitions[say("social_value", "ratio", lang)] = say("social_value", "ratio_help", lang)
    definitions[say("social_value", "range", lang)] = say("social_value", "range_help", lang)
    return definitions


def _shown(code: str, value: object, lang: str) -> str:
    return fmt.DASH if value is None else fmt.format_figure(code, value, lang)


def change_frame(current: dict, previous: dict, lang: str) -> pd.DataFrame:
    """One centre's year-on-year change as a table: each compared figure, its two values, the
    change, and the change relative to the earlier value, written as the figures are."""
    lang = language(lang).code
    changes = change(current, previous)
    rows = []
    for code in registry.COMPARED:
        moved = changes[code]
        rows.append(
            {
                say("compare", "change_figure", lang): figure_name(code, lang),
                str(previous.get("year")): _shown(code, figure_value(previous, code), lang),
                str(current.get("year")): _shown(code, figure_value(current, code), lang),
                say("compare", "change_absolute", lang): _change_shown(code, moved["absolute"], lang),
                say("compare", "change_relative", lang): fmt.DASH
                if moved["relative"] is None
                else fmt.percent(moved["relative"], lang),
            }
        )
    return pd.DataFrame(rows)


def trend_frame(years: list[int], series: dict[str, list[tuple[int, float | None]]], lang: str) -> pd.DataFrame:
    """A centre's figures over its years (``evolution.trend``) as a table: one row a figure,
    under its name; one column a year; each value written as the figure is."""
    lang = language(lang).code
    return pd.DataFrame(
        {
            str(year): [
                _shown(code, value, lang) for code, values in series.items() for at, value in values if at == year
            ]
            for year in years
        },
        index=[figure_name(code, lang) for code in series],
    )


def _change_shown(code: str, change: float | None, lang: str) -> str:
    """A change as its figure is written, but a share's change in percentage points
    ("0,62 pt", not "0,62 %", which would read as a change relative to the share)."""
    if change is not None and registry.BY_CODE[code].number_format.kind == "percent":
        return f"{fmt.number(change * 100, lang, 2)}\u00a0{say('compare', 'points', lang)}"
    return _shown(code, change, lang)


def comparison_file_name(year: int | str, lang: str) -> str:
    """What the downloaded comparison is called, in the reader's words ("comparaison-2025.xlsx",
    "comparison-2025.xlsx"), from the Comparer and from the Exporter alike."""
    return f"{say('export_word', 'comparison', lang)}-{year}.xlsx"


def comparison_workbook(reports: list[ComparedRow], lang: str = "fr", anonymise: bool = False) -> bytes:
    """The comparison as .xlsx: numbers as numbers, names as text (never formulas)."""
    from openpyxl import Workbook

    frame = comparison_frame(reports, lang, anonymise)
    book = Workbook()
    sheet = book.active
    sheet.title = say("compare", "sheet_title", lang)
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    write_table(sheet, list(frame.columns), rows, [30, 8] + [16] * (len(frame.columns) - 2))
    return workbook_bytes(book)


def figure_label(code: str, lang: str) -> str:
    """A distributed figure's name: the registry's, or its own for a figure on a common base."""
    return say("benchmark", code, lang) if code in NORMALISED else figure_name(code, lang)


def distribution_frame(found: list[Distribution], lang: str, with_own: bool = True):
    """The distributions as a table written as the figures are: one row per figure, the count
    of centres, the quartiles and median, and (``with_own``) the user's centre and its place.
    A figure with fewer than ``MIN_GROUP`` centres says so instead of numbers."""
    lang = language(lang).code

    def shown(code: str, value: float | None) -> str:
        return fmt.DASH if value is None else fmt.format_figure(formatted_as(code), value, lang)

    def published(code: str, value: float | None) -> str:
        # Rounded to SIGNIFICANT figures: written without the decimals it no longer has.
        return fmt.published(registry.BY_CODE[formatted_as(code)].number_format, value, lang, SIGNIFICANT)

    rows = []
    for item in found:
        row = {
            say("benchmark", "col_figure", lang): figure_label(item.code, lang),
            say("benchmark", "col_count", lang): item.count,
        }
        if item.suppressed:
            # The real cause: centres without this figure, or a group too small.
            why = (
                say("benchmark", "missing_values", lang, missing=item.missing, total=item.total)
                if item.for_lack_of_data
                else say("benchmark", "too_few", lang, minimum=MIN_GROUP)
            )
            row.update(
                {
                    say("benchmark", "col_low", lang): why,
                    say("benchmark", "col_median", lang): fmt.DASH,
                    say("benchmark", "col_high", lang): fmt.DASH,
                }
            )
        else:
            row.update(
                {
                    say("benchmark", "col_low", lang): published(item.code, item.low_quartile),
                    say("benchmark", "col_median", lang): published(item.code, item.median),
                    say("benchmark", "col_high", lang): published(item.code, item.high_quartile),
                }
            )
        if with_own:
            row[say("benchmark", "col_own", lang)] = shown(item.code, item.own)
            row[say("benchmark", "col_position", lang)] = (
                say("benchmark", f"position_{item.position}", lang) if item.position else fmt.DASH
            )
        rows.append(row)
    return pd.DataFrame(rows)

"""Centres side by side, with the same definitions, and the data quality next to the figures
so that no centre is judged on thin data."""

from __future__ import annotations

import string

import pandas as pd

from . import formatting as fmt
from .messages import figure_name, lang_or_default
from .metrics import SCALAR_FIGURES
from .writing import workbook_bytes, write_table

COMPARED = ("resources_total", "public_funding", "leverage", "non_monetary_share", "volunteer_hours",
            "volunteer_value", "local_share", "support_share", "evenness", "centre_betweenness",
            "centre_dependence", "reciprocity", "people_reached", "intangible_share")
QUALITY = ("estimated_share", "local_coverage", "errors", "warnings", "not_valued")
WORDS = {
    "centre": {"fr": "Centre", "en": "Centre"}, "year": {"fr": "Année", "en": "Year"},
    "federation": {"fr": "Fédération", "en": "Federation"},
    "estimated_share": {"fr": "Part estimée", "en": "Share estimated"},
    "local_coverage": {"fr": "Couverture locale", "en": "Locality coverage"},
    "errors": {"fr": "Erreurs", "en": "Errors"}, "warnings": {"fr": "Avertissements", "en": "Warnings"},
    "not_valued": {"fr": "Flux non valorisés", "en": "Flows not valued"},
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


def comparison_frame(reports: list[dict], lang: str = "fr", anonymise: bool = False,
                     formatted: bool = False) -> pd.DataFrame:
    """One row per centre and year: the figures under their one name, then data quality.

    ``reports`` are ``report.figures`` objects (the JSON of ``report --json``). Anonymised
    names are given in alphabetical order of the real names, so that a centre keeps its letter
    across years within one comparison."""
    lang = lang_or_default(lang)
    names = sorted({r["centre"] for r in reports}, key=str.casefold)
    aliases = dict(zip(names, anonymous_names(len(names), lang))) if anonymise else {n: n for n in names}
    rows = []
    for report in sorted(reports, key=lambda r: (str(r["centre"]).casefold(), r.get("year") or 0)):
        row = {WORDS["centre"][lang]: aliases[report["centre"]], WORDS["year"][lang]: report.get("year")}
        if not anonymise:
            row[WORDS["federation"][lang]] = report.get("federation")
        for code in COMPARED:
            value = report.get(code)
            row[figure_name(code, lang)] = _shown(code, value, lang) if formatted else value
        for code in QUALITY:
            value = report.get(code)
            if formatted and code in ("estimated_share", "local_coverage"):
                value = fmt.percent(value, lang) if value is not None else fmt.DASH
            row[WORDS[code][lang]] = value
        rows.append(row)
    return pd.DataFrame(rows)


def _shown(code: str, value: object, lang: str) -> str:
    return fmt.DASH if value is None else fmt.format_figure(code, value, lang)


def comparison_workbook(reports: list[dict], lang: str = "fr", anonymise: bool = False) -> bytes:
    """The comparison as .xlsx: numbers as numbers, names as text (never formulas)."""
    from openpyxl import Workbook

    frame = comparison_frame(reports, lang, anonymise)
    book = Workbook()
    sheet = book.active
    sheet.title = {"fr": "Comparaison", "en": "Comparison"}[lang_or_default(lang)]
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    write_table(sheet, list(frame.columns), rows, [30, 8] + [16] * (len(frame.columns) - 2))
    return workbook_bytes(book)


assert set(COMPARED) <= set(SCALAR_FIGURES)

"""One entry for every take-away format, chosen from the output file's name (CLI and pages).

.pdf            the printable report          .xlsx        the results workbook
.kumu.xlsx      a workbook Kumu imports       .cvn.csv     the 86/87 in-kind table
.html           the map, standalone, offline  .png         the map as an image
.chain.png      the chain as an image         .domains.png / .contributions.png  charts
(a downloaded file's ending is in its language's words: .chaîne.png, .domaines.png; either reads)
.gexf .graphml  graph files for Gephi & co    .json        node-link JSON
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Callable

from valuechain.chain.analysis import Analysis
from valuechain.media import images
from valuechain.media.graph_files import gexf_bytes, graphml_bytes, node_link_json
from valuechain.media.kumu_workbook import kumu_workbook
from valuechain.media.mapview import map_html
from valuechain.media.results import contributions_in_kind, results_workbook
from valuechain.words.language import language, languages
from valuechain.words.messages import say, say_list

if TYPE_CHECKING:
    import networkx as nx

    from valuechain.chain.evolution import MatchDecision


def _cvn_csv(analysis: Analysis, lang: str, source: str | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(say_list("export_header", "in_kind", lang))
    for line in contributions_in_kind(analysis, lang):
        # A French Excel reads ";" and "1234,56"; a value is never a formula (it is a number).
        writer.writerow(
            [
                line.use_account,
                line.resource_account,
                line.heading,
                f"{line.value:.2f}".replace(".", language(lang).decimal),
                line.detail,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _pdf(analysis: Analysis, lang: str, source: str | None) -> bytes:
    from valuechain.media.pdf import pdf_report  # reportlab is loaded only when a report is asked for

    return pdf_report(analysis, lang, source)


EXPORTERS: dict[str, tuple[Callable[[Analysis, str, str | None], bytes], str]] = {
    ".kumu.xlsx": (
        lambda a, lang, s: kumu_workbook(a, lang),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ".cvn.csv": (_cvn_csv, "text/csv"),
    ".chain.png": (lambda a, lang, s: images.chain_png(a.graph, lang), "image/png"),
    ".domains.png": (lambda a, lang, s: images.domains_png(a.value_by_domain, lang), "image/png"),
    ".contributions.png": (lambda a, lang, s: images.contributions_png(a.contributions, lang), "image/png"),
    ".pdf": (_pdf, "application/pdf"),
    ".xlsx": (
        lambda a, lang, s: results_workbook(a, lang, s),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ".html": (lambda a, lang, s: map_html(a.graph, lang=lang, controls=True).encode("utf-8"), "text/html"),
    ".png": (lambda a, lang, s: images.map_png(a.graph, None, lang), "image/png"),
    ".gexf": (lambda a, lang, s: gexf_bytes(a.graph), "application/xml"),
    ".graphml": (lambda a, lang, s: graphml_bytes(a.graph), "application/xml"),
    ".json": (lambda a, lang, s: node_link_json(a.graph).encode("utf-8"), "application/json"),
}


# The word inside an ending, in each language's words: "Les-Castors-2025-fr.chaîne.png" in
# French, "…-en.chain.png" in English (msgctxt "export_word"); the other endings are formats'
# own names (.kumu.xlsx, .cvn.csv, .pdf…), the same in every language.
_WORDS = ("chain", "domains", "contributions", "evolution", "map")
_WORD = re.compile(r"(?<=[.\-])(" + "|".join(_WORDS) + r")(?=\.)")


def suffix_in(suffix: str, lang: str) -> str:
    """An ending as a file of ``lang`` is named: ``.chain.png`` → ``.chaîne.png`` in French.

    >>> suffix_in(".domains.png", "fr"), suffix_in("-evolution.pdf", "fr"), suffix_in(".pdf", "fr")
    ('.domaines.png', '-évolution.pdf', '.pdf')
    """
    return _WORD.sub(lambda word: say("export_word", word.group(1), lang), suffix)


def exporter_for(file_name: str) -> str | None:
    """The export format a file name asks for (the longest matching ending), its word in any
    language: ``rapport.chaîne.png`` is the chain, as ``report.chain.png`` is."""
    name = unicodedata.normalize("NFC", file_name).lower()
    endings = {suffix_in(suffix, spoken.code).lower(): suffix for suffix in EXPORTERS for spoken in languages()}
    for ending in sorted(endings, key=len, reverse=True):
        if name.endswith(ending):
            return endings[ending]
    return None


def export(analysis: Analysis, suffix: str, lang: str = "fr", source: str | None = None) -> bytes:
    return EXPORTERS[suffix][0](analysis, lang, source)


def report_with_years(
    analysis: Analysis,
    lang: str,
    source: str | None,
    years: list[tuple[int, nx.MultiDiGraph, dict]],
    decisions: Iterable[MatchDecision],
) -> bytes:
    """The PDF report with the centre's stored ``years`` (``access.stored_years``) before this
    workbook's, the workbook as the newest year (``evolution.with_current``)."""
    from valuechain.chain.evolution import with_current
    from valuechain.media.pdf import pdf_report  # reportlab is loaded only when a report is asked for
    from valuechain.media.report import figures

    found = with_current(years, decisions, analysis.workbook.centre.year, analysis.graph, figures(analysis, lang))
    return pdf_report(analysis, lang, source, evolution=found)


def file_name(analysis: Analysis, suffix: str, lang: str) -> str:
    """What a downloaded export is called: the centre and its year, then the language, then
    the ending in that language's words ("Les-Castors-2025-fr.chaîne.png", "…-en.chain.png"),
    the same from every page (Exporter, a closed workshop)."""
    stem = re.sub(r"[^\w\-]+", "-", analysis.name).strip("-") or "centre"
    year = analysis.workbook.centre.year
    named = suffix_in(suffix, lang)
    return f"{stem}-{year}-{lang}{named}" if year else f"{stem}-{lang}{named}"


def mime_type(suffix: str) -> str:
    return EXPORTERS[suffix][1]

"""What a director or an analyst takes away: the results workbook (with native Excel charts),
the contributions-in-kind table for the accounts' annex (86/87), graph files (GEXF, GraphML,
node-link JSON) and a workbook Kumu imports.

Text is always written as text (``writing.set_text_safe``): a name beginning with ``=`` never
becomes a formula, and XML and JSON writers escape what they write.
"""

from __future__ import annotations

import io
import re
import json
from dataclasses import dataclass

import networkx as nx
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from valuechain.words import catalogue
from valuechain.media import formatting as fmt
from valuechain.chain.analysis import Analysis
from valuechain.words.messages import UNDEFINED_REASONS, figure_definition, figure_name, fill, lang_or_default
from valuechain.chain import figures as registry
from valuechain.media import tables
from valuechain.chain.metrics import Undefined, resource_flows
from valuechain.vocabulary import domain_label
from valuechain.vocabulary import CATEGORIES, RESULT_SHEETS
from valuechain.workbook.writing import cell_for, visible_controls, workbook_bytes, write_header, write_raw_workbook, write_table

# Excel number formats of the other tables: those of the registry's readings.
MONEY_FORMAT = registry.MONEY.excel
PERCENT_FORMAT = registry.SHARE.excel

SHEETS = RESULT_SHEETS
HEADERS = catalogue.lists("export_header")


# Contributions volontaires en nature (plan comptable des associations, règlement ANC 2018-06):
# class 86 records their use, class 87 the contributions received, for the same amounts.
@dataclass(frozen=True)
class InKindLine:
    use_account: str
    resource_account: str
    heading: str
    value: float
    detail: str


IN_KIND_ACCOUNTS = {
    # nature: (86 account, 87 account); the heading of each line is in the catalogue
    # (context in_kind_heading). Account titles are the French chart of accounts' own words.
    "benevolat": ("864 Personnel bénévole", "870 Bénévolat"),
    "lieu": ("861 Mise à disposition gratuite de biens", "871 Prestations en nature"),
    "service": ("862 Prestations", "871 Prestations en nature"),
    "competences": ("862 Prestations", "871 Prestations en nature"),
    "nature": ("860 Secours en nature", "875 Dons en nature"),
}


def contributions_in_kind(analysis: Analysis, lang: str) -> list[InKindLine]:
    """Valued non-monetary resources grouped as the accounts' annex presents them, with the
    volunteer hourly rate used. Natures that are not contributions in kind in the accounts
    (information, recognition) are left out."""
    lang = lang_or_default(lang)
    totals: dict[str, float] = {}
    hours = 0.0
    for flow in resource_flows(analysis.graph):
        nature = flow.data["nature"]
        if nature in IN_KIND_ACCOUNTS and flow.data["value"]:
            totals[nature] = totals.get(nature, 0.0) + flow.data["value"]
            if nature == "benevolat":
                hours += flow.data["hours"] or 0.0
    rate = analysis.workbook.centre.volunteer_hourly_rate
    lines = []
    for nature in IN_KIND_ACCOUNTS:
        if nature not in totals:
            continue
        use, resource = IN_KIND_ACCOUNTS[nature]
        if nature == "benevolat":
            detail = fill(catalogue.text("export_word", "rate_detail", lang), lang,
                          hours=fmt.number(hours, lang, 1), rate=fmt.money(rate, lang))
        else:
            detail = ""
        lines.append(InKindLine(use, resource, catalogue.text("in_kind_heading", nature, lang), totals[nature], detail))
    return lines


# The results workbook ---------------------------------------------------------------------------------
def _bar_chart(sheet: Worksheet, title: str, rows: int, anchor: str, value_column: int,
               horizontal: bool = True) -> None:
    """A native Excel bar chart of ``value_column`` against the names in column A."""
    if rows == 0:
        return
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.legend = None
    chart.height, chart.width = max(7.5, 0.6 * rows + 3), 18
    chart.add_data(Reference(sheet, min_col=value_column, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    sheet.add_chart(chart, anchor)


def results_workbook(analysis: Analysis, lang: str = "fr", source_name: str | None = None) -> bytes:
    """The data sheets as imported (rows in error flagged), then the figures with their
    definitions, contributions, categories, domains, activities, in-kind table, unvalued
    flows and problems; native Excel charts beside the tables."""
    lang = lang_or_default(lang)
    workbook = analysis.workbook
    # Written as it goes, keeping no cell in memory (a centre of 20,000 flows made 336,000).
    book = write_raw_workbook(workbook.raw, lang, workbook.problems, write_only=True)

    sheet = book.create_sheet(SHEETS["figures"][lang], 0)
    write_header(sheet, HEADERS["figures"][lang], [22, 38, 18, 90, 30])
    for code in registry.CODES:
        value: object = analysis.figures[code]
        note = ""
        if isinstance(value, Undefined):
            note = UNDEFINED_REASONS.get(value.reason, {}).get(lang, value.reason)
            value = fmt.DASH
        sheet.append([cell_for(sheet, code), cell_for(sheet, figure_name(code, lang)),
                      cell_for(sheet, value, number_format=registry.BY_CODE[code].reading.excel),
                      cell_for(sheet, figure_definition(code, lang)), cell_for(sheet, note)])
    sheet.append([])
    for label, value, number_format in (("centre", workbook.centre.name, None), ("year", workbook.centre.year, None),
                                        ("file", source_name or workbook.raw.name, None),
                                        ("rate", workbook.centre.volunteer_hourly_rate, MONEY_FORMAT)):
        sheet.append([cell_for(sheet, catalogue.text("export_word", label, lang)),
                      cell_for(sheet, value, number_format=number_format)])
    # The figures that depend on the rate, at the low and the high rate.
    sheet.append([])
    sheet.append([cell_for(sheet, figure_name("rate_sensitivity", lang), font=Font(bold=True))])
    moved = ("resources_total", "leverage", "non_monetary_share", "volunteer_value")
    heads = [catalogue.text("centre_field", "volunteer_hourly_rate", lang)] + [figure_name(code, lang) for code in moved]
    formats = [MONEY_FORMAT] + [registry.BY_CODE[code].reading.excel for code in moved]
    sheet.append([None] + [cell_for(sheet, head) for head in heads])
    for at in (analysis.rate_sensitivity.low, analysis.rate_sensitivity.high):
        values = [at.rate, at.resources_total, at.leverage, at.non_monetary_share, at.volunteer_value]
        sheet.append([None] + [cell_for(sheet, fmt.DASH if isinstance(value, Undefined) else value, number_format=number_format)
                               for value, number_format in zip(values, formats)])

    sheet = book.create_sheet(SHEETS["contributions"][lang], 1)
    contributions = analysis.contributions
    write_table(sheet, tables.headers(tables.CONTRIBUTIONS, lang), tables.contribution_rows(analysis, lang),
                [36, 26, 16, 10], tables.excel_formats(tables.CONTRIBUTIONS))
    _bar_chart(sheet, figure_name("contributions", lang), min(len(contributions), 20), "F2", value_column=3)

    sheet = book.create_sheet(SHEETS["categories"][lang], 2)
    by_category = [(c, v) for c, v in analysis.contributions_by_category.items()]
    write_table(sheet, HEADERS["categories"][lang], [[CATEGORIES.short(c, lang), v] for c, v in by_category],
                [28, 16], {2: MONEY_FORMAT})
    if by_category:
        pie = PieChart()
        pie.title = figure_name("evenness", lang)
        pie.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(by_category) + 1), titles_from_data=True)
        pie.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(by_category) + 1))
        sheet.add_chart(pie, "D2")

    sheet = book.create_sheet(SHEETS["domains"][lang], 3)
    domains = list(analysis.value_by_domain.items())
    write_table(sheet, HEADERS["domains"][lang], [[domain_label(d, lang), v] for d, v in domains], [30, 16],
                {2: MONEY_FORMAT})
    _bar_chart(sheet, figure_name("value_by_domain", lang), len(domains), "D2", value_column=2, horizontal=False)

    sheet = book.create_sheet(SHEETS["activities"][lang], 4)
    columns, rows = tables.select(tables.ACTIVITIES, tables.activity_rows(analysis, lang),
                                  ("activity", "type", "lead", "resources", "hours", "in", "out", "people"))
    write_table(sheet, tables.headers(columns, lang), rows, [34, 12, 30, 16, 12, 10, 10, 12], tables.excel_formats(columns))

    sheet = book.create_sheet(SHEETS["in_kind"][lang], 5)
    lines = contributions_in_kind(analysis, lang)
    write_table(sheet, HEADERS["in_kind"][lang],
                [[l.use_account, l.resource_account, l.heading, l.value, l.detail] for l in lines],
                [40, 28, 46, 16, 36], {4: MONEY_FORMAT})
    sheet.append([None, None, cell_for(sheet, "Total", font=Font(bold=True)),
                  cell_for(sheet, sum(l.value for l in lines), number_format=MONEY_FORMAT)])

    sheet = book.create_sheet(SHEETS["not_valued"][lang], 6)
    write_table(sheet, tables.headers(tables.NOT_VALUED, lang), tables.not_valued_rows(analysis, lang),
                [30, 30, 18, 10, 10, 12, 12, 8], tables.excel_formats(tables.NOT_VALUED))

    sheet = book.create_sheet(SHEETS["problems"][lang], 7)
    problems = workbook.problems_frame(lang)
    write_table(sheet, list(problems.columns), problems.astype(object).where(problems.notna(), None).values.tolist(),
                [14, 14, 8, 16, 24, 100])

    sheet = book.create_sheet(SHEETS["costs"][lang], 8)
    write_table(sheet, tables.headers(tables.COSTS, lang), tables.cost_rows(analysis), [34, 16, 16, 16, 16, 12, 16],
                tables.excel_formats(tables.COSTS))
    if analysis.social_value is not None:
        _social_value_sheet(book.create_sheet(SHEETS["social_value"][lang], 9), analysis.social_value, lang)
    book.active = 0
    return workbook_bytes(book)


def _social_value_sheet(sheet, value, lang: str) -> None:
    """The social value: the ratio with its range and what it rests on, the value map with each
    proxy's source and the adjustments, and the sensitivity, factor by factor."""
    from valuechain.media.charts import label as chart_label
    from valuechain.words.messages import SOCIAL_VALUE, say
    from valuechain.chain.social_value import MONEY_COLUMNS, SHARE_COLUMNS, VALUE_MAP_COLUMNS, reading, value_map

    # Widths first: a sheet of a write-only workbook writes its columns before its rows.
    sheet.column_dimensions["A"].width = 44
    for letter in "BCDEFGHIJKLMNOPQ":
        sheet.column_dimensions[letter].width = 16
    bold = Font(bold=True)
    sheet.append([cell_for(sheet, reading(value, lang), font=bold)])
    sheet.append([])
    low_high = value.ratio_range or (None, None)
    summary = [("ratio", value.ratio, "0.00"), ("range", low_high[0], "0.00"), ("range", low_high[1], "0.00"),
               ("present_value", value.present_value, MONEY_FORMAT), ("investment", value.investment, MONEY_FORMAT),
               ("net_present_value", value.net_present_value, MONEY_FORMAT),
               ("break_even", value.break_even_proxy_factor, "0.00"), ("discount_rate", value.discount_rate, "0.0%")]
    for row, (key, number, number_format) in enumerate(summary, start=3):
        words = say(SOCIAL_VALUE, key, lang)
        if key == "range":  # its two ends, each named
            words += " — " + chart_label("sensitivity_low" if row == 4 else "sensitivity_high", lang)
        sheet.append([cell_for(sheet, words), cell_for(sheet, fmt.DASH if number is None else number, number_format=number_format)])
    sheet.append([])
    headers, rows = value_map(value, lang)
    sheet.append([cell_for(sheet, header, font=bold) for header in headers])
    for cells in rows:
        # A name is text, never a formula (cell_for); shares and sums in their formats.
        sheet.append([cell_for(sheet, cell, number_format="0%" if code in SHARE_COLUMNS else
                               MONEY_FORMAT if code in MONEY_COLUMNS else None)
                      for code, cell in zip(VALUE_MAP_COLUMNS, cells)])
    sheet.append([])
    sheet.append([])
    sheet.append([cell_for(sheet, header, font=bold) for header in (
        chart_label("tornado_title", lang, ratio=fmt.fixed(value.ratio, lang, 2)),
        chart_label("sensitivity_low", lang), chart_label("sensitivity_high", lang))])
    for name, low, high in value.sensitivity:
        sheet.append([cell_for(sheet, chart_label(f"sensitivity_{name}", lang))] +
                     [cell_for(sheet, fmt.DASH if number is None else number, number_format="0.00") for number in (low, high)])


# Graph files ---------------------------------------------------------------------------------------------------
def _scalar(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "|".join(str(v) for v in value)
    if isinstance(value, bool) or isinstance(value, (int, float, str)):
        return value
    return str(value)


def _one_type(values: list[object]) -> type:
    """The one type an attribute is declared with, from all its values: numbers stay numbers
    only when every value is one (GEXF declares a type once; GraphML one key per name)."""
    kinds = {type(v) for v in values}
    if kinds <= {bool}:
        return bool
    if kinds <= {int}:
        return int
    if kinds <= {int, float}:
        return float
    return str


def _typed(items: list[dict]) -> list[dict]:
    """Each attribute typed once, from all the values it takes."""
    types = {key: _one_type([item[key] for item in items if key in item]) for item in items for key in item}

    def cast(key: str, value: object) -> object:
        if types[key] is str and isinstance(value, float) and value.is_integer():
            return str(int(value))  # 3, not "3.0", in a column that holds text too
        return value if types[key] is bool else types[key](value)

    return [{key: cast(key, value) for key, value in item.items()} for item in items]


def _xml_scalar(value: object) -> object:
    """``_scalar``, with the control characters XML cannot hold shown as their pictures (a
    name stays whole and the file valid)."""
    value = _scalar(value)
    return visible_controls(value) if isinstance(value, str) else value


def portable_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GEXF and GraphML can hold, valid where strict tools read them:
    nodes and edges have stable ids (``n1``…, ``f1``…: an actor's name, with its spaces and
    accents, is its ``name`` attribute, not its id); each attribute has one type from all its
    values; lists as ``a|b``; extra columns as ``extra:<header>`` fields; missing values left
    out (those formats have no null). Parallel flows stay distinct edges, each with its id."""
    portable = nx.MultiDiGraph(**{k: _xml_scalar(v) for k, v in graph.graph.items()
                                  if v is not None and k not in ("name", "centre")})

    def attributes(data: dict) -> dict:
        result = {}
        for key, value in data.items():
            if key == "extras":
                result.update({visible_controls(f"extra:{k}"): _xml_scalar(v) for k, v in value.items() if v is not None})
            elif value is not None and value != ():
                result[key] = _xml_scalar(value)
        return result

    ids = {node: f"n{number}" for number, node in enumerate(graph.nodes, start=1)}
    centre = graph.graph.get("centre")
    if centre in ids:
        portable.graph["centre"] = ids[centre]
    nodes = _typed([dict(attributes(data), label=_xml_scalar(data.get("name", str(node))), valuechain_id=_xml_scalar(str(node)))
                    for node, data in graph.nodes(data=True)])
    for node, data in zip(graph.nodes, nodes):
        portable.add_node(ids[node], **data)
    edges = list(graph.edges(keys=True, data=True))
    for (source, target, _, _), data in zip(edges, _typed([attributes(d) for *_, d in edges])):
        portable.add_edge(ids[source], ids[target], key=f"f{portable.number_of_edges() + 1}", **data)
    return portable


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2draft, as Gephi reads it (the centre's name is no attribute of ``<graph>``,
    which that schema refuses)."""
    buffer = io.BytesIO()
    nx.write_gexf(portable_graph(graph), buffer, version="1.2draft")
    # networkx writes the graph's name, even empty; GEXF 1.2draft's schema has no such attribute.
    return re.sub(rb'(<graph [^>]*?) name="[^"]*"', rb"\1", buffer.getvalue(), count=1)


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(portable_graph(graph), buffer)
    return buffer.getvalue()


def node_link_json(graph: nx.MultiDiGraph) -> str:
    """networkx's node-link JSON ("nodes", "edges"), every attribute kept, null where missing."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, default=_scalar)

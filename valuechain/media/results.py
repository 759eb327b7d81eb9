"""What a director or an analyst takes away: the results workbook (with native Excel charts)
and the contributions-in-kind table for the accounts' annex (86/87). The graph files are in
``graph_files``, the workbook Kumu imports in ``kumu_workbook``.

Text is always written as text (``writing.set_text_safe``): a name beginning with ``=`` never
becomes a formula.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from valuechain.chain import figures as registry
from valuechain.chain.analysis import Analysis
from valuechain.chain.metrics import Undefined, resource_flows
from valuechain.media import formatting as fmt
from valuechain.media import tables
from valuechain.vocabulary import CATEGORIES, domain_label
from valuechain.words.language import language
from valuechain.words.messages import figure_definition, figure_name, say, say_list
from valuechain.workbook.writing import cell_for, workbook_bytes, write_header, write_raw_workbook, write_table

# Excel number formats of the other tables: those of the registry's figures.
MONEY_FORMAT = registry.MONEY.excel
PERCENT_FORMAT = registry.SHARE.excel


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
    # (context in_kind_heading). Account titles are the French chart of accounts' own words,
    # numbered as règlement ANC n° 2018-06 numbers them (870 dons en nature, 875 bénévolat:
    # 99-01 had them the other way round), as the FEC reader reads them (docs/comptes.md).
    "benevolat": ("864 Personnel bénévole", "875 Bénévolat"),
    "lieu": ("861 Mise à disposition gratuite de biens", "871 Prestations en nature"),
    "service": ("862 Prestations", "871 Prestations en nature"),
    "competences": ("862 Prestations", "871 Prestations en nature"),
    "nature": ("860 Secours en nature", "870 Dons en nature"),
}


def contributions_in_kind(analysis: Analysis, lang: str) -> list[InKindLine]:
    """Valued non-monetary resources grouped as the accounts' annex presents them, with the
    volunteer hourly rate used. Natures that are not contributions in kind in the accounts
    (information, recognition) are left out."""
    lang = language(lang).code
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
            detail = say(
                "export_word", "rate_detail", lang, hours=fmt.number(hours, lang, 1), rate=fmt.money(rate, lang)
            )
        else:
            detail = ""
        lines.append(InKindLine(use, resource, say("in_kind_heading", nature, lang), totals[nature], detail))
    return lines


# The results workbook ---------------------------------------------------------------------------------
def _bar_chart(
    sheet: Worksheet, title: str, rows: int, anchor: str, value_column: int, horizontal: bool = True
) -> None:
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
    lang = language(lang).code
    workbook = analysis.workbook
    # Written as it goes, keeping no cell in memory (a centre of 20,000 flows made 336,000).
    book = write_raw_workbook(workbook.raw, lang, workbook.problems, write_only=True)

    sheet = book.create_sheet(say("result_sheet", "figures", lang), 0)
    write_header(sheet, say_list("export_header", "figures", lang), [22, 38, 18, 90, 30])
    for code in registry.CODES:
        value: object = analysis.figures[code]
        note = ""
        if isinstance(value, Undefined):
            note = fmt.undefined_reason(value, lang)
            value = fmt.DASH
        sheet.append(
            [
                cell_for(sheet, code),
                cell_for(sheet, figure_name(code, lang)),
                cell_for(sheet, value, number_format=registry.BY_CODE[code].number_format.excel),
                cell_for(sheet, figure_definition(code, lang)),
                cell_for(sheet, note),
            ]
        )
    sheet.append([])
    for label, value, number_format in (
        ("centre", workbook.centre.name, None),
        ("year", workbook.centre.year, None),
        ("file", source_name or workbook.raw.name, None),
        ("rate", workbook.centre.volunteer_hourly_rate, MONEY_FORMAT),
    ):
        sheet.append(
            [cell_for(sheet, say("export_word", label, lang)), cell_for(sheet, value, number_format=number_format)]
        )
    # The figures that depend on the rate, at the low and the high rate.
    sheet.append([])
    sheet.append([cell_for(sheet, figure_name("rate_sensitivity", lang), font=Font(bold=True))])
    moved = ("resources_total", "leverage", "non_monetary_share", "volunteer_value")
    heads = [say("centre_field", "volunteer_hourly_rate", lang)] + [figure_name(code, lang) for code in moved]
    formats = [MONEY_FORMAT] + [registry.BY_CODE[code].number_format.excel for code in moved]
    sheet.append([None] + [cell_for(sheet, head) for head in heads])
    for at in (analysis.rate_sensitivity.low, analysis.rate_sensitivity.high):
        values = [at.rate, at.resources_total, at.leverage, at.non_monetary_share, at.volunteer_value]
        sheet.append(
            [None]
            + [
                cell_for(sheet, fmt.DASH if isinstance(value, Undefined) else value, number_format=number_format)
                for value, number_format in zip(values, formats)
            ]
        )

    sheet = book.create_sheet(say("result_sheet", "contributions", lang), 1)
    contributions = analysis.contributions
    write_table(
        sheet,
        tables.headers(tables.CONTRIBUTION_COLUMNS, lang),
        tables.contribution_rows(analysis, lang),
        [36, 26, 16, 10],
        tables.excel_formats(tables.CONTRIBUTION_COLUMNS),
    )
    _bar_chart(sheet, figure_name("contributions", lang), min(len(contributions), 20), "F2", value_column=3)

    sheet = book.create_sheet(say("result_sheet", "categories", lang), 2)
    by_category = [(c, v) for c, v in analysis.contributions_by_category.items()]
    write_table(
        sheet,
        say_list("export_header", "categories", lang),
        [[CATEGORIES.short(c, lang), v] for c, v in by_category],
        [28, 16],
        {2: MONEY_FORMAT},
    )
    if by_category:
        pie = PieChart()
        pie.title = figure_name("evenness", lang)
        pie.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(by_category) + 1), titles_from_data=True)
        pie.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(by_category) + 1))
        sheet.add_chart(pie, "D2")

    sheet = book.create_sheet(say("result_sheet", "domains", lang), 3)
    domains = list(analysis.value_by_domain.items())
    write_table(
        sheet,
        say_list("export_header", "domains", lang),
        [[domain_label(d, lang), v] for d, v in domains],
        [30, 16],
        {2: MONEY_FORMAT},
    )
    _bar_chart(sheet, figure_name("value_by_domain", lang), len(domains), "D2", value_column=2, horizontal=False)

    sheet = book.create_sheet(say("result_sheet", "activities", lang), 4)
    columns, rows = tables.select(
        tables.ACTIVITY_COLUMNS,
        tables.activity_rows(analysis, lang),
        ("activity", "type", "lead", "resources", "hours", "in", "out", "people"),
    )
    write_table(
        sheet, tables.headers(columns, lang), rows, [34, 12, 30, 16, 12, 10, 10, 12], tables.excel_formats(columns)
    )

    sheet = book.create_sheet(say("result_sheet", "in_kind", lang), 5)
    lines = contributions_in_kind(analysis, lang)
    write_table(
        sheet,
        say_list("export_header", "in_kind", lang),
        [[line.use_account, line.resource_account, line.heading, line.value, line.detail] for line in lines],
        [40, 28, 46, 16, 36],
        {4: MONEY_FORMAT},
    )
    sheet.append(
        [
            None,
            None,
            cell_for(sheet, "Total", font=Font(bold=True)),
            cell_for(sheet, sum(line.value for line in lines), number_format=MONEY_FORMAT),
        ]
    )

    sheet = book.create_sheet(say("result_sheet", "not_valued", lang), 6)
    write_table(
        sheet,
        tables.headers(tables.NOT_VALUED_COLUMNS, lang),
        tables.not_valued_rows(analysis, lang),
        [30, 30, 18, 10, 10, 12, 12, 8],
        tables.excel_formats(tables.NOT_VALUED_COLUMNS),
    )

    sheet = book.create_sheet(say("result_sheet", "problems", lang), 7)
    problems = workbook.problems_frame(lang)
    write_table(
        sheet,
        list(problems.columns),
        problems.astype(object).where(problems.notna(), None).values.tolist(),
        [14, 14, 8, 16, 24, 100],
    )

    sheet = book.create_sheet(say("result_sheet", "costs", lang), 8)
    write_table(
        sheet,
        tables.headers(tables.COST_COLUMNS, lang),
        tables.cost_rows(analysis),
        [34, 16, 16, 16, 16, 12, 16],
        tables.excel_formats(tables.COST_COLUMNS),
    )
    if analysis.social_value is not None:
        _social_value_sheet(
            book.create_sheet(say("result_sheet", "social_value", lang), 9), analysis.social_value, lang
        )
    book.active = 0
    return workbook_bytes(book)


def _social_value_sheet(sheet, value, lang: str) -> None:
    """The social value: the ratio with its range and what it rests on, the value map with each
    proxy's source and the adjustments, and the sensitivity, factor by factor."""
    from valuechain.chain.social_value import MONEY_COLUMNS, SHARE_COLUMNS, VALUE_MAP_COLUMNS, value_map
    from valuechain.media.tables import in_words

    # Widths first: a sheet of a write-only workbook writes its columns before its rows.
    sheet.column_dimensions["A"].width = 44
    for letter in "BCDEFGHIJKLMNOPQ":
        sheet.column_dimensions[letter].width = 16
    bold = Font(bold=True)
    sheet.append([cell_for(sheet, in_words(value, lang), font=bold)])
    sheet.append([])
    low_high = value.ratio_range or (None, None)
    summary = [
        ("ratio", value.ratio, "0.00"),
        ("range", low_high[0], "0.00"),
        ("range", low_high[1], "0.00"),
        ("present_value", value.present_value, MONEY_FORMAT),
        ("investment", value.investment, MONEY_FORMAT),
        ("net_present_value", value.net_present_value, MONEY_FORMAT),
        ("break_even", value.break_even_proxy_factor, "0.00"),
        ("discount_rate", value.discount_rate, "0.0%"),
    ]
    for row, (key, number, number_format) in enumerate(summary, start=3):
        words = say("social_value", key, lang)
        if key == "range":  # its two ends, each named
            words += " — " + say("chart", "sensitivity_low" if row == 4 else "sensitivity_high", lang)
        sheet.append(
            [
                cell_for(sheet, words),
                cell_for(sheet, fmt.DASH if number is None else number, number_format=number_format),
            ]
        )
    sheet.append([])
    headers, rows = value_map(value, lang)
    sheet.append([cell_for(sheet, header, font=bold) for header in headers])
    for cells in rows:
        # A name is text, never a formula (cell_for); shares and sums in their formats.
        sheet.append(
            [
                cell_for(
                    sheet,
                    cell,
                    number_format="0%" if code in SHARE_COLUMNS else MONEY_FORMAT if code in MONEY_COLUMNS else None,
                )
                for code, cell in zip(VALUE_MAP_COLUMNS, cells)
            ]
        )
    sheet.append([])
    sheet.append([])
    sheet.append(
        [
            cell_for(sheet, header, font=bold)
            for header in (
                say("chart", "tornado_title", lang, ratio=fmt.fixed(value.ratio, lang, 2)),
                say("chart", "sensitivity_low", lang),
                say("chart", "sensitivity_high", lang),
            )
        ]
    )
    for name, low, high in value.sensitivity:
        sheet.append(
            [cell_for(sheet, say("chart", f"sensitivity_{name}", lang))]
            + [cell_for(sheet, fmt.DASH if number is None else number, number_format="0.00") for number in (low, high)]
        )

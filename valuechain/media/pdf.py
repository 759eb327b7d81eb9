"""The printable report (PDF) a director hands to the CAF or the town council.

Rendered offline with reportlab: the DejaVu fonts come from matplotlib's own files, images
are drawn by ``images``; nothing is fetched. Every name is escaped before it reaches
reportlab's paragraph markup, so a name is printed as the characters it is made of.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from valuechain.chain import figures as registry
from valuechain.chain.analysis import Analysis
from valuechain.chain.metrics import Undefined
from valuechain.media import formatting as fmt
from valuechain.media import images, tables
from valuechain.media.results import contributions_in_kind
from valuechain.media.tables import evidence_range, rate_range
from valuechain.vocabulary import NATURES, domain_label, unit_label
from valuechain.words.language import language
from valuechain.words.messages import figure_definition, figure_name, say

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
TABLE_ROWS = 40
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
GREEN = colors.HexColor("#0b6e4f")
PAGE_HEIGHT = A4[1] - 1.8 * cm - 2 * cm  # the frame's height, between the top and bottom margins


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontSize=8, leading=10, splitLongWords=0),
        # A heading never ends a page alone: it goes with what follows it.
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=8, textColor=GREEN, keepWithNext=1
        ),
        # The wide tables (the value map): smaller, and a word of ours is never cut in two.
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=7, leading=8.8),
        "head_small": ParagraphStyle("head_small", parent=base, fontSize=7, leading=8.8, splitLongWords=0),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=28, leading=34, alignment=TA_CENTER),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=14, leading=18, alignment=TA_CENTER, textColor=GREEN
        ),
        "centre": ParagraphStyle("centre", parent=base, fontName=BOLD, fontSize=20, leading=26, alignment=TA_CENTER),
        "key_value": ParagraphStyle(
            "key_value", parent=base, fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER
        ),
        "key_name": ParagraphStyle("key_name", parent=base, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
    }


# A page holds about 4,000 characters: a longer text (a name pasted 10,000 times) cannot be
# laid out in a table cell. The printed report shortens it; the workbook export keeps it whole.
PRINTED_TEXT_LIMIT = 600


# reportlab breaks a line at U+202F, the narrow no-break space Babel puts between thousands
# in French ("86 659,71 €" printed as "86" then "659,71 €"); it keeps U+00A0 whole.
_BREAKABLE_NO_BREAK = str.maketrans({"\u202f": "\u00a0"})
_LINE_BREAKS = re.compile(r"[^\S\u00a0]+").split  # where reportlab may break a line: any space but U+00A0


def printed(text: object) -> str:
    """The text as the PDF prints it: a number never broken across two lines."""
    return ("" if text is None else str(text)).translate(_BREAKABLE_NO_BREAK)


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    text = printed(text)
    if len(text) > PRINTED_TEXT_LIMIT:
        text = text[: PRINTED_TEXT_LIMIT - 1] + "…"
    return Paragraph(escape(text), style)


def _unbroken_width(text: str, style: ParagraphStyle, header: bool) -> float:
    """The width of the widest part of a cell that must stay on one line: in a header, every
    word (a word of ours is never cut); elsewhere, every part with a digit (a number, an
    amount). A name is data and may be cut where it is longer than its column."""
    words = [word for word in _LINE_BREAKS(printed(text)) if header or any(c.isdigit() for c in word)]
    return max((pdfmetrics.stringWidth(word, style.fontName, style.fontSize) for word in words), default=0.0)


def _fitted(
    rows: list[list[str]], widths: list[float], styles: tuple[ParagraphStyle, ...], padding: float
) -> list[float]:
    """The columns' widths, widened where a number or a header's word would not fit and
    narrowed, where there is room, elsewhere: the table keeps its total width."""
    header_style, cell_style = styles
    need = [
        max(
            _unbroken_width(row[column], header_style if number == 0 else cell_style, number == 0)
            for number, row in enumerate(rows)
        )
        + padding
        + 1
        for column in range(len(widths))
    ]
    fitted = list(widths)
    missing = sum(max(n - w, 0.0) for n, w in zip(need, widths))
    if not missing:
        return fitted
    spare = [max(w - n, 0.0) for n, w in zip(need, widths)]
    room = sum(spare)
    taken = min(missing, room)
    for column, (n, w) in enumerate(zip(need, widths)):
        if n > w:
            fitted[column] = w + (n - w) * taken / missing
        else:
            fitted[column] = w - spare[column] * taken / room
    return fitted


def _table(
    rows: Sequence[Sequence[object]], widths: list[float], styles: dict, header: bool = True, small: bool = False
) -> Table:
    cell, head = (styles["cell_small"], styles["head_small"]) if small else (styles["cell"], styles["head"])
    if rows and all(not isinstance(value, Paragraph) for row in rows for value in row):
        texts = [[printed(value) for value in row] for row in rows]
        widths = _fitted(texts, widths, (head if header else cell, cell), 6.0 if small else 12.0)
    body = [
        [
            value if isinstance(value, Paragraph) else _p(value, head if header and number == 0 else cell)
            for value in row
        ]
        for number, row in enumerate(rows)
    ]
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#BBBBBB")), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if small:
        commands += [("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8F2EE"))]
    table.setStyle(TableStyle(commands))
    return table


def _image(png: bytes, width: float, height: float | None = None) -> Image:
    """The picture ``width`` wide, or less where it would be taller than ``height``."""
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    if height is not None and width * h / w > height:
        width = height * w / h
    return Image(io.BytesIO(png), width=width, height=width * h / w)


def _numbered_canvas(footer: str, lang: str):
    class NumberedCanvas(pdf_canvas.Canvas):
        """Writes "page n / total" once the total is known (a second pass over saved pages)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self.setFont(FONT, 8)
                    self.setFillColor(colors.HexColor("#555555"))
                    self.drawString(2 * cm, 1.2 * cm, footer)
                    self.drawRightString(
                        A4[0] - 2 * cm, 1.2 * cm, say("pdf", "page", lang, n=self._pageNumber, total=total)
                    )
                super().showPage()
            super().save()

    return NumberedCanvas


def _social_value(value, lang: str, styles: dict, width: float) -> list:
    """The ratio with its range and what it rests on, each outcome with its proxy's source and
    its adjustments, the sensitivity factor by factor, and what the ratio cannot say."""
    from valuechain.media.tables import in_words
    from valuechain.vocabulary import EVIDENCE

    # The ratio, its range and the break-even factor written as the page's cards write them.
    ratio, ratio_range, break_even = tables.ratio_texts(value, lang)
    summary = [
        [say("social_value", "ratio", lang), ratio],
        [say("social_value", "range", lang), ratio_range],
        [say("social_value", "present_value", lang), fmt.money(value.present_value, lang)],
        [say("social_value", "investment", lang), fmt.money(value.investment, lang)],
        [say("social_value", "net_present_value", lang), fmt.money(value.net_present_value, lang)],
        [say("social_value", "break_even", lang), break_even],
        [say("social_value", "discount_rate", lang), fmt.percent(value.discount_rate, lang, 1)],
    ]
    # Spaces around the slashes: the header wraps between words, never inside one.
    adjustments = " / ".join(
        say("column", f"outcomes.{c}", lang) for c in ("deadweight", "displacement", "attribution", "drop_off")
    )
    rows = [
        [
            say("column", "outcomes.stakeholder", lang),
            say("column", "outcomes.outcome", lang),
            f"{say('column', 'outcomes.proxy', lang)} ({say('column', 'outcomes.proxy_source', lang)})",
            f"{say('column', 'outcomes.quantity', lang)} × {say('column', 'outcomes.proxy_value', lang)}",
            say("column", "outcomes.duration", lang),
            adjustments,
            say("column", "outcomes.evidence", lang),
            say("social_value", "col_present_value", lang),
        ]
    ]
    for item in value.outcomes:
        o = item.outcome
        proxy = " — ".join(x for x in (o.proxy, o.proxy_source) if x) or fmt.DASH
        valued = f"{fmt.number(o.quantity, lang, 0)} × {fmt.money(o.proxy_value, lang)}" if o.valued else fmt.DASH
        shares = " / ".join(
            fmt.percent(getattr(o, c), lang, 0) for c in ("deadweight", "displacement", "attribution", "drop_off")
        )
        rows.append(
            [
                o.stakeholder,
                o.outcome,
                proxy,
                valued,
                o.duration,
                shares,
                EVIDENCE.label(o.evidence, lang),
                fmt.money(item.present_value, lang) if o.valued else fmt.DASH,
            ]
        )
    sensitivity = [
        [
            say("chart", "tornado_title", lang, ratio=fmt.fixed(value.ratio, lang, 2)) if value.ratio else "",
            say("chart", "sensitivity_low", lang),
            say("chart", "sensitivity_high", lang),
        ]
    ]
    sensitivity += [
        [
            say("chart", f"sensitivity_{name}", lang),
            fmt.fixed(low, lang, 2) if low is not None else fmt.DASH,
            fmt.fixed(high, lang, 2) if high is not None else fmt.DASH,
        ]
        for name, low, high in value.sensitivity
    ]
    why = [_p(say("social_value", "all_rows_in_error", lang), styles["base"])] if not value.outcomes else []
    return [
        PageBreak(),
        _p(say("app", "page_social_value", lang), styles["h1"]),
        *why,
        _p(in_words(value, lang), styles["base"]),
        Spacer(1, 0.3 * cm),
        _table(summary, [7 * cm, 4 * cm], styles, header=False),
        Spacer(1, 0.4 * cm),
        _table(
            rows,
            [2.2 * cm, 2.4 * cm, 2.4 * cm, 2.1 * cm, 1.4 * cm, 2.3 * cm, 2.1 * cm, width - 14.9 * cm],
            styles,
            small=True,
        ),
        Spacer(1, 0.4 * cm),
        KeepTogether([_table(sensitivity, [8 * cm, 3 * cm, 3 * cm], styles)]),
        Spacer(1, 0.3 * cm),
        _p(say("social_value", "limits", lang), styles["small"]),
    ]


def _evolution(found, lang: str, styles: dict, width: float) -> list:
    """The centre over its years (``evolution.Evolution``): the key figures year by year, and
    each year's renewal of resources against the year before (docs/indicateurs.md)."""
    from valuechain.chain.evolution import trend
    from valuechain.chain.figures import DEFINITIONS, KEY_FIGURES

    def share(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.percent(value, lang)

    years = [str(y) for y in found.years]
    series = trend(found.reports, KEY_FIGURES)
    figures_rows = [[say("pdf", "figure", lang), *years]]
    for code in KEY_FIGURES:
        figures_rows.append(
            [
                figure_name(code, lang),
                *(fmt.DASH if v is None else fmt.format_figure(code, v, lang) for _, v in series[code]),
            ]
        )
    renewal_rows = [
        [
            say("pdf", "year", lang),
            say("evolution", "new_share", lang),
            say("evolution", "new_hours_share", lang),
            say("evolution", "lost_share", lang),
            say("evolution", "lost_hours_share", lang),
            say("evolution", "kept", lang),
        ]
    ]
    for renewal in found.renewals:
        renewal_rows.append(
            [
                f"{renewal.previous_year} → {renewal.year}",
                share(renewal.new_share),
                share(renewal.new_hours_share),
                share(renewal.lost_share),
                share(renewal.lost_hours_share),
                str(len(renewal.kept)),
            ]
        )
    column = (width - 5 * cm) / max(len(years), 1)
    return [
        Spacer(1, 0.4 * cm),
        KeepTogether(
            [
                _p(say("app", "page_evolution", lang), styles["h1"]),
                _p(say("evolution", "definitions", lang, version=DEFINITIONS), styles["small"]),
                Spacer(1, 0.2 * cm),
                _table(figures_rows, [5 * cm] + [column] * len(years), styles),
            ]
        ),
        Spacer(1, 0.3 * cm),
        KeepTogether(
            [
                _p(say("evolution", "renewal_heading", lang), styles["h2"] if "h2" in styles else styles["base"]),
                _table(renewal_rows, [2.8 * cm] + [(width - 2.8 * cm) / 5] * 5, styles, small=True),
                _p(say("evolution", "renewal_reading", lang), styles["small"]),
            ]
        ),
    ]


def pdf_report(
    analysis: Analysis, lang: str = "fr", source_name: str | None = None, today: dt.date | None = None, evolution=None
) -> bytes:
    """The report as PDF bytes, in French or English; with the centre's years when
    ``evolution`` (``evolution.Evolution``, its last year this workbook's) is given."""
    lang = language(lang).code
    _register_fonts()
    styles = _styles()
    workbook = analysis.workbook
    centre = workbook.centre
    width = A4[0] - 4 * cm
    story: list = []

    # Cover
    story += [
        Spacer(1, 3 * cm),
        _p(say("pdf", "title", lang), styles["title"]),
        Spacer(1, 0.3 * cm),
        _p(say("pdf", "subtitle", lang), styles["subtitle"]),
        Spacer(1, 1.5 * cm),
        _p(centre.name, styles["centre"]),
        Spacer(1, 0.4 * cm),
    ]
    facts = [say("ui", "label_value", lang, label=say("pdf", "year", lang), value=centre.year or "—")]
    if centre.town:
        facts.append(say("ui", "label_value", lang, label=say("pdf", "town", lang), value=centre.town))
    if centre.federation:
        facts.append(centre.federation)
    story += [_p(" · ".join(facts), styles["subtitle"]), Spacer(1, 1.5 * cm)]
    key_codes = registry.KEY_FIGURES
    key_values = {
        c: fmt.DASH if isinstance(analysis.figures[c], Undefined) else fmt.format_figure(c, analysis.figures[c], lang)
        for c in key_codes
    }
    # Each key figure on one line in its third of the page: a large amount in a smaller size.
    key_style = styles["key_value"]
    widest = max(
        pdfmetrics.stringWidth(printed(v), key_style.fontName, key_style.fontSize) for v in key_values.values()
    )
    if widest > width / 3 - 14:
        size = key_style.fontSize * (width / 3 - 14) / widest
        key_style = ParagraphStyle("key_value_fitted", parent=key_style, fontSize=size, leading=size * 1.25)
    grid = []
    for start in (0, 3):
        grid.append([_p(key_values[c], key_style) for c in key_codes[start : start + 3]])
        grid.append([_p(figure_name(c, lang), styles["key_name"]) for c in key_codes[start : start + 3]])
    key_table = Table(grid, colWidths=[width / 3] * 3)
    key_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOTTOMPADDING", (0, 1), (-1, 1), 14)]))
    story += [key_table, Spacer(1, 2 * cm)]
    date = (today or dt.date.today()).strftime(say("pdf", "date_format", lang))
    story += [
        _p(say("pdf", "made", lang, date=date, file=source_name or workbook.raw.name), styles["small"]),
        Spacer(1, 0.2 * cm),
        _p(say("pdf", "method", lang), styles["small"]),
        PageBreak(),
    ]

    # Key figures with their definitions
    rows = [[say("pdf", "figure", lang), say("pdf", "value", lang), say("pdf", "definition", lang)]]
    for code in registry.CODES:
        value = analysis.figures[code]
        shown = fmt.format_figure(code, value, lang)
        rows.append([figure_name(code, lang), shown, figure_definition(code, lang)])
    story += [_p(say("pdf", "key", lang), styles["h1"]), _table(rows, [5.2 * cm, 3.6 * cm, width - 8.8 * cm], styles)]
    brokerage = analysis.brokerage
    story += [
        Spacer(1, 0.3 * cm),
        _p(
            say(
                "app",
                "brokerage",
                lang,
                neighbours=say("count", "partners", lang, count=brokerage.neighbours),
                pairs=say("count", "pairs_through_it", lang, count=brokerage.pairs_linked),
            ),
            styles["base"],
        ),
        Spacer(1, 0.2 * cm),
        _p(f"{figure_name('rate_sensitivity', lang)} — {rate_range(analysis, lang)}", styles["base"]),
        _p(f"{say('app', 'evidence_range_title', lang)} — {evidence_range(analysis, lang)}", styles["base"]),
        PageBreak(),
    ]

    # Map and chain
    story += [
        # The map takes its page: drawn upright, the page's size, its names at 7.5 points.
        _p(say("pdf", "map", lang), styles["h1"]),
        _image(images.map_png(analysis.graph, None, lang, width=7.0, height=9.6), width, PAGE_HEIGHT - 1.5 * cm),
        PageBreak(),
        _p(say("pdf", "chain", lang), styles["h1"]),
        _image(images.chain_png(analysis.graph, lang), width),
    ]

    # Domains
    story += [
        Spacer(1, 0.4 * cm),
        KeepTogether(
            [
                _p(say("pdf", "domains", lang), styles["h1"]),
                _image(images.domains_png(analysis.value_by_domain, lang), width * 0.8),
            ]
        ),
        PageBreak(),
    ]

    # Contributions
    story += [
        _p(say("pdf", "contributions", lang), styles["h1"]),
        _image(images.contributions_png(analysis.contributions, lang), width * 0.85),
        _image(images.categories_png(analysis.contributions_by_category, lang), width * 0.6),
    ]
    # A printed report lists the largest contributors and the others together; the results
    # workbook has them all.
    listed = tables.contribution_rows(analysis, lang, top=TABLE_ROWS)
    rows = [tables.headers(tables.CONTRIBUTION_COLUMNS, lang)] + tables.shown(tables.CONTRIBUTION_COLUMNS, listed, lang)
    story += [_table(rows, [6.5 * cm, 4.5 * cm, 3.2 * cm, width - 14.2 * cm], styles)]

    # Activities
    columns, listed = tables.select(
        tables.ACTIVITY_COLUMNS,
        tables.activity_rows(analysis, lang)[: TABLE_ROWS * 2],
        ("activity", "type", "resources", "hours", "people"),
    )
    rows = [tables.headers(columns, lang)] + tables.shown(columns, listed, lang)
    story += [
        Spacer(1, 0.4 * cm),
        _p(say("pdf", "activities", lang), styles["h1"]),
        _table(rows, [6.4 * cm, 2.6 * cm, 3.2 * cm, 2.4 * cm, width - 14.6 * cm], styles),
    ]

    # Full cost of each main activity
    if analysis.activity_costs:
        rows = [tables.headers(tables.COST_COLUMNS, lang)] + tables.shown(
            tables.COST_COLUMNS, tables.cost_rows(analysis)[: TABLE_ROWS * 2], lang
        )
        # The heading and its definition go with the table (they ended a page alone).
        story += [
            Spacer(1, 0.4 * cm),
            KeepTogether(
                [
                    _p(figure_name("activity_costs", lang), styles["h1"]),
                    _p(figure_definition("activity_costs", lang), styles["small"]),
                    _table(rows, [4.1 * cm] + [(width - 4.1 * cm) / 6] * 6, styles),
                ]
            ),
        ]

    # Indicators
    indicators = workbook.indicators
    rows = [[say("pdf", "domain", lang), say("pdf", "indicator", lang), say("pdf", "value", lang)]]
    rows += [
        [
            domain_label(r.domain, lang) if r.domain else (r.domain_text or "—"),
            r.indicator,
            f"{fmt.number(r.value, lang) if r.value is not None else '—'} {r.unit or ''}".strip(),
        ]
        for r in indicators.itertuples()
    ]
    story += [
        Spacer(1, 0.4 * cm),
        _p(say("pdf", "indicators", lang), styles["h1"]),
        _table(rows, [4.2 * cm, width - 8.2 * cm, 4 * cm], styles)
        if len(rows) > 1
        else _p(say("pdf", "none", lang), styles["base"]),
    ]

    # The centre over its stored years, when there are two or more
    if evolution is not None and len(evolution.years) >= 2:
        story += _evolution(evolution, lang, styles, width)

    # Social value (the Effets sheet), when the centre described its outcomes
    if analysis.social_value is not None:
        story += _social_value(analysis.social_value, lang, styles, width)

    # Contributions in kind
    lines = contributions_in_kind(analysis, lang)
    rows = [
        [
            say("pdf", "use", lang),
            say("pdf", "resource", lang),
            say("pdf", "heading", lang),
            say("pdf", "value", lang),
            say("pdf", "detail", lang),
        ]
    ]
    rows += [
        [line.use_account, line.resource_account, line.heading, fmt.money(line.value, lang), line.detail]
        for line in lines
    ]
    rows.append(["", "", "Total", fmt.money(sum(line.value for line in lines), lang), ""])
    story += [
        Spacer(1, 0.4 * cm),
        KeepTogether(
            [
                _p(say("pdf", "in_kind", lang), styles["h1"]),
                _table(rows, [3.8 * cm, 3.4 * cm, 4.4 * cm, 2.6 * cm, width - 14.2 * cm], styles),
            ]
        ),
    ]

    # Data quality and what is not valued
    unvalued = analysis.not_valued
    story += [
        Spacer(1, 0.4 * cm),
        _p(say("pdf", "quality", lang), styles["h1"]),
        _p(
            say(
                "pdf",
                "quality_text",
                lang,
                errors=say("count", "errors", lang, count=len(workbook.errors)),
                warnings=say("count", "warnings", lang, count=len(workbook.warnings)),
                estimated=fmt.percent(analysis.estimated_share, lang),
                coverage=fmt.percent(analysis.figures["local_coverage"], lang),
            ),
            styles["base"],
        ),
        Spacer(1, 0.2 * cm),
        _p(say("pdf", "not_valued", lang, count=len(unvalued)), styles["base"]),
    ]
    if unvalued:
        rows = [
            [say("pdf", "from", lang), say("pdf", "to", lang), say("pdf", "nature", lang), say("pdf", "quantity", lang)]
        ]
        rows += [
            [
                u.source,
                u.target,
                NATURES.short(u.nature, lang),
                f"{fmt.number(u.quantity, lang)} {unit_label(u.unit, lang)}".strip() if u.quantity is not None else "—",
            ]
            for u in unvalued[:60]
        ]
        story += [Spacer(1, 0.2 * cm), _table(rows, [5.2 * cm, 5.2 * cm, 3.4 * cm, width - 13.8 * cm], styles)]
    reasons = [
        say("ui", "label_value", lang, label=figure_name(code, lang), value=fmt.undefined_reason(v, lang))
        for code, v in analysis.figures.items()
        if isinstance(v, Undefined)
    ]
    if reasons:
        story += [Spacer(1, 0.2 * cm), _p(" · ".join(reasons), styles["small"])]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
        title=f"{say('pdf', 'title', lang)} — {centre.name}",
        author="valuechain",
        subject=say("pdf", "subtitle", lang),
    )
    footer = f"{centre.name} — {say('pdf', 'title', lang)} {centre.year or ''}".strip()
    document.build(story, canvasmaker=_numbered_canvas(footer, lang))
    return buffer.getvalue()

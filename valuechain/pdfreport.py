"""The printable report (PDF) a director hands to the CAF or the town council.

Rendered offline with reportlab: the DejaVu fonts come from matplotlib's own files, images
are drawn by ``images``; nothing is fetched. Every name is escaped before it reaches
reportlab's paragraph markup, so a name is printed as the characters it is made of.
"""

from __future__ import annotations

import datetime as dt
import io
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
from reportlab.platypus import (Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from . import formatting as fmt
from . import images
from .analysis import Analysis
from .exports import contributions_in_kind
from .messages import UNDEFINED_REASONS, figure_definition, figure_name, lang_or_default
from .metrics import SCALAR_FIGURES, Undefined
from .report import domain_label
from .vocabulary import ACTIVITY_TYPES, CATEGORIES, NATURES, unit_label

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
TABLE_ROWS = 40
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
GREEN = colors.HexColor("#0b6e4f")

TEXT = {
    "fr": {
        "title": "Chaîne de valeur territoriale", "subtitle": "Contribution du centre à son territoire",
        "year": "Année", "town": "Commune", "federation": "Fédération", "made": "Document établi le {date} à partir du fichier « {file} ».",
        "method": "Méthode : chaîne de valeur étendue (Fonda), cinq domaines d'impact de la capitalisation nationale des centres sociaux. "
                  "Chaque chiffre est défini en page 2 et dans docs/indicateurs.md.",
        "key": "Les chiffres clés", "figure": "Chiffre", "value": "Valeur", "definition": "Définition",
        "map": "La carte des acteurs et des échanges", "chain": "La chaîne de valeur",
        "domains": "Les domaines d'impact", "contributions": "Qui apporte quoi", "actor": "Acteur",
        "category": "Catégorie", "share": "Part", "activities": "Par activité", "activity": "Activité",
        "type": "Type", "resources": "Ressources", "hours": "Heures bénév.", "people": "Habitants touchés",
        "indicators": "Indicateurs", "domain": "Domaine", "indicator": "Indicateur",
        "in_kind": "Contributions volontaires en nature (comptes 86/87)", "use": "Emploi (86)", "resource": "Ressource (87)",
        "heading": "Rubrique", "detail": "Détail",
        "quality": "Qualité des données et ce qui n'est pas valorisé",
        "quality_text": "{errors} erreur(s) (lignes mises de côté) et {warnings} avertissement(s) à la lecture du classeur. "
                        "Part des ressources estimée : {estimated}. Couverture de l'ancrage local : {coverage}.",
        "not_valued": "{count} flux n'ont pas de valeur en euros : ils comptent dans leur unité et sur la carte.",
        "from": "De", "to": "Vers", "nature": "Nature", "quantity": "Quantité", "page": "page {n} / {total}",
        "none": "Aucun.", "others": "{count} autres contributeurs",
    },
    "en": {
        "title": "Territorial value chain", "subtitle": "The centre's contribution to its territory",
        "year": "Year", "town": "Town", "federation": "Federation", "made": "Made on {date} from the file “{file}”.",
        "method": "Method: the extended value chain (Fonda), the five impact domains of the social centres' national work. "
                  "Each figure is defined on page 2 and in docs/indicateurs.md.",
        "key": "Key figures", "figure": "Figure", "value": "Value", "definition": "Definition",
        "map": "The map of actors and exchanges", "chain": "The value chain",
        "domains": "Impact domains", "contributions": "Who brings what", "actor": "Actor",
        "category": "Category", "share": "Share", "activities": "By activity", "activity": "Activity",
        "type": "Type", "resources": "Resources", "hours": "Volunteer h", "people": "Inhabitants reached",
        "indicators": "Indicators", "domain": "Domain", "indicator": "Indicator",
        "in_kind": "Contributions in kind (accounts 86/87)", "use": "Use (86)", "resource": "Resource (87)",
        "heading": "Heading", "detail": "Detail",
        "quality": "Data quality and what is not valued",
        "quality_text": "{errors} error(s) (rows kept aside) and {warnings} warning(s) when reading the workbook. "
                        "Share of resources estimated: {estimated}. Local anchoring coverage: {coverage}.",
        "not_valued": "{count} flows have no value in euros: they count in their own unit and on the map.",
        "from": "From", "to": "To", "nature": "Kind", "quantity": "Quantity", "page": "page {n} / {total}",
        "none": "None.", "others": "{count} other contributors",
    },
}


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
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceAfter=8, textColor=GREEN),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=28, leading=34, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=18, alignment=TA_CENTER, textColor=GREEN),
        "centre": ParagraphStyle("centre", parent=base, fontName=BOLD, fontSize=20, leading=26, alignment=TA_CENTER),
        "key_value": ParagraphStyle("key_value", parent=base, fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER),
        "key_name": ParagraphStyle("key_name", parent=base, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)), style)


def _table(rows: list[list[object]], widths: list[float], styles: dict, header: bool = True) -> Table:
    body = [[cell if isinstance(cell, Paragraph) else _p(cell, styles["cell"]) for cell in row] for row in rows]
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8F2EE"))]
    table.setStyle(TableStyle(commands))
    return table


def _image(png: bytes, width: float) -> Image:
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)


def _numbered_canvas(footer: str, page_text: str):
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
                    self.drawRightString(A4[0] - 2 * cm, 1.2 * cm, page_text.format(n=self._pageNumber, total=total))
                super().showPage()
            super().save()

    return NumberedCanvas


def pdf_report(analysis: Analysis, lang: str = "fr", source_name: str | None = None,
               today: dt.date | None = None) -> bytes:
    """The report as PDF bytes, in French or English."""
    lang = lang_or_default(lang)
    _register_fonts()
    words = TEXT[lang]
    styles = _styles()
    workbook = analysis.workbook
    centre = workbook.centre
    width = A4[0] - 4 * cm
    story: list = []

    # Cover
    story += [Spacer(1, 3 * cm), _p(words["title"], styles["title"]), Spacer(1, 0.3 * cm),
              _p(words["subtitle"], styles["subtitle"]), Spacer(1, 1.5 * cm), _p(centre.name, styles["centre"]),
              Spacer(1, 0.4 * cm)]
    facts = [f"{words['year']} : {centre.year or '—'}" if lang == "fr" else f"{words['year']}: {centre.year or '—'}"]
    if centre.town:
        facts.append(f"{words['town']} : {centre.town}" if lang == "fr" else f"{words['town']}: {centre.town}")
    if centre.federation:
        facts.append(centre.federation)
    story += [_p(" · ".join(facts), styles["subtitle"]), Spacer(1, 1.5 * cm)]
    key_codes = ["resources_total", "leverage", "volunteer_value", "local_share", "people_reached", "centre_dependence"]
    grid = []
    for start in (0, 3):
        grid.append([_p(fmt.DASH if isinstance(analysis.figures[c], Undefined) else fmt.format_figure(c, analysis.figures[c], lang),
                        styles["key_value"]) for c in key_codes[start:start + 3]])
        grid.append([_p(figure_name(c, lang), styles["key_name"]) for c in key_codes[start:start + 3]])
    key_table = Table(grid, colWidths=[width / 3] * 3)
    key_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOTTOMPADDING", (0, 1), (-1, 1), 14)]))
    story += [key_table, Spacer(1, 2 * cm)]
    date = (today or dt.date.today()).strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    story += [_p(words["made"].format(date=date, file=source_name or workbook.raw.name), styles["small"]),
              Spacer(1, 0.2 * cm), _p(words["method"], styles["small"]), PageBreak()]

    # Key figures with their definitions
    rows = [[words["figure"], words["value"], words["definition"]]]
    for code in SCALAR_FIGURES:
        value = analysis.figures[code]
        shown = fmt.format_figure(code, value, lang)
        rows.append([figure_name(code, lang), shown, figure_definition(code, lang)])
    story += [_p(words["key"], styles["h1"]), _table(rows, [5.2 * cm, 3.6 * cm, width - 8.8 * cm], styles)]
    brokerage = analysis.brokerage
    story += [Spacer(1, 0.3 * cm), _p(
        {"fr": f"Le centre relie {brokerage.neighbours} partenaires directs ; {brokerage.pairs_linked} paires d'entre eux ne sont reliées que par lui.",
         "en": f"The centre links {brokerage.neighbours} direct partners; {brokerage.pairs_linked} pairs of them are linked only through it."}[lang],
        styles["base"]), PageBreak()]

    # Map and chain
    story += [_p(words["map"], styles["h1"]), _image(images.map_png(analysis.graph, None, lang), width),
              PageBreak(), _p(words["chain"], styles["h1"]), _image(images.chain_png(analysis.graph, lang), width)]

    # Domains
    story += [Spacer(1, 0.4 * cm), KeepTogether([_p(words["domains"], styles["h1"]),
                                                 _image(images.domains_png(analysis.value_by_domain, lang), width * 0.9)]),
              PageBreak()]

    # Contributions
    story += [_p(words["contributions"], styles["h1"]),
              _image(images.contributions_png(analysis.contributions, lang), width * 0.85),
              _image(images.categories_png(analysis.contributions_by_category, lang), width * 0.6)]
    rows = [[words["actor"], words["category"], words["value"], words["share"]]]
    rows += [[c.name, CATEGORIES.short(c.category, lang), fmt.money(c.value, lang), fmt.percent(c.share, lang)]
             for c in analysis.contributions[:TABLE_ROWS]]
    rest = analysis.contributions[TABLE_ROWS:]
    if rest:  # a printed report lists the largest; the results workbook has them all
        rows.append([words["others"].format(count=len(rest)), "", fmt.money(sum(c.value for c in rest), lang), ""])
    story += [_table(rows, [6.5 * cm, 4.5 * cm, 3.2 * cm, width - 14.2 * cm], styles)]

    # Activities
    rows = [[words["activity"], words["type"], words["resources"], words["hours"], words["people"]]]
    rows += [[a.name, ACTIVITY_TYPES.short(a.type, lang), fmt.money(a.resources_value, lang),
              fmt.number(a.volunteer_hours, lang, 1), fmt.number(a.people_reached, lang, 0)]
             for a in analysis.activities[:TABLE_ROWS * 2]]
    story += [Spacer(1, 0.4 * cm), _p(words["activities"], styles["h1"]),
              _table(rows, [6.4 * cm, 2.6 * cm, 3.2 * cm, 2.4 * cm, width - 14.6 * cm], styles)]

    # Indicators
    indicators = workbook.indicators
    rows = [[words["domain"], words["indicator"], words["value"]]]
    rows += [[domain_label(r.domain, lang) if r.domain else (r.domain_text or "—"), r.indicator,
              f"{fmt.number(r.value, lang) if r.value is not None else '—'} {r.unit or ''}".strip()]
             for r in indicators.itertuples()]
    story += [Spacer(1, 0.4 * cm), _p(words["indicators"], styles["h1"]),
              _table(rows, [4.2 * cm, width - 8.2 * cm, 4 * cm], styles) if len(rows) > 1 else _p(words["none"], styles["base"])]

    # Contributions in kind
    lines = contributions_in_kind(analysis, lang)
    rows = [[words["use"], words["resource"], words["heading"], words["value"], words["detail"]]]
    rows += [[l.use_account, l.resource_account, l.heading, fmt.money(l.value, lang), l.detail] for l in lines]
    rows.append(["", "", "Total", fmt.money(sum(l.value for l in lines), lang), ""])
    story += [Spacer(1, 0.4 * cm), KeepTogether([_p(words["in_kind"], styles["h1"]),
              _table(rows, [3.8 * cm, 3.4 * cm, 4.4 * cm, 2.6 * cm, width - 14.2 * cm], styles)])]

    # Data quality and what is not valued
    unvalued = analysis.not_valued
    story += [Spacer(1, 0.4 * cm), _p(words["quality"], styles["h1"]),
              _p(words["quality_text"].format(errors=len(workbook.errors), warnings=len(workbook.warnings),
                                              estimated=fmt.percent(analysis.estimated_share, lang),
                                              coverage=fmt.percent(analysis.figures["local_coverage"], lang)), styles["base"]),
              Spacer(1, 0.2 * cm), _p(words["not_valued"].format(count=len(unvalued)), styles["base"])]
    if unvalued:
        rows = [[words["from"], words["to"], words["nature"], words["quantity"]]]
        rows += [[u.source, u.target, NATURES.short(u.nature, lang),
                  f"{fmt.number(u.quantity, lang)} {unit_label(u.unit, lang)}".strip() if u.quantity is not None else "—"]
                 for u in unvalued[:60]]
        story += [Spacer(1, 0.2 * cm), _table(rows, [5.2 * cm, 5.2 * cm, 3.4 * cm, width - 13.8 * cm], styles)]
    reasons = [f"{figure_name(code, lang)} : {UNDEFINED_REASONS[v.reason][lang]}" if lang == "fr" else
               f"{figure_name(code, lang)}: {UNDEFINED_REASONS[v.reason][lang]}"
               for code, v in analysis.figures.items() if isinstance(v, Undefined)]
    if reasons:
        story += [Spacer(1, 0.2 * cm), _p(" · ".join(reasons), styles["small"])]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                                 bottomMargin=2 * cm, title=f"{words['title']} — {centre.name}",
                                 author="valuechain", subject=words["subtitle"])
    footer = f"{centre.name} — {words['title']} {centre.year or ''}".strip()
    document.build(story, canvasmaker=_numbered_canvas(footer, words["page"]))
    return buffer.getvalue()

"""The blank workbook a centre director fills: instructions, dropdowns, one example per sheet.

Dropdowns are real Excel data validations whose lists live in a hidden ``_listes`` sheet
built from the vocabulary (the reader skips sheets whose name starts with ``_``). They warn
rather than forbid, because the reader accepts other spellings and says what it did.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from valuechain.vocabulary import (
    ACTIVITY_TYPES,
    CATEGORIES,
    CENTRE,
    CENTRE_FIELDS,
    CENTRE_TYPES,
    DOMAINS,
    EVIDENCE,
    FUNCTIONS,
    NATURES,
    RECORD_TABLES,
    Table,
    unit_label,
)
from valuechain.words.language import language
from valuechain.words.messages import say, say_list
from valuechain.workbook.writing import HEADER_FONT, set_text_safe, write_header

LISTS_SHEET = "_listes"
DATA_ROWS = 2000
EXAMPLE_FONT = Font(italic=True, color="FF666666")
REQUIRED_FILL = PatternFill("solid", start_color="FFFFE9A8")

_EXAMPLES = {
    "fr": {
        "actors": [
            {
                "name": "Centre social Exemple",
                "category": CATEGORIES.label("centre", "fr"),
                "town": "Exempleville",
                "local": "oui",
            },
            {
                "name": "Mairie d'Exempleville",
                "category": CATEGORIES.label("institutions", "fr"),
                "town": "Exempleville",
                "local": "oui",
            },
        ],
        "activities": [
            {
                "name": "Atelier cuisine",
                "type": "principale",
                "lead": "Centre social Exemple",
                "domains": f"{DOMAINS.short('individuel', 'fr')} | {DOMAINS.short('societal', 'fr')}",
            },
        ],
        "flows": [
            {
                "source": "Mairie d'Exempleville",
                "target": "Atelier cuisine",
                "nature": NATURES.label("lieu", "fr"),
                "quantity": 1,
                "unit": "salle",
                "value": 2000,
                "data_source": "estimation",
                "year": 2025,
            },
        ],
        "indicators": [
            {
                "domain": DOMAINS.short("societal", "fr"),
                "indicator": "Familles participant à l'atelier",
                "value": 40,
                "unit": "personnes",
                "activity": "Atelier cuisine",
            },
        ],
        "outcomes": [
            {
                "stakeholder": CATEGORIES.label("habitants", "fr"),
                "outcome": "Parents plus confiants, moins isolés",
                "activity": "Atelier cuisine",
                "domain": DOMAINS.short("individuel", "fr"),
                "indicator": "Réponses au questionnaire de fin d'année",
                "quantity": 40,
                "proxy": "Coût évité d'un accompagnement individuel",
                "proxy_value": 600,
                "proxy_source": "Étude ou référentiel cité",
                "duration": 2,
                "deadweight": "20 %",
                "displacement": "0 %",
                "attribution": "25 %",
                "drop_off": "50 %",
                "evidence": EVIDENCE.label("declare", "fr"),
            },
        ],
    },
    "en": {
        "actors": [
            {
                "name": "Example community centre",
                "category": CATEGORIES.label("centre", "en"),
                "town": "Exampletown",
                "local": "yes",
            },
            {
                "name": "Exampletown council",
                "category": CATEGORIES.label("institutions", "en"),
                "town": "Exampletown",
                "local": "yes",
            },
        ],
        "activities": [
            {
                "name": "Cooking workshop",
                "type": "primary",
                "lead": "Example community centre",
                "domains": f"{DOMAINS.short('individuel', 'en')} | {DOMAINS.short('societal', 'en')}",
            },
        ],
        "flows": [
            {
                "source": "Exampletown council",
                "target": "Cooking workshop",
                "nature": NATURES.label("lieu", "en"),
                "quantity": 1,
                "unit": "room",
                "value": 2000,
                "data_source": "estimate",
                "year": 2025,
            },
        ],
        "indicators": [
            {
                "domain": DOMAINS.short("societal", "en"),
                "indicator": "Families taking part in the workshop",
                "value": 40,
                "unit": "people",
                "activity": "Cooking workshop",
            },
        ],
        "outcomes": [
            {
                "stakeholder": CATEGORIES.label("habitants", "en"),
                "outcome": "Parents more confident, less isolated",
                "activity": "Cooking workshop",
                "domain": DOMAINS.short("individuel", "en"),
                "indicator": "Answers to the end-of-year questionnaire",
                "quantity": 40,
                "proxy": "Avoided cost of one-to-one support",
                "proxy_value": 600,
                "proxy_source": "Study or reference cited",
                "duration": 2,
                "deadweight": "20%",
                "displacement": "0%",
                "attribution": "25%",
                "drop_off": "50%",
                "evidence": EVIDENCE.label("declare", "en"),
            },
        ],
    },
}


def build_template(lang: str = "fr"):
    """The blank template as an openpyxl ``Workbook``, in French (default) or English."""
    lang = language(lang).code
    book = Workbook()
    instructions = book.active
    instructions.title = "Instructions"
    lists = _write_lists(book, lang)
    _write_centre(book, lang, lists)
    for table in RECORD_TABLES:
        _write_table(book, table, lang, lists)
    _write_instructions(instructions, lang)
    book.active = 0  # a first-time reader lands on the instructions
    return book


def _write_lists(book: Workbook, lang: str) -> dict[str, str]:
    """Write the vocabulary's lists to the hidden sheet; return list name → range formula."""
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    columns = {
        "category": [t.label(lang) for t in CATEGORIES.terms],
        "nature": [t.label(lang) for t in NATURES.terms],
        "domain": [t.short(lang) for t in DOMAINS.terms],
        "activity_type": [t.label(lang).lower() for t in ACTIVITY_TYPES.terms],
        "function": [t.label(lang).lower() for t in FUNCTIONS.terms],
        "yes_no": say_list("yes_no", "words", lang),
        "centre_type": [t.label(lang).lower() for t in CENTRE_TYPES.terms],
        "evidence": [t.label(lang) for t in EVIDENCE.terms],
        "unit": [
            "€",
            "h",
            unit_label("jours", lang),
            "kg",
            unit_label("personnes", lang),
            unit_label("repas", lang),
            "m²",
        ],
    }
    formulas: dict[str, str] = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        set_text_safe(sheet.cell(1, index), name)
        for row, value in enumerate(values, start=2):
            set_text_safe(sheet.cell(row, index), value)
        formulas[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return formulas


def _validation(sheet, formula: str, column: int, first_row: int = 2, last_row: int = DATA_ROWS) -> None:
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, errorStyle="warning", showErrorMessage=True
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    sheet.add_data_validation(validation)


_TABLE_LISTS = {
    "actors": {"category": "category", "local": "yes_no"},
    "activities": {"type": "activity_type", "function": "function", "domains": "domain"},
    "flows": {"nature": "nature", "unit": "unit", "domains": "domain", "tangible": "yes_no"},
    "indicators": {"domain": "domain"},
    "outcomes": {"domain": "domain", "evidence": "evidence"},
}


def _write_table(book: Workbook, table: Table, lang: str, lists: dict[str, str]) -> None:
    sheet = book.create_sheet(table.sheet_name(lang))
    codes = [c.code for c in table.columns]
    widths = [
        34
        if c.code in ("name", "source", "target", "category", "nature", "description", "indicator", "comment")
        else 16
        for c in table.columns
    ]
    write_header(sheet, [c.header(lang) for c in table.columns], widths)
    for index, column in enumerate(table.columns, start=1):
        if column.required:
            sheet.cell(1, index).fill = REQUIRED_FILL
    for code, list_name in _TABLE_LISTS[table.code].items():
        _validation(sheet, lists[list_name], codes.index(code) + 1)
    marker_column = "comment" if table.code in ("indicators", "outcomes") else "description"
    examples: list[dict[str, object]] = _EXAMPLES[lang][table.code]  # type: ignore[assignment]
    for row, example in enumerate(examples, start=2):
        values = dict(example, **{marker_column: say("vocabulary", "example_marker", lang)})
        for code, value in values.items():
            cell = sheet.cell(row, codes.index(code) + 1)
            set_text_safe(cell, value)
            cell.font = EXAMPLE_FONT


def _write_centre(book: Workbook, lang: str, lists: dict[str, str]) -> None:
    sheet = book.create_sheet(CENTRE.sheet_name(lang))
    help_header = say("template", "help_header.0", lang)
    write_header(
        sheet, [CENTRE.column("field").header(lang), CENTRE.column("value").header(lang), help_header], [28, 36, 70]
    )
    for row, field in enumerate(CENTRE_FIELDS, start=2):
        set_text_safe(sheet.cell(row, 1), field.header(lang))
        set_text_safe(sheet.cell(row, 3), field.help(lang))
        sheet.cell(row, 3).font = EXAMPLE_FONT
        if field.code == "type":
            _validation(sheet, lists["centre_type"], 2, row, row)


def _write_instructions(sheet, lang: str) -> None:
    lines = say_list("template", "instructions", lang)
    set_text_safe(sheet.cell(1, 1), lines[0])
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    for row, line in enumerate(lines[1:], start=2):
        set_text_safe(sheet.cell(row, 1), line)
    row = len(lines) + 2
    for index, header in enumerate(say_list("template", "instruction_headers", lang), start=1):
        cell = sheet.cell(row, index)
        set_text_safe(cell, header)
        cell.font = HEADER_FONT
    yes, no = say_list("yes_no", "words", lang)
    for table in (CENTRE, *RECORD_TABLES):
        columns = CENTRE_FIELDS if table is CENTRE else table.columns
        for column in columns:
            row += 1
            set_text_safe(sheet.cell(row, 1), table.sheet_name(lang))
            set_text_safe(sheet.cell(row, 2), column.header(lang))
            set_text_safe(sheet.cell(row, 3), yes if column.required else no)
            set_text_safe(sheet.cell(row, 4), column.help(lang))
    for key, vocabulary in (("categories", CATEGORIES), ("natures", NATURES), ("domains", DOMAINS)):
        row += 2
        set_text_safe(sheet.cell(row, 1), say("template_list_title", key, lang))
        sheet.cell(row, 1).font = HEADER_FONT
        for term in vocabulary.terms:
            row += 1
            set_text_safe(sheet.cell(row, 2), term.code)
            set_text_safe(sheet.cell(row, 4), term.label(lang))
    for letter, width in zip("ABCD", (18, 28, 12, 100)):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=2, max_row=len(lines)):
        cells[0].alignment = Alignment(wrap_text=False)

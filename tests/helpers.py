"""Builders for the small files the tests make, and the paths of the samples."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
sys.path.insert(0, str(ROOT / "sample_data"))

from valuechain import InputFile, load_files  # noqa: E402
from valuechain.workbook.writing import raw_workbook_from_records, set_text_safe  # noqa: E402

SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*.xlsx") if "tilleuls" not in p.name)
WORKED_EXAMPLE_FILE = SAMPLES / "tilleuls-exemple-chiffre.xlsx"
# The sample centres of one federation, as the access and store tests import them.
SEINE = "Fédération des centres sociaux de Seine-Maritime"
EMBRUNS = SAMPLES / "association-les-embruns-creche-fictif.xlsx"
FALAISES = SAMPLES / "maison-des-habitants-les-falaises-fictif.xlsx"
TISSERANDS = SAMPLES / "conserverie-les-tisserands-fictif.xlsx"

# Names that would run or fetch something if a medium took them for markup.
HOSTILE = "<img src=x onerror=alert(1)>"
BREAKER = "</script><script>alert(2)</script>"
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)

FLOW_HEADER = ["source", "cible", "nature", "quantite", "unite", "valeur"]


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx with the given sheets, each a list of rows from row 1."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    # Text stays text, as a user typing "=..." into a text cell would have it.
                    set_text_safe(sheet.cell(r, c), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load_xlsx(sheets: dict[str, list[list[object]]], name: str = "centre.xlsx"):
    return load_files([InputFile(name, xlsx_bytes(sheets))])


def load_csv(text: str, name: str = "Flux.csv", encoding: str = "utf-8"):
    return load_files([InputFile(name, text.encode(encoding))])


def minimal_sheets(flows: list[list[object]] | None = None, actors: list[list[object]] | None = None) -> dict:
    """A valid small workbook: a centre, two partners, one activity."""
    return {
        "Centre": [["champ", "valeur"], ["nom", "Centre Test"], ["annee", 2025]],
        "Acteurs": actors
        or [
            ["nom", "categorie", "local"],
            ["Centre Test", "centre", "oui"],
            ["Mairie", "institutions", "oui"],
            ["Voisins", "habitants", "oui"],
        ],
        "Activites": [["nom", "type"], ["Jardin", "principale"]],
        "Flux": [FLOW_HEADER] + (flows or [["Mairie", "Jardin", "monetaire", 100, "€", None]]),
    }


def codes(workbook) -> list[str]:
    return [p.code for p in workbook.problems]


def problem(workbook, code: str):
    found = [p for p in workbook.problems if p.code == code]
    assert found, f"no problem {code!r} among {codes(workbook)}"
    return found[0]


def ods_bytes(rows_xml: str) -> bytes:
    """An .ods whose one sheet, Flux, holds ``rows_xml`` (OpenDocument table rows)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Flux">'
        + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
            ),
        )
    return buffer.getvalue()


def ods_row(*cells: str) -> str:
    return (
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>' for c in cells
        )
        + "</table:table-row>"
    )


def typed_centre_workbook(centre: str, *, actors=(), activities=(), flows=()):
    """The centre's workbook as its director typed it, for the accounts' merge tests: the Caf
    at 102 000 € (as the sample FEC books it: not doubled) and the Ville at 40 000 € (48 500 €
    booked: a conflict), with the actors, activities and flows a test adds."""
    return raw_workbook_from_records(
        centre,
        {"name": centre, "year": 2025},
        actors=[
            {"name": centre, "category": "centre"},
            {"name": "Caf de la Drôme", "category": "institutions", "description": "saisi à la main"},
            {"name": "Ville de Saint-Aubin", "category": "institutions"},
            *actors,
        ],
        activities=list(activities),
        flows=[
            {"source": "Caf de la Drôme", "target": centre, "nature": "monetaire", "value": 102_000},
            {"source": "Ville de Saint-Aubin", "target": centre, "nature": "monetaire", "value": 40_000},
            *flows,
        ],
    )

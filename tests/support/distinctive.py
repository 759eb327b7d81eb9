"""Workbooks whose every name carries a marker no figure, header or word of the app contains: an
anonymised output that shows the marker shows something that names a centre or someone in it."""

from __future__ import annotations

import io

import openpyxl

from helpers import WORKED_EXAMPLE_FILE
from valuechain import InputFile

MARKER = "Qzxw"  # in no word of the catalogue, no figure's name, no column
POPULATION = 987_653  # a population no figure equals, searched in every spelling
FEDERATION = f"FD {MARKER}"
# Columns holding names (of the centre, actors, activities, people concerned, indicators, proxies…);
# every other column holds a code of the vocabulary or a number, kept as they are.
NAMED_COLUMNS = {
    "Acteurs": ("nom", "commune", "description"),
    "Activites": ("nom", "porteur", "description"),
    "Flux": ("source", "cible", "activite", "description"),
    "Indicateurs": ("indicateur", "activite", "acteur", "commentaire"),
    "Effets": ("partie_prenante", "effet", "activite", "indicateur", "proxy", "source_proxy"),
}


def distinctive_centre(number: int, year: int = 2025) -> InputFile:
    """The worked example with every name marked, a town, a federation, a population, a flow from
    an actor the Acteurs sheet lacks (a problem that quotes its name), and money of its own."""
    book = openpyxl.load_workbook(WORKED_EXAMPLE_FILE)
    centre_name = book["Centre"]["B2"].value

    def marked(text: object) -> object:
        if not isinstance(text, str) or not text.strip():
            return text
        return f"{MARKER} centre {number}" if text == centre_name else f"{text} {MARKER}"

    for title, columns in NAMED_COLUMNS.items():
        sheet = book[title]
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if header[cell.column - 1] in columns:
                    cell.value = marked(cell.value)
    centre = book["Centre"]
    centre["B2"] = marked(centre_name)
    centre["B3"] = year
    for field, value in (
        ("commune", f"{MARKER}ville"),
        ("federation", FEDERATION),
        ("habitants_territoire", POPULATION),
    ):
        centre.append([field, value])
    flows = book["Flux"]
    header = [cell.value for cell in flows[1]]
    extra = {name: None for name in header}
    extra.update(
        {"source": f"Inconnu {MARKER}", "cible": marked(centre_name), "nature": "monetaire", "quantite": 1000 * number}
    )
    flows.append([extra[name] for name in header])
    out = io.BytesIO()
    book.save(out)
    return InputFile(f"centre-{number}.xlsx", out.getvalue())


def population_spellings() -> list[str]:
    """The population as any output might write it."""
    digits = str(POPULATION)
    grouped = f"{POPULATION:,}"
    return [digits, grouped, grouped.replace(",", " "), grouped.replace(",", "\u202f"), grouped.replace(",", "\u00a0")]


def leaks(text: str) -> list[str]:
    """What of the workbooks' names and population ``text`` shows."""
    return [found for found in (MARKER, *population_spellings()) if found in text]

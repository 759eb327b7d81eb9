"""The PDF a director hands to the CAF, read back as its reader sees it (issue 34, point 8): its
text extracted with poppler, word by word with each word's place on the page, so that a number
cut across two lines ("86" then "659,71 €") or a word of ours cut inside a header ("Bénévo"
then "lat") is found wherever it happens, in every sample, in a 70-actor centre, in French and
in English; its pages drawn (pdftoppm) to see that the map uses its page."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLES, WORKED_EXAMPLE_FILE
from valuechain import InputFile, load_files, load_paths
from valuechain.chain.analysis import analyse
from valuechain.media.pdf import pdf_report

pytestmark = pytest.mark.library

ARTIFACTS = ROOT / "test-artifacts"
CENTRES = [p.name for p in sorted(SAMPLES.glob("*.xlsx"))] + ["synthetic-70"]
XHTML = "{http://www.w3.org/1999/xhtml}"
# The end of a line that a number goes on from, and the start of a line that goes on with one.
NUMBER_END = re.compile(r"(\d[\d\u00a0\u202f ,.]*|€)$")
NUMBER_GOES_ON = re.compile(r"^([\d,.][\d\u00a0\u202f ,.]*\d|€|%|[.,]\d)")


def _needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils, installed by scripts/install-system-packages.sh) is not here")


@cache
def _analysis(centre: str):
    if centre == "synthetic-70":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from synthetic import synthetic_tables, tables_to_xlsx

        return analyse(load_files([InputFile("synthetic-70.xlsx", tables_to_xlsx(synthetic_tables(70, 300)))]))
    return analyse(load_paths([SAMPLES / centre]))


@cache
def _pdf(centre: str, lang: str) -> bytes:
    return pdf_report(_analysis(centre), lang)


def _blocks(pdf: bytes) -> list[list[list[str]]]:
    """Every block of text poppler finds (a paragraph, a table's cell) as its lines, each line
    as its words; the page's layout decides what is a block, not our guesses."""
    _needs("pdftotext")
    done = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    root = ET.fromstring(done.stdout.decode())
    return [
        [[word.text or "" for word in line.iter(f"{XHTML}word")] for line in block.iter(f"{XHTML}line")]
        for block in root.iter(f"{XHTML}block")
    ]


def split_numbers(pdf: bytes) -> list[str]:
    """Each place where a number runs from one line of a block to the next."""
    found = []
    for block in _blocks(pdf):
        for before, after in zip(block, block[1:]):
            end, start = " ".join(before), " ".join(after)
            if NUMBER_END.search(end) and NUMBER_GOES_ON.match(start) and re.search(r"\d", end[-12:] + start[:12]):
                found.append(f"{end[-25:]!r} ⏎ {start[:25]!r}")
    return found


@cache
def _our_words() -> frozenset[str]:
    """Every word the catalogues hold, in both languages (a name is data, not ours)."""
    from babel.messages.pofile import read_po

    words: set[str] = set()
    for lang in ("fr", "en"):
        path = ROOT / "valuechain" / "words" / "locale" / lang / "LC_MESSAGES" / "valuechain.po"
        with path.open("rb") as file:
            for message in read_po(file):
                texts = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in texts:
                    words.update(re.findall(r"[^\W\d_]{3,}", text or ""))
    return frozenset(words)


def cut_words(pdf: bytes) -> list[str]:
    """Each word of ours cut in two across lines of one block ("Bénévo" ⏎ "lat", or with a
    hyphen): the two halves make a word of the catalogues that neither half is."""
    ours = _our_words()
    found = []
    for block in _blocks(pdf):
        for before, after in zip(block, block[1:]):
            if not before or not after:
                continue
            head = re.search(r"([^\W\d_]+)-?$", before[-1])
            tail = re.match(r"^([^\W\d_]+)", after[0])
            if head and tail and head.group(1) + tail.group(1) in ours and tail.group(1) not in ours:
                found.append(f"{before[-1]!r} ⏎ {after[0]!r}")
    return found


def test_the_checks_find_what_they_look_for():
    """The checks themselves, on a PDF made to break: an amount and a header word in columns
    too narrow (reportlab cuts both), so that a check that finds nothing is not a blind one."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from valuechain.media import pdf as printed

    printed._register_fonts()
    style = ParagraphStyle("s", fontName=printed.FONT, fontSize=9, leading=11)
    buffer = io.BytesIO()
    rows = [[Paragraph("Bénévolat", style), Paragraph("ressources de 86\u202f659,71\u00a0€", style)]]
    SimpleDocTemplate(buffer, pagesize=A4).build([Table(rows, colWidths=[45, 92])])
    assert split_numbers(buffer.getvalue()) and cut_words(buffer.getvalue())


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("centre", CENTRES)
def test_no_number_and_no_word_of_ours_is_cut_across_lines(centre, lang):
    pdf = _pdf(centre, lang)
    assert split_numbers(pdf) == [], f"{centre} ({lang}): numbers cut across lines"
    assert cut_words(pdf) == [], f"{centre} ({lang}): words cut inside"


def _page_of(pdf: bytes, heading: str) -> int:
    _needs("pdftotext")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = text.split("\f")
    return next(number for number, page in enumerate(pages, start=1) if heading in page)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("centre", ["conserverie-les-tisserands-fictif.xlsx", "synthetic-70"])
def test_the_map_uses_its_page(centre, lang, tmp_path):
    """The map's page is drawn and its picture reaches the page's lower part (it stopped
    half-way down, the lower half empty); kept in test-artifacts/ to be looked at."""
    _needs("pdftoppm")
    from PIL import Image

    pdf = _pdf(centre, lang)
    page = _page_of(pdf, {"fr": "La carte des acteurs", "en": "The map of actors"}[lang])
    (tmp_path / "r.pdf").write_bytes(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"pdf-map-{Path(centre).stem}-{lang}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(tmp_path / "r.pdf"),
            str(stem),
        ],
        check=True,
    )
    image = Image.open(f"{stem}.png").convert("L")
    width, height = image.size
    # The footer (page n / total) sits in the last 2.5 cm; the drawing must reach below 75 % of the page.
    body = image.crop((0, 0, width, int(height * 0.9)))
    inked = [y for y in range(body.size[1]) if body.crop((0, y, width, y + 1)).getextrema()[0] < 200]
    assert inked and inked[-1] > 0.75 * height, f"the map stops at {inked[-1] / height:.0%} of its page"


def test_the_social_value_section_says_the_ratio_as_the_page_does(monkeypatch):
    """One function writes the ratio, its range and the break-even factor (tables.ratio_texts):
    the page's cards and the PDF say the same."""
    from valuechain.media import tables

    monkeypatch.setattr(tables, "ratio_texts", lambda value, lang: ("RATIO-1", "RANGE-2", "EVEN-3"))
    analysis = analyse(load_paths([WORKED_EXAMPLE_FILE]))
    _needs("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf_report(analysis, "fr"), capture_output=True, check=True
    ).stdout.decode()
    assert "RATIO-1" in text and "RANGE-2" in text and "EVEN-3" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_by_nature_column_lists_no_nature_at_zero_euros(lang):
    """ "Par nature" (each activity's resources by nature, on the page, in the workbook) lists
    what the activity received in euros: a nature brought without a value (skills, 0 €) is
    not listed, and an activity that received nothing valued shows "—"."""
    from valuechain.media import tables

    analysis = _analysis("association-les-embruns-creche-fictif.xlsx")
    zero = re.compile(r"(?<![\d\u202f,.])0\u00a0€|€0(?![\d,.])")
    by_nature = {row[0]: row[4] for row in tables.activity_rows(analysis, lang)}
    assert by_nature["Lieu d'accueil enfants-parents"] is None  # shown "—" (tables.shown)
    assert by_nature["Crèche (EAJE) 20 places"] == {"fr": "Monétaire 352\u202f000\u00a0€", "en": "Money €352,000"}[lang]
    assert not [text for text in by_nature.values() if text and zero.search(text)]

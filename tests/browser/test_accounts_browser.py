"""The Comptes (FEC) page in Debian's chromium (issue 36), as a director uses it: the centre's
FEC uploaded through the file chooser, the totals reconciled with the accounts, an account's
lines left out (said with their total), the reviewed workbook downloaded and read back, then
the page in English and on a 390 px phone; nothing leaves the machine (screenshots in
test-artifacts/accounts-*.png, looked at)."""

from __future__ import annotations

import io

import pytest

from helpers import ROOT
from support.browser import ARTIFACTS, open_page, phone_context, require_browser, wait_for_app

pytestmark = pytest.mark.browser
sync_api = require_browser()
SAMPLE_FEC = ROOT / "sample_data" / "comptes" / "999999999FEC20251231.txt"


def _shown(page) -> str:
    """The page's text with its tables' cells (drawn on a canvas, read through their grid
    cells), spaces as typed: "182 400,00 €" whatever narrow or no-break spaces the locale uses."""
    cells = page.locator("[role=gridcell]").all_inner_texts()
    text = page.locator("[data-testid=stMain]").inner_text() + "\n" + "\n".join(cells)
    return text.replace("\u202f", " ").replace("\xa0", " ")


CELL_SHOWN = """want => [...document.querySelectorAll('[role=gridcell]')]
  .some(cell => cell.textContent.replace(/[\\u202f\\u00a0]/g, ' ') === want)"""


def _cell_shown(page, table: int, text: str) -> None:
    """Wait until table ``table`` of the page (counted from 0), scrolled into view, has a cell
    reading ``text``: a table drawn on a canvas lists in its grid cells the ones in view."""
    page.locator("[data-testid=stDataFrame]").nth(table).scroll_into_view_if_needed()
    page.wait_for_function(CELL_SHOWN, arg=text, timeout=30_000)


def _fec_chosen(page) -> None:
    """The sample FEC given as a director gives their own: the centre named, the file chosen."""
    page.wait_for_selector("input[type=file]", state="attached", timeout=30_000)
    page.get_by_label("Nom du centre").fill("Centre social La Passerelle")
    page.get_by_label("Nom du centre").press("Enter")
    wait_for_app(page)
    page.locator("input[type=file]").first.set_input_files(str(SAMPLE_FEC))
    page.get_by_text("lignes lues").first.wait_for(timeout=60_000)
    page.locator("[role=gridcell]").first.wait_for(state="attached", timeout=60_000)
    wait_for_app(page)


def test_a_director_reviews_the_fec_and_downloads_the_reviewed_workbook(server, page):
    from openpyxl import load_workbook

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server)
    wait_for_app(page)
    open_page(page, "comptes")
    _fec_chosen(page)
    # The worked example of docs/comptes.md: each class, in the accounts and in the chain.
    main = _shown(page)
    assert "Les totaux, des comptes à la chaîne" in main
    assert main.count("182 400,00 €") >= 2 and main.count("38 640,00 €") >= 4
    page.screenshot(path=str(ARTIFACTS / "accounts-fr.png"), full_page=True)

    # The meals of 708000 left out: 24 lines, 720,00 €, said; 70 keeps 15 132 − 720 = 14 412,00.
    chooser = page.locator("[data-testid=stMultiSelect]").filter(
        has_text="Laisser de côté toutes les lignes des comptes"
    )
    chooser.locator("input").click()
    chooser.locator("input").fill("708000")  # the list is long: typed, as a director would
    page.get_by_role("option", name="708000").click()
    page.keyboard.press("Escape")
    page.get_by_text("720,00 €").first.wait_for(timeout=30_000)
    wait_for_app(page)
    _cell_shown(page, 0, "14 412,00 €")  # the totals: 70 in the chain, less the meals
    _cell_shown(page, 0, "720,00 €")  # and left out
    page.screenshot(path=str(ARTIFACTS / "accounts-left-out-fr.png"))
    assert "Laissé de côté à la relecture : 24 lignes, 720,00 €" in _shown(page).replace("\u200b", "")

    # The reviewed workbook as downloaded: the meals are not in it, the users' 2 412,00 are.
    with page.expect_download(timeout=60_000) as downloaded:
        page.get_by_role("button", name="Télécharger le classeur relu (.xlsx)").click()
    book = load_workbook(io.BytesIO(open(downloaded.value.path(), "rb").read()), read_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    flows = next(rows for title, rows in sheets.items() if title.startswith("Flux"))
    header = [str(cell or "").lower() for cell in flows[0]]
    value = next(i for i, name in enumerate(header) if name.startswith("valeur"))
    source = header.index("source")
    users = [row for row in flows[1:] if row[source] == "Usagers et familles (participations)"]
    assert [round(float(row[value]), 2) for row in users] == [2412.0]
    assert not page.outside_requests and not page.dialogs

    # In English, the same figures in the reader's words.
    page.get_by_text("English", exact=True).click()
    page.get_by_text("The totals, from the accounts to the chain").wait_for(timeout=30_000)
    wait_for_app(page)
    _cell_shown(page, 0, "€14,412.00")
    assert "€182,400.00" in _shown(page)
    page.screenshot(path=str(ARTIFACTS / "accounts-en.png"), full_page=True)


def test_the_accounts_page_fits_a_phone(server, browser):
    context = phone_context(browser)
    page = context.new_page()
    try:
        page.goto(server)
        wait_for_app(page)
        page.goto(server.rstrip("/") + "/comptes")
        wait_for_app(page)
        _fec_chosen(page)
        assert "182 400,00 €" in _shown(page)
        # Nothing wider than the phone: the tables scroll inside themselves, the page does not.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, width
        page.screenshot(path=str(ARTIFACTS / "accounts-phone-fr.png"), full_page=True)
    finally:
        context.close()

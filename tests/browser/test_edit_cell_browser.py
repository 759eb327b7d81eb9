"""A cell edited in Saisie's grid, as a person does it (issue 35.3): the figures follow, and a
reload (F5) brings the edit back, the draft keeping it as what it changed of the file."""

from __future__ import annotations

import pytest

from support.browser import ARTIFACTS, open_page, require_browser, wait_for_app

pytestmark = pytest.mark.browser
sync_api = require_browser()

RESOURCES = "Ressources mobilisées"
WIDE_TABLE = "() => [...document.querySelectorAll('[data-testid=stDataFrame]')].some(e => e.offsetWidth > 1000)"
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _resources(page) -> str:
    open_page(page, "accueil")
    metric = page.locator("[data-testid=stMetric]").filter(has_text=RESOURCES).first
    metric.wait_for(timeout=60_000)
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def test_a_cell_edited_in_the_grid_changes_the_figures_and_comes_back_after_a_reload(server, page):
    page.goto(server)
    wait_for_app(page)
    before = _resources(page)
    open_page(page, "saisie")
    page.get_by_role("tab", name="Flux", exact=True).click()
    wait_for_app(page)
    grid = page.locator("[data-testid=stDataFrame]:visible").first
    grid.wait_for(timeout=60_000)
    # Until the table is laid out at its width (a table just shown grows from a few pixels).
    page.wait_for_function(WIDE_TABLE, timeout=60_000)
    box = grid.bounding_box()
    # The first flow's status cell, then five columns on (Ligne, source, cible, nature,
    # quantité): its quantity (16 500 € from the CAF); Enter keeps what is typed.
    page.mouse.click(box["x"] + 120, box["y"] + 35 + 17)  # (past the rows' check boxes)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("4")  # typed on a cell: its editor opens
    page.locator("#portal textarea, #portal input").first.wait_for(timeout=30_000)
    page.keyboard.press("Control+a")
    page.keyboard.type("4242")
    page.wait_for_function(
        "() => document.querySelector('#portal textarea, #portal input')?.value === '4242'", timeout=30_000
    )
    page.evaluate(NEXT_FRAMES)  # the grid's editor has taken what was typed
    page.keyboard.press("Enter")
    page.get_by_text("Revenir au classeur d'origine").first.wait_for(timeout=60_000)  # the edit taken
    wait_for_app(page)
    after = _resources(page)
    assert after != before
    page.reload()
    wait_for_app(page)
    page.get_by_text("avec vos modifications").first.wait_for(timeout=60_000)
    assert _resources(page) == after
    page.screenshot(path=str(ARTIFACTS / "edit-cell-reloaded-fr.png"))

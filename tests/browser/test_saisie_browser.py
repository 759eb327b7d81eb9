"""Saisie in a browser: a reload (F5) keeps the table shown and says, on Saisie itself, that
the work was found again (issue 34.12); the tables' tabs and headers in words."""

from __future__ import annotations

import pytest

from support.browser import ARTIFACTS, open_page, require_browser, wait_for_app

pytestmark = pytest.mark.browser
sync_api = require_browser()


def _selected_tab(page) -> str:
    return page.locator("[role=tab][aria-selected=true]").first.inner_text().strip()


def test_a_reload_on_saisie_keeps_the_tab_and_says_the_work_was_found_there(server, page):
    page.goto(server)
    wait_for_app(page)
    open_page(page, "saisie")
    page.get_by_label("Nom", exact=True).first.fill("Épicerie du rechargement")
    page.get_by_role("button", name="Ajouter").first.click()
    page.get_by_text("Revenir au classeur d'origine").first.wait_for(timeout=60_000)  # the edit is a draft
    wait_for_app(page)
    tabs = [t.inner_text().strip() for t in page.locator("[role=tab]").all()]
    assert tabs == ["Le centre", "Acteurs", "Activités", "Flux", "Indicateurs", "Effets"]
    page.get_by_role("tab", name="Flux", exact=True).click()
    page.wait_for_url("**onglet=Flux**", timeout=30_000)
    wait_for_app(page)
    page.reload()
    wait_for_app(page)
    page.get_by_text("Votre travail d'avant a été retrouvé").first.wait_for(timeout=60_000)
    assert page.locator("h1").first.inner_text().startswith("Saisie")
    page.wait_for_function(
        "() => document.querySelector('[role=tab][aria-selected=true]')?.innerText.trim() === 'Flux'",
        timeout=30_000,
    )
    assert _selected_tab(page) == "Flux"
    page.locator("[data-testid=stDataFrame]:visible").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "saisie-reloaded-fr.png"))


def test_english_chosen_stays_english_after_a_reload_and_on_the_next_page(server, page):
    """F5 is a new session: a wall switched to English went back to French. The language is in
    the address (?langue=en) and read from it when a session starts."""
    page.goto(server)
    wait_for_app(page)
    page.get_by_text("English", exact=True).first.click()
    page.wait_for_url("**langue=en**", timeout=30_000)
    wait_for_app(page)
    open_page(page, "carte")
    page.wait_for_url("**langue=en**", timeout=30_000)
    page.reload()
    wait_for_app(page)
    page.get_by_text("Presentation mode", exact=True).first.wait_for(timeout=60_000)
    assert page.locator("h1").first.inner_text().strip() != ""
    assert page.get_by_text("Mode présentation", exact=True).count() == 0
    page.get_by_text("Français", exact=True).first.click()
    page.get_by_text("Mode présentation", exact=True).first.wait_for(timeout=60_000)
    page.wait_for_function("() => !location.search.includes('langue=')", timeout=30_000)

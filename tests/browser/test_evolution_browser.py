"""The Évolution page in Debian's chromium (issue 28): from an empty store to the Tilleuls over
three years, the map's replay, a year chosen on the map, French and English, and the wall at
1920×1080 (screenshots in test-artifacts/evolution-*.png, looked at)."""

from __future__ import annotations

import pytest

from support.browser import ARTIFACTS, open_page, require_browser, wait_for_app

pytestmark = pytest.mark.browser
sync_api = require_browser()


def _evolution_map(page):
    frame = page.frame_locator("iframe").first
    frame.locator("body[data-measured=yes]").wait_for(timeout=60_000)
    return frame


def test_the_evolution_page_replays_the_years_in_both_languages_and_on_the_wall(server, page, browser):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server)
    wait_for_app(page)
    open_page(page, "evolution")
    page.get_by_text("Aucun centre que vous pouvez suivre n'a encore deux années").wait_for(timeout=30_000)
    page.get_by_role("button", name="Ajouter un centre exemple sur trois ans").click()
    page.get_by_text("Ressources nouvelles").first.wait_for(timeout=60_000)
    wait_for_app(page)
    # 2026 against 2025, as worked by hand in docs/indicateurs.md.
    main = page.inner_text("[data-testid=stMain]")
    assert "6,76" in main and "10,52" in main and "Collectif Jardins partagés, Fondation Lumière" in main
    frame = _evolution_map(page)
    assert frame.locator("body").get_attribute("data-year") == "2026"
    page.screenshot(path=str(ARTIFACTS / "evolution-fr.png"), full_page=True)
    # The replay shows each year in turn, from the first, and stops on the last.
    frame.locator("#replay").click()
    frame.locator("body[data-year='2024']").wait_for(timeout=10_000)
    frame.locator("body[data-year='2025']").wait_for(timeout=10_000)
    frame.locator("body[data-year='2026']").wait_for(timeout=10_000)
    # A year chosen on the map.
    frame.locator("button.year", has_text="2025").click()
    frame.locator("body[data-year='2025']").wait_for(timeout=10_000)
    assert frame.locator("button.year[aria-pressed=true]").inner_text() == "2025"

    page.get_by_text("English", exact=True).click()
    page.get_by_text("New resources").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert "6.76" in page.inner_text("[data-testid=stMain]")
    frame = _evolution_map(page)
    assert "Replay the years" in frame.locator("#replay").inner_text()
    page.screenshot(path=str(ARTIFACTS / "evolution-en.png"), full_page=True)

    # The wall: presentation mode at 1920×1080, names readable from the back of the room.
    wall = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    screen = wall.new_page()
    try:
        screen.goto(f"{server}/evolution?presentation=1")
        wait_for_app(screen)
        screen.get_by_text("Ressources nouvelles").first.wait_for(timeout=60_000)
        frame = _evolution_map(screen)
        label_px = int(frame.locator("body").get_attribute("data-label-px"))
        fill = float(frame.locator("body").get_attribute("data-fill"))
        bottom = screen.evaluate("() => document.querySelector('iframe').getBoundingClientRect().bottom")
        screen.screenshot(path=str(ARTIFACTS / "evolution-wall-fr.png"))
        assert label_px >= 24, label_px
        assert fill >= 0.6, fill
        assert bottom <= 1080, bottom
    finally:
        wall.close()
    assert page.outside_requests == []

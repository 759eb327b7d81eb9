"""The Évolution page in Debian's chromium (issues 28 and 34): from an empty store to the Tilleuls
over three years, one year for the whole page (the replay and the slider move the map, its
caption and the renewal together), French and English, the wall at 1920×1080 and a 390 px phone
(screenshots in test-artifacts/evolution-*.png, looked at)."""

from __future__ import annotations

import pytest

from support.browser import ARTIFACTS, open_page, require_browser, wait_for_app

pytestmark = pytest.mark.browser
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
sync_api = require_browser()


def _evolution_map(page):
    frame = page.frame_locator("iframe").first
    frame.locator("body[data-measured=yes]").wait_for(timeout=60_000)
    return frame


def _whole_page_shows(page, year: int) -> None:
    """The slider, the map, its caption and the renewal's title all on ``year``."""
    _evolution_map(page).locator(f"body[data-year='{year}']").wait_for(timeout=20_000)
    page.get_by_text(f"Centre social des Tilleuls en {year} :").wait_for(timeout=20_000)
    page.get_by_text(f"Renouvellement des ressources en {year}").wait_for(timeout=20_000)
    slider = page.locator("[data-testid=stSlider] input[type=range]").first
    assert slider.get_attribute("aria-valuetext") == str(year)


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
    # One year for the whole page (issue 34.9): the map has no year control of its own; the
    # page's replay shows each year in turn, from the first, on the map, the slider, the caption
    # and the renewal alike, and stops on the last.
    assert frame.locator("button.year").count() == 0 and frame.locator("#replay").count() == 0
    page.get_by_role("button", name="▶ Rejouer les années").click()
    for year in (2024, 2025, 2026):
        _whole_page_shows(page, year)
    page.get_by_role("button", name="▶ Rejouer les années").wait_for(timeout=20_000)
    # A year chosen on the slider: the map follows.
    page.locator("[data-testid=stSlider] input[type=range]").first.press("ArrowLeft")
    _whole_page_shows(page, 2025)
    page.locator("[data-testid=stSlider] input[type=range]").first.press("ArrowRight")
    _whole_page_shows(page, 2026)

    page.get_by_text("English", exact=True).click()
    page.get_by_text("New resources").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert "6.76" in page.inner_text("[data-testid=stMain]")
    page.get_by_role("button", name="▶ Replay the years").wait_for(timeout=30_000)
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

    # A phone (a stranger's finding): the chain drawn as a thin band, names at 6 px. Turned
    # upright in a tall frame, it fills the screen's width with names that can be read.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, user_agent=PHONE_AGENT, locale="fr-FR"
    )
    screen = phone.new_page()
    try:
        screen.goto(f"{server}/evolution")
        wait_for_app(screen)
        frame = _evolution_map(screen)
        label_px = int(frame.locator("body").get_attribute("data-label-px"))
        fill = float(frame.locator("body").get_attribute("data-fill"))
        right = screen.evaluate("() => document.querySelector('iframe').getBoundingClientRect().right")
        screen.locator("iframe").first.scroll_into_view_if_needed()
        screen.screenshot(path=str(ARTIFACTS / "evolution-phone-fr.png"))
        assert label_px >= 11, label_px
        assert fill >= 0.6, fill
        assert right <= 390, right
    finally:
        phone.close()
    assert page.outside_requests == []

"""The charts of Domaines, Chaîne and Contributions read on a 390 px phone as on a 1920 px
screen, in French and English (the stranger's findings: the domains' radar shrank to a point,
the chain's names fell on one another, the contributions' bars were cut): no text plotly drew
crosses another, none runs out of its chart or off the screen, and each chart keeps a drawing
area to read. Screenshots go to test-artifacts/charts-*.png."""

from __future__ import annotations

import pytest

from support.browser import (
    ARTIFACTS,
    PHONE,
    PHONE_AGENT,
    PLOTLY_CHARTS,
    WALL,
    open_page,
    overlapping,
    phone_context,
    require_browser,
    wait_for_app,
)

pytestmark = pytest.mark.browser
sync_api = require_browser()

SCREENS = {"wall": WALL, "phone": PHONE}
CHART_PAGES = ["domaines", "chaine", "contributions"]


def _faults(charts: list[dict], screen_width: int) -> list[str]:
    found = []
    for number, chart in enumerate(charts):
        name = chart["title"] or f"chart {number + 1}"
        outer = chart["chart"]
        texts = chart["texts"]
        for text in texts:
            if (
                text["left"] < outer["left"] - 1
                or text["right"] > outer["right"] + 1
                or text["top"] < outer["top"] - 1
                or text["bottom"] > outer["bottom"] + 1
            ):
                found.append(f"{name}: {text['text']!r} runs out of its chart")
            elif text["left"] < -1 or text["right"] > screen_width + 1:
                found.append(f"{name}: {text['text']!r} runs off the screen")
        found += [f"{name}: {pair}" for pair in overlapping(texts)]
        # Something to read: the drawing area at least a third of the chart's width, 120 px high.
        for area in chart["areas"]:
            if area["width"] < min(120, outer["width"] / 3) or area["height"] < 120:
                found.append(f"{name}: its drawing area is {area['width']:.0f}×{area['height']:.0f} px")
    return found


def _charts_drawn(page, width: int) -> list[dict]:
    """The page's charts once plotly drew them at this screen's width (plotly redraws them
    after the window changes size: wait until every chart fits it)."""
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    page.wait_for_function(
        """(width) => {
          const plots = [...document.querySelectorAll('.js-plotly-plot .main-svg')];
          return plots.length && plots.every(s => s.getBoundingClientRect().width <= width);
        }""",
        arg=width,
        timeout=30_000,
    )
    return page.evaluate(PLOTLY_CHARTS)


def _context(browser, screen: str):
    if screen == "phone":
        return phone_context(browser, user_agent=PHONE_AGENT)
    return browser.new_context(viewport=WALL, locale="fr-FR")


def _sidebar(page) -> None:
    """The navigation open (a phone's is folded away, off the screen, until its button is touched)."""
    button = page.locator("[data-testid=stExpandSidebarButton]")
    if button.count() and button.first.is_visible():
        button.first.click()
    page.wait_for_function(
        """() => { const a = document.querySelector('[data-testid=stSidebarNav] a');
                   return a && a.getBoundingClientRect().left >= 0; }""",
        timeout=30_000,
    )


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_charts_read_on_a_phone_and_on_a_wall(server, browser, lang, screen):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    width = SCREENS[screen]["width"]
    context = _context(browser, screen)
    page = context.new_page()
    faults: list[str] = []
    try:
        page.goto(server)
        wait_for_app(page)
        if lang == "en":
            _sidebar(page)
            page.get_by_text("English", exact=True).click()
            wait_for_app(page)
        for name in CHART_PAGES:
            _sidebar(page)
            open_page(page, name)
            charts = _charts_drawn(page, width)
            page.screenshot(path=str(ARTIFACTS / f"charts-{name}-{screen}-{lang}.png"))
            # Each chart by itself too (the page scrolls inside Streamlit's frame).
            for number, chart in enumerate(page.locator(".js-plotly-plot").all()):
                chart.scroll_into_view_if_needed()
                chart.screenshot(path=str(ARTIFACTS / f"charts-{name}-{screen}-{lang}-{number + 1}.png"))
            faults += [f"{name} ({screen}, {lang}) {fault}" for fault in _faults(charts, width)]
    finally:
        context.close()
    assert faults == [], "\n".join(faults)

"""Checks that catch whole classes of faults a first-time user meets, on every page, in French
and English, in Debian's chromium (issue 26): no Streamlit error and no "Page not found",
whatever address is typed; no two chart labels drawn over each other (plotly's rendered
boxes); no figure name cut on its card; and on a phone (390 px) nothing wider than the screen.
Screenshots go to test-artifacts/checks-*.png."""

from __future__ import annotations

import pytest

from support.browser import (
    ARTIFACTS,
    PAGES,
    PLOTLY_CHARTS,
    SERVE,
    WALL,
    open_page,
    overlapping,
    phone_context,
    require_browser,
    start_server,
    stop_server,
    wait_for_app,
)

pytestmark = pytest.mark.browser
sync_api = require_browser()

# What Streamlit shows when a page fails or an address names no page: never for our users.
STREAMLIT_FAULTS = """() => {
  const found = [];
  for (const e of document.querySelectorAll('[data-testid=stException], [data-testid=stNotification]')) found.push(e.innerText.slice(0, 200));
  for (const e of document.querySelectorAll('[role=dialog]')) if (/page not found|not found/i.test(e.innerText)) found.push(e.innerText.slice(0, 200));
  if (/Page not found|StreamlitAPIException|Traceback/.test(document.body.innerText)) found.push('text: ' + document.body.innerText.match(/(Page not found|StreamlitAPIException|Traceback)/)[0]);
  // Streamlit's own English words in our navigation (a collapsed menu's "View 3 more" hid pages).
  const more = document.body.innerText.match(/View \\d+ more|View less/);
  if (more) found.push('navigation: ' + more[0]);
  return found;
}"""

# A figure's name cut on its card (Streamlit truncates a metric's label with an ellipsis).
CUT_FIGURE_NAMES = """() => [...document.querySelectorAll('[data-testid=stMetricLabel] p, [data-testid=stMetricLabel] div')]
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""

WIDER_THAN_THE_SCREEN = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""


def _checked(page, where: str) -> None:
    faults = page.evaluate(STREAMLIT_FAULTS)
    assert faults == [], f"{where}: {faults}"
    if page.locator(".js-plotly-plot").count():
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    overlaps = [pair for chart in page.evaluate(PLOTLY_CHARTS) for pair in overlapping(chart["texts"])]
    assert overlaps == [], f"{where}: labels drawn over each other: {overlaps}"
    cut = page.evaluate(CUT_FIGURE_NAMES)
    assert cut == [], f"{where}: figure names cut: {cut}"


def test_every_page_in_both_languages_shows_no_streamlit_error_no_overlap_and_no_cut_name(server, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server)
    wait_for_app(page)
    for lang in ("fr", "en"):
        if lang == "en":
            page.get_by_text("English", exact=True).click()
            wait_for_app(page)
        for name in PAGES + ["atelier", "mur", "participer"]:
            open_page(page, name)
            if name == "comparer" and lang == "fr":  # the samples in the store: charts to check
                page.get_by_role("button", name="Ajouter les centres d'exemple").click()
                page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
                wait_for_app(page)
            page.screenshot(path=str(ARTIFACTS / f"checks-{name}-{lang}.png"), full_page=True)
            _checked(page, f"{name} ({lang})")


@pytest.mark.parametrize("address", ["membres", "connexion", "rejoindre", "une-page-inconnue", "participer"])
def test_an_address_the_visitor_may_not_open_gets_our_sentence_never_streamlit_s_page_not_found(server, page, address):  # noqa: F811
    """Issue 26.1: a deep link to a page one may not see gave Streamlit's English "Page not
    found"; "Participer" from the laptop crashed."""
    page.goto(f"{server}/{address}")
    wait_for_app(page)
    page.locator("[data-testid=stSidebarNav] a").first.wait_for(timeout=30_000)
    _checked(page, address)
    if address in ("membres", "connexion", "rejoindre"):
        page.get_by_text(f"La page « {address} » n'est pas ouverte ici.").wait_for(timeout=30_000)
    if address == "une-page-inconnue":
        page.get_by_text("Cette adresse ne correspond à aucune page de l'application").wait_for(timeout=30_000)


@pytest.mark.parametrize("address", ["participer", "participer?code=ZZZZZZ", "mur?code=ZZZZZZ", "carte?code=ZZZZZZ"])
def test_the_phone_pages_fit_a_390_px_screen(server, browser, address):  # noqa: F811
    context = phone_context(browser)
    page = context.new_page()
    try:
        page.goto(f"{server}/{address}")
        page.wait_for_selector("h1", timeout=60_000)
        wait_for_app(page)
        _checked(page, address)
        assert page.evaluate(WIDER_THAN_THE_SCREEN) <= 0, address
        page.screenshot(path=str(ARTIFACTS / f"checks-phone-{address.split('?')[0]}.png"), full_page=True)
    finally:
        context.close()


def _wall_of_a_workshop(server, browser, lang: str):  # noqa: F811
    """A workshop opened on the sample, its wall in presentation mode on a 1920×1080 screen."""
    context = browser.new_context(viewport=WALL, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{server}/atelier")
    wait_for_app(page)
    # A new browser (a new session) has no workshop: the page always offers to open one. Its
    # button is waited for, not counted at once: counted before the page had drawn it, the
    # session opened none, and its wall then had no workshop to show (seen twice in CI).
    opening = page.get_by_role("button", name=__import__("re").compile("^Ouvrir un atelier"))
    opening.wait_for(timeout=30_000)
    opening.click()
    page.get_by_text("Atelier en cours").wait_for(timeout=30_000)
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        wait_for_app(page)
    page.locator("[data-testid=stSidebarNav] a[href$='/mur']").first.click()
    wait_for_app(page)
    page.get_by_text("Mode présentation" if lang == "fr" else "Presentation mode", exact=True).click()
    page.locator(".st-key-leave_presentation").wait_for(timeout=30_000)
    wait_for_app(page)
    frame = page.frame_locator("iframe").first
    try:
        frame.locator("body[data-measured=yes]").wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"checks-wall-failed-{lang}.png"))
        raise
    return context, page, frame


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_wall_is_readable_from_the_back_of_the_room(server, browser, lang):  # noqa: F811
    """Issue 26.4: at 1920×1080 the names on the wall's map were about 10 px, the map filled
    650×270 px of its frame, and the navigation and the wall's settings were on the wall."""
    context, page, frame = _wall_of_a_workshop(server, browser, lang)
    try:
        page.screenshot(path=str(ARTIFACTS / f"checks-wall-mur-{lang}.png"))
        body = frame.locator("body")
        # The names: 24 px at least on the screen (they were about 10).
        assert int(body.get_attribute("data-label-px")) >= 24
        assert float(body.get_attribute("data-fill")) >= 0.8
        # The whole map on the screen (under `make run` the phones' warning pushed its bottom
        # row below 1080 px: it is under the map now).
        bottom = page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().bottom")
        assert bottom <= 1080, bottom
        # Nothing but the wall on the screen: no navigation, the settings below it; a corner
        # button to leave.
        for hidden in ("[data-testid=stSidebarNav]", "[data-testid=stTopNavLinkContainer]"):
            assert not page.locator(hidden).first.is_visible(), hidden
        settings = page.locator("[data-testid=stExpander]").first.bounding_box()
        assert settings is None or settings["y"] >= 1080, settings
        leave = page.locator(".st-key-leave_presentation").bounding_box()
        assert leave["y"] < 60 and leave["x"] > 1500, leave
        texts = page.evaluate("""() => [...document.querySelectorAll('p, span, h1, h2, h3, label, button')]
            .filter(e => e.offsetParent && e.innerText.trim() && e.getBoundingClientRect().top < 1080)
            .map(e => [e.innerText.trim().slice(0, 40), parseFloat(getComputedStyle(e).fontSize)])""")
        small = [(text, size) for text, size in texts if size < 24]
        assert small == [], small
        legend = frame.locator("#legend .item").first
        assert float(legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24  # the map's legend too
        _checked(page, f"wall ({lang})")
    finally:
        context.close()


def test_a_phone_sees_a_usable_wall_and_goes_back_to_its_form_as_the_same_participant(server, browser):  # noqa: F811
    """Issue 26.4: on a phone, "Voir le mur" gave a wall's map squeezed beside its legend, and
    no way back to the form."""
    context, page, frame = _wall_of_a_workshop(server, browser, "fr")
    code = page.url.split("atelier=")[1].split("&")[0]
    context.close()
    phone_screen = phone_context(browser)
    phone = phone_screen.new_page()
    try:
        phone.goto(f"{server}/participer?code={code}")
        phone.get_by_text("Qui apporte quoi, à qui ?").wait_for(timeout=60_000)
        key = phone.url.split("p=")[1].split("&")[0]
        # Issue 26.10: the choices were 22 px apart; a finger needs 44 px.
        phone.get_by_text("Temps bénévole", exact=True).wait_for(timeout=30_000)
        heights = phone.evaluate("""() => [...document.querySelectorAll('[role=radiogroup] label')]
            .map(label => label.getBoundingClientRect().height)""")
        assert heights and min(heights) >= 44, heights
        phone.get_by_text("Voir le mur").click()
        phone.get_by_text("← Revenir au formulaire").wait_for(timeout=60_000)
        wait_for_app(phone)
        map_frame = phone.frame_locator("iframe").first
        map_frame.locator("body[data-measured=yes]").wait_for(timeout=60_000)
        width = phone.evaluate("() => document.querySelector('iframe').getBoundingClientRect().width")
        assert width >= 330  # the phone's width for the map, the legend above it
        assert float(map_frame.locator("body").get_attribute("data-fill")) >= 0.8
        assert phone.evaluate(WIDER_THAN_THE_SCREEN) <= 0
        _checked(phone, "phone wall")
        phone.screenshot(path=str(ARTIFACTS / "checks-phone-wall.png"), full_page=True)
        phone.get_by_text("← Revenir au formulaire").click()
        phone.get_by_text("Qui apporte quoi, à qui ?").wait_for(timeout=60_000)
        assert f"p={key}" in phone.url  # the same participant, not a new one
        # Issue 26.10: the join address opened again (the QR code scanned again) counted one
        # more participant; the room's cookie brings back the same key.
        phone.wait_for_function("(name) => document.cookie.includes(name)", arg=f"valuechain_p_{code}", timeout=30_000)
        phone.goto(f"{server}/participer?code={code}")
        phone.get_by_text("Qui apporte quoi, à qui ?").wait_for(timeout=60_000)
        phone.wait_for_function("() => location.search.includes('p=')", timeout=30_000)
        assert phone.url.split("p=")[1].split("&")[0] == key
    finally:
        phone_screen.close()


# ---------------------------------------------------------------------------------------------
# The wall of a room (issue 34.2): its names measured as the map grows, its join address, its
# language, and how it ends. A server in room mode, as ``make workshop`` starts it, on the
# room's network (a QR code and an address to join), with a store of its own.
ROOM_KEY = "cle-du-mur-2026-Wx9"
ROOM_ADDRESS = "http://192.168.101.120:8501"  # the address a room's laptop gives, long enough to test its line
# Every text of the wall under the map's frame, with its size on the screen.
TEXTS_ON_THE_SCREEN = """() => [...document.querySelectorAll('p, span, h1, h2, h3, label, button, div.wall-address')]
    .filter(e => e.offsetParent && e.innerText.trim() && e.getBoundingClientRect().top < 1080
                 && !e.closest('.st-key-leave_presentation, .st-key-presentation_language'))
    .map(e => [e.innerText.trim().slice(0, 40), parseFloat(getComputedStyle(e).fontSize)])"""


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("room") / "store.sqlite"
    process, url = start_server(
        tmp_path_factory,
        SERVE,
        "0.0.0.0",
        VALUECHAIN_STORE_PATH=str(store),
        VALUECHAIN_ROOM="1",
        VALUECHAIN_FACILITATOR_KEY=ROOM_KEY,
        VALUECHAIN_ROOM_ADDRESS=ROOM_ADDRESS,
    )
    yield url, f"sqlite:///{store}"
    stop_server(process)


def _synthetic_centre(folder, actors: int):
    """A seeded synthetic centre of ``actors`` actors (benchmarks/synthetic.py), as a workbook."""
    import importlib.util

    from helpers import ROOT

    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return synthetic.write_synthetic(folder / f"centre-{actors}.xlsx", actors, actors * 3, seed=3)


def _room_wall(browser, url: str, workbook=None):
    """The facilitator opens a workshop on ``workbook`` (the sample when None) and shows its
    wall in presentation mode on a 1920×1080 screen: (context, page, the map's frame)."""
    import re

    from support.browser import upload

    context = browser.new_context(viewport=WALL, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/?animateur={ROOM_KEY}")
    wait_for_app(page)
    if workbook is not None:
        upload(page, workbook)
    open_page(page, "atelier")
    opening = page.get_by_role("button", name=re.compile("^Ouvrir un atelier"))
    opening.wait_for(timeout=30_000)
    opening.click()
    page.get_by_text("Atelier en cours").wait_for(timeout=30_000)
    open_page(page, "mur")
    page.get_by_text("Mode présentation", exact=True).click()
    page.locator(".st-key-leave_presentation").wait_for(timeout=30_000)
    wait_for_app(page)
    frame = page.frame_locator("iframe").first
    frame.locator("body[data-measured=yes]").wait_for(timeout=90_000)
    return context, page, frame


def _wall_is_readable(page, frame, where: str) -> int:
    """What the room must be able to read on the wall; returns the smallest name, in pixels."""
    import json

    body = frame.locator("body")
    smallest = int(body.get_attribute("data-label-px"))
    assert smallest >= 24, f"{where}: the smallest name is drawn {smallest} px high"
    overlaps = json.loads(body.get_attribute("data-overlaps"))
    assert overlaps == [], f"{where}: names drawn over other nodes: {overlaps}"
    assert body.get_attribute("data-cut-names") == "0", f"{where}: names cut with an ellipsis"
    bottom = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('iframe')].map(f => f.getBoundingClientRect().bottom))"
    )
    assert bottom <= 1080, f"{where}: the map ends at {bottom} px, under the screen"
    small = [(text, size) for text, size in page.evaluate(TEXTS_ON_THE_SCREEN) if size < 24]
    assert small == [], f"{where}: {small}"
    for hidden in ("[data-testid=stSidebarNav]", "[data-testid=stTopNavLinkContainer]"):
        assert not page.locator(hidden).first.is_visible(), f"{where}: {hidden}"
    _checked(page, where)
    return smallest


@pytest.mark.parametrize("actors", [20, 50, 80])
def test_the_wall_names_stay_24_px_as_the_room_s_map_grows(room_server, browser, tmp_path, actors):  # noqa: F811
    """Issue 34.2: names were 24 px with 20 actors, 17 px with 70, cut with "…"; the join
    address was 19 px and broken mid-word. The smallest name drawn on the wall's canvas
    (vis-network's font size times its zoom), with 20, 50 and 80 actors, in both languages."""
    url, _ = room_server
    context, page, frame = _room_wall(browser, url, _synthetic_centre(tmp_path, actors))
    try:
        page.screenshot(path=str(ARTIFACTS / f"checks-wall-{actors}-fr.png"))
        _wall_is_readable(page, frame, f"wall, {actors} actors (fr)")
        # The join address on one line, large, whole.
        address = page.locator(".wall-address")
        assert address.inner_text() == f"{ROOM_ADDRESS}/participer?code=" + page.url.split("atelier=")[1][:6]
        line = address.evaluate(
            """e => [e.scrollWidth - e.clientWidth, e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)]"""
        )
        assert line[0] <= 0 and line[1] < 2 * line[2] and line[2] >= 24, line
        # The language switch of presentation mode, on the wall itself.
        page.locator(".st-key-presentation_language").get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Workshop:", exact=False).wait_for(timeout=30_000)
        wait_for_app(page)
        frame = page.frame_locator("iframe").first
        frame.locator("html[lang=en] body[data-measured=yes]").wait_for(timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / f"checks-wall-{actors}-en.png"))
        _wall_is_readable(page, frame, f"wall, {actors} actors (en)")
    finally:
        context.close()


def test_the_wall_s_settings_enlarge_the_names_and_hide_the_legend_and_stay_in_the_address(
    room_server, browser, tmp_path
):  # noqa: F811
    url, _ = room_server
    context, page, frame = _room_wall(browser, url, _synthetic_centre(tmp_path, 50))
    try:
        before = int(frame.locator("body").get_attribute("data-label-px"))
        page.get_by_text("Réglages du mur", exact=True).click()  # under the wall, out of the room's sight
        page.get_by_text("Noms plus grands", exact=True).click()
        page.get_by_text("Légende", exact=True).click()
        page.wait_for_function("() => location.search.includes('noms=1') && location.search.includes('legende=0')")
        wait_for_app(page)
        frame = page.frame_locator("iframe").first
        frame.locator("#legend[hidden]").wait_for(state="attached", timeout=60_000)
        frame.locator("body[data-measured=yes]").wait_for(timeout=60_000)
        assert not frame.locator("#legend").is_visible()  # the map on the whole frame
        larger = int(frame.locator("body").get_attribute("data-label-px"))
        assert larger >= 32 and larger > before, (before, larger)
        page.reload()  # a reloaded wall keeps them
        wait_for_app(page)
        frame = page.frame_locator("iframe").first
        frame.locator("#legend[hidden]").wait_for(state="attached", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "checks-wall-larger-no-legend.png"))
    finally:
        context.close()


def test_after_closing_the_wall_ends_on_the_room_s_end_screen_and_every_page_still_checks(room_server, browser):  # noqa: F811
    """Issue 34.2: after closing, the projector showed the app's navigation and "Aucun atelier
    n'est ouvert". The wall ends on the room's end screen; then every page passes its checks."""
    from valuechain.store.db import Store
    from valuechain.workshop.answers import Answer
    from valuechain.workshop.workshops import Workshops

    url, database = room_server
    context, page, frame = _room_wall(browser, url)
    store = Store(database)
    try:
        code = page.url.split("atelier=")[1][:6]
        workshops = Workshops(store)
        workshop = workshops.by_code(code)
        added = Answer(who="Amina Traore", nature="benevolat", target=workshop.centre_name, who_category="habitants")
        workshops.accept(workshop.id, workshops.propose(code, "phone-1", added))
        workshops.close(workshop.id)
        page.get_by_text("Merci à toute la salle !").wait_for(timeout=30_000)
        wait_for_app(page)
        end_map = page.frame_locator("iframe").first
        end_map.locator("body[data-measured=yes]").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "checks-wall-end-fr.png"))
        assert page.get_by_text("Aucun atelier n'est ouvert").count() == 0
        for hidden in ("[data-testid=stSidebarNav]", "[data-testid=stTopNavLinkContainer]"):
            assert not page.locator(hidden).first.is_visible(), hidden
        cards = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stMetric]')].map(e => e.innerText.replace(/\\s+/g, ' '))"
        )
        assert "Acteurs ajoutés 1" in cards and "Participants 1" in cards, cards
        assert int(end_map.locator("body").get_attribute("data-label-px")) >= 24
        _checked(page, "end screen (fr)")
        page.reload()  # the projector's laptop slept: the end screen again, not the app
        page.get_by_text("Merci à toute la salle !").wait_for(timeout=30_000)
        wait_for_app(page)
        assert not page.locator("[data-testid=stTopNavLinkContainer]").first.is_visible()
        page.locator(".st-key-presentation_language").get_by_text("English", exact=True).click()
        page.get_by_text("Thank you, everyone!").wait_for(timeout=30_000)
        wait_for_app(page)
        page.frame_locator("iframe").first.locator("html[lang=en] body[data-measured=yes]").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "checks-wall-end-en.png"))
        _checked(page, "end screen (en)")
        # Out of presentation mode, every page of the app after the workshop's close.
        page.get_by_role("button", name="✕ Leave presentation mode").click()
        page.locator("[data-testid=stSidebarNav]").wait_for(timeout=30_000)
        for name in PAGES + ["atelier", "mur"]:
            open_page(page, name)
            _checked(page, f"{name} after closing (en)")
    finally:
        store.dispose()
        context.close()

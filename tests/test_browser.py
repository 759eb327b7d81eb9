"""End to end: `streamlit run app.py` on localhost, Debian's chromium driven by Playwright.

Uploads a sample through the real file input, opens every page in French and English, checks
the map is drawn, that a hostile workbook runs nothing in the browser, and that no request
left localhost. Screenshots go to test-artifacts/ (look at them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLE_FILES, xlsx_bytes

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")
PAGES = ["accueil", "carte", "chaine", "domaines", "contributions", "saisie", "exporter", "comparer"]

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (scripts/install-system-packages.sh installs it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
               VALUECHAIN_STORE_PATH=str(tmp_path_factory.mktemp("store") / "store.sqlite"))
    env.pop("VALUECHAIN_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + process.stdout.read().decode(errors="replace")[-2000:])
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    page.outside_requests = []
    page.dialogs = []
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else page.outside_requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _wait_for_app(page) -> None:
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_timeout(800)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def _upload(page, path: Path) -> None:
    page.get_by_text("Mon classeur").click()
    page.wait_for_selector("input[type=file]", state="attached", timeout=15_000)
    page.set_input_files("input[type=file]", str(path))
    page.wait_for_timeout(1500)
    _wait_for_app(page)


def _open(page, name: str) -> None:
    """Go to a page the way a user does, through the navigation (the session, and the
    uploaded workbook, stay)."""
    links = page.locator("[data-testid=stSidebarNav] a")
    (links.first if name == "accueil" else page.locator(f"[data-testid=stSidebarNav] a[href$='/{name}']").first).click()
    _wait_for_app(page)


def _map_frame(page):
    frame = page.frame_locator("iframe").first
    frame.locator("body[data-drawn=yes]").wait_for(timeout=30_000)
    return frame


def test_a_director_uploads_a_sample_and_visits_every_page_in_both_languages(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    sample = next(p for p in SAMPLE_FILES if "habitants" in p.name)
    page.goto(server)
    _wait_for_app(page)
    _upload(page, sample)
    assert page.get_by_text("Maison des habitants Les Falaises").first.is_visible()
    for lang in ("fr", "en"):
        if lang == "en":
            page.get_by_text("English", exact=True).click()
            _wait_for_app(page)
        for name in PAGES:
            _open(page, name)
            if name == "carte":
                frame = _map_frame(page)
                assert int(frame.locator("body").get_attribute("data-nodes")) > 10
            page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}.png"), full_page=True)
    assert page.outside_requests == []
    assert page.dialogs == []


def test_a_hostile_workbook_runs_nothing_in_the_browser(server, page, tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    breaker = "</script><script>alert(2)</script>"
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(xlsx_bytes({
        "Acteurs": [["nom", "categorie", "description"], ["Centre", "centre", hostile],
                    [hostile, "habitants", breaker], [breaker, "associations", "=1+1"]],
        "Flux": [["source", "cible", "nature", "quantite", "description"],
                 [hostile, "Centre", "benevolat", 10, breaker], [breaker, "Centre", "monetaire", 100, hostile]],
    }))
    page.goto(server)
    _wait_for_app(page)
    _upload(page, path)
    for name in PAGES:
        _open(page, name)
        if name == "carte":
            frame = _map_frame(page)
            assert int(frame.locator("body").get_attribute("data-nodes")) >= 3
        if name == "contributions":
            # The name is drawn as its characters in the charts (SVG text), not as an element.
            page.wait_for_selector(".js-plotly-plot", timeout=30_000)
            assert page.locator("svg text", has_text="<img src=x onerror=alert(1)>").count() >= 1
            assert page.locator("img[src=x]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile-contributions.png"), full_page=True)
    assert page.dialogs == []
    assert page.outside_requests == []


def test_a_broken_file_through_the_real_input_gives_one_sentence(server, page, tmp_path):
    path = tmp_path / "cassé.xlsx"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    page.goto(server)
    _wait_for_app(page)
    _upload(page, path)
    assert page.get_by_text("n'a pas pu être lu").first.is_visible()
    assert page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(ARTIFACTS / "broken-file.png"), full_page=True)


def test_a_federation_fills_the_store_and_compares_centres(server, page):
    page.goto(server)
    _wait_for_app(page)
    _open(page, "comparer")
    if page.get_by_text("Ajouter les centres d'exemple").count():
        page.get_by_text("Ajouter les centres d'exemple").click()
        _wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert page.locator(".js-plotly-plot").count() >= 2  # small multiples and radar
    page.get_by_text("Anonymiser les centres (Centre A, B…)").click()
    _wait_for_app(page)
    page.screenshot(path=str(ARTIFACTS / "comparer-filled-fr.png"), full_page=True)
    assert page.outside_requests == [] and page.dialogs == []

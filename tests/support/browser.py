"""The app served for real and driven in Debian's chromium by Playwright: starting a server,
waiting for what is checked (never a fixed delay), going to a page as a user does."""

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

from helpers import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")
PAGES = [
    "accueil",
    "carte",
    "chaine",
    "domaines",
    "contributions",
    "valeur-sociale",
    "saisie",
    "exporter",
    "comptes",
    "comparer",
    "evolution",
]
# The screens the tests look through: a room's wall, a phone (and what its browser says it is:
# the pages draw their charts for a phone from it, dashboard.widgets.on_a_phone).
WALL = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
# The workshop's pages (tests/browser/test_workshop_browser.py drives them); the phones' form has no navigation.
WORKSHOP_PAGES = ["atelier", "mur", "participer"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The app as the tests start it by default, and as `make run` and `make workshop` start it
# (scripts/serve.py: no session in Streamlit's legacy folder mode, the room's key checked).
STREAMLIT_RUN = (sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"))
SERVE = (sys.executable, str(ROOT / "scripts" / "serve.py"))


def app_env(**extra: str) -> dict[str, str]:
    """The test run's environment for an app process, with ``extra``: no database but one
    ``extra`` names (never one the machine's environment points to), no usage statistics sent."""
    env = {name: value for name, value in os.environ.items() if name != "VALUECHAIN_DATABASE_URL"}
    env.update(STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **extra)
    return env


def launch(
    port: int,
    log: Path,
    env: dict[str, str],
    command: tuple[str, ...] = STREAMLIT_RUN,
    address: str = "127.0.0.1",
    arguments: tuple[str, ...] = (),
) -> subprocess.Popen:
    """One app process on ``port``, listening on ``address``. What it prints goes to ``log``,
    read if it fails: a pipe nobody reads fills up, and the server then stops at its next log line."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                *command,
                "--server.port",
                str(port),
                "--server.address",
                address,
                "--server.headless",
                "true",
                *arguments,
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    process.log = log  # type: ignore[attr-defined]
    return process


def start_server(tmp_path_factory, command=STREAMLIT_RUN, address: str = "127.0.0.1", **extra_env):
    """An app process on a free port and a store of its own (unless ``extra_env`` names one),
    answering its health check: (the process, its address)."""
    port = free_port()
    store = str(tmp_path_factory.mktemp("store") / "store.sqlite")
    env = app_env(**{"VALUECHAIN_STORE_PATH": store, **extra_env})
    process = launch(port, tmp_path_factory.mktemp("server") / "server.log", env, command, address)
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url, process)
    return process, url


def wait_until_healthy(url: str, process: subprocess.Popen) -> None:
    """Until the server answers its health check; a server that stops or never answers fails
    the test with what it printed."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.kill()
    said = process.log.read_text(errors="replace")[-2000:]
    pytest.fail(f"streamlit did not start at {url}: {said}")


def stop_servers(processes) -> None:
    """Each process asked to stop, all at once; one that has not within 15 s is killed."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def stop_server(process) -> None:
    stop_servers([process])


# Waits are for what is checked, never a fixed delay: the page has a title, Streamlit's
# "running" indicator is gone, and the app's own elements are attached (no stale frame).
def wait_for_app(page) -> None:
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-stale="true"]')""",
        timeout=60_000,
    )


UPLOADER_WORDS = """() => {
  const button = document.querySelector('[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p');
  const limit = document.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span');
  return [getComputedStyle(button, '::after').content, getComputedStyle(limit, '::after').content,
          getComputedStyle(button).fontSize];
}"""


def upload(page, path: Path, check_words: bool = False) -> None:
    page.get_by_text("Mon classeur").click()
    page.wait_for_selector("input[type=file]", state="attached", timeout=15_000)
    if check_words:
        # Streamlit's own English words ("Upload", "50MB per file") are replaced by ours.
        button, limit, hidden_size = page.evaluate(UPLOADER_WORDS)
        assert (button, limit, hidden_size) == ('"Parcourir"', '"50 Mo au plus par fichier"', "0px")
    page.set_input_files("input[type=file]", str(path))
    # The file is taken once the uploader lists it; then the run it starts must end.
    page.locator("[data-testid=stFileChipName]").first.wait_for(timeout=60_000)
    wait_for_app(page)


def open_page(page, name: str) -> None:
    """Go to a page the way a user does, through the navigation (the session, and the
    uploaded workbook, stay)."""
    links = page.locator("[data-testid=stSidebarNav] a")
    (links.first if name == "accueil" else page.locator(f"[data-testid=stSidebarNav] a[href$='/{name}']").first).click()
    wait_for_app(page)


def phone_context(browser, locale: str = "fr-FR", **options):
    """A browser context as a 390×844 phone: a finger, a phone's screen."""
    return browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True, **options)


# Each chart as the reader sees it: every text plotly drew (ticks, bar and slice texts, the
# Sankey's and the radar's names, legends, titles) with its box on the screen; the chart's own
# box; its drawing areas (a cartesian plot's, the radar's circle, the Sankey's nodes); its title.
PLOTLY_CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height});
  const svg = plot.querySelector('.main-svg') || plot;
  const texts = [];
  for (const t of plot.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    const style = getComputedStyle(t);
    if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') continue;
    const r = t.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    texts.push({text: t.textContent.trim(), ...box(r)});
  }
  const areas = [...plot.querySelectorAll('.nsewdrag, .polarlayer .bgcircle, .polarlayer path.bg, .sankey')]
    .map(e => box(e.getBoundingClientRect()));
  return {chart: box(svg.getBoundingClientRect()), texts, areas,
          title: (plot.querySelector('.gtitle') || {textContent: ''}).textContent};
})"""


def overlapping(texts: list[dict]) -> list[str]:
    """The pairs of a chart's texts (``PLOTLY_CHARTS``) drawn over each other: boxes that cross
    by more than 2 px each way."""
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if dx > 2 and dy > 2:
                pairs.append(f"{a['text']!r} ✕ {b['text']!r}")
    return pairs


def map_frame(page):
    frame = page.frame_locator("iframe").first
    frame.locator("body[data-drawn=yes]").wait_for(timeout=30_000)
    return frame


def require_browser():
    """Playwright's sync API; the calling test module is skipped, saying why, where the
    machine has no chromium (scripts/install-system-packages.sh installs it)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed (scripts/install-system-packages.sh installs it)",
            allow_module_level=True,
        )
    return pytest.importorskip("playwright.sync_api")

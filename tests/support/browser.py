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
# The workshop's pages (tests/browser/test_workshop_browser.py drives them); the phones' form has no navigation.
WORKSHOP_PAGES = ["atelier", "mur", "participer"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp_path_factory, **extra_env):
    port = free_port()
    env = {name: value for name, value in os.environ.items() if name != "VALUECHAIN_DATABASE_URL"}
    env.update(
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        VALUECHAIN_STORE_PATH=str(tmp_path_factory.mktemp("store") / "store.sqlite"),
        **extra_env,
    )
    # What the server prints goes to a file, read if it fails: a pipe nobody reads fills up,
    # and the server then stops at its next log line.
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    process.log = log  # type: ignore[attr-defined]
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


def stop_server(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


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

"""The browser tests' fixtures: a served app per module, one chromium, a page that records
every request leaving the machine and every dialog."""

from __future__ import annotations

import pytest

from support.browser import CHROMIUM, LOCAL, require_browser, start_server, stop_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process, url = start_server(tmp_path_factory)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def unguarded_checks_server(tmp_path_factory):
    """A server whose sheet-size check is lifted, so that a hostile file reaches the
    spreadsheet reader itself (which then asks for 500 GB and aborts): only the memory-capped
    worker process stands between that file and the server."""
    process, url = start_server(tmp_path_factory, VALUECHAIN_MAX_CELLS=str(10**13))
    yield url, process
    stop_server(process)


@pytest.fixture(scope="module")
def browser():
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
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

"""Two app processes on one store behind Debian's real nginx, configured with the very block
docs/deploiement.md gives (tests/support/nginx.py), driven in chromium.

nginx balances each request, not each connection. A Streamlit session lives in the memory of
the process that holds its WebSocket, with the files given to it and the files it makes for
downloads; the browser sends and fetches those by separate HTTP requests. Without the doc's
sticky routing (its ``hash … consistent`` line taken out: nginx's default round robin), half of
them reach the process that does not know the session: the first test shows it, and is why the
doc's block has that line. With it, several browsers, spread over both processes, each give a
workbook, see its map and download its files, without one failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import EMBRUNS, ROOT
from support.browser import LOCAL, free_port, map_frame, open_page, require_browser, wait_for_app, wait_until_healthy
from support.nginx import ROUTE_COOKIE, Nginx, require_nginx

pytestmark = pytest.mark.browser
sync_api = require_browser()
require_nginx()
UPLOAD = "/_stcore/upload_file/"
MEDIA = "/media/"
EXPORT = "Classeur des résultats (.xlsx, avec graphiques)"
MAP = "Télécharger la carte (HTML hors ligne)"
# Each request replayed this many times in a row: under round robin with one nginx worker,
# two requests in a row go to different processes.
REPLAYS = 4


@pytest.fixture(scope="module")
def processes(shared_database, tmp_path_factory):
    """Two processes started as docs/deploiement.md says, sharing the store (PostgreSQL when the
    machine has it)."""
    folder = tmp_path_factory.mktemp("processes")
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", VALUECHAIN_DATABASE_URL=shared_database)
    ports = [free_port(), free_port()]
    servers = []
    for port in ports:
        # What the process prints goes to a file: a pipe nobody reads fills up, and the server
        # then stops at its next log line.
        log = folder / f"server-{port}.log"
        with open(log, "wb") as output:
            server = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "scripts" / "serve.py"),
                    *("--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"),
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        server.log = log  # type: ignore[attr-defined]
        servers.append(server)
    try:
        for port, server in zip(ports, servers):
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture
def proxy(request, processes, tmp_path):
    """nginx in front of the two processes: ``sticky`` (the doc's block) or not (round robin)."""
    nginx = Nginx(tmp_path, processes, free_port(), sticky=request.param)
    yield nginx
    nginx.stop()


class Visit:
    """One person's browser through the proxy: the uploads it sent, the files it fetched, and
    every answer of the two kinds that came back as an error."""

    def __init__(self, browser, proxy: Nginx) -> None:
        self.context = browser.new_context(
            viewport={"width": 1600, "height": 1000}, locale="fr-FR", accept_downloads=True
        )
        self.page = self.context.new_page()
        self.uploads: list = []
        self.fetched: list[str] = []
        self.errors: list[tuple[int, str]] = []
        self.outside: list[str] = []
        self.context.route(lambda url: not url.startswith(LOCAL), lambda route: route.abort())
        self.page.on("request", self._sent)
        self.page.on("response", self._answered)
        self.page.goto(proxy.url)
        wait_for_app(self.page)

    def _sent(self, request) -> None:
        if not request.url.startswith(LOCAL):
            self.outside.append(request.url)
        elif UPLOAD in request.url and request.method == "PUT":
            self.uploads.append(request)
        elif MEDIA in request.url:
            self.fetched.append(request.url)

    def _answered(self, response) -> None:
        if (UPLOAD in response.url or MEDIA in response.url) and response.status >= 400:
            self.errors.append((response.status, response.url))

    @property
    def route(self) -> str | None:
        """The route cookie nginx gave this browser."""
        return next((c["value"] for c in self.context.cookies() if c["name"] == ROUTE_COOKIE), None)

    def give(self, path) -> None:
        """Give a workbook through the uploader, as a person does, and wait for its PUT's answer."""
        self.page.get_by_text("Mon classeur").click()
        self.page.wait_for_selector("input[type=file]", state="attached", timeout=15_000)
        with self.page.expect_response(lambda r: UPLOAD in r.url and r.request.method == "PUT", timeout=60_000):
            self.page.set_input_files("input[type=file]", str(path))
        wait_for_app(self.page)

    def download(self, label: str) -> tuple[str | None, bytes]:
        """Click a download button; the download's failure (``None`` when it arrived) and bytes."""
        button = self.page.get_by_role("button", name=label)
        button.wait_for(timeout=60_000)
        with self.page.expect_download(timeout=120_000) as download:
            button.click()
        failure = download.value.failure()
        return failure, b"" if failure else Path(download.value.path()).read_bytes()

    def replay(self) -> list[tuple[int, str]]:
        """Each upload and each file fetch this browser made, sent again ``REPLAYS`` times in a
        row with the browser's cookies and headers: ``(status, body's start)`` of each."""
        answers = []
        for sent in self.uploads[-1:]:
            headers = {k: v for k, v in sent.headers.items() if k.lower() in ("content-type", "x-xsrftoken")}
            for _ in range(REPLAYS):
                answer = self.context.request.fetch(sent.url, method="PUT", headers=headers, data=sent.post_data_buffer)
                answers.append((answer.status, answer.text()[:300]))
        for url in self.fetched[-1:]:
            for _ in range(REPLAYS):
                answer = self.context.request.get(url)
                answers.append((answer.status, url))
        return answers

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("proxy", [False], ids=["round-robin"], indirect=True)
def test_without_sticky_routing_uploads_and_downloads_reach_the_process_without_the_session(browser, proxy):
    """Why the doc's nginx block has its ``hash … consistent`` line: without it, the same
    requests a browser makes are refused by the process that does not hold its session."""
    visit = Visit(browser, proxy)
    try:
        visit.give(EMBRUNS)
        open_page(visit.page, "carte")
        map_frame(visit.page)  # the map itself comes through the WebSocket: it is drawn
        visit.download(MAP)
        assert visit.uploads and visit.fetched
        replayed = visit.replay()
        refused_uploads = [body for status, body in replayed[:REPLAYS] if status == 400]
        missing_files = [url for status, url in replayed[REPLAYS:] if status == 404]
        assert refused_uploads and all("without sticky sessions" in body for body in refused_uploads)
        assert missing_files
        # nginx sent this one browser's requests to both processes.
        assert len({upstream for route, upstream, _, _ in proxy.answered() if route == visit.route}) == 2
    finally:
        visit.close()


@pytest.mark.parametrize("proxy", [True], ids=["sticky"], indirect=True)
def test_with_the_documented_sticky_routing_every_browser_gives_sees_and_downloads(browser, proxy, processes):
    """Several browsers at once, on both processes (more are opened until both have some), each
    gives a workbook, sees its map, downloads the map and the results workbook; the same
    uploads and file fetches sent again all succeed, each browser kept on one process."""
    visits: list[Visit] = []
    upstream_of: dict[str, str] = {}
    try:
        while len(visits) < 3 or len(set(upstream_of.values())) < 2:
            assert len(visits) < 10, f"ten browsers, all on one process: {upstream_of}"
            visit = Visit(browser, proxy)
            visits.append(visit)
            assert visit.route, "nginx gave the browser its route cookie"
            visit.page.reload()  # a request that carries the cookie, so that the log names its process
            wait_for_app(visit.page)
            upstream_of[visit.route] = next(u for r, u, _, _ in proxy.answered() if r == visit.route)
        for visit in visits:
            page = visit.page
            visit.give(EMBRUNS)
            page.get_by_text("Association Les Embruns").first.wait_for(timeout=60_000)
            open_page(page, "carte")
            assert int(map_frame(page).locator("body").get_attribute("data-nodes")) > 5
            failure, data = visit.download(MAP)
            assert failure is None and b"<html" in data.lower() and "Embruns".encode() in data
            open_page(page, "exporter")
            failure, data = visit.download(EXPORT)
            assert failure is None and data.startswith(b"PK")
            assert page.get_by_text("Failed to generate").count() == 0
            assert visit.uploads and visit.fetched
            assert [status for status, _ in visit.replay() if status >= 400] == []
            assert visit.errors == [] and visit.outside == []
        # Each browser on one process, all along; the browsers on both.
        routes = {visit.route for visit in visits}
        for route in routes:
            assert {u for r, u, _, _ in proxy.answered() if r == route} == {upstream_of[route]}
        assert {upstream_of[route] for route in routes} == {f"127.0.0.1:{port}" for port in processes}
    finally:
        for visit in visits:
            visit.close()

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

from pathlib import Path

import pytest

from helpers import EMBRUNS
from support.browser import (
    LOCAL,
    SERVE,
    app_env,
    free_port,
    launch,
    map_frame,
    open_page,
    require_browser,
    stop_servers,
    wait_for_app,
    wait_until_healthy,
)
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
    env = app_env(VALUECHAIN_DATABASE_URL=shared_database)
    ports = [free_port(), free_port()]
    servers = [launch(port, folder / f"server-{port}.log", env, SERVE) for port in ports]
    try:
        for port, server in zip(ports, servers):
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
        yield ports
    finally:
        stop_servers(servers)


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


# The room behind the proxy: each phone known by its own address -------------------------------------
FORGED = "203.0.113.9"  # what a phone writes in X-Forwarded-For and X-Real-IP itself


@pytest.fixture
def room_proxy(processes, tmp_path):
    """The doc's nginx on this machine's network address: a visitor comes from that address,
    not from 127.0.0.1, as a phone in the room does."""
    from support.nginx import network_address

    host = network_address()
    if host is None:
        pytest.skip("this machine has no network address besides 127.0.0.1")
    nginx = Nginx(tmp_path, processes, free_port(), sticky=True, host=host)
    yield nginx
    nginx.stop()


@pytest.fixture
def workshop(shared_database):
    from valuechain import InputFile
    from valuechain.reading.reader import read_files
    from valuechain.store.db import Store
    from valuechain.workshop.workshops import Workshops

    store = Store(shared_database)
    workshops = Workshops(store)
    raw = read_files([InputFile.from_path(EMBRUNS)])
    yield workshops, workshops.open(raw, "Association Les Embruns", EMBRUNS.name)
    store.dispose()


def _addresses(workshops, workshop_id: int) -> list[str | None]:
    import sqlalchemy as sa

    from valuechain.store.schema import PARTICIPANTS

    with workshops.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(PARTICIPANTS.c.address).where(PARTICIPANTS.c.workshop_id == workshop_id)
            ).scalars()
        )


def test_behind_the_documented_proxy_a_phone_is_known_by_its_address_never_by_one_it_wrote(
    browser, room_proxy, workshop
):
    """Issue 33.7: behind nginx every phone came from 127.0.0.1, so the per-address limits never
    held; and a header the phone writes itself must not choose its address either."""
    from valuechain.workshop.room import _address_digest

    workshops, opened = workshop
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="fr-FR",
        extra_http_headers={"X-Forwarded-For": FORGED, "X-Real-IP": FORGED},
    )
    try:
        page = context.new_page()
        page.goto(f"{room_proxy.url}/participer?code={opened.code}")
        page.get_by_text("Qui apporte quoi").first.wait_for(timeout=60_000)
        assert _addresses(workshops, opened.id) == [_address_digest(room_proxy.host)]
    finally:
        context.close()


async def _invent_phones(url: str, code: str, phones: int) -> list[bytes]:
    """What an attacker's script does: a new connection per phone, each writing another
    address in X-Forwarded-For and X-Real-IP, each opening the join link with no key of its
    own (a new participant). What each run answered, as sent."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    finished = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
    answers = []
    for number in range(phones):
        forged = f"198.51.100.{number % 250 + 1}"
        headers = {"X-Forwarded-For": forged, "X-Real-IP": forged}
        async with connect(f"{url}/_stcore/stream", additional_headers=headers, max_size=None) as socket:
            message = BackMsg()
            message.rerun_script.query_string = f"code={code}"
            message.rerun_script.page_script_hash = ""
            await socket.send(message.SerializeToString())
            said = b""
            while True:
                raw = await asyncio.wait_for(socket.recv(), 60)
                said += raw if isinstance(raw, bytes) else raw.encode()
                answer = ForwardMsg()
                answer.ParseFromString(raw)
                # The run of the page itself (not the one the navigation stops early): a
                # connection closed before it ends leaves a session with no address at all.
                if answer.WhichOneof("type") == "script_finished" and answer.script_finished == finished:
                    break
            answers.append(said)
    return answers


def test_phones_invented_by_the_hundred_through_the_proxy_come_in_at_the_room_s_pace(room_proxy, workshop):
    """The re-attack, through nginx and the app as a script would: 80 phones from one machine,
    each claiming another address. They are one address, let in at the room's pace; the others
    are told to wait."""
    import asyncio
    import datetime as dt

    from valuechain.workshop.room import JOINS, _address_digest

    workshops, opened = workshop
    began = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    from concurrent.futures import ThreadPoolExecutor

    attack = _invent_phones(room_proxy.url.replace("http", "ws", 1), opened.code, 80)
    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this one
        answers = thread.submit(asyncio.run, attack).result()
    ended = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    minutes = int((ended - began).total_seconds() // 60) + 1
    addresses = _addresses(workshops, opened.id)
    assert set(addresses) == {_address_digest(room_proxy.host)}
    assert len(addresses) <= JOINS.per_address * minutes < 80
    told = [a for a in answers if "Beaucoup de téléphones rejoignent cet atelier".encode() in a]
    assert len(told) == 80 - len(addresses)

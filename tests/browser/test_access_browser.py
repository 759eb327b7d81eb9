"""A federation's server end to end, in Debian's chromium: a real OpenID Connect provider on
localhost (oidc-provider-mock), two app processes on one database (PostgreSQL when the machine
has it) behind one address, as behind a reverse proxy, and an admin, an analyst and a centre
member signing in in turn. What each one sees on Accueil, Comparer and Exporter is checked by
content and kept as screenshots in test-artifacts/ (look at them). Signing in goes from one
process to the other connection by connection, then each page is asked of each process alone:
the two share nothing but the database and the cookie's secret, and give the same person the
same answers. No request leaves this machine."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from helpers import EMBRUNS, FALAISES, SEINE, TISSERANDS
from support.browser import (
    ARTIFACTS,
    LOCAL,
    SERVE,
    app_env,
    free_port,
    launch,
    require_browser,
    stop_servers,
    wait_for_app,
    wait_until_healthy,
)
from valuechain import InputFile
from valuechain.access.people import Identity, first_admin, user_of
from valuechain.access.policy import ANALYST, MEMBER, User
from valuechain.access.service import Access
from valuechain.store.db import Store

pytestmark = pytest.mark.browser
sync_api = require_browser()
PEOPLE = {"admin": "admin@fd76.fr", "analyst": "analyste@fd76.fr", "member": "membre@embruns.fr"}


@pytest.fixture(scope="module")
def provider():
    """The identity provider: each person is a button on its sign-in form."""
    port = free_port()
    claims = [
        json.dumps({"sub": email, "email": email, "email_verified": True, "name": role})
        for role, email in PEOPLE.items()
    ]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oidc_provider_mock",
            "--port",
            str(port),
            *[arg for claim in claims for arg in ("--user-claims", claim)],
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                break
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the OpenID Connect provider did not start")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=10)


class Proxy:
    """The reverse proxy of docs/deploiement.md, at its simplest: one address, each new TCP
    connection handed to the next process in turn (``pinned`` sends them all to one)."""

    def __init__(self, upstreams: list[int]) -> None:
        self.port, self.upstreams, self.pinned = free_port(), upstreams, None
        self.served = {port: 0 for port in upstreams}
        self._turn = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        ready.set()
        self.loop.run_forever()

    async def _handle(self, reader, writer) -> None:
        upstream = self.pinned or self.upstreams[self._turn % len(self.upstreams)]
        self._turn += 1
        self.served[upstream] += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream)
        except OSError:
            writer.close()
            return

        async def pipe(source, sink) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def close(self) -> None:
        # The loop's thread is a daemon: it ends with the tests, its connections with it.
        self.loop.call_soon_threadsafe(self.server.close)


def _serve(port: int, address: str, database: str, provider: str, folder) -> subprocess.Popen:
    """One app process, as docs/deploiement.md sets it up: the same secrets file on every
    process (the public address, the shared cookie secret), the shared database."""
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{address}/oauth2callback"\n'
        'cookie_secret = "the-same-secret-on-every-process-of-the-federation"\n'
        'client_id = "valuechain"\nclient_secret = "valuechain-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = app_env(VALUECHAIN_DATABASE_URL=database)
    return launch(port, folder / f"server-{port}.log", env, SERVE, arguments=("--secrets.files", str(secrets)))


@contextlib.contextmanager
def _two_processes(database: str, provider: str, folder):
    """Two app processes on ``database`` behind one address, answering: (the proxy, the
    address, the processes' ports). Both stopped after."""
    ports = [free_port(), free_port()]
    proxy = Proxy(ports)
    address = f"http://localhost:{proxy.port}"
    servers = [_serve(port, address, database, provider, folder) for port in ports]
    try:
        for port, server in zip(ports, servers):
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
        yield proxy, address, ports
    finally:
        proxy.close()
        stop_servers(servers)


def _fill(database: str) -> None:
    store = Store(database)
    owner = Access(store, User.local_owner())
    for path in (EMBRUNS, FALAISES, TISSERANDS):
        owner.import_files([InputFile.from_path(path)])
    first_admin(store, PEOPLE["admin"], SEINE)
    admin = Access(store, user_of(store, Identity(PEOPLE["admin"], "admin")))
    admin.grant(PEOPLE["member"], MEMBER, SEINE, store.centre_of_key("Association Les Embruns")["id"])
    admin.grant(PEOPLE["analyst"], ANALYST, SEINE)
    store.dispose()


def _sign_in(page, base: str, email: str) -> None:
    page.goto(base)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=email, exact=True).click()  # the provider's form
    page.get_by_text("Connecté·e en tant que").wait_for(timeout=30_000)
    wait_for_app(page)


def _visit(page, base: str, path: str, waits_for: str) -> str:
    page.goto(f"{base}/{path}")
    wait_for_app(page)
    try:
        page.get_by_text(waits_for).first.wait_for(timeout=30_000)
    except sync_api.TimeoutError:
        page.screenshot(path=str(ARTIFACTS / "federation-failed.png"), full_page=True)
        raise
    wait_for_app(page)
    return page.inner_text("section.stMain, [data-testid=stMain]")


def _table(page) -> list[str]:
    """The centres compared, as the page names them (the table itself is drawn on a canvas;
    the chooser of centres to draw names the same ones, as text)."""
    # The chooser, or (no centre to draw) the sentence saying why none is shown.
    page.locator("[data-testid=stMultiSelectTagsContainer]").or_(
        page.get_by_text("seraient montrés sous une lettre")
    ).first.wait_for(timeout=30_000)
    tags = page.query_selector("[data-testid=stMultiSelectTagsContainer]")
    return sorted(tags.inner_text().split("\n")) if tags is not None else []


def _signed_line(text: str) -> str:
    return next(line for line in text.split("\n") if "Connecté·e en tant que" in line)


def test_an_admin_an_analyst_and_a_member_each_see_their_own_share_on_two_processes(
    browser, shared_database, provider, tmp_path
):
    database = shared_database
    _fill(database)
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    with _two_processes(database, provider, tmp_path) as (proxy, address, ports):
        seen = {}
        for role, email in PEOPLE.items():
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
            page = context.new_page()
            # Nothing leaves this machine: a request elsewhere is stopped. The provider's own
            # sign-in form asks for a stylesheet on a CDN (a test tool's page, not ours): it is
            # stopped too, and only the app's requests are held against it.
            context.route(lambda url: not url.startswith(LOCAL), lambda route: route.abort())
            page.on(
                "request",
                lambda r: (
                    None if r.url.startswith(LOCAL) or r.frame.url.startswith(provider) else outside.append(r.url)
                ),
            )
            # Before signing in: the sign-in page, nothing of the store, on any address.
            proxy.pinned = None
            for path in ("", "comparer", "exporter"):
                text = _visit(page, address, path, "Se connecter")
                assert "Embruns" not in text and "Falaises" not in text
            if role == "admin":
                # A forged sign-in cookie (not signed with the servers' secret) is no sign-in.
                forged = json.dumps({"email": email, "is_logged_in": True, "iat": time.time()})
                context.add_cookies([{"name": "_streamlit_user", "value": forged, "url": address}])
                assert "Embruns" not in _visit(page, address, "comparer", "Se connecter")
                context.clear_cookies()
            _sign_in(page, address, email)  # its requests shared between the two processes
            answers = []
            for port in ports:
                proxy.pinned, before = port, proxy.served[port]
                _visit(page, address, "", "Connecté·e en tant que")
                home = page.inner_text("[data-testid=stMain]")
                page.screenshot(path=str(ARTIFACTS / f"federation-{role}-accueil.png"))
                compare = _visit(page, address, "comparer", "Les chiffres, côte à côte")
                centres = _table(page)
                page.screenshot(path=str(ARTIFACTS / f"federation-{role}-comparer.png"), full_page=True)
                exporter = _visit(page, address, "exporter", "Comparaison 2025 (.xlsx)")
                page.screenshot(path=str(ARTIFACTS / f"federation-{role}-exporter.png"), full_page=True)
                members_page = page.get_by_role("link", name="Membres").count() > 0
                assert proxy.served[port] > before  # this process answered
                answers.append((home, compare, centres, exporter, members_page))
            # The same person, the same answers from each process.
            assert answers[0][2:] == answers[1][2:] and _signed_line(answers[0][0]) == _signed_line(answers[1][0])
            assert answers[0][4] == (role == "admin")
            seen[role] = answers[0][:4]
            if role == "admin":
                members = _visit(page, address, "membres", "Les analystes voient les noms des centres")
                assert PEOPLE["member"] in members and PEOPLE["analyst"] in members
                page.screenshot(path=str(ARTIFACTS / "federation-admin-membres.png"), full_page=True)
            context.close()

        home, compare, centres, exporter = seen["admin"]
        assert "administrateur·rice de Fédération des centres sociaux de Seine-Maritime" in home
        assert sorted(centres) == ["Association Les Embruns", "Maison des habitants Les Falaises"]
        assert "Tisserands" not in compare.replace("La Coopérative des Tisserands (2025)", "")  # the header's sample
        assert exporter.count("Fichier d'origine") == 2

        home, compare, centres, exporter = seen["analyst"]
        assert "analyste de Fédération des centres sociaux de Seine-Maritime" in home
        assert centres == [] and "2 centres seraient montrés sous une lettre" in compare
        assert "Embruns" not in compare and "Falaises" not in compare
        assert "Aucun classeur de la base ne vous est ouvert." in exporter and "Fichier d'origine" not in exporter

        home, compare, centres, exporter = seen["member"]
        assert "membre de Association Les Embruns" in home
        assert centres == ["Association Les Embruns"] and "aucune distribution n'est montrée" in compare
        assert "Falaises" not in compare and "Supprimer" not in compare
        assert exporter.count("Fichier d'origine") == 1 and "Falaises" not in exporter
        assert outside == []


def test_a_cookie_copied_before_signing_out_opens_nothing_on_either_process(browser, provider, tmp_path):
    """Issue 33.13: "Se déconnecter" deleted the cookie in the browser that clicked it, and a
    copy of it opened the store for 12 hours more. Signed out on one process, the copy is
    refused by both; signing in again is taken."""
    database = f"sqlite:///{tmp_path / 'store.sqlite'}"
    _fill(database)
    with _two_processes(database, provider, tmp_path) as (proxy, address, ports):
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        _sign_in(page, address, PEOPLE["member"])
        copied = context.cookies()
        proxy.pinned = ports[0]
        _visit(page, address, "", "Connecté·e en tant que")
        signed_in_at = page.url
        page.get_by_role("button", name="Se déconnecter").click()
        # Off to the provider's own sign-out page (its end_session), or back to the sign-in.
        page.wait_for_url(lambda url: url != signed_in_at and "/auth/logout" not in url, timeout=30_000)
        context.close()
        elsewhere = browser.new_context(locale="fr-FR")
        elsewhere.add_cookies(copied)
        replay = elsewhere.new_page()
        for port in ports:
            proxy.pinned = port
            for path in ("", "comparer"):
                text = _visit(replay, address, path, "Se reconnecter")
                assert "Embruns" not in text and "Connecté·e en tant que" not in text
        elsewhere.close()
        again = browser.new_context(locale="fr-FR")
        proxy.pinned = None
        page = again.new_page()
        _sign_in(page, address, PEOPLE["member"])
        assert "membre de Association Les Embruns" in _visit(page, address, "", "Connecté·e en tant que")
        again.close()

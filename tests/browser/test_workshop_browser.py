"""A workshop end to end, in Debian's chromium: two app processes on one database (PostgreSQL
when the machine has it), a wall at 1920×1080 on one, three phones at 390×844 on the other's
address on the room's network, the facilitator accepting two proposals and merging one; the wall
shows them without a reload, then after one; the phones' process is killed mid-workshop and
started again, and nothing is lost. No request leaves this machine. Screenshots go to
test-artifacts/ (look at them)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest
import sqlalchemy as sa

from support.browser import (
    ARTIFACTS,
    PHONE,
    SERVE,
    WALL,
    app_env,
    free_port,
    launch,
    require_browser,
    stop_servers,
    wait_for_app,
    wait_until_healthy,
)
from valuechain.store.db import Store
from valuechain.workshop.room import room_address
from valuechain.workshop.workshops import Workshops

pytestmark = pytest.mark.browser
sync_api = require_browser()
# The third is a look-alike of an actor of the map, merged with it. (It was a look-alike of the
# centre itself, merged into a flow from the centre to itself: refused now, issue 26.5.)
NAMES = ["Amina Traore", "Jardin des Lilas", "CAF de la Drome"]
KEY = "cle-de-l-animatrice"  # the facilitator's key, as make workshop prints it


def _serve(port: int, database: str, folder) -> subprocess.Popen:
    # As make workshop starts it (scripts/serve.py): no session of a restarted server starts
    # in Streamlit's legacy folder mode, however many reconnect at once.
    env = app_env(VALUECHAIN_DATABASE_URL=database, VALUECHAIN_ROOM="1", VALUECHAIN_FACILITATOR_KEY=KEY)
    return launch(port, folder / f"server-{port}.log", env, SERVE, "0.0.0.0")


def _page(browser, viewport, local_hosts, outside):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    allowed = tuple(f"{scheme}://{host}" for host in local_hosts for scheme in ("http", "ws")) + (
        "data:",
        "blob:",
        "about:",
    )
    page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    return page


def _map_shows(page, name: str, timeout: float = 15_000) -> None:
    """Wait until the wall's map (the page in its frame) holds the name."""
    page.wait_for_function(
        """name => [...document.querySelectorAll('iframe')]
        .some(frame => (frame.srcdoc || '').includes(name))""",
        arg=name,
        timeout=timeout,
    )


def _presentation(wall, toggle: str, leave: str) -> None:
    """Put the wall in presentation mode (the sidebar's switch), and wait until it is. The
    sidebar may come back folded after presentation mode was left (Streamlit keeps its folded
    state in the browser): unfolded first, as a person does with its arrow."""
    wait_for_app(wall)
    switch = wall.get_by_text(toggle, exact=True)
    unfold = wall.locator("[data-testid='stExpandSidebarButton']")
    if not switch.is_visible() and unfold.count():
        unfold.first.click()
    switch.click()
    wall.get_by_role("button", name=leave).wait_for(timeout=20_000)
    wait_for_app(wall)


def _decide(facilitator, button: str) -> None:
    """Click a proposal's button, and wait until the queue holds one proposal less (a click
    made while the queue redraws itself is made again)."""
    count = facilitator.get_by_role("button", name="Refuser", exact=True).count()
    for _attempt in range(3):
        facilitator.get_by_role("button", name=button, exact=True).first.click()
        try:
            facilitator.wait_for_function(
                """count => [...document.querySelectorAll('button')].filter(b => b.innerText.trim() === 'Refuser').length < count""",
                arg=count,
                timeout=10_000,
            )
            return
        except sync_api.TimeoutError:
            continue
    raise AssertionError(f"{button}: the queue did not change")


def _propose(phone, who: str, nature: str) -> None:
    phone.get_by_role("textbox", name="… ou écrire un nouveau nom").fill(who)
    phone.get_by_text(nature, exact=True).click()
    to_whom = phone.get_by_role("combobox", name="À quelle activité, ou à qui ?")  # nothing chosen at first
    to_whom.click()
    to_whom.fill("Centre social des Tilleuls")
    phone.get_by_role("option").filter(has_text="Centre social des Tilleuls").first.click()
    phone.get_by_role("button", name="Envoyer").click()
    try:
        phone.get_by_text(f"« {who} » est dans la file de l'animateur").wait_for(timeout=20_000)
    except Exception:
        phone.screenshot(path=str(ARTIFACTS / "workshop-phone-failed.png"), full_page=True)
        raise


def test_a_workshop_built_by_the_room_from_phones_survives_a_reload_and_a_killed_server(
    browser, shared_database, tmp_path
):
    database = shared_database
    lan = room_address(0).split("//")[1].split(":")[0]
    if lan.startswith("127."):
        pytest.skip("this machine has no address on a network for the phones")
    ARTIFACTS.mkdir(exist_ok=True)
    phones_port, wall_port = free_port(), free_port()
    phones_server, wall_server = _serve(phones_port, database, tmp_path), _serve(wall_port, database, tmp_path)
    outside: list[str] = []
    local = ("localhost", "127.0.0.1", lan)
    try:
        wait_until_healthy(f"http://127.0.0.1:{phones_port}", phones_server)
        wait_until_healthy(f"http://127.0.0.1:{wall_port}", wall_server)
        # The facilitator opens a workshop on the centre shown, on the phones' process.
        facilitator = _page(browser, {"width": 1600, "height": 1000}, local, outside)
        facilitator.goto(f"http://127.0.0.1:{phones_port}/atelier?animateur={KEY}")
        wait_for_app(facilitator)
        facilitator.get_by_role("button", name=re.compile("^Ouvrir un atelier")).click()
        facilitator.get_by_text("Atelier en cours").wait_for(timeout=30_000)
        store = Store(database)
        [workshop] = Workshops(store).open_ones()

        # The wall, served by the other process.
        wall = _page(browser, WALL, local, outside)
        wall.goto(f"http://127.0.0.1:{wall_port}/mur?atelier={workshop.code}&animateur={KEY}")
        wait_for_app(wall)
        wall.get_by_text(f"Rejoindre : {workshop.code}").wait_for()
        _presentation(wall, "Mode présentation", "Quitter le mode présentation")
        _map_shows(wall, "La Coop")
        wall.screenshot(path=str(ARTIFACTS / "workshop-join-wall-fr.png"))

        # Three phones on the room's network (this machine's address, not localhost): the form only.
        phones = [_page(browser, PHONE, local, outside) for _ in range(3)]
        for phone in phones:
            phone.goto(f"http://{lan}:{phones_port}/participer?code={workshop.code}")
            phone.get_by_text("Qui apporte quoi, à qui ?").wait_for(timeout=30_000)
        _propose(phones[0], NAMES[0], "Temps bénévole")
        _propose(phones[1], NAMES[1], "Dons en nature, matières, produits")
        _propose(phones[2], NAMES[2], "Compétences, savoir-faire, formation")
        phones[0].screenshot(path=str(ARTIFACTS / "workshop-phone-fr.png"), full_page=True)
        # A phone that goes to the editor's address gets the join screen, and nothing else;
        # so does one that comes from this very machine, as every phone does behind a reverse
        # proxy (issue 25.3): the facilitator is the key's holder, not an address.
        behind_proxy = _page(browser, PHONE, local, outside)
        for phone, host in ((phones[1], lan), (behind_proxy, "127.0.0.1")):
            phone.goto(f"http://{host}:{phones_port}/saisie")
            phone.get_by_role("heading", name="Rejoindre l'atelier").wait_for(timeout=30_000)
            assert (
                phone.locator(
                    '[data-testid="stDataFrame"], [data-testid="stDataEditor"], [data-testid="stSidebarNav"]'
                ).count()
                == 0
            )

        # The facilitator's queue fills by itself; two accepted, the third merged.
        facilitator.get_by_text("Participant n° 3").wait_for(timeout=20_000)
        for button in ("Accepter", "Accepter"):
            _decide(facilitator, button)
        # The look-alike is offered first, never chosen for the facilitator: chosen here.
        facilitator.get_by_role("combobox", name=re.compile("^Fusionner avec")).first.click()
        facilitator.get_by_role("option").filter(has_text="CAF de la Drôme").first.click()
        facilitator.get_by_role("button", name="Fusionner", exact=True).first.wait_for(timeout=20_000)
        facilitator.wait_for_function(
            """() => [...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Fusionner' && !b.disabled)""",
            timeout=20_000,
        )
        _decide(facilitator, "Fusionner")
        try:
            facilitator.get_by_text("Aucune proposition en attente").wait_for(timeout=20_000)
        except Exception:
            facilitator.screenshot(path=str(ARTIFACTS / "workshop-queue-failed.png"), full_page=True)
            raise

        # The wall follows without anyone touching it, and after a reload.
        started = time.time()
        _map_shows(wall, NAMES[0])
        _map_shows(wall, NAMES[1])
        print(f"wall updated {time.time() - started:.1f} s after the last acceptance")
        wall.screenshot(path=str(ARTIFACTS / "workshop-wall-fr.png"))
        wall.reload()
        wait_for_app(wall)
        _map_shows(wall, NAMES[0])
        _map_shows(wall, NAMES[1])
        wall.get_by_role("button", name="Quitter le mode présentation").wait_for()  # still a wall
        wall.screenshot(path=str(ARTIFACTS / "workshop-wall-reloaded-fr.png"))

        # One more proposal waits in the queue; the phones' process is killed and started again.
        _propose(phones[0], "Boulangerie Martin", "Financement, ventes, dons en argent")
        os.kill(phones_server.pid, signal.SIGKILL)
        phones_server.wait(timeout=10)
        phones_server = _serve(phones_port, database, tmp_path)
        wait_until_healthy(f"http://127.0.0.1:{phones_port}", phones_server)
        workshops = Workshops(Store(database))
        assert [p.answer.who for p in workshops.proposals(workshop.id)] == ["Boulangerie Martin"]
        assert [e.kind for e in workshops.journal(workshop.id)] == ["accept", "accept", "merge"]
        facilitator.goto(f"http://127.0.0.1:{phones_port}/atelier?atelier={workshop.code}&animateur={KEY}")
        wait_for_app(facilitator)
        facilitator.get_by_text("Boulangerie Martin").first.wait_for(timeout=30_000)
        facilitator.get_by_role("tab", name="Journal").click()
        facilitator.get_by_role("button", name="↶ Annuler").wait_for()

        # In English: the phone's switch, and the wall's.
        # The phone reconnected to the restarted process: a click made while its page is
        # drawn again is made again (each try waits for the English title).
        for attempt in range(3):
            phones[2].get_by_text("English", exact=True).click()
            try:
                phones[2].get_by_text("Who brings what, to whom?").wait_for(timeout=10_000)
                break
            except sync_api.TimeoutError:
                if attempt == 2:
                    phones[2].screenshot(path=str(ARTIFACTS / "workshop-phone-failed.png"), full_page=True)
                    raise
        print(f"English on the reconnected phone after {attempt + 1} click(s)")
        phones[2].get_by_text("Brings what?", exact=True).wait_for(timeout=20_000)  # the whole form
        wait_for_app(phones[2])
        phones[2].screenshot(path=str(ARTIFACTS / "workshop-phone-en.png"), full_page=True)
        wall.get_by_role("button", name="Quitter le mode présentation").click()
        # Presentation left (its switch back in the sidebar) before the language is changed
        # there: a click on the language while the page is still drawn for the wall would send
        # the wall's state again.
        wall.locator("[data-testid='stSidebar']").get_by_text("Mode présentation", exact=True).wait_for(timeout=20_000)
        wait_for_app(wall)
        wall.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
        wall.get_by_text(f"Join: {workshop.code}").wait_for(timeout=20_000)
        _presentation(wall, "Presentation mode", "Leave presentation mode")
        _map_shows(wall, NAMES[1])
        wall.screenshot(path=str(ARTIFACTS / "workshop-wall-en.png"))
        assert outside == []
        with store.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM workshop_participants")).scalar() == 3
        store.dispose()
        workshops.store.dispose()
    finally:
        stop_servers([phones_server, wall_server])

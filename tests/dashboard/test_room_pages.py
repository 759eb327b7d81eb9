"""The room's pages against those who would take them (issue 33): the facilitator's key never in
an address the app shows, a NUL character in an address, a phone whose database stopped."""

from __future__ import annotations

import pytest

from support.apptest import open_address
from support.room import open_workshop

# What make workshop makes (valuechain.workshop.room.new_facilitator_key): strong enough to keep.
KEY = "Zq3-vT8pLw_2mKx9"
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/valuechain"


# 4. The key is taken once --------------------------------------------------------------------------------
def test_the_facilitator_key_is_taken_once_and_no_address_the_app_shows_holds_it(room_store, monkeypatch):
    """Issue 33.4: the app wrote ``?animateur=KEY`` back into the address at every run, so the
    projected wall carried the key for anyone to photograph."""
    from valuechain.workshop.room import FACILITATOR_KEY_VARIABLE

    monkeypatch.setenv("VALUECHAIN_ROOM", "1")
    monkeypatch.setenv(FACILITATOR_KEY_VARIABLE, KEY)
    app = open_address(animateur=KEY)
    assert "animateur" not in app.query_params
    for page in ("atelier", "mur", "carte"):
        app.switch_page(f"pages/{page}.py")
        app.run()
        assert not app.exception and "animateur" not in app.query_params
        assert [t.value for t in app.title][:1] != ["Rejoindre l'atelier"]  # still the facilitator
        assert all(KEY not in str(element.value) for element in app.markdown)


def test_the_docs_example_key_opens_nothing(room_store, monkeypatch):
    from valuechain.workshop.room import FACILITATOR_KEY_VARIABLE

    monkeypatch.setenv("VALUECHAIN_ROOM", "1")
    monkeypatch.setenv(FACILITATOR_KEY_VARIABLE, "ma-cle")
    app = open_address(animateur="ma-cle")
    assert [t.value for t in app.title] == ["Rejoindre l'atelier"] and "animateur" not in app.query_params


# 13. A NUL character, a database stopped ------------------------------------------------------------------
@pytest.fixture
def any_store(url, room_store, monkeypatch):
    """The app on the test's SQLite file or on the test PostgreSQL."""
    if url.startswith("postgresql"):
        monkeypatch.setenv("VALUECHAIN_DATABASE_URL", url)
    yield url


@pytest.mark.parametrize(
    "page, name",
    [("participer", "code"), ("mur", "code"), ("atelier", "atelier"), ("mur", "atelier"), ("comparer", "version")],
)
def test_a_nul_character_in_an_address_gets_the_page_not_streamlit_s_error(any_store, page, name):
    """Issue 33.13: ``?code=``, ``?version=``, ``?atelier=`` holding a NUL gave Streamlit's English
    error page on PostgreSQL."""
    open_workshop()
    app = open_address(page, **{name: "AB\x00CD"})
    assert not app.exception


def test_a_phone_whose_database_stopped_keeps_its_proposal_and_sends_it_once_the_database_is_back(
    room_store, monkeypatch
):
    """Issue 33.13: with PostgreSQL stopped, a phone got Streamlit's English error page and lost
    what it had typed."""
    workshops, workshop = open_workshop()
    phone = open_address(code=workshop.code)
    next(t for t in phone.text_input if t.label == "… ou écrire un nouveau nom").input("Amina")
    next(r for r in phone.radio if r.label == "Apporte quoi ?").set_value("competences")
    to_whom = next(s for s in phone.selectbox if " ".join(s.label.split()) == "À quelle activité, ou à qui ?")
    to_whom.set_value(to_whom.options[0])  # chosen: nothing is, at first
    monkeypatch.setenv("VALUECHAIN_DATABASE_URL", UNREACHABLE)
    from dashboard.visitor import workshops_of

    workshops_of.clear()
    next(b for b in phone.button if b.label == "Envoyer").click().run()
    assert not phone.exception, [e.message for e in phone.exception]
    assert any("réessayez" in e.value for e in phone.error)
    assert next(t for t in phone.text_input if t.label == "… ou écrire un nouveau nom").value == "Amina"
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL")
    next(b for b in phone.button if b.label == "Envoyer").click().run()
    assert not phone.exception and phone.success[0].value.startswith("Merci !")
    assert [p.answer.who for p in workshops.proposals(workshop.id)] == ["Amina"]
    assert next(t for t in phone.text_input if t.label == "… ou écrire un nouveau nom").value == ""

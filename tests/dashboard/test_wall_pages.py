"""The wall page (pages/mur.py) through AppTest (issue 34.2): after closing, the session that
showed the wall ends on the room's end screen (thanks, what it built, its map), never on "Aucun
atelier n'est ouvert"; a session that never showed it learns nothing of it; the facilitator's
settings (larger names, no legend) are kept in the address. In Chromium:
tests/browser/test_page_checks.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from support.apptest import open_address, open_app, visit
from support.room import open_workshop
from valuechain.workshop.answers import Answer

AMINA = Answer(who="Amina Traore", nature="benevolat", target="Centre social des Tilleuls", who_category="habitants")


def _wall(lang: str = "fr", **state) -> AppTest:
    return visit(open_app(lang, **state), "mur")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_after_closing_the_wall_ends_on_the_room_s_end_screen(room_store, lang):
    workshops, workshop = open_workshop()
    wall = _wall(lang, workshop=workshop.code, presentation=True)
    assert "Centre social des Tilleuls" in wall.title[0].value
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", AMINA))
    workshops.close(workshop.id)
    wall.run()  # what the wall's fragment does when it sees the workshop closed
    assert not wall.exception, [e.message for e in wall.exception]
    thanks = {"fr": "Merci à toute la salle !", "en": "Thank you, everyone!"}[lang]
    assert wall.title[0].value == thanks
    assert not any("Aucun atelier" in i.value or "No workshop" in i.value for i in wall.info)
    counts = {m.label: m.value for m in wall.metric}
    added = {"fr": "Acteurs ajoutés", "en": "Actors added"}[lang]
    assert counts[added] == "1"
    assert "Amina Traore" in wall.get("iframe")[0].proto.srcdoc  # the map the room built
    assert not wall.get("image")  # no QR code left: the code joins nothing any more


def test_a_session_that_never_showed_the_wall_learns_nothing_of_a_closed_workshop(room_store):
    workshops, workshop = open_workshop()
    workshops.close(workshop.id)
    wall = _wall("fr", workshop=workshop.code)
    assert wall.title[0].value != "Merci à toute la salle !"
    assert not wall.get("iframe") and not wall.metric


def test_the_wall_s_settings_are_kept_in_the_address(room_store):
    from dashboard import state

    workshops, workshop = open_workshop()
    wall = _wall("fr", workshop=workshop.code)
    next(t for t in wall.toggle if t.label == "Noms plus grands").set_value(True).run()
    next(t for t in wall.toggle if t.label == "Légende").set_value(False).run()
    assert (wall.query_params.get("noms"), wall.query_params.get("legende")) in ((["1"], ["0"]), ("1", "0"))
    # A reloaded wall (a new session on that address) keeps them.
    address = {state.WORKSHOP_PARAM: workshop.code, state.PRESENTATION_PARAM: state.PRESENTATION_ON}
    again = open_address("mur", noms="1", legende="0", **address)
    assert '<div id="legend" hidden>' in again.get("iframe")[0].proto.srcdoc


def test_a_reloaded_end_screen_stays_the_end_screen(room_store):
    """The projector's laptop reloads the page (it slept): the end screen's address brings it back."""
    from dashboard import state

    workshops, workshop = open_workshop()
    wall = _wall("fr", workshop=workshop.code, presentation=True)
    workshops.close(workshop.id)
    wall.run()
    assert wall.title[0].value == "Merci à toute la salle !"
    assert wall.query_params.get("fin") in ([workshop.code], workshop.code)
    reloaded = open_address("mur", fin=workshop.code, **{state.PRESENTATION_PARAM: state.PRESENTATION_ON})
    assert reloaded.title[0].value == "Merci à toute la salle !"
    # An open workshop's code there shows no end screen: it has not ended.
    _, other = open_workshop()
    again = open_address("mur", fin=other.code)
    assert again.title[0].value != "Merci à toute la salle !" and not again.metric

"""Workshops: the journal (every change written at once, undo, redo), the room's proposals
(accept, merge, edit, reject, hostile input, floods), closing into a version, the wall's pinned
positions; against SQLite and PostgreSQL. Then the facilitator's pages through AppTest."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT, WORKED_EXAMPLE_FILE
from support.room import open_workshop
from support.stores import forget_process_store, open_the_apps_store_at
from valuechain import InputFile, validate
from valuechain.chain.analysis import analyse
from valuechain.errors import AnswerRefused, WorkshopError
from valuechain.media.mapview import overlapping_labels, readable_layout
from valuechain.reading.reader import read_files
from valuechain.store.db import Store
from valuechain.workbook.editing import add_row, apply_table_edits, editable_frame
from valuechain.workshop.answers import NAME_LIMIT, Answer, check_answer, clean_text, similar_names
from valuechain.workshop.journal import entry_text
from valuechain.workshop.proposals import PROPOSALS_PER_MINUTE
from valuechain.workshop.room import is_participant
from valuechain.workshop.workshops import Workshops

T0 = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.timezone.utc)


def _names(workshops: Workshops, workshop_id: int) -> set[str]:
    return {d["name"] for _, d in analyse(validate(workshops.workbook(workshop_id))).graph.nodes(data=True)}


MARIE = Answer(
    who="Marie",
    nature="benevolat",
    target="Atelier cuisine",
    who_category="benevoles",
    quantity=6,
    unit="h",
    back="reconnaissance",
)


def test_an_accepted_proposal_is_in_the_workbook_and_its_journal_and_undo_sends_it_back_to_the_queue(room):
    workshops, workshop = room
    proposal = workshops.propose(workshop.code, "phone-1", MARIE, now=T0)
    assert [p.answer.who for p in workshops.proposals(workshop.id)] == ["Marie"]
    workshops.accept(workshop.id, proposal, now=T0)
    assert "Marie" in _names(workshops, workshop.id)
    flows = workshops.workbook(workshop.id).tables["flows"].rows
    assert [(r.cells["source"], r.cells["target"], r.cells["nature"]) for r in flows[-2:]] == [
        ("Marie", "Atelier cuisine", "Bénévolat"),
        ("Atelier cuisine", "Marie", "Reconnaissance"),
    ]
    [entry] = workshops.journal(workshop.id)
    assert (entry.kind, entry.who, entry.state) == ("accept", "participant:1", "active")
    assert entry_text(entry, "fr") == (
        "Proposition acceptée : « Marie » → « Atelier cuisine », Temps bénévole. "
        "En retour : Reconnaissance, légitimité, confiance."
    )
    workshops.undo(workshop.id)
    assert "Marie" not in _names(workshops, workshop.id)
    assert [p.id for p in workshops.proposals(workshop.id)] == [proposal]  # back in the queue
    workshops.redo(workshop.id)
    assert "Marie" in _names(workshops, workshop.id)
    assert workshops.proposals(workshop.id) == []


def test_a_new_change_after_an_undo_drops_the_redo_but_keeps_it_in_the_journal(room):
    workshops, workshop = room
    raw = workshops.workbook(workshop.id)
    workshops.record_edit(workshop.id, raw, add_row(raw, "actors", {"name": "Épicerie", "category": "Associations"}))
    workshops.undo(workshop.id)
    raw = workshops.workbook(workshop.id)
    workshops.record_edit(workshop.id, raw, add_row(raw, "actors", {"name": "Boulangerie", "category": "Entreprises"}))
    assert [(e.seq, e.state) for e in workshops.journal(workshop.id)] == [(1, "dropped"), (2, "active")]
    assert workshops.redo(workshop.id) is None
    names = _names(workshops, workshop.id)
    assert "Boulangerie" in names and "Épicerie" not in names


def test_a_table_edit_and_a_deletion_are_journaled_and_undone(room):
    workshops, workshop = room
    raw = workshops.workbook(workshop.id)
    frame = editable_frame(raw, "actors", "fr")
    before = len(frame)
    workshops.record_edit(workshop.id, raw, apply_table_edits(raw, "actors", frame.iloc[1:], "fr"))
    [entry] = workshops.journal(workshop.id)
    assert entry.kind == "delete_rows" and entry.summary["rows"] == 1
    assert entry_text(entry, "en") == "Actors: 1 row deleted."
    assert len(workshops.workbook(workshop.id).tables["actors"].rows) == before - 1
    workshops.undo(workshop.id)
    assert len(workshops.workbook(workshop.id).tables["actors"].rows) == before


def test_a_table_edited_from_a_workbook_the_room_changed_meanwhile_is_refused_not_written_over(room):
    workshops, workshop = room
    seen = workshops.workbook(workshop.id)
    frame = editable_frame(seen, "flows", "fr")
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))  # the room adds flows
    with pytest.raises(WorkshopError) as refused:
        workshops.record_edit(workshop.id, seen, apply_table_edits(seen, "flows", frame.iloc[1:], "fr"))
    assert refused.value.code == "changed_meanwhile"
    assert "Marie" in _names(workshops, workshop.id)
    # A row added from that older workbook still goes in, after the room's rows.
    workshops.record_edit(workshop.id, seen, add_row(seen, "actors", {"name": "Épicerie", "category": "Associations"}))
    rows = workshops.workbook(workshop.id).tables["actors"].rows
    assert len({r.row for r in rows}) == len(rows)


def test_merging_takes_the_actor_on_the_map_and_similar_names_are_offered(room):
    workshops, workshop = room
    assert similar_names("mairie de la ville", ["Mairie de la Ville", "CAF"]) == ["Mairie de la Ville"]
    assert similar_names("Caisse d'allocations familiales", ["CAF", "Mairie"]) == []
    proposal = workshops.propose(
        workshop.code,
        "phone-2",
        Answer(who="la mairie", nature="monetaire", target="Atelier cuisine", quantity=500, unit="€"),
    )
    actors_before = len(workshops.workbook(workshop.id).tables["actors"].rows)
    workshops.accept(workshop.id, proposal, merge_with="Mairie")
    raw = workshops.workbook(workshop.id)
    assert len(raw.tables["actors"].rows) == actors_before  # no new actor
    assert raw.tables["flows"].rows[-1].cells["source"] == "Mairie"
    assert raw.tables["flows"].rows[-1].cells["value"] == 500
    [entry] = workshops.journal(workshop.id)
    assert entry.kind == "merge" and entry.summary["proposed"] == "la mairie"


def test_a_proposal_is_taken_once_even_from_two_laptops(room):
    workshops, workshop = room
    proposal = workshops.propose(workshop.code, "phone-1", MARIE)
    workshops.accept(workshop.id, proposal)
    with pytest.raises(WorkshopError) as twice:
        Workshops(workshops.store).accept(workshop.id, proposal)
    assert twice.value.code == "already_decided"
    other = workshops.propose(workshop.code, "phone-1", MARIE)
    workshops.reject(workshop.id, other)
    assert workshops.proposals(workshop.id) == []
    assert [entry.kind for entry in workshops.journal(workshop.id)] == ["accept", "reject"]


def test_hostile_answers_get_a_reason_per_field_and_markup_stays_text(room):
    workshops, workshop = room
    with pytest.raises(AnswerRefused) as refused:
        workshops.propose(workshop.code, "phone-1", Answer(who="   ", nature="", target="x" * 10_000, quantity=-1))
    assert {(r.field, r.code) for r in refused.value.refusals} == {
        ("who", "required"),
        ("nature", "required"),
        ("target", "too_long"),
        ("quantity", "quantity_range"),
    }
    kept, problems = check_answer(
        Answer(
            who="<img src=x onerror=alert(1)>\u0000 😀",
            nature="information",
            target='=HYPERLINK("http://x")',
            comment="a\nb",
        )
    )
    assert problems == [] and kept.who == "<img src=x onerror=alert(1)> 😀" and kept.comment == "a b"
    assert workshops.status(workshop.id).proposals == 0


def test_a_flood_from_one_phone_is_stopped_with_a_message_and_others_still_propose(room):
    workshops, workshop = room
    for second in range(PROPOSALS_PER_MINUTE):
        workshops.propose(workshop.code, "phone-1", MARIE, now=T0 + dt.timedelta(seconds=second))
    with pytest.raises(WorkshopError) as flood:
        workshops.propose(workshop.code, "phone-1", MARIE, now=T0 + dt.timedelta(seconds=30))
    assert flood.value.code == "too_fast"
    workshops.propose(workshop.code, "phone-2", MARIE, now=T0 + dt.timedelta(seconds=30))
    workshops.propose(workshop.code, "phone-1", MARIE, now=T0 + dt.timedelta(seconds=75))  # a minute later
    status = workshops.status(workshop.id)
    assert (status.proposals, status.participants) == (PROPOSALS_PER_MINUTE + 2, 2)


def test_participants_are_numbered_never_named_and_keep_their_number(room):
    workshops, workshop = room
    assert workshops.join(workshop.code, "phone-a")[1] == 1
    assert workshops.join(workshop.code.lower(), "phone-b")[1] == 2
    assert workshops.join(f" {workshop.code} ", "phone-a")[1] == 1  # a refresh: the same number
    with pytest.raises(WorkshopError) as unknown:
        workshops.join("NOPE00", "phone-a")
    assert unknown.value.code == "unknown_code"


def test_closing_saves_a_new_version_with_every_change_and_the_code_stops_working(room):
    workshops, workshop = room
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))
    pending = workshops.propose(workshop.code, "phone-2", MARIE)
    version = workshops.close(workshop.id, now=T0)
    assert workshops.close(workshop.id) == version  # twice: the same version
    opened = workshops.store.open(version.id)
    assert "Marie" in set(opened.actors["name"])
    assert version.file_name == f"Centre social des Tilleuls - atelier 2026-12-01 ({workshop.code}).xlsx"
    for attempt in (
        lambda: workshops.join(workshop.code, "phone-3"),
        lambda: workshops.propose(workshop.code, "phone-1", MARIE),
        lambda: workshops.accept(workshop.id, pending),
        lambda: workshops.undo(workshop.id),
    ):
        with pytest.raises(WorkshopError) as closed:
            attempt()
        assert closed.value.code in ("workshop_closed", "already_decided")
    assert workshops.open_ones() == []


def _interrupted(workshops: Workshops, workshop, at: dt.datetime, data: bytes | None = None) -> None:
    """What a kill -9 (or a database restart) in the middle of a close leaves: "closing", with
    the digest of the file it was importing (``data``)."""
    import hashlib

    from valuechain.store.schema import WORKSHOPS

    digest = hashlib.sha256(data).hexdigest() if data is not None else None
    with workshops.engine.begin() as connection:
        connection.execute(
            WORKSHOPS.update()
            .where(WORKSHOPS.c.id == workshop.id)
            .values(status="closing", closed_at=at, closing_sha256=digest)
        )


def test_an_interrupted_close_is_undone_and_closing_again_makes_one_version(room):
    """Issue 25.6: an interrupted close left the workshop "closing" for ever, with no version."""
    workshops, workshop = room
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE, now=T0), now=T0)
    _interrupted(workshops, workshop, T0)
    with pytest.raises(WorkshopError) as busy:  # just now: another close may be under way
        workshops.close(workshop.id, now=T0 + dt.timedelta(seconds=30))
    assert busy.value.code == "closing"
    later = T0 + dt.timedelta(minutes=5)
    version = workshops.close(workshop.id, now=later)
    assert workshops.get(workshop.id).status == "closed" and workshops.get(workshop.id).version_id == version.id
    assert "Marie" in set(workshops.store.open(version.id).actors["name"])
    assert len(workshops.store.versions(centre="Centre social des Tilleuls")) == 1


def test_a_close_interrupted_after_its_import_takes_that_version_rather_than_a_second(room):
    """Issue 33.5: a version is taken by its close only when it holds the very file the close
    made from the journal; one that merely bears the workshop's code in its name is not."""
    from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

    workshops, workshop = room
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE, now=T0), now=T0)
    raw = workshops.workbook(workshop.id)
    data = workbook_bytes(write_raw_workbook(raw, "fr", raw.problems, write_only=True))
    name = f"Centre social des Tilleuls - atelier 2026-12-01 ({workshop.code}).xlsx"
    done = workshops.store.import_files([InputFile(name, data)], now=T0)
    _interrupted(workshops, workshop, T0, data)
    assert workshops.open_ones() == []  # finished with the version it made, at once
    assert workshops.close(workshop.id, now=T0 + dt.timedelta(minutes=5)).id == done.id
    assert len(workshops.store.versions(centre="Centre social des Tilleuls")) == 1


def test_phones_flooding_a_workshop_stop_at_its_limits_and_can_all_be_rejected(room, monkeypatch):
    """Issue 25.6: new ?p= keys filled the queue to 2 000 and the participants without limit."""
    import valuechain.workshop.room as module

    workshops, workshop = room
    monkeypatch.setattr(module, "PARTICIPANTS_PER_ADDRESS", 3)
    monkeypatch.setattr(module, "PARTICIPANTS_LIMIT", 5)
    for number in range(3):
        workshops.join(workshop.code, f"key-{number}", address="10.0.0.9")
    workshops.join(workshop.code, "key-0", address="10.0.0.9")  # a refresh: the same phone
    with pytest.raises(WorkshopError) as full:
        workshops.join(workshop.code, "key-3", address="10.0.0.9")
    assert full.value.code == "address_full"  # one address's share, not the room's limit
    workshops.join(workshop.code, "key-4", address="10.0.0.10")
    workshops.join(workshop.code, "key-5", address="10.0.0.11")
    with pytest.raises(WorkshopError) as full:
        workshops.join(workshop.code, "key-6", address="10.0.0.12")
    assert full.value.code == "room_full" and full.value.params == {"limit": 5}
    for number in (0, 1, 2):
        workshops.propose(workshop.code, f"key-{number}", MARIE)
    assert workshops.reject_all(workshop.id) == 3 and workshops.proposals(workshop.id) == []


def test_a_rejection_is_a_journal_entry_undone_and_redone_like_an_accept(room):
    """Issue 34.4: a rejection could not be undone and was not in the journal."""
    workshops, workshop = room
    refused = workshops.propose(workshop.code, "phone-1", MARIE)
    workshops.reject(workshop.id, refused)
    [entry] = workshops.journal(workshop.id)
    assert (entry.kind, entry.who, entry.proposal_id, entry.state) == ("reject", "participant:1", refused, "active")
    assert entry_text(entry, "fr") == "Proposition refusée : « Marie » → « Atelier cuisine », Temps bénévole."
    assert entry_text(entry, "en").startswith("Proposal rejected: “Marie” → “Atelier cuisine”")
    assert workshops.undo(workshop.id).state == "undone"
    assert [p.id for p in workshops.proposals(workshop.id)] == [refused]
    assert workshops.redo(workshop.id).state == "active"
    assert workshops.proposals(workshop.id) == [] and workshops.proposal(workshop.id, refused).status == "rejected"
    # A refusal changes nothing of the workbook: no step of the replay, no version at closing.
    assert workshops.steps(workshop.id) == 0
    assert workshops.close(workshop.id) is None


def test_reject_all_is_one_journal_entry_undone_at_once_and_refuses_only_what_was_asked_about(room):
    workshops, workshop = room
    asked = [workshops.propose(workshop.code, f"phone-{n}", MARIE) for n in range(3)]
    meanwhile = workshops.propose(workshop.code, "phone-9", MARIE)  # sent while the facilitator confirmed
    assert workshops.reject_all(workshop.id, up_to=asked[-1]) == 3
    assert [p.id for p in workshops.proposals(workshop.id)] == [meanwhile]
    [entry] = workshops.journal(workshop.id)
    assert (entry.kind, entry.who, entry.summary["count"]) == ("reject_all", "facilitator", 3)
    assert entry_text(entry, "fr") == "Tout refusé : 3 propositions en attente."
    assert entry_text(entry, "en") == "All rejected: 3 waiting proposals."
    workshops.undo(workshop.id)
    assert [p.id for p in workshops.proposals(workshop.id)] == [*asked, meanwhile]
    workshops.redo(workshop.id)
    assert [p.id for p in workshops.proposals(workshop.id)] == [meanwhile]
    # An accept after it, undone, leaves the refusal standing; undone twice, all come back.
    workshops.accept(workshop.id, meanwhile)
    workshops.undo(workshop.id)
    workshops.undo(workshop.id)
    assert [p.id for p in workshops.proposals(workshop.id)] == [*asked, meanwhile]
    assert workshops.reject_all(workshop.id) == 4 and workshops.reject_all(workshop.id) == 0


def test_wrong_codes_are_logged_and_an_address_that_guesses_is_told_to_wait(room, caplog):
    """Issue 25.6: codes could be guessed at 112 a second, with no limit and no log."""
    from valuechain.workshop.room import FAILED_JOINS_PER_MINUTE

    workshops, workshop = room
    for attempt in range(FAILED_JOINS_PER_MINUTE):
        with pytest.raises(WorkshopError):
            workshops.join(f"ZZZZ{attempt:02d}", "guesser", address="10.0.0.66", now=T0)
    assert sum("unknown code" in r.getMessage() and "10.0.0.66" in r.getMessage() for r in caplog.records) == 10
    with pytest.raises(WorkshopError) as wait:  # even the right code, until the minute is over
        workshops.join(workshop.code, "guesser", address="10.0.0.66", now=T0 + dt.timedelta(seconds=30))
    assert wait.value.code == "too_many_tries"
    workshops.join(workshop.code, "someone", address="10.0.0.67", now=T0)  # others are not held up
    workshops.join(workshop.code, "guesser", address="10.0.0.66", now=T0 + dt.timedelta(minutes=2))


def test_a_second_process_sees_the_same_workshop(room):
    """What two app processes on one database do: nothing is kept only in one of them."""
    workshops, workshop = room
    other = Workshops(Store(workshops.store.url))
    other.accept(workshop.id, other.propose(workshop.code, "phone-1", MARIE))
    assert "Marie" in _names(workshops, workshop.id)  # the first process's cache follows the store
    workshops.undo(workshop.id)
    assert "Marie" not in _names(other, workshop.id)
    other.store.dispose()


def test_the_wall_keeps_every_placed_node_where_it_was(room):
    workshops, workshop = room
    graph = analyse(validate(workshops.workbook(workshop.id))).graph
    before = readable_layout(graph, presentation=True)
    workshops.save_layout(workshop.id, "wall", before)
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))
    grown = analyse(validate(workshops.workbook(workshop.id))).graph
    after = readable_layout(grown, workshops.layout(workshop.id, "wall"), presentation=True, keep_placed=True)
    assert {n: after[n] for n in before} == before
    assert set(after) - set(before) == {"Marie"}
    assert overlapping_labels(grown, after, presentation=True) == []


def test_in_a_room_only_the_holder_of_the_facilitator_key_is_not_a_participant(monkeypatch):
    """Issue 25.3: the room trusted the peer address, so behind a reverse proxy every phone was
    the facilitator. The facilitator is now whoever holds the key make workshop prints."""
    from valuechain.workshop.room import FACILITATOR_KEY_VARIABLE, holds_facilitator_key

    monkeypatch.setenv(FACILITATOR_KEY_VARIABLE, "the-key-of-the-room")
    assert holds_facilitator_key("the-key-of-the-room")
    assert not any(holds_facilitator_key(given) for given in (None, "", "the-key", "the-key-of-the-room2"))
    assert is_participant(room=True, holds_key=False) and not is_participant(room=True, holds_key=True)
    assert not is_participant(room=False, holds_key=False)  # no room: the one local user
    monkeypatch.delenv(FACILITATOR_KEY_VARIABLE)
    assert not holds_facilitator_key("")  # no key set: nobody holds it


def test_in_a_room_the_key_in_the_address_opens_the_facilitator_s_pages_and_nothing_else_does(app_store, monkeypatch):
    from valuechain.workshop.room import FACILITATOR_KEY_VARIABLE

    monkeypatch.setenv("VALUECHAIN_ROOM", "1")
    monkeypatch.setenv(FACILITATOR_KEY_VARIABLE, "the-key-of-the-room")
    for query in ({}, {"animateur": "wrong"}):
        visitor = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for name, value in query.items():
            visitor.query_params[name] = value
        visitor.run()
        assert not visitor.exception
        assert [t.value for t in visitor.title] == ["Rejoindre l'atelier"] and not visitor.get("data_editor")
    facilitator = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    facilitator.query_params["animateur"] = "the-key-of-the-room"
    facilitator.run()
    facilitator.switch_page("pages/atelier.py")
    facilitator.run()
    assert not facilitator.exception and facilitator.title[0].value == "Atelier"
    assert any(b.label.startswith("Ouvrir un atelier") for b in facilitator.button)


# The facilitator's pages ------------------------------------------------------------------------


@pytest.fixture
def app_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    open_the_apps_store_at(url, monkeypatch)
    yield
    forget_process_store(url)


def _app(lang: str = "fr", page: str = "atelier", **state) -> AppTest:
    """The app in ``lang`` on ``page``, its session holding ``state`` (a workshop's code…)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state["lang"] = lang
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _click(app: AppTest, label: str) -> AppTest:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_the_facilitator_opens_a_workshop_takes_the_queue_undoes_redoes_and_closes_into_a_version(app_store):
    from dashboard.room import workshops
    from dashboard.visitor import store

    app = _app("fr", sample=WORKED_EXAMPLE_FILE.name)
    _click(app, "Ouvrir un atelier sur « Centre social des Tilleuls »")
    code = app.session_state["workshop"]
    workshop = workshops().by_code(code)
    assert any(code in s.value for s in app.subheader)
    workshops().propose(code, "phone-1", MARIE)
    workshops().propose(code, "phone-2", Answer(who="mairie", nature="lieu", target="Atelier cuisine"))
    app.run()
    assert [m.value for m in app.markdown if m.value.startswith("**Participant")] == [
        "**Participant n° 1** : « Marie » → « Atelier cuisine » — Temps bénévole",
        "**Participant n° 2** : « mairie » → « Atelier cuisine » — Locaux, matériel mis à disposition",
    ]
    _click(app, "Accepter")
    # The look-alike is offered first, not chosen: "Fusionner" waits for the facilitator's choice.
    [merge] = [s for s in app.selectbox if s.label == "Fusionner avec"]
    assert merge.value is None and merge.options[0] == "Mairie"
    merge.set_value("Mairie").run()
    next(b for b in app.button if b.label == "Fusionner").click().run()
    assert workshops().proposals(workshop.id) == []
    journal = app.dataframe[0].value
    assert list(journal["Proposé par"]) == ["Participant n° 2", "Participant n° 1"]
    assert journal["Quoi"].iloc[0].startswith("Proposition fusionnée : « mairie » pris comme")
    _click(app, "↶ Annuler")
    assert list(app.dataframe[0].value["État"]) == ["annulé", "fait"]
    assert len(workshops().proposals(workshop.id)) == 1
    _click(app, "↷ Rétablir")
    assert list(app.dataframe[0].value["État"]) == ["fait", "fait"]
    # Every page shows the workshop's centre, Marie included.
    app.switch_page("pages/contributions.py")
    app.run()
    assert not app.exception
    app.switch_page("pages/atelier.py")
    app.run()
    next(c for c in app.checkbox if c.label == "Oui, l'atelier est fini").check().run()
    _click(app, "Clore l'atelier")
    version = store().versions()[-1]
    assert any(f"version n° {version.number}" in s.value for s in app.success)
    assert "Marie" in set(store().open(version.id).actors["name"])
    assert len(app.get("download_button")) == 3  # the PDF, the results workbook, the Kumu workbook
    assert workshops().by_code(code).status == "closed"


def test_a_new_session_resumes_an_open_workshop_and_quick_adds_go_to_its_journal(app_store):
    from dashboard.room import workshops

    first = _app("en", sample=WORKED_EXAMPLE_FILE.name)
    _click(first, "Open a workshop on “Centre social des Tilleuls”")
    code = first.session_state["workshop"]
    # A refresh, or a second laptop: a new session, nothing kept in it.
    second = _app("en")
    assert any(f"code {code}" in m.value for m in second.markdown)
    _click(second, "Resume")
    assert second.session_state["workshop"] == code
    second.switch_page("pages/saisie.py")
    second.run()
    form = second
    form.text_input[0].input("Épicerie solidaire")
    next(b for b in form.button if b.label == "Add").click().run()
    assert not form.exception, [e.message for e in form.exception]
    [entry] = workshops().journal(workshops().by_code(code).id)
    assert entry.kind == "add_row" and entry.summary["label"] == "Épicerie solidaire"
    assert "Épicerie solidaire" in _names(workshops(), workshops().by_code(code).id)


@pytest.mark.parametrize("presentation", [False, True])
def test_thirty_names_added_to_a_crowded_wall_each_find_a_free_spot(presentation):
    from helpers import SAMPLE_FILES

    raw = read_files([InputFile.from_path(SAMPLE_FILES[0])])
    graph = analyse(validate(raw)).graph
    before = readable_layout(graph, presentation=presentation)
    centre = graph.nodes[graph.graph["centre"]]["name"]
    for number in range(30):  # everyone brings time to the centre: all of them land in the middle
        raw = add_row(raw, "actors", {"name": f"Habitante du quartier {number}", "category": "Habitants"})
        raw = add_row(
            raw, "flows", {"source": f"Habitante du quartier {number}", "target": centre, "nature": "Bénévolat"}
        )
    grown = analyse(validate(raw)).graph
    after = readable_layout(grown, before, presentation=presentation, keep_placed=True)
    assert {n: after[n] for n in before} == before
    assert overlapping_labels(grown, after, presentation=presentation) == []


def _phone(code: str, lang: str = "fr") -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state["lang"] = lang
    app.query_params["code"] = code
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_a_phone_sends_a_proposal_with_a_new_name_and_sees_only_the_form(app_store):
    workshops, workshop = open_workshop()
    phone = _phone(workshop.code)
    assert phone.title[0].value == "Qui apporte quoi, à qui ?"
    assert not phone.get("data_editor") and not phone.get("dataframe")
    assert phone.query_params["p"]  # the phone's key, kept in its address bar
    next(t for t in phone.text_input if t.label == "… ou écrire un nouveau nom").input("Amina <b>Diallo</b>")
    next(r for r in phone.radio if r.label == "Apporte quoi ?").set_value("competences")
    to_whom = next(s for s in phone.selectbox if " ".join(s.label.split()) == "À quelle activité, ou à qui ?")
    to_whom.set_value("Centre social des Tilleuls")  # chosen: nothing is, at first
    next(b for b in phone.button if b.label == "Envoyer").click().run()
    assert not phone.exception
    assert phone.success[0].value.startswith("Merci !")
    [proposal] = workshops.proposals(workshop.id)
    assert (proposal.participant, proposal.answer.who, proposal.answer.target) == (
        1,
        "Amina <b>Diallo</b>",
        "Centre social des Tilleuls",
    )


def test_a_phone_is_told_what_is_missing_and_that_a_closed_workshop_takes_nothing(app_store):
    workshops, workshop = open_workshop()
    phone = _phone(workshop.code, "en")
    assert phone.title[0].value == "Who brings what, to whom?"
    next(b for b in phone.button if b.label == "Send").click().run()
    assert [e.value for e in phone.error] == [
        "Who: required.",
        "To whom: choose one in the list (or type a name).",
        "Brings what: required.",
    ]
    assert workshops.proposals(workshop.id) == []
    workshops.close(workshop.id)
    closed = _phone(workshop.code)
    assert closed.error[0].value.startswith("Cet atelier est clos")
    unknown = _phone("ZZZZZZ")
    assert unknown.error[0].value.startswith("Ce code ne correspond à aucun atelier")


@pytest.fixture
def room_server():
    """The app as make workshop serves it: listening on the room's network."""
    from streamlit import config

    kept = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", kept)


def test_under_make_run_the_join_panel_says_phones_cannot_join_and_how_to_start_a_room(app_store):
    """Issue 26.3: make run listens on 127.0.0.1, yet the wall showed a LAN address and its QR code."""
    workshops, workshop = open_workshop()
    wall = _app("fr", page="mur", workshop=workshop.code)
    assert any("make workshop" in w.value for w in wall.warning) and not wall.get("image")
    facilitator = _app("fr", page="atelier", workshop=workshop.code)
    assert any("make workshop" in w.value for w in facilitator.warning)
    # Issue 34.12: the join tab still showed a QR code that no phone could use.
    assert not facilitator.get("image")
    [said] = [w.value for w in facilitator.warning]
    assert "aucun QR code n'est montré ici" in said and "docs/atelier.md" in said and workshop.code in said
    assert not any(c.value.startswith("http") for c in facilitator.code)


def test_under_make_workshop_the_join_panel_shows_the_qr_code(app_store, room_server):
    workshops, workshop = open_workshop()
    facilitator = _app("en", page="atelier", workshop=workshop.code)
    assert facilitator.get("image") and not any("make workshop" in w.value for w in facilitator.warning)
    assert any(c.value.endswith(f"/participer?code={workshop.code}") for c in facilitator.code)


def test_reject_all_asks_once_then_is_a_journal_entry_undone_at_once(app_store):
    """Issue 34.4: "Tout refuser" acted at once, and no refusal could be undone."""
    workshops, workshop = open_workshop()
    for number in range(2):
        workshops.propose(workshop.code, f"phone-{number}", MARIE)
    app = _app("fr", page="atelier", workshop=workshop.code)
    _click(app, "Tout refuser (2)")
    assert len(workshops.proposals(workshop.id)) == 2  # asked, nothing done
    assert any(w.value.startswith("Refuser les 2 propositions en attente ?") for w in app.warning)
    _click(app, "Non, garder la file")
    assert len(workshops.proposals(workshop.id)) == 2
    assert not any(w.value.startswith("Refuser les") for w in app.warning)
    _click(app, "Tout refuser (2)")
    _click(app, "Oui, refuser les 2 propositions")
    assert workshops.proposals(workshop.id) == []
    journal = app.dataframe[0].value
    assert list(journal["Quoi"]) == ["Tout refusé : 2 propositions en attente."]
    assert list(journal["Proposé par"]) == ["Animation"]
    _click(app, "↶ Annuler")
    assert len(workshops.proposals(workshop.id)) == 2
    assert list(app.dataframe[0].value["État"]) == ["annulé"]
    _click(app, "Refuser")
    assert list(app.dataframe[0].value["Quoi"])[0].startswith("Proposition refusée : « Marie »")


def test_the_facilitator_frees_the_places_of_a_flood_in_one_confirmed_click(app_store, room_server):
    """Issue 33.7: phones invented by the hundred, each proposing once, kept their places."""
    workshops, workshop = open_workshop()
    workshops.accept(workshop.id, workshops.propose(workshop.code, "real-phone", MARIE))
    for number in range(5):
        workshops.propose(workshop.code, f"invented-{number}", MARIE)
    workshops.reject_all(workshop.id)
    app = _app("fr", page="atelier", workshop=workshop.code)
    _click(app, "Libérer les places des téléphones sans proposition acceptée")
    assert any(w.value.startswith("5 téléphones n'ont aucune proposition acceptée") for w in app.warning)
    assert workshops.unaccepted(workshop.id) == (5, 0)  # asked, nothing done
    _click(app, "Oui, libérer 5 places")
    assert [s.value for s in app.success] == ["5 places libérées."]
    assert workshops.unaccepted(workshop.id) == (0, 0)
    assert workshops.join(workshop.code, "real-phone")[1] == 1


def test_the_wall_counts_proposals_and_participants_and_shows_the_accepted_names(app_store, room_server):
    workshops, workshop = open_workshop()
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))
    workshops.propose(workshop.code, "phone-2", MARIE)
    wall = _app("fr", page="mur", workshop=workshop.code)
    counts = {m.label: m.value for m in wall.metric}
    assert (counts["Propositions"], counts["Participants"]) == ("2", "2")
    assert any(f"Rejoindre : **{workshop.code}**" in m.value for m in wall.markdown)
    assert "Marie" in wall.get("iframe")[0].proto.srcdoc


def _public_wall(code: str) -> AppTest:
    """The wall as a phone or any visitor opens it: ``/mur?code=…``, nothing in the session."""
    app = _phone(code)
    app.switch_page("pages/mur.py")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_a_closed_workshop_s_public_wall_shows_nothing_of_it(app_store):
    """Issue 25.1: after closing (or an erasure), whoever kept the wall's address saw the whole
    map of the centre. A closed workshop's code now shows a sentence, no map, no code."""
    workshops, workshop = open_workshop()
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))
    assert "Marie" in _public_wall(workshop.code).get("iframe")[0].proto.srcdoc
    workshops.close(workshop.id)
    wall = _public_wall(workshop.code)
    assert not wall.get("iframe") and not wall.get("image") and not wall.metric
    assert [i.value for i in wall.info] == [
        "Cet atelier est terminé : merci pour votre participation. Sa carte n'est plus affichée ici."
    ]


def test_stores_opened_by_many_threads_at_once_all_open(url):  # noqa: F811
    """Phones of one process each open the store: Alembic's context is one per process."""
    import threading

    failures: list[BaseException] = []

    def open_one() -> None:
        try:
            Store(url).dispose()
        except BaseException as error:  # the assertion shows them
            failures.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    store = Store(url)
    assert store.revision() == Store.head()
    store.dispose()


def test_app_processes_started_at_once_on_a_new_store_all_open_it(url):  # noqa: F811
    """Two app processes (or four) started together on an empty database: one migrates it, the
    others wait for it and find it migrated."""
    import subprocess
    import sys

    code = "import sys; from valuechain.store.db import Store; Store(sys.argv[1]).dispose()"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, url], cwd=ROOT, stderr=subprocess.PIPE) for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], errors


def test_the_wall_replays_the_workshop_in_the_order_the_chain_was_built(app_store):
    workshops, workshop = open_workshop()
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))
    workshops.accept(
        workshop.id,
        workshops.propose(
            workshop.code,
            "phone-2",
            Answer(who="Jardin partagé", nature="nature", target="Atelier cuisine", who_category="associations"),
        ),
    )
    wall = _app("en", page="mur", workshop=workshop.code)
    next(t for t in wall.toggle if t.label == "Replay the workshop").set_value(True).run()
    replay = next(s for s in wall.slider if s.label == "Changes shown")
    assert (replay.min, replay.max, replay.value) == (0, 2, 2)
    shown = lambda: wall.get("iframe")[0].proto.srcdoc  # noqa: E731
    assert "Marie" in shown() and "Jardin partag" in shown()
    replay.set_value(1).run()
    assert "Marie" in shown() and "Jardin partag" not in shown()
    next(s for s in wall.slider if s.label == "Changes shown").set_value(0).run()
    assert "Marie" not in shown()
    assert not wall.exception


def test_a_workshop_on_a_workbook_with_errors_keeps_its_rows_in_error_to_the_version(app_store):
    from dashboard.room import workshops
    from helpers import minimal_sheets, xlsx_bytes

    sheets = minimal_sheets(
        flows=[["Mairie", "Jardin", "monetaire", 100, "€", None], ["Mairie", "Jardin", None, 50, "€", None]]
    )  # no nature: an error
    raw = read_files([InputFile("avec-erreur.xlsx", xlsx_bytes(sheets))])
    assert len(validate(raw).errors) == 1
    workshop = workshops().open(raw, "Centre Test", "avec-erreur.xlsx")
    workshops().accept(
        workshop.id,
        workshops().propose(
            workshop.code, "phone-1", Answer(who="Voisins", nature="benevolat", target="Jardin", quantity=3, unit="h")
        ),
    )
    version = workshops().close(workshop.id)
    kept = workshops().store.open(version.id)
    assert version.errors == 1  # the row in error came along, to be fixed, never dropped
    assert [p.row for p in kept.errors] == [3]
    assert len(kept.flows) == 2  # the valid flow and the room's


def test_a_name_typed_as_an_icon_shortcode_is_shown_as_typed(app_store):
    """Issue 25.8: ":material/home:" typed by a participant became an icon in the queue."""
    workshops, workshop = open_workshop()
    workshops.propose(
        workshop.code,
        "phone-1",
        Answer(who=":material/home: :smile:", nature="benevolat", target="Atelier cuisine", who_category="habitants"),
    )
    app = _app("fr", workshop=workshop.code)
    [line] = [m.value for m in app.markdown if m.value.startswith("**Participant")]
    assert ":material/home:" not in line and ":smile:" not in line
    assert line.replace("\u200b", "").replace("\\", "").count(":material/home: :smile:") == 1


def test_a_proposal_merged_into_a_flow_from_the_centre_to_itself_is_refused_with_the_reason(room):
    """Issue 26.5: a look-alike of the centre merged with the centre became centre → centre, an
    error seen only after closing. The proposal is read as its rows would be, and refused."""
    workshops, workshop = room
    proposal = workshops.propose(
        workshop.code,
        "phone-1",
        Answer(
            who="Centre social Tilleuls",
            nature="benevolat",
            target="Centre social des Tilleuls",
            who_category="habitants",
        ),
    )
    before = workshops.workbook(workshop.id).to_dict()
    with pytest.raises(WorkshopError) as refused:
        workshops.accept(workshop.id, proposal, merge_with="Centre social des Tilleuls")
    assert refused.value.code == "row_refused" and refused.value.problem.code == "self_flow"
    assert workshops.workbook(workshop.id).to_dict() == before and workshops.journal(workshop.id) == []
    assert [p.id for p in workshops.proposals(workshop.id)] == [proposal]  # still there, to edit or reject
    workshops.accept(workshop.id, proposal, merge_with="Mairie")  # merged with someone else: taken


def test_closing_a_workshop_in_which_nothing_changed_saves_no_version(room):
    """Issue 26.10: closing with no change saved a version identical to the one before."""
    workshops, workshop = room
    workshops.propose(workshop.code, "phone-1", MARIE)  # proposed, never accepted: no change
    assert workshops.close(workshop.id, now=T0) is None
    assert workshops.get(workshop.id).status == "closed" and workshops.store.versions() == []
    with pytest.raises(WorkshopError):
        workshops.join(workshop.code, "phone-2")


def test_a_look_alike_is_offered_first_never_chosen_for_the_facilitator(app_store):
    """Issue: "Boulangerie du Port" came with "Jardinerie du Port" chosen next to "Fusionner":
    one hasty click merged a bakery into a garden centre."""
    workshops, workshop = open_workshop()
    garden = Answer(who="Jardinerie du Port", nature="nature", target="Atelier cuisine", who_category="entreprises")
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", garden))
    workshops.propose(workshop.code, "phone-2", Answer(who="Boulangerie du Port", nature="nature", target="CAF"))
    app = _app("fr", page="atelier", workshop=workshop.code)
    assert any("Ressemble à : Jardinerie du Port" in " ".join(c.value.split()) for c in app.caption)
    [merge] = [s for s in app.selectbox if s.label == "Fusionner avec"]
    assert merge.value is None and merge.options[0] == "Jardinerie du Port"
    assert next(b for b in app.button if b.label == "Fusionner").disabled
    merge.set_value("Jardinerie du Port").run()
    assert not next(b for b in app.button if b.label == "Fusionner").disabled


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_closing_says_how_many_proposals_still_wait_and_asks_to_close_without_them(app_store, lang):
    workshops, workshop = open_workshop()
    for number in range(2):
        workshops.propose(workshop.code, f"phone-{number}", MARIE)
    app = _app(lang, page="atelier", workshop=workshop.code)
    said = [" ".join(w.value.split()) for w in app.warning]
    assert {
        "fr": "2 propositions attendent encore dans la file : elles ne seront pas dans la version. "
        "Acceptez-les ou refusez-les d'abord, ou closez sans elles.",
        "en": "2 proposals are still waiting in the queue: they will not be in the version. "
        "Accept or reject them first, or close without them.",
    }[lang] in said
    sure, close = {
        "fr": ("Oui, l'atelier est fini : clore sans les 2 propositions en attente", "Clore l'atelier"),
        "en": ("Yes, the workshop is over: close without the 2 waiting proposals", "Close the workshop"),
    }[lang]
    assert [" ".join(c.label.split()) for c in app.checkbox] == [sure]
    assert next(b for b in app.button if b.label == close).disabled  # until the box says so
    workshops.reject_all(workshop.id)
    app.run()
    assert not any("attend" in w.value or "waiting" in w.value for w in app.warning)


def test_a_name_cut_at_its_limit_keeps_no_trailing_space_and_to_whom_is_chosen():
    assert clean_text("a" * 119 + " bcd", NAME_LIMIT) == "a" * 119
    _kept, refusals = check_answer(Answer(who="Marie", nature="benevolat", target=""))
    assert [(r.field, r.code) for r in refusals] == [("target", "to_choose")]


def test_too_many_phones_from_one_address_is_said_as_such_not_as_the_room_s_limit(room, monkeypatch):
    """The room's limit (300) was said when one address's share (100) was taken."""
    import valuechain.workshop.room as module
    from valuechain.words.messages import say as said

    workshops, workshop = room
    monkeypatch.setattr(module, "PARTICIPANTS_PER_ADDRESS", 1)
    workshops.join(workshop.code, "key-0", address="10.0.0.9")
    with pytest.raises(WorkshopError) as full:
        workshops.join(workshop.code, "key-1", address="10.0.0.9")
    assert (full.value.code, full.value.params) == ("address_full", {"limit": 1})
    assert "même adresse réseau" in said("workshop_error", "address_full", "fr", limit=1)
    assert "same network address" in said("workshop_error", "address_full", "en", limit=1)
    workshops.join(workshop.code, "key-2", address="10.0.0.10")  # another address still joins


def test_a_phone_given_the_wall_s_own_address_sees_the_same_wall(app_store, monkeypatch):
    """The tester's finding: the facilitator's wall is at ``/mur?atelier=CODE``; a phone given
    that address was told the code matched no workshop, though it is the code the wall shows."""
    monkeypatch.setenv("VALUECHAIN_ROOM", "1")  # a room: every visitor without the key is a phone
    workshops, workshop = open_workshop()
    workshops.accept(workshop.id, workshops.propose(workshop.code, "phone-1", MARIE))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state["lang"] = "fr"
    app.query_params["atelier"] = workshop.code
    app.switch_page("pages/mur.py")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert "Marie" in app.get("iframe")[0].proto.srcdoc

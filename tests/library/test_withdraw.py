"""A participant's own proposals (sent, accepted, merged, refused, withdrawn) and withdrawing one
not yet handled: the facilitator's queue and the journal stay right; against SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from valuechain.errors import WorkshopError
from valuechain.workshop.answers import Answer

T0 = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.timezone.utc)


def _answer(who: str) -> Answer:
    return Answer(who=who, nature="benevolat", target="Atelier cuisine", who_category="benevoles")


def test_a_phone_sees_its_own_proposals_with_what_became_of_each(room):
    workshops, workshop = room
    code = workshop.code
    sent, accepted, merged, refused = (
        workshops.propose(code, "phone-1", _answer(who), now=T0) for who in ("Marie", "Paul", "Mairie de Crest", "Zoé")
    )
    other = workshops.propose(code, "phone-2", _answer("Léa"), now=T0)
    workshops.accept(workshop.id, accepted, now=T0)
    workshops.accept(workshop.id, merged, merge_with="Mairie", now=T0)
    workshops.reject(workshop.id, refused, now=T0)

    own = workshops.own_proposals(code, "phone-1")
    assert [(p.id, p.answer.who, p.state) for p in own] == [
        (sent, "Marie", "sent"),
        (accepted, "Paul", "accepted"),
        (merged, "Mairie de Crest", "merged"),
        (refused, "Zoé", "refused"),
    ]
    assert [p.merged_with for p in own] == [None, None, "Mairie", None]
    assert [p.withdrawable for p in own] == [True, False, False, False]
    # Another phone's proposals are never shown; a phone that never joined, or a wrong code, sees none.
    assert [p.id for p in workshops.own_proposals(code, "phone-2")] == [other]
    assert workshops.own_proposals(code, "phone-never-joined") == []
    assert workshops.own_proposals("NOPE99", "phone-1") == []


def test_withdrawing_takes_a_waiting_proposal_out_of_the_queue_and_leaves_the_journal(room):
    workshops, workshop = room
    code = workshop.code
    first = workshops.propose(code, "phone-1", _answer("Marie"), now=T0)
    second = workshops.propose(code, "phone-1", _answer("Paul"), now=T0)
    revision = workshops.status(workshop.id).revision

    workshops.withdraw(code, "phone-1", first)

    assert [p.id for p in workshops.proposals(workshop.id)] == [second]  # the facilitator's queue
    assert workshops.status(workshop.id).pending == 1
    assert workshops.status(workshop.id).revision > revision  # the queue's screens draw it again
    assert workshops.journal(workshop.id) == []  # no change was made
    assert [(p.id, p.state, p.withdrawable) for p in workshops.own_proposals(code, "phone-1")] == [
        (first, "withdrawn", False),
        (second, "sent", True),
    ]
    # Withdrawn, it can be neither accepted nor withdrawn again; "Tout refuser" leaves it withdrawn.
    with pytest.raises(WorkshopError) as taken:
        workshops.accept(workshop.id, first)
    assert taken.value.code == "already_decided"
    with pytest.raises(WorkshopError) as again:
        workshops.withdraw(code, "phone-1", first)
    assert again.value.code == "already_decided"
    workshops.reject_all(workshop.id)
    assert [p.state for p in workshops.own_proposals(code, "phone-1")] == ["withdrawn", "refused"]


def test_a_phone_cannot_withdraw_another_s_proposal_nor_one_the_facilitator_handled(room):
    workshops, workshop = room
    code = workshop.code
    mine = workshops.propose(code, "phone-1", _answer("Marie"), now=T0)
    theirs = workshops.propose(code, "phone-2", _answer("Paul"), now=T0)
    with pytest.raises(WorkshopError) as foreign:
        workshops.withdraw(code, "phone-1", theirs)
    assert foreign.value.code == "unknown_proposal"
    with pytest.raises(WorkshopError):
        workshops.withdraw(code, "phone-never-joined", mine)
    # Accepted, then undone: back in the queue, but the facilitator's (a redo brings it back).
    entry = workshops.accept(workshop.id, mine, now=T0)
    assert entry
    workshops.undo(workshop.id)
    assert [p.id for p in workshops.proposals(workshop.id)] == [mine, theirs]
    [own] = workshops.own_proposals(code, "phone-1")
    assert (own.state, own.withdrawable) == ("sent", False)
    with pytest.raises(WorkshopError) as handled:
        workshops.withdraw(code, "phone-1", mine)
    assert handled.value.code == "already_decided"
    workshops.redo(workshop.id)
    [own] = workshops.own_proposals(code, "phone-1")
    assert own.state == "accepted"
    assert [p.id for p in workshops.proposals(workshop.id)] == [theirs]


def test_a_closed_workshop_takes_no_withdrawal(room):
    workshops, workshop = room
    mine = workshops.propose(workshop.code, "phone-1", _answer("Marie"), now=T0)
    workshops.close(workshop.id)
    with pytest.raises(WorkshopError):
        workshops.withdraw(workshop.code, "phone-1", mine)

"""The facilitator's queue: what phones propose (within a pace and a queue's length), and what
the facilitator does of it (accept as sent or edited, merge with an actor on the map, reject)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from valuechain.errors import AnswerRefused, WorkshopError
from valuechain.store.schema import ENTRIES, PARTICIPANTS, PROPOSALS
from valuechain.workshop.answers import (
    NAME_LIMIT,
    Answer,
    accepted_changes,
    check_answer,
    clean_text,
    refuse_rows_in_error,
)
from valuechain.workshop.base import aware, utc_now
from valuechain.workshop.journal import FACILITATOR, REJECT, REJECT_ALL, JournalPart
from valuechain.workshop.room import RoomPart, token_hash

# How fast one phone may send (a flood gets a message), and how long the queue may grow.
PROPOSALS_PER_MINUTE = 10
PENDING_LIMIT = 2000


@dataclass(frozen=True)
class Proposal:
    id: int
    participant: int  # the participant's number in this workshop
    answer: Answer
    status: str  # pending, accepted, rejected, withdrawn (by its phone)
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


# What a participant's phone says of a proposal it sent.
OWN_STATES = ("sent", "accepted", "merged", "refused", "withdrawn")


@dataclass(frozen=True)
class OwnProposal:
    """A proposal as the phone that sent it sees it: its answer, what became of it (one of
    ``OWN_STATES``), the actor it was merged with, and whether it may still be withdrawn
    (waiting, never handled by the facilitator)."""

    id: int
    answer: Answer
    state: str
    merged_with: str | None
    withdrawable: bool


class ProposalsPart(RoomPart, JournalPart):
    """The queue of each workshop: a proposal comes from a phone that joined, and an accepted
    one is a change of the journal."""

    def propose(
        self, code: str | None, token: str, answer: Answer, now: dt.datetime | None = None, address: str | None = None
    ) -> int:
        """A participant's answer into the facilitator's queue; returns the proposal's id.
        Raises ``WorkshopError`` for a closed workshop or a flood, ``AnswerRefused`` for an
        answer that cannot be taken as it is."""
        kept, refusals = check_answer(answer)
        if refusals:
            raise AnswerRefused(refusals)
        moment = now or utc_now()
        workshop, _number = self.join(code, token, moment, address)
        with self.engine.begin() as connection:
            self._writable(connection, workshop.id)
            # The phone's place is taken again here: it may have left since it joined.
            participant = self._enter(connection, workshop.id, token_hash(token), address, moment)[0]
            recent = (
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(PROPOSALS)
                    .where(
                        PROPOSALS.c.participant_id == participant,
                        PROPOSALS.c.submitted_at > moment - dt.timedelta(minutes=1),
                    )
                ).scalar()
                or 0
            )
            if recent >= PROPOSALS_PER_MINUTE:
                raise WorkshopError("too_fast", limit=PROPOSALS_PER_MINUTE)
            pending = (
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(PROPOSALS)
                    .where(PROPOSALS.c.workshop_id == workshop.id, PROPOSALS.c.status == "pending")
                ).scalar()
                or 0
            )
            if pending >= PENDING_LIMIT:
                raise WorkshopError("queue_full")
            self.touch(workshop.id, moment, connection)
            return connection.execute(
                PROPOSALS.insert().values(
                    workshop_id=workshop.id,
                    participant_id=participant,
                    answer=kept.as_dict(),
                    status="pending",
                    submitted_at=moment,
                )
            ).inserted_primary_key[0]  # type: ignore[index]

    def proposals(
        self, workshop_id: int, status: str | None = "pending", proposal_id: int | None = None
    ) -> list[Proposal]:
        query = (
            sa.select(
                PROPOSALS.c.id,
                PARTICIPANTS.c.number,
                PROPOSALS.c.answer,
                PROPOSALS.c.status,
                PROPOSALS.c.submitted_at,
                PROPOSALS.c.decided_at,
            )
            .join(PARTICIPANTS, PARTICIPANTS.c.id == PROPOSALS.c.participant_id)
            .where(PROPOSALS.c.workshop_id == workshop_id)
            .order_by(PROPOSALS.c.id)
        )
        if status is not None:
            query = query.where(PROPOSALS.c.status == status)
        if proposal_id is not None:
            query = query.where(PROPOSALS.c.id == proposal_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            Proposal(
                row.id,
                row.number,
                Answer.from_dict(row.answer),
                row.status,
                aware(row.submitted_at),
                row.decided_at and aware(row.decided_at),
            )
            for row in rows
        ]

    def proposal(self, workshop_id: int, proposal_id: int) -> Proposal:
        found = self.proposals(workshop_id, status=None, proposal_id=proposal_id)
        if not found:
            raise WorkshopError("unknown_proposal")
        return found[0]

    # A participant's own proposals ----------------------------------------------------------------
    def _own_participant(self, code: str | None, token: str) -> tuple[int, int] | None:
        """The workshop's id and the participant's id of this phone, if it joined (never a
        join: reading one's proposals lets nobody in)."""
        workshop = self.by_code(code)
        known = None if workshop is None else self._participant(workshop.id, token_hash(token))
        return None if workshop is None or known is None else (workshop.id, known.id)

    def own_proposals(self, code: str | None, token: str) -> list[OwnProposal]:
        """What this phone proposed in the workshop ``code``, oldest first, with what became of
        each: sent (waiting), accepted, merged with an actor of the map, refused, withdrawn. A
        phone sees its own only: its key is the only way to them."""
        found = self._own_participant(code, token)
        if found is None:
            return []
        workshop_id, participant = found
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(PROPOSALS.c.id, PROPOSALS.c.answer, PROPOSALS.c.status)
                .where(PROPOSALS.c.workshop_id == workshop_id, PROPOSALS.c.participant_id == participant)
                .order_by(PROPOSALS.c.id)
            ).all()
            entries = connection.execute(
                sa.select(ENTRIES.c.proposal_id, ENTRIES.c.kind, ENTRIES.c.state, ENTRIES.c.summary)
                .where(ENTRIES.c.workshop_id == workshop_id, ENTRIES.c.proposal_id.in_([row.id for row in rows]))
                .order_by(ENTRIES.c.seq)
            ).all()
        handled = {entry.proposal_id for entry in entries}
        merged = {
            e.proposal_id: (e.summary or {}).get("who") for e in entries if e.state == "active" and e.kind == "merge"
        }
        own = []
        for row in rows:
            state = {"pending": "sent", "rejected": "refused", "withdrawn": "withdrawn"}.get(row.status, "accepted")
            if state == "accepted" and row.id in merged:
                state = "merged"
            own.append(
                OwnProposal(
                    row.id,
                    Answer.from_dict(row.answer),
                    state,
                    merged.get(row.id),
                    row.status == "pending" and row.id not in handled,
                )
            )
        return own

    def withdraw(self, code: str | None, token: str, proposal_id: int, now: dt.datetime | None = None) -> None:
        """The phone that sent a proposal takes it back while it waits and was never handled (an
        accepted one undone back to the queue stays the facilitator's: redo would bring it
        back). It leaves the facilitator's queue; the journal, which holds changes only, is
        untouched. Raises ``WorkshopError``: ``unknown_proposal`` (not this phone's),
        ``already_decided`` (handled meanwhile, from the facilitator's laptop)."""
        found = self._own_participant(code, token)
        if found is None:
            raise WorkshopError("unknown_proposal")
        workshop_id, participant = found
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            mine = (
                PROPOSALS.c.id == proposal_id,
                PROPOSALS.c.workshop_id == workshop_id,
                PROPOSALS.c.participant_id == participant,
            )
            if connection.execute(sa.select(PROPOSALS.c.id).where(*mine)).first() is None:
                raise WorkshopError("unknown_proposal")
            handled = sa.select(ENTRIES.c.id).where(ENTRIES.c.proposal_id == PROPOSALS.c.id).exists()
            taken = connection.execute(
                PROPOSALS.update()
                .where(*mine, PROPOSALS.c.status == "pending", ~handled)
                .values(status="withdrawn", decided_at=now or utc_now())
            ).rowcount
            if not taken:
                raise WorkshopError("already_decided")
            self._bump(connection, workshop_id)

    def accept(
        self,
        workshop_id: int,
        proposal_id: int,
        answer: Answer | None = None,
        merge_with: str | None = None,
        now: dt.datetime | None = None,
    ) -> int:
        """Accept a proposal into the workbook, as sent or as the facilitator edited it
        (``answer``), its "who" merged with an actor already on the map (``merge_with``).
        Returns the journal entry's number."""
        proposal = self.proposal(workshop_id, proposal_id)
        if proposal.status != "pending":
            raise WorkshopError("already_decided")
        kept, refusals = check_answer(answer or proposal.answer)
        if refusals:
            raise AnswerRefused(refusals)
        proposed = kept.who
        if merge_with:
            kept.who = clean_text(merge_with, NAME_LIMIT)
        raw = self.workbook(workshop_id)
        changes = accepted_changes(raw, kept)
        refuse_rows_in_error(raw, changes)
        summary = {
            "who": kept.who,
            "target": kept.target,
            "nature": kept.nature,
            "back": kept.back,
            "participant": proposal.participant,
            "proposed": proposed if merge_with else None,
        }
        with self.engine.begin() as connection:
            # The proposal is taken by one facilitator only, even from two laptops at once.
            taken = connection.execute(
                PROPOSALS.update()
                .where(PROPOSALS.c.id == proposal_id)
                .where(PROPOSALS.c.status == "pending")
                .values(status="accepted", decided_at=now or utc_now())
            ).rowcount
            if not taken:
                raise WorkshopError("already_decided")
            return self.record(
                workshop_id,
                "merge" if merge_with else "accept",
                summary,
                changes,
                f"participant:{proposal.participant}",
                proposal_id,
                now,
                connection,
            )

    def reject_all(self, workshop_id: int, now: dt.datetime | None = None, up_to: int | None = None) -> int:
        """Reject every pending proposal at once (a flood, or the end of a round): those up to
        the proposal ``up_to`` when given (the queue the facilitator confirmed, not one sent
        meanwhile). One journal entry, undone at once. Returns how many were rejected."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            waiting = sa.select(PROPOSALS.c.id).where(
                PROPOSALS.c.workshop_id == workshop_id, PROPOSALS.c.status == "pending"
            )
            if up_to is not None:
                waiting = waiting.where(PROPOSALS.c.id <= up_to)
            ids = list(connection.execute(waiting.order_by(PROPOSALS.c.id)).scalars())
            if not ids:
                return 0
            connection.execute(
                PROPOSALS.update()
                .where(PROPOSALS.c.id.in_(ids), PROPOSALS.c.status == "pending")
                .values(status="rejected", decided_at=now or utc_now())
            )
            summary = {"count": len(ids), "proposals": ids}
            self.record(workshop_id, REJECT_ALL, summary, [], FACILITATOR, None, now, connection)
        return len(ids)

    def reject(self, workshop_id: int, proposal_id: int, now: dt.datetime | None = None) -> int:
        """Reject one proposal: a journal entry, undone (back to the queue) like an accept."""
        proposal = self.proposal(workshop_id, proposal_id)
        with self.engine.begin() as connection:
            taken = connection.execute(
                PROPOSALS.update()
                .where(PROPOSALS.c.id == proposal_id)
                .where(PROPOSALS.c.workshop_id == workshop_id)
                .where(PROPOSALS.c.status == "pending")
                .values(status="rejected", decided_at=now or utc_now())
            ).rowcount
            if not taken:
                raise WorkshopError("already_decided")
            answer = proposal.answer
            summary = {
                "who": answer.who,
                "target": answer.target,
                "nature": answer.nature,
                "participant": proposal.participant,
            }
            return self.record(
                workshop_id, REJECT, summary, [], f"participant:{proposal.participant}", proposal_id, now, connection
            )

"""The facilitator's queue: what phones propose (within a pace and a queue's length), and what
the facilitator does of it (accept as sent or edited, merge with an actor on the map, reject)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from valuechain.errors import AnswerRefused, WorkshopError
from valuechain.store.schema import PARTICIPANTS, PROPOSALS
from valuechain.workshop.answers import (
    NAME_LIMIT,
    Answer,
    accepted_changes,
    check_answer,
    clean_text,
    refuse_rows_in_error,
)
from valuechain.workshop.base import aware, utc_now
from valuechain.workshop.journal import JournalPart
from valuechain.workshop.room import RoomPart, token_hash

# How fast one phone may send (a flood gets a message), and how long the queue may grow.
PROPOSALS_PER_MINUTE = 10
PENDING_LIMIT = 2000


@dataclass(frozen=True)
class Proposal:
    id: int
    participant: int  # the participant's number in this workshop
    answer: Answer
    status: str  # pending, accepted, rejected
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


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

    def reject_all(self, workshop_id: int, now: dt.datetime | None = None) -> int:
        """Reject every pending proposal at once (a flood, or the end of a round)."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            taken = connection.execute(
                PROPOSALS.update()
                .where(PROPOSALS.c.workshop_id == workshop_id)
                .where(PROPOSALS.c.status == "pending")
                .values(status="rejected", decided_at=now or utc_now())
            ).rowcount
            if taken:
                self._bump(connection, workshop_id)
        return taken

    def reject(self, workshop_id: int, proposal_id: int, now: dt.datetime | None = None) -> None:
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            taken = connection.execute(
                PROPOSALS.update()
                .where(PROPOSALS.c.id == proposal_id)
                .where(PROPOSALS.c.workshop_id == workshop_id)
                .where(PROPOSALS.c.status == "pending")
                .values(status="rejected", decided_at=now or utc_now())
            ).rowcount
            if not taken:
                raise WorkshopError("already_decided")
            self._bump(connection, workshop_id)

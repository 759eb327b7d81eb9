"""Workshops: the room builds a centre's chain together, and nothing typed is ever lost.

A workshop starts from a centre's workbook (a sample, an upload, a stored version). From then
on every change is written to the store at once, as an entry of the workshop's **journal**
(what, who, when): a quick add, a table edited, a proposal accepted, rows deleted. The
workshop's workbook is its starting workbook with the journal's active entries applied in
order, so a refresh, a second laptop or a restarted server finds it as it was, and two app
processes on one PostgreSQL serve the same workshop. Undo marks the last entry undone, redo
marks it active again; a new change after an undo drops what could have been redone (it stays
in the journal, marked so).

Participants join from their phones with the workshop's short code and no account. What they
send is a **proposal** in the facilitator's queue: accepted (as sent, edited, or merged with an
actor already on the map) or rejected. Participants are numbered, never named.

``Workshops`` is one part per concern, each in its own module (``journal``, ``room``,
``closing``, ``proposals``, ``wall``, ``erasure``, on ``base``); here, a workshop's life: opened, found,
closed into a version of its centre.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from valuechain.errors import WorkshopError
from valuechain.model import RawWorkbook
from valuechain.reading.inputs import InputFile
from valuechain.store.db import Version
from valuechain.store.schema import PARTICIPANTS, PROPOSALS, WORKSHOPS
from valuechain.workshop.base import CODE_ALPHABET, CODE_LENGTH, Workshop, utc_now
from valuechain.workshop.erasure import ErasurePart
from valuechain.workshop.proposals import ProposalsPart
from valuechain.workshop.wall import WallPart


@dataclass(frozen=True)
class Status:
    """What the wall and the queue look at every second: one small query."""

    revision: int
    status: str
    pending: int
    proposals: int
    participants: int


class Workshops(ProposalsPart, WallPart, ErasurePart):
    """The workshops of a store (``Workshops(store)``): their journal and workbook, the room
    joining, the queue, the wall's positions, a centre's workshops whole (GDPR), and each
    workshop's life."""

    def open(
        self, raw: RawWorkbook, centre_name: str, source: str, now: dt.datetime | None = None, by: str | None = None
    ) -> Workshop:
        for _attempt in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.engine.begin() as connection:
                    workshop_id = connection.execute(
                        WORKSHOPS.insert().values(
                            code=code,
                            centre_name=centre_name[:300],
                            source=source[:500],
                            base_raw=raw.to_dict(),
                            opened_by=by,
                            status="open",
                            opened_at=now or utc_now(),
                            touched_at=now or utc_now(),
                            revision=0,
                        )
                    ).inserted_primary_key[0]  # type: ignore[index]
                return self.get(workshop_id)
            except sa.exc.IntegrityError:
                continue  # the code was taken: draw another
        raise RuntimeError("no free workshop code")

    def open_ones(self, by: str | None = None) -> list[Workshop]:
        """The open workshops (those ``by`` opened, when given), an interrupted close undone."""
        self.recover_interrupted()
        query = sa.select(*self._COLUMNS).where(WORKSHOPS.c.status == "open")
        if by is not None:
            query = query.where(WORKSHOPS.c.opened_by == by)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(WORKSHOPS.c.opened_at.desc())).all()
        return [self._workshop(row) for row in rows]

    def status(self, workshop_id: int) -> Status:
        pending = (
            sa.select(sa.func.count())
            .select_from(PROPOSALS)
            .where(PROPOSALS.c.workshop_id == workshop_id, PROPOSALS.c.status == "pending")
            .scalar_subquery()
        )
        proposals = (
            sa.select(sa.func.count())
            .select_from(PROPOSALS)
            .where(PROPOSALS.c.workshop_id == workshop_id)
            .scalar_subquery()
        )
        # The room's real participants: those who proposed and hold their place, not every phone
        # that opened the form, nor a flood's phones whose places the facilitator freed.
        participants = (
            sa.select(sa.func.count(sa.distinct(PROPOSALS.c.participant_id)))
            .select_from(PROPOSALS.join(PARTICIPANTS, PARTICIPANTS.c.id == PROPOSALS.c.participant_id))
            .where(
                PROPOSALS.c.workshop_id == workshop_id,
                PARTICIPANTS.c.evicted.is_(False),
                PARTICIPANTS.c.released_at.is_(None),
            )
            .scalar_subquery()
        )
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(
                    WORKSHOPS.c.revision,
                    WORKSHOPS.c.status,
                    pending.label("pending"),
                    proposals.label("proposals"),
                    participants.label("participants"),
                ).where(WORKSHOPS.c.id == workshop_id)
            ).first()
        if row is None:
            raise WorkshopError("unknown_workshop")
        return Status(row.revision, row.status, row.pending, row.proposals, row.participants)

    def close(self, workshop_id: int, now: dt.datetime | None = None, importer=None) -> Version | None:
        """Close the workshop into a new version of its centre in the store; its join code stops
        working. Closing twice gives the same version. ``importer`` is the import the closing
        person may make (``access.Access.import_files``): a refusal leaves the workshop open.
        A workshop in which nothing was changed is closed with no new version (None): a version
        identical to the one before would only blur the centre's history.

        The close is finished or wholly undone (``closing``): the workshop is "closing" with the
        digest of the file made from its journal, at the revision that file holds, and nothing
        changes it until that file's version is kept (closed) or the close is undone (open)."""
        from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

        moment = now or utc_now()
        self.recover_interrupted(moment)
        if self.steps(workshop_id) == 0:
            with self.engine.begin() as connection:
                connection.execute(
                    WORKSHOPS.update()
                    .where(WORKSHOPS.c.id == workshop_id)
                    .where(WORKSHOPS.c.status == "open")
                    .values(status="closed", closed_at=moment, revision=WORKSHOPS.c.revision + 1)
                )
            workshop = self.get(workshop_id)
            return self.store.version(workshop.version_id) if workshop.version_id is not None else None
        for _attempt in range(5):
            workshop = self.get(workshop_id)
            if workshop.status != "open":
                if workshop.version_id is not None:
                    return self.store.version(workshop.version_id)
                raise WorkshopError("closing" if workshop.status == "closing" else "workshop_closed")
            revision, raw = self.workbook_at_revision(workshop_id)
            data = workbook_bytes(write_raw_workbook(raw, "fr", raw.problems, write_only=True))
            digest = hashlib.sha256(data).hexdigest()
            with self.engine.begin() as connection:
                # closed_at holds the moment the close began while it is "closing": an
                # interrupted close is undone after a while (recover_interrupted).
                claimed = connection.execute(
                    WORKSHOPS.update()
                    .where(WORKSHOPS.c.id == workshop_id)
                    .where(WORKSHOPS.c.status == "open", WORKSHOPS.c.revision == revision)
                    .values(status="closing", closed_at=moment, closing_sha256=digest)
                ).rowcount
            if claimed:
                break
            # The room changed the workbook meanwhile: the file is made again.
        else:
            raise WorkshopError("closing")
        this_close = (
            WORKSHOPS.c.id == workshop_id,
            WORKSHOPS.c.status == "closing",
            WORKSHOPS.c.closing_sha256 == digest,
        )
        try:
            name = f"{workshop.centre_name} - atelier {moment:%Y-%m-%d} ({workshop.code}).xlsx"
            version = (importer or self.store.import_files)([InputFile(name, data)], batch=None, now=moment, again=True)
        except BaseException:
            with self.engine.begin() as connection:
                connection.execute(
                    WORKSHOPS.update().where(*this_close).values(status="open", closed_at=None, closing_sha256=None)
                )
            raise
        with self.engine.begin() as connection:
            finished = connection.execute(
                WORKSHOPS.update()
                .where(*this_close)
                .values(status="closed", closed_at=moment, version_id=version.id, revision=WORKSHOPS.c.revision + 1)
            ).rowcount
        if not finished:
            # Settled meanwhile by another process (finished with this very version, or undone
            # after too long): what the workshop says now is what happened.
            workshop = self.get(workshop_id)
            if workshop.version_id is not None:
                return self.store.version(workshop.version_id)
            raise WorkshopError("closing")
        return version

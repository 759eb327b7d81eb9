"""A workshop's journal: every change written to the store at once (what, who, when), the
workbook as its start with the active changes applied, undo and redo, and the journal as a
person reads it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from valuechain.errors import WorkshopError
from valuechain.model import RawWorkbook
from valuechain.store.schema import ENTRIES, PARTICIPANTS, PROPOSALS, WORKSHOPS
from valuechain.vocabulary import NATURES, TABLES_BY_CODE
from valuechain.words.messages import say
from valuechain.workbook import editing
from valuechain.workshop.base import WorkshopsBase, aware, utc_now

# Who did a change, as the journal says it: the facilitator, or participant n (never a name).
FACILITATOR = "facilitator"
# Entries that decide proposals without changing the workbook: one proposal refused, or every
# waiting one at once ("Tout refuser", the proposals' ids in its summary). Undone and redone
# like the rest; never a step of the replay, never a reason to keep a version at closing.
REJECT, REJECT_ALL = "reject", "reject_all"
REJECTIONS = (REJECT, REJECT_ALL)


@dataclass(frozen=True)
class Entry:
    id: int
    seq: int
    kind: str
    summary: dict
    who: str
    at: dt.datetime
    state: str  # active, undone, dropped
    proposal_id: int | None


class JournalPart(WorkshopsBase):
    """The journal of each workshop, and the workbook it makes."""

    # The workbook --------------------------------------------------------------------------------
    def _active_changes(self, connection, workshop_id: int, upto: int | None = None):
        query = (
            sa.select(ENTRIES.c.changes)
            .where(ENTRIES.c.workshop_id == workshop_id)
            .where(ENTRIES.c.state == "active", ENTRIES.c.kind.not_in(REJECTIONS))
            .order_by(ENTRIES.c.seq)
        )
        if upto is not None:
            query = query.limit(upto)
        return connection.execute(query).scalars()

    def workbook(self, workshop_id: int) -> RawWorkbook:
        """The workshop's workbook now: its start with every active change applied. Shared by
        every caller of this process until the next change: do not modify it."""
        return self.workbook_at_revision(workshop_id)[1]

    def workbook_at_revision(self, workshop_id: int) -> tuple[int, RawWorkbook]:
        """The workshop's workbook now, and the revision it is the workbook of."""
        # What this process keeps, asked for before this connection: on SQLite, the question
        # (was a centre erased?) would wait for this very connection's lock.
        states = self._states
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(WORKSHOPS.c.revision, WORKSHOPS.c.base_raw).where(WORKSHOPS.c.id == workshop_id)
            ).first()
            if row is None:
                raise WorkshopError("unknown_workshop")
            kept = states.get(workshop_id)
            if kept is not None and kept[0] == row.revision:
                return kept
            raw = RawWorkbook.from_dict(row.base_raw)
            for changes in self._active_changes(connection, workshop_id):
                editing.apply_changes(raw, changes)
        with self._lock:
            states[workshop_id] = (row.revision, raw)
        return row.revision, raw

    def workbook_after(self, workshop_id: int, steps: int) -> RawWorkbook:
        """The workbook after the first ``steps`` active changes: the replay of the workshop in
        the order the chain was built."""
        with self.engine.connect() as connection:
            base = connection.execute(sa.select(WORKSHOPS.c.base_raw).where(WORKSHOPS.c.id == workshop_id)).scalar_one()
            raw = RawWorkbook.from_dict(base)
            for changes in self._active_changes(connection, workshop_id, upto=max(steps, 0)):
                editing.apply_changes(raw, changes)
        return raw

    def steps(self, workshop_id: int) -> int:
        """How many active changes the journal holds (the replay's last step): refusals, which
        change nothing, are not steps."""
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(ENTRIES)
                    .where(
                        ENTRIES.c.workshop_id == workshop_id,
                        ENTRIES.c.state == "active",
                        ENTRIES.c.kind.not_in(REJECTIONS),
                    )
                ).scalar()
                or 0
            )

    # The journal ---------------------------------------------------------------------------------
    def record(
        self,
        workshop_id: int,
        kind: str,
        summary: dict,
        changes: list[dict],
        who: str = FACILITATOR,
        proposal_id: int | None = None,
        now: dt.datetime | None = None,
        connection=None,
    ) -> int:
        """Write one change to the journal at once; returns its number (``seq``)."""
        if connection is None:
            with self.engine.begin() as own:
                return self.record(workshop_id, kind, summary, changes, who, proposal_id, now, own)
        self._writable(connection, workshop_id)
        # What could have been redone is dropped by a new change (kept in the journal, marked).
        connection.execute(
            ENTRIES.update()
            .where(ENTRIES.c.workshop_id == workshop_id)
            .where(ENTRIES.c.state == "undone")
            .values(state="dropped")
        )
        seq = (
            connection.execute(
                sa.select(sa.func.max(ENTRIES.c.seq)).where(ENTRIES.c.workshop_id == workshop_id)
            ).scalar()
            or 0
        ) + 1
        connection.execute(
            ENTRIES.insert().values(
                workshop_id=workshop_id,
                seq=seq,
                kind=kind,
                summary=summary,
                changes=changes,
                who=who[:100],
                at=now or utc_now(),
                state="active",
                proposal_id=proposal_id,
            )
        )
        self._bump(connection, workshop_id)
        self.touch(workshop_id, now, connection)
        return seq

    def touch(self, workshop_id: int, now: dt.datetime | None = None, connection=None) -> None:
        """Something happened in the workshop (a change, a proposal, its facilitator's page): it
        takes phones for ``room.WORKSHOP_IDLE`` more. Written at most once a minute."""
        moment = now or utc_now()
        if connection is None:
            with self.engine.begin() as own:
                return self.touch(workshop_id, moment, own)
        connection.execute(
            WORKSHOPS.update()
            .where(WORKSHOPS.c.id == workshop_id)
            .where(sa.or_(WORKSHOPS.c.touched_at.is_(None), WORKSHOPS.c.touched_at < moment - dt.timedelta(minutes=1)))
            .values(touched_at=moment)
        )

    def record_edit(
        self, workshop_id: int, before: RawWorkbook, after: RawWorkbook, who: str = FACILITATOR
    ) -> int | None:
        """Journal an edit of the workbook (a quick add, a table edited): what changed between
        ``before`` and ``after``. Nothing changed: nothing written (None)."""
        changes = editing.changes_between(before, after)
        if not changes:
            return None
        # ``before`` is the workbook the person edited; the room may have changed it since (a
        # proposal accepted meanwhile). Rows added go after the rows there are now; a table
        # edited meanwhile is refused, said, rather than written over the room's change.
        latest = self.workbook(workshop_id)
        for change in changes:
            if change["op"] == "add_row":
                continue
            if _edited_part(before, change) != _edited_part(latest, change):
                raise WorkshopError("changed_meanwhile")
        added = iter(editing.new_rows(latest, [(c["table"], c["row"][2]) for c in changes if c["op"] == "add_row"]))
        renumbered = [next(added) if change["op"] == "add_row" else change for change in changes]
        return self.record(workshop_id, *describe(renumbered), renumbered, who)

    def journal(self, workshop_id: int) -> list[Entry]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    ENTRIES.c.id,
                    ENTRIES.c.seq,
                    ENTRIES.c.kind,
                    ENTRIES.c.summary,
                    ENTRIES.c.who,
                    ENTRIES.c.at,
                    ENTRIES.c.state,
                    ENTRIES.c.proposal_id,
                )
                .where(ENTRIES.c.workshop_id == workshop_id)
                .order_by(ENTRIES.c.seq)
            ).all()
        return [
            Entry(row.id, row.seq, row.kind, row.summary, row.who, aware(row.at), row.state, row.proposal_id)
            for row in rows
        ]

    def undo(self, workshop_id: int) -> Entry | None:
        """Take back the last active change: an accepted proposal, or a refused one (every
        one "Tout refuser" refused), goes back to the queue."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            row = connection.execute(
                sa.select(ENTRIES.c.id, ENTRIES.c.kind, ENTRIES.c.summary, ENTRIES.c.proposal_id)
                .where(ENTRIES.c.workshop_id == workshop_id, ENTRIES.c.state == "active")
                .order_by(ENTRIES.c.seq.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            connection.execute(ENTRIES.update().where(ENTRIES.c.id == row.id).values(state="undone"))
            decided = _decided(row)
            if decided:
                query = PROPOSALS.update().where(PROPOSALS.c.workshop_id == workshop_id, PROPOSALS.c.id.in_(decided))
                if row.kind in REJECTIONS:  # those refused still, of phones not excluded since
                    kept_in = sa.select(PARTICIPANTS.c.id).where(PARTICIPANTS.c.evicted.is_(False))
                    query = query.where(PROPOSALS.c.status == "rejected", PROPOSALS.c.participant_id.in_(kept_in))
                connection.execute(query.values(status="pending", decided_at=None))
            self._bump(connection, workshop_id)
        return next(e for e in self.journal(workshop_id) if e.id == row.id)

    def redo(self, workshop_id: int) -> Entry | None:
        """Make the change last taken back active again: its proposals accepted, or refused,
        again (those still waiting: one its phone withdrew meanwhile stays withdrawn)."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            row = connection.execute(
                sa.select(ENTRIES.c.id, ENTRIES.c.kind, ENTRIES.c.summary, ENTRIES.c.proposal_id)
                .where(ENTRIES.c.workshop_id == workshop_id, ENTRIES.c.state == "undone")
                .order_by(ENTRIES.c.seq)
                .limit(1)
            ).first()
            if row is None:
                return None
            connection.execute(ENTRIES.update().where(ENTRIES.c.id == row.id).values(state="active"))
            decided = _decided(row)
            if decided:
                status = "rejected" if row.kind in REJECTIONS else "accepted"
                query = PROPOSALS.update().where(PROPOSALS.c.workshop_id == workshop_id, PROPOSALS.c.id.in_(decided))
                if row.kind in REJECTIONS:
                    query = query.where(PROPOSALS.c.status == "pending")
                connection.execute(query.values(status=status, decided_at=utc_now()))
            self._bump(connection, workshop_id)
        return next(e for e in self.journal(workshop_id) if e.id == row.id)


def _decided(row) -> list[int]:
    """The proposals an entry decided: its own, or every one a "Tout refuser" refused."""
    if row.kind == REJECT_ALL:
        return [int(i) for i in (row.summary or {}).get("proposals", [])]
    return [] if row.proposal_id is None else [row.proposal_id]


def _edited_part(raw: RawWorkbook, change: dict) -> object:
    """The part of a workbook that a change of a whole table (or of the Centre sheet) replaces."""
    if change["op"] == "centre":
        return editing.centre_dict(raw)
    table = raw.tables.get(change["table"])
    return None if table is None else table.to_dict()


def describe(changes: list[dict]) -> tuple[str, dict]:
    """The journal's kind and summary of an edit: what a person reads in the journal."""
    added = [c for c in changes if c["op"] == "add_row"]
    if added and len(added) == len(changes):
        cells = added[0]["row"][2]
        label = cells.get("name") or " → ".join(str(cells[k]) for k in ("source", "target") if cells.get(k))
        return "add_row", {"table": added[0]["table"], "rows": len(added), "label": str(label or "")}
    removed = sum(c.get("removed", 0) for c in changes)
    tables = sorted({c.get("table", "centre") for c in changes})
    if removed:
        return "delete_rows", {"tables": tables, "rows": removed}
    return "edit", {"tables": tables}


# The journal as a person reads it ------------------------------------------------------------------
def who_text(who: str, lang: str) -> str:
    """Who made a change, as the journal says it: the facilitator, or a participant's number."""
    if who.startswith("participant:"):
        return say("workshop", "who_participant", lang, number=who.split(":", 1)[1])
    return say("workshop", "who_facilitator", lang)


def entry_text(entry: Entry, lang: str) -> str:
    """What a journal entry did, in a sentence of the user's language."""
    summary = entry.summary

    def sheet(code: str) -> str:
        return (
            TABLES_BY_CODE[code].sheet_name(lang) if code in TABLES_BY_CODE else say("workshop", "centre_sheet", lang)
        )

    if entry.kind in ("accept", "merge"):
        nature = NATURES.label(summary["nature"], lang)
        text = say(
            "workshop",
            f"entry_{entry.kind}",
            lang,
            who=summary["who"],
            target=summary["target"],
            nature=nature,
            proposed=summary.get("proposed") or "",
        )
        if summary.get("back"):
            text += " " + say("workshop", "entry_back", lang, nature=NATURES.label(summary["back"], lang))
        return text
    if entry.kind == REJECT:
        return say(
            "workshop",
            "entry_reject",
            lang,
            who=summary.get("who", ""),
            target=summary.get("target", ""),
            nature=NATURES.label(summary["nature"], lang) if summary.get("nature") in NATURES.codes else "—",
        )
    if entry.kind == REJECT_ALL:
        return say("workshop", "entry_reject_all", lang, count=summary.get("count", 0))
    if entry.kind == "add_row":
        return say(
            "workshop",
            "entry_add_row",
            lang,
            sheet=sheet(summary["table"]),
            label=summary.get("label", ""),
            count=summary.get("rows", 1),
        )
    if entry.kind == "delete_rows":
        return say(
            "workshop",
            "entry_delete_rows",
            lang,
            sheets=", ".join(sheet(c) for c in summary["tables"]),
            count=summary["rows"],
        )
    return say("workshop", "entry_edit", lang, sheets=", ".join(sheet(c) for c in summary["tables"]))


def journal_table(entries: list[Entry], lang: str, local: Callable[[dt.datetime], dt.datetime]) -> pd.DataFrame:
    """The journal as the facilitator reads it, the last change first: number, time, who
    proposed it (a participant, or the facilitator's own change), what and whether it stands. ``local`` gives a moment in the reader's time zone."""
    return pd.DataFrame(
        [
            {
                say("workshop", "col_seq", lang): entry.seq,
                say("workshop", "col_at", lang): f"{local(entry.at):%H:%M:%S}",
                # Every change is the facilitator's: a participant's number says who proposed
                # it ("Qui" read as who accepted it).
                say("workshop_journal", "col_proposed_by", lang): who_text(entry.who, lang),
                say("workshop", "col_what", lang): entry_text(entry, lang),
                say("workshop", "col_state", lang): say("workshop", "state_" + entry.state, lang),
            }
            for entry in reversed(entries)
        ]
    )

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
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import logging
import math
import os
import secrets
import socket
import threading
import unicodedata
from dataclasses import asdict, dataclass

import sqlalchemy as sa

from valuechain.errors import AnswerRefused, Refusal, WorkshopError
from valuechain.model import RawWorkbook
from valuechain.reading.reader import InputFile
from valuechain.store.db import Store, Version
from valuechain.store.schema import ENTRIES, PARTICIPANTS, PROPOSALS, WORKSHOPS
from valuechain.vocabulary import CATEGORIES, NATURES, normalise_reference
from valuechain.workbook import editing

_LOG = logging.getLogger(__name__)

# Join codes: short, read aloud and typed on a phone; no 0/O, 1/I/L to mistake.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

# What one proposal may hold, and how fast one phone may send (a flood gets a message).
NAME_LIMIT = 120
COMMENT_LIMIT = 300
QUANTITY_LIMIT = 1e9
PROPOSALS_PER_MINUTE = 10
PENDING_LIMIT = 2000
# Phones one workshop takes, and one address may bring (a room's Wi-Fi gives each phone its own
# address; behind a reverse proxy that sends no X-Forwarded-For, every phone has the proxy's).
PARTICIPANTS_LIMIT = 300
PARTICIPANTS_PER_ADDRESS = 100
# Wrong codes one address may try in a minute before it is told to wait (each try is logged):
# six characters of 31 are 887 million codes, out of reach at this pace.
FAILED_JOINS_PER_MINUTE = 10
# A close that was interrupted (the server killed, the database restarted) leaves the workshop
# "closing"; after this long it is open again, to be closed once more.
CLOSING_STALE = dt.timedelta(minutes=2)
UNITS = ("€", "h", "jours", "kg", "personnes", "repas")

# Who did a change, as the journal says it: the facilitator, or participant n (never a name).
FACILITATOR = "facilitator"

# How often the wall and the queue look for news (seconds): an accepted proposal is on the wall
# within this plus the time to draw it.
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    centre_name: str
    source: str
    status: str  # open, closing, closed
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    revision: int
    version_id: int | None
    opened_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Status:
    """What the wall and the queue look at every second: one small query."""

    revision: int
    status: str
    pending: int
    proposals: int
    participants: int


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


@dataclass
class Answer:
    """What a participant answers to "Qui apporte quoi, à qui ?"."""

    who: str
    nature: str  # a code of NATURES
    target: str  # an activity, an actor, the centre
    who_category: str | None = None  # a code of CATEGORIES, for a name not on the map yet
    quantity: float | None = None
    unit: str | None = None
    back: str | None = None  # the nature of what comes back, if anything
    comment: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        return cls(
            who=data.get("who") or "",
            nature=data.get("nature") or "",
            target=data.get("target") or "",
            who_category=data.get("who_category"),
            quantity=data.get("quantity"),
            unit=data.get("unit"),
            back=data.get("back"),
            comment=data.get("comment"),
        )


@dataclass(frozen=True)
class Proposal:
    id: int
    participant: int  # the participant's number in this workshop
    answer: Answer
    status: str  # pending, accepted, rejected
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC): make them say so."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def clean_text(value: object, limit: int) -> str:
    """A participant's text as kept: control characters removed, spaces collapsed, cut to
    ``limit`` characters (the form says so before). Markup and formulas stay text: every page
    shows them as typed and every export writes them as text."""
    text = "" if value is None else str(value)
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())[:limit]


def check_answer(answer: Answer) -> tuple[Answer, list[Refusal]]:
    """The answer as it will be kept, and what is wrong with it (nothing: it can be sent)."""
    refusals: list[Refusal] = []
    raw_who, raw_target = (
        "" if answer.who is None else str(answer.who),
        "" if answer.target is None else str(answer.target),
    )
    who, target = clean_text(raw_who, NAME_LIMIT), clean_text(raw_target, NAME_LIMIT)
    for name, typed, cleaned in (("who", raw_who, who), ("target", raw_target, target)):
        if not cleaned:
            refusals.append(Refusal(name, "required"))
        elif len(" ".join(typed.split())) > NAME_LIMIT:
            refusals.append(Refusal(name, "too_long", {"limit": NAME_LIMIT}))
    if who and target and normalise_reference(who) == normalise_reference(target):
        refusals.append(Refusal("target", "same_as_who"))
    if answer.nature not in NATURES.codes:
        refusals.append(Refusal("nature", "required"))
    if answer.back is not None and answer.back not in NATURES.codes:
        refusals.append(Refusal("back", "unknown"))
    category = answer.who_category if answer.who_category in CATEGORIES.codes else None
    quantity = answer.quantity
    if quantity is not None:
        try:
            quantity = float(quantity)
        except (TypeError, ValueError):
            quantity = math.nan
        if not math.isfinite(quantity) or quantity < 0 or quantity > QUANTITY_LIMIT:
            refusals.append(Refusal("quantity", "quantity_range", {"limit": int(QUANTITY_LIMIT)}))
    unit = answer.unit if answer.unit in UNITS else None
    comment = clean_text(answer.comment, COMMENT_LIMIT) or None
    if answer.comment and len(str(answer.comment)) > COMMENT_LIMIT * 4:
        refusals.append(Refusal("comment", "too_long", {"limit": COMMENT_LIMIT}))
    kept = Answer(
        who=who,
        nature=answer.nature,
        target=target,
        who_category=category,
        quantity=quantity if quantity is None or math.isfinite(quantity) else None,
        unit=unit,
        back=answer.back,
        comment=comment,
    )
    return kept, refusals


def similar_names(name: str, names: list[str], limit: int = 3) -> list[str]:
    """Names already on the map that look like ``name`` (a typo, another case, a part of it):
    what the facilitator is offered to merge with."""
    wanted = normalise_reference(name)
    by_key = {normalise_reference(n): n for n in names}
    found = [by_key[k] for k in difflib.get_close_matches(wanted, list(by_key), n=limit, cutoff=0.75)]
    found += [n for k, n in by_key.items() if len(wanted) >= 4 and (wanted in k or k in wanted) and n not in found]
    return found[:limit]


def room_address(port: int) -> str:
    """The address to give the room: ``VALUECHAIN_ROOM_ADDRESS`` if set, else this machine's
    address on the local network (the one its default route uses; no packet is sent)."""
    configured = os.environ.get("VALUECHAIN_ROOM_ADDRESS")
    if configured:
        return configured.rstrip("/")
    host = "127.0.0.1"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: connect() on UDP sends nothing
            host = probe.getsockname()[0]
        except OSError:
            pass
    return f"http://{host}:{port}"


FACILITATOR_KEY_VARIABLE = "VALUECHAIN_FACILITATOR_KEY"


def new_facilitator_key() -> str:
    return secrets.token_urlsafe(12)


def holds_facilitator_key(given: str | None) -> bool:
    """Whether ``given`` is the room's facilitator key (``VALUECHAIN_FACILITATOR_KEY``, made by
    ``make workshop`` and printed on its console). Without a key set, nobody holds it: every
    visitor of the room is a participant."""
    key = os.environ.get(FACILITATOR_KEY_VARIABLE, "")
    return bool(key) and bool(given) and secrets.compare_digest(str(given).encode(), key.encode())


def room_mode() -> bool:
    """Whether the app serves a room (``make workshop``, ``VALUECHAIN_ROOM=1``): then every
    visitor from another machine is a participant."""
    return os.environ.get("VALUECHAIN_ROOM", "").strip().lower() in ("1", "true", "yes", "oui")


def is_participant(room: bool, holds_key: bool) -> bool:
    """A visitor is a participant (the form and the public wall, nothing else) when the app
    serves a room and the visitor does not hold the facilitator's key. Never the address: behind
    a reverse proxy every phone comes from the proxy's, and one machine may be shared."""
    return room and not holds_key


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A participant's key, kept in the phone's address bar: a refresh keeps the same number."""
    return secrets.token_urlsafe(12)


class Workshops:
    """The workshops of a store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        # The workbook of each workshop at its last revision, per process: rebuilt when the
        # store says the revision moved (another process may have written it).
        self._states: dict[int, tuple[int, RawWorkbook]] = {}
        self._lock = threading.Lock()
        # Per process: the wrong codes each address tried lately, and the participants each
        # address brought to each workshop (a flood from one machine stops at its limits).
        self._failed: dict[str, list[dt.datetime]] = {}
        self._by_address: dict[tuple[int, str | None], set[str]] = {}

    # Opening, finding, closing ----------------------------------------------------------------
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
                            opened_at=now or _now(),
                            revision=0,
                        )
                    ).inserted_primary_key[0]  # type: ignore[index]
                return self.get(workshop_id)
            except sa.exc.IntegrityError:
                continue  # the code was taken: draw another
        raise RuntimeError("no free workshop code")

    def _workshop(self, row) -> Workshop:
        return Workshop(
            id=row.id,
            code=row.code,
            centre_name=row.centre_name,
            source=row.source,
            status=row.status,
            opened_at=_aware(row.opened_at),
            closed_at=row.closed_at and _aware(row.closed_at),
            revision=row.revision,
            version_id=row.version_id,
            opened_by=row.opened_by,
        )

    _COLUMNS = (
        WORKSHOPS.c.id,
        WORKSHOPS.c.code,
        WORKSHOPS.c.centre_name,
        WORKSHOPS.c.source,
        WORKSHOPS.c.status,
        WORKSHOPS.c.opened_at,
        WORKSHOPS.c.closed_at,
        WORKSHOPS.c.revision,
        WORKSHOPS.c.version_id,
        WORKSHOPS.c.opened_by,
    )

    def get(self, workshop_id: int) -> Workshop:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(*self._COLUMNS).where(WORKSHOPS.c.id == workshop_id)).first()
        if row is None:
            raise WorkshopError("unknown_workshop")
        return self._workshop(row)

    def by_code(self, code: str | None) -> Workshop | None:
        """The workshop a join code names (any case, spaces ignored), open or not."""
        wanted = "".join(str(code or "").split()).upper()[: CODE_LENGTH * 2]
        if not wanted:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(*self._COLUMNS).where(WORKSHOPS.c.code == wanted)).first()
        return None if row is None else self._workshop(row)

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
        participants = (
            sa.select(sa.func.count())
            .select_from(PARTICIPANTS)
            .where(PARTICIPANTS.c.workshop_id == workshop_id)
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
        identical to the one before would only blur the centre's history."""
        moment = now or _now()
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
        with self.engine.begin() as connection:
            # closed_at holds the moment the close began, while it is "closing": an interrupted
            # close is found by it (recover_interrupted).
            claimed = connection.execute(
                WORKSHOPS.update()
                .where(WORKSHOPS.c.id == workshop_id)
                .where(WORKSHOPS.c.status == "open")
                .values(status="closing", closed_at=moment)
            ).rowcount
        if not claimed:
            workshop = self.get(workshop_id)
            if workshop.version_id is not None:
                return self.store.version(workshop.version_id)
            raise WorkshopError("closing")
        try:
            from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

            workshop = self.get(workshop_id)
            # The version a close interrupted after its import is taken, not imported twice.
            version = self._closed_into(workshop)
            if version is None:
                raw = self.workbook(workshop_id)
                data = workbook_bytes(write_raw_workbook(raw, "fr", raw.problems, write_only=True))
                name = f"{workshop.centre_name} - atelier {moment:%Y-%m-%d} ({workshop.code}).xlsx"
                version = (importer or self.store.import_files)(
                    [InputFile(name, data)], batch=None, now=moment, again=True
                )
        except BaseException:
            with self.engine.begin() as connection:
                connection.execute(WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id).values(status="open"))
            raise
        with self.engine.begin() as connection:
            connection.execute(
                WORKSHOPS.update()
                .where(WORKSHOPS.c.id == workshop_id)
                .values(status="closed", closed_at=moment, version_id=version.id, revision=WORKSHOPS.c.revision + 1)
            )
        return version

    def _closed_into(self, workshop: Workshop) -> Version | None:
        """The version a close of this workshop already imported (its file names the code)."""
        ending = f"({workshop.code}).xlsx"
        return next((v for v in self.store.versions(centre=workshop.centre_name) if v.file_name.endswith(ending)), None)

    def recover_interrupted(self, now: dt.datetime | None = None) -> int:
        """Open again the workshops whose close was interrupted (the server killed, the database
        restarted) more than ``CLOSING_STALE`` ago: they can then be closed once more, and the
        version an interrupted close made is taken rather than made twice."""
        with self.engine.begin() as connection:
            return connection.execute(
                WORKSHOPS.update()
                .where(WORKSHOPS.c.status == "closing")
                .where(WORKSHOPS.c.closed_at < (now or _now()) - CLOSING_STALE)
                .values(status="open", closed_at=None)
            ).rowcount

    # A centre's workshops (the GDPR's rights of access and erasure) ---------------------------------
    @staticmethod
    def _of_centre(connection, key: str, version_ids: list[int]) -> list[int]:
        """The workshops held about a centre: those run on it (its name, as the store keys
        centres) and those closed into one of its versions."""
        rows = connection.execute(sa.select(WORKSHOPS.c.id, WORKSHOPS.c.centre_name, WORKSHOPS.c.version_id)).all()
        kept = set(version_ids)
        return [row.id for row in rows if row.version_id in kept or normalise_reference(row.centre_name) == key]

    def centre_archive(self, key: str, version_ids: list[int]) -> list[dict]:
        """Every workshop held about a centre, whole: its fields, the workbook it started from,
        its journal and the proposals the room sent (``access.centre_export``)."""
        with self.engine.connect() as connection:
            archive = []
            for workshop_id in self._of_centre(connection, key, version_ids):
                row = connection.execute(sa.select(WORKSHOPS).where(WORKSHOPS.c.id == workshop_id)).one()._mapping
                entries = connection.execute(
                    sa.select(ENTRIES).where(ENTRIES.c.workshop_id == workshop_id).order_by(ENTRIES.c.seq)
                ).all()
                proposals = connection.execute(
                    sa.select(PROPOSALS).where(PROPOSALS.c.workshop_id == workshop_id).order_by(PROPOSALS.c.id)
                ).all()
                archive.append(
                    {
                        **dict(row),
                        "journal": [dict(e._mapping) for e in entries],
                        "proposals": [dict(p._mapping) for p in proposals],
                    }
                )
        return archive

    @classmethod
    def erase_centre(cls, connection, key: str, version_ids: list[int]) -> int:
        """Remove every workshop held about a centre, with its journal, participants and
        proposals, inside the erasure's transaction (``Store.erase_centre``'s ``also``)."""
        found = cls._of_centre(connection, key, version_ids)
        if found:
            for table in (PROPOSALS, PARTICIPANTS, ENTRIES):
                connection.execute(table.delete().where(table.c.workshop_id.in_(found)))
            connection.execute(WORKSHOPS.delete().where(WORKSHOPS.c.id.in_(found)))
        return len(found)

    # The workbook ----------------------------------------------------------------------------------
    def _active_changes(self, connection, workshop_id: int, upto: int | None = None):
        query = (
            sa.select(ENTRIES.c.changes)
            .where(ENTRIES.c.workshop_id == workshop_id)
            .where(ENTRIES.c.state == "active")
            .order_by(ENTRIES.c.seq)
        )
        if upto is not None:
            query = query.limit(upto)
        return connection.execute(query).scalars()

    def workbook(self, workshop_id: int) -> RawWorkbook:
        """The workshop's workbook now: its start with every active change applied. Shared by
        every caller of this process until the next change: do not modify it."""
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(WORKSHOPS.c.revision, WORKSHOPS.c.base_raw).where(WORKSHOPS.c.id == workshop_id)
            ).first()
            if row is None:
                raise WorkshopError("unknown_workshop")
            kept = self._states.get(workshop_id)
            if kept is not None and kept[0] == row.revision:
                return kept[1]
            raw = RawWorkbook.from_dict(row.base_raw)
            for changes in self._active_changes(connection, workshop_id):
                editing.apply_changes(raw, changes)
        with self._lock:
            self._states[workshop_id] = (row.revision, raw)
        return raw

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
        """How many active changes the journal holds (the replay's last step)."""
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(ENTRIES)
                    .where(ENTRIES.c.workshop_id == workshop_id, ENTRIES.c.state == "active")
                ).scalar()
                or 0
            )

    # The journal -----------------------------------------------------------------------------------
    def _writable(self, connection, workshop_id: int) -> None:
        """Lock the workshop's row for this transaction (PostgreSQL: two writers take their
        turn; SQLite locks the file already) and check that it is open."""
        query = sa.select(WORKSHOPS.c.status).where(WORKSHOPS.c.id == workshop_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        status = connection.execute(query).scalar()
        if status is None:
            raise WorkshopError("unknown_workshop")
        if status != "open":
            raise WorkshopError("workshop_closed")

    def _bump(self, connection, workshop_id: int) -> None:
        connection.execute(
            WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id).values(revision=WORKSHOPS.c.revision + 1)
        )

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
                at=now or _now(),
                state="active",
                proposal_id=proposal_id,
            )
        )
        self._bump(connection, workshop_id)
        return seq

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
            Entry(row.id, row.seq, row.kind, row.summary, row.who, _aware(row.at), row.state, row.proposal_id)
            for row in rows
        ]

    def undo(self, workshop_id: int) -> Entry | None:
        """Take back the last active change (an accepted proposal goes back to the queue)."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            row = connection.execute(
                sa.select(ENTRIES.c.id, ENTRIES.c.proposal_id)
                .where(ENTRIES.c.workshop_id == workshop_id, ENTRIES.c.state == "active")
                .order_by(ENTRIES.c.seq.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            connection.execute(ENTRIES.update().where(ENTRIES.c.id == row.id).values(state="undone"))
            if row.proposal_id is not None:
                connection.execute(
                    PROPOSALS.update()
                    .where(PROPOSALS.c.id == row.proposal_id)
                    .values(status="pending", decided_at=None)
                )
            self._bump(connection, workshop_id)
        return next(e for e in self.journal(workshop_id) if e.id == row.id)

    def redo(self, workshop_id: int) -> Entry | None:
        """Make the change last taken back active again."""
        with self.engine.begin() as connection:
            self._writable(connection, workshop_id)
            row = connection.execute(
                sa.select(ENTRIES.c.id, ENTRIES.c.proposal_id)
                .where(ENTRIES.c.workshop_id == workshop_id, ENTRIES.c.state == "undone")
                .order_by(ENTRIES.c.seq)
                .limit(1)
            ).first()
            if row is None:
                return None
            connection.execute(ENTRIES.update().where(ENTRIES.c.id == row.id).values(state="active"))
            if row.proposal_id is not None:
                connection.execute(
                    PROPOSALS.update()
                    .where(PROPOSALS.c.id == row.proposal_id)
                    .values(status="accepted", decided_at=_now())
                )
            self._bump(connection, workshop_id)
        return next(e for e in self.journal(workshop_id) if e.id == row.id)

    # The room ----------------------------------------------------------------------------------------
    def join(
        self, code: str | None, token: str, now: dt.datetime | None = None, address: str | None = None
    ) -> tuple[Workshop, int]:
        """A phone joins with the workshop's code: the workshop and the participant's number.
        ``address`` is the phone's, when known: wrong codes from it are counted and logged, and
        it may bring only so many participants."""
        moment = now or _now()
        self._check_tries(address, moment)
        workshop = self.by_code(code)
        if workshop is None:
            self._failed_join(address, code, moment)
            raise WorkshopError("unknown_code")
        if not workshop.is_open:
            raise WorkshopError("workshop_closed")
        digest = _token_hash(token)
        with self.engine.begin() as connection:
            known = self._participant_id(connection, workshop.id, digest)
            if known is None:
                count = (
                    connection.execute(
                        sa.select(sa.func.count())
                        .select_from(PARTICIPANTS)
                        .where(PARTICIPANTS.c.workshop_id == workshop.id)
                    ).scalar()
                    or 0
                )
                if count >= PARTICIPANTS_LIMIT:
                    raise WorkshopError("room_full", limit=PARTICIPANTS_LIMIT)
                with self._lock:
                    from_address = self._by_address.setdefault((workshop.id, address), set())
                    if (
                        address is not None
                        and digest not in from_address
                        and len(from_address) >= PARTICIPANTS_PER_ADDRESS
                    ):
                        raise WorkshopError("room_full", limit=PARTICIPANTS_PER_ADDRESS)
                    from_address.add(digest)
                try:
                    with connection.begin_nested():
                        connection.execute(
                            PARTICIPANTS.insert().values(workshop_id=workshop.id, token_sha256=digest, joined_at=moment)
                        )
                except sa.exc.IntegrityError:
                    pass  # joined at the same instant from another tab: the same number
        return workshop, self._participant_number(workshop.id, digest)

    def _check_tries(self, address: str | None, moment: dt.datetime) -> None:
        if address is None:
            return
        with self._lock:
            recent = [t for t in self._failed.get(address, []) if moment - t < dt.timedelta(minutes=1)]
            self._failed[address] = recent
        if len(recent) >= FAILED_JOINS_PER_MINUTE:
            raise WorkshopError("too_many_tries", limit=FAILED_JOINS_PER_MINUTE)

    def _failed_join(self, address: str | None, code: str | None, moment: dt.datetime) -> None:
        """A wrong code: logged (someone guessing codes shows in the server's log), and counted
        against its address."""
        _LOG.warning("workshop join refused: unknown code %r from %s", str(code or "")[:20], address or "?")
        if address is not None:
            with self._lock:
                self._failed.setdefault(address, []).append(moment)

    def _participant_id(self, connection, workshop_id: int, digest: str) -> int | None:
        return connection.execute(
            sa.select(PARTICIPANTS.c.id).where(
                PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.token_sha256 == digest
            )
        ).scalar()

    def _participant_number(self, workshop_id: int, digest: str) -> int:
        with self.engine.connect() as connection:
            own = self._participant_id(connection, workshop_id, digest)
            return (
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(PARTICIPANTS)
                    .where(PARTICIPANTS.c.workshop_id == workshop_id, PARTICIPANTS.c.id <= own)
                ).scalar()
                or 0
            )

    def propose(self, code: str | None, token: str, answer: Answer, now: dt.datetime | None = None) -> int:
        """A participant's answer into the facilitator's queue; returns the proposal's id.
        Raises ``WorkshopError`` for a closed workshop or a flood, ``AnswerRefused`` for an
        answer that cannot be taken as it is."""
        kept, refusals = check_answer(answer)
        if refusals:
            raise AnswerRefused(refusals)
        workshop, _number = self.join(code, token, now)
        moment = now or _now()
        with self.engine.begin() as connection:
            self._writable(connection, workshop.id)
            participant = self._participant_id(connection, workshop.id, _token_hash(token))
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
        numbers = (
            sa.select(PARTICIPANTS.c.id, sa.func.row_number().over(order_by=PARTICIPANTS.c.id).label("number"))
            .where(PARTICIPANTS.c.workshop_id == workshop_id)
            .subquery()
        )
        query = (
            sa.select(
                PROPOSALS.c.id,
                numbers.c.number,
                PROPOSALS.c.answer,
                PROPOSALS.c.status,
                PROPOSALS.c.submitted_at,
                PROPOSALS.c.decided_at,
            )
            .join(numbers, numbers.c.id == PROPOSALS.c.participant_id)
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
                _aware(row.submitted_at),
                row.decided_at and _aware(row.decided_at),
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
        _refuse_rows_in_error(raw, changes)
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
                .values(status="accepted", decided_at=now or _now())
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
                .values(status="rejected", decided_at=now or _now())
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
                .values(status="rejected", decided_at=now or _now())
            ).rowcount
            if not taken:
                raise WorkshopError("already_decided")
            self._bump(connection, workshop_id)

    # The wall's positions ----------------------------------------------------------------------
    def layout(self, workshop_id: int, mode: str) -> dict[str, tuple[float, float]] | None:
        with self.engine.connect() as connection:
            kept = connection.execute(sa.select(WORKSHOPS.c.layout).where(WORKSHOPS.c.id == workshop_id)).scalar()
        positions = (kept or {}).get(mode)
        return None if positions is None else {node: (x, y) for node, (x, y) in positions.items()}

    def save_layout(self, workshop_id: int, mode: str, positions: dict[str, tuple[float, float]]) -> None:
        """Keep the wall's positions in the store: a reloaded wall, or a wall served by another
        process, places every node where the room saw it."""
        with self.engine.begin() as connection:
            kept = connection.execute(sa.select(WORKSHOPS.c.layout).where(WORKSHOPS.c.id == workshop_id)).scalar()
            layout = dict(kept or {})
            layout[mode] = {node: [x, y] for node, (x, y) in positions.items()}
            connection.execute(WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id).values(layout=layout))


def _edited_part(raw: RawWorkbook, change: dict) -> object:
    """The part of a workbook that a change of a whole table (or of the Centre sheet) replaces."""
    if change["op"] == "centre":
        return editing.centre_dict(raw)
    table = raw.tables.get(change["table"])
    return None if table is None else table.to_dict()


def _names(raw: RawWorkbook, code: str) -> list[str]:
    table = raw.tables.get(code)
    return [str(r.cells["name"]) for r in (table.rows if table else []) if r.cells.get("name") not in (None, "")]


def map_names(raw: RawWorkbook) -> list[str]:
    """The actors' and activities' names of a workbook, and the centre's: what a participant
    may pick as "who" and "to whom"."""
    centre = raw.centre_fields.get("name", (None,))[0]
    names = ([str(centre)] if centre else []) + _names(raw, "actors") + _names(raw, "activities")
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(normalise_reference(name), name)
    return list(unique.values())


def actor_names(raw: RawWorkbook) -> list[str]:
    return _names(raw, "actors")


def accepted_changes(raw: RawWorkbook, answer: Answer) -> list[dict]:
    """What an accepted answer adds: the actor when its name is new, the flow, and the flow back
    when something comes back. Words are written as a French workbook writes them."""
    known = {normalise_reference(n) for n in map_names(raw)}
    additions: list[tuple[str, dict[str, object]]] = []
    for name, category in ((answer.who, answer.who_category), (answer.target, None)):
        if normalise_reference(name) not in known:
            additions.append(("actors", {"name": name, "category": CATEGORIES.short(category or "autre", "fr")}))
            known.add(normalise_reference(name))
    value = answer.quantity if answer.unit == "€" else None
    additions.append(
        (
            "flows",
            {
                "source": answer.who,
                "target": answer.target,
                "nature": NATURES.short(answer.nature, "fr"),
                "quantity": answer.quantity,
                "unit": answer.unit,
                "value": value,
                "description": answer.comment,
            },
        )
    )
    if answer.back:
        additions.append(
            ("flows", {"source": answer.target, "target": answer.who, "nature": NATURES.short(answer.back, "fr")})
        )
    return editing.new_rows(raw, additions)


def _refuse_rows_in_error(raw: RawWorkbook, changes: list[dict]) -> None:
    """An accepted or merged proposal is read as the rows it adds would be: one of them in error
    (a flow from the centre to itself after a merge, say) is refused with its reason, before
    anything is written, rather than found after closing."""
    from valuechain.model import row_from_list
    from valuechain.reading.validation import validate

    trial = RawWorkbook.from_dict(raw.to_dict())
    editing.apply_changes(trial, changes)
    added = {(change["table"], row_from_list(change["row"]).row) for change in changes if change["op"] == "add_row"}
    for problem in validate(trial).errors:
        if (problem.table, problem.row) in added:
            raise WorkshopError("row_refused", problem=problem)


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


def join_qr_png(address: str, scale: int = 10) -> bytes:
    """The join address as a QR code (PNG), made here by segno: no service is asked."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(address, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def who_text(who: str, lang: str) -> str:
    """Who made a change, as the journal says it: the facilitator, or a participant's number."""
    from valuechain.words.messages import say

    if who.startswith("participant:"):
        return say("workshop", "who_participant", lang, number=who.split(":", 1)[1])
    return say("workshop", "who_facilitator", lang)


def entry_text(entry: Entry, lang: str) -> str:
    """What a journal entry did, in a sentence of the user's language."""
    from valuechain.vocabulary import TABLES_BY_CODE
    from valuechain.words.messages import say

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

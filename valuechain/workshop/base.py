"""What every part of ``Workshops`` stands on: the store, a workshop as its row says it
(``Workshop``), its join code, and the lock a writer takes before it changes a workshop."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import sqlalchemy as sa

from valuechain.errors import WorkshopError
from valuechain.model import RawWorkbook
from valuechain.store.db import Memory, Store
from valuechain.store.schema import WORKSHOPS

# Join codes: short, read aloud and typed on a phone; no 0/O, 1/I/L to mistake.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


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


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC): make them say so."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


class WorkshopsBase:
    """The workshops of a store: finding one, and the turn a writer takes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        # The workbook of each workshop at its last revision, per process: rebuilt when the
        # store says the revision moved (another process may have written it), forgotten when
        # any process erased a centre (``_states``).
        self._workbooks = Memory(store)
        self._lock = threading.Lock()

    @property
    def _states(self) -> dict[int, tuple[int, RawWorkbook]]:
        """The workbooks this process keeps, by workshop id (never given twice) and revision,
        once the store said no centre was erased since they were kept."""
        return self._workbooks.trusted()

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

    def _workshop(self, row) -> Workshop:
        return Workshop(
            id=row.id,
            code=row.code,
            centre_name=row.centre_name,
            source=row.source,
            status=row.status,
            opened_at=aware(row.opened_at),
            closed_at=row.closed_at and aware(row.closed_at),
            revision=row.revision,
            version_id=row.version_id,
            opened_by=row.opened_by,
        )

    def get(self, workshop_id: int) -> Workshop:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(*self._COLUMNS).where(WORKSHOPS.c.id == workshop_id)).first()
        if row is None:
            raise WorkshopError("unknown_workshop")
        return self._workshop(row)

    def by_code(self, code: str | None) -> Workshop | None:
        """The workshop a join code names (any case, spaces ignored), open or not. Text with
        any other character names none, and is not looked for (a NUL, say, which PostgreSQL
        refuses to compare)."""
        wanted = "".join(str(code or "").split()).upper()
        if not wanted or len(wanted) > CODE_LENGTH * 2 or not set(wanted) <= set(CODE_ALPHABET):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(*self._COLUMNS).where(WORKSHOPS.c.code == wanted)).first()
        return None if row is None else self._workshop(row)

    # The turn a writer takes ---------------------------------------------------------------------
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
        """One more revision: every screen that looks at the workshop draws it again."""
        connection.execute(
            WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id).values(revision=WORKSHOPS.c.revision + 1)
        )

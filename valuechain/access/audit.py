"""The audit log: what each person did, or was refused, on the store (the ``audit`` table),
read by a federation's admins and written out as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from valuechain.store.db import Store
from valuechain.store.schema import AUDIT
from valuechain.words.messages import say

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class AuditEntry:
    at: dt.datetime
    person: str
    action: str
    federation: str | None
    centre: str | None
    version_id: int | None
    detail: str | None


def write(
    connection,
    person: str,
    action: str,
    federation: str | None = None,
    centre: str | None = None,
    version_id: int | None = None,
    detail: str | None = None,
) -> None:
    """One line of the log, in the transaction of what it tells (``connection``)."""
    connection.execute(
        AUDIT.insert().values(
            at=dt.datetime.now(dt.timezone.utc),
            person=person,
            action=action,
            federation=federation,
            centre=centre,
            version_id=version_id,
            detail=(detail or None) and detail[:500],
        )
    )


def read_entries(store: Store, federation: str | None, limit: int | None = None) -> list[AuditEntry]:
    """A federation's log (every federation's: ``None``), newest first, the latest ``limit``
    entries or all."""
    query = sa.select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc())
    if federation is not None:
        query = query.where(AUDIT.c.federation == federation)
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [AuditEntry(r.at, r.person, r.action, r.federation, r.centre, r.version_id, r.detail) for r in rows]


def audit_table(entries: list[AuditEntry], lang: str, local_time: Callable[[dt.datetime], dt.datetime]) -> pd.DataFrame:
    """The audit log as a table to read on screen: times as the reader lives them
    (``local_time``; the store keeps UTC), the actions in words, an empty cell for what an
    entry does not name (never "None")."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                say("access", "audit_at", lang): f"{local_time(e.at):%Y-%m-%d %H:%M:%S}",
                say("access", "audit_person", lang): e.person,
                say("access", "audit_action", lang): say("access", f"action_{e.action}", lang),
                say("access", "audit_centre", lang): e.centre or "",
                say("access", "audit_version", lang): str(e.version_id or ""),
                say("access", "audit_detail", lang): e.detail or "",
            }
            for e in entries
        ]
    )


def audit_csv(entries: list[AuditEntry], lang: str = "fr") -> str:
    """The audit log as CSV (UTF-8, one line per entry). Cells that a spreadsheet would take
    for a formula are written as text (a leading apostrophe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            say("access", f"audit_{column}", lang)
            for column in ("at", "person", "action", "federation", "centre", "version", "detail")
        ]
    )
    for e in entries:
        cells = [
            e.at.isoformat(timespec="seconds") if e.at else "",
            e.person,
            say("access", f"action_{e.action}", lang),
            e.federation or "",
            e.centre or "",
            e.version_id or "",
            e.detail or "",
        ]
        writer.writerow([_as_text(c) for c in cells])
    return buffer.getvalue()


def _as_text(cell: object) -> object:
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell

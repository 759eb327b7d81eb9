"""The audit log: what each person did, or was refused, on the store (the ``audit`` table),
read by a federation's admins and written out as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa

from valuechain.store.db import Store
from valuechain.store.schema import AUDIT, CENTRES, VERSIONS
from valuechain.vocabulary import normalise_reference
from valuechain.words.messages import say

if TYPE_CHECKING:
    import pandas as pd


class Action(StrEnum):
    """Every action the log can hold: the one list, each with its words in the catalogue
    (``access``/``action_<code>``). ``write`` takes no other, so that no display of the log
    meets an action it cannot say."""

    IMPORT = "import"
    OPEN = "open"
    ORIGINAL = "original"  # a version's original file downloaded
    EXPORT = "export"
    DELETE = "delete"
    RESTORE = "restore"
    PURGE = "purge"  # deleted for good after KEPT_DELETED
    GRANT = "grant"
    REVOKE = "revoke"
    SETTING = "setting"
    ERASE = "erase"
    CENTRE_EXPORT = "centre_export"
    REFUSED = "refused"
    WORKSHOP_OPEN = "workshop_open"
    MATCH = "match"  # an actor match confirmed, undone or forgotten on Évolution
    READ = "read"  # a centre's stored content shown (its years on Évolution, its figures year after year)


def action_words(action: str, lang: str) -> str:
    """An action of the log in words. One this version does not know (a row written by a newer
    one) is shown as its code under a neutral label, never as an error: the log stays readable."""
    try:
        known = Action(action)
    except ValueError:
        return say("access", "action_unknown", lang, code=action)
    return say("access", f"action_{known}", lang)


@dataclass
class AuditEntry:
    at: dt.datetime
    person: str
    action: str
    federation: str | None
    centre: str | None
    version_id: int | None
    detail: str | None
    centre_id: int | None = None  # the centre the line is about, whatever it was called then


def write(
    connection,
    person: str,
    action: Action,
    federation: str | None = None,
    centre: str | None = None,
    version_id: int | None = None,
    detail: str | None = None,
    centre_id: int | None = None,
) -> None:
    """One line of the log, in the transaction of what it tells (``connection``). It carries
    the id of the centre it is about (``centre_id``, else the centre of ``version_id``, else the
    centre ``centre`` names): a centre's export and erasure find it by that id, whatever the
    centre is called later."""
    if centre_id is None:
        centre_id = _centre_id(connection, centre, version_id)
    connection.execute(
        AUDIT.insert().values(
            at=dt.datetime.now(dt.timezone.utc),
            person=person,
            action=Action(action).value,  # ValueError for an action with no words
            federation=federation,
            centre=centre,
            centre_id=centre_id,
            version_id=version_id,
            detail=(detail or None) and detail[:500],
        )
    )


def _centre_id(connection, centre: str | None, version_id: int | None) -> int | None:
    if version_id is not None:
        found = connection.execute(sa.select(VERSIONS.c.centre_id).where(VERSIONS.c.id == version_id)).scalar()
        if found is not None:
            return found
    if centre:
        return connection.execute(
            sa.select(CENTRES.c.id).where(CENTRES.c.key == normalise_reference(centre)[:300])
        ).scalar()
    return None


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
    return [
        AuditEntry(r.at, r.person, r.action, r.federation, r.centre, r.version_id, r.detail, r.centre_id) for r in rows
    ]


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
                say("access", "audit_action", lang): action_words(e.action, lang),
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
            action_words(e.action, lang),
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

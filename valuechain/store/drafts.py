"""A person's work in progress outside a workshop, kept in the store: the workbook they gave
(or the stored version they opened) and their edits, so that a reload (F5) or a restarted
server loses nothing. "Revenir au classeur d'origine" drops the edits; choosing a sample drops
the draft.

A draft belongs to a person (the laptop's owner, or a signed-in e-mail) and to one browser tab:
the tab's key is in its address (``?brouillon=``), which a reload keeps. Another tab, or another
person at the same laptop, starts from the sample and never sees it; the key alone opens nothing
for another person. A stored version a draft names is asked of ``access`` again at every run,
drafts untouched for ``KEPT`` are removed, and a centre's erasure removes the drafts about it.

The edits are kept as what they change of the workbook the files read (a few rows, not the
whole workbook at every edit: issue 35); a draft kept whole by an earlier release still loads."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from valuechain.errors import UnreadableWorkbook
from valuechain.model import RawWorkbook
from valuechain.reading.inputs import InputFile
from valuechain.store.db import Store, unzip, zip_of
from valuechain.store.schema import CENTRES, DRAFTS, VERSIONS
from valuechain.vocabulary import normalise_reference

KEPT = dt.timedelta(days=30)


@dataclass(frozen=True)
class Draft:
    files: tuple[InputFile, ...]
    edited: RawWorkbook | None
    opened_version: int | None
    # Edits kept over files that no longer read as they did: the files come back, not the edits.
    edits_lost: bool = False


# How the edits are kept: over the workbook the files read (``editing.edits_over``), marked so;
# a draft kept before holds the whole edited workbook (``RawWorkbook.to_dict``), read as it is.
EDITS_FORMAT = "edits-over-files"


def new_tab_key() -> str:
    return secrets.token_urlsafe(12)


class Drafts:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def keep(
        self,
        person: str,
        tab: str,
        files: tuple[InputFile, ...],
        centre_name: str,
        edited: RawWorkbook | None = None,
        opened_version: int | None = None,
        now: dt.datetime | None = None,
        files_centre: str | None = None,
        read: RawWorkbook | None = None,
    ) -> None:
        """Keep (or replace) the draft of ``person`` in tab ``tab``; drafts left for ``KEPT`` go.
        ``centre_name`` is the centre as shown (edits included), ``files_centre`` as its files
        name it: the draft is filed under the stored centre of the version it opened, else of
        its files, else of the name shown, so that the centre's erasure finds it by its id.
        ``read``, the workbook as ``files`` read: the edits are kept as what they change of it
        (a few rows, not 20,000 at every edit), else whole."""
        moment = now or dt.datetime.now(dt.timezone.utc)
        if edited is None:
            kept = None
        elif read is not None:
            from valuechain.workbook.editing import edits_over  # (pandas: never on the command line's path)

            kept = {"format": EDITS_FORMAT, **edits_over(read, edited)}
        else:
            kept = edited.to_dict()
        values = dict(
            centre_key=normalise_reference(centre_name)[:300],
            centre_id=self._centre_id(opened_version, files_centre, centre_name),
            files=_zipped(files),
            edited=kept,
            opened_version=opened_version,
            updated_at=moment,
        )
        mine = (DRAFTS.c.person == person) & (DRAFTS.c.tab == tab[:64])
        # The files are written again only when they changed (an edit changes the edits alone).
        same_files = mine & (DRAFTS.c.files == values["files"])
        edits = {name: value for name, value in values.items() if name != "files"}
        with self.engine.begin() as connection:
            if (
                not connection.execute(DRAFTS.update().where(same_files).values(**edits)).rowcount
                and not connection.execute(DRAFTS.update().where(mine).values(**values)).rowcount
            ):
                connection.execute(DRAFTS.insert().values(person=person, tab=tab[:64], **values))
            connection.execute(DRAFTS.delete().where(DRAFTS.c.updated_at < moment - KEPT))

    def _centre_id(self, opened_version: int | None, *names: str | None) -> int | None:
        with self.engine.connect() as connection:
            if opened_version is not None:
                found = connection.execute(
                    sa.select(VERSIONS.c.centre_id).where(VERSIONS.c.id == opened_version)
                ).scalar()
                if found is not None:
                    return found
            for name in filter(None, names):
                found = connection.execute(
                    sa.select(CENTRES.c.id).where(CENTRES.c.key == normalise_reference(name)[:300])
                ).scalar()
                if found is not None:
                    return found
        return None

    def get(
        self, person: str, tab: str, read: Callable[[tuple[InputFile, ...]], RawWorkbook | None] | None = None
    ) -> Draft | None:
        """The draft of ``person`` in tab ``tab``, its edits made again over its files as
        ``read`` reads them (the dashboard's cached reading; else read here, guarded). Edits
        that no longer fit their files (read otherwise since) are lost, and the draft says so."""
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(DRAFTS).where(DRAFTS.c.person == person).where(DRAFTS.c.tab == str(tab)[:64])
            ).first()
        if row is None:
            return None
        files = tuple(unzip(row.files))
        if row.edited is None:
            return Draft(files, None, row.opened_version)
        if row.edited.get("format") != EDITS_FORMAT:  # kept whole, before the edits were kept alone
            return Draft(files, RawWorkbook.from_dict(row.edited), row.opened_version)
        from valuechain.workbook.editing import with_edits

        base = read(files) if read is not None else _read(files)
        try:
            if base is None:
                raise ValueError("files unreadable now")
            return Draft(files, with_edits(base, row.edited), row.opened_version)
        except (KeyError, TypeError, ValueError, IndexError):  # EditsDoNotFit, or edits kept otherwise
            return Draft(files, None, row.opened_version, edits_lost=True)

    def drop(self, person: str, tab: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(DRAFTS.delete().where(DRAFTS.c.person == person).where(DRAFTS.c.tab == str(tab)[:64]))

    @staticmethod
    def erase_centre(connection, centre_id: int, key: str, version_ids: list[int]) -> int:
        """Inside a centre's erasure: every draft of it, whoever made it, by its id (the draft
        of a centre not yet stored when it was kept, by its name)."""
        about = (DRAFTS.c.centre_id == centre_id) | (DRAFTS.c.centre_key == key)
        if version_ids:
            about = about | DRAFTS.c.opened_version.in_(version_ids)
        return connection.execute(DRAFTS.delete().where(about)).rowcount


def _read(files: tuple[InputFile, ...]) -> RawWorkbook | None:
    """The workbook ``files`` read, in a guarded worker as every file a person gave is read."""
    from valuechain.reading.guard import read_guarded

    try:
        return read_guarded(list(files))
    except UnreadableWorkbook:
        return None


# The files of a draft, zipped once: an edit changes the edits, not the files (zipping a
# 20,000-flow workbook again at every edit took 60 ms). By the files' content, a few kept.
_ZIPPED: dict[tuple[tuple[str, bytes], ...], bytes] = {}
_ZIPPING = threading.Lock()  # (every session of the server runs in a thread of its own)


def _zipped(files: tuple[InputFile, ...]) -> bytes:
    key = tuple((file.name, hashlib.sha256(file.data).digest()) for file in files)
    with _ZIPPING:
        kept = _ZIPPED.get(key)
    if kept is None:
        kept = zip_of(list(files))
        with _ZIPPING:
            while len(_ZIPPED) >= 4:
                del _ZIPPED[next(iter(_ZIPPED))]
            _ZIPPED[key] = kept
    return kept

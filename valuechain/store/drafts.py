"""A person's work in progress outside a workshop, kept in the store: the workbook they gave
(or the stored version they opened) and their edits, so that a reload (F5) or a restarted
server loses nothing. "Revenir au classeur d'origine" drops the edits; choosing a sample drops
the draft.

A draft belongs to a person (the laptop's owner, or a signed-in e-mail) and to one browser tab:
the tab's key is in its address (``?brouillon=``), which a reload keeps. Another tab, or another
person at the same laptop, starts from the sample and never sees it; the key alone opens nothing
for another person. A stored version a draft names is asked of ``access`` again at every run,
drafts untouched for ``KEPT`` are removed, and a centre's erasure removes the drafts about it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

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
    ) -> None:
        """Keep (or replace) the draft of ``person`` in tab ``tab``; drafts left for ``KEPT`` go.
        ``centre_name`` is the centre as shown (edits included), ``files_centre`` as its files
        name it: the draft is filed under the stored centre of the version it opened, else of
        its files, else of the name shown, so that the centre's erasure finds it by its id."""
        moment = now or dt.datetime.now(dt.timezone.utc)
        values = dict(
            centre_key=normalise_reference(centre_name)[:300],
            centre_id=self._centre_id(opened_version, files_centre, centre_name),
            files=zip_of(list(files)),
            edited=None if edited is None else edited.to_dict(),
            opened_version=opened_version,
            updated_at=moment,
        )
        mine = (DRAFTS.c.person == person) & (DRAFTS.c.tab == tab[:64])
        with self.engine.begin() as connection:
            if not connection.execute(DRAFTS.update().where(mine).values(**values)).rowcount:
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

    def get(self, person: str, tab: str) -> Draft | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(DRAFTS).where(DRAFTS.c.person == person).where(DRAFTS.c.tab == str(tab)[:64])
            ).first()
        if row is None:
            return None
        edited = RawWorkbook.from_dict(row.edited) if row.edited is not None else None
        return Draft(tuple(unzip(row.files)), edited, row.opened_version)

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

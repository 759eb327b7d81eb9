"""A centre's workshops, whole: what the GDPR's rights of access and erasure reach of them (the
workbook each started from, its journal, its participants and the proposals the room sent)."""

from __future__ import annotations

import sqlalchemy as sa

from valuechain.store.schema import ENTRIES, PARTICIPANTS, PROPOSALS, WORKSHOPS
from valuechain.vocabulary import normalise_reference
from valuechain.workshop.base import WorkshopsBase


class ErasurePart(WorkshopsBase):
    """The workshops held about a centre, to give them whole or to erase them."""

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

"""A close interrupted (the server killed, the database restarted), finished or wholly undone
before anything else happens to its workshop.

A close marks its workshop "closing" with the digest of the very file it imports, made from the
journal at that revision; nothing changes a closing workshop. Whatever stopped it, the version
holding that file either exists (the close is finished with it: its phones were told "clos", and
they were right) or it does not (the close is undone, and the room goes on). No other version is
ever taken: a file that only carries the workshop's code in its name may lack the room's work."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from valuechain.store.schema import VERSIONS, WORKSHOPS
from valuechain.workshop.base import WorkshopsBase, aware, utc_now

# Undone only after this long: until then, the close may still be under way in another process.
# A close whose version exists is finished at once.
CLOSING_STALE = dt.timedelta(minutes=2)


class ClosingPart(WorkshopsBase):
    """Interrupted closes, settled."""

    def _version_of_close(self, connection, workshop_id: int) -> int | None:
        """The version holding the file a close of this workshop was importing, if it was kept."""
        return connection.execute(
            sa.select(VERSIONS.c.id)
            .join(WORKSHOPS, WORKSHOPS.c.closing_sha256 == VERSIONS.c.file_sha256)
            .where(WORKSHOPS.c.id == workshop_id, VERSIONS.c.deleted_at.is_(None))
            .order_by(VERSIONS.c.id)
            .limit(1)
        ).scalar()

    def recover_interrupted(self, now: dt.datetime | None = None) -> int:
        """Settle the closes that were interrupted: finished with the version they imported,
        else, ``CLOSING_STALE`` after they began, undone (the workshop open again, to be closed
        once more). Returns how many were settled."""
        moment = now or utc_now()
        settled = 0
        with self.engine.begin() as connection:
            closing = connection.execute(
                sa.select(WORKSHOPS.c.id, WORKSHOPS.c.closed_at).where(WORKSHOPS.c.status == "closing")
            ).all()
            for workshop_id, began in closing:
                version_id = self._version_of_close(connection, workshop_id)
                done = WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id, WORKSHOPS.c.status == "closing")
                if version_id is not None:
                    settled += connection.execute(
                        done.values(status="closed", version_id=version_id, revision=WORKSHOPS.c.revision + 1)
                    ).rowcount
                elif began is None or aware(began) < moment - CLOSING_STALE:
                    settled += connection.execute(
                        done.values(status="open", closed_at=None, closing_sha256=None)
                    ).rowcount
        return settled

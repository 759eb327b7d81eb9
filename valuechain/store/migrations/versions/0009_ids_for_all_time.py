"""Ids for all time, and traces that know their centre (issue 33.1 and 33.9).

SQLite gave the id of a removed last row to the next row: after an erasure, the next workshop
(another centre's) took the erased one's id, and what processes kept under it served the erased
centre as the other's. Every table numbered by an id is rebuilt on SQLite with AUTOINCREMENT
(rows kept; SQLite's counter starts after the largest id the table holds); PostgreSQL's sequences
never go back and are left as they are. The audit's lines and the drafts get the id of the centre
they are about, filled for the rows kept (by the name as the store keys centres, else by the
version they name), so that an erasure finds them whatever name they were written under. And a
table of erasures, which every process looks at before it trusts what it keeps in memory.

The store runs this with SQLite's foreign keys off (``Store.upgrade``): rebuilding a table drops
the old one, and with them on, the drop would delete, by cascade, every row that refers to it.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

NUMBERED = (
    "centres",
    "versions",
    "roles",
    "audit",
    "workshops",
    "workshop_entries",
    "workshop_participants",
    "workshop_proposals",
)
ERASED_LABEL = "#% (effacé / erased)"  # how the audit names a centre already erased


def _key(name: str) -> str:
    """A centre's key as the store made it when 0009 was written (``normalise_reference``)."""
    return " ".join(name.split()).casefold()


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("0009 rebuilds tables: run it through Store.migrating (foreign keys off), never with them on")
    for table in NUMBERED:
        with op.batch_alter_table(
            table, recreate="always" if sqlite else "auto", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            if table == "audit":
                batch.add_column(sa.Column("centre_id", sa.Integer))
                batch.create_index("audit_by_centre", ["centre_id"])
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("centre_id", sa.Integer))
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("centre_id", sa.Integer),
        sqlite_autoincrement=True,
    )

    centres = sa.table("centres", sa.column("id"), sa.column("key"))
    versions = sa.table("versions", sa.column("id"), sa.column("centre_id"))
    audit = sa.table("audit", sa.column("centre"), sa.column("centre_id"), sa.column("version_id"))
    drafts = sa.table("drafts", sa.column("centre_key"), sa.column("centre_id"), sa.column("opened_version"))
    by_key = {row.key: row.id for row in bind.execute(sa.select(centres.c.id, centres.c.key))}
    # An audit line names its centre as it was called then: by that name as the store keys it...
    for (name,) in bind.execute(sa.select(audit.c.centre).where(audit.c.centre.is_not(None)).distinct()).all():
        if _key(name) in by_key:
            bind.execute(audit.update().where(audit.c.centre == name).values(centre_id=by_key[_key(name)]))
    # ... else by the version it names (not for a centre already erased: before 0009, its
    # versions' ids may have been given since to another centre's).
    bind.execute(
        audit.update()
        .where(audit.c.centre_id.is_(None))
        .where(audit.c.version_id.is_not(None))
        .where(sa.or_(audit.c.centre.is_(None), ~audit.c.centre.like(ERASED_LABEL)))
        .values(centre_id=sa.select(versions.c.centre_id).where(versions.c.id == audit.c.version_id).scalar_subquery())
    )
    # A draft is about the centre of the version it opened, else of the name it was filed under.
    bind.execute(
        drafts.update()
        .where(drafts.c.opened_version.is_not(None))
        .values(
            centre_id=sa.select(versions.c.centre_id).where(versions.c.id == drafts.c.opened_version).scalar_subquery()
        )
    )
    bind.execute(
        drafts.update()
        .where(drafts.c.centre_id.is_(None))
        .values(centre_id=sa.select(centres.c.id).where(centres.c.key == drafts.c.centre_key).scalar_subquery())
    )


def downgrade() -> None:
    # The ids stay numbered for all time (AUTOINCREMENT): 0008 reads them alike.
    op.drop_table("erasures")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("centre_id")
    with op.batch_alter_table("audit") as batch:
        batch.drop_index("audit_by_centre")
        batch.drop_column("centre_id")

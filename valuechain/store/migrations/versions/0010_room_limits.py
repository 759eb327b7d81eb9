"""The room's limits in the store, and closes that are finished or undone (issue 33.5 and 33.7).

A workshop knows when it last changed (an idle one takes no phone) and, while it closes, the
digest of the file its close imports. A participant keeps its number when others leave, the
digest of the address it came from, when it was last seen, the last number given, and whether the facilitator evicted
it. The wrong tries (join codes, the facilitator's key) are counted in the store, per minute, so
that every process of a server counts them alike.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.add_column("workshops", sa.Column("touched_at", sa.DateTime(timezone=True)))
    op.add_column("workshops", sa.Column("closing_sha256", sa.String(64)))
    op.add_column("workshops", sa.Column("last_number", sa.Integer))
    op.add_column("workshop_participants", sa.Column("number", sa.Integer))
    op.add_column("workshop_participants", sa.Column("address", sa.String(64)))
    op.add_column("workshop_participants", sa.Column("seen_at", sa.DateTime(timezone=True)))
    op.add_column("workshop_participants", sa.Column("evicted", sa.Boolean, nullable=False, server_default=sa.false()))
    # The numbers the room knew its participants by: their order of arrival in each workshop.
    participants = sa.table(
        "workshop_participants",
        sa.column("id"),
        sa.column("workshop_id"),
        sa.column("number"),
        sa.column("joined_at"),
        sa.column("seen_at"),
    )
    earlier = participants.alias("earlier")
    op.get_bind().execute(
        participants.update().values(
            number=sa.select(sa.func.count())
            .select_from(earlier)
            .where(earlier.c.workshop_id == participants.c.workshop_id, earlier.c.id <= participants.c.id)
            .scalar_subquery(),
            seen_at=participants.c.joined_at,
        )
    )
    workshops = sa.table("workshops", sa.column("id"), sa.column("last_number"))
    op.get_bind().execute(
        workshops.update().values(
            last_number=sa.select(sa.func.max(participants.c.number))
            .where(participants.c.workshop_id == workshops.c.id)
            .scalar_subquery()
        )
    )
    op.create_index("participant_numbers", "workshop_participants", ["workshop_id", "number"], unique=True)
    op.create_table(
        "room_tries",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("minute", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("room_tries")
    op.drop_index("participant_numbers", table_name="workshop_participants")
    with op.batch_alter_table("workshop_participants") as batch:
        for column in ("evicted", "seen_at", "address", "number"):
            batch.drop_column(column)
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("last_number")
        batch.drop_column("closing_sha256")
        batch.drop_column("touched_at")

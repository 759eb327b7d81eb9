"""A participant's place freed by the facilitator (issue 33.7, a flood of invented phones that
each proposed once): the phone keeps its number and its proposals, holds no place, and takes
one again when it comes back, within the room's limits.

Revision ID: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.add_column("workshop_participants", sa.Column("released_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("workshop_participants") as batch:
        batch.drop_column("released_at")

"""A person's word on how a centre's actors of one year match those of the year before (the
Évolution page): a pair confirmed (a funder renamed) or undone (two associations of one name).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "actor_matches",
        sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("current", sa.String(300), primary_key=True),
        sa.Column("previous", sa.String(300), primary_key=True),
        sa.Column("confirmed", sa.Boolean, nullable=False),
        sa.Column("decided_by", sa.String(320), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("actor_matches")

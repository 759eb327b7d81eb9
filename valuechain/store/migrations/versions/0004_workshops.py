"""Workshops that last: a workshop, its journal of changes, the room's proposals and its
participants, so that a refresh, a second laptop or a restarted server brings a workshop back
as it was, and two app processes on one PostgreSQL serve the same workshop. Adds tables only:
existing centres and versions are kept as they are.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("centre_name", sa.String(300), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("base_raw", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id", ondelete="SET NULL")),
        sa.Column("layout", sa.JSON),
    )
    op.create_table(
        "workshop_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("proposal_id", sa.Integer),
        sa.UniqueConstraint("workshop_id", "seq", name="one_seq_per_workshop"),
    )
    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workshop_id", "token_sha256", name="one_participant_per_token"),
    )
    op.create_table(
        "workshop_proposals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("workshop_participants.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Index("proposals_by_workshop", "workshop_id", "status"),
    )


def downgrade() -> None:
    op.drop_table("workshop_proposals")
    op.drop_table("workshop_participants")
    op.drop_table("workshop_entries")
    op.drop_table("workshops")

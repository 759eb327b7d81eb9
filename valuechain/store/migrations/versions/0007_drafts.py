"""A person's work in progress outside a workshop: the workbook they gave or opened, and their
edits, kept so that a reload (F5) or a restarted server loses nothing. One draft per person
and browser tab (the tab's key is in its address).

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("person", sa.String(320), primary_key=True),
        sa.Column("tab", sa.String(64), primary_key=True),
        sa.Column("centre_key", sa.String(300)),
        sa.Column("files", sa.LargeBinary, nullable=False),
        sa.Column("edited", sa.JSON),
        sa.Column("opened_version", sa.Integer),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")

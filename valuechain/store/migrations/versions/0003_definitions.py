"""Which definitions of the figures computed each version's stored figures, so that a
comparison never mixes figures computed by different definitions: versions kept before this
revision were computed by the first definitions (1); the store recomputes stale ones from
their stored tables (``Store.recompute``).

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("definitions", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("definitions")

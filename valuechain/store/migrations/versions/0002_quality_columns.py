"""Data-quality columns beside the figures, so comparisons of 2,300 centres need no JSON
parsing: share of value estimated, locality coverage, resources mobilised. Backfilled from
each version's stored figures.

Revision ID: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("resources_total", sa.Float))
        batch.add_column(sa.Column("estimated_share", sa.Float))
        batch.add_column(sa.Column("local_coverage", sa.Float))
    connection = op.get_bind()
    versions = sa.table("versions", sa.column("id", sa.Integer), sa.column("figures", sa.JSON),
                        sa.column("resources_total", sa.Float), sa.column("estimated_share", sa.Float),
                        sa.column("local_coverage", sa.Float))
    for version_id, figures in connection.execute(sa.select(versions.c.id, versions.c.figures)).all():
        figures = json.loads(figures) if isinstance(figures, str) else figures
        connection.execute(versions.update().where(versions.c.id == version_id).values(
            resources_total=figures.get("resources_total"), estimated_share=figures.get("estimated_share"),
            local_coverage=figures.get("local_coverage")))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("local_coverage")
        batch.drop_column("estimated_share")
        batch.drop_column("resources_total")

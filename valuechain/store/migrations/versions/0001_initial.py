"""The first schema: centres, and each imported workbook as a version.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "centres",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("town", sa.String(200)),
        sa.Column("department", sa.String(20)),
        sa.Column("federation", sa.String(300)),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE"), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch", sa.String(300)),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_data", sa.LargeBinary, nullable=False),
        sa.Column("raw", sa.JSON, nullable=False),
        sa.Column("problems", sa.JSON, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.UniqueConstraint("centre_id", "year", "number", name="one_number_per_centre_year"),
    )
    op.create_index("versions_by_year", "versions", ["year", "centre_id"])


def downgrade() -> None:
    op.drop_index("versions_by_year", table_name="versions")
    op.drop_table("versions")
    op.drop_table("centres")

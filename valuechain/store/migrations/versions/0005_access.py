"""A federation's shared deployment: who holds which role (kept in the store, so that every
app process gives the same answer), what each federation's admin chose for its analysts, an
audit log, who opened each workshop, and versions that are hidden when deleted (restorable for 30 days) rather than
removed. Existing versions stay visible; existing centres keep their federation.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("deleted_by", sa.String(320)))
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("opened_by", sa.String(320)))
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("federation", sa.String(300), nullable=False),
        sa.Column("centre_id", sa.Integer, sa.ForeignKey("centres.id", ondelete="CASCADE")),
        sa.Column("granted_by", sa.String(320), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("roles_by_person", "person"),
    )
    op.create_table(
        "federation_settings",
        sa.Column("federation", sa.String(300), primary_key=True),
        sa.Column("analysts_see_names", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person", sa.String(320), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("federation", sa.String(300)),
        sa.Column("centre", sa.String(300)),
        sa.Column("version_id", sa.Integer),
        sa.Column("detail", sa.String(500)),
        sa.Index("audit_by_federation", "federation", "at"),
    )


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_table("federation_settings")
    op.drop_table("roles")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("opened_by")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")

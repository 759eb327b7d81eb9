"""Who a person is, as their identity provider knows them: each e-mail given a role is bound,
at its first sign-in, to the provider's issuer and subject (the account), so that another
account that later claims the same e-mail (another provider, a reused address) is refused.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "identities",
        sa.Column("person", sa.String(320), primary_key=True),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("identities")

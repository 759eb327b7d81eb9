"""Signing out ends a session on the server too: Streamlit's ``st.logout`` deletes the cookie in
the browser that clicks, and a copy of it stayed good for 12 hours. A row per provider account
keeps the sign-in time of its latest session signed out; that session and every earlier one of
the account are refused (``valuechain.access.people.user_of``).

Revision ID: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "sign_outs",
        sa.Column("person", sa.String(320), primary_key=True),
        sa.Column("issuer", sa.String(500), primary_key=True),
        sa.Column("subject", sa.String(300), primary_key=True),
        sa.Column("last_ended_sign_in", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_outs")

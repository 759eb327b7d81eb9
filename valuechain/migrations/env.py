"""Alembic's environment for valuechain's store: runs on the connection the store hands over."""

from alembic import context

from valuechain.store import METADATA

connection = context.config.attributes.get("connection")
context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

"""Alembic's environment for valuechain's store: runs on the connection the store hands over,
or, from Alembic's own command line (alembic.ini), on the store the program would open."""

from alembic import context

from valuechain.store.db import Store
from valuechain.store.schema import METADATA

connection = context.config.attributes.get("connection")
if connection is None:
    # `alembic history` needs no database; `alembic current/upgrade/downgrade` open the store
    # with the same settings as the program (all-or-nothing transactions on SQLite).
    store = Store(upgrade=False)
    with store.migrating() as connection:
        context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    store.dispose()
else:
    context.configure(connection=connection, target_metadata=METADATA, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

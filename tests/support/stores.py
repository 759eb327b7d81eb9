"""The stores tests run against: SQLite files, and the machine's PostgreSQL when there is one."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

# CI sets nothing and has its own server, whose database ``test`` is the default. Every test run
# that reaches it empties it (``empty_postgres``) before and after each test: two runs on one
# machine both left on that default trample each other's tables without a word, so a run beside
# another (a developer's, an agent's) sets VALUECHAIN_TEST_POSTGRES_URL to a database of its own
# (``createdb test_<name>``).
POSTGRES_URL = os.environ.get("VALUECHAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_reachable() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as error:  # the reason goes into the skip message
        return f"no PostgreSQL server at {POSTGRES_URL.split('@')[-1]} ({type(error).__name__})"


def empty_postgres() -> None:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        # Every table of the test database, whichever migrations made them.
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def postgres_store():
    """The test PostgreSQL, empty before and after the test; the test is skipped, saying why,
    where there is none."""
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    empty_postgres()
    yield POSTGRES_URL
    empty_postgres()

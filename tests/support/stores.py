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


def forget_process_store(url: str) -> None:
    """The app's one store per process and database (``process_store``) dropped, with what the
    app's caches built on it (the room's workshops, a workshop's analysis): the test PostgreSQL
    is emptied between tests, and its next store must migrate it again. A deployment keeps its
    store for the process's life; only tests empty a database under a running app."""
    from dashboard.room import workshop_analysis
    from dashboard.visitor import workshops_of
    from valuechain.store import db as stores

    kept = stores._PROCESS_STORES.pop(url, None)
    if kept is not None:
        kept.dispose()
    for cached in (workshops_of, workshop_analysis):
        cached.clear()


def open_the_apps_store_at(url: str, monkeypatch) -> None:
    """The store the app itself opens (``dashboard.visitor.store``) made ``url``: a SQLite file
    by its path, or PostgreSQL by its address, as a deployment sets them; no store of an
    earlier test kept for it."""
    if url.startswith("sqlite"):
        monkeypatch.setenv("VALUECHAIN_STORE_PATH", url.removeprefix("sqlite:///"))
        monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("VALUECHAIN_DATABASE_URL", url)
    forget_process_store(url)

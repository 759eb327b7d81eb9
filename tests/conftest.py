"""What every group of tests shares: tests/helpers.py, tests/support/ and the sample builders
importable, a log folder and a store of the run's own, the stores (SQLite and PostgreSQL), and
each test marked with its group (``-m library``, ``-m "not browser"``…)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent / "sample_data"))
# The app's own packages (dashboard/, pages/) as the app sees them, whichever group runs alone:
# tests/dashboard/ is a folder of tests, never the app's dashboard package.
sys.path.append(str(TESTS.parent))

from support.stores import POSTGRES_URL, empty_postgres, postgres_reachable, postgres_store  # noqa: E402
from valuechain.incidents import configure_logging  # noqa: E402

# The log of faults goes to a folder of the test run's, never to the user's data folder (the
# servers the browser tests start inherit it).
os.environ.setdefault("VALUECHAIN_LOG_DIR", tempfile.mkdtemp(prefix="valuechain-test-logs-"))
# The test run is a program that uses the library: like the command line and the app, it sets
# the handlers, so that a fault met by a library test is in that log with its traceback.
configure_logging()
# Nor does any test touch the user's own store: the pages keep drafts in it as they run.
os.environ["VALUECHAIN_STORE_PATH"] = os.path.join(tempfile.mkdtemp(prefix="valuechain-test-store-"), "store.sqlite")


# The stores every group of tests uses (library, dashboard, browser): SQLite and PostgreSQL alike.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    yield from postgres_store()


@pytest.fixture
def pg_url():
    """PostgreSQL only: what two processes share."""
    yield from postgres_store()


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """One store for several app processes: the test PostgreSQL when the machine has it, else
    one SQLite file (the same test, without the server)."""
    if postgres_reachable() is None:
        empty_postgres()
        yield POSTGRES_URL
        empty_postgres()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('shared') / 'store.sqlite'}"


GROUPS = ("library", "dashboard", "browser", "hostile", "architecture")


def pytest_collection_modifyitems(items):
    """Each test carries its group's marker, from the folder it is in."""
    for item in items:
        group = item.path.parent.name
        if group in GROUPS:
            item.add_marker(group)

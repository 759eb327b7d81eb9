"""The hostile tests: files and requests made to break the program, and the servers they attack."""

from __future__ import annotations

import pytest

from support.browser import start_server, stop_server
from support.stores import POSTGRES_URL, empty_postgres, postgres_reachable


@pytest.fixture
def postgres_server(tmp_path_factory):
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    empty_postgres()
    process, url = start_server(tmp_path_factory, VALUECHAIN_DATABASE_URL=POSTGRES_URL)
    yield int(url.rsplit(":", 1)[1])
    stop_server(process)
    empty_postgres()

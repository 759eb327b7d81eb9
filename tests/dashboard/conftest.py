"""The dashboard's tests (Streamlit's AppTest): a federation's store with its people, and the
workshop room's store."""

from __future__ import annotations

import pytest

import support.room
from helpers import EMBRUNS, FALAISES, SEINE, TISSERANDS, WORKED_EXAMPLE_FILE
from valuechain import InputFile
from valuechain.access.people import Identity, first_admin, user_of
from valuechain.access.policy import ANALYST, MEMBER, User
from valuechain.access.service import Access


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """A federation's store: three sample centres and the worked example, an admin, a member of
    Les Embruns and an analyst of Seine-Maritime."""
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    from dashboard.visitor import store

    database = store()
    owner = Access(database, User.local_owner())
    for path in (EMBRUNS, FALAISES, TISSERANDS, WORKED_EXAMPLE_FILE):
        owner.import_files([InputFile.from_path(path)])
    first_admin(database, "admin@fd76.fr", SEINE)
    admin = Access(database, user_of(database, Identity("admin@fd76.fr", "Admin")))
    admin.grant("membre@embruns.fr", MEMBER, SEINE, database.centre_of_key("Association Les Embruns")["id"])
    admin.grant("analyste@fd76.fr", ANALYST, SEINE)
    yield database


@pytest.fixture
def room_store(tmp_path, monkeypatch):
    """A store of the test's own for the workshop's room (tests/support/room.py)."""
    yield from support.room.room_store(tmp_path, monkeypatch)

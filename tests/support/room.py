"""The workshop's room: a workshop open on the worked example, and under AppTest a store of the
test's own."""

from __future__ import annotations

from helpers import WORKED_EXAMPLE_FILE
from valuechain import InputFile
from valuechain.reading.reader import read_files


def room_store(tmp_path, monkeypatch):
    """A store of the test's own, each process-wide cache of the room emptied before and after
    (the room keeps its stores and workshops for every session of the process)."""
    import valuechain.store.db as db
    from dashboard.room import workshop_analysis
    from dashboard.visitor import workshops_of

    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "_PROCESS_STORES", {})
    for cached in (workshops_of, workshop_analysis):
        cached.clear()
    yield
    for cached in (workshops_of, workshop_analysis):
        cached.clear()
    for store in db._PROCESS_STORES.values():
        store.dispose()


def open_on_worked_example(workshops):
    """A workshop opened on the worked example by ``workshops``, as the facilitator opens one."""
    raw = read_files([InputFile.from_path(WORKED_EXAMPLE_FILE)])
    return workshops.open(raw, "Centre social des Tilleuls", WORKED_EXAMPLE_FILE.name)


def open_workshop():
    """A workshop opened on the worked example in the app's room: (the room's workshops, the
    workshop)."""
    from dashboard.room import workshops

    return workshops(), open_on_worked_example(workshops())

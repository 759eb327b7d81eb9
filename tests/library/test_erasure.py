"""A centre erased is erased for good, everywhere (issue 33.1 and 33.9): its ids never come back
for another centre, no process keeps it in memory, and every trace of it is found by its id,
whatever name the trace was written under; on SQLite and PostgreSQL alike, with two stores on one
database standing for two app processes (they share nothing but the database)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import sqlalchemy as sa

from helpers import EMBRUNS, FALAISES, SEINE
from valuechain import InputFile, load_paths
from valuechain.access.people import Identity, first_admin, user_of
from valuechain.access.policy import MEMBER, User
from valuechain.access.service import Access
from valuechain.errors import WorkshopError
from valuechain.store.db import Store
from valuechain.store.drafts import Drafts
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook
from valuechain.workshop.answers import Answer, actor_names, map_names
from valuechain.workshop.workshops import Workshops

ODETTE = Answer(
    who="Voisine Odette Tartempion", nature="benevolat", target="Association Les Embruns", who_category="habitants"
)


def _every_text_in_the_store(store: Store) -> str:
    """Every row of every table, as text: what an erasure must leave nothing of."""
    with store.engine.connect() as connection:
        return "\n".join(
            " | ".join(str(value) for value in row)
            for table in sa.inspect(connection).get_table_names()
            for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))
        )


@pytest.fixture
def two_processes(url):
    """Two stores on one database, the Embruns and the Falaises imported: one erases, the other
    serves the room (its workshops, its memory)."""
    erasing, serving = Store(url), Store(url)
    owner = Access(erasing, User.local_owner())
    for path in (EMBRUNS, FALAISES):
        owner.import_files([InputFile.from_path(path)])
    yield erasing, serving
    erasing.dispose()
    serving.dispose()


def _erase(store: Store, name: str) -> None:
    Access(store, User.local_owner()).erase_centre(store.centre_of_key(name)["id"])


def test_the_next_workshop_after_an_erasure_shows_offers_and_keeps_nothing_of_the_erased_centre(two_processes):
    """Issue 33.1: on SQLite the next workshop took the erased one's id; the caches keyed by
    (workshop, revision) then put the erased centre's map on the other centre's wall, its names
    on the phones, and its actors into the other centre's new version."""
    erasing, serving = two_processes
    room = Workshops(serving)
    embruns, falaises = load_paths([EMBRUNS]), load_paths([FALAISES])
    erased = room.open(embruns.raw, embruns.name, EMBRUNS.name)
    for phone in ("phone-1", "phone-2"):
        room.accept(erased.id, room.propose(erased.code, phone, ODETTE))
    assert "Voisine Odette Tartempion" in actor_names(room.workbook(erased.id))  # in this process's memory
    revision = room.get(erased.id).revision

    _erase(erasing, embruns.name)  # by the other process

    other = room.open(falaises.raw, falaises.name, FALAISES.name)
    assert other.id != erased.id  # an id is never given twice
    while room.get(other.id).revision < revision:  # the revision the erased workshop was cached at
        room.accept(other.id, room.propose(other.code, f"phone-{room.get(other.id).revision}", _marcel()))
    erased_names = (set(embruns.actors["name"]) - set(falaises.actors["name"])) | {"Voisine Odette Tartempion"}
    assert not erased_names & set(map_names(room.workbook(other.id)))  # the wall and the phones
    version = room.close(other.id, importer=Access(serving, User.local_owner()).import_files)
    assert version is not None and version.centre == falaises.name
    assert not erased_names & set(actor_names(serving.open(version.id).raw))  # the version it kept


def _marcel() -> Answer:
    return Answer(
        who="Voisin Marcel", nature="benevolat", target="Maison des habitants Les Falaises", who_category="habitants"
    )


def test_ids_of_erased_rows_are_never_given_again(two_processes):
    """Every table whose rows go away numbers its rows for all time (SQLite: AUTOINCREMENT)."""
    erasing, _ = two_processes
    embruns = erasing.centre_of_key("Association Les Embruns")
    falaises = erasing.centre_of_key("Maison des habitants Les Falaises")
    last_version = max(v.id for v in erasing.versions())
    _erase(erasing, "Maison des habitants Les Falaises")  # the last centre and version made
    again = Access(erasing, User.local_owner()).import_files([InputFile.from_path(FALAISES)])
    assert again.centre_id > max(embruns["id"], falaises["id"]) and again.id > last_version


def test_every_process_forgets_an_erased_centre_it_held_in_memory(two_processes, monkeypatch):
    """The chains the Évolution page keeps, and the workshop's analysis every screen of the room
    shares, were still in the other process's memory after the erasure."""
    from dashboard.room import workshop_analysis, workshops
    from dashboard.visitor import workshops_of
    from valuechain.store import db

    erasing, serving = two_processes
    kept = serving.versions(centre="Association Les Embruns")[0]
    serving.chain(kept)  # the Évolution page drew it

    # The dashboard's own process: its store, its room, its cache shared by every session.
    monkeypatch.setenv("VALUECHAIN_DATABASE_URL", serving.url)
    monkeypatch.setattr(db, "_PROCESS_STORES", {})
    for cached in (workshops_of, workshop_analysis):
        cached.clear()
    embruns = load_paths([EMBRUNS])
    workshop = workshops().open(embruns.raw, embruns.name, EMBRUNS.name)
    workshops().accept(workshop.id, workshops().propose(workshop.code, "phone-1", ODETTE))
    revision = workshops().get(workshop.id).revision
    assert "Voisine Odette Tartempion" in set(workshop_analysis(workshop.id, revision).workbook.actors["name"])

    _erase(erasing, embruns.name)

    with pytest.raises(sa.exc.NoResultFound):
        serving.chain(kept)  # built again from the store, which holds it no more
    workshops()  # the next page run of the dashboard's process
    with pytest.raises(WorkshopError):
        workshop_analysis(workshop.id, revision)
    for cached in (workshops_of, workshop_analysis):
        cached.clear()
    db._PROCESS_STORES[serving.url].dispose()


def _renamed(path, name: str) -> InputFile:
    """The workbook of ``path`` with its centre's name spelled ``name``."""
    raw = load_paths([path]).raw
    raw.centre_fields["name"] = (name, *raw.centre_fields["name"][1:])
    return InputFile(f"{name}.xlsx", workbook_bytes(write_raw_workbook(raw)))


def test_traces_written_under_another_spelling_of_the_centre_are_exported_and_erased(url):
    """Issue 33.9: an audit line written under the centre's older name, and a draft filed under a
    name edited on the Saisie page, were left by the erasure (and missing from the export)."""
    store = Store(url)
    owner = Access(store, User.local_owner())
    for path in (EMBRUNS, FALAISES):
        owner.import_files([InputFile.from_path(path)])
    first_admin(store, "admin@fd76.fr", SEINE)
    admin = Access(store, user_of(store, Identity("admin@fd76.fr", "Admin")))
    centre = store.centre_of_key("Association Les Embruns")
    admin.grant("membre@embruns.fr", MEMBER, SEINE, centre["id"])  # logged under "Association Les Embruns"
    owner.import_files([_renamed(EMBRUNS, "ASSOCIATION  LES EMBRUNS")])  # a version under another spelling
    # The stored name is kept (issue 34: an import no longer renames the centre); the version and
    # its audit line carry the other spelling, which the erasure must find all the same.
    assert store.centre(centre["id"])["name"] == "Association Les Embruns"
    edited = load_paths([EMBRUNS]).raw
    edited.centre_fields["name"] = ("Crèche des Embruns (nom en cours)", *edited.centre_fields["name"][1:])
    Drafts(store).keep(
        "membre@embruns.fr",
        "tab-1",
        (InputFile.from_path(EMBRUNS),),
        "Crèche des Embruns (nom en cours)",
        edited=edited,
        files_centre="Association Les Embruns",
    )

    archive = zipfile.ZipFile(io.BytesIO(admin.centre_export(centre["id"])))
    assert "membre@embruns.fr" in archive.read("audit.csv").decode()  # the grant, under the older name

    admin.erase_centre(centre["id"])
    text = _every_text_in_the_store(store)
    for trace in ("Les Embruns", "LES EMBRUNS", "Crèche des Embruns", "membre@embruns.fr"):
        assert trace not in text
    store.dispose()


def _insert(connection, table: str, **values) -> int:
    """A row as a store of 0008 kept it (written without today's code, which knows later columns)."""
    rows = sa.table(table, sa.column("id"), *(sa.column(name) for name in values))
    return connection.execute(rows.insert().values(**values).returning(rows.c.id)).scalar_one()


def test_the_migration_numbers_rows_for_all_time_and_finds_each_trace_s_centre(url):
    """Migration 0009 on a store of 0008: nothing lost (a workshop closed into a version keeps
    it, its journal and proposals stay), ids never given twice from then on, and the audit lines
    and drafts of each centre know its id (an audit line by the centre's name as the store keys
    it, a draft by the version it opened)."""
    store = Store(url, upgrade=False)
    store.upgrade("0008")
    now = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    with store.engine.begin() as connection:
        ids = {}
        for name in ("Association Les Embruns", "Maison des habitants Les Falaises"):
            centre = _insert(connection, "centres", key=name.casefold(), name=name)
            ids[name] = (
                centre,
                _insert(
                    connection,
                    "versions",
                    centre_id=centre,
                    year=2025,
                    number=1,
                    imported_at=now,
                    file_name=f"{name}.xlsx",
                    file_sha256="0" * 64,
                    file_data=b"",
                    raw="{}",
                    problems="[]",
                    figures="{}",
                    errors=0,
                    warnings=0,
                ),
            )
        embruns, embruns_version = ids["Association Les Embruns"]
        workshop = _insert(
            connection,
            "workshops",
            code="ABCDEF",
            centre_name="Association Les Embruns",
            source="x.xlsx",
            base_raw="{}",
            status="closed",
            opened_at=now,
            revision=3,
            version_id=embruns_version,
        )
        _insert(
            connection,
            "workshop_entries",
            workshop_id=workshop,
            seq=1,
            kind="accept",
            summary="{}",
            changes="[]",
            who="participant:1",
            at=now,
            state="active",
        )
        phone = _insert(connection, "workshop_participants", workshop_id=workshop, token_sha256="1" * 64, joined_at=now)
        _insert(
            connection,
            "workshop_proposals",
            workshop_id=workshop,
            participant_id=phone,
            answer="{}",
            status="accepted",
            submitted_at=now,
        )
        _insert(connection, "audit", at=now, person="a@b.fr", action="grant", centre="association les EMBRUNS")
        drafts = sa.table(
            *(
                "drafts",
                *(sa.column(c) for c in ("person", "tab", "centre_key", "files", "opened_version", "updated_at")),
            )
        )
        connection.execute(
            drafts.insert().values(
                person="local",
                tab="t",
                centre_key="autre nom",
                files=b"",
                opened_version=embruns_version,
                updated_at=now,
            )
        )
        before = {t: connection.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar() for t in TABLES}

    store.upgrade()
    with store.engine.connect() as connection:
        assert {
            t: connection.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar() for t in TABLES
        } == before
        assert connection.execute(sa.text("SELECT version_id FROM workshops")).scalar() == embruns_version
        assert connection.execute(sa.text("SELECT centre_id FROM audit")).scalar() == embruns
        assert connection.execute(sa.text("SELECT centre_id FROM drafts")).scalar() == embruns
    _erase(store, "Maison des habitants Les Falaises")  # the last centre and version made
    again = store.import_files([InputFile.from_path(FALAISES)])
    assert again.centre_id > ids["Maison des habitants Les Falaises"][0] and again.id > embruns_version + 1
    # The foreign keys still hold: the Embruns erased, its workshop goes with it.
    _erase(store, "Association Les Embruns")
    with store.engine.connect() as connection:
        assert all(
            connection.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar() == 0
            for t in ("workshops", "workshop_entries", "workshop_participants", "workshop_proposals", "drafts")
        )
    store.dispose()


TABLES = ("centres", "versions", "workshops", "workshop_entries", "workshop_participants", "workshop_proposals")


def test_every_table_numbered_by_an_id_numbers_it_for_all_time(tmp_path):
    """A table added later with an ``id`` of its own gives no id twice either: declared so in the
    schema, and built so by the migrations (SQLite's AUTOINCREMENT)."""
    from valuechain.store.schema import METADATA

    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.engine.connect() as connection:
        built = dict(connection.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    numbered = [t for t in METADATA.sorted_tables if "id" in t.c and t.c.id.primary_key]
    assert len(numbered) >= 9
    for table in numbered:
        assert table.dialect_kwargs.get("sqlite_autoincrement"), table.name
        assert "AUTOINCREMENT" in built[table.name], table.name
    store.dispose()

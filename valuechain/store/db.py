"""Where a federation keeps its centres' workbooks, year after year (SQLAlchemy).

An embedded SQLite file by default (``VALUECHAIN_STORE_PATH``, default in the user's data folder,
created on first use, readable by its owner alone), or a PostgreSQL server when ``VALUECHAIN_DATABASE_URL`` is set. Each
import is a **version**: the original file, when it was imported, the tables as typed, the
problems and the figures, keyed by centre and year. Importing the same centre and year again
adds a version; nothing is overwritten. The schema is migrated by Alembic
(``valuechain/store/migrations``): opening a store upgrades it, keeping its data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from valuechain.chain.analysis import analyse
from valuechain.chain.figures import DEFINITIONS
from valuechain.errors import StoreTooNew, ValuechainError
from valuechain.incidents import incident
from valuechain.media.report import figures as report_figures
from valuechain.model import CentreWorkbook, RawWorkbook
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.reading.reader import read_files
from valuechain.reading.validation import validate
from valuechain.store.schema import ACTOR_MATCHES, CENTRES, ERASURES, VERSIONS
from valuechain.vocabulary import normalise_reference

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_GRAPHS_KEPT = 64  # chains of stored versions kept per process for the Évolution page


def default_store_path() -> Path:
    """The user's own data folder (XDG: ``~/.local/share/valuechain/valuechain.sqlite``): the
    same store wherever the program is started from, in a folder only its owner can read."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "valuechain" / "valuechain.sqlite"


def database_url() -> str:
    """``VALUECHAIN_DATABASE_URL`` (a shared PostgreSQL), else the local SQLite file
    (``VALUECHAIN_STORE_PATH``, else ``default_store_path()``), created readable by its owner
    alone: it holds the names of inhabitants and volunteers."""
    url = os.environ.get("VALUECHAIN_DATABASE_URL")
    if url:
        return url
    configured = os.environ.get("VALUECHAIN_STORE_PATH")
    path = Path(configured) if configured else default_store_path()
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700 if not configured else 0o777)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return f"sqlite:///{path.resolve()}"


@dataclass(frozen=True)
class Version:
    id: int
    centre: str
    centre_id: int
    year: int | None
    number: int
    imported_at: dt.datetime
    file_name: str
    batch: str | None
    federation: str | None
    errors: int
    warnings: int
    deleted_at: dt.datetime | None = None
    deleted_by: str | None = None


# How long a deleted version can be restored before ``Store.purge`` removes it.
KEPT_DELETED = dt.timedelta(days=30)
LIVE = VERSIONS.c.deleted_at.is_(None)


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    version: Version | None
    message: str | None  # why the file could not be imported
    already: bool = False  # the same file was imported before: ``version`` is that import
    skipped: bool = False  # not a workbook at all (a .py in the folder): said, not a failure


class AlreadyImported(ValuechainError):
    """The very same file (same SHA-256) is already kept for this centre: ``version`` is that
    import. Declared beside ``Version``, which it carries (the errors module sits below the store)."""

    context = "ui"

    def __init__(self, version: Version) -> None:
        super().__init__(
            "already_imported",
            file=version.file_name,
            centre=version.centre,
            year=version.year or "—",
            number=version.number,
        )
        self.version = version


class Memory(dict):
    """What one process keeps in memory of the store's rows (decoded figures, chains, a
    workshop's workbook), under keys that never come back (ids are given once). It is trusted
    only while no centre was erased, by this process or another, since it was last looked at:
    ``trusted()`` asks the store (one small query) and empties it first when one was. What an
    erasure removes from the store, it removes from every process's memory too."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._erasures_seen = 0  # a process started after erasures forgets once: it held nothing

    def trusted(self, connection=None) -> Memory:
        erasures = self._store.erasures(connection)
        if erasures != self._erasures_seen:
            self.clear()
            self._erasures_seen = erasures
        return self


_IMPORT_ATTEMPTS = 5
_COMPARISON_PARTS_KEPT = 60_000  # about 1 kB each: five years of a national federation, twice
_MIGRATING = threading.Lock()
_MIGRATION_LOCK = 7_291_001  # PostgreSQL advisory lock held while valuechain migrates a store


class Store:
    """A store of centres and versions. ``Store()`` opens (and upgrades) the default one."""

    def __init__(self, url: str | None = None, upgrade: bool = True) -> None:
        self.url = url or database_url()
        self._comparison_parts = Memory(self)  # comparison_figures's, per process
        self._graphs = Memory(self)  # chain(), per process
        sqlite = self.url.startswith("sqlite")
        # Concurrent writers to one SQLite file wait their turn (up to 30 s) rather than fail.
        # pool_pre_ping: after a PostgreSQL restart, the pool's connections are dead; each is
        # tried before use and replaced, so the first page after the restart works.
        self.engine = sa.create_engine(
            self.url, future=True, connect_args={"timeout": 30} if sqlite else {}, pool_pre_ping=not sqlite
        )
        if self.engine.dialect.name == "sqlite":

            @sa.event.listens_for(self.engine, "connect")
            def _sqlite_connection(connection, _record):
                connection.execute("PRAGMA foreign_keys=ON")  # SQLite enforces them only when asked
                # Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE: a
                # schema change would be committed statement by statement, and an upgrade
                # interrupted midway would leave columns added under the old revision. We
                # open every transaction ourselves (SQLAlchemy's documented recipe), so that a
                # migration is all or nothing on SQLite as on PostgreSQL.
                connection.isolation_level = None

            @sa.event.listens_for(self.engine, "begin")
            def _sqlite_begin(connection):
                # IMMEDIATE: the write lock is taken at the start and waited for; a transaction
                # that read first and wrote second would fail at once ("database is locked")
                # when another process writes at the same time.
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        if upgrade:
            self.upgrade()

    # Schema ----------------------------------------------------------------------------------------
    def _alembic(self, connection) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` in one transaction, after a copy of an SQLite file
        store is kept beside it (``<file>.before-<revision>.bak``). A store written by a newer
        valuechain is refused with a sentence saying so."""
        current = self.revision()
        scripts = ScriptDirectory.from_config(self._alembic(None))
        if current is not None and current not in {script.revision for script in scripts.walk_revisions()}:
            raise StoreTooNew(current, scripts.get_current_head() or "?")
        target = scripts.get_current_head() if revision == "head" else revision
        if current == target:
            return  # the usual case: nothing to run
        if current is not None:
            self._back_up(current)
        # Alembic's ``context`` is one global of the process: two threads opening stores at once
        # (phones of a workshop, sessions of a server) would run their migrations in each
        # other's context. One at a time.
        with _MIGRATING, self.migrating() as connection:
            if connection.dialect.name == "postgresql":
                # Two app processes started at once on one database: the second waits here, then
                # finds the schema migrated (Alembic reads the revision inside this transaction).
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.upgrade(self._alembic(connection), revision)

    @contextmanager
    def migrating(self) -> Iterator[sa.Connection]:
        """The one transaction a migration runs in (``upgrade``, and Alembic's own command
        line). On SQLite, with the foreign keys off: a migration that rebuilds a table drops the
        old one, and with them on, the drop would first delete, by cascade, every row referring
        to it. They can only be turned off outside a transaction, so before it begins; before it
        commits, every row must still refer to something."""
        with self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            driver = connection.connection.driver_connection
            if sqlite:
                driver.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with connection.begin():
                    yield connection
                    if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise RuntimeError("a migration left rows referring to nothing: nothing was changed")
            finally:
                if sqlite:
                    driver.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

    def _back_up(self, revision: str) -> Path | None:
        """A consistent copy of an SQLite store file (SQLite's online backup), before its schema
        changes. A PostgreSQL store is backed up by its administrators' own means."""
        if self.engine.dialect.name != "sqlite" or not self.engine.url.database:
            return None
        import sqlite3

        source = Path(self.engine.url.database)
        backup = source.with_name(f"{source.name}.before-{revision}.bak")
        with sqlite3.connect(source) as live, sqlite3.connect(backup) as copy:
            live.backup(copy)
        backup.chmod(0o600)
        return backup

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head() -> str:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(config).get_current_head() or ""

    # Import ------------------------------------------------------------------------------------------
    def import_files(
        self,
        files: list[InputFile],
        batch: str | None = None,
        limits: ReadLimits | None = None,
        now: dt.datetime | None = None,
        again: bool = False,
        guarded: bool = False,
        federation: str | None = None,
        check=None,
        move: bool = True,
    ) -> Version:
        """Read, check and keep one centre's workbook as a new version (one transaction).

        Raises ``UnreadableWorkbook`` for a file that cannot be read, and ``AlreadyImported``
        for the very same file already kept for that centre (unless ``again``); nothing is
        written then. ``guarded`` reads in a worker process with a memory ceiling (``guard``):
        what a batch or a shared server does with files it did not make. ``federation``, when
        given, is the centre's federation whatever its workbook says; ``check(workbook)``, when
        given, is called before anything is written: it may refuse (``Access.import_files``), and
        what it returns is the centre's federation. The store itself is its owner's: a
        ``federation`` given moves the centre (``move`` is ``Access``'s question, asked there)."""
        if guarded:
            from valuechain.reading.guard import read_guarded

            raw = read_guarded(files, limits)
        else:
            raw = read_files(files, limits)
        workbook = validate(raw)
        if check is not None:
            federation = check(workbook)
        return self._insert(files, workbook, batch, now, again, federation)

    def _insert(
        self,
        files: list[InputFile],
        workbook: CentreWorkbook,
        batch: str | None,
        now: dt.datetime | None,
        again: bool = False,
        federation: str | None = None,
    ) -> Version:
        figures = report_figures(analyse(workbook, compute_all=True))
        centre = workbook.centre
        key = normalise_reference(centre.name)
        data = b"".join(f.data for f in files) if len(files) == 1 else zip_of(files)
        name = files[0].name if len(files) == 1 else f"{workbook.raw.name}.zip"
        sha256 = hashlib.sha256(data).hexdigest()
        # Two imports of the same new centre at once (two people, two processes) both find no
        # centre and both create it, or both take the same version number: the second meets
        # the unique key, and simply tries again, finding what the first wrote.
        for attempt in range(_IMPORT_ATTEMPTS):
            try:
                with self.engine.begin() as connection:
                    version_id = self._insert_once(
                        connection, key, centre, figures, workbook, batch, now, name, data, sha256, again, federation
                    )
                return self.version(version_id)
            except sa.exc.IntegrityError:
                if attempt == _IMPORT_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _insert_once(
        self, connection, key, centre, figures, workbook, batch, now, name, data, sha256, again, federation=None
    ) -> int:
        row = connection.execute(sa.select(CENTRES.c.id, CENTRES.c.federation).where(CENTRES.c.key == key)).first()
        values = {
            "name": centre.name,
            "town": centre.town,
            "department": centre.department,
            "federation": federation or centre.federation or batch,
        }
        if row is None:
            centre_id = connection.execute(CENTRES.insert().values(key=key, **values)).inserted_primary_key[0]
        else:
            centre_id = row.id
            if not again:
                same = connection.execute(
                    sa.select(VERSIONS.c.id)
                    .where(VERSIONS.c.centre_id == centre_id)
                    .where(VERSIONS.c.file_sha256 == sha256)
                    .where(LIVE)
                ).first()
                if same is not None:
                    raise AlreadyImported(self.version(same.id, connection))
            # A batch's tag names the batch (kept on the version); it fills a centre's
            # federation only when the centre has none, and never overwrites the one its own
            # workbook or an earlier import gave.
            if row.federation and not (federation or centre.federation):
                values.pop("federation")
            # The centre's name as first kept stays (the key matched: the same name up to case
            # and spaces): a member's "centre social les tilleuls" does not rename it for all.
            values.pop("name")
            changed = {k: v for k, v in values.items() if v is not None}
            if changed:
                connection.execute(CENTRES.update().where(CENTRES.c.id == centre_id).values(**changed))
        number = (
            connection.execute(
                sa.select(sa.func.max(VERSIONS.c.number))
                .where(VERSIONS.c.centre_id == centre_id)
                .where(VERSIONS.c.year.is_(None) if centre.year is None else VERSIONS.c.year == centre.year)
            ).scalar()
            or 0
        ) + 1
        return connection.execute(
            VERSIONS.insert().values(
                centre_id=centre_id,
                year=centre.year,
                number=number,
                imported_at=now or dt.datetime.now(dt.timezone.utc),
                batch=batch,
                file_name=name,
                file_sha256=sha256,
                file_data=data,
                raw=workbook.raw.to_dict(),
                problems=figures["problems"],
                figures=figures,
                errors=len(workbook.errors),
                warnings=len(workbook.warnings),
                resources_total=figures["resources_total"],
                estimated_share=figures["estimated_share"],
                local_coverage=figures["local_coverage"],
                definitions=DEFINITIONS,
            )
        ).inserted_primary_key[0]

    # Figures computed by older definitions ------------------------------------------------------
    def stale(self, version_ids: list[int] | None = None) -> list[int]:
        """The versions (among ``version_ids``) whose stored figures were computed by other
        definitions than today's."""
        query = sa.select(VERSIONS.c.id).where(VERSIONS.c.definitions != DEFINITIONS)
        if version_ids is not None:
            query = query.where(VERSIONS.c.id.in_(version_ids))
        with self.engine.connect() as connection:
            return list(connection.execute(query.order_by(VERSIONS.c.id)).scalars())

    def recompute(self, version_ids: list[int] | None = None, progress=None) -> int:
        """Compute again, from their stored tables, the figures of versions computed by older
        definitions (all of them, or those of ``version_ids``); returns how many were. Each
        version is its own transaction: an interrupted run leaves the rest stale, not wrong."""
        stale = self.stale(version_ids)
        done = 0
        for version_id in stale:
            try:
                figures = report_figures(analyse(self.open(version_id), compute_all=True))
            except Exception as error:  # a version our code cannot read again keeps its figures, logged
                incident(error, f"recomputing the figures of version {version_id}")
                continue
            done += 1
            with self.engine.begin() as connection:
                connection.execute(
                    VERSIONS.update()
                    .where(VERSIONS.c.id == version_id)
                    .values(
                        problems=figures["problems"],
                        figures=figures,
                        errors=figures["errors"],
                        warnings=figures["warnings"],
                        resources_total=figures["resources_total"],
                        estimated_share=figures["estimated_share"],
                        local_coverage=figures["local_coverage"],
                        definitions=DEFINITIONS,
                    )
                )
            if progress is not None:
                progress(version_id)
        return done

    # Reading -----------------------------------------------------------------------------------------
    def _version_query(self, deleted: bool = False):
        """Versions with their centre: the live ones, or (``deleted``) the hidden ones."""
        return (
            sa.select(
                VERSIONS.c.id,
                CENTRES.c.name.label("centre"),
                VERSIONS.c.centre_id,
                VERSIONS.c.year,
                VERSIONS.c.number,
                VERSIONS.c.imported_at,
                VERSIONS.c.file_name,
                VERSIONS.c.batch,
                CENTRES.c.federation,
                VERSIONS.c.errors,
                VERSIONS.c.warnings,
                VERSIONS.c.deleted_at,
                VERSIONS.c.deleted_by,
            )
            .join(CENTRES, CENTRES.c.id == VERSIONS.c.centre_id)
            .where(~LIVE if deleted else LIVE)
        )

    def version(self, version_id: int, connection=None, deleted: bool = False) -> Version:
        """One version, read on ``connection`` when inside a transaction, else on its own.
        Raises ``LookupError`` for a version that is not there (or is deleted, unless ``deleted``)."""
        with nullcontext(connection) if connection is not None else self.engine.connect() as reading:
            row = reading.execute(self._version_query(deleted).where(VERSIONS.c.id == version_id)).first()
        if row is None:
            raise LookupError(version_id)
        return Version(**row._mapping)

    def find(self, version_id: int) -> Version | None:
        """A version, live or deleted, or None: what an authorisation looks at before anything."""
        for deleted in (False, True):
            try:
                return self.version(version_id, deleted=deleted)
            except LookupError:
                continue
        return None

    def versions(
        self, centre: str | None = None, year: int | None = None, federation: str | None = None
    ) -> list[Version]:
        query = self._version_query()
        if centre is not None:
            query = query.where(CENTRES.c.key == normalise_reference(centre))
        if year is not None:
            query = query.where(VERSIONS.c.year == year)
        if federation is not None:
            query = query.where(CENTRES.c.federation == federation)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(CENTRES.c.name, VERSIONS.c.year, VERSIONS.c.number)).all()
        return [Version(**row._mapping) for row in rows]

    def open(self, version_id: int) -> CentreWorkbook:
        """The workbook of a version, validated again from the tables as typed then."""
        with self.engine.connect() as connection:
            raw = connection.execute(
                sa.select(VERSIONS.c.raw).where(VERSIONS.c.id == version_id).where(LIVE)
            ).scalar_one()
        return validate(RawWorkbook.from_dict(raw))

    def original_file(self, version_id: int) -> tuple[str, bytes]:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(VERSIONS.c.file_name, VERSIONS.c.file_data).where(VERSIONS.c.id == version_id).where(LIVE)
            ).one()
        return row.file_name, row.file_data

    def original_files(self, version_id: int) -> list[InputFile]:
        """The files as they were imported (several CSV files come back out of their zip)."""
        name, data = self.original_file(version_id)
        return unzip(data) if name.endswith(".zip") else [InputFile(name, data)]

    def figures(self, version_ids: list[int]) -> list[dict]:
        """The figures of these versions as stored, in the order given: a read, nothing more.
        Figures kept by older definitions are read as kept; whoever shows them side by side
        runs ``recompute`` first (``Access`` does), so that no comparison mixes definitions."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(VERSIONS.c.id, VERSIONS.c.figures).where(VERSIONS.c.id.in_(version_ids)).where(LIVE)
            ).all()
        by_id = {row.id: row.figures for row in rows}
        return [by_id[i] for i in version_ids if i in by_id]

    def comparison_figures(self, version_ids: list[int]) -> list[dict]:
        """What a comparison shows of these versions' figures as stored (``compare.comparison_part``),
        in the order given: a read (the caller runs ``recompute`` first, so that no comparison
        mixes definitions). Each is decoded once per process and kept under its version, its
        import and the definitions that computed it (the figures of a version change only when
        newer definitions compute them again): a national comparison decoded 2,300 reports at
        every rerun. Which versions are live is asked of the store every time."""
        from valuechain.chain.compare import comparison_part

        with self.engine.connect() as connection:
            parts = self._comparison_parts.trusted(connection)
            rows = connection.execute(
                sa.select(VERSIONS.c.id, VERSIONS.c.imported_at, VERSIONS.c.definitions)
                .where(VERSIONS.c.id.in_(version_ids))
                .where(LIVE)
            ).all()
            keys = {row.id: (row.id, str(row.imported_at), row.definitions) for row in rows}
            missing = [version_id for version_id, key in keys.items() if key not in parts]
            if missing:
                if len(parts) + len(missing) > _COMPARISON_PARTS_KEPT:
                    parts.clear()  # rare: a process that compared every year of a large federation
                for row in connection.execute(
                    sa.select(VERSIONS.c.id, VERSIONS.c.figures).where(VERSIONS.c.id.in_(missing))
                ):
                    parts[keys[row.id]] = comparison_part(row.figures)
        return [dict(parts[keys[i]]) for i in version_ids if i in keys]

    def latest(
        self, year: int | None = None, federation: str | None = None, centre: str | None = None
    ) -> list[Version]:
        """The newest version of each centre and year (for a year, a federation, a centre):
        what a comparison, or a centre's evolution, shows."""
        newest = (
            sa.select(VERSIONS.c.centre_id, VERSIONS.c.year, sa.func.max(VERSIONS.c.number).label("number"))
            .where(LIVE)
            .group_by(VERSIONS.c.centre_id, VERSIONS.c.year)
            .subquery()
        )
        query = self._version_query().join(
            newest,
            sa.and_(
                newest.c.centre_id == VERSIONS.c.centre_id,
                newest.c.number == VERSIONS.c.number,
                sa.or_(newest.c.year == VERSIONS.c.year, sa.and_(newest.c.year.is_(None), VERSIONS.c.year.is_(None))),
            ),
        )
        if year is not None:
            query = query.where(VERSIONS.c.year == year)
        if federation is not None:
            query = query.where(CENTRES.c.federation == federation)
        if centre is not None:
            query = query.where(CENTRES.c.key == normalise_reference(centre))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(CENTRES.c.name, VERSIONS.c.year)).all()
        return [Version(**row._mapping) for row in rows]

    def chain(self, version: Version):
        """The value chain (``graph.build_graph``) of a stored version, built once per process
        and import (a version's tables never change): the Évolution page draws five years at
        every rerun."""
        from valuechain.chain.graph import build_graph

        key = (version.id, str(version.imported_at))
        graphs = self._graphs.trusted()
        if key not in graphs:
            if len(graphs) >= _GRAPHS_KEPT:
                graphs.pop(next(iter(graphs)))
            graphs[key] = build_graph(self.open(version.id))
        return graphs[key]

    def match_decisions(self, centre_id: int) -> list:
        """What people decided of the matches of a centre's actors from year to year."""
        from valuechain.chain.evolution import MatchDecision

        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(ACTOR_MATCHES)
                .where(ACTOR_MATCHES.c.centre_id == centre_id)
                .order_by(ACTOR_MATCHES.c.year, ACTOR_MATCHES.c.decided_at)
            ).all()
        return [MatchDecision(row.year, row.current, row.previous, bool(row.confirmed)) for row in rows]

    def decide_match(self, centre_id: int, decision, by: str, now: dt.datetime | None = None, connection=None) -> None:
        """Keep a person's word on a match (``evolution.MatchDecision``), replacing an earlier
        word on the same pair."""
        key = dict(
            centre_id=centre_id, year=decision.year, current=decision.current[:300], previous=decision.previous[:300]
        )
        with nullcontext(connection) if connection is not None else self.engine.begin() as writing:
            writing.execute(ACTOR_MATCHES.delete().where(sa.and_(*(ACTOR_MATCHES.c[k] == v for k, v in key.items()))))
            writing.execute(
                ACTOR_MATCHES.insert().values(
                    **key,
                    confirmed=decision.confirmed,
                    decided_by=by,
                    decided_at=now or dt.datetime.now(dt.timezone.utc),
                )
            )

    def forget_match(self, centre_id: int, year: int, current: str, previous: str) -> None:
        """Take back a person's word on a pair: the program's own matching applies again."""
        with self.engine.begin() as connection:
            connection.execute(
                ACTOR_MATCHES.delete()
                .where(ACTOR_MATCHES.c.centre_id == centre_id)
                .where(ACTOR_MATCHES.c.year == year)
                .where(ACTOR_MATCHES.c.current == current)
                .where(ACTOR_MATCHES.c.previous == previous)
            )

    def centre_years(self) -> list[tuple[int, int | None, str | None]]:
        """(centre id, year, federation) of each centre and year that has a live version: what
        ``latest()`` would list, without reading the versions (a federation's counts, years and
        federations, at every rerun of the Comparer)."""
        query = (
            sa.select(VERSIONS.c.centre_id, VERSIONS.c.year, CENTRES.c.federation)
            .distinct()
            .join(CENTRES, CENTRES.c.id == VERSIONS.c.centre_id)
            .where(LIVE)
        )
        with self.engine.connect() as connection:
            return [(row.centre_id, row.year, row.federation) for row in connection.execute(query)]

    def years(self) -> list[int]:
        with self.engine.connect() as connection:
            return [
                y
                for (y,) in connection.execute(
                    sa.select(VERSIONS.c.year).where(LIVE).distinct().order_by(VERSIONS.c.year)
                )
                if y is not None
            ]

    def federations(self) -> list[str]:
        with self.engine.connect() as connection:
            return [
                f
                for (f,) in connection.execute(
                    sa.select(CENTRES.c.federation).distinct().order_by(CENTRES.c.federation)
                )
                if f
            ]

    def centres(self, where=sa.true()) -> list[dict]:
        """The centres (id, key, name, town, department, federation), by name: every one, or
        those ``where`` selects."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    CENTRES.c.id,
                    CENTRES.c.key,
                    CENTRES.c.name,
                    CENTRES.c.town,
                    CENTRES.c.department,
                    CENTRES.c.federation,
                )
                .where(where)
                .order_by(CENTRES.c.name)
            ).all()
        return [dict(row._mapping) for row in rows]

    def centre(self, centre_id: int) -> dict | None:
        return next(iter(self.centres(CENTRES.c.id == centre_id)), None)

    def centre_of_key(self, name: str) -> dict | None:
        """The centre a workbook's name stands for (names compared as the store keys them)."""
        return next(iter(self.centres(CENTRES.c.key == normalise_reference(name))), None)

    # Deleting, restoring, erasing ------------------------------------------------------------------
    def delete(self, version_id: int, by: str = "local", now: dt.datetime | None = None) -> None:
        """Hide one version: it leaves every list and comparison, and ``restore`` brings it back
        until ``purge`` removes it, ``KEPT_DELETED`` later."""
        with self.engine.begin() as connection:
            connection.execute(
                VERSIONS.update()
                .where(VERSIONS.c.id == version_id)
                .where(LIVE)
                .values(deleted_at=now or dt.datetime.now(dt.timezone.utc), deleted_by=by)
            )

    def restore(self, version_id: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                VERSIONS.update().where(VERSIONS.c.id == version_id).values(deleted_at=None, deleted_by=None)
            )

    def deleted_versions(self) -> list[Version]:
        """The hidden versions, newest deletion first (call ``purge`` first to leave out those
        past their time)."""
        with self.engine.connect() as connection:
            rows = connection.execute(self._version_query(deleted=True).order_by(VERSIONS.c.deleted_at.desc())).all()
        return [Version(**row._mapping) for row in rows]

    def purge(self, now: dt.datetime | None = None) -> list[Version]:
        """Remove for good the versions deleted more than ``KEPT_DELETED`` ago; returns them
        (for the audit log). Their centres stay, with their members."""
        limit = (now or dt.datetime.now(dt.timezone.utc)) - KEPT_DELETED
        with self.engine.begin() as connection:
            rows = connection.execute(self._version_query(deleted=True).where(VERSIONS.c.deleted_at < limit)).all()
            if rows:
                connection.execute(VERSIONS.delete().where(VERSIONS.c.id.in_([row.id for row in rows])))
                connection.execute(ERASURES.insert().values(at=dt.datetime.now(dt.timezone.utc)))
        return [Version(**row._mapping) for row in rows]

    def centre_archive(self, centre_id: int) -> dict:
        """Everything kept about one centre, deleted versions included: its fields, and each
        version's original file, tables as typed, problems and figures (the GDPR's right of
        access). The caller writes it out (``access.centre_export``)."""
        with self.engine.connect() as connection:
            centre = connection.execute(sa.select(CENTRES).where(CENTRES.c.id == centre_id)).one()._mapping
            versions = connection.execute(
                sa.select(VERSIONS)
                .where(VERSIONS.c.centre_id == centre_id)
                .order_by(VERSIONS.c.year, VERSIONS.c.number)
            ).all()
        return {"centre": dict(centre), "versions": [dict(v._mapping) for v in versions]}

    def erase_centre(self, centre_id: int, also=None) -> int:
        """Remove a centre and everything kept about it, deleted versions included, for good
        (the GDPR's right of erasure); the roles on it go with it. ``also(connection, key,
        version_ids)`` erases, in the same transaction, what other parts of the program keep
        about it (its workshops, its drafts, its lines in the audit log): all of it goes, or none.
        Returns the versions removed."""
        with self.engine.begin() as connection:
            key = connection.execute(sa.select(CENTRES.c.key).where(CENTRES.c.id == centre_id)).scalar_one()
            version_ids = list(
                connection.execute(sa.select(VERSIONS.c.id).where(VERSIONS.c.centre_id == centre_id)).scalars()
            )
            if also is not None:
                also(connection, key, version_ids)
            connection.execute(ACTOR_MATCHES.delete().where(ACTOR_MATCHES.c.centre_id == centre_id))
            removed = connection.execute(VERSIONS.delete().where(VERSIONS.c.centre_id == centre_id)).rowcount
            connection.execute(CENTRES.delete().where(CENTRES.c.id == centre_id))
            # Every process, this one included, forgets what it keeps in memory (``Memory``).
            connection.execute(ERASURES.insert().values(at=dt.datetime.now(dt.timezone.utc), centre_id=centre_id))
        return removed

    def erasures(self, connection=None) -> int:
        """How many erasures the store has seen (centres erased, versions purged), by any
        process: what a process's ``Memory`` compares before it is trusted. One small query."""
        query = sa.select(sa.func.max(ERASURES.c.id))
        if connection is None and self.engine.dialect.name == "sqlite":
            # Asked while the caller may hold a transaction of its own: on SQLite every one takes
            # the write lock (BEGIN IMMEDIATE), and a second would wait for the first forever.
            # A read outside any transaction waits for nobody.
            raw = self.engine.raw_connection()
            try:
                return raw.cursor().execute(str(query.compile(self.engine))).fetchone()[0] or 0
            finally:
                raw.close()
        with nullcontext(connection) if connection is not None else self.engine.connect() as reading:
            return reading.execute(query).scalar() or 0

    def counts(self) -> tuple[int, int]:
        """Centres and versions, deleted ones left out."""
        with self.engine.connect() as connection:
            return (
                connection.execute(sa.select(sa.func.count(sa.distinct(VERSIONS.c.centre_id))).where(LIVE)).scalar()
                or 0,
                connection.execute(sa.select(sa.func.count()).select_from(VERSIONS).where(LIVE)).scalar() or 0,
            )

    def dispose(self) -> None:
        self.engine.dispose()


_PROCESS_STORES: dict[str, Store] = {}
_PROCESS_STORES_LOCK = threading.Lock()


def process_store() -> Store:
    """The store of ``database_url()``, opened once per process and kept for its life.

    One engine (one connection pool) per process and database, held here rather than in a
    cache that someone else may empty: a server's cache can be cleared by any visitor (Streamlit's
    "clear cache" message), and a store dropped without its engine disposed keeps its
    connections open until the database refuses everyone."""
    url = database_url()
    with _PROCESS_STORES_LOCK:
        store = _PROCESS_STORES.get(url)
        if store is None:
            store = _PROCESS_STORES[url] = Store(url)
        return store


def unzip(data: bytes) -> list[InputFile]:
    """The files ``zip_of`` kept together."""
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    return [InputFile(item, archive.read(item)) for item in archive.namelist()]


def zip_of(files: list[InputFile]) -> bytes:
    """Several files kept together as one, zipped (CSV files as one original, a draft's files)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(file.name, file.data)
    return buffer.getvalue()

"""The federation store, against SQLite and a real PostgreSQL server; batch import; comparison."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
import sqlalchemy as sa

from helpers import ROOT, SAMPLE_FILES, WORKED_EXAMPLE_FILE, xlsx_bytes
from valuechain import InputFile
from valuechain.access.policy import User
from valuechain.access.service import Access
from valuechain.media.comparison import comparison_frame, comparison_workbook
from valuechain.store.batch import collect, import_groups
from valuechain.store.db import Store


def _file(path) -> list[InputFile]:
    return [InputFile.from_path(path)]


def test_a_store_is_created_on_first_use_at_the_latest_schema(url):
    store = Store(url)
    assert store.revision() == Store.head() == "0012"
    assert store.counts() == (0, 0)
    store.dispose()


def test_importing_the_same_centre_and_year_again_adds_a_version(url):
    store = Store(url)
    first = store.import_files(
        _file(WORKED_EXAMPLE_FILE), batch="FD 26", now=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    )
    second = store.import_files(_file(WORKED_EXAMPLE_FILE), batch="FD 26", again=True)  # the same file, asked for
    assert (first.centre, first.year, first.number) == ("Centre social des Tilleuls", 2025, 1)
    assert (second.number, second.id != first.id) == (2, True)
    assert [v.number for v in store.versions(centre="centre social des tilleuls")] == [1, 2]
    assert store.latest(year=2025) == [second]
    assert store.figures([first.id])[0]["resources_total"] == pytest.approx(50_965.60)
    assert store.open(first.id).flows.shape[0] == 11
    name, data = store.original_file(first.id)
    assert name == WORKED_EXAMPLE_FILE.name and data == WORKED_EXAMPLE_FILE.read_bytes()
    assert store.federations() == ["FD 26"] and store.years() == [2025]
    store.delete(second.id)
    assert [v.number for v in store.versions()] == [1]
    store.delete(first.id)
    assert store.counts() == (0, 0)
    store.dispose()


def test_a_version_keeps_rows_in_error_and_problems(url):
    store = Store(url)
    data = xlsx_bytes(
        {
            "Acteurs": [["nom", "categorie"], ["Les Castors", "centre"], ["Mairie", "institutions"]],
            "Centre": [["nom", "Les Castors"], ["annee", 2024]],
            "Flux": [
                ["source", "cible", "nature", "quantite"],
                ["Mairie", "Les Castors", "monetaire", 10],
                ["Mairie", "Les Castors", "monetaire", "dix"],
            ],
        }
    )
    version = store.import_files([InputFile("castors.xlsx", data)])
    assert version.errors == 1
    reopened = store.open(version.id)
    assert [r.row for r in reopened.raw.tables["flows"].rows] == [2, 3]
    assert reopened.errors[0].code == "number_invalid"
    store.dispose()


def test_a_failed_import_in_a_batch_leaves_the_store_unchanged_for_that_file(url, tmp_path):
    store = Store(url)
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "a-tilleuls.xlsx").write_bytes(WORKED_EXAMPLE_FILE.read_bytes())
    (folder / "b-cassé.xlsx").write_bytes(b"PK\x03\x04 broken")
    (folder / "c-conserverie.xlsx").write_bytes(SAMPLE_FILES[1].read_bytes())
    results = import_groups(store, collect([folder]), batch="Lot 1")
    assert [r.version is not None for r in results] == [True, False, True]
    assert "b-cassé.xlsx" in results[1].message
    assert store.counts() == (2, 2)
    store.dispose()


def test_an_upgrade_of_the_schema_keeps_the_data_and_fills_the_new_columns(url):
    old = Store(url, upgrade=False)
    old.upgrade("0001")
    assert old.revision() == "0001"
    figures = {"centre": "Ancien centre", "resources_total": 1234.5, "estimated_share": 0.25, "local_coverage": 0.5}
    with old.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO centres (id, key, name) VALUES (1, 'ancien centre', 'Ancien centre')"))
        connection.execute(
            sa.text(
                "INSERT INTO versions (id, centre_id, year, number, imported_at, file_name, file_sha256, file_data, "
                "raw, problems, figures, errors, warnings) VALUES (1, 1, 2023, 1, :at, 'old.xlsx', 'x', :data, "
                ":raw, :problems, :figures, 0, 0)"
            ),
            {
                "at": dt.datetime(2024, 1, 1),
                "data": b"old",
                "raw": json.dumps({}),
                "problems": json.dumps([]),
                "figures": json.dumps(figures),
            },
        )
    old.dispose()
    upgraded = Store(url)
    assert upgraded.revision() == Store.head()
    with upgraded.engine.connect() as connection:
        row = connection.execute(
            sa.text("SELECT resources_total, estimated_share, local_coverage, file_name FROM versions")
        ).one()
    assert tuple(row) == (1234.5, 0.25, 0.5, "old.xlsx")
    assert upgraded.latest(year=2023)[0].centre == "Ancien centre"
    upgraded.dispose()


def test_collect_finds_workbooks_in_folders_and_zips_and_groups_csv_by_centre(tmp_path):
    archive = tmp_path / "centres.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2025/tilleuls.xlsx", WORKED_EXAMPLE_FILE.read_bytes())
        z.writestr("2025/Castors - Flux.csv", "source;cible;nature\nMairie;Castors;monetaire\n")
        z.writestr("2025/Castors - Acteurs.csv", "nom;categorie\nCastors;centre\nMairie;institutions\n")
        z.writestr("__MACOSX/._tilleuls.xlsx", b"junk")
    groups = collect([archive])
    assert [[f.name for f in g] for g in groups] == [["tilleuls.xlsx"], ["Castors - Acteurs.csv", "Castors - Flux.csv"]]


def test_comparison_uses_the_same_names_and_can_anonymise(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    for path in SAMPLE_FILES + [WORKED_EXAMPLE_FILE]:
        store.import_files(_file(path))
    reports = store.figures([v.id for v in store.latest(year=2025)])
    frame = comparison_frame(reports, "fr")
    # Data quality beside the centre, then the figures (issue 26.7: it was off screen).
    assert list(frame.columns[:9]) == [
        "Centre",
        "Année",
        "Fédération",
        "Part estimée",
        "Couverture de l'ancrage local",
        "Erreurs",
        "Avertissements",
        "Flux non valorisés",
        "Ressources mobilisées",
    ]
    hidden = comparison_frame(reports, "en", anonymise=True)
    assert hidden["Centre"].tolist() == ["Centre A", "Centre B", "Centre C", "Centre D"]
    # A page of the table (the Comparer writes only the rows it shows) is those rows of the whole.
    for anonymise in (False, True):
        whole = comparison_frame(reports, "fr", anonymise=anonymise, formatted=True)
        page = comparison_frame(reports, "fr", anonymise=anonymise, formatted=True, rows=slice(1, 3))
        assert page.equals(whole.iloc[1:3].reset_index(drop=True))
    assert "Federation" not in hidden.columns
    assert not any(r["centre"] in hidden.to_string() for r in reports)
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(comparison_workbook(reports, "fr", anonymise=True)))
    assert book.active["A2"].value == "Centre A"
    from valuechain.chain.compare import aliases

    # Issue 33.2 requires letters drawn again each year: Centre A is the one of 2025.
    centre_a = next(
        name
        for name, alias in aliases([r["centre"] for r in reports], "fr", period=2025).items()
        if alias == "Centre A"
    )
    expected = frame[frame["Centre"] == centre_a].iloc[0]["Ressources mobilisées"]
    header = [cell.value for cell in book.active[1]]
    assert "Fédération" not in header  # anonymised: no federation column
    assert book.active.cell(2, header.index("Ressources mobilisées") + 1).value == pytest.approx(expected)
    store.dispose()


def test_anonymised_letters_say_nothing_of_the_names_and_stay_the_same(monkeypatch):
    from valuechain.chain.compare import aliases

    names = ["Arbres", "Bouleaux", "Castors", "Dunes", "Étangs", "Falaises", "Genêts", "Hêtres"]
    shown = aliases(names, "fr")
    assert sorted(shown.values()) == [f"Centre {c}" for c in "ABCDEFGH"]
    assert [shown[n] for n in names] != sorted(shown.values())  # not the alphabetical order
    assert aliases(list(reversed(names)), "fr") == shown  # the same letters, whatever the order given
    monkeypatch.setenv("VALUECHAIN_SECRET", "un secret de la fédération")
    assert aliases(names, "fr") != shown  # a deployment's secret changes the order


def test_cli_import_reports_each_file_and_goes_on_past_a_bad_one(tmp_path):
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(WORKED_EXAMPLE_FILE.read_bytes())
    (folder / "b.xlsx").write_bytes(b"nope")
    env = dict(os.environ, VALUECHAIN_STORE_PATH=str(tmp_path / "db.sqlite"))
    env.pop("VALUECHAIN_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "valuechain", "import", str(folder), "--federation", "FD 76"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "importé : a.xlsx → Centre social des Tilleuls (2025), version 1" in result.stdout
    assert "non importé : b.xlsx" in result.stdout and "Traceback" not in result.stderr
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert store.federations() == ["FD 76"]
    store.dispose()
    listed = subprocess.run(
        [sys.executable, "-m", "valuechain", "versions", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    versions = json.loads(listed.stdout)
    assert [(v["centre"], v["year"], v["number"]) for v in versions] == [("Centre social des Tilleuls", 2025, 1)]
    deleted = subprocess.run(
        [sys.executable, "-m", "valuechain", "versions", "--delete", str(versions[0]["id"])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert deleted.returncode == 0 and "supprimée" in deleted.stdout
    again = subprocess.run(
        [sys.executable, "-m", "valuechain", "versions", "--delete", "999"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert again.returncode == 1 and "Aucune version 999" in again.stderr


def test_cli_compare_json_has_the_report_keys_for_each_centre_and_year():
    result = subprocess.run(
        [sys.executable, "-m", "valuechain", "compare", *map(str, SAMPLE_FILES), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0
    reports = json.loads(result.stdout)
    assert len(reports) == 3
    single = json.loads(
        subprocess.run(
            [sys.executable, "-m", "valuechain", "report", str(SAMPLE_FILES[0]), "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        ).stdout
    )
    assert all(list(r)[:20] == list(single)[:20] for r in reports)


def test_a_fault_on_one_file_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    real = store.import_files

    def faulty(files, batch=None, **kwargs):
        if files[0].name.startswith("b"):
            raise RuntimeError("boom")
        return real(files, batch=batch, **kwargs)

    monkeypatch.setattr(store, "import_files", faulty)
    groups = [
        [InputFile("a.xlsx", WORKED_EXAMPLE_FILE.read_bytes())],
        [InputFile("b.xlsx", WORKED_EXAMPLE_FILE.read_bytes())],
        [InputFile("c.xlsx", SAMPLE_FILES[0].read_bytes())],
    ]
    results = import_groups(store, groups, lang="en")
    assert [r.version is not None for r in results] == [True, False, True]
    # One sentence for the user, with a reference; the log has the traceback under it.
    reference = re.search(r"fault in the program \(reference (VC-[0-9a-f]{8})\)", results[1].message).group(1)
    from valuechain.incidents import log_folder

    log = (log_folder() / "valuechain.log").read_text(encoding="utf-8")
    entry = log[log.index(f"incident {reference}") :]
    assert "import of b.xlsx: RuntimeError: boom" in entry.splitlines()[0]
    assert "Traceback (most recent call last)" in entry and 'raise RuntimeError("boom")' in entry
    store.dispose()


def _old_store_with_one_version(url: str) -> None:
    old = Store(url, upgrade=False)
    old.upgrade("0001")
    with old.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO centres (id, key, name) VALUES (1, 'ancien centre', 'Ancien centre')"))
        connection.execute(
            sa.text(
                "INSERT INTO versions (id, centre_id, year, number, imported_at, file_name, file_sha256, file_data, "
                "raw, problems, figures, errors, warnings) VALUES (1, 1, 2023, 1, :at, 'old.xlsx', 'x', :data, "
                "'{}', '[]', :figures, 0, 0)"
            ),
            {"at": dt.datetime(2024, 1, 1), "data": b"old", "figures": json.dumps({"resources_total": 10.0})},
        )
    old.dispose()


# Killed midway through the schema upgrade: right after the first ALTER TABLE has run.
KILL_DURING_UPGRADE = """
import os, sys
import sqlalchemy as sa
from valuechain.store.db import Store
store = Store(sys.argv[1], upgrade=False)
@sa.event.listens_for(store.engine, "after_cursor_execute")
def _die(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("ALTER TABLE"):
        os._exit(9)
store.upgrade()
"""


def test_an_upgrade_killed_midway_leaves_a_store_that_opens_and_upgrades(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    _old_store_with_one_version(url)
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_UPGRADE, url], cwd=ROOT, capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    reopened = Store(url)  # before the fix: "duplicate column name: resources_total"
    assert reopened.revision() == Store.head()
    assert reopened.latest(year=2023)[0].centre == "Ancien centre"
    reopened.dispose()


def test_an_sqlite_store_is_copied_before_its_schema_changes(tmp_path):
    path = tmp_path / "store.sqlite"
    _old_store_with_one_version(f"sqlite:///{path}")
    Store(f"sqlite:///{path}").dispose()
    backup = tmp_path / "store.sqlite.before-0001.bak"
    assert backup.exists() and oct(backup.stat().st_mode & 0o777) == "0o600"
    copy = Store(f"sqlite:///{backup}", upgrade=False)
    assert copy.revision() == "0001"
    copy.dispose()


def test_a_store_from_a_newer_valuechain_says_which_version_it_needs(tmp_path):
    from valuechain.errors import StoreTooNew

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    Store(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StoreTooNew) as refused:
        Store(url)
    assert "0099" in refused.value.message("fr") and "plus récente" in refused.value.message("fr")
    env = dict(os.environ, VALUECHAIN_STORE_PATH=str(tmp_path / "store.sqlite"))
    env.pop("VALUECHAIN_DATABASE_URL", None)
    cli = subprocess.run(
        [sys.executable, "-m", "valuechain", "versions"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert cli.returncode == 2 and "0099" in cli.stderr and "Traceback" not in cli.stderr


def test_rerunning_an_interrupted_batch_adds_nothing_twice_and_says_so(url, tmp_path):
    store = Store(url)
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "tilleuls.xlsx").write_bytes(WORKED_EXAMPLE_FILE.read_bytes())
    (folder / "conserverie.xlsx").write_bytes(SAMPLE_FILES[1].read_bytes())
    first = import_groups(store, collect([folder]), batch="Lot")
    second = import_groups(store, collect([folder]), batch="Lot")
    assert [r.already for r in first] == [False, False] and [r.already for r in second] == [True, True]
    assert [r.version.id for r in second] == [r.version.id for r in first]
    assert store.counts() == (2, 2)
    again = import_groups(store, collect([folder / "tilleuls.xlsx"]), batch="Lot", again=True)
    assert not again[0].already and store.counts() == (2, 3)
    store.dispose()


def test_a_later_batch_tag_does_not_overwrite_a_centres_federation(url):
    store = Store(url)
    store.import_files(_file(WORKED_EXAMPLE_FILE), batch="FD Drôme")
    store.import_files(_file(WORKED_EXAMPLE_FILE), batch="Essai du mardi", again=True)
    assert store.federations() == ["FD Drôme"]
    assert {v.batch for v in store.versions()} == {"FD Drôme", "Essai du mardi"}
    store.dispose()


CONCURRENT_IMPORT = """
import sys
from valuechain import InputFile
from valuechain.store.db import Store
store = Store(sys.argv[1])
data = open(sys.argv[2], "rb").read()
for i in range(int(sys.argv[3])):
    store.import_files([InputFile("nouveau.xlsx", data)], again=True)
print("ok")
"""


def test_concurrent_imports_of_a_new_centre_lose_nothing(url, tmp_path):
    Store(url).dispose()  # the schema, once
    path = tmp_path / "nouveau.xlsx"
    path.write_bytes(
        xlsx_bytes(
            {
                "Centre": [["nom", "Centre tout neuf"], ["annee", 2025]],
                "Flux": [["source", "cible", "nature"], ["Mairie", "Centre tout neuf", "monetaire"]],
            }
        )
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_IMPORT, url, str(path), "4"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [out.strip() for out, _ in outputs] == ["ok"] * 3, [err[-600:] for _, err in outputs]
    store = Store(url)
    assert store.counts() == (1, 12)
    assert sorted(v.number for v in store.versions()) == list(range(1, 13))
    store.dispose()


def test_a_folder_import_reads_nothing_outside_it_and_reports_every_entry_it_skips(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    secret = tmp_path / "secret.csv"
    secret.write_text("source;cible;nature\nMot de passe;Centre;monetaire\n")
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "tilleuls.xlsx").write_bytes(WORKED_EXAMPLE_FILE.read_bytes())
    (folder / "secret.csv").symlink_to(secret)
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "parti.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (folder / "boucle").symlink_to(folder)
    (folder / "notice.pdf").write_bytes(b"%PDF-1.4")
    with zipfile.ZipFile(folder / "envoi.zip", "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
        archive.writestr("__MACOSX/._x", b"")
    results = import_groups(store, collect([folder]))
    said = {r.file_name: r.message for r in results}
    assert said["tilleuls.xlsx"] is None
    assert "hors du dossier" in said["secret.csv"] and "hors du dossier" in said["passwd.csv"]
    assert "n'existe pas" in said["parti.xlsx"]
    assert "ni un classeur" in said["notice.pdf"] and "ni un classeur" in said["photo.jpg"]
    assert not any("._x" in name for name in said) and "boucle" not in said
    assert store.counts() == (1, 1)
    store.dispose()


def test_the_default_store_is_the_users_own_wherever_the_program_runs(tmp_path, monkeypatch):
    from valuechain.store.db import database_url

    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    monkeypatch.delenv("VALUECHAIN_STORE_PATH", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.chdir(tmp_path)
    url = database_url()
    path = tmp_path / "data-home" / "valuechain" / "valuechain.sqlite"
    assert url == f"sqlite:///{path}"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    monkeypatch.chdir(tmp_path / "data-home")
    assert database_url() == url  # the same store from another folder


def test_alembics_own_command_line_reads_the_stores_history_and_moves_it_both_ways(tmp_path):
    env = dict(os.environ, VALUECHAIN_STORE_PATH=str(tmp_path / "store.sqlite"))
    env.pop("VALUECHAIN_DATABASE_URL", None)
    alembic = [sys.executable, "-m", "alembic"]
    history = subprocess.run([*alembic, "history"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert history.returncode == 0 and "0001 -> 0002" in history.stdout, history.stderr
    for step in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        moved = subprocess.run([*alembic, *step], cwd=ROOT, env=env, capture_output=True, text=True)
        assert moved.returncode == 0, moved.stderr
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}", upgrade=False)
    assert store.revision() == Store.head()
    store.dispose()


def _kept_by_the_first_definitions(store: Store, version_id: int, **old_figures) -> None:
    """What a store kept before the definitions changed: the same version, its figures as
    the first definitions computed them, and no record of definitions (the migration's 1)."""
    with store.engine.begin() as connection:
        stored = connection.execute(sa.text("SELECT figures FROM versions WHERE id = :id"), {"id": version_id}).scalar()
        stored = json.loads(stored) if isinstance(stored, str) else stored
        connection.execute(
            sa.text("UPDATE versions SET figures = :figures, definitions = 1 WHERE id = :id"),
            {"figures": json.dumps(dict(stored, **old_figures)), "id": version_id},
        )


def _volunteers_workbook() -> list[InputFile]:
    """Ten flows of 0,3 h at 11,65 €: 34,95 € today, 35,00 € when each flow was rounded."""
    rows = [["Voisins", "Jardin", "benevolat", 0.3, "h"]] * 10
    return [
        InputFile(
            "benevoles.xlsx",
            xlsx_bytes(
                {
                    "Centre": [
                        ["champ", "valeur"],
                        ["nom", "Les Bénévoles"],
                        ["annee", 2025],
                        ["taux_horaire_benevolat", 11.65],
                    ],
                    "Acteurs": [["nom", "categorie"], ["Les Bénévoles", "centre"], ["Voisins", "benevoles"]],
                    "Activites": [["nom"], ["Jardin"]],
                    "Flux": [["source", "cible", "nature", "quantite", "unite"]] + rows,
                }
            ),
        )
    ]


def test_figures_kept_by_older_definitions_are_computed_again_before_any_comparison(url):
    store = Store(url)
    version = store.import_files(_volunteers_workbook())
    assert store.figures([version.id])[0]["volunteer_value"] == pytest.approx(34.95)
    _kept_by_the_first_definitions(store, version.id, volunteer_value=35.0)
    assert store.stale() == [version.id]
    # A comparison never mixes definitions: the stale version is computed again first.
    compared = Access(store, User.local_owner()).comparison(year=2025)
    assert compared[0]["volunteer_value"] == pytest.approx(34.95)
    assert store.stale() == []
    store.dispose()


def test_reading_the_figures_of_the_store_writes_nothing(url):
    """Recomputing is a write, asked for by name (``recompute``): a read gives what is kept."""
    store = Store(url)
    version = store.import_files(_volunteers_workbook())
    _kept_by_the_first_definitions(store, version.id, volunteer_value=35.0)
    assert store.figures([version.id])[0]["volunteer_value"] == pytest.approx(35.0)
    assert store.stale() == [version.id]
    store.dispose()


def test_the_command_line_computes_every_stale_version_again(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(f"sqlite:///{path}")
    ids = [store.import_files(_volunteers_workbook()).id, store.import_files(_file(WORKED_EXAMPLE_FILE)).id]
    for version_id in ids:
        _kept_by_the_first_definitions(store, version_id, volunteer_value=1.0)
    store.dispose()
    env = dict(os.environ, VALUECHAIN_STORE_PATH=str(path))
    env.pop("VALUECHAIN_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "valuechain", "versions", "--recompute"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "2 versions recalculées" in done.stdout
    reopened = Store(f"sqlite:///{path}")
    assert reopened.stale() == []
    with reopened.engine.connect() as connection:
        values = [
            json.loads(f) if isinstance(f, str) else f
            for f in connection.execute(sa.text("SELECT figures FROM versions ORDER BY id")).scalars()
        ]
    assert values[0]["volunteer_value"] == pytest.approx(34.95)
    assert values[1]["volunteer_value"] == pytest.approx(3365.60)  # the worked example, by hand
    reopened.dispose()


def test_versions_kept_before_the_definitions_were_recorded_count_as_the_first(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    _old_store_with_one_version(url)
    store = Store(url)
    assert store.stale() == [1]  # kept at revision 0001: computed by the first definitions
    version = store.import_files(_volunteers_workbook())
    assert version.id not in store.stale()
    store.dispose()


def _tilleuls_of(year: int, caf: float) -> InputFile:
    return InputFile(
        f"tilleuls-{year}.xlsx",
        xlsx_bytes(
            {
                "Centre": [["nom", "Centre social des Tilleuls"], ["annee", year]],
                "Acteurs": [
                    ["nom", "categorie"],
                    ["Centre social des Tilleuls", "centre"],
                    ["CAF", "institutions"],
                    ["Mairie", "institutions"],
                ],
                "Flux": [
                    ["source", "cible", "nature", "quantite"],
                    ["CAF", "Centre social des Tilleuls", "monetaire", caf],
                    ["Mairie", "Centre social des Tilleuls", "monetaire", 1000],
                ],
            }
        ),
    )


def test_year_on_year_change_is_absolute_and_relative_and_null_from_nothing():
    from valuechain.chain.compare import change, with_changes

    reports = with_changes(
        [
            {
                "centre": "A",
                "year": 2025,
                "resources_total": 30_000.0,
                "leverage": None,
                "volunteer_hours": 5.0,
                "largest_contribution_share": {"actor": "CAF", "share": 0.6},
            },
            {
                "centre": "A",
                "year": 2024,
                "resources_total": 25_000.0,
                "leverage": 0.2,
                "volunteer_hours": 0.0,
                "largest_contribution_share": {"actor": "CAF", "share": 0.5},
            },
            {"centre": "B", "year": 2025, "resources_total": 1.0},
        ]
    )
    moved = reports[0]["change"]
    assert moved["resources_total"] == {"absolute": 5_000.0, "relative": pytest.approx(0.2)}
    assert moved["leverage"] == {"absolute": None, "relative": None}  # undefined now
    assert moved["volunteer_hours"] == {"absolute": 5.0, "relative": None}  # from 0
    assert moved["largest_contribution_share"]["absolute"] == pytest.approx(0.1)
    assert reports[1]["change"] is None and reports[2]["change"] is None  # no year before
    assert change(reports[0], reports[1]) == moved


def test_cli_compare_json_gives_each_centres_change_from_the_year_before(tmp_path):
    for year, caf in ((2024, 25_000), (2025, 30_000)):
        (tmp_path / f"tilleuls-{year}.xlsx").write_bytes(_tilleuls_of(year, caf).data)
    done = subprocess.run(
        [sys.executable, "-m", "valuechain", "compare", str(tmp_path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    by_year = {r["year"]: r for r in json.loads(done.stdout)}
    assert by_year[2024]["change"] is None
    assert by_year[2025]["change"]["resources_total"] == {
        "absolute": 5_000.0,
        "relative": pytest.approx(5_000 / 26_000),
    }
    assert by_year[2025]["largest_contribution_share"]["actor"] == "CAF"


def test_a_shares_change_reads_in_percentage_points():
    from valuechain.media.comparison import change_frame

    frame = change_frame(
        {"centre": "A", "year": 2025, "local_share": 0.55, "resources_total": 30_000.0},
        {"centre": "A", "year": 2024, "local_share": 0.50, "resources_total": 25_000.0},
        "fr",
    )
    local = frame[frame["Chiffre"] == "Ancrage local"].iloc[0]
    assert local["Écart"] == "5\u00a0pt" and local["Écart relatif"] == "10,00\u00a0%"
    assert frame[frame["Chiffre"] == "Ressources mobilisées"].iloc[0]["Écart"] == "5\u202f000,00\u00a0€"


@pytest.mark.postgres
def test_the_store_works_at_once_after_postgresql_dropped_its_connections(pg_url):
    """Issue 25.8: after a PostgreSQL restart, the first page run showed Streamlit's error page:
    the pool handed out a dead connection. Every server connection is cut here, as a restart
    does; the next call works."""
    store = Store(pg_url)
    store.import_files(_file(WORKED_EXAMPLE_FILE))
    assert store.counts() == (1, 1)
    killer = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with killer.connect() as connection:
        cut = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert cut >= 1
    assert store.counts() == (1, 1)
    store.dispose()


def test_a_full_disk_is_said_as_such_and_nothing_is_half_kept(tmp_path, monkeypatch, capsys):
    """Issue 25.8: a full disk gave "erreur du programme"."""
    import sqlite3

    from valuechain.cli import main

    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))

    def full(*args, **kwargs):
        raise sa.exc.OperationalError(
            "INSERT INTO versions …", {}, sqlite3.OperationalError("database or disk is full")
        )

    monkeypatch.setattr(Store, "import_files", full)
    main(["import", str(WORKED_EXAMPLE_FILE)])
    said = capsys.readouterr()
    assert "Le disque est plein" in said.out + said.err and "erreur du programme" not in said.out + said.err
    monkeypatch.undo()
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    assert Store().counts() == (0, 0)

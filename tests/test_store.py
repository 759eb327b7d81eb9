"""The federation store, against SQLite and a real PostgreSQL server; batch import; comparison."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile

import pytest
import sqlalchemy as sa

from helpers import ROOT, SAMPLE_FILES, WORKED_EXAMPLE_FILE, xlsx_bytes
from valuechain import InputFile
from valuechain.batch import collect, import_groups
from valuechain.compare import comparison_frame, comparison_workbook
from valuechain.store import Store

POSTGRES_URL = os.environ.get("VALUECHAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reachable() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as error:  # the reason goes into the skip message
        return f"no PostgreSQL server at {POSTGRES_URL.split('@')[-1]} ({type(error).__name__})"


def _empty_postgres() -> None:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS versions, centres, alembic_version CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    reason = _postgres_reachable()
    if reason:
        pytest.skip(reason)
    _empty_postgres()
    yield POSTGRES_URL
    _empty_postgres()


def _file(path) -> list[InputFile]:
    return [InputFile.from_path(path)]


def test_a_store_is_created_on_first_use_at_the_latest_schema(url):
    store = Store(url)
    assert store.revision() == Store.head() == "0002"
    assert store.counts() == (0, 0)
    store.dispose()


def test_importing_the_same_centre_and_year_again_adds_a_version(url):
    store = Store(url)
    first = store.import_files(_file(WORKED_EXAMPLE_FILE), batch="FD 26", now=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    second = store.import_files(_file(WORKED_EXAMPLE_FILE), batch="FD 26")
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
    data = xlsx_bytes({"Acteurs": [["nom", "categorie"], ["Les Castors", "centre"], ["Mairie", "institutions"]],
                       "Centre": [["nom", "Les Castors"], ["annee", 2024]],
                       "Flux": [["source", "cible", "nature", "quantite"], ["Mairie", "Les Castors", "monetaire", 10],
                                ["Mairie", "Les Castors", "monetaire", "dix"]]})
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
            sa.text("INSERT INTO versions (id, centre_id, year, number, imported_at, file_name, file_sha256, file_data, "
                    "raw, problems, figures, errors, warnings) VALUES (1, 1, 2023, 1, :at, 'old.xlsx', 'x', :data, "
                    ":raw, :problems, :figures, 0, 0)"),
            {"at": dt.datetime(2024, 1, 1), "data": b"old", "raw": json.dumps({}), "problems": json.dumps([]),
             "figures": json.dumps(figures)})
    old.dispose()
    upgraded = Store(url)
    assert upgraded.revision() == "0002"
    with upgraded.engine.connect() as connection:
        row = connection.execute(sa.text("SELECT resources_total, estimated_share, local_coverage, file_name FROM versions")).one()
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
    assert list(frame.columns[:4]) == ["Centre", "Année", "Fédération", "Ressources mobilisées"]
    assert {"Part estimée", "Couverture locale", "Erreurs"} <= set(frame.columns)
    hidden = comparison_frame(reports, "en", anonymise=True)
    assert hidden["Centre"].tolist() == ["Centre A", "Centre B", "Centre C", "Centre D"]
    assert "Federation" not in hidden.columns
    assert not any(r["centre"] in hidden.to_string() for r in reports)
    import io
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(comparison_workbook(reports, "fr", anonymise=True)))
    assert book.active["A2"].value == "Centre A"
    assert book.active["C2"].value == pytest.approx(frame.iloc[0]["Ressources mobilisées"])  # no federation column
    store.dispose()


def test_cli_import_reports_each_file_and_goes_on_past_a_bad_one(tmp_path):
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(WORKED_EXAMPLE_FILE.read_bytes())
    (folder / "b.xlsx").write_bytes(b"nope")
    env = dict(os.environ, VALUECHAIN_STORE_PATH=str(tmp_path / "db.sqlite"))
    env.pop("VALUECHAIN_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "valuechain", "import", str(folder), "--federation", "FD 76"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 1
    assert "importé : a.xlsx → Centre social des Tilleuls (2025), version 1" in result.stdout
    assert "non importé : b.xlsx" in result.stdout and "Traceback" not in result.stderr
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert store.federations() == ["FD 76"]
    store.dispose()
    listed = subprocess.run([sys.executable, "-m", "valuechain", "versions", "--json"], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    versions = json.loads(listed.stdout)
    assert [(v["centre"], v["year"], v["number"]) for v in versions] == [("Centre social des Tilleuls", 2025, 1)]
    deleted = subprocess.run([sys.executable, "-m", "valuechain", "versions", "--delete", str(versions[0]["id"])],
                             capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert deleted.returncode == 0 and "supprimée" in deleted.stdout
    again = subprocess.run([sys.executable, "-m", "valuechain", "versions", "--delete", "999"], capture_output=True,
                           text=True, cwd=ROOT, env=env, timeout=60)
    assert again.returncode == 1 and "Aucune version 999" in again.stderr


def test_cli_compare_json_has_the_report_keys_for_each_centre_and_year():
    result = subprocess.run([sys.executable, "-m", "valuechain", "compare", *map(str, SAMPLE_FILES), "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0
    reports = json.loads(result.stdout)
    assert len(reports) == 3
    single = json.loads(subprocess.run([sys.executable, "-m", "valuechain", "report", str(SAMPLE_FILES[0]), "--json"],
                                       capture_output=True, text=True, cwd=ROOT, timeout=120).stdout)
    assert all(list(r)[:20] == list(single)[:20] for r in reports)


def test_a_fault_on_one_file_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    real = store.import_files

    def faulty(files, batch=None, **kwargs):
        if files[0].name.startswith("b"):
            raise RuntimeError("boom")
        return real(files, batch=batch, **kwargs)

    monkeypatch.setattr(store, "import_files", faulty)
    groups = [[InputFile("a.xlsx", WORKED_EXAMPLE_FILE.read_bytes())], [InputFile("b.xlsx", WORKED_EXAMPLE_FILE.read_bytes())],
              [InputFile("c.xlsx", SAMPLE_FILES[0].read_bytes())]]
    results = import_groups(store, groups, lang="en")
    assert [r.version is not None for r in results] == [True, False, True]
    assert "fault in the program (RuntimeError)" in results[1].message
    store.dispose()

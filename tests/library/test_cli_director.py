"""A centre director's command line (issue 34, points 5, 6, 7 and 12): two workbooks are never
one invented centre, a centre is never moved to another federation without a word, the text
report says what was set aside, and the command line's own frame speaks the user's language."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from helpers import EMBRUNS, FALAISES, ROOT, SAMPLES, TISSERANDS, minimal_sheets, xlsx_bytes
from valuechain import InputFile, UnreadableWorkbook, load_files, read_files


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    environment.pop("VALUECHAIN_LANG", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "valuechain", *args], capture_output=True, text=True, env=environment, timeout=180
    )


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A local SQLite store of this test's own."""
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    return tmp_path / "store.sqlite"


# Point 5: two workbooks are two centres ----------------------------------------------------------
def test_two_complete_workbooks_are_refused_naming_both_never_merged():
    files = [InputFile.from_path(TISSERANDS), InputFile.from_path(FALAISES)]
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files(files)
    said = refused.value.message("fr")
    assert refused.value.code == "two_workbooks"
    assert TISSERANDS.name in said and FALAISES.name in said


@pytest.mark.parametrize("command", ["check", "report"])
def test_check_and_report_of_two_workbooks_refuse_with_both_names_and_no_figures(command):
    done = _cli(command, str(TISSERANDS), str(EMBRUNS))
    assert done.returncode == 2, done.stdout + done.stderr
    assert TISSERANDS.name in done.stderr and EMBRUNS.name in done.stderr
    assert "deux classeurs complets" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


def test_two_spreadsheets_each_holding_the_flows_are_two_workbooks():
    flows = {"Flux": minimal_sheets()["Flux"]}
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files([InputFile("a.xlsx", xlsx_bytes(flows)), InputFile("b.xlsx", xlsx_bytes(flows))])
    assert refused.value.params == {"name": "a.xlsx", "other": "b.xlsx"}


def test_a_workbook_split_between_files_is_still_one_and_each_problem_names_its_file():
    sheets = minimal_sheets(flows=[["Mairie", "Jardin", "monetaire", "beaucoup", "€", None]])
    parts = [
        InputFile("centre.xlsx", xlsx_bytes({k: sheets[k] for k in ("Centre", "Acteurs", "Activites")})),
        InputFile("flux.xlsx", xlsx_bytes({"Flux": sheets["Flux"]})),
    ]
    workbook = load_files(parts)
    assert workbook.centre.name == "Centre Test" and len(workbook.actors) == 3
    assert workbook.errors, "the flow's quantity is not a number"
    assert all(p.sheet and p.sheet.startswith("flux.xlsx › ") for p in workbook.errors)
    # One CSV file per table stays the way to give a workbook in parts.
    csv = load_files(
        [
            InputFile("Castors - Acteurs.csv", b"nom;categorie\nCastors;centre\nMairie;institutions\n"),
            InputFile("Castors - Flux.csv", b"source;cible;nature\nMairie;Castors;monetaire\n"),
        ]
    )
    assert len(csv.flows) == 1


# Point 6: a centre moves only when asked -------------------------------------------------------
def test_import_with_another_federation_refuses_naming_both_unless_the_move_is_asked(store):
    first = _cli("import", str(EMBRUNS))
    assert first.returncode == 0, first.stdout + first.stderr
    seine = "Fédération des centres sociaux de Seine-Maritime"
    again = _cli("import", str(EMBRUNS), "--federation", "FD Drôme", "--again")
    assert again.returncode == 1
    assert seine in again.stdout and "FD Drôme" in again.stdout and "--move-to-federation" in again.stdout
    listed = json.loads(_cli("versions", "--json").stdout)
    assert {v["federation"] for v in listed} == {seine} and len(listed) == 1
    moved = _cli("import", str(EMBRUNS), "--move-to-federation", "FD Drôme", "--again")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert "déplacé de la fédération « " + seine + " » vers « FD Drôme »" in moved.stdout
    listed = json.loads(_cli("versions", "--json").stdout)
    assert {v["federation"] for v in listed} == {"FD Drôme"} and len(listed) == 2


def test_importing_a_centre_again_under_another_case_keeps_its_stored_name(store):
    from valuechain.store.db import Store

    kept = Store()
    try:
        kept.import_files([InputFile("a.xlsx", xlsx_bytes(minimal_sheets()))])
        sheets = minimal_sheets()
        sheets["Centre"] = [["champ", "valeur"], ["nom", "centre  TEST"], ["annee", 2026]]
        sheets["Acteurs"][1][0] = "centre  TEST"
        kept.import_files([InputFile("b.xlsx", xlsx_bytes(sheets))])
        assert [c["name"] for c in kept.centres()] == ["Centre Test"]
    finally:
        kept.dispose()


# Point 7: the text report says what was set aside ----------------------------------------------
def test_report_in_text_says_the_errors_and_exits_1(tmp_path):
    path = tmp_path / "erreur.xlsx"
    path.write_bytes(xlsx_bytes(minimal_sheets(flows=[["Mairie", "Jardin", "monetaire", "beaucoup", "€", None]])))
    done = _cli("report", str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 erreur : 1 ligne mise de côté" in done.stdout
    english = _cli("report", str(path), "--lang", "en")
    assert "1 error: 1 row set aside" in english.stdout and english.returncode == 1
    clean = _cli("report", str(EMBRUNS))
    assert clean.returncode == 0 and "Aucune erreur, 0 avertissement." in clean.stdout


# Point 12: the command line met in the first hour ----------------------------------------------
def test_compare_on_a_folder_skips_what_is_no_workbook_and_keeps_to_the_terminal_width(tmp_path):
    folder = tmp_path / "lot"
    folder.mkdir()
    for path in (EMBRUNS, FALAISES, TISSERANDS):
        shutil.copy(path, folder / path.name)
    (folder / "README.md").write_text("# lot\n")
    shutil.copy(SAMPLES / "build_samples.py", folder / "build_samples.py")
    done = _cli("compare", str(folder), env={"COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    assert "est vide" not in done.stderr
    assert "ignoré : README.md" in done.stderr and "ignoré : build_samples.py" in done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 100
    assert "Association Les Embruns" in done.stdout


def test_report_since_a_year_with_nothing_stored_says_so_and_an_unknown_centre_gets_a_suggestion(store):
    assert _cli("import", str(EMBRUNS)).returncode == 0
    empty = _cli("report", "--since", "2099", "--centre", "Association Les Embruns")
    assert empty.returncode == 1
    assert "aucune année depuis 2099" in empty.stderr and "Années :" not in empty.stdout
    typo = _cli("report", "--since", "2020", "--centre", "Association les Embrun")
    assert typo.returncode == 1
    assert "Vouliez-vous dire : Association Les Embruns ?" in typo.stderr


def test_template_refuses_another_extension_and_an_existing_file_without_force(tmp_path):
    csv = tmp_path / "modele.csv"
    done = _cli("template", str(csv))
    assert done.returncode == 1 and not csv.exists()
    assert "modele.xlsx" in done.stderr
    out = tmp_path / "modele.xlsx"
    out.write_bytes(b"mine")
    done = _cli("template", str(out))
    assert done.returncode == 1 and out.read_bytes() == b"mine" and "--force" in done.stderr
    done = _cli("template", str(out), "--force")
    assert done.returncode == 0 and out.read_bytes()[:2] == b"PK"


def test_the_argument_parser_speaks_french_and_english_on_request():
    french = _cli("check")
    assert french.returncode == 2
    assert "utilisation :" in french.stderr and "il manque ces arguments : files" in french.stderr
    assert "usage:" not in french.stderr and "required" not in french.stderr
    english = _cli("check", "--lang", "en")
    assert "usage:" in english.stderr and "the following arguments are required: files" in english.stderr
    by_environment = _cli("check", env={"VALUECHAIN_LANG": "en"})
    assert "the following arguments are required" in by_environment.stderr
    helped = _cli("--help")
    assert "afficher cette aide et quitter" in helped.stdout and "show this help" not in helped.stdout
    wrong = _cli("checks")
    assert "choix invalide : 'checks'" in wrong.stderr

"""What a stranger met on the accounts (docs/comptes.md), each fixed and pinned: every entry of a
flow counted, unreadable amounts said unknown (never 0 €), every line of the file counted,
volunteer hours read from the label with the booked value kept, a short line said as such, and
the command line's `--into`: another year refused, a possible double count said, the centre's
workbook never overwritten, an unwritable `--out` said in the user's language."""

from __future__ import annotations

import io
import re

import pytest
from build_fec import HEADER
from openpyxl import load_workbook

from helpers import ROOT
from valuechain import load_files
from valuechain.accounts.decisions import Decisions, apply
from valuechain.accounts.review import review
from valuechain.cli import main
from valuechain.reading.inputs import InputFile
from valuechain.workbook.writing import raw_workbook_from_records, workbook_bytes, write_raw_workbook

FEC_2024 = ROOT / "sample_data" / "comptes" / "999999999FEC20241231.txt"
FEC_2025 = ROOT / "sample_data" / "comptes" / "999999999FEC20251231.txt"
PASSERELLE = ROOT / "sample_data" / "federation" / "la-passerelle-fictif.xlsx"
NAME = "900000001FEC20251231.txt"


def _spaces(text: str) -> str:
    return re.sub("[\u00a0\u202f]", " ", text)


def _line(entry, day, account, account_label, aux, label, debit, credit, journal="BQ"):
    cells = [journal, "Banque", entry, day, account, account_label, "", aux, entry, day, label, debit, credit]
    return cells + [""] * (len(HEADER) - len(cells))


def _income(entry, account, aux, label, amount, day="20250310"):
    return [
        _line(entry, day, "512000", "Banque", "", label, amount, "0,00"),
        _line(entry, day, account, "Subvention", aux, label, "0,00", amount),
    ]


def _volunteering(entry, label, amount, day="20251231"):
    return [
        _line(entry, day, "864000", "Personnel bénévole", "", label, amount, "0,00", journal="OD"),
        _line(entry, day, "875000", "Bénévolat", "", label, "0,00", amount, journal="OD"),
    ]


def _fec(rows) -> bytes:
    return ("\n".join("\t".join(str(c) for c in row) for row in [HEADER, *rows]) + "\n").encode()


def _review(rows, lang="fr"):
    return review(InputFile(NAME, _fec(rows)), "Centre social des Tilleuls", lang)


def _flows_sheet(found, lang="fr") -> list[dict]:
    sheet = load_workbook(io.BytesIO(found.workbook_bytes(lang)))["Flux" if lang == "fr" else "Flows"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:] if any(row)]


# 3. Every entry of a flow counted --------------------------------------------------------------
@pytest.mark.parametrize(("entries", "more"), [(3_000, "2 800"), (250, "50"), (201, "1"), (200, None)])
def test_a_flow_s_entries_column_lists_200_and_counts_the_real_rest(entries, more):
    rows = [r for n in range(entries) for r in _income(str(n + 1), "741100", "CAF DE LA DROME", "Acompte", "1,00")]
    found = _review(rows)
    (flow,) = found.proposal.flows
    assert flow.entries == entries and len(flow.references) == min(entries, 200)
    (written,) = _flows_sheet(found)
    cell = _spaces(str(written["ecritures"]))
    assert cell.count(" | ") == (200 if more else 199)
    assert cell.endswith(f"| … (+{more})") if more else "…" not in cell
    # Reviewed (here, nothing decided but a rename), the count stays true.
    reviewed = apply(found.proposal, Decisions(renamed={"CAF DE LA DROME": "CAF de la Drôme"}))
    assert [f.entries for f in reviewed.proposal.flows] == [entries]


# 4 and 5. What was left out: unreadable amounts unknown, every line counted ----------------------
def test_unreadable_amounts_are_said_unknown_never_a_0_euro_total():
    rows = _income("1", "741100", "CAF DE LA DROME", "Acompte", "1000,00")
    for entry, amount in (("2", "abc"), ("3", "1e308"), ("4", "NaN")):
        rows.append(_line(entry, "20250310", "741100", "Subvention", "CAF DE LA DROME", "Acompte", "0,00", amount))
    fr, en = _review(rows, "fr"), _review(rows, "en")
    assert [_spaces(x) for x in fr.lines("fr")][-4] == (
        "3 lignes laissées de côté, au montant illisible (valeur inconnue) : voir les problèmes."
    )
    assert en.lines("en")[-4] == "3 lines left out, their amounts unreadable (value unknown): see the problems."
    assert not any("0,00 €" in line for line in fr.lines("fr"))


def test_lines_left_out_with_and_without_an_amount_read_are_said_apart():
    rows = _income("1", "741100", "CAF DE LA DROME", "Acompte", "1000,00")
    rows += _income("2", "741100", "CAF DE LA DROME", "Hors exercice", "8000,00", day="20240105")
    rows.append(_line("3", "20250310", "741100", "Subvention", "CAF DE LA DROME", "Acompte", "0,00", "abc"))
    said = {lang: [_spaces(x) for x in _review(rows, lang).lines(lang)] for lang in ("fr", "en")}
    assert (
        "3 lignes laissées de côté : 2 aux montants lus (8 000,00 € aux comptes 70 à 87), 1 au montant illisible "
        "(valeur inconnue) ; voir les problèmes." in said["fr"]
    )
    assert (
        "3 lines left out: 2 with their amounts read (€8,000.00 in accounts 70 to 87), 1 with an unreadable "
        "amount (value unknown); see the problems." in said["en"]
    )


def test_every_line_of_the_file_is_counted_those_left_out_said_among_them():
    rows = [r for n in range(4) for r in _income(str(n + 1), "741100", "CAF DE LA DROME", "Acompte", "10,00")]
    rows += [r for n in range(2) for r in _income(f"H{n}", "741100", "CAF", "Hors exercice", "5,00", day="20240105")]
    assert len(rows) == 12
    assert _spaces(_review(rows, "fr").lines("fr")[0]) == (
        f"12 lignes lues dans « {NAME} » (UTF-8), exercice 2025, dont 4 laissées de côté."
    )
    assert _review(rows, "en").lines("en")[0] == (
        f"12 lines read in “{NAME}” (UTF-8), fiscal year 2025, of which 4 left out."
    )
    assert _spaces(_review(rows[:8], "fr").lines("fr")[0]) == f"8 lignes lues dans « {NAME} » (UTF-8), exercice 2025."


# 7. Volunteer hours read from the label, the booked value kept ----------------------------------
@pytest.mark.parametrize(
    ("label", "hours"),
    [
        ("Valorisation bénévolat 1 800 h à 11,65 €", 1_800),
        ("Valorisation bénévolat 2024 (1800 heures)", 1_800),
        ("Valorisation bénévolat 2024 à 11,65 €/h", None),
        ("Valorisation bénévolat 2024", None),
    ],
)
def test_volunteering_carries_the_hours_its_label_states_and_keeps_the_value_booked(label, hours):
    rows = _income("1", "741100", "CAF DE LA DROME", "Acompte", "1000,00") + _volunteering("V1", label, "20970,00")
    found = _review(rows)
    (volunteers,) = [f for f in found.proposal.flows if f.nature == "benevolat"]
    assert volunteers.known_hours() == hours
    (written,) = [w for w in _flows_sheet(found) if w["nature"] == "benevolat"]
    assert written["valeur"] == 20_970
    if hours is None:
        assert (written["quantite"], written["unite"]) == (20_970, "€")
        assert "Heures" not in written["regle"]
    else:
        assert (written["quantite"], written["unite"]) == (hours, "h")
        assert "Heures de bénévolat lues dans le libellé" in written["regle"]
    workbook = load_files([InputFile("propose.xlsx", found.workbook_bytes("fr"))])
    assert [p for p in workbook.problems if p.is_error] == []
    (loaded,) = workbook.flows[workbook.flows.nature == "benevolat"].itertuples()
    assert loaded.value_entered == 20_970 and loaded.unit == ("h" if hours else "€")


def test_one_line_without_hours_leaves_the_flow_s_hours_unknown_and_a_left_out_account_takes_its_hours():
    rows = _volunteering("V1", "Bénévolat accueil 1 000 h", "10000,00") + _volunteering(
        "V2", "Bénévolat fête", "500,00"
    )
    (flow,) = [f for f in _review(rows).proposal.flows if f.nature == "benevolat"]
    assert flow.known_hours() is None and flow.cents == 1_050_000
    rows = _volunteering("V1", "Bénévolat accueil 1 000 h", "10000,00")
    rows += [
        _line("V2", "20251231", "864100", "Bénévolat fête", "", "Fête 200 h", "2000,00", "0,00", journal="OD"),
        _line("V2", "20251231", "875000", "Bénévolat", "", "Fête 200 h", "0,00", "2000,00", journal="OD"),
    ]
    proposal = _review(rows).proposal
    (flow,) = [f for f in proposal.flows if f.nature == "benevolat"]
    assert flow.known_hours() == 1_200
    (reviewed,) = apply(proposal, Decisions(left_out_accounts={"864100"})).proposal.flows
    assert (reviewed.known_hours(), reviewed.cents) == (1_000, 1_000_000)


@pytest.mark.parametrize(("fec", "hours", "euros"), [(FEC_2025, 2_000, 24_040), (FEC_2024, 1_800, 20_970)])
def test_the_worked_example_s_volunteers_have_their_hours_as_docs_comptes_md_says(fec, hours, euros):
    found = review(InputFile.from_path(fec), "Centre social La Passerelle")
    (flow,) = [f for f in found.proposal.flows if f.nature == "benevolat"]
    assert (flow.known_hours(), flow.cents) == (hours, euros * 100)


# 8. A line too short, a folder given ------------------------------------------------------------
def test_a_line_with_3_columns_says_so_located_not_an_account_of_no_class():
    rows = _income("1", "741100", "CAF DE LA DROME", "Acompte", "100,00") + [["BQ", "Banque", "2"]]
    found = _review(rows)
    (problem,) = found.proposal.problems
    assert (problem.code, problem.row) == ("fec_line_columns", 4)
    assert _spaces(problem.located("fr")) == (
        f"erreur · {NAME} · 4 — Cette ligne a 3 colonnes au lieu des 18 de l'en-tête : ligne laissée de côté. "
        "Vérifiez le séparateur de la ligne."
    )
    assert "This line has 3 columns instead of the header's 18" in problem.message("en")
    assert found.proposal.left_out_unreadable == 1 and len(found.proposal.flows) == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", "» est un dossier : donnez le fichier FEC (.txt) ou le grand livre (.xlsx, .csv)."),
        ("en", "” is a folder: give the FEC file (.txt) or the ledger export (.xlsx, .csv)."),
    ],
)
def test_a_folder_given_as_the_fec_is_one_sentence_in_the_user_s_language(tmp_path, capsys, lang, said):
    assert main(["accounts", str(tmp_path), "--lang", lang]) == 2
    assert capsys.readouterr().err.strip().endswith(said)


@pytest.mark.parametrize("command", ["check", "report", "export"])
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fr",
            "» est un dossier : donnez le classeur lui-même (.xlsx, .ods, .csv), ou les fichiers CSV qu'il contient.",
        ),
        ("en", "” is a folder: give the workbook itself (.xlsx, .ods, .csv), or the CSV files in it."),
    ],
)
def test_a_folder_given_as_a_workbook_is_said_to_be_a_folder_not_missing(tmp_path, capsys, command, lang, said):
    folder = tmp_path / "Centre"
    folder.mkdir()
    extra = ["--to", str(tmp_path / "out.xlsx")] if command == "export" else []
    assert main([command, str(folder), "--lang", lang, *extra]) == 2
    error = capsys.readouterr().err.strip()
    assert error.endswith(said) and str(folder) in error


# 2 and 6. The command line's --into and --out ----------------------------------------------------
def _workbook(path, year):
    raw = raw_workbook_from_records(
        "Centre social La Passerelle",
        {"name": "Centre social La Passerelle", "year": year},
        actors=[
            {"name": "Centre social La Passerelle", "category": "centre"},
            {"name": "Habitants", "category": "habitants"},
        ],
        flows=[{"source": "Habitants", "target": "Centre social La Passerelle", "nature": "benevolat", "quantity": 30}],
    )
    path.write_bytes(workbook_bytes(write_raw_workbook(raw, "fr")))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fr",
            "Le classeur du centre est celui de 2025 (feuille Centre) et le FEC celui de l'exercice 2024 : rien "
            "n'est ajouté. Donnez le classeur du centre de 2024, ou le FEC de 2025.",
        ),
        (
            "en",
            "The centre's workbook is for 2025 (Centre sheet) and the FEC for the fiscal year 2024: nothing is "
            "added. Give the centre's 2024 workbook, or the 2025 FEC.",
        ),
    ],
)
def test_into_a_workbook_of_another_year_adds_nothing_writes_nothing_and_exits_1(tmp_path, capsys, lang, said):
    centre, out = tmp_path / "centre.xlsx", tmp_path / "complete.xlsx"
    _workbook(centre, 2025)
    assert main(["accounts", str(FEC_2024), "--into", str(centre), "--out", str(out), "--lang", lang]) == 1
    printed = capsys.readouterr()
    assert printed.err.strip() == said and not out.exists()


def test_into_says_the_flows_already_there_from_the_accounts_that_may_count_twice(tmp_path, capsys):
    out = tmp_path / "complete.xlsx"
    assert main(["accounts", str(FEC_2025), "--into", str(PASSERELLE), "--out", str(out), "--lang", "fr"]) == 0
    printed = _spaces(capsys.readouterr().out)
    assert (
        "Compté deux fois ? « CAF du Val d'Ardoise » (96 000,00 €) est déjà dans le classeur d'après les comptes, "
        "et « CAF DE LA DROME » (102 000,00 €) y est ajouté d'après les comptes." in printed
    )  # 90 000 of subsidy (74) and 12 000 of prestation (70)
    assert (
        "« Mairie de Ardoise-les-Bains » (41 000,00 €)" in printed
        and "« Ville de Saint-Aubin » (48 500,00 €)" in printed
    )
    assert printed.count("Compté deux fois ?") == 2
    assert printed.strip().endswith(f"Classeur du centre complété écrit : {out}")
    assert "Classeur proposé écrit" not in printed


def test_out_equal_to_into_is_refused_and_the_centre_s_workbook_is_untouched(tmp_path, capsys):
    centre = tmp_path / "centre.xlsx"
    _workbook(centre, 2025)
    before = centre.read_bytes()
    same = str(tmp_path / "." / "centre.xlsx")
    assert main(["accounts", str(FEC_2025), "--into", str(centre), "--out", same, "--lang", "fr"]) == 2
    assert capsys.readouterr().err.strip() == (
        "--out et --into nomment le même fichier : le classeur du centre n'est jamais écrasé. "
        "Donnez à --out un autre nom."
    )
    assert centre.read_bytes() == before


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", "Impossible d'écrire « {out} » : son dossier n'existe pas."),
        ("en", "Cannot write “{out}”: its folder does not exist."),
    ],
)
def test_an_unwritable_out_is_said_in_the_user_s_language(tmp_path, capsys, lang, said):
    out = str(tmp_path / "nodir" / "x.xlsx")
    assert main(["accounts", str(FEC_2025), "--out", out, "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == said.format(out=out)
    # The same sentence for every command that writes a file (`_write`, shared).
    assert main(["template", out, "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == said.format(out=out)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fr",
            "1 erreur : 1 ligne mise de côté ; 0 avertissement. Une ligne mise de côté ne compte dans aucun chiffre",
        ),
        ("en", "1 error: 1 row set aside; 0 warnings. A row set aside counts in no figure"),
    ],
)
def test_an_export_of_a_workbook_with_errors_says_the_rows_set_aside(tmp_path, capsys, lang, said):
    """The export was written and said "Fichier écrit" alone, exit 0, while report said that
    rows were set aside: now it says so too, with report's exit code."""
    raw = raw_workbook_from_records(
        "Castors",
        {"name": "Les Castors", "year": 2025},
        actors=[{"name": "Les Castors", "category": "centre"}, {"name": "Mairie", "category": "institutions"}],
        flows=[
            {"source": "Mairie", "target": "Les Castors", "nature": "monetaire", "value": 1000},
            {"source": "Mairie", "target": "Les Castors", "nature": "monetaire", "value": "-3"},
        ],
    )
    path = tmp_path / "castors.xlsx"
    path.write_bytes(workbook_bytes(write_raw_workbook(raw, lang)))
    assert main(["export", str(path), "--to", str(tmp_path / "castors.pdf"), "--lang", lang]) == 1
    out, err = capsys.readouterr()
    assert (tmp_path / "castors.pdf").stat().st_size > 1000 and str(tmp_path / "castors.pdf") in out
    assert said in " ".join(err.split())

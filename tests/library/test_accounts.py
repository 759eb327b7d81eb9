"""The centre's accounts in (issue 36): a FEC read tolerantly, the chain it shows proposed and
reconciled to the cent, nobody's name made an actor; the worked example of docs/comptes.md."""

from __future__ import annotations

import io
import re
from datetime import date

import build_fec
import pytest
from build_fec import HEADER as FEC_HEADER
from openpyxl import load_workbook

from helpers import ROOT, typed_centre_workbook, xlsx_bytes
from valuechain import load_files
from valuechain.accounts.fec import cents, read_ledger
from valuechain.accounts.propose import DATA_SOURCE, propose, to_workbook
from valuechain.accounts.review import review
from valuechain.cli import main
from valuechain.reading.inputs import InputFile
from valuechain.vocabulary import flow_evidence
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

# The 18 columns of the standard, in its order: as the worked example's builder writes them.
HEADER = list(FEC_HEADER)
SAMPLE = ROOT / "sample_data" / "comptes" / "999999999FEC20251231.txt"
CENTRE = "Centre social La Passerelle"


def line(entry, day, account, account_label, aux, label, debit, credit, journal="BQ", piece=""):
    return [journal, "Banque", entry, day, account, account_label, "", aux, piece or entry, day, label, debit, credit]


def fec(rows, separator="\t", header=HEADER) -> str:
    return "\n".join(separator.join(str(c) for c in row) for row in [header, *rows]) + "\n"


def income(entry, account, account_label, aux, label, amount, day="20250310"):
    return [
        line(entry, day, "512000", "Banque", "", label, amount, "0,00"),
        line(entry, day, account, account_label, aux, label, "0,00", amount),
    ]


def ledger_of(text: str, name="900000001FEC20251231.txt", encoding="utf-8"):
    return read_ledger(InputFile(name, text.encode(encoding)))


def _builder():
    return build_fec


def _spaces(text: str) -> str:
    return re.sub("[\u00a0\u202f]", " ", text)


# The worked example of docs/comptes.md --------------------------------------------------------
EXPECTED_FLOWS = {  # (source, nature, account class): euros, as worked by hand in docs/comptes.md
    ("CAF DE LA DROME", "monetaire", "74"): 90_000.00,
    ("Ville de Saint-Aubin", "monetaire", "74"): 45_000.00,
    ("DEPARTEMENT DE LA DROME", "monetaire", "74"): 18_000.00,
    ("Région", "monetaire", "74"): 6_000.00,
    ("FONJEP", "monetaire", "74"): 7_400.00,
    ("ANCT", "monetaire", "74"): 8_000.00,
    ("FONDATION DE FRANCE", "monetaire", "74"): 8_000.00,
    ("Ville de Saint-Aubin", "monetaire", "73"): 3_500.00,
    ("CAF DE LA DROME", "monetaire", "70"): 12_000.00,
    ("Usagers et familles (participations)", "monetaire", "70"): 3_132.00,
    ("Adhérents (cotisations)", "monetaire", "75"): 800.00,
    ("Donateurs (dons)", "monetaire", "75"): 950.00,
    ("Bénévoles (frais abandonnés)", "monetaire", "75"): 360.00,
    ("SARL BOULANGERIE DU MARCHE", "monetaire", "75"): 1_500.00,
    ("Bénévoles", "benevolat", "86"): 24_040.00,
    ("Ville de Saint-Aubin", "lieu", "86"): 9_600.00,
    ("BANQUE ALIMENTAIRE DE LA DROME", "nature", "86"): 3_200.00,
    ("SAS EXPERTISE CONSEIL", "competences", "86"): 1_800.00,
}


def test_the_sample_fec_is_written_by_its_script_byte_for_byte():
    assert SAMPLE.read_bytes() == _builder().fec_bytes()


def test_the_worked_example_gives_the_chain_worked_by_hand_to_the_cent():
    found = review(InputFile.from_path(SAMPLE), CENTRE)
    flows = {(f.source, f.nature, f.group): f.cents / 100 for f in found.proposal.flows}
    assert flows == EXPECTED_FLOWS
    assert found.ledger.year == 2025 and found.ledger.encoding == "ISO-8859-15"
    assert found.proposal.problems == []
    said = [_spaces(s) for s in found.lines("fr")]
    assert "74 : 182 400,00 € dans les comptes, 182 400,00 € dans la chaîne" in said
    assert "86 : 38 640,00 € dans les comptes, 38 640,00 € dans la chaîne" in said
    assert "74: €182,400.00 in the accounts, €182,400.00 in the chain" in [_spaces(s) for s in found.lines("en")]
    assert {r.group: (r.accounts, r.chain) for r in found.proposal.reconciliation} == {
        "70": (1_513_200, 1_513_200),
        "73": (350_000, 350_000),
        "74": (18_240_000, 18_240_000),
        "75": (361_000, 361_000),
        "86": (3_864_000, 3_864_000),
        "87": (3_864_000, 3_864_000),
    }


def test_the_proposed_workbook_is_a_valid_centre_workbook_whose_flows_are_measured_and_traceable():
    found = review(InputFile.from_path(SAMPLE), CENTRE)
    workbook = load_files([InputFile("propose.xlsx", found.workbook_bytes("fr"))])
    assert [p for p in workbook.problems if p.is_error] == []
    assert workbook.centre.name == CENTRE and workbook.centre.year == 2025
    flows = workbook.flows
    assert round(flows["value_entered"].sum(), 2) == round(sum(EXPECTED_FLOWS.values()), 2)
    assert set(flows["data_source"]) == {DATA_SOURCE}
    assert {flow_evidence(s) for s in flows["data_source"]} == {"mesure"}
    caf = flows[(flows["source"] == "CAF DE LA DROME") & (flows["value_entered"] == 90_000.0)].iloc[0]
    assert caf["extras"]["ecritures"].split(" | ") == [
        "BQ BQ00002 (CAF-AG1)",
        "BQ BQ00003 (CAF-AG2)",
        "BQ BQ00004 (CAF-AG3)",
        "BQ BQ00005 (CAF-AG4)",
        "BQ BQ00006 (CAF-ACF)",
    ]
    assert caf["extras"]["comptes"] == "741100"


def test_the_sample_fec_s_individuals_never_reach_an_output(tmp_path, capsys):
    """Families, members, donors, volunteers and employees of the sample: no output names them."""
    builder = _builder()
    people = [f"famille {f}" for f in builder.FAMILIES] + [e.lower() for e in builder.EMPLOYEES]
    people += [f"{first} {last}".lower() for first in builder.FIRST_NAMES for last in builder.FAMILIES]
    people += [last.lower() for last in builder.FAMILIES]
    out = tmp_path / "propose.xlsx"
    assert main(["accounts", str(SAMPLE), "--out", str(out), "--centre", CENTRE, "--lang", "fr"]) == 0
    printed = capsys.readouterr().out.lower()
    cells = " ".join(
        str(c).lower() for sheet in load_workbook(out) for row in sheet.iter_rows(values_only=True) for c in row if c
    )
    for person in people:
        assert not re.search(rf"\b{re.escape(person)}\b", printed), person
        assert not re.search(rf"\b{re.escape(person)}\b", cells), person


# Reading ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234,56", 123456),
        ("1 234,56", 123456),
        ("1\u00a0234,5", 123450),
        ("1.234,56", 123456),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("-12,5", -1250),
        ("", 0),
        ("0,005", 1),
        ("abc", None),
        ("1e5", None),
        ("NaN", None),
        ("1,2,3", None),
    ],
)
def test_amounts_are_read_to_the_cent_with_a_decimal_comma_or_point(text, expected):
    assert cents(text) == expected


WELL_FORMED = [
    *income("1", "741100", "Subvention CAF", "CAF DE LA DROME", "Acompte CAF", "1000,50"),
    *income("2", "756000", "Cotisations", "Mme Hélène Œuvray", "Cotisation", "10,00"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "iso-8859-15", "cp1252"])
def test_the_encodings_met_are_detected(encoding):
    text = fec(WELL_FORMED)
    ledger = ledger_of(text, encoding=encoding)
    assert [x.aux_label for x in ledger.lines][3] == "Mme Hélène Œuvray"
    assert ledger.encoding == {"utf-8-sig": "UTF-8", "utf-8": "UTF-8"}.get(encoding, ledger.encoding)
    assert ledger.problems == []


def test_pipes_decimal_points_and_montant_sens_read_as_tabs_and_debit_credit():
    plain = ledger_of(fec(WELL_FORMED))
    piped = ledger_of(fec([[c.replace(",", ".") for c in row] for row in WELL_FORMED], "|"))
    signed_header = [*HEADER[:11], "Montant", "Sens"]
    signed_rows = [
        [*row[:11], row[11] if row[11] != "0,00" else row[12], "D" if row[11] != "0,00" else "C"] for row in WELL_FORMED
    ]
    signed = ledger_of(fec(signed_rows, "|", signed_header))
    for other in (piped, signed):
        assert [(x.account, x.debit, x.credit) for x in other.lines] == [
            (x.account, x.debit, x.credit) for x in plain.lines
        ]
        assert other.problems == []


def test_a_ledger_export_in_xlsx_or_csv_gives_the_same_lines():
    plain = ledger_of(fec(WELL_FORMED))
    book = xlsx_bytes(
        {
            "Grand livre": [
                HEADER[:13],
                *[[*r[:11], float(r[11].replace(",", ".")), float(r[12].replace(",", "."))] for r in WELL_FORMED],
            ]
        }
    )
    from_xlsx = read_ledger(InputFile("grand-livre.xlsx", book))
    from_csv = read_ledger(InputFile("grand-livre.csv", fec(WELL_FORMED, ";").encode("cp1252")))
    for other in (from_xlsx, from_csv):
        assert [(x.account, x.aux_label, x.debit, x.credit, x.when) for x in other.lines] == [
            (x.account, x.aux_label, x.debit, x.credit, x.when) for x in plain.lines
        ]


def test_what_cannot_be_read_is_located_and_every_valid_line_is_kept():
    rows = [
        *income("1", "741100", "Subvention CAF", "CAF", "Acompte", "100,00"),
        line("2", "20250310", "512000", "Banque", "", "Déséquilibrée", "50,00", "0,00"),
        line("2", "20250310", "741200", "Subvention Ville", "", "Déséquilibrée", "0,00", "40,00"),
        *income("3", "X41100", "Compte ?", "", "Classe inconnue", "7,00"),
        *income("4", "741100", "Subvention CAF", "CAF", "Hors exercice", "9,00", day="20240105"),
        line("5", "20250310", "741100", "Subvention CAF", "CAF", "Montant", "0,00", "douze"),
    ]
    ledger = ledger_of(fec(rows))
    found = {(p.code, p.row, p.column) for p in ledger.problems}
    assert found == {
        ("fec_unbalanced", 4, "EcritureNum"),
        ("fec_unknown_class", 7, "CompteNum"),
        ("fec_date_outside_year", 8, "EcritureDate"),
        ("fec_date_outside_year", 9, "EcritureDate"),
        ("fec_amount_unreadable", 10, "Credit"),
    }
    assert [x.line for x in ledger.lines] == [2, 3, 4, 5, 6]
    assert {x.line for x in ledger.left_out} == {7, 8, 9}
    messages = {p.code: (p.message("fr"), p.message("en")) for p in ledger.problems}
    assert "50,00 au débit, 40,00 au crédit" in messages["fec_unbalanced"][0]
    assert "does not balance" in messages["fec_unbalanced"][1]
    assert "01/01/2025" in messages["fec_date_outside_year"][0] and "31/12/2025" in messages["fec_date_outside_year"][0]


def test_the_fiscal_year_comes_from_the_name_else_from_the_dates():
    text = fec(income("1", "741100", "Subvention CAF", "CAF", "Acompte", "100,00", day="20250915"))
    assert ledger_of(text, "900000001FEC20260630.txt").year_start == date(2025, 7, 1)
    assert ledger_of(text, "grand-livre.txt").year_end == date(2025, 12, 31)


# Proposing -------------------------------------------------------------------------------------
def _proposal(rows, lang="fr"):
    return propose(ledger_of(fec(rows)), "Le centre", lang)


def test_a_funder_is_named_by_its_auxiliary_account_else_by_the_label_else_by_the_account_with_the_reason():
    proposal = _proposal(
        [
            *income("1", "741100", "Subventions", "FONDATION ABBÉ PIERRE", "Appel à projets", "100,00"),
            *income("2", "741200", "Subventions", "", "Subvention Mairie de Saint-Aubin 2025", "200,00"),
            *income("3", "741300", "Subvention Région Auvergne", "", "Acompte 2/3", "300,00"),
            *income("4", "741400", "Subventions", "", "Acompte sans nom", "400,00"),
        ]
    )
    actors = {a.name: (a.category, a.kind, a.rule) for a in proposal.actors.values()}
    assert actors == {
        "FONDATION ABBÉ PIERRE": ("financeurs", "fondation", "aux"),
        "Mairie de Saint-Aubin": ("institutions", "commune", "label"),
        "Région": ("institutions", "region", "account_label"),
        "Autres financeurs (subventions)": ("autre", None, "aggregate"),
    }
    book = to_workbook(proposal, "fr")
    reasons = {r.cells["name"]: r.cells.get("description") for r in book.tables["actors"].rows}
    assert "CompAuxLib" in reasons["FONDATION ABBÉ PIERRE"] and "Fondation" in reasons["FONDATION ABBÉ PIERRE"]
    assert "EcritureLib" in reasons["Mairie de Saint-Aubin"] and "Commune" in reasons["Mairie de Saint-Aubin"]
    assert "CompteLib" in reasons["Région"]


def test_contributions_in_kind_take_their_use_from_86_else_their_87_label_else_the_2018_numbering():
    def in_kind(entry, use, source, label, amount="10,00", aux=""):
        rows = [line(entry, "20251231", source[0], source[1], "", label, "0,00", amount, journal="OD")]
        if use:
            rows.insert(0, line(entry, "20251231", use[0], use[1], aux, label, amount, "0,00", journal="OD"))
        return rows

    proposal = _proposal(
        [
            *in_kind("1", ("860000", "Secours en nature"), ("875000", "Bénévolat (99-01)"), "Denrées"),
            *in_kind(
                "2", ("861000", "Mise à disposition"), ("871000", "Prestations"), "Salle", aux="COMMUNE DE SAINT-AUBIN"
            ),
            *in_kind("3", ("862000", "Prestations"), ("871000", "Prestations"), "Conseil"),
            *in_kind("4", ("864000", "Personnel bénévole"), ("870000", "Bénévolat (99-01)"), "Heures"),
            *in_kind("5", None, ("870000", "Dons en nature"), "Valorisation du bénévolat"),
            *in_kind("6", None, ("875000", "Compte 875"), "Sans mot"),
        ]
    )
    flows = {(f.source, f.nature, f.group): (f.cents, f.rules, f.references) for f in proposal.flows}
    assert flows == {
        ("Donateurs en nature", "nature", "86"): (1000, ["account"], ["OD 1"]),
        ("COMMUNE DE SAINT-AUBIN", "lieu", "86"): (1000, ["account"], ["OD 2"]),
        ("Prestations en nature", "competences", "86"): (1000, ["account"], ["OD 3"]),
        ("Bénévoles", "benevolat", "86"): (1000, ["account"], ["OD 4"]),
        ("Bénévoles", "benevolat", "87"): (2000, ["label", "sub_account_2018"], ["OD 5", "OD 6"]),
    }
    rules = {r.cells["regle"] for r in to_workbook(proposal, "fr").tables["flows"].rows}
    assert any("2018-06" in rule and "99-01" in rule for rule in rules)


PEOPLE = ("Jeanne Vasseur", "DUPUIS Marcel", "Famille Kowalski", "Mme Odile Brossard", "M. Yannick Le Goff")


def test_individuals_in_the_accounts_never_become_actors_nor_reach_any_output(tmp_path, capsys):
    rows = [
        *income("1", "706000", "Participations", "Famille Kowalski", "Séjour famille Kowalski", "120,00"),
        *income("2", "756100", "Cotisations", "Mme Odile Brossard", "Cotisation Mme Odile Brossard", "10,00"),
        *income("3", "754100", "Dons", "Jeanne Vasseur", "Don de Jeanne Vasseur", "50,00"),
        *income("4", "741100", "Subventions", "M. Yannick Le Goff", "Subvention", "70,00"),
        line("5", "20250131", "641100", "Salaires", "", "Salaire DUPUIS Marcel", "1800,00", "0,00", journal="SA"),
        line(
            "5",
            "20250131",
            "421000",
            "Personnel",
            "DUPUIS Marcel",
            "Salaire DUPUIS Marcel",
            "0,00",
            "1800,00",
            journal="SA",
        ),
        line(
            "6",
            "20251231",
            "864000",
            "Bénévolat",
            "Jeanne Vasseur",
            "Heures de Jeanne Vasseur",
            "120,20",
            "0,00",
            journal="OD",
        ),
        line(
            "6",
            "20251231",
            "875000",
            "Bénévolat",
            "Jeanne Vasseur",
            "Heures de Jeanne Vasseur",
            "0,00",
            "120,20",
            journal="OD",
        ),
    ]
    path = tmp_path / "900000001FEC20251231.txt"
    path.write_text(fec(rows), encoding="iso-8859-15")
    out = tmp_path / "propose.xlsx"
    outputs = []
    for lang in ("fr", "en"):
        assert main(["accounts", str(path), "--out", str(out), "--lang", lang]) == 0
        outputs.append(capsys.readouterr().out)
        outputs += [
            str(c) for sheet in load_workbook(out) for row in sheet.iter_rows(values_only=True) for c in row if c
        ]
    proposal = _proposal(rows)
    outputs += [a.name for a in proposal.actors.values()] + [f.source for f in proposal.flows]
    every = "\n".join(outputs).lower()
    for person in PEOPLE:
        for word in person.lower().replace("famille ", "").replace("mme ", "").replace("m. ", "").split():
            if len(word) > 3:
                assert word not in every, (person, word)
    assert {f.source for f in proposal.flows} == {
        "Usagers et familles (participations)",
        "Adhérents (cotisations)",
        "Donateurs (dons)",
        "Autres financeurs (subventions)",
        "Bénévoles",
    }


def test_labels_that_look_like_formulas_are_written_as_text():
    rows = income("1", "741100", "Subventions", "=CAF DE LA DROME+HYPERLINK(1)", "=1+1", "10,00")
    book = write_raw_workbook(to_workbook(_proposal(rows), "fr"), "fr")
    loaded = load_workbook(io.BytesIO(workbook_bytes(book)))
    formulas = [c.value for sheet in loaded for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    names = [c.value for c in loaded["Acteurs"]["B"]]
    assert formulas == [] and "=CAF DE LA DROME+HYPERLINK(1)" in names


def test_the_command_line_prints_the_reconciliation_and_exits_1_on_a_located_error(tmp_path, capsys):
    path = tmp_path / "900000001FEC20251231.txt"
    rows = [*income("1", "741100", "Subvention CAF", "CAF", "Acompte", "182400,00")]
    rows.append(line("2", "20250310", "741100", "Subvention CAF", "CAF", "Montant", "0,00", "douze"))
    path.write_text(fec(rows), encoding="utf-8")
    assert main(["accounts", str(path), "--lang", "fr"]) == 1
    printed = _spaces(capsys.readouterr().out)
    assert "74 : 182 400,00 € dans les comptes, 182 400,00 € dans la chaîne" in printed
    assert "900000001FEC20251231.txt · 4 · Credit · douze" in printed


# Merging into the centre's workbook ------------------------------------------------------------
def _centre_workbook(path):
    raw = typed_centre_workbook(
        CENTRE,
        actors=[{"name": "Habitants", "category": "habitants", "local": "oui"}],
        flows=[{"source": "Habitants", "target": CENTRE, "nature": "benevolat", "quantity": 300, "unit": "h"}],
    )
    path.write_bytes(workbook_bytes(write_raw_workbook(raw, "fr")))
    return raw


def test_merging_into_the_centre_s_workbook_keeps_typed_rows_doubles_nothing_and_lists_conflicts(tmp_path, capsys):
    from valuechain.reading.reader import read_files

    centre = tmp_path / "centre.xlsx"
    typed = _centre_workbook(centre)
    out = tmp_path / "complete.xlsx"
    code = main(["accounts", str(SAMPLE), "--into", str(centre), "--out", str(out), "--lang", "fr"])
    printed = _spaces(capsys.readouterr().out)
    assert code == 0
    # The CAF's subsidy and prestation (90 000 + 12 000) are the 102 000 typed: not doubled.
    assert "Déjà dans le classeur, non doublé : « CAF DE LA DROME »." in printed
    assert (
        "« Ville de Saint-Aubin » (Financement, ventes, dons en argent) vaut 40 000,00 € dans le classeur et 48 500,00 €"
        in printed
    )
    merged = read_files([InputFile("complete.xlsx", out.read_bytes())])
    for code_ in ("actors", "flows"):
        kept = [{k: v for k, v in r.cells.items()} for r in merged.tables[code_].rows[: len(typed.tables[code_].rows)]]
        assert kept == [{k: v for k, v in r.cells.items()} for r in typed.tables[code_].rows]
    flows = [(r.cells["source"], r.cells["nature"]) for r in merged.tables["flows"].rows]
    assert ("CAF DE LA DROME", "monetaire") not in flows and flows.count(("Ville de Saint-Aubin", "monetaire")) == 1
    assert ("Ville de Saint-Aubin", "lieu") in flows and ("Bénévoles", "benevolat") in flows
    assert len(flows) == 3 + len(EXPECTED_FLOWS) - 4  # the CAF's two and the Ville's two monetary flows not added
    names = [r.cells["name"] for r in merged.tables["actors"].rows]
    assert "CAF DE LA DROME" not in names  # the typed "Caf de la Drôme", written otherwise
    assert names.count("Ville de Saint-Aubin") == 1 and "FONDATION DE FRANCE" in names
    workbook = load_files([InputFile("complete.xlsx", out.read_bytes())])
    assert [p for p in workbook.problems if p.is_error] == []


def test_into_without_out_is_refused_and_the_centre_s_workbook_is_never_overwritten(tmp_path, capsys):
    centre = tmp_path / "centre.xlsx"
    _centre_workbook(centre)
    before = centre.read_bytes()
    assert main(["accounts", str(SAMPLE), "--into", str(centre), "--lang", "en"]) == 2
    assert "--out" in capsys.readouterr().err and centre.read_bytes() == before


def test_a_round_trip_accounts_to_chain_to_the_86_87_export_gives_back_the_totals_booked():
    from valuechain.chain.analysis import analyse
    from valuechain.media.results import contributions_in_kind

    found = review(InputFile.from_path(SAMPLE), CENTRE)
    analysis = analyse(load_files([InputFile("propose.xlsx", found.workbook_bytes("fr"))]))
    lines = {line.use_account[:3]: round(line.value, 2) for line in contributions_in_kind(analysis, "fr")}
    assert lines == {"864": 24_040.00, "861": 9_600.00, "860": 3_200.00, "862": 1_800.00}
    booked = {r.group: r.accounts for r in found.proposal.reconciliation}
    assert round(sum(lines.values()) * 100) == booked["86"] == booked["87"]

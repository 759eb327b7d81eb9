"""The director's review of the chain the accounts show (issue 36, part 3): actors renamed,
merged, re-categorised or left out, flows linked to activities or left out, an account's lines
left out; the reconciliation stays true (chain + left out = accounts, class by class), each euro
keeps its entries, nobody's name becomes an actor. Worked by hand on the sample FEC
(docs/comptes.md: 74 = 182 400,00 €, 70 = 15 132,00, 73 = 3 500,00, 75 = 3 610,00,
86 = 87 = 38 640,00)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import ROOT, typed_centre_workbook
from valuechain import load_files
from valuechain.accounts.decisions import Decisions, apply, flow_key, workbook
from valuechain.accounts.merge import merge_into
from valuechain.accounts.review import review
from valuechain.reading.inputs import InputFile
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

SAMPLE = ROOT / "sample_data" / "comptes" / "999999999FEC20251231.txt"
CENTRE = "Centre social La Passerelle"
ACCOUNTS = {"70": 1_513_200, "73": 350_000, "74": 18_240_000, "75": 361_000, "86": 3_864_000, "87": 3_864_000}


@pytest.fixture(scope="module")
def sample():
    return review(InputFile.from_path(SAMPLE), CENTRE, "fr")


def _spaces(text: str) -> str:
    return re.sub("[\u00a0\u202f]", " ", text)


def _flows(proposal) -> dict[str, int]:
    return {flow_key(f): f.cents for f in proposal.flows if f.cents > 0}


def _chain(reviewed) -> dict[str, int]:
    return {row.group: row.chain for row in reviewed.proposal.reconciliation}


def _reconciles(reviewed) -> None:
    """Class by class: the chain and what was left out make the accounts, to the cent."""
    set_aside = reviewed.set_aside_by_class()
    for row in reviewed.proposal.reconciliation:
        assert row.accounts == ACCOUNTS[row.group]
        assert row.chain + set_aside.get(row.group, (0, 0))[1] == row.accounts, row.group


def test_without_decisions_the_review_is_the_proposal(sample):
    reviewed = apply(sample.proposal, Decisions())
    assert _chain(reviewed) == ACCOUNTS and reviewed.set_aside == [] and reviewed.refused == []
    assert _flows(reviewed.proposal) == _flows(sample.proposal) and len(reviewed.proposal.actors) == 15


@pytest.mark.parametrize(
    ("lang", "class_line", "total_line"),
    [
        (
            "fr",
            "74 : 182 400,00 € dans les comptes, 174 400,00 € dans la chaîne, 8 000,00 € laissés de côté (1 ligne)",
            "Laissé de côté à la relecture : 1 ligne, 8 000,00 €.",
        ),
        (
            "en",
            "74: €182,400.00 in the accounts, €174,400.00 in the chain, €8,000.00 left out (1 line)",
            "Left out in review: 1 line, €8,000.00.",
        ),
    ],
)
def test_a_funder_left_out_takes_its_8000_euros_out_of_74_and_says_so(sample, lang, class_line, total_line):
    reviewed = apply(sample.proposal, Decisions(left_out_actors={"FONDATION DE FRANCE"}), lang)
    assert _chain(reviewed) == {**ACCOUNTS, "74": 18_240_000 - 800_000}
    assert "FONDATION DE FRANCE" not in reviewed.proposal.actors and len(reviewed.proposal.actors) == 14
    said = [_spaces(line) for line in reviewed.lines(lang)]
    assert class_line in said and total_line in said
    assert said[0] == _spaces(reviewed.proposal.reconciliation[0].sentence(lang))  # 70 untouched, said as before
    _reconciles(reviewed)
    assert "74 · monetaire · FONDATION DE FRANCE" in _flows(sample.proposal)  # the proposal itself is unchanged


def test_two_funders_merged_are_one_actor_whose_flow_sums_theirs_and_keeps_every_entry(sample):
    reviewed = apply(sample.proposal, Decisions(merged={"FONJEP": "ANCT"}))
    flows = _flows(reviewed.proposal)
    assert flows["74 · monetaire · ANCT"] == 740_000 + 800_000  # 7 400,00 + 8 000,00
    assert not any("FONJEP" in key for key in flows)
    assert "FONJEP" not in reviewed.proposal.actors and len(reviewed.proposal.actors) == 14
    (anct,) = [f for f in reviewed.proposal.flows if flow_key(f) == "74 · monetaire · ANCT"]
    assert anct.references == ["BQ BQ00012 (FONJEP)", "BQ BQ00013 (ANCT)"] and anct.accounts == {"741500"}
    assert len(reviewed.proposal.flows) == 17 and _chain(reviewed) == ACCOUNTS and reviewed.set_aside == []


def test_a_merge_keeps_the_classes_apart_and_the_joined_actor_s_category(sample):
    """The département's 18 000 join the CAF's 90 000 in 74; the CAF's prestation (70) stays a flow of its own."""
    reviewed = apply(sample.proposal, Decisions(merged={"DEPARTEMENT DE LA DROME": "CAF DE LA DROME"}))
    flows = _flows(reviewed.proposal)
    assert flows["74 · monetaire · CAF DE LA DROME"] == 10_800_000
    assert flows["70 · monetaire · CAF DE LA DROME"] == 1_200_000
    (caf,) = [f for f in reviewed.proposal.flows if flow_key(f) == "74 · monetaire · CAF DE LA DROME"]
    assert len(caf.references) == 5 + 1 and "BQ BQ00010 (CD26)" in caf.references
    assert reviewed.proposal.actors["CAF DE LA DROME"].category == "institutions"
    _reconciles(reviewed)


def test_renamed_actors_take_their_flows_and_a_name_given_twice_is_one_actor(sample):
    decisions = Decisions(renamed={"ANCT": "Agence nationale de la cohésion des territoires", "FONJEP": "ANCT "})
    reviewed = apply(sample.proposal, decisions)
    flows = _flows(reviewed.proposal)
    assert flows["74 · monetaire · Agence nationale de la cohésion des territoires"] == 800_000
    assert flows["74 · monetaire · ANCT"] == 740_000  # FONJEP, renamed ANCT once the ANCT has another name
    assert reviewed.refused == [] and len(reviewed.proposal.actors) == 15
    same = apply(sample.proposal, Decisions(renamed={"FONJEP": "anct"}))
    assert sum(1 for name in same.proposal.actors if name.lower() == "anct") == 1
    assert [cents for key, cents in _flows(same.proposal).items() if key.lower().endswith("anct")] == [1_540_000]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fr",
            "« Mme Odile Brossard » est le nom d'une personne, et les personnes ne sont pas des acteurs : "
            "« Donateurs (dons) » garde son nom.",
        ),
        (
            "en",
            "“Mme Odile Brossard” is a person's name, and people are not actors: “Donateurs (dons)” keeps its name.",
        ),
    ],
)
def test_an_actor_renamed_as_a_person_is_refused_in_a_sentence_and_keeps_its_name(sample, lang, said):
    reviewed = apply(sample.proposal, Decisions(renamed={"Donateurs (dons)": "Mme Odile Brossard"}), lang)
    assert said in reviewed.refused and said in reviewed.lines(lang)
    assert "Donateurs (dons)" in reviewed.proposal.actors
    assert not any("Brossard" in name for name in reviewed.proposal.actors)
    assert not any(
        "Brossard" in str(row.cells) for table in workbook(reviewed.proposal).tables.values() for row in table.rows
    )


def test_a_category_is_changed_from_the_vocabulary_and_anything_else_is_refused(sample):
    decisions = Decisions(categories={"SAS EXPERTISE CONSEIL": "financeurs", "ANCT": "centre", "FONJEP": "banque"})
    reviewed = apply(sample.proposal, decisions)
    actors = reviewed.proposal.actors
    assert actors["SAS EXPERTISE CONSEIL"].category == "financeurs"
    assert actors["ANCT"].category == actors["FONJEP"].category == "institutions"
    assert reviewed.refused == [  # in the order of the proposal's actors
        "« banque » n'est pas une catégorie d'acteur : « FONJEP » garde la sienne.",
        "« centre » n'est pas une catégorie d'acteur : « ANCT » garde la sienne.",
    ]


def test_an_account_s_lines_left_out_are_counted_and_the_flow_keeps_the_rest(sample):
    """The 24 meals × 30,00 of 708000 out: the users' participations keep their 120 × 100,50 / 5 = 2 412,00."""
    reviewed = apply(sample.proposal, Decisions(left_out_accounts={"708000"}))
    flows = _flows(reviewed.proposal)
    assert flows["70 · monetaire · Usagers et familles (participations)"] == 241_200
    assert reviewed.set_aside_by_class() == {"70": (24, 72_000)}
    assert reviewed.total_set_aside() == (24, 72_000)
    (users,) = [f for f in reviewed.proposal.flows if f.source == "Usagers et familles (participations)"]
    assert users.accounts == {"706000"}
    # The entries behind the meals no longer stand behind the flow; those of 706000 still do.
    (proposed,) = [f for f in sample.proposal.flows if f.source == "Usagers et familles (participations)"]
    meals = {r for r, accounts in proposed.reference_accounts.items() if accounts == {"708000"}}
    kept = {r for r, accounts in proposed.reference_accounts.items() if "706000" in accounts}
    assert meals and kept
    assert not meals & set(users.references) and kept <= set(users.references)
    _reconciles(reviewed)


def test_a_contribution_in_kind_left_out_leaves_86_and_87_alike(sample):
    reviewed = apply(sample.proposal, Decisions(left_out_flows={"86 · lieu · Ville de Saint-Aubin"}))
    chain = _chain(reviewed)
    assert chain["86"] == chain["87"] == 3_864_000 - 960_000  # 38 640,00 − 9 600,00 of premises
    assert reviewed.set_aside_by_class() == {"86": (1, 960_000), "87": (1, 960_000)}
    assert "Ville de Saint-Aubin" in reviewed.proposal.actors  # its subsidy and contribution stay
    _reconciles(reviewed)


def test_every_decision_at_once_still_reconciles_to_the_cent(sample):
    decisions = Decisions(
        renamed={"ANCT": "État (ANCT, FONJEP)"},
        merged={"FONJEP": "ANCT", "Donateurs (dons)": "Adhérents (cotisations)"},
        categories={"BANQUE ALIMENTAIRE DE LA DROME": "associations"},
        activities={"74 · monetaire · Région": "Projet jeunes"},
        left_out_actors={"SARL BOULANGERIE DU MARCHE"},
        left_out_flows={"74 · monetaire · FONDATION DE FRANCE"},
        left_out_accounts={"708000", "754120"},
    )
    reviewed = apply(sample.proposal, decisions)
    _reconciles(reviewed)
    # 8 000 (fondation) in 74; 720 (meals) in 70; 1 500 (mécénat) + 360 (frais abandonnés) in 75.
    assert reviewed.set_aside_by_class() == {"74": (1, 800_000), "70": (24, 72_000), "75": (1 + 3, 186_000)}
    assert reviewed.total_set_aside() == (29, 1_058_000)
    flows = _flows(reviewed.proposal)
    assert flows["74 · monetaire · État (ANCT, FONJEP)"] == 1_540_000
    assert flows["75 · monetaire · Adhérents (cotisations)"] == 80_000 + 95_000
    assert "75 · monetaire · Bénévoles (frais abandonnés)" not in flows  # its only account left out
    assert "Bénévoles (frais abandonnés)" in reviewed.proposal.actors


def test_the_reviewed_workbook_links_flows_to_their_activity_and_lists_it(sample):
    decisions = Decisions(
        activities={"74 · monetaire · Région": "Projet jeunes", "74 · monetaire · ANCT": "projet  jeunes"}
    )
    raw = workbook(apply(sample.proposal, decisions).proposal)
    assert [row.cells["name"] for row in raw.tables["activities"].rows] == ["Projet jeunes"]
    linked = {row.cells["source"]: row.cells.get("activity") for row in raw.tables["flows"].rows}
    assert linked["Région"] == "Projet jeunes" and linked["ANCT"] == "projet jeunes" and linked["FONJEP"] is None
    loaded = load_files([InputFile("relu.xlsx", workbook_bytes(write_raw_workbook(raw, "fr")))])
    assert [p for p in loaded.problems if p.is_error] == []
    assert list(loaded.activities["name"]) == ["Projet jeunes"]


def test_flows_merged_into_one_actor_stay_apart_when_linked_to_different_activities(sample):
    decisions = Decisions(merged={"FONJEP": "ANCT"}, activities={"74 · monetaire · FONJEP": "Accueil jeunes"})
    flows = _flows(apply(sample.proposal, decisions).proposal)
    assert flows["74 · monetaire · ANCT"] == 800_000 and list(flows).count("74 · monetaire · ANCT") == 1
    linked = [f for f in apply(sample.proposal, decisions).proposal.flows if f.activity == "Accueil jeunes"]
    assert [(f.source, f.cents) for f in linked] == [("ANCT", 740_000)]


def _centre_workbook():
    return typed_centre_workbook(
        CENTRE,
        activities=[{"name": "Accueil jeunes", "type": "principale"}],
        flows=[
            {"source": "Bénévoles", "target": "Accueil jeunes", "nature": "benevolat", "quantity": 300, "unit": "h"}
        ],
    )


def test_the_reviewed_chain_merged_into_the_centre_s_workbook_adds_only_what_is_new(sample):
    decisions = Decisions(
        left_out_actors={"FONDATION DE FRANCE"},
        activities={"74 · monetaire · Région": "accueil jeunes", "74 · monetaire · ANCT": "Contrat de ville"},
    )
    typed = _centre_workbook()
    before = {code: [dict(r.cells) for r in table.rows] for code, table in typed.tables.items()}
    merged = merge_into(typed, apply(sample.proposal, decisions).proposal, "fr")
    # 14 actors reviewed, the CAF, the Ville and the Bénévoles (named in a typed flow) already
    # there; 17 flows, the CAF's two (102 000, as typed: not doubled) and the Ville's two (48 500
    # against 40 000 typed: a conflict) not added; "accueil jeunes" is the typed "Accueil jeunes".
    assert (merged.added_actors, merged.added_flows, merged.added_activities) == (11, 13, 1)
    assert merged.already_there == ["CAF DE LA DROME"]
    assert merged.conflicts == [("Ville de Saint-Aubin", "monetaire", 40_000.0, 48_500.0)]
    said = [_spaces(line) for line in merged.lines("fr")]
    assert said[1] == "1 activité ajoutée au classeur du centre."
    for code, rows in before.items():
        assert [dict(r.cells) for r in merged.workbook.tables[code].rows[: len(rows)]] == rows  # typed rows untouched
    activities = [r.cells["name"] for r in merged.workbook.tables["activities"].rows]
    assert activities == ["Accueil jeunes", "Contrat de ville"]
    loaded = load_files([InputFile("complet.xlsx", workbook_bytes(write_raw_workbook(merged.workbook, "fr")))])
    assert [p for p in loaded.problems if p.is_error] == []


def test_the_review_keeps_its_figures_without_the_ledger_s_lines(sample):
    light = sample.without_lines()
    assert light.ledger.lines == [] and light.read_lines == 613
    decided = light.decided(Decisions(left_out_actors={"FONDATION DE FRANCE"}), "fr")
    said = [_spaces(line) for line in decided.lines("fr")]
    assert said[0] == "613 lignes lues dans « 999999999FEC20251231.txt » (ISO-8859-15), exercice 2025."
    assert said[1] == "Proposé : 15 acteurs et 17 flux, à relire avant de les garder."
    assert "Laissé de côté à la relecture : 1 ligne, 8 000,00 €." in said


# The guarded reading ----------------------------------------------------------------------------
DRIVER = """
import re, sys
from valuechain.errors import UnreadableWorkbook
from valuechain.accounts.review import review_guarded
from valuechain.reading.inputs import InputFile

header = "\\t".join(["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit"]) + "\\n"
rows = [header]
for i in range(60_000):
    rows.append(f"BQ\\tBanque\\tE{i}\\t20250115\\t512000\\tBanque\\t\\t\\tP{i}\\t20250115\\tParticipation {i}\\t12,00\\t0,00\\n")
    rows.append(f"BQ\\tBanque\\tE{i}\\t20250115\\t706000\\tParticipations\\t\\t\\tP{i}\\t20250115\\tParticipation {i}\\t0,00\\t12,00\\n")
try:
    review_guarded(InputFile("900000001FEC20251231.txt", "".join(rows).encode()), "Centre", "fr")
    print("READ")
except UnreadableWorkbook as refused:
    print(refused.message("fr"))
small = InputFile.from_path(sys.argv[1])
print(review_guarded(small, "Centre", "fr").read_lines)
print(int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read())[1]) // 1024)
"""


def test_a_fec_too_demanding_ends_its_worker_not_the_server_with_one_sentence(tmp_path):
    """120 000 lines read with a 40 MB ceiling: the worker stops, the caller says why, and reads
    the next file in a fresh worker; its own memory never held the ledger."""
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, str(SAMPLE)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VALUECHAIN_READ_MEMORY_MB": "40"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    refused, lines, peak_mb = run.stdout.strip().splitlines()[-3:]
    assert refused == (
        "« 900000001FEC20251231.txt » demande plus de 40 Mo de mémoire pour être lu : la lecture a été arrêtée, "
        "rien d'autre n'est touché. Vérifiez le fichier (cellules très éloignées, feuilles immenses) ou découpez-le."
    )
    assert lines == "613"  # the next file, in a new worker
    assert int(peak_mb) < 250, peak_mb

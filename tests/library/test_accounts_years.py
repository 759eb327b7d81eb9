"""A FEC per fiscal year gives that year's version (issue 36, parts 5 and 6): La Passerelle's
2024 and 2025 FECs, proposed, imported as two years of one centre, and its funders' renewal
from the accounts worked by hand in docs/comptes.md ("Deux exercices")."""

from __future__ import annotations

import hashlib

import pytest
from build_fec import YEARS, fec_bytes, out

from helpers import ROOT
from valuechain.accounts.propose import to_workbook
from valuechain.accounts.review import review
from valuechain.chain.evolution import KEPT, LOST, NEW, evolution, from_the_accounts
from valuechain.chain.graph import build_graph
from valuechain.cli import main
from valuechain.reading.inputs import InputFile
from valuechain.reading.validation import validate

CENTRE = "Centre social La Passerelle (Saint-Aubin)"
FECS = ROOT / "sample_data" / "comptes"
# The 2025 FEC is the worked example of docs/comptes.md and of tests/library/test_accounts.py:
# writing a second year must not move one byte of it.
SHA256_2025 = "8366901804063ab5fb46f1fd520706ae341b0ab7c6e063bf17547b458adef45e"

# Each funder's euros from the accounts, worked by hand in docs/comptes.md (2024, 2025).
RENEWED = {
    "CAF DE LA DROME": (4 * 16_500 + 20_000 + 11_000, 4 * 17_000 + 22_000 + 12_000),  # 74 + PS ALSH (70)
    "Ville de Saint-Aubin": (3 * 14_000 + 3_000, 3 * 15_000 + 3_500),  # 74 + concours (73)
    "DEPARTEMENT DE LA DROME": (18_000, 18_000),
    "ANCT": (6_000, 8_000),
    "FONDATION DE FRANCE": (5_000, 8_000),
    "FONJEP": (7_320, 7_400),
    "SARL BOULANGERIE DU MARCHE": (1_200, 1_500),
}


def chain_of(year: int, lang: str = "fr"):
    found = review(InputFile.from_path(out(year)), CENTRE, lang)
    return build_graph(validate(to_workbook(found.proposal, lang)))


@pytest.fixture(scope="module")
def passerelle():
    return evolution([(year, chain_of(year), {}) for year in (2024, 2025)])


def test_both_fecs_are_written_by_the_script_byte_for_byte_and_2025_did_not_move():
    assert sorted(YEARS) == [2024, 2025]
    for year in YEARS:
        assert out(year).read_bytes() == fec_bytes(year) == fec_bytes(year)
    assert hashlib.sha256((FECS / "999999999FEC20251231.txt").read_bytes()).hexdigest() == SHA256_2025
    assert fec_bytes() == fec_bytes(2025)


def test_the_2024_fec_reads_whole_and_reconciles_to_the_cent():
    found = review(InputFile.from_path(FECS / "999999999FEC20241231.txt"), CENTRE)
    assert found.ledger.year == 2024 and found.proposal.problems == [] and found.proposal.left_out_lines == 0
    assert {r.group: (r.accounts, r.chain) for r in found.proposal.reconciliation} == {
        "70": (1_413_200, 1_413_200),  # 11 000 CAF + 3 132 families
        "73": (300_000, 300_000),
        "74": (16_882_000, 16_882_000),  # 86 000 + 42 000 + 18 000 + 7 320 + 6 000 + 4 500 + 5 000
        "75": (323_000, 323_000),  # 72 members × 10 + 950 + 360 + 1 200
        "86": (3_557_000, 3_557_000),  # 1 800 h × 11,65 = 20 970 + 9 600 + 3 200 + 1 800
        "87": (3_557_000, 3_557_000),
    }


def test_the_funders_renewal_from_the_accounts_worked_by_hand(passerelle):
    found = passerelle.funders_renewal(2025)
    assert passerelle.funders_renewal(2024) is None  # the first year has none before it
    assert (found.previous_year, found.year) == (2024, 2025)
    assert {f.name: (round(f.previous, 2), round(f.current, 2)) for f in found.of(KEPT)} == RENEWED  # to the cent
    assert [(f.name, f.previous, f.current) for f in found.of(NEW)] == [("Région", 0.0, 6_000.0)]
    assert [(f.name, f.previous, f.current) for f in found.of(LOST)] == [("CARSAT", 4_500.0, 0.0)]
    # Renewed first, largest first; then the new; then the stopped.
    assert [f.name for f in found.funders][:2] == ["CAF DE LA DROME", "Ville de Saint-Aubin"]
    assert [f.change for f in found.funders][-2:] == [NEW, LOST]
    assert found.total == pytest.approx(199_400) and found.previous_total == pytest.approx(184_020)
    assert sum(f.previous for f in found.of(KEPT)) == pytest.approx(179_520)
    assert sum(f.current for f in found.of(KEPT)) == pytest.approx(193_400)
    assert round(found.new_share, 4) == 0.0301  # 6 000 / 199 400
    assert round(found.stopped_share, 4) == 0.0245  # 4 500 / 184 020
    # Users, members, donors and volunteers give money but are no funders.
    named = {f.name for f in found.funders}
    assert not named & {"Usagers et familles (participations)", "Adhérents (cotisations)", "Donateurs (dons)"}
    assert "Bénévoles (frais abandonnés)" not in named


def test_the_resources_renewal_of_the_same_years_counts_every_contributor(passerelle):
    renewal = passerelle.renewal(2025)
    assert renewal.new == ("Région",) and renewal.gone == ("CARSAT",)
    # 2025: the 18 flows of docs/comptes.md, 243 282 €; 2024: 224 752 €.
    assert renewal.resources == pytest.approx(182_400 + 15_132 + 3_500 + 3_610 + 38_640)
    assert renewal.previous_resources == pytest.approx(168_820 + 14_132 + 3_000 + 3_230 + 35_570)


def test_english_proposals_give_the_same_renewal_in_their_words():
    found = evolution([(year, chain_of(year, "en"), {}) for year in (2024, 2025)]).funders_renewal(2025)
    assert found.total == pytest.approx(199_400) and found.stopped == pytest.approx(4_500)
    assert [f.name for f in found.of(NEW)] == ["Region"]


def test_years_typed_by_hand_have_no_renewal_from_the_accounts():
    """The Tilleuls (docs/indicateurs.md): one flow from the accounts in 2026, none in 2025; the
    comparison would make every funder new, so none is said."""
    from worked_example import raw_workbook_of_year

    tilleuls = evolution([(y, build_graph(validate(raw_workbook_of_year(y))), {}) for y in (2025, 2026)])
    assert tilleuls.funders_renewal(2026) is None and tilleuls.renewal(2026) is not None


@pytest.mark.parametrize(
    "source, measured",
    [("comptabilité", True), ("Comptabilite", True), ("accounts", True), ("facture", False), (None, False)],
)
def test_a_flow_is_from_the_accounts_when_its_source_says_so(source, measured):
    assert from_the_accounts(source) is measured


def test_two_fecs_proposed_then_imported_are_two_years_of_one_centre(tmp_path, monkeypatch, capsys):
    """What a director does: `valuechain accounts` for each fiscal year, then `valuechain import`."""
    from valuechain.access.policy import User
    from valuechain.access.service import Access
    from valuechain.store.db import Store

    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "years.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    written = []
    for year in (2024, 2025):
        workbook = tmp_path / f"passerelle-{year}.xlsx"
        assert main(["accounts", str(out(year)), "--centre", CENTRE, "--out", str(workbook), "--lang", "fr"]) == 0
        written.append(str(workbook))
    assert main(["import", *written]) == 0
    capsys.readouterr()
    database = Access(Store(f"sqlite:///{tmp_path / 'years.sqlite'}"), User.local_owner())
    [centre] = database.followed(min_years=2)
    assert centre["name"] == CENTRE and centre["years"] == [2024, 2025]
    found, versions = database.evolution(centre["id"])
    assert [v.year for v in versions] == [2024, 2025]
    funders = found.funders_renewal(2025)
    assert [f.name for f in funders.of(NEW)] == ["Région"] and [f.name for f in funders.of(LOST)] == ["CARSAT"]
    assert funders.total == pytest.approx(199_400)


@pytest.mark.parametrize("lang, page", [("fr", "la page Comptes (FEC)"), ("en", "the Accounts (FEC) page")])
def test_the_blank_workbook_tells_directors_the_accounts_can_prefill_it(lang, page):
    from valuechain.workbook.template import build_template

    sheet = build_template(lang).worksheets[0]
    lines = [str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0]]
    prefill = next(line for line in lines if page in line)
    assert "FEC" in prefill and ("Évolution" in prefill if lang == "fr" else "Over the years" in prefill)


def test_the_funder_that_stopped_and_the_one_that_started_are_two_funders(passerelle):
    """A tester's finding: Région (new in 2025) was offered as CARSAT (gone since 2024), the only
    funder come and the only one gone, both public funders. Nothing says they are one: no id,
    no name in common; they stay two until a person says otherwise."""
    from valuechain.chain.evolution import MatchDecision, evolution, node_key

    now, before = passerelle.graphs[1], passerelle.graphs[0]
    region = next(n for n, d in now.nodes(data=True) if d.get("name") == "Région")
    carsat = next(n for n, d in before.nodes(data=True) if d.get("name") == "CARSAT")
    assert region not in passerelle.matches[0] and carsat not in {m.previous for m in passerelle.matches[0].values()}
    pairing = passerelle.pairing(2025)
    assert pairing.proposed == [] and pairing.undone == []
    assert [now.nodes[n]["name"] for n in pairing.unpaired_now] == ["Région"]
    assert [before.nodes[n]["name"] for n in pairing.unpaired_before] == ["CARSAT"]
    assert len(pairing.by_id) == 14  # every other actor and activity, by its id
    # Said the same by a person, they are one renewed funder: 4 500 € → 6 000 €, none new or stopped.
    said = MatchDecision(2025, node_key(region), node_key(carsat), confirmed=True)
    renamed = evolution([(2024, before, {}), (2025, now, {})], [said]).funders_renewal(2025)
    assert renamed.of(NEW) == () and renamed.of(LOST) == ()
    assert [(f.previous, f.current) for f in renamed.of(KEPT) if f.name == "Région"] == [(4_500.0, 6_000.0)]

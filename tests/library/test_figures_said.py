"""Figures that read as contradictions (issue 34.11, the stranger's notes): each said with what
explains it, where it shows, and every count written as the language writes numbers."""

from __future__ import annotations

import pytest

from helpers import SAMPLES
from valuechain import load_paths
from valuechain.chain.analysis import analyse
from valuechain.chain.metrics import Undefined
from valuechain.media import tables
from valuechain.words.messages import say

pytestmark = pytest.mark.library


@pytest.fixture(scope="module")
def cannery():
    return analyse(load_paths([next(SAMPLES.glob("conserverie*.xlsx"))]))


@pytest.mark.parametrize(
    "lang, said",
    [
        ("fr", "1\u202f842 paires d'entre eux ne sont reliées que par lui"),
        ("en", "1,842 pairs of them are linked only through it"),
    ],
)
def test_every_count_is_written_as_the_language_writes_numbers(lang, said):
    """ "1842 paires" had no thousands separator: a plural entry's count is formatted."""
    assert say("count", "pairs_through_it", lang, count=1842) == said
    assert say("count", "flows", "fr", count=1.5) == "1,5 flux"
    assert say("count", "actors", "fr", count=1) == "1 acteur"


def test_a_cost_per_person_of_an_activity_with_no_valued_cost_is_undefined_and_said(cannery):
    """Contributions showed "0,00 € par personne" for 95 people, and "Habitants touchés 210"
    beside "Personnes servies 0 / —": each "—" now has its reason under the table."""
    costs = {c.activity: c for c in cannery.activity_costs}
    workshop = costs["Ateliers cuisine anti-gaspillage"]
    assert (workshop.full, workshop.people, workshop.per_person) == (0, 95, Undefined("no_valued_cost"))
    assert costs["Distribution solidaire"].per_person == Undefined("no_people_served")
    notes = tables.cost_notes(cannery, "fr")
    assert notes[0].startswith("Personnes servies : les personnes des flux de nature « service »")
    assert any("« Distribution solidaire » touche 210 habitants, mais par des flux qui ne sont pas" in n for n in notes)
    assert any(
        "« Ateliers cuisine anti-gaspillage » sert 95 personnes, mais aucune ressource valorisée" in n for n in notes
    )
    english = tables.cost_notes(cannery, "en")
    assert any("“Distribution solidaire” reaches 210 inhabitants" in n for n in english)
    shown = tables.shown(tables.COST_COLUMNS, tables.cost_rows(cannery), "fr")
    assert [row[-1] for row in shown if row[0] == "Ateliers cuisine anti-gaspillage"] == ["—"]


def test_a_name_in_a_cost_note_is_escaped_for_a_page(cannery):
    notes = tables.cost_notes(cannery, "fr", markdown=True)
    assert any("Ateliers cuisine anti\\-gaspillage" in n for n in notes)


def test_betweenness_and_dependence_that_meet_are_explained_not_shown_twice_silently(tilleuls):
    """The stranger: "Dépendance au centre" and betweenness showed the same number twice."""
    note = tables.centre_role_note(tilleuls, "fr")
    assert note is not None and "(0,9333)" in note and "(93,33\u00a0%)" in note
    assert "plus courts chemins" in note and "ne seraient plus reliées du tout" in note
    assert "shortest paths" in tables.centre_role_note(tilleuls, "en")
    falaises = analyse(load_paths([next(SAMPLES.glob("maison-des-habitants*.xlsx"))]))
    assert tables.centre_role_note(falaises, "fr") is None  # 0,7667 and 73,33 %: nothing to explain


@pytest.mark.parametrize(
    "suffix, fr, en",
    [
        (".chain.png", "-fr.chaîne.png", "-en.chain.png"),
        (".domains.png", "-fr.domaines.png", "-en.domains.png"),
        ("-evolution.pdf", "-fr-évolution.pdf", "-en-evolution.pdf"),
        (".kumu.xlsx", "-fr.kumu.xlsx", "-en.kumu.xlsx"),
    ],
)
def test_an_export_file_is_named_in_its_language_and_either_name_reads_back(tilleuls, suffix, fr, en):
    """The stranger: export file names had English endings in French."""
    from valuechain.media.exporters import EXPORTERS, exporter_for, file_name

    assert file_name(tilleuls, suffix, "fr") == "Centre-social-des-Tilleuls-2025" + fr
    assert file_name(tilleuls, suffix, "en") == "Centre-social-des-Tilleuls-2025" + en
    if suffix in EXPORTERS:
        assert exporter_for("rapport" + fr) == exporter_for("report" + en) == suffix

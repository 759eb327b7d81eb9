"""What the pages say of the figures and of the tables (issue 34.11-12, the stranger's notes),
through Streamlit's AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from support.apptest import APP, open_app, visit


@pytest.mark.parametrize(
    "lang, tabs, unknown",
    [
        ("fr", ["Le centre", "Acteurs", "Activités", "Flux", "Indicateurs", "Effets"], "Je ne sais pas"),
        ("en", ["The centre", "Actors", "Activities", "Flows", "Indicators", "Outcomes"], "Don't know"),
    ],
)
def test_saisie_names_its_tables_and_choices_in_words(lang, tabs, unknown):
    """ "Activites" without its accent (the sheet's name) and a bare "?" among the choices."""
    app = visit(open_app(lang), "saisie")
    assert [t.label for t in app.tabs] == tabs
    local = next(r for r in app.radio if r.label in ("Du territoire", "Local"))
    assert local.options[0] == unknown and "?" not in local.options


def test_a_draft_found_again_is_said_on_the_page_shown_not_only_on_accueil():
    """F5 on Saisie kept the edit but said "retrouvé" only on Accueil (the reload itself is
    driven in tests/browser/test_saisie_browser.py)."""
    app = open_app("fr")
    app.session_state["draft_restored"] = True  # what restore_draft leaves for the page drawn next
    saisie = visit(app, "saisie")
    assert any("Votre travail d'avant a été retrouvé" in s.value for s in saisie.success)
    assert not any("retrouvé" in s.value for s in visit(saisie, "accueil").success)  # said once


def test_saisie_s_table_is_in_the_address_and_follows_the_language():
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["lang"] = "fr"
    app.query_params["onglet"] = "Flux"  # a reload of ?onglet=Flux
    app.switch_page("pages/saisie.py")
    app.run()
    assert not app.exception
    assert app.session_state["onglet"] == "Flux"
    app.session_state["lang"] = "en"  # the language switched: the same table, named in English
    app.run()
    assert not app.exception
    assert app.session_state["onglet"] == "Flows"


def test_the_sample_picker_names_each_centre_not_its_file():
    app = open_app("fr")
    picker = next(s for s in app.selectbox if "La Coopérative des Tisserands (2025)" in s.options)
    assert all(not option.endswith("fictif") and "—" not in option for option in picker.options)


def test_contributions_says_why_a_cost_per_person_is_missing_and_what_the_two_network_figures_count():
    app = visit(open_app("fr"), "contributions")  # the cannery: 210 touched, 0 served; 95 served at 0 €
    captions = " ".join(c.value for c in app.caption)
    assert "Distribution solidaire » touche 210 habitants" in captions
    assert "Ateliers cuisine anti\\-gaspillage » sert 95 personnes" in captions
    assert "plus courts chemins" in captions  # 0,9883 and 98,83 %: said why they meet
    english = visit(open_app("en"), "contributions")
    assert "reaches 210 inhabitants" in " ".join(c.value for c in english.caption)


def test_valeur_sociale_offers_a_sample_with_outcomes_to_a_visitor_shown_one_without():
    app = visit(open_app("fr"), "valeur_sociale")
    offer = next(b for b in app.button if b.label.startswith("Voir un exemple qui décrit ses effets"))
    assert "Centre social des Tilleuls (2025)" in offer.label.replace("\\", "")  # Markdown escapes the name
    offer.click()
    app.run()
    assert not app.exception
    assert any(m.label == "Ratio de valeur sociale" for m in app.metric), [m.label for m in app.metric]


@pytest.mark.parametrize(("given", "lang"), [("en", "en"), ("fr", "fr"), ("xx<script>", "fr"), (None, "fr")])
def test_a_session_starts_in_the_language_its_address_names(given, lang):
    """A reload (F5) is a new session: the language comes from ?langue= (the browser test
    drives the reload itself); an unknown one is French, the reference."""
    app = AppTest.from_file(APP, default_timeout=60)
    if given is not None:
        app.query_params["langue"] = given
    app.run()
    assert not app.exception
    assert app.session_state["lang"] == lang
    assert [t.label for t in app.toggle] == ["Presentation mode" if lang == "en" else "Mode présentation"]

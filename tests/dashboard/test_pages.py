"""Every page through Streamlit's AppTest: samples, the worked example, a broken workbook,
French and English, presentation mode, and live editing."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT, SAMPLE_FILES, WORKED_EXAMPLE_FILE, xlsx_bytes
from support.apptest import APP, open_app, upload, visit

PAGES = ["accueil", "carte", "chaine", "domaines", "contributions", "saisie", "exporter"]
TITLES = {
    "fr": [
        "Accueil / Données",
        "Carte",
        "Chaîne de valeur",
        "Domaines d'impact",
        "Contributions",
        "Saisie / Édition",
        "Exporter",
    ],
    "en": ["Home / Data", "Map", "Value chain", "Impact domains", "Contributions", "Data entry / Editing", "Export"],
}


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("sample", [p.name for p in SAMPLE_FILES] + [WORKED_EXAMPLE_FILE.name])
def test_every_page_shows_every_sample_in_both_languages(sample, lang):
    app = open_app(lang, sample)
    for page, title in zip(PAGES, TITLES[lang]):
        visit(app, page)
        assert app.title[0].value == title


def test_the_app_opens_on_a_sample_so_the_first_screen_is_never_empty():
    app = open_app()
    assert not app.exception
    assert "La Coopérative des Tisserands" in app.caption[0].value
    assert len(app.metric) == 6


WORKED_FR = {
    "Ressources mobilisées": "50\u202f965,60\u00a0€",
    "Financements publics": "40\u202f000,00\u00a0€",
    "Effet levier": "0,274",
    "Part non monétaire": "11,71\u00a0%",
    "Heures de bénévolat": "280\u00a0h",
    "Valeur du bénévolat": "3\u202f365,60\u00a0€",
    "Ancrage local": "90,19\u00a0%",
    "Couverture de l'ancrage local": "100,00\u00a0%",
    "Part des activités support": "16,12\u00a0%",
    "Équilibre des contributions": "0,3986",
    "Centralité d'intermédiation du centre": "0,9333",
    "Dépendance au centre": "93,33\u00a0%",
    "Réciprocité": "33,33\u00a0%",
    "Publics touchés": "40",
    "Part immatérielle": "9,09\u00a0%",
}
WORKED_EN = {
    "Resources mobilised": "€50,965.60",
    "Leverage": "0.274",
    "Non-monetary share": "11.71%",
    "Volunteer hours": "280\u00a0h",
    "Value of volunteer time": "€3,365.60",
    "Local anchoring": "90.19%",
    "Support share": "16.12%",
    "Contribution evenness": "0.3986",
    "Centre betweenness": "0.9333",
    "Dependence on the centre": "93.33%",
    "Reciprocity": "33.33%",
    "People reached": "40",
    "Intangible share": "9.09%",
}


def test_contributions_page_shows_the_worked_example_as_computed_by_hand_in_french():
    app = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "contributions")
    shown = metrics(app)
    for name, value in WORKED_FR.items():
        assert shown[name] == value, name


def test_contributions_page_shows_the_worked_example_in_english():
    app = visit(open_app("en", WORKED_EXAMPLE_FILE.name), "contributions")
    shown = metrics(app)
    for name, value in WORKED_EN.items():
        assert shown[name] == value, name


def test_home_shows_key_figures_with_the_same_names_as_the_docs():
    app = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "accueil")
    shown = metrics(app)
    assert shown["Ressources mobilisées"] == WORKED_FR["Ressources mobilisées"]
    assert shown["Dépendance au centre"] == WORKED_FR["Dépendance au centre"]
    assert any("Aucun problème" in s.value for s in app.success)


def test_an_undefined_figure_shows_a_dash_and_says_why():
    data = xlsx_bytes(
        {
            "Acteurs": [["nom", "categorie"], ["C", "centre"], ["F", "financeurs"]],
            "Flux": [["source", "cible", "nature", "quantite"], ["F", "C", "monetaire", 10]],
        }
    )
    app = upload(open_app("fr"), [("sans-public.xlsx", data)])
    app = visit(app, "contributions")
    leverage = next(m for m in app.metric if m.label == "Effet levier")
    assert leverage.value == "—"
    assert "pas de financement public" in leverage.help


@pytest.mark.parametrize("lang, words", [("fr", "n'a pas pu être lu"), ("en", "could not be read")])
def test_a_broken_file_gets_a_clear_message_and_the_app_keeps_working(lang, words):
    app = upload(open_app(lang), [("cassé.xlsx", b"PK\x03\x04 nothing of a workbook")])
    # The file name is escaped for Markdown (cassé\\.xlsx): what the user reads has no backslash.
    shown = [e.value.replace("\\", "") for e in app.error]
    assert any(words in text and "cassé.xlsx" in text for text in shown)
    for page in PAGES:
        visit(app, page)


def test_a_workbook_with_errors_shows_them_located_and_keeps_the_valid_rows():
    data = xlsx_bytes(
        {
            "Acteurs": [["nom", "categorie"], ["Les Castors", "centre"], ["Mairie", "institutions"]],
            "Flux": [
                ["source", "cible", "nature", "quantite"],
                ["Mairie", "Les Castors", "monetaire", 1000],
                ["Mairie", "Les Castors", "monetaire", "beaucoup"],
            ],
        }
    )
    app = upload(open_app("fr"), [("castors.xlsx", data)])
    assert "Les Castors" in app.caption[0].value
    assert any("1 erreur (lignes" in w.value for w in app.warning)  # a plural by the count, not "erreur(s)"
    problems = app.dataframe[0].value
    located = problems[problems["gravité"] == "erreur"].iloc[0]
    assert (located["feuille"], located["ligne"], located["colonne"], located["valeur"]) == (
        "Flux",
        3,
        "quantite",
        "beaucoup",
    )
    assert metrics(app)["Ressources mobilisées"] == "1\u202f000,00\u00a0€"
    saisie = visit(app, "saisie")
    assert any("3" in e.value for e in saisie.error), "the row to fix is named on the editing page"


def test_adding_a_flow_on_the_editing_page_changes_the_figures_everywhere():
    app = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "saisie")
    flow_form = [s for s in app.selectbox if s.label == "Qui donne"][0]
    flow_form.set_value("Mairie")
    [s for s in app.selectbox if s.label == "Qui reçoit"][0].set_value("Centre social des Tilleuls")
    [s for s in app.selectbox if s.label == "Nature"][0].set_value("monetaire")
    [n for n in app.number_input if n.label == "Quantité"][0].set_value(1000)
    [s for s in app.selectbox if s.label == "Unité"][0].set_value("€")
    [b for b in app.button if b.label == "Ajouter"][1].click()
    app.run()
    assert not app.exception
    # Said where it was done (issue 26.10: "Ajouter" gave no confirmation).
    assert any("Le flux « Mairie → Centre social des Tilleuls » a été ajouté" in s.value for s in app.success)
    contributions = visit(app, "contributions")
    shown = metrics(contributions)
    assert shown["Ressources mobilisées"] == "51\u202f965,60\u00a0€"
    assert shown["Financements publics"] == "41\u202f000,00\u00a0€"
    assert visit(app, "accueil").metric[0].value == "51\u202f965,60\u00a0€"


def _add_money(app: AppTest, source: str, amount: float, target: str = "Centre social des Tilleuls") -> AppTest:
    [s for s in app.selectbox if s.label == "Qui donne"][0].set_value(source)
    [s for s in app.selectbox if s.label == "Qui reçoit"][0].set_value(target)
    [s for s in app.selectbox if s.label == "Nature"][0].set_value("monetaire")
    [n for n in app.number_input if n.label == "Quantité"][0].set_value(amount)
    [s for s in app.selectbox if s.label == "Unité"][0].set_value("€")
    [b for b in app.button if b.label == "Ajouter"][1].click()
    app.run()
    assert not app.exception
    return app


def test_two_sessions_editing_the_same_file_each_see_only_their_own_edits():
    """Two people (two sessions of one server process, sharing its caches) open the same
    sample and edit it at the same step: neither sees the other's flow."""
    first = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "saisie")
    second = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "saisie")
    _add_money(first, "Mairie", 777)
    _add_money(second, "Mairie", 5)
    assert metrics(visit(first, "contributions"))["Ressources mobilisées"] == "51\u202f742,60\u00a0€"
    assert metrics(visit(second, "contributions"))["Ressources mobilisées"] == "50\u202f970,60\u00a0€"


def test_adding_an_actor_live_puts_it_on_the_map_data():
    app = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "saisie")
    [t for t in app.text_input if t.label == "Nom"][0].set_value("Épicerie solidaire")
    [b for b in app.button if b.label == "Ajouter"][0].click()
    app.run()
    edited = app.session_state["edited_raw"]
    assert "Épicerie solidaire" in [r.cells.get("name") for r in edited.tables["actors"].rows]
    visit(app, "carte")


@pytest.mark.parametrize("page", PAGES)
def test_presentation_mode_hides_controls_and_keeps_every_page_working(page):
    app = visit(open_app("fr", presentation=True), page)
    assert any(b.label == "Quitter le mode présentation" for b in app.button)


def test_the_language_switch_changes_labels_and_number_formats():
    app = visit(open_app("fr", WORKED_EXAMPLE_FILE.name), "accueil")
    assert metrics(app)["Ressources mobilisées"] == "50\u202f965,60\u00a0€"
    app.session_state["lang"] = "en"
    app.run()
    assert metrics(app)["Resources mobilised"] == "€50,965.60"
    assert app.title[0].value == "Home / Data"


def test_map_page_filters_and_step_mode_run():
    app = visit(open_app("fr"), "carte")
    [t for t in app.toggle if t.label == "Pas à pas (atelier)"][0].set_value(True).run()
    assert not app.exception
    assert any("Étape 1" in c.value for c in app.caption)
    app.slider[0].set_value(3).run()
    assert not app.exception
    [m for m in app.multiselect if m.label == "Natures des flux"][0].set_value(["monetaire"]).run()
    assert not app.exception


def test_chain_page_draws_in_another_unit():
    app = visit(open_app("fr"), "chaine")
    app.selectbox[0].set_value("kg").run()
    assert not app.exception
    assert "bénéficiaires" in app.caption[-1].value


def test_the_export_page_offers_every_format_in_both_languages(tmp_path, monkeypatch):
    # An empty store: no earlier year of the centre, so no report with the years (issue 28).
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    for lang in ("fr", "en"):
        app = visit(open_app(lang, WORKED_EXAMPLE_FILE.name), "exporter")
        buttons = app.get("download_button")
        assert len(buttons) == 12


def test_the_compare_page_from_an_empty_store_to_anonymised_centres(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)

    for lang in ("fr", "en"):
        app = visit(open_app(lang), "comparer")
        assert app.title[0].value == ("Comparer" if lang == "fr" else "Compare")
        if lang == "fr":
            assert any("aucun centre" in i.value for i in app.info)
            [b for b in app.button if b.label == "Ajouter les centres d'exemple"][0].click().run()
            assert not app.exception
        table = app.dataframe[0].value
        if lang == "fr":  # the samples just added: their six-centre federation is chosen (issue 34.10)
            assert len(table) == 6 and "Centre social La Passerelle" in table.iloc[:, 0].tolist()
        else:  # every federation: the ten centres of 2025
            assert len(table) == 10 and "Centre social des Tilleuls" in table.iloc[:, 0].tolist()
        app.selectbox[0].set_value("Fédération des centres sociaux de Seine-Maritime").run()
        [t for t in app.toggle if "nonymis" in t.label][0].set_value(True).run()
        assert not app.exception
        # Two centres under letters would be recognised (fewer than five): none is shown, and
        # the page says why (issue 28).
        assert not app.dataframe
        assert any(
            ("2 centres seraient montrés" if lang == "fr" else "2 centres would be shown") in i.value for i in app.info
        )


def test_the_compare_page_shows_several_years_and_one_centres_evolution(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "years.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    from dashboard.visitor import store
    from valuechain import InputFile

    database = store()
    for path in SAMPLE_FILES:
        database.import_files([InputFile.from_path(path)], batch="FD")
    # The worked example's centre in 2024 and 2025, a little different each year.
    for year, cafe in ((2024, 25000), (2025, 30000)):
        database.import_files(
            [
                InputFile(
                    f"tilleuls-{year}.xlsx",
                    xlsx_bytes(
                        {
                            "Centre": [["nom", "Centre social des Tilleuls"], ["annee", year]],
                            "Acteurs": [
                                ["nom", "categorie"],
                                ["Centre social des Tilleuls", "centre"],
                                ["CAF", "institutions"],
                            ],
                            "Flux": [
                                ["source", "cible", "nature", "quantite"],
                                ["CAF", "Centre social des Tilleuls", "monetaire", cafe],
                            ],
                        }
                    ),
                )
            ],
            batch="FD",
        )
    app = visit(open_app("fr"), "comparer")
    year = [s for s in app.selectbox if s.label == "Année"][0]
    assert year.options == ["2025", "2024"]
    assert len(app.dataframe[0].value) == 4
    year.set_value(2024).run()
    assert not app.exception and len(app.dataframe[0].value) == 1
    [s for s in app.selectbox if s.label == "Année"][0].set_value(2025).run()
    [s for s in app.selectbox if s.label == "Centre"][0].set_value("Centre social des Tilleuls").run()
    assert not app.exception
    # The year-on-year change, figure by figure: 25 000 € → 30 000 €, + 5 000 €, + 20 %.
    assert any("Évolution de 2024 à 2025" in m.value for m in app.markdown)
    change = [t.value for t in app.table if "Écart relatif" in t.value.columns][0]
    resources = change.loc["Ressources mobilisées"]
    assert (resources["2024"], resources["2025"]) == ("25\u202f000,00\u00a0€", "30\u202f000,00\u00a0€")
    assert resources["Écart"] == "5\u202f000,00\u00a0€" and resources["Écart relatif"] == "20,00\u00a0%"
    assert any(b.label.startswith("Supprimer") for b in app.button)
    # A deletion on the laptop is undone on the same page.
    [b for b in app.button if b.label.startswith("Supprimer")][0].click().run()
    assert not app.exception and any("restaurable jusqu'au" in m.value for m in app.markdown)
    [b for b in app.button if b.label == "Rendre"][0].click().run()
    assert not app.exception and not [b for b in app.button if b.label == "Rendre"]
    [s for s in app.selectbox if s.label == "Centre"][0].set_value("Centre social des Tilleuls").run()
    [b for b in app.button if b.label.startswith("Ouvrir")][0].click().run()
    assert not app.exception
    assert "Centre social des Tilleuls" in visit(app, "accueil").caption[0].value


def test_streamlits_own_table_download_is_off_so_no_cell_leaves_as_a_formula():
    """Streamlit's "Download as CSV" writes cells unchanged (=cmd|' /C calc'!A0 runs in a
    spreadsheet); the app's own exports neutralise them, so Streamlit's is turned off."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_the_compare_page_empties_its_uploader_after_an_import_and_names_no_centre_when_anonymised(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)

    app = visit(open_app("fr"), "comparer")
    [b for b in app.button if b.label == "Ajouter les centres d'exemple"][0].click().run()
    assert any("Centre affiché" in c.value for c in app.caption)
    [t for t in app.toggle if "nonymis" in t.label][0].set_value(True).run()
    assert not app.exception
    assert not any("Centre affiché" in c.value or "Coopérative" in c.value for c in app.caption)


@pytest.mark.parametrize("page", PAGES)
def test_leaving_and_entering_presentation_mode_works_from_every_page_and_keeps_the_centre(page):
    app = visit(open_app("fr", "association-les-embruns-creche-fictif.xlsx", presentation=True), page)
    for _ in range(2):
        [b for b in app.button if b.label == "Quitter le mode présentation"][0].click().run()
        assert not app.exception, [e.message for e in app.exception]
        assert app.session_state["presentation"] is False
        assert "Embruns" in app.caption[0].value
        app.session_state["presentation"] = True  # what the sidebar's toggle does, through its callback
        app.run()
        assert not app.exception and [b for b in app.button if b.label == "Quitter le mode présentation"]


def test_two_sessions_opening_the_same_stored_version_each_edit_their_own(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    from dashboard.visitor import store
    from valuechain import InputFile

    store().import_files([InputFile.from_path(WORKED_EXAMPLE_FILE)])
    sessions = []
    for _ in range(2):
        app = visit(open_app("fr"), "comparer")
        [s for s in app.selectbox if s.label == "Centre"][0].set_value("Centre social des Tilleuls").run()
        [b for b in app.button if b.label == "Ouvrir cette version dans le tableau de bord"][0].click().run()
        assert not app.exception
        sessions.append(visit(app, "saisie"))
    _add_money(sessions[0], "Mairie", 777)
    assert metrics(visit(sessions[0], "contributions"))["Ressources mobilisées"] == "51\u202f742,60\u00a0€"
    assert metrics(visit(sessions[1], "contributions"))["Ressources mobilisées"] == "50\u202f965,60\u00a0€"
    assert store().counts() == (1, 1)  # editing changes no stored version


def test_step_by_step_on_a_wall_moves_with_buttons_not_a_slider():
    app = visit(open_app("fr", presentation=True), "carte")
    [t for t in app.toggle if t.label == "Pas à pas (atelier)"][0].set_value(True).run()
    assert not app.exception and not app.slider
    assert any("Étape 1 sur" in c.value for c in app.caption)
    [b for b in app.button if b.label == "▶"][0].click().run()
    [b for b in app.button if b.label == "▶"][0].click().run()
    assert any("Étape 3 sur" in c.value for c in app.caption)
    [b for b in app.button if b.label == "◀"][0].click().run()
    assert any("Étape 2 sur" in c.value for c in app.caption) and not app.exception


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_participer_from_the_laptop_s_navigation_and_without_a_code_says_how_to_join(lang):
    """Issue 26.1: "Participer" crashed from the laptop's navigation (the language switch drawn
    twice), Streamlit's raw English error, sidebar gone."""
    app = visit(open_app(lang), "participer")
    assert app.title[0].value == ("Rejoindre l'atelier" if lang == "fr" else "Join the workshop")
    assert "QR" in " ".join(m.value for m in app.markdown)
    assert not app.exception  # one language switch (the sidebar's), not two with one key


def test_a_director_s_workbook_and_edits_come_back_after_a_reload_and_only_in_that_tab(tmp_path, monkeypatch):
    """Issue 26.6: an uploaded workbook and its edits were lost on F5 (back to the sample, no
    word). They are kept in the store as the tab's draft; the tab's address names it."""
    from valuechain.store.db import process_store
    from valuechain.store.drafts import Drafts

    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    data = xlsx_bytes(
        {
            "Acteurs": [["nom", "categorie"], ["Les Castors", "centre"], ["Mairie", "institutions"]],
            "Flux": [["source", "cible", "nature", "quantite"], ["Mairie", "Les Castors", "monetaire", 1000]],
        }
    )
    app = _add_money(visit(upload(open_app("fr"), [("castors.xlsx", data)]), "saisie"), "Mairie", 500, "Les Castors")
    tab = app.query_params["brouillon"]
    assert tab and Drafts(process_store()).get("local", tab).edited is not None
    # F5: a new session, the same address.
    again = AppTest.from_file(APP, default_timeout=60)
    again.session_state["lang"] = "fr"
    again.query_params["brouillon"] = tab
    again.run()
    assert not again.exception
    assert "Les Castors" in again.caption[0].value
    assert any(
        "Votre travail d'avant a été retrouvé" in s.value and "avec vos modifications" in s.value for s in again.success
    )
    assert metrics(again)["Ressources mobilisées"] == "1\u202f500,00\u00a0€"
    # Back to the original workbook: the edits go, the workbook stays, and so does the draft.
    next(b for b in again.button if b.label == "Revenir au classeur d'origine").click().run()
    assert metrics(again)["Ressources mobilisées"] == "1\u202f000,00\u00a0€"
    assert Drafts(process_store()).get("local", tab).edited is None
    # Another tab, or an address with another key: the sample, nothing of this draft.
    for query in ({}, {"brouillon": "not-the-key"}):
        other = AppTest.from_file(APP, default_timeout=60)
        for name, value in query.items():
            other.query_params[name] = value
        other.run()
        assert not other.exception and "Les Castors" not in other.caption[0].value
    # Choosing a sample again: no draft left.
    again.radio[0].set_value(again.radio[0].options[0]).run()
    assert not again.exception and Drafts(process_store()).get("local", tab) is None


def test_a_broken_file_s_reason_follows_the_language_switched_to_afterwards():
    """Found by trying it as a stranger: uploaded in French, then switched to English, the page
    said "This file could not be read: « cassé.xlsx » est endommagé…". The reason is kept as
    the error itself and said in the language of each run."""
    app = upload(open_app("fr"), [("cassé.xlsx", b"PK\x03\x04 nothing of a workbook")])
    assert any("n'a pas pu être lu" in e.value for e in app.error)
    app.session_state["lang"] = "en"
    app.run()
    shown = [e.value.replace("\\", "") for e in app.error]
    assert any("could not be read" in text and "cassé.xlsx" in text for text in shown), shown
    assert not any("endommagé" in text or "n'a pas pu" in text for text in shown), shown

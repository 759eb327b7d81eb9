"""The Évolution page shows the funders' renewal from the accounts (issue 36, parts 5 and 6): one
click adds La Passerelle's 2024 and 2025, each proposed from its FEC, and the page says which
funders renewed, are new, stopped, with their euros each year, as docs/comptes.md works them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT
from valuechain import InputFile

APP = str(ROOT / "app.py")
WORDS = {
    "fr": {
        "add": "Ajouter un centre exemple d'après ses comptes",
        "title": "Financeurs d'après les comptes, de 2024 à 2025",
        "measured": "Mesuré d'après les comptes",
        "renewed": "Financeurs renouvelés",
        "from_to": "179\u202f520,00\u00a0€ en 2024 → 193\u202f400,00\u00a0€ en 2025",
        "new": ("Nouveaux financeurs (1)", "3,01\u00a0%", "6\u202f000,00\u00a0€ sur 199\u202f400,00\u00a0€"),
        "stopped": ("Financeurs arrêtés (1)", "2,45\u00a0%", "4\u202f500,00\u00a0€ sur 184\u202f020,00\u00a0€"),
        "carsat": ["4\u202f500,00\u00a0€", "—", "-4\u202f500,00\u00a0€", "Arrêté"],
        "region": ["—", "6\u202f000,00\u00a0€", "+6\u202f000,00\u00a0€", "Nouveau"],
        "caf": ["97\u202f000,00\u00a0€", "102\u202f000,00\u00a0€", "+5\u202f000,00\u00a0€", "Renouvelé"],
        "region_name": "Région",
    },
    "en": {
        "add": "Add a sample centre from its accounts",
        "title": "Funders from the accounts, 2024 to 2025",
        "measured": "Measured from the accounts",
        "renewed": "Funders renewed",
        "from_to": "€179,520.00 in 2024 → €193,400.00 in 2025",
        "new": ("New funders (1)", "3.01%", "€6,000.00 of €199,400.00"),
        "stopped": ("Funders stopped (1)", "2.45%", "€4,500.00 of €184,020.00"),
        "carsat": ["€4,500.00", "—", "-€4,500.00", "Stopped"],
        "region": ["—", "€6,000.00", "+€6,000.00", "New"],
        "caf": ["€97,000.00", "€102,000.00", "+€5,000.00", "Renewed"],
        "region_name": "Region",
    },
}


def open_evolution(lang: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["lang"] = lang
    app.run()
    app.switch_page("pages/evolution.py")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "evolution.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)


def funders_table(app: AppTest):
    """The table as read on the page: its cells are Markdown, shown as typed (``static_table``)."""
    table = next(t.value for t in app.table if "CARSAT" in t.value.index)
    return table.map(lambda cell: cell.replace("\\", ""))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_click_shows_la_passerelle_s_funders_renewal_from_its_accounts(empty_store, lang):
    words = WORDS[lang]
    app = open_evolution(lang)
    next(b for b in app.button if b.label.startswith(words["add"])).click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox[0].value["name"] == "Centre social La Passerelle (Saint-Aubin)"
    assert words["title"] in [h.value for h in app.subheader]
    assert any(c.value.startswith(words["measured"]) for c in app.caption)
    cards = {m.label: m.value for m in app.metric}
    assert cards[words["renewed"]] == "7"
    assert cards[words["new"][0]] == words["new"][1] and cards[words["stopped"][0]] == words["stopped"][1]
    captions = [c.value.replace("\\", "") for c in app.caption]  # Markdown, shown as typed
    assert words["from_to"] in captions and words["new"][2] in captions and words["stopped"][2] in captions
    table = funders_table(app)
    assert list(table.columns[:2]) == ["2024", "2025"]
    assert table.loc["CARSAT"].tolist() == words["carsat"]
    assert table.loc[words["region_name"]].tolist() == words["region"]
    assert table.loc["CAF DE LA DROME"].tolist() == words["caf"]
    # Seven renewed, then the new, then the stopped; no person, nor the users, among the funders.
    assert list(table.index[-2:]) == [words["region_name"], "CARSAT"] and len(table) == 9


def test_with_other_centres_stored_the_sample_from_the_accounts_is_still_one_click(empty_store):
    from dashboard.shown import year_sample_paths
    from dashboard.visitor import store
    from valuechain.access.policy import User
    from valuechain.access.service import Access

    owner = Access(store(), User.local_owner())
    for path in year_sample_paths():
        owner.import_files([InputFile.from_path(path)], batch="Exemples")
    app = open_evolution("fr")
    assert app.selectbox[0].value["name"] == "Centre social des Tilleuls"
    assert not [h for h in app.subheader if h.value.startswith("Financeurs d'après les comptes")]
    next(b for b in app.button if b.label.startswith(WORDS["fr"]["add"])).click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox[0].value["name"] == "Centre social La Passerelle (Saint-Aubin)"
    assert funders_table(app).loc["CARSAT"].tolist() == WORDS["fr"]["carsat"]
    # Once there, it is not offered again.
    assert not [b for b in app.button if b.label.startswith(WORDS["fr"]["add"])]

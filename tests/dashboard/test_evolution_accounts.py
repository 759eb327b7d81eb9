"""The Évolution page shows the funders' renewal from the accounts (issue 36, parts 5 and 6): one
click adds La Passerelle's 2024 and 2025, each proposed from its FEC, and the page says which
funders renewed, are new, stopped, with their euros each year, as docs/comptes.md works them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from support.apptest import open_app, visit
from support.stores import forget_process_store, open_the_apps_store_at
from valuechain import InputFile

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
        "funder": "Financeur",
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
        "funder": "Funder",
    },
}


def open_evolution(lang: str) -> AppTest:
    # Adding the sample proposes two FECs' chains and imports them: more than a page's minute.
    return visit(open_app(lang, timeout=120), "evolution")


@pytest.fixture
def empty_store(url, monkeypatch):
    """An empty store, as the app opens it: SQLite, then the shared PostgreSQL."""
    open_the_apps_store_at(url, monkeypatch)
    yield url
    forget_process_store(url)


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


def added_sample(lang: str) -> AppTest:
    app = open_evolution(lang)
    next(b for b in app.button if b.label.startswith(WORDS[lang]["add"])).click().run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_who_is_who_proposes_no_pair_of_the_funder_gone_and_the_one_come(empty_store):
    """A tester's finding: "Région (2025) est le même que CARSAT (2024)" was one click away, the
    only actors unpaired each year chosen for the person. Nothing is chosen now, the button
    waits for both; choosing both, then confirming, is what makes them one."""
    app = added_sample("fr")
    now = next(s for s in app.selectbox if s.label == "Acteur de 2025")
    before = next(s for s in app.selectbox if s.label == "est le même que, en 2024")
    assert now.value is None and before.value is None
    assert now.placeholder == before.placeholder == "Choisir un acteur"
    confirm = next(b for b in app.button if b.label == "Confirmer : c'est le même")
    assert confirm.disabled
    assert any(m.value.startswith("Un acteur renommé ?") for m in app.markdown)
    assert not [m for m in app.markdown if "←" in m.value]  # no pair proposed by name either
    now.select(now.options[0]).run()
    assert next(b for b in app.button if b.label == "Confirmer : c'est le même").disabled  # one side is not enough
    before = next(s for s in app.selectbox if s.label == "est le même que, en 2024")
    before.select(before.options[0]).run()
    next(b for b in app.button if b.label == "Confirmer : c'est le même").click().run()
    assert not app.exception, [e.message for e in app.exception]
    # Confirmed by a person: one renewed funder, none new nor stopped.
    cards = {m.label: m.value for m in app.metric}
    assert cards["Financeurs renouvelés"] == "8" and cards["Nouveaux financeurs (0)"] == "0,00\u00a0%"
    assert any(m.value == "Région ← CARSAT (confirmé)" for m in app.markdown)


@pytest.mark.parametrize(
    "lang, legend, carsat, region",
    [
        (
            "fr",
            "✓ renouvelé · + nouveau · ✕ arrêté",
            ["CARSAT", "4\u202f500\u00a0€", "—"],
            ["Région", "—", "6\u202f000\u00a0€"],
        ),
        ("en", "✓ renewed · + new · ✕ stopped", ["CARSAT", "€4,500", "—"], ["Region", "—", "€6,000"]),
    ],
)
def test_on_a_phone_the_funders_table_is_three_short_columns_under_a_legend(
    empty_store, monkeypatch, lang, legend, carsat, region
):
    """390 px cut "Situation" to "Re / No / Ar": on a phone the situation is a mark, first, its
    legend under the table, the euros whole and no difference column."""
    monkeypatch.setattr("dashboard.widgets.on_a_phone", lambda: True)
    app = added_sample(lang)
    table = next(t.value for t in app.table if any("CARSAT" in str(c) for c in t.value.to_numpy().ravel()))
    table = table.map(lambda cell: cell.replace("\\", "")).rename(index=lambda i: i.replace("\\", ""))
    assert list(table.columns) == [WORDS[lang]["funder"], "2024", "2025"]
    rows = {row[0]: (mark, *row) for mark, row in zip(table.index, table.values.tolist())}
    assert list(rows["CARSAT"]) == ["✕", *carsat]
    assert list(rows[region[0]]) == ["+", *region]
    assert rows["CAF DE LA DROME"][0] == "✓" and len(rows) == 9
    assert any(c.value.replace("\\", "").startswith(legend) for c in app.caption)

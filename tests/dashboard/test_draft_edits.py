"""The tab's draft keeps the edits as what they change of the files (issue 35.3): a reload
brings them back; edits that no longer fit their files (read otherwise since) are dropped, and
the page says so rather than showing a workbook half edited."""

from __future__ import annotations

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from helpers import xlsx_bytes
from support.apptest import APP, open_app, upload, visit

FILES = {
    "Acteurs": [["nom", "categorie"], ["Les Castors", "centre"], ["Mairie", "institutions"]],
    "Flux": [["source", "cible", "nature", "quantite"], ["Mairie", "Les Castors", "monetaire", 1000]],
}


def _edited_tab(tmp_path, monkeypatch) -> str:
    """A workbook given, then a flow added on Saisie: the tab's draft key."""
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    app = visit(upload(open_app("fr"), [("castors.xlsx", xlsx_bytes(FILES))]), "saisie")
    [s for s in app.selectbox if s.label == "Qui donne"][0].set_value("Mairie")
    [s for s in app.selectbox if s.label == "Qui reçoit"][0].set_value("Les Castors")
    [s for s in app.selectbox if s.label == "Nature"][0].set_value("monetaire")
    [n for n in app.number_input if n.label == "Quantité"][0].set_value(500)
    [s for s in app.selectbox if s.label == "Unité"][0].set_value("€")
    [b for b in app.button if b.label == "Ajouter"][1].click()
    app.run()
    assert not app.exception
    return app.query_params["brouillon"]


def _stored_edits() -> dict:
    from valuechain.store.db import process_store
    from valuechain.store.schema import DRAFTS

    with process_store().engine.connect() as connection:
        return connection.execute(sa.select(DRAFTS.c.edited)).scalar()


def _reload(tab: str) -> AppTest:
    """F5: a new session, the same address."""
    again = AppTest.from_file(APP, default_timeout=60)
    again.session_state["lang"] = "fr"
    again.query_params["brouillon"] = tab
    again.run()
    assert not again.exception
    return again


def _resources(app: AppTest) -> str:
    return next(m.value for m in app.metric if m.label == "Ressources mobilisées")


def test_the_draft_keeps_the_edit_alone_and_a_reload_brings_it_back(tmp_path, monkeypatch):
    tab = _edited_tab(tmp_path, monkeypatch)
    kept = _stored_edits()
    assert kept["format"] == "edits-over-files" and list(kept["tables"]) == ["flows"]
    assert kept["tables"]["flows"]["rows"][0] == {"same": [0, 1, "Flux", 2]}  # the row read, by its place
    again = _reload(tab)
    assert any("avec vos modifications" in s.value for s in again.success)
    assert _resources(again) == "1\u202f500,00\u00a0€"


def test_edits_that_no_longer_fit_their_files_are_dropped_and_said(tmp_path, monkeypatch):
    from valuechain.store.db import process_store
    from valuechain.store.schema import DRAFTS

    tab = _edited_tab(tmp_path, monkeypatch)
    kept = _stored_edits()
    kept["tables"]["flows"]["base_rows"] = 7  # as if the file now read 7 flows
    with process_store().engine.begin() as connection:
        connection.execute(DRAFTS.update().values(edited=sa.bindparam("kept")), {"kept": kept})
    again = _reload(tab)
    assert "Les Castors" in again.caption[0].value  # the files came back
    assert _resources(again) == "1\u202f000,00\u00a0€"  # without the edit
    assert any("pas vos modifications" in w.value for w in again.warning)
    assert not any("avec vos modifications" in s.value for s in again.success)

"""Accueil as a centre director uses it (issue 34, points 5 and 12): a second workbook dropped
beside the first replaces it, said, never merged into a centre neither is; a refused file is
said alone; a problem is picked by clicking anywhere on its row."""

from __future__ import annotations

import pytest

from helpers import FALAISES, TISSERANDS, minimal_sheets, xlsx_bytes
from support.apptest import open_app, upload


def _files(*paths) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in paths]


def _texts(app, *kinds: str) -> list[str]:
    return [element.value.replace("\\", "") for kind in kinds for element in app.get(kind)]


@pytest.mark.parametrize("lang, said", [("fr", "remplace"), ("en", "replaces")])
def test_a_second_complete_workbook_replaces_the_first_said_never_merged(lang, said):
    app = upload(open_app(lang), _files(TISSERANDS))
    assert "La Coopérative des Tisserands" in app.caption[0].value
    app = upload(app, _files(TISSERANDS, FALAISES))  # the first is still in the uploader
    captions = _texts(app, "caption")
    assert any("Maison des habitants Les Falaises" in text for text in captions)
    assert not any("La Coopérative des Tisserands" in text for text in captions)
    warnings = [text for text in _texts(app, "warning") if said in text]
    assert warnings and TISSERANDS.name in warnings[0] and FALAISES.name in warnings[0]
    assert not app.error
    alone = open_app(lang)
    alone = upload(alone, _files(FALAISES))
    assert {m.label: m.value for m in app.metric} == {m.label: m.value for m in alone.metric}


@pytest.mark.parametrize("lang, none", [("fr", "0 erreur"), ("en", "0 error")])
def test_a_refused_upload_over_a_centre_without_problems_says_only_the_refusal(lang, none):
    app = upload(open_app(lang), [("cassé.xlsx", b"PK\x03\x04 nothing of a workbook")])
    assert any("cassé.xlsx" in text for text in _texts(app, "error"))
    assert not any(none in text for text in _texts(app, "warning", "info", "caption", "success"))
    assert not app.dataframe  # no empty table (Streamlit's English "empty")


def test_only_errors_with_no_error_is_a_sentence_not_an_empty_table():
    sheets = minimal_sheets()
    sheets["Flux"][0] = ["source", "cible", "nature", "quantite", "unite", "montant"]  # a synonym: a warning
    app = upload(open_app("fr"), [("avertissement.xlsx", xlsx_bytes(sheets))])
    assert app.dataframe, "the warning is listed"
    app.toggle[0].set_value(True).run()
    assert not app.dataframe
    assert any("Aucune erreur" in text for text in _texts(app, "caption"))


def test_a_problem_is_picked_by_a_click_on_any_cell_of_its_row():
    data = xlsx_bytes(minimal_sheets(flows=[["Mairie", "Jardin", "monetaire", "beaucoup", "€", None]]))
    app = upload(open_app("fr"), [("erreur.xlsx", data)])
    table = app.dataframe[0]
    modes = set(table.proto.selection_mode)
    from streamlit.proto.Dataframe_pb2 import Dataframe

    assert Dataframe.SelectionMode.SINGLE_CELL in modes and Dataframe.SelectionMode.SINGLE_ROW in modes
    # A cell clicked (its message, say) is its row: the problem is read whole under the table.
    app.session_state["problems_table"] = {"selection": {"cells": [[0, table.value.columns[-1]]]}}
    app.run()
    assert any("beaucoup" in text for text in _texts(app, "info"))

"""On Saisie an empty cell is empty: Streamlit's editor writes the English word "None" in a
cell without a value (a list cell, such as an activity without a function) unless told
otherwise."""

from __future__ import annotations

from support.apptest import open_app, visit


def test_every_table_of_saisie_shows_an_empty_cell_as_empty():
    app = visit(open_app("fr"), "saisie")
    assert not app.exception
    editors = app.dataframe
    assert len(editors) == 6  # the centre, then the five tables
    for editor in editors:
        assert editor.proto.HasField("placeholder") and editor.proto.placeholder == ""

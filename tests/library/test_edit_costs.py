"""An edit costs what it changes (issue 35.3): the draft kept at every edit is the list of
changes over the workbook the files read, not the whole workbook; a draft kept whole before
still loads; the editor's tables are written as they were; the figures after an edit are those
of a full analysis of the edited workbook."""

from __future__ import annotations

import json
import sys
from functools import cache

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import ROOT, WORKED_EXAMPLE_FILE
from valuechain import InputFile
from valuechain.chain import metrics
from valuechain.chain.analysis import EVERYTHING_SHOWN, FIRST_SHOWN, analyse, analyse_raw
from valuechain.model import RawRow, RawWorkbook
from valuechain.reading.reader import read_files
from valuechain.reading.validation import validate, validate_edit
from valuechain.store.db import Store
from valuechain.store.drafts import EDITS_FORMAT, Drafts
from valuechain.workbook.editing import (
    EditsDoNotFit,
    _shown_cell,
    add_row,
    apply_editor_changes,
    column_label,
    editable_frame,
    edited_frame,
    edits_over,
    with_edits,
)

pytestmark = pytest.mark.library

ACTORS, FLOWS = 120, 600


@cache
def _synthetic_bytes() -> bytes:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import synthetic_tables, tables_to_xlsx

    return tables_to_xlsx(synthetic_tables(ACTORS, FLOWS, 1))


def _files() -> tuple[InputFile, ...]:
    return (InputFile("grand.xlsx", _synthetic_bytes()),)


@cache
def _read() -> RawWorkbook:
    return read_files(list(_files()))


def _as_json(data: dict) -> dict:
    return json.loads(json.dumps(data))


# One edit as the Saisie page's editor makes it: (table, position, column, text typed), a row
# deleted, or a row added.
_COLUMNS = {
    "flows": ("value", "quantity", "nature", "source", "target", "unit", "activity"),
    "actors": ("name", "category", "local"),
}
_TEXTS = st.sampled_from(["", "0", "12,5", "abc", "-3", "Monétaire", "oui", "Mairie", "1e3", "  7 "])
_EDITS = st.lists(
    st.one_of(
        st.tuples(
            st.just("edit"),
            st.sampled_from(["flows", "actors"]),
            st.integers(0, 10_000),
            st.sampled_from(range(7)),
            _TEXTS,
        ),
        st.tuples(st.just("delete"), st.sampled_from(["flows", "actors"]), st.integers(0, 10_000)),
        st.tuples(st.just("add"), st.just("flows"), _TEXTS),
    ),
    min_size=1,
    max_size=4,
)


def _edited(raw: RawWorkbook, edits: list[tuple]) -> RawWorkbook:
    for edit in edits:
        code = edit[1]
        frame = editable_frame(raw, code, "fr")
        if edit[0] == "edit":
            _, _, position, column, text = edit
            columns = _COLUMNS[code]
            header = column_label(code, columns[column % len(columns)], "fr")
            changes: dict = {"edited_rows": {position % len(frame): {header: text}}}
        elif edit[0] == "delete":
            changes = {"deleted_rows": [edit[2] % len(frame)]}
        else:
            value = column_label("flows", "value", "fr")
            changes = {"added_rows": [{column_label("flows", "source", "fr"): "Mairie", value: edit[2]}]}
        raw = apply_editor_changes(raw, code, frame, changes, "fr")
    return raw


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
def test_edits_kept_over_the_files_give_back_the_edited_workbook_and_its_figures(edits):
    base = _read()
    edited = _edited(base, edits)
    kept = _as_json(edits_over(base, edited))
    again = with_edits(base, kept)
    assert again.to_dict() == edited.to_dict()
    # Every located message and every figure: those of the workbook as edited.
    assert [p.located("fr") for p in analyse_raw(again).workbook.problems] == [
        p.located("fr") for p in analyse_raw(edited).workbook.problems
    ]
    assert analyse_raw(again, compute=FIRST_SHOWN).figures == analyse_raw(edited, compute=FIRST_SHOWN).figures
    # What is kept grows with the edits, not with the workbook's 600 flows.
    assert len(json.dumps(kept)) < 6_000 * len(edits)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS, st.sampled_from(["fr", "en"]))
@example([("edit", "flows", 3, 0, "abc")], "fr")  # a row in error now: its problems' cell too
@example([("edit", "actors", 5, 0, "Mairie")], "en")  # a name taken twice: problems in other rows
def test_the_editors_tables_after_an_edit_are_those_written_whole(edits, lang):
    """Made from the tables shown before the edit (only the rows changed written again, and
    every row's problems), each table is the one written whole from the edited workbook."""
    base = _read()
    before = analyse_raw(base).workbook
    edited = _edited(base, edits)
    after = analyse_raw(edited).workbook
    for code in ("actors", "activities", "flows", "indicators", "outcomes"):
        previous = editable_frame(base, code, lang, before.problems)
        made = edited_frame(previous, base, edited, code, lang, after.problems)
        pd.testing.assert_frame_equal(made, editable_frame(edited, code, lang, after.problems))
        pd.testing.assert_frame_equal(previous, editable_frame(base, code, lang, before.problems))  # left as it was


def test_one_edit_keeps_a_few_hundred_bytes_not_the_workbook(tmp_path):
    base = _read()
    edited = _edited(base, [("edit", "flows", 100, 0, "1234")])
    drafts = Drafts(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    drafts.keep("p@x.fr", "tab", _files(), "Centre", edited, read=base)
    with drafts.engine.connect() as connection:
        stored = connection.execute(drafts_edited()).scalar()
    assert stored["format"] == EDITS_FORMAT
    whole = len(json.dumps(edited.to_dict()))
    assert len(json.dumps(stored)) * 50 < whole
    # Brought back over the files as read: the same workbook, read here or by the caller.
    for read in (None, lambda files: read_files(list(files))):
        draft = drafts.get("p@x.fr", "tab", read)
        assert draft is not None and not draft.edits_lost
        assert draft.edited is not None and draft.edited.to_dict() == edited.to_dict()


def drafts_edited():
    import sqlalchemy as sa

    from valuechain.store.schema import DRAFTS

    return sa.select(DRAFTS.c.edited)


def test_a_draft_kept_whole_before_still_loads(tmp_path):
    """A draft of the previous release holds the whole edited workbook (``to_dict``)."""
    import sqlalchemy as sa

    from valuechain.store.schema import DRAFTS

    base = _read()
    edited = add_row(base, "actors", {"name": "Nouvelle voisine", "category": "Habitant"})
    drafts = Drafts(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    drafts.keep("p@x.fr", "tab", _files(), "Centre", edited)  # no workbook read given: kept whole
    with drafts.engine.begin() as connection:
        assert "format" not in connection.execute(drafts_edited()).scalar()
        connection.execute(DRAFTS.update().values(edited=sa.bindparam("whole")), {"whole": edited.to_dict()})
    draft = drafts.get("p@x.fr", "tab", lambda files: pytest.fail("a whole draft needs no reading"))
    assert draft is not None and not draft.edits_lost
    assert draft.edited is not None and draft.edited.to_dict() == edited.to_dict()


def test_edits_that_no_longer_fit_their_files_are_dropped_and_said(tmp_path):
    base = _read()
    edited = _edited(base, [("edit", "flows", 3, 0, "99")])
    kept = _as_json(edits_over(base, edited))
    shorter = RawWorkbook(base.name, dict(base.tables), dict(base.centre_fields), list(base.problems))
    shorter.tables["flows"] = type(base.tables["flows"])(
        "flows", base.tables["flows"].columns, base.tables["flows"].rows[1:]
    )
    with pytest.raises(EditsDoNotFit):
        with_edits(shorter, kept)
    drafts = Drafts(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    drafts.keep("p@x.fr", "tab", _files(), "Centre", edited, read=base)
    draft = drafts.get("p@x.fr", "tab", lambda files: shorter)
    assert draft is not None and draft.edits_lost and draft.edited is None and draft.files == _files()
    unreadable = drafts.get("p@x.fr", "tab", lambda files: None)
    assert unreadable is not None and unreadable.edits_lost


def test_a_row_kept_is_the_same_cells_of_the_same_types():
    """1, 1.0 and True read alike but are kept apart: a row typed otherwise is written out."""
    base = RawWorkbook("c")
    base.table("flows").rows = [RawRow("Flux", 2, {"value": 1}), RawRow("Flux", 3, {"value": 2.5})]
    edited = RawWorkbook("c", {"flows": type(base.tables["flows"])("flows")})
    edited.tables["flows"].rows = [RawRow("Flux", 2, {"value": 1.0}), RawRow("Flux", 3, {"value": 2.5})]
    kept = edits_over(base, edited)
    assert kept["tables"]["flows"]["rows"][0] == ["Flux", 2, {"value": 1.0}, False]
    assert kept["tables"]["flows"]["rows"][1] == {"same": [1, 2, "Flux", 3]}
    assert type(with_edits(base, _as_json(kept)).tables["flows"].rows[0].cells["value"]) is float


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_editors_tables_write_numbers_as_before(lang):
    """The decimal sign found once per table, not once per number: the same text."""
    raw = read_files([InputFile.from_path(WORKED_EXAMPLE_FILE)])
    for code, table in raw.tables.items():
        frame = editable_frame(raw, code, lang)
        for position, row in enumerate(table.rows):
            for column, value in row.cells.items():
                header = column_label(code, column, lang)
                if header in frame.columns:  # (an extra column is under its own header)
                    assert frame.iloc[position][header] == _shown_cell(code, column, value, lang)
    assert _shown_cell("flows", "value", 12.5, "fr") == "12,5" and _shown_cell("flows", "value", 12.5, "en") == "12.5"


def test_figures_after_an_edit_are_those_of_a_full_analysis():
    """The edit path (the first analysis's caches warm, the edited workbook's tables shared with
    it) gives every figure a fresh analysis of the same workbook, read again from JSON, gives."""
    base = _read()
    first = analyse_raw(base, compute=EVERYTHING_SHOWN)
    edited = _edited(first.workbook.raw, [("edit", "flows", 10, 0, "4321"), ("edit", "flows", 11, 0, "abc")])
    after = analyse_raw(edited, compute=EVERYTHING_SHOWN)
    metrics._NETWORK_FIGURES.clear()
    fresh = analyse_raw(RawWorkbook.from_dict(_as_json(edited.to_dict())), compute=EVERYTHING_SHOWN)
    for name in EVERYTHING_SHOWN:
        assert getattr(after, name) == getattr(fresh, name), name
    assert after.figures != first.figures  # the edit did change something


def test_the_draft_s_files_are_written_again_only_when_they_change(tmp_path):
    """An edit rewrites the edits, not the files (zipped once, by content); other files given
    in the same tab replace them."""
    import sqlalchemy as sa

    from valuechain.store.schema import DRAFTS

    base = _read()
    drafts = Drafts(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    drafts.keep("p@x.fr", "tab", _files(), "Centre", _edited(base, [("edit", "flows", 1, 0, "5")]), read=base)
    with drafts.engine.connect() as connection:
        first = connection.execute(sa.select(DRAFTS.c.files)).scalar()
    edited = _edited(base, [("edit", "flows", 1, 0, "6")])
    drafts.keep("p@x.fr", "tab", _files(), "Centre", edited, read=base)
    with drafts.engine.connect() as connection:
        assert connection.execute(sa.select(DRAFTS.c.files)).scalar() == first
    draft = drafts.get("p@x.fr", "tab", lambda files: base)
    assert draft is not None and draft.edited is not None and draft.edited.to_dict() == edited.to_dict()
    other = (InputFile.from_path(WORKED_EXAMPLE_FILE),)
    drafts.keep("p@x.fr", "tab", other, "Centre")
    draft = drafts.get("p@x.fr", "tab")
    assert draft is not None and draft.files == other and draft.edited is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
@example([("edit", "flows", 10, 0, "4321"), ("edit", "flows", 11, 0, "abc"), ("add", "flows", "7")])
def test_the_editor_s_edits_validated_as_they_change_are_the_whole_validation(edits):
    """As the Saisie page validates each edit (``validate_edit``, from the workbook edited): the
    same located problems, records and figures as validating the edited workbook whole."""
    shown = analyse_raw(_read()).workbook
    for edit in edits:
        raw = _edited(shown.raw, [edit])
        shown = validate_edit(shown, raw)
        whole = validate(raw)
        assert [p.located("fr") for p in shown.problems] == [p.located("fr") for p in whole.problems]
        assert {code: list(shown.rows_of(code)) for code in shown.records} == {
            code: list(whole.rows_of(code)) for code in whole.records
        }
    assert analyse(shown, compute=FIRST_SHOWN).figures == analyse(whole, compute=FIRST_SHOWN).figures

"""An edit re-validates what it changes (issue 35.3): the flows changed are read again alone and
the rest of the validation kept, and what comes out is what validating the whole edited
workbook gives: the same located problems in the same order, the same records, the same
centre, the same figures. Rows that reach beyond themselves (an actor made up, a word of a
list said for the first time, a self-flow, an example row) have the workbook validated whole."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from valuechain.chain.analysis import FIRST_SHOWN, analyse
from valuechain.model import RawRow, RawTable, RawWorkbook
from valuechain.reading import validation
from valuechain.reading.validation import validate, validate_edit

pytestmark = pytest.mark.library

ACTORS = [
    ["Centre social des Tilleuls", "Centre social", "oui"],
    ["Mairie", "Collectivité", "oui"],
    ["CAF", "Financeur public", "non"],
    ["Épicerie solidaire", "Association", "oui"],
    ["Habitants", "Habitant", "oui"],
]
ACTIVITIES = [["Repair café", "Centre social des Tilleuls"], ["Jardin partagé", "Voisins du jardin"]]
# source, target, nature, quantity, unit, value, activity, description
FLOWS = [
    ["Mairie", "Centre social des Tilleuls", "Monétaire", None, None, 12000.0, None, None],
    ["CAF", "Centre social des Tilleuls", "Subvention", None, None, 30000.0, None, None],  # a word said once
    ["Habitants", "Centre social des Tilleuls", "Bénévolat", 320.0, "h", None, "Repair café", None],
    ["Boulangerie Martin", "Centre social des Tilleuls", "Don", 40.0, "kg", None, None, None],  # made up here
    ["Centre social des Tilleuls", "Habitants", "Service", None, None, None, "Ateliers cuisine", None],  # made up
    ["Épicerie solidaire", "Épicerie solidaire", "Nature", 3.0, None, None, None, None],  # a self-flow
    ["Boulangerie Martin", "Épicerie solidaire", "Dons", 10.0, "kg", None, "Ateliers cuisine", None],
    ["Mairie", "Centre social des Tilleuls", "Locaux", 1.0, None, 5000.0, None, "exemple"],  # an example row
    ["Mairie", "Centre social des Tilleuls", "abc", None, None, "12,5", None, None],
    ["CAF", "Habitants", "Monétaire", None, None, "-3", None, None],  # in error
    ["Habitants", "Mairie", "Information", None, None, None, "Jardin partagé", None],
    ["CAF", "Centre social des Tilleuls", "Financement", None, None, 800.0, None, None],  # a word said once
] + [
    [source, "Centre social des Tilleuls", nature, None, None, float(100 * position), None, None]
    for position, (source, nature) in enumerate(
        [("Mairie", "Monétaire"), ("CAF", "Subvention"), ("Habitants", "Monétaire"), ("Épicerie solidaire", "Don")] * 3
    )
]
FLOW_COLUMNS = ("source", "target", "nature", "quantity", "unit", "value", "activity", "description")


def _workbook() -> RawWorkbook:
    raw = RawWorkbook("Tilleuls")
    raw.centre_fields = {"name": ("Centre social des Tilleuls", "Centre", 2), "year": (2025.0, "Centre", 3)}
    for code, sheet, columns, rows in (
        ("actors", "Acteurs", ("name", "category", "local"), ACTORS),
        ("activities", "Activites", ("name", "lead"), ACTIVITIES),
        ("flows", "Flux", FLOW_COLUMNS, FLOWS),
    ):
        table = raw.table(code)
        table.add_columns(list(columns))
        table.rows = [
            RawRow(sheet, number, {c: v for c, v in zip(columns, values) if v is not None})
            for number, values in enumerate(rows, start=2)
        ]
    return raw


# What a person may type in a Flux cell: names declared, made up by one row or by none, a
# lead's, words of the lists and their other spellings, numbers, the example marker.
TEXTS = [
    "",
    "Mairie",
    "CAF",
    "Centre social des Tilleuls",
    "Boulangerie Martin",
    "Voisins du jardin",
    "Inconnu du quartier",
    "Repair café",
    "Ateliers cuisine",
    "Nouvelle activité",
    "Monétaire",
    "Subvention",
    "Financement",
    "Argent",
    "Don",
    "nimporte",
    "12,5",
    "-3",
    "abc",
    "7",
    "h",
    "exemple",
]
# A cell typed again (its position among the flows, its column, the text), or a flow added
# after the last (position -1; the quick add's form), with one cell typed.
EDITS = st.lists(
    st.lists(
        st.tuples(st.integers(-1, len(FLOWS) - 1), st.sampled_from(FLOW_COLUMNS), st.sampled_from(TEXTS)),
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=4,
)
ADDED = {"source": "Mairie", "target": "Centre social des Tilleuls", "nature": "Monétaire", "value": 50.0}


def _edited(raw: RawWorkbook, cells: list[tuple[int, str, str]]) -> RawWorkbook:
    """``raw`` with a few Flux cells typed again, or flows added, as the editor and the quick
    add make it (the other tables shared)."""
    old = raw.tables["flows"]
    rows = list(old.rows)
    for position, column, text in cells:
        if position < 0:
            rows.append(RawRow("Flux", rows[-1].row + 1, ADDED))
        row = rows[position]
        typed = {**row.cells, column: text} if text else {k: v for k, v in row.cells.items() if k != column}
        rows[position] = RawRow(row.sheet, row.row, typed)
    return RawWorkbook(
        raw.name,
        {**raw.tables, "flows": RawTable("flows", list(old.columns), rows, dict(old.headers))},
        dict(raw.centre_fields),
        list(raw.problems),
    )


def _same(made, whole) -> None:
    assert [p.located("fr") for p in made.problems] == [p.located("fr") for p in whole.problems]
    assert made.problems == whole.problems
    assert made.centre == whole.centre and made.centre_id == whole.centre_id
    for code in ("actors", "activities", "flows", "indicators", "outcomes"):
        assert list(made.rows_of(code)) == list(whole.rows_of(code)), code
    assert analyse(made, compute=FIRST_SHOWN).figures == analyse(whole, compute=FIRST_SHOWN).figures


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS)
@example([[(0, "value", "abc")]])  # a row now in error
@example([[(1, "nature", "Monétaire")], [(11, "nature", "Argent")]])  # the word said moves to a later row
@example([[(12, "source", "Boulangerie Martin")]])  # names an actor made up by an earlier row
@example([[(2, "source", "Boulangerie Martin")]])  # … by a later row: made up here now
@example([[(12, "activity", "Ateliers cuisine")], [(12, "activity", "")]])  # an activity made up earlier
@example([[(13, "target", "Mairie")]])  # a self-flow now
@example([[(1, "nature", "Monétaire")]])  # the word said is said by a later row now
@example([[(0, "nature", "Financement")]])  # a word said later is said here now
@example([[(0, "description", "exemple")]])  # an example row now
@example([[(7, "description", "")]])  # no longer one
@example([[(12, "source", "Voisins du jardin")]])  # an actor made up for a lead, after the flows
def test_an_edit_validated_as_it_changes_is_the_whole_validation(edits):
    raw = _workbook()
    shown = validate(raw)
    for cells in edits:  # one edit after the other, each made from the one before
        raw = _edited(raw, cells)
        shown = validate_edit(shown, raw)
        _same(shown, validate(raw))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS, st.sampled_from([None, 9.0]))
@example([[(2, "quantity", "7")]], None)  # hours: valued at the rate
@example([[(4, "activity", "Repair café")]], None)
def test_an_edit_s_graph_takes_the_unchanged_flows_again_and_is_the_graph_made_whole(edits, rate):
    """The graph of an edit (build_graph after the graph before) reuses the unchanged flows'
    edges and is, edge for edge, the graph made from scratch; a change of the rate makes every
    valued flow anew."""
    from valuechain.chain import graph as graphs

    raw = _workbook()
    shown = validate(raw)
    before = graphs.build_graph(shown)
    for cells in edits:
        raw = _edited(raw, cells)
        if rate is not None:
            raw.centre_fields["volunteer_hourly_rate"] = (rate, "Centre", 4)
        shown = validate_edit(shown, raw)
        made = graphs.build_graph(shown)
        graphs._LAST_FLOWS.keep(None, ([], []))  # forgotten: the graph made whole
        whole = graphs.build_graph(validate(raw))
        assert list(made.edges(keys=True, data=True)) == list(whole.edges(keys=True, data=True))
        assert dict(made.nodes(data=True)) == dict(whole.nodes(data=True)) and made.graph == whole.graph
        if made.graph["hourly_rate"] != before.graph["hourly_rate"]:  # every flow made anew
            assert not {id(d) for *_, d in before.edges(data=True)} & {id(d) for *_, d in made.edges(data=True)}
        graphs._LAST_FLOWS.keep(None, ([], []))
        before = graphs.build_graph(shown)  # the graph the next edit follows


def test_a_value_typed_again_makes_that_flow_s_edge_alone():
    from valuechain.chain import graph as graphs

    raw = _workbook()
    shown = validate(raw)
    before = graphs.build_graph(shown)
    raw = _edited(raw, [(14, "value", "1 234,5")])
    made = graphs.build_graph(validate_edit(shown, raw))
    old = {id(d) for *_, d in before.edges(data=True)}
    fresh = [d for *_, d in made.edges(data=True) if id(d) not in old]
    assert [d["row"] for d in fresh] == [16] and fresh[0]["value"] == 1234.5


def test_a_value_typed_again_reads_that_row_alone(monkeypatch):
    raw = _workbook()
    shown = validate(raw)
    monkeypatch.setattr(validation, "validate", lambda raw: pytest.fail("validated whole"))
    for text, value in (("1 234,5", 1234.5), ("abc", None), ("99", 99.0)):
        raw = _edited(raw, [(14, "value", text)])
        shown = validate_edit(shown, raw)
        # Row 16 of Flux (the 15th flow): its value read, or the row left out with its error.
        assert [f["value_entered"] for f in shown.rows_of("flows") if f["row"] == 16] == ([value] if value else [])
        said = [p.located("fr") for p in shown.problems if p.row == 16]
        assert (len(said) == 1 and "abc" in said[0]) if value is None else said == []


def test_a_flow_added_reads_that_row_alone(monkeypatch):
    """The quick add's flow, after the last: its record at the end, its problems after the
    other flows' and before those said once every flow is read."""
    raw = _workbook()
    shown = validate(raw)
    monkeypatch.setattr(validation, "validate", lambda raw: pytest.fail("validated whole"))
    raw = _edited(raw, [(-1, "quantity", "abc")])
    shown = validate_edit(shown, raw)
    raw = _edited(raw, [(-1, "value", "75")])
    shown = validate_edit(shown, raw)
    number = len(FLOWS) + 3  # the second flow added, on the row after the first's
    assert shown.rows_of("flows")[-1]["row"] == number and shown.rows_of("flows")[-1]["value_entered"] == 75.0
    codes = [(p.code, p.row) for p in shown.problems]
    assert codes.index(("number_invalid", number - 1)) < codes.index(("self_flow", 7))


def test_a_row_that_makes_up_an_actor_is_validated_whole(monkeypatch):
    raw = _workbook()
    shown = validate(raw)
    whole = []
    monkeypatch.setattr(validation, "validate", lambda raw: whole.append(raw) or validate(raw))
    edited = _edited(raw, [(14, "source", "Inconnu du quartier")])
    made = validate_edit(shown, edited)
    assert whole == [edited]
    assert any(p.code == "actor_created" and p.row == 16 for p in made.problems)


def test_the_same_flows_under_another_rate_or_centre_are_made_anew():
    """What a flow's edge hangs on beyond its record (the rate, the centre, the activities'
    domains) is checked before anything is taken again."""
    import dataclasses

    from valuechain.chain import graph as graphs

    shown = validate(_workbook())
    before = graphs.build_graph(shown)
    hours = [d["value"] for *_, d in before.edges(data=True) if d["value_basis"] == "volunteer_rate"]
    assert hours
    shown.centre = dataclasses.replace(shown.centre, volunteer_hourly_rate=20.0)
    made = graphs.build_graph(shown)
    assert (
        [d["value"] for *_, d in made.edges(data=True) if d["value_basis"] == "volunteer_rate"]
        == [d["hours"] * 20.0 for *_, d in made.edges(data=True) if d["value_basis"] == "volunteer_rate"]
        != hours
    )

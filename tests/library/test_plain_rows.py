"""Plain flow rows read the short way (``Network._plain_flow``, issue 35): a workbook validated
with it gives exactly what the general reading gives, row for row: the same records, the same
located problems in the same order, the same actors made up, the same centre. Checked on
random Flux tables mixing plain rows with every kind of cell the general reading speaks of."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valuechain.model import CentreWorkbook, RawRow, RawWorkbook
from valuechain.reading.network import Network
from valuechain.reading.validation import validate

pytestmark = pytest.mark.library

ACTORS = [
    {"name": "Centre social des Tilleuls", "category": "Centre social", "local": "oui"},
    {"name": "Mairie", "category": "Collectivité"},
    {"name": "CAF", "category": "Financeur public", "id": "caf-26"},
    {"name": "Habitants", "category": "Habitant"},
]
ACTIVITIES = [{"name": "Repair café"}, {"name": "Jardin partagé", "lead": "Voisins du jardin"}]
# Per column: plain cells (as the reader leaves them) and every other kind a person types.
NAMES = ["Mairie", "CAF", "caf-26", "Habitants", "Centre social des Tilleuls", "Repair café", "Jardin partagé"]
ODD_NAMES = [" Mairie", "mairie", "MAIRIE  ", "Boulangerie Martin", "Voisins du jardin", "Ateliers cuisine", "", 12.0]
CELLS = {
    "source": NAMES + ODD_NAMES,
    "target": NAMES + ODD_NAMES,
    "nature": ["Monétaire", "monetaire", "Bénévolat", "Don", "Subvention", "Nature", "Service", "abc", " Don", 3.0, ""],
    "quantity": [1.0, 320.0, 0.0, 2.5, -3.0, math.nan, math.inf, 1e30, "12,5", "12 h", "abc", 7, True, None],
    "value": [12000.0, 0.5, 0.0, -1.0, math.nan, "800 €", "1 000,50", None, 5],
    "unit": ["h", "€", "kg", "heures", "jours", " h", "", "boîtes", 3.0, None],
    "activity": NAMES + ODD_NAMES + ["Nouvelle activité", None],
    "year": [2025.0, 2024.0, 2025.5, 1800.0, "2025", dt.date(2025, 3, 1), "abc", None],
    "domains": ["Lien social", "lien social|Santé", "nimporte", None],
    "tangible": ["oui", "non", "peut-être", True, None],
    "data_source": ["Compta", 12.0, None],
    "description": ["Pour le repas", "exemple", None],
    "Remarque": ["à revoir", None],
}


def _workbook(flows: list[dict], year: float | None) -> RawWorkbook:
    raw = RawWorkbook("Tilleuls")
    raw.centre_fields = {"name": ("Centre social des Tilleuls", "Centre", 2)}
    if year is not None:
        raw.centre_fields["year"] = (year, "Centre", 3)
    for code, sheet, rows in (("actors", "Acteurs", ACTORS), ("activities", "Activites", ACTIVITIES)):
        table = raw.table(code)
        table.add_columns(sorted({column for row in rows for column in row}))
        table.rows = [RawRow(sheet, number, dict(row)) for number, row in enumerate(rows, start=2)]
    table = raw.table("flows")
    table.add_columns(list(CELLS))
    table.rows = [
        RawRow(
            "Flux", number, {c: v for c, v in row.items() if v is not None and c != "broken"}, row.get("broken") is True
        )
        for number, row in enumerate(flows, start=2)
    ]
    return raw


def _said(workbook: CentreWorkbook) -> tuple:
    return (
        [p.as_dict("fr") for p in workbook.problems],
        repr(workbook.records),
        workbook.centre_id,
        repr(workbook.centre),
    )


PLAIN = st.fixed_dictionaries(
    {
        "source": st.sampled_from(NAMES),
        "target": st.sampled_from(NAMES),
        "nature": st.sampled_from(["Monétaire", "Bénévolat", "Nature", "Information", "Compétences", "Lieu"]),
        "quantity": st.sampled_from([1.0, 320.0, None]),
        "value": st.sampled_from([12000.0, None]),
        "unit": st.sampled_from(["h", "€", "kg", None]),
        # "Ateliers cuisine": an activity the first row that names it makes up (said on each row).
        "activity": st.sampled_from(["Repair café", "Jardin partagé", "Ateliers cuisine", None]),
    }
)
ODD = st.fixed_dictionaries({}, optional={column: st.sampled_from(cells) for column, cells in CELLS.items()})
# Plain rows; plain rows but for a cell or a few (the row the short way must leave alone, or
# read as the general way does); anything; a broken CSV line.
ROWS = st.lists(
    st.one_of(
        PLAIN,
        st.builds(lambda row, odd: {**row, **dict(list(odd.items())[:3])}, PLAIN, ODD),
        ODD,
        PLAIN.map(lambda row: {**row, "broken": True}),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flows=ROWS, year=st.sampled_from([2025.0, None]))
def test_a_workbook_read_with_plain_rows_is_the_general_reading_to_the_last_word(monkeypatch, flows, year):
    short = validate(_workbook(flows, year))
    with monkeypatch.context() as general:
        general.setattr(Network, "_plain_flow", lambda self, row, centre: None)
        whole = validate(_workbook(flows, year))
    assert _said(short) == _said(whole)


def test_plain_rows_are_most_rows_of_a_plain_table_and_none_of_the_others(monkeypatch):
    taken = []
    plain_flow = Network._plain_flow

    def counted(self, row, centre):
        record = plain_flow(self, row, centre)
        taken.append(record is not None)
        return record

    monkeypatch.setattr(Network, "_plain_flow", counted)
    plain = {"source": "Mairie", "target": "Centre social des Tilleuls", "nature": "Monétaire", "value": 50.0}
    validate(
        _workbook(
            [plain] * 5
            + [
                {**plain, "source": "Boulangerie Martin"},  # made up: said where it is
                {**plain, "nature": "Subvention"},  # a synonym: said once
                {**plain, "value": -2.0},  # an error
                {**plain, "activity": "Ateliers cuisine"},  # an activity made up
                {**plain, "activity": "Ateliers cuisine"},  # and leant on again: said again
                {**plain, "year": 2024.0},  # another year than the centre's
            ],
            2025.0,
        )
    )
    assert taken == [True] * 5 + [False] * 6

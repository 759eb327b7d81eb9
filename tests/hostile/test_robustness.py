"""Whatever a spreadsheet holds, reading never fails: every cell becomes a value or a problem."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valuechain import validate
from valuechain.chain.analysis import analyse
from valuechain.media.mapview import map_html
from valuechain.vocabulary import ACTIVITIES, ACTORS, FLOWS, INDICATORS
from valuechain.workbook.writing import raw_workbook_from_records

NAMES = ["Centre", "Mairie", "CAF", "Jardin", "<b>x</b>", "=1+1", " mairie ", ""]
CELLS = st.one_of(
    st.none(),
    st.sampled_from(NAMES),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "1 234,5",
            "12,5 h",
            "3 000 €",
            "-4",
            "beaucoup",
            "oui",
            "non",
            "x",
            "2024",
            "jours",
            "centre",
            "institutions",
            "monétaire",
            "bénévolat",
            "support",
            "societal|politique",
            "€",
            "h",
        ]
    ),
    st.text(max_size=12),
)


def records(columns, size):
    return st.lists(st.fixed_dictionaries({c.code: CELLS for c in columns}), max_size=size)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records(ACTORS.columns, 6),
    records(ACTIVITIES.columns, 4),
    records(FLOWS.columns, 10),
    records(INDICATORS.columns, 3),
    st.dictionaries(st.sampled_from(["name", "year", "volunteer_hourly_rate", "type"]), CELLS),
)
def test_any_content_is_read_into_values_and_problems_and_every_figure_computes(
    actors, activities, flows, indicators, centre
):
    raw = raw_workbook_from_records(
        "fuzz", centre, actors=actors, activities=activities, flows=flows, indicators=indicators
    )
    workbook = validate(raw)
    analysis = analyse(workbook, compute_all=True)
    assert workbook.centre_id in analysis.graph
    for problem in workbook.problems:
        assert problem.message("fr") and problem.message("en")
    map_html(analysis.graph, lang="en")

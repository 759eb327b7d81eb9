"""The tables as typed → the tables as understood, with every problem located.

This applies ``shared/workbook-format.md``: defaults, inferences (each reported as a warning)
and errors (the row is left out of the graph, kept in the raw tables to be fixed). Like
pandera, it goes on after a problem and returns all of them, never stopping at the first.
"""

from __future__ import annotations

from valuechain.model import WARNING, CentreWorkbook, RawWorkbook
from valuechain.performance import without_gc
from valuechain.reading.cell_checks import CellChecks
from valuechain.reading.centre_sheet import read_centre
from valuechain.reading.indicators import read_indicators
from valuechain.reading.network import Network
from valuechain.reading.outcomes import read_outcomes
from valuechain.vocabulary import EXAMPLE_MARKERS, TABLES_BY_CODE, normalise_key


@without_gc  # 20,000 rows make a few hundred thousand small objects, none in a cycle
def validate(raw: RawWorkbook) -> CentreWorkbook:
    """Interpret a workbook as typed: the centre, typed tables of valid rows, every problem."""
    checks = CellChecks(raw)
    centre = read_centre(checks)
    network = Network(checks)
    network.read_actors()
    network.read_activities()
    # The centre named by the Centre sheet must exist before flows name it; only a
    # flows-only file needs the flows to guess it.
    centre_id = network.declared_centre(centre)
    pending_flows = network.read_flows(centre)
    if centre_id is None:
        centre_id = network.guessed_centre(pending_flows)
    network.resolve_leads(centre_id)
    network.check_self_flows(pending_flows)
    indicators = read_indicators(checks)
    outcomes = read_outcomes(checks, network.nodes)
    _check_example_rows(checks)
    network.name_centre(centre, centre_id)
    return CentreWorkbook(
        raw=raw,
        centre=centre,
        centre_id=centre_id,
        records={
            "actors": network.actors,
            "activities": network.activities,
            "flows": network.flows,
            "indicators": indicators,
            "outcomes": outcomes,
        },
        problems=checks.problems,
    )


def _check_example_rows(checks: CellChecks) -> None:
    for code, table in checks.raw.tables.items():
        spec = TABLES_BY_CODE[code]
        for row in table.rows:
            marker = row.cells.get("description", row.cells.get("comment"))
            if normalise_key(marker) in EXAMPLE_MARKERS:
                checks.report(WARNING, "example_row", spec, row)

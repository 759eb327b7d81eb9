"""The tables as typed → the tables as understood, with every problem located.

This applies ``shared/workbook-format.md``: defaults, inferences (each reported as a warning)
and errors (the row is left out of the graph, kept in the raw tables to be fixed). Like
pandera, it goes on after a problem and returns all of them, never stopping at the first.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from valuechain.model import WARNING, CentreWorkbook, FlowRecord, Problem, RawRow, RawWorkbook
from valuechain.performance import without_gc
from valuechain.reading.cell_checks import CellChecks
from valuechain.reading.centre_sheet import read_centre
from valuechain.reading.indicators import read_indicators
from valuechain.reading.network import Network, Node, NotAlone
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
    guessed = centre_id is None
    if centre_id is None:
        centre_id = network.guessed_centre(pending_flows)
    network.resolve_leads(centre_id)
    network.check_self_flows(pending_flows)
    indicators = read_indicators(checks)
    outcomes = read_outcomes(checks, network.nodes)
    _check_example_rows(checks)
    network.name_centre(centre, centre_id)
    workbook = CentreWorkbook(
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
    if not guessed:  # a centre guessed from the flows may change with any flow: read whole again
        _keep_trace(workbook, _trace(network, checks))
    return workbook


def _check_example_rows(checks: CellChecks) -> None:
    for code, table in checks.raw.tables.items():
        spec = TABLES_BY_CODE[code]
        for row in table.rows:
            if _is_example(row):
                checks.report(WARNING, "example_row", spec, row)


# An edit of a few flows, validated as it changes ---------------------------------------------------
# One cell edited on Saisie at 20,000 flows: the rows changed are read again alone, and the
# problems and records of the others kept, whenever that gives exactly what a whole validation
# gives (tested against it on random edits). A row that would change more than itself (an
# actor made up, a word of a list said for the first time, a self-flow, an example row…) has
# the workbook validated whole.

# Past this many flows changed, the workbook is validated whole.
_FEW_FLOWS_CHANGED = 50


@dataclass
class _FlowTrace:
    """What a validation leaves behind to read a changed flow again alone."""

    problem_starts: list[int]  # per flow row, where its problems begin (and where the last end)
    records_before: list[int]  # per flow row, how many flow records come before it (and in all)
    nodes: dict[str, Node]
    made_at: dict[str, int]  # the key of each node made up from a flow (or later) → where
    said: dict[tuple[str, str], int]  # the words of a list said → where
    self_flows: set[int]


# By the workbook's id, forgotten with it (a CentreWorkbook, a dataclass, cannot be a weak key).
_TRACES: dict[int, _FlowTrace] = {}


def _keep_trace(workbook: CentreWorkbook, trace: _FlowTrace) -> None:
    _TRACES[id(workbook)] = trace
    weakref.finalize(workbook, _TRACES.pop, id(workbook), None)


def _trace(network: Network, checks: CellChecks) -> _FlowTrace:
    records_before, count = [], 0
    kept = iter(p for p in network.pending_positions if p not in network.self_flows)
    following = next(kept, None)
    for position in range(len(network.flow_problems)):
        records_before.append(count)
        if position == following:
            count, following = count + 1, next(kept, None)
    return _FlowTrace(
        network.flow_problems,
        records_before,
        network.nodes,
        network.made_at,
        checks.synonyms_said,
        network.self_flows,
    )


def _changed_flows(before: RawWorkbook, raw: RawWorkbook) -> list[int] | None:
    """The positions of the flow rows ``raw`` changed or added (at the end) over ``before`` when
    nothing else changed (the same rows in the same places but those), else None."""
    old, new = before.tables.get("flows"), raw.tables.get("flows")
    if (
        old is None
        or new is None
        or list(before.tables) != list(raw.tables)  # (in the same order: problems are said in it)
        or any(raw.tables[code] is not table for code, table in before.tables.items() if code != "flows")
        or len(old.rows) > len(new.rows)
        or (old.columns, old.headers) != (new.columns, new.headers)
        or (before.name, before.centre_fields, before.problems) != (raw.name, raw.centre_fields, raw.problems)
    ):
        return None
    changed = [position for position, (a, b) in enumerate(zip(old.rows, new.rows)) if a is not b]
    changed += range(len(old.rows), len(new.rows))  # a flow added (a quick add)
    return changed if len(changed) <= _FEW_FLOWS_CHANGED else None


@without_gc
def validate_edit(before: CentreWorkbook, raw: RawWorkbook) -> CentreWorkbook:
    """``validate(raw)``, where ``raw`` is ``before.raw`` edited: when only a few flow rows
    changed, made from ``before`` by reading those rows again alone (the same problems in the
    same order, the same records); else validated whole."""
    trace = _TRACES.get(id(before))
    changed = _changed_flows(before.raw, raw) if trace is not None else None
    if trace is None or not changed:
        return validate(raw)
    try:
        read = [(position, _read_again(trace, before, raw, position)) for position in changed]
    except NotAlone:
        return validate(raw)
    problems, records = _spliced(trace, before, read)
    workbook = CentreWorkbook(
        raw=raw,
        centre=dataclasses.replace(before.centre),
        centre_id=before.centre_id,
        records={**{code: list(rows) for code, rows in before.records.items()}, "flows": records},
        problems=problems,
    )
    _keep_trace(workbook, _shifted(trace, read))
    return workbook


def _read_again(
    trace: _FlowTrace, before: CentreWorkbook, raw: RawWorkbook, position: int
) -> tuple[list[Problem], FlowRecord | None]:
    """Flow row ``position`` of ``raw`` read alone: its problems and its record, if valid.
    Raises ``NotAlone`` when the row, as it was or as it is, reaches beyond itself."""
    old_rows = before.raw.tables["flows"].rows
    row: RawRow = raw.tables["flows"].rows[position]
    if position < len(old_rows) and (
        position in trace.self_flows
        or position in trace.made_at.values()
        or position in trace.said.values()
        or _is_example(old_rows[position])
    ):
        raise NotAlone(position)  # as it was, it said something once for every row, or later
    if _is_example(row):
        raise NotAlone(position)  # said after every table is read
    checks = CellChecks(RawWorkbook(raw.name, {"flows": raw.tables["flows"]}))
    checks.synonyms_said = {key: where for key, where in trace.said.items() if where < position}
    network = Network(checks)
    network.nodes, network.made_at = trace.nodes, trace.made_at
    flow = network.read_flow_again(position, row, before.centre)
    if any(problem.code == "label_read_as" for problem in checks.problems):
        raise NotAlone(position)  # the first row to use that word now (or earlier than before)
    return checks.problems, flow[0] if flow is not None else None


def _spliced(
    trace: _FlowTrace, before: CentreWorkbook, read: Sequence[tuple[int, tuple[list[Problem], FlowRecord | None]]]
) -> tuple[list[Problem], list[FlowRecord]]:
    """``before``'s problems and flow records with those of the rows ``read`` again in their place."""
    old_records = before.records["flows"]
    problems: list[Problem] = []
    records: list[FlowRecord] = []
    problems_from = records_from = 0
    last = len(trace.problem_starts) - 1  # a row added goes where the last row's problems end
    for position, (row_problems, record) in read:
        problems += before.problems[problems_from : trace.problem_starts[min(position, last)]]
        problems += row_problems
        problems_from = trace.problem_starts[min(position + 1, last)]
        records += old_records[records_from : trace.records_before[min(position, last)]]  # type: ignore[arg-type]
        if record is not None:
            records.append(record)
        records_from = trace.records_before[min(position + 1, last)]
    problems += before.problems[problems_from:]
    records += old_records[records_from:]  # type: ignore[arg-type]
    return problems, records


def _shifted(trace: _FlowTrace, read: Sequence[tuple[int, tuple[list[Problem], FlowRecord | None]]]) -> _FlowTrace:
    """The trace of the workbook the rows ``read`` again make."""
    starts, before = list(trace.problem_starts), list(trace.records_before)
    for position, (row_problems, record) in read:
        if position == len(starts) - 1:  # a row added after the last
            starts.append(starts[-1] + len(row_problems))
            before.append(before[-1] + (record is not None))
            continue
        more_problems = len(row_problems) - (starts[position + 1] - starts[position])
        more_records = (record is not None) - (before[position + 1] - before[position])
        if more_problems:
            starts[position + 1 :] = [start + more_problems for start in starts[position + 1 :]]
        if more_records:
            before[position + 1 :] = [count + more_records for count in before[position + 1 :]]
    return dataclasses.replace(trace, problem_starts=starts, records_before=before)


def _is_example(row: RawRow) -> bool:
    marker = row.cells.get("description", row.cells.get("comment"))
    return marker is not None and normalise_key(marker) in EXAMPLE_MARKERS

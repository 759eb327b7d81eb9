"""The command line pays for nothing it does not use, and an edit for nothing it does not
change (issue 35): no drawing stack, no tables library, no teardown; one pass over the
resource flows; the network's figures kept when a new graph has the same network. Every
figure stays the number it was."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from helpers import ROOT, WORKED_EXAMPLE_FILE
from valuechain import InputFile, load_files, load_paths, validate
from valuechain.chain import metrics
from valuechain.chain.analysis import analyse
from valuechain.chain.graph import build_graph
from valuechain.model import FLOW_COLUMNS, TABLE_COLUMNS, frame_of

# Past metrics.COMPILED_BETWEENNESS_FROM actors: the betweenness is igraph's.
ACTORS, FLOWS = 400, 1600


@cache
def _synthetic_bytes(actors: int = ACTORS, flows: int = FLOWS, seed: int = 1) -> bytes:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import synthetic_tables, tables_to_xlsx

    return tables_to_xlsx(synthetic_tables(actors, flows, seed))


@pytest.fixture
def synthetic_file(tmp_path: Path) -> Path:
    path = tmp_path / "grand.xlsx"
    path.write_bytes(_synthetic_bytes())
    return path


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    # Run outside the repository: `-m valuechain` and imports find the installed package.
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT / "tests", timeout=300
    )


def test_report_json_loads_neither_the_drawing_stack_nor_the_tables_library(synthetic_file):
    assert metrics.COMPILED_BETWEENNESS_FROM <= ACTORS  # igraph computes this centre's betweenness
    code = """
import contextlib, io, json, sys
from valuechain.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["report", sys.argv[1], "--json"])
loaded = [name for name in ("igraph", "igraph._igraph", "matplotlib", "pandas", "numpy") if name in sys.modules]
print(json.dumps({"code": code, "loaded": loaded, "figures": json.loads(out.getvalue())}))
"""
    done = _python(code, str(synthetic_file))
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["code"] == 0
    assert said["loaded"] == ["igraph._igraph"]  # the compiled core alone
    assert said["figures"]["centre_betweenness"] > 0


def test_a_report_with_outcomes_loads_no_tables_library_either():
    """A workbook with an Effets sheet (the worked example's social value) is read as records
    too: its report loaded pandas (0.35 s, as long as the rest of a small centre's report), and
    so did ``check``, to count the valid rows."""
    code = """
import contextlib, io, json, sys
from valuechain.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    checked = main(["check", sys.argv[1]]), main(["report", sys.argv[1]])  # the counts, the text
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["report", sys.argv[1], "--json"])
print(json.dumps({"code": code, "pandas": "pandas" in sys.modules, "figures": json.loads(out.getvalue())}))
"""
    done = _python(code, str(WORKED_EXAMPLE_FILE))
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["pandas"] is False
    assert said["figures"]["social_value"]["outcomes"]  # the value map was computed


def test_igraphs_core_alone_then_the_whole_package_shares_it():
    """Betweenness needs igraph's compiled core only: neither its Python layers nor matplotlib
    are loaded for it; a page importing igraph (and matplotlib) afterwards gets the same core."""
    code = """
import sys
from valuechain.chain.metrics import _igraph
core = _igraph()
assert "igraph" not in sys.modules and "matplotlib" not in sys.modules, sorted(sys.modules)
value = core.GraphBase(3, [(0, 1), (1, 2)], False).betweenness(vertices=[1], directed=False)[0]
import matplotlib.pyplot  # still there for the PDF and the map's picture
import igraph
assert igraph.GraphBase is core.GraphBase and _igraph() is core
print(value, igraph.Graph([(0, 1), (1, 2)]).betweenness()[1])
"""
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1.0 1.0"
    # The whole package already there (a page imported it first): its core is the one used.
    code = """
import igraph
from valuechain.chain.metrics import _igraph
assert _igraph() is igraph._igraph
print(_igraph().GraphBase(3, [(0, 1), (1, 2)], False).betweenness(vertices=[1], directed=False)[0])
"""
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1.0"


def test_the_program_ends_at_once_once_everything_is_written(synthetic_file):
    """No interpreter teardown (a large workbook's objects freed one by one), yet the whole
    output, the exit code, and what was registered to run at the end."""
    code = """
import atexit, sys

class Late:
    def __del__(self):
        print("teardown", file=sys.__stderr__)

late = Late()
atexit.register(lambda: print("at exit", file=sys.__stderr__))
from valuechain.cli import run
sys.argv = ["valuechain", "report", sys.argv[1], "--json"]
raise SystemExit(run())
"""
    done = _python(code, str(synthetic_file))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["centre"] == "Centre social Synthétique"  # all of it, flushed
    assert "at exit" in done.stderr
    assert "teardown" not in done.stderr
    missing = _python(code, str(synthetic_file.parent / "absent.xlsx"))
    assert missing.returncode == 2 and "absent.xlsx" in missing.stderr and missing.stdout == ""


def test_a_report_s_workbook_and_graph_are_freed_with_the_process_not_when_the_command_returns(synthetic_file):
    """Freeing them object by object took 0.5 s at 200,000 flows; a program that calls main
    again frees the previous command's then (kept: the last one only)."""
    import gc
    import weakref

    from valuechain import cli

    assert cli.main(["report", str(synthetic_file), "--json"]) == 0
    (kept,) = cli._KEPT_TO_THE_END
    graph = weakref.ref(kept.graph)
    del kept
    gc.collect()
    assert graph() is not None  # still there once the command has returned
    assert cli.main(["report", str(synthetic_file), "--json"]) == 0
    gc.collect()
    assert graph() is None and len(cli._KEPT_TO_THE_END) == 1  # the earlier one freed by the next


def test_the_typed_tables_are_made_from_the_records_when_asked(worked_example):
    assert set(worked_example.records) == set(TABLE_COLUMNS)
    flows = worked_example.flows
    assert list(flows.columns) == FLOW_COLUMNS
    assert flows.equals(frame_of(worked_example.rows_of("flows"), "flows"))
    assert worked_example.flows is flows  # made once
    again = pickle.loads(pickle.dumps(worked_example))
    assert again._frames == {} and again.flows.equals(flows)
    assert worked_example.with_rate(20.0).flows.equals(flows)


def _old_figures(graph) -> dict[str, object]:
    """The figures on resource flows as they were written before the one pass (eight passes)."""
    flows = metrics.resource_flows(graph)

    def value(f):
        return f.data["value"] or 0.0

    totals: dict[str, float] = {}
    for f in flows:
        totals[f.source] = totals.get(f.source, 0.0) + value(f)
    local = known = total = 0.0
    any_known = False
    for f in flows:
        total += value(f)
        is_local = graph.nodes[f.source].get("local")
        if is_local is not None:
            any_known = True
            known += value(f)
            if is_local:
                local += value(f)
    to_activities = to_support = 0.0
    for f in flows:
        activity = f.data.get("activity")
        if activity is None or not graph.nodes[activity].get("kind") == "activity":
            continue
        to_activities += value(f)
        if graph.nodes[activity]["type"] == "support":
            to_support += value(f)
    return {
        "R": sum(value(f) for f in flows),
        "totals": totals,
        "public": sum(
            value(f)
            for f in flows
            if f.data["nature"] == "monetaire" and graph.nodes[f.source]["category"] == "institutions"
        ),
        "non_monetary": sum(value(f) for f in flows if f.data["nature"] != "monetaire"),
        "hours": sum(f.data["hours"] or 0.0 for f in flows if f.data["nature"] == "benevolat"),
        "volunteers": sum(value(f) for f in flows if f.data["nature"] == "benevolat"),
        "locality": (local, known, total, any_known),
        "support": (to_support, to_activities),
    }


@pytest.mark.parametrize("centre", ["tilleuls", "synthetic"])
def test_one_pass_over_the_resource_flows_gives_every_figure_to_the_last_bit(centre):
    workbook = (
        load_paths([WORKED_EXAMPLE_FILE])
        if centre == "tilleuls"
        else load_files([InputFile("s.xlsx", _synthetic_bytes(300, 6000, seed=7))])
    )
    graph = build_graph(workbook)
    old = _old_figures(graph)
    assert metrics.resources_total(graph) == old["R"]
    assert {c.actor: c.value for c in metrics.contributions(graph)} == old["totals"]
    assert metrics.public_funding(graph) == old["public"]
    assert metrics._non_monetary_value(graph) == old["non_monetary"]
    assert metrics.volunteer_hours(graph) == old["hours"]
    assert metrics.volunteer_value(graph) == old["volunteers"]
    assert metrics._locality_values(graph) == old["locality"]
    to_support, to_activities = old["support"]
    assert metrics.support_share(graph) == (
        to_support / to_activities if to_activities else metrics.support_share(graph)
    )
    assert metrics.non_monetary_share(graph) == old["non_monetary"] / old["R"]
    if centre == "tilleuls":  # docs/indicateurs.md
        assert round(metrics.resources_total(graph), 2) == 50965.60


def test_an_edit_that_moves_no_flow_end_reuses_the_network_figures(monkeypatch):
    workbook = load_files([InputFile("s.xlsx", _synthetic_bytes())])
    first = analyse(workbook, compute_all=True)
    calls: list[int] = []
    computed = metrics._large_betweenness
    monkeypatch.setattr(metrics, "_large_betweenness", lambda *a: calls.append(1) or computed(*a))

    raw = workbook.raw
    flows = raw.tables["flows"]
    quantity_row = next(  # volunteer hours given to the centre: valued at the rate, a resource
        r for r in flows.rows if r.cells.get("nature") == "benevolat" and isinstance(r.cells.get("quantity"), float)
    )
    quantity_row.cells["quantity"] = quantity_row.cells["quantity"] + 1000.0  # a quantity, not an end
    edited = analyse(validate(raw), compute_all=True)
    assert calls == []  # the same network: its betweenness was kept
    assert edited.figures["centre_betweenness"] == first.figures["centre_betweenness"]
    assert edited.figures["centre_dependence"] == first.figures["centre_dependence"]
    assert edited.figures["resources_total"] != first.figures["resources_total"]

    moved = next(r for r in flows.rows if r.cells.get("target") != quantity_row.cells.get("target"))
    moved.cells["source"] = "Un acteur nouveau"  # a flow's end: a new network
    analyse(validate(raw), compute_all=True)
    assert calls == [1]


def test_the_flows_are_written_into_the_graph_as_networkx_writes_them():
    import networkx as nx

    from valuechain.chain.graph import _add_flows

    workbook = load_files([InputFile("s.xlsx", _synthetic_bytes())])
    graph = build_graph(workbook)
    edges = list(graph.edges(keys=True, data=True))
    edges.append(("Acteur 1", "Pas encore un nœud", len(edges), {"nature": "information"}))  # an end to add
    ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    for made in (ours, theirs):
        made.add_nodes_from(graph.nodes(data=True))
        made.add_node("Acteur 1")
    _add_flows(ours, edges)
    theirs.add_edges_from(edges)
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert list(ours.in_edges(keys=True, data=True)) == list(theirs.in_edges(keys=True, data=True))
    assert ours.number_of_edges() == len(edges) and nx.utils.graphs_equal(ours, theirs)


def _benchmark(name: str):
    import importlib.util

    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_missed_target_makes_make_bench_fail(capsys):
    """Nothing is timed here: the verdict and the exit code of what was measured."""
    targets = _benchmark("targets")
    met = targets.Target("report --json × bare parse", 5.9, 6.0, "×")
    missed = targets.Target("cell edit → figures", 1.2, 1.0, " s")
    assert targets.report([met]) == 0
    assert targets.report([met, missed]) == targets.MISSED != 0
    said = capsys.readouterr().out
    assert "TARGET report --json × bare parse: 5.90× (goal ≤ 6×) met" in said
    assert "TARGET cell edit → figures: 1.20 s (goal ≤ 1 s) MISSED" in said
    assert "commit " in said and "load " in said


def test_a_browser_step_ends_at_streamlits_own_script_finished():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    browser = _benchmark("bench_browser")

    def finished(status: int) -> bytes:
        message = ForwardMsg()
        message.script_finished = status
        return message.SerializeToString()

    assert browser.run_finished(finished(ForwardMsg.FINISHED_SUCCESSFULLY))
    assert not browser.run_finished(finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN))  # stopped for another run
    assert not browser.run_finished("text")


def test_the_command_line_starts_without_the_chain_and_its_help_still_lists_the_keys():
    """A report imports networkx and the chain while its file is parsed (the reader does not hold
    the interpreter's lock): the command line's own start loads neither, and the report's help,
    which lists the JSON keys from the chain's registry, makes that list only when shown."""
    code = """
import contextlib, io, sys
import valuechain.cli
started = sorted(name for name in ("networkx", "valuechain.chain.analysis") if name in sys.modules)
with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
    valuechain.cli.main(["report", "--help"])
print(started, "centre_betweenness" in out.getvalue() and "people_reached" in out.getvalue())
"""
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] True"

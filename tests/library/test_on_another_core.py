"""The command line's report computes the actor network's figures in a child process, on
another core, while it computes the rest (``performance.started_in_child``,
``metrics.start_network_figures``): the same figures as computed in the process itself, and
computed there whenever no child can give them."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from valuechain.chain import metrics as m
from valuechain.chain.graph import build_graph
from valuechain.performance import ChildFailed, started_in_child
from valuechain.reading.validation import validate
from valuechain.workbook.writing import raw_workbook_from_records

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a child is forked on Linux only")


@pytest.fixture
def alone(monkeypatch):
    """The process seen as a command line's, with one thread: tests run before may have left
    threads of their own (a server's, a page's), and a process with threads forks no child."""
    import valuechain.performance

    monkeypatch.setattr(valuechain.performance, "_other_threads", lambda: False)


def test_a_child_computes_in_another_process_and_gives_its_result_once_asked(alone):
    result = started_in_child(lambda: (os.getpid(), [1.5, "deux"]))
    assert result is not None
    pid, value = result()
    assert pid != os.getpid() and value == [1.5, "deux"]
    assert result() == (pid, value)  # asked again: the same answer, the child is not waited twice


def test_a_child_that_fails_says_so(alone):
    def fails():
        raise ValueError("no")

    result = started_in_child(fails)
    assert result is not None
    with pytest.raises(ChildFailed):
        result()
    with pytest.raises(ChildFailed):
        result()


def test_a_process_with_threads_makes_no_child(monkeypatch):
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        # Another thread (the dashboard's server): a forked child would inherit its locks.
        assert started_in_child(lambda: 1) is None
        # A thread Python does not count (a library's own pool): Linux lists it.
        monkeypatch.setattr(threading, "active_count", lambda: 1)
        assert started_in_child(lambda: 1) is None
    finally:
        waiting.set()
        other.join()


def _large_graph(extra: str = ""):
    """A centre and more actors than ``COMPILED_BETWEENNESS_FROM``, in chains and clusters so
    that the centre's betweenness is neither 0 nor 1."""
    actors = [{"name": "C", "category": "centre"}] + [
        {"name": f"P{i}{extra}", "category": "habitants"} for i in range(m.COMPILED_BETWEENNESS_FROM + 20)
    ]
    flows = [
        {"source": f"P{i}{extra}", "target": "C" if i % 3 == 0 else f"P{i + 1}{extra}", "nature": "benevolat"}
        for i in range(m.COMPILED_BETWEENNESS_FROM + 19)
    ]
    workbook = validate(raw_workbook_from_records("test", {"name": "C", "year": 2025}, actors=actors, flows=flows))
    assert workbook.errors == []
    return build_graph(workbook)


def _network_figures(graph) -> tuple[object, object]:
    return m.centre_betweenness(graph), m.centre_dependence(graph)


@pytest.mark.parametrize("budget", [m.EXACT_BETWEENNESS_WORK, 1_000])  # exact, then estimated
def test_the_network_figures_from_a_child_are_those_computed_here(monkeypatch, budget, alone):
    monkeypatch.setattr(m, "EXACT_BETWEENNESS_WORK", budget)
    m._NETWORK_FIGURES.clear()
    here = _network_figures(_large_graph())
    m._NETWORK_FIGURES.clear()
    started = []
    monkeypatch.setattr(m, "started_in_child", lambda compute: started.append(1) or started_in_child(compute))
    graph = _large_graph()
    m.start_network_figures(graph)
    assert started == [1] and any(isinstance(v, m._UnderWay) for _, v in m._NETWORK_FIGURES.values())
    from_child = _network_figures(graph)
    assert from_child == here and type(from_child[0]) is type(here[0])
    assert 0 < float(here[0]) < 1 and 0 < float(here[1]) < 1
    if budget == 1_000:
        assert isinstance(from_child[0], m.Estimate) and from_child[0].margin == here[0].margin
    # Known now: a report of the same network starts no other child.
    m.start_network_figures(_large_graph())
    assert started == [1]


def test_a_child_that_gives_nothing_leaves_the_figures_to_be_computed_here(monkeypatch):
    m._NETWORK_FIGURES.clear()
    here = _network_figures(_large_graph("x"))
    m._NETWORK_FIGURES.clear()

    def failed():
        raise ChildFailed()

    monkeypatch.setattr(m, "started_in_child", lambda compute: failed)
    graph = _large_graph("x")
    m.start_network_figures(graph)
    assert _network_figures(graph) == here


def test_a_small_network_or_no_fork_starts_nothing(monkeypatch):
    started = []
    monkeypatch.setattr(m, "started_in_child", lambda compute: started.append(1))
    actors = [{"name": "C", "category": "centre"}, {"name": "A", "category": "habitants"}]
    flows = [{"source": "A", "target": "C", "nature": "benevolat"}]
    m.start_network_figures(
        build_graph(validate(raw_workbook_from_records("t", {"name": "C"}, actors=actors, flows=flows)))
    )
    assert started == []
    m._NETWORK_FIGURES.clear()
    graph = _large_graph("y")
    m.start_network_figures(graph)  # started_in_child gave None: nothing is under way
    assert started == [1] and not any(isinstance(v, m._UnderWay) for _, v in m._NETWORK_FIGURES.values())
    assert _network_figures(graph)[0] == m.centre_betweenness(_large_graph("y"))

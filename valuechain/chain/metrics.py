"""The contribution figures of ``docs/indicateurs.md``, one function each.

Every function takes the graph made by ``valuechain.chain.graph.build_graph`` and returns a number,
or ``Undefined(reason)`` when the figure cannot be computed (a ratio over nothing, too small a
network): never 0, NaN or inf by accident. Sums over nothing are 0 (R = 0 € is a fact).

Sources: the Fonda's extended value chain (the method, resources pooled by many actors),
the federation's five impact domains, networkx for network measures, Shannon's evenness
(Pielou, 1966), and the French accounting of volunteer time (contributions volontaires en
nature, accounts 86/87) for valuing hours at a rate.
"""

from __future__ import annotations

import math
import sys
import threading
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, Callable, NamedTuple

import networkx as nx

from valuechain.chain.graph import ACTIVITY, BASIS_VOLUNTEER_RATE, actor_network, actors, is_activity, is_activity_node
from valuechain.performance import ChildFailed, started_in_child
from valuechain.vocabulary import DOMAINS, UNIT_PEOPLE, UNSPECIFIED_DOMAIN

# Above this many actors, betweenness is computed by igraph (compiled, same definition):
# networkx's pure-Python Brandes takes seconds on a 2,000-actor network.
COMPILED_BETWEENNESS_FROM = 300
# Exact betweenness costs about actors × links steps (Brandes): 1.5e8 is about a second on
# our machines (10,000 actors and 36,000 links: 3.6e8, 2.6 s). Past it, the figure is
# estimated from a fixed, seeded sample of source actors (Brandes & Pich, 2007), with its
# margin of error, so that a merged regional workbook stays linear in its size.
EXACT_BETWEENNESS_WORK = 150_000_000
BETWEENNESS_PIVOTS = 1_000
_PIVOT_BATCHES = 10


class Estimate(float):
    """A figure estimated by sampling: the value, how many pivots it rests on, and its margin
    of error (half-width of a 95 % interval). Behaves as the number everywhere else."""

    pivots: int
    margin: float

    def __new__(cls, value: float, pivots: int, margin: float) -> Estimate:
        estimate = super().__new__(cls, value)
        estimate.pivots = pivots
        estimate.margin = margin
        return estimate

    def __reduce__(self):
        return (Estimate, (float(self), self.pivots, self.margin))


@dataclass(frozen=True)
class Undefined:
    """A figure that cannot be computed, and why (a key of ``messages.UNDEFINED_REASONS``)."""

    reason: str

    def __bool__(self) -> bool:
        return False


Number = float | Undefined


def is_defined(value: object) -> bool:
    return not isinstance(value, Undefined)


def _ratio(numerator: float, denominator: float, reason: str) -> Number:
    return numerator / denominator if denominator > 0 else Undefined(reason)


# Resource flows -------------------------------------------------------------------------------
class Flow(NamedTuple):
    """One edge of the graph: a flow and its attributes (a tuple: thousands are made per figure)."""

    source: str
    target: str
    key: int
    data: dict

    @property
    def value(self) -> float | None:
        return self.data.get("value")


def centre_of(graph: nx.MultiDiGraph) -> str:
    return graph.graph["centre"]


# What every figure derives from a graph (its flows, its resource flows, its actor network)
# is computed once per graph object. Graphs are not changed after build_graph; a filtered
# copy is another object, with its own entry. Weak keys: nothing outlives its graph.
_DERIVED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _derived(graph: nx.MultiDiGraph, key: str, compute):
    entry = _DERIVED.setdefault(graph, {})
    if key not in entry:
        entry[key] = compute()
    return entry[key]


def _node_data(graph: nx.MultiDiGraph) -> Mapping[str, dict]:
    """Node → its attributes, as networkx keeps them (a plain dict; a filter of it for a
    filtered view): the figures read it once per flow, and ``graph.nodes[node]`` (a view)
    costs many times a dict's lookup."""
    return graph._node


def _activity_nodes(graph: nx.MultiDiGraph) -> frozenset[str]:
    return _derived(
        graph, "activities", lambda: frozenset(n for n, kind in graph.nodes(data="kind") if kind == ACTIVITY)
    )


def all_flows(graph: nx.MultiDiGraph) -> list[Flow]:
    return _derived(
        graph,
        "flows",
        # Read from networkx's adjacency (source → target → key → attributes), in the order
        # ``graph.edges(keys=True, data=True)`` gives, without its view's cost per edge.
        lambda: [
            Flow(source, target, key, data)
            for source, targets in graph._adj.items()
            for target, keys in targets.items()
            for key, data in keys.items()
        ],
    )


def is_resource_flow(graph: nx.MultiDiGraph, source: str, target: str) -> bool:
    """A flow whose source is an actor other than the centre and whose target is the centre
    or an activity."""
    centre = centre_of(graph)
    activities = _activity_nodes(graph)
    return source != centre and source not in activities and (target == centre or target in activities)


def resource_flows(graph: nx.MultiDiGraph) -> list[Flow]:
    """The flows that bring resources to the centre and its activities."""

    def compute() -> list[Flow]:
        centre, activities = centre_of(graph), _activity_nodes(graph)
        return [
            f
            for f in all_flows(graph)
            if f.source != centre and f.source not in activities and (f.target == centre or f.target in activities)
        ]

    return _derived(graph, "resource_flows", compute)


def _actor_network(graph: nx.MultiDiGraph) -> nx.Graph:
    return _derived(graph, "actor_network", lambda: actor_network(graph))


def _once_per_graph(function):
    """A figure other figures build on (R, the contributions, locality), computed once per
    graph like the derived data above; a list comes back as a fresh copy each time."""

    @wraps(function)
    def wrapper(graph: nx.MultiDiGraph):
        result = _derived(graph, function.__name__, lambda: function(graph))
        return list(result) if isinstance(result, list) else result

    return wrapper


def _value(flow: Flow) -> float:
    return flow.data["value"] or 0.0


class _ResourceSums(NamedTuple):
    """What the figures on resource flows add up, gathered in one pass over them (there were
    eight). Each list holds the terms of one sum in the flows' order, summed where it is read,
    so that every figure is the same number it was, to the last bit."""

    values: list[float]  # every resource flow's value (R)
    public: list[float]  # monetaire from institutions (P)
    non_monetary: list[float]
    volunteer_hours: list[float]
    volunteer_values: list[float]
    by_contributor: dict[str, float]  # in the order contributors are met
    locality: tuple[float, float, float, bool]  # local, known, total, any known
    to_activities: float
    to_support: float
    estimated: list[float]  # the values graded ``estime`` (the share estimated)


def _resource_sums(graph: nx.MultiDiGraph) -> _ResourceSums:
    return _derived(graph, "resource_sums", lambda: _add_up_resources(graph))


def _add_up_resources(graph: nx.MultiDiGraph) -> _ResourceSums:
    nodes = _node_data(graph)
    activities = _activity_nodes(graph)
    values: list[float] = []
    public: list[float] = []
    non_monetary: list[float] = []
    hours: list[float] = []
    volunteers: list[float] = []
    by_contributor: dict[str, float] = {}
    estimated: list[float] = []
    local = known = total = to_activities = to_support = 0.0
    any_known = False
    for flow in resource_flows(graph):
        data = flow.data
        value = data["value"] or 0.0
        nature = data["nature"]
        source = nodes[flow.source]
        values.append(value)
        by_contributor[flow.source] = by_contributor.get(flow.source, 0.0) + value
        if nature == "monetaire":
            if source["category"] == "institutions":
                public.append(value)
        else:
            non_monetary.append(value)
            if nature == "benevolat":
                hours.append(data["hours"] or 0.0)
                volunteers.append(value)
        total += value
        if data.get("evidence") == "estime":
            estimated.append(value)
        is_local = source.get("local")
        if is_local is not None:
            any_known = True
            known += value
            if is_local:
                local += value
        activity = data.get("activity")
        if activity is not None and activity in activities:
            to_activities += value
            if nodes[activity]["type"] == "support":
                to_support += value
    return _ResourceSums(
        values,
        public,
        non_monetary,
        hours,
        volunteers,
        by_contributor,
        (local, known, total, any_known),
        to_activities,
        to_support,
        estimated,
    )


# The figures ------------------------------------------------------------------------------------
@_once_per_graph
def resources_total(graph: nx.MultiDiGraph) -> float:
    """Ressources mobilisées / Resources mobilised, R = Σ value of resource flows.

    Unvalued flows count 0 here (they are listed by ``not_valued``).
    Worked example of docs/indicateurs.md: 50 965.60 €.
    """
    return sum(_resource_sums(graph).values)


@dataclass(frozen=True)
class Contribution:
    actor: str
    name: str
    category: str
    value: float
    share: Number


@_once_per_graph
def contributions(graph: nx.MultiDiGraph) -> list[Contribution]:
    """Contribution d'un acteur / Actor's contribution: Σ value of its resource flows, and its
    share = contribution / R (undefined when R = 0). Every contributor is listed, with 0 €
    when nothing it gave is valued; largest first, then by name.
    """
    totals = _resource_sums(graph).by_contributor
    total = sum(totals.values())
    result = [
        Contribution(
            actor,
            graph.nodes[actor]["name"],
            graph.nodes[actor]["category"],
            value,
            _ratio(value, total, "no_resources"),
        )
        for actor, value in totals.items()
    ]
    return sorted(result, key=lambda c: (-c.value, c.name.casefold()))


def contributions_by_category(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Σ contributions by actor category, largest first (the basis of the evenness)."""
    totals: dict[str, float] = defaultdict(float)
    for contribution in contributions(graph):
        totals[contribution.category] += contribution.value
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


@_once_per_graph
def public_funding(graph: nx.MultiDiGraph) -> float:
    """Financements publics / Public funding, P: value of ``monetaire`` resource flows from
    actors of category ``institutions``. Worked example: 40 000 €."""
    return sum(_resource_sums(graph).public)


def leverage(graph: nx.MultiDiGraph) -> Number:
    """Effet levier / Leverage = (R − P) / P: euros of other resources mobilised per euro of
    public funding; undefined when P = 0. Worked example: 10 965.60 / 40 000 = 0.274."""
    public = public_funding(graph)
    return _ratio(resources_total(graph) - public, public, "no_public_funding")


@_once_per_graph
def _non_monetary_value(graph: nx.MultiDiGraph) -> float:
    """Value of the resource flows whose nature is not ``monetaire``."""
    return sum(_resource_sums(graph).non_monetary)


def non_monetary_share(graph: nx.MultiDiGraph) -> Number:
    """Part non monétaire / Non-monetary share = value of resource flows whose nature is not
    ``monetaire`` / R. Worked example: 5 965.60 / 50 965.60 = 11.71 %."""
    return _ratio(_non_monetary_value(graph), sum(_resource_sums(graph).values), "no_resources")


def volunteer_hours(graph: nx.MultiDiGraph) -> float:
    """Bénévolat valorisé (heures) / Valued volunteer time (hours): hours, and days × 7, of
    ``benevolat`` resource flows. Worked example: 280 h."""
    return sum(_resource_sums(graph).volunteer_hours)


def volunteer_value(graph: nx.MultiDiGraph) -> float:
    """Bénévolat valorisé (valeur) / Valued volunteer time (value): Σ values of all
    ``benevolat`` resource flows (hours × rate, or the value entered). Worked example: 3 365.60 €."""
    return sum(_resource_sums(graph).volunteer_values)


@_once_per_graph
def _locality_values(graph: nx.MultiDiGraph) -> tuple[float, float, float, bool]:
    """(value from local actors, value from actors of known locality, R, any known contributor)."""
    return _resource_sums(graph).locality


def local_share(graph: nx.MultiDiGraph) -> Number:
    """Ancrage local / Local anchoring = value of resource flows from actors with local = oui /
    value from actors whose locality is known; undefined when no contributor's locality is
    known. Worked example: 45 965.60 / 50 965.60 = 90.19 %."""
    local, known, _total, any_known = _locality_values(graph)
    if not any_known:
        return Undefined("no_known_locality")
    return _ratio(local, known, "no_resources")


def local_coverage(graph: nx.MultiDiGraph) -> Number:
    """Couverture de l'ancrage local / Local anchoring coverage = value from actors whose
    locality is known / R (0 when none is known; undefined when R = 0). Worked example: 100 %."""
    _local, known, total, _any = _locality_values(graph)
    return _ratio(known, total, "no_resources")


def support_share(graph: nx.MultiDiGraph) -> Number:
    """Part des activités support / Support share = value of resource flows that reach a
    support activity / value of resource flows that reach any activity. A flow reaches X when
    its target is X, or its target is the centre and its ``activite`` names X.
    Worked example: 961.60 / 5 965.60 = 16.12 %."""
    sums = _resource_sums(graph)
    return _ratio(sums.to_support, sums.to_activities, "no_activity_resources")


def contribution_evenness(graph: nx.MultiDiGraph) -> Number:
    """Équilibre des contributions / Contribution evenness = H / ln k, Shannon's evenness
    (Pielou) of contributions by actor category, over the k categories with a positive share:
    H = −Σ pᵢ ln pᵢ; 0 when k = 1; undefined when R = 0. Worked example: 0.3986."""
    values = [v for v in contributions_by_category(graph).values() if v > 0]
    total = sum(values)
    if total <= 0:
        return Undefined("no_resources")
    if len(values) == 1:
        return 0.0
    entropy = -sum((v / total) * math.log(v / total) for v in values)
    return entropy / math.log(len(values))


def domain_parts(domains: tuple[str, ...], value: float) -> list[tuple[str, float]]:
    """The rule that splits a flow's value across its domains: equal parts; a flow that names
    no domain goes whole to ``non_renseigne``. The one place this rule is written.

    >>> domain_parts(("societal", "individuel"), 100.0)
    [('societal', 50.0), ('individuel', 50.0)]
    """
    domains = domains or (UNSPECIFIED_DOMAIN,)
    return [(domain, value / len(domains)) for domain in domains]


def value_by_domain(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Répartition par domaine / Value by domain: each valued resource flow's value split
    equally among its domains (its own, else its activity's); none → ``non_renseigne``. The
    parts add up to R. Largest first, domains in the vocabulary's order on ties."""
    totals: dict[str, float] = defaultdict(float)
    for flow in resource_flows(graph):
        value = flow.data["value"]
        if value is None:
            continue
        for domain, part in domain_parts(flow.data["domains"], value):
            totals[domain] += part
    order = list(DOMAINS.codes) + [UNSPECIFIED_DOMAIN]
    return dict(sorted(totals.items(), key=lambda item: (-round(item[1], 6), order.index(item[0]))))


def centre_betweenness(graph: nx.MultiDiGraph) -> Number:
    """Centralité d'intermédiation du centre / Centre betweenness:
    ``networkx.betweenness_centrality(actor_network, normalized=True)[centre]``; undefined
    below three actors. Worked example: 14/15 = 0.9333.

    On a large network the same figure comes from igraph (tested equal to networkx); past
    ``EXACT_BETWEENNESS_WORK`` it is an ``Estimate`` on ``BETWEENNESS_PIVOTS`` source actors
    (its error against the exact value is measured in the tests)."""
    network = _actor_network(graph)
    if network.number_of_nodes() < 3:
        return Undefined("too_few_actors")
    centre = centre_of(graph)
    if network.number_of_nodes() < COMPILED_BETWEENNESS_FROM:
        return nx.betweenness_centrality(network, normalized=True)[centre]
    return _same_network(graph, _betweenness_way(), lambda: _large_betweenness(network, centre))


def _large_betweenness(network: nx.Graph, centre: str) -> Number:
    if network.number_of_nodes() * network.number_of_edges() <= EXACT_BETWEENNESS_WORK:
        return compiled_betweenness(network, centre)
    return sampled_betweenness(network, centre)


# A figure of the actor network alone (who is linked to whom), kept for the last few networks
# met: an edit that changes no flow's ends (a quantity, a value, a nature) makes a new graph
# with the same network, and its betweenness (0.1 s at 2,000 actors, seconds past 10,000)
# is not computed again. The network is compared whole (its actors and links, in order).
_NETWORK_FIGURES: dict[tuple[tuple[object, ...], int], tuple[tuple[object, ...], object]] = {}
_NETWORKS_KEPT = 8
_NETWORK_LOCK = threading.Lock()  # the dashboard's sessions analyse in threads of one process


def _same_network(graph: nx.MultiDiGraph, figure: tuple[object, ...], compute):
    shape, shape_hash = _network_shape(graph)
    key = (figure, shape_hash)
    with _NETWORK_LOCK:
        kept = _NETWORK_FIGURES.get(key)
    if kept is not None and kept[0] == shape:
        if not isinstance(kept[1], _UnderWay):
            return kept[1]
        try:
            value = kept[1].value()
        except ChildFailed:
            value = compute()
    else:
        value = compute()
    _keep_network_figure(key, shape, value)
    return value


def _keep_network_figure(key: tuple[tuple[object, ...], int], shape: tuple[object, ...], value: object) -> None:
    with _NETWORK_LOCK:
        if key not in _NETWORK_FIGURES:
            while len(_NETWORK_FIGURES) >= _NETWORKS_KEPT:
                del _NETWORK_FIGURES[next(iter(_NETWORK_FIGURES))]
        _NETWORK_FIGURES[key] = (shape, value)


class _UnderWay:
    """A network figure being computed in a child process (``start_network_figures``)."""

    def __init__(self, result: Callable[[], tuple[object, ...]], position: int) -> None:
        self._result, self._position = result, position

    def value(self) -> object:
        return self._result()[self._position]


def start_network_figures(graph: nx.MultiDiGraph) -> None:
    """Start the centre's betweenness and dependence of a large network in a child process,
    on another core, while the other figures are computed here: they are igraph's compiled
    code, which holds the interpreter's lock (0.13 s of a 20,000-flow report, 0.6 s at
    200,000). Where no child can be made (``started_in_child``), or the figures are known
    already, nothing is started and they are computed here when asked, as always."""
    network = _actor_network(graph)
    if network.number_of_nodes() < COMPILED_BETWEENNESS_FROM:
        return
    shape, shape_hash = _network_shape(graph)
    keys = [(_betweenness_way(), shape_hash), (_dependence_way(), shape_hash)]
    with _NETWORK_LOCK:
        if all(_NETWORK_FIGURES.get(key, (None,))[0] == shape for key in keys):
            return
    centre = centre_of(graph)
    result = started_in_child(lambda: (_large_betweenness(network, centre), compiled_dependence(network, centre)))
    if result is None:
        return
    for position, key in enumerate(keys):
        _keep_network_figure(key, shape, _UnderWay(result, position))


def _network_shape(graph: nx.MultiDiGraph) -> tuple[tuple[object, ...], int]:
    """The actor network whole (the centre, its actors and links, in order) and its hash,
    made once per graph for the figures that share it."""

    def compute() -> tuple[tuple[object, ...], int]:
        network = _actor_network(graph)
        shape = (centre_of(graph), tuple(network.nodes), tuple(network.edges))
        return shape, hash(shape)

    return _derived(graph, "network_shape", compute)


def _igraph() -> Any:
    """igraph's compiled core (``igraph._igraph``: its ``GraphBase`` and its betweenness), loaded
    alone. ``import igraph`` runs the package's Python layers first (communities, drawing,
    summaries: 0.04 s, and matplotlib.pyplot when it is there, 0.5 s) for nothing we ask of it.
    The core is registered under its own name, so that a later ``import igraph`` (a page, a
    test) takes this very module rather than loading the library a second time."""
    core = sys.modules.get("igraph._igraph")
    if core is not None:
        return core
    with _IGRAPH_LOCK:  # two sessions' threads of the dashboard may ask at the same moment
        core = sys.modules.get("igraph._igraph")
        if core is None:
            core = _load_igraph_core()
    return core


_IGRAPH_LOCK = threading.Lock()


def _load_igraph_core() -> Any:
    import importlib.machinery
    import importlib.util

    package = importlib.util.find_spec("igraph")
    folder = Path(package.origin).parent if package is not None and package.origin else None
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    found = (
        [folder / f"_igraph{suffix}" for suffix in suffixes if (folder / f"_igraph{suffix}").is_file()]
        if folder
        else []
    )
    spec = importlib.util.spec_from_file_location("igraph._igraph", found[0]) if found else None
    if spec is None or spec.loader is None:  # a layout we do not know: the whole package
        import igraph

        return igraph._igraph
    core = importlib.util.module_from_spec(spec)
    sys.modules["igraph._igraph"] = core
    try:
        spec.loader.exec_module(core)
    except BaseException:
        del sys.modules["igraph._igraph"]
        raise
    return core


# A network compiled once for the figures that share it (betweenness, dependence); weak keys:
# nothing outlives its network.
_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _compiled(network: nx.Graph) -> tuple[Any, dict[object, int]]:
    with _IGRAPH_LOCK:
        kept = _COMPILED.get(network)
    if kept is None:
        kept = _compile(network)
        with _IGRAPH_LOCK:
            _COMPILED[network] = kept
    return kept


def _compile(network: nx.Graph) -> tuple[Any, dict[object, int]]:
    igraph = _igraph()
    index = {name: i for i, name in enumerate(network.nodes())}
    # igraph's compiled graph itself: ``igraph.Graph(…)`` adds Python conveniences, and
    # imports numpy (0.2 s) to see whether the edges are an array.
    return igraph.GraphBase(len(index), [(index[a], index[b]) for a, b in network.edges()], False), index


def _normalised(raw: float, nodes: int) -> float:
    """networkx's normalisation of an undirected betweenness: over (n-1)(n-2)/2 pairs."""
    return raw / ((nodes - 1) * (nodes - 2) / 2)


def compiled_betweenness(network: nx.Graph, node: object) -> float:
    """networkx's normalised betweenness of ``node``, computed exactly by igraph."""
    compiled, index = _compiled(network)
    return _normalised(compiled.betweenness(vertices=[index[node]], directed=False)[0], len(index))


def sampled_betweenness(network: nx.Graph, node: object, pivots: int = BETWEENNESS_PIVOTS, seed: int = 0) -> Estimate:
    """The normalised betweenness of ``node`` estimated from ``pivots`` source actors drawn
    at random (seeded: the same workbook always gives the same figure). Each source's
    shortest paths to every actor are counted exactly, then scaled by actors / pivots; the
    margin is 1.96 standard errors, from ten independent batches of sources."""
    import random

    compiled, index = _compiled(network)
    nodes = len(index)
    pivots = min(pivots, nodes)
    sources = random.Random(seed).sample(range(nodes), pivots)
    batches = [sources[i::_PIVOT_BATCHES] for i in range(_PIVOT_BATCHES)]
    target = [index[node]]
    raw = [
        compiled.betweenness(vertices=target, directed=False, sources=batch)[0] * nodes / len(batch)
        for batch in batches
        if batch
    ]
    estimates = [_normalised(value, nodes) for value in raw]
    mean = sum(len(b) * e for b, e in zip(batches, estimates)) / pivots
    spread = math.sqrt(sum((e - mean) ** 2 for e in estimates) / (len(estimates) - 1)) if len(estimates) > 1 else 0.0
    return Estimate(mean, pivots, 1.96 * spread / math.sqrt(len(estimates)))


def _connected_pairs(sizes: list[int]) -> int:
    return sum(size * (size - 1) // 2 for size in sizes)


def centre_dependence(graph: nx.MultiDiGraph) -> Number:
    """Dépendance au centre / Dependence on the centre: among pairs of actors other than the
    centre that are connected in the actor network, the share no longer connected once the
    centre is removed ("what would fall apart without the centre"). Worked example: 14/15."""
    network = _actor_network(graph)
    if network.number_of_nodes() < COMPILED_BETWEENNESS_FROM:
        return _dependence(network, centre_of(graph))
    return _same_network(graph, _dependence_way(), lambda: compiled_dependence(network, centre_of(graph)))


def _dependence(network: nx.Graph, centre: str) -> Number:
    before = 0
    for component in nx.connected_components(network):
        before += _connected_pairs([len(component) - (1 if centre in component else 0)])
    without = network.subgraph(n for n in network if n != centre)
    after = _connected_pairs([len(c) for c in nx.connected_components(without)])
    return _ratio(before - after, before, "no_connected_pairs")


def compiled_dependence(network: nx.Graph, centre: str) -> Number:
    """``_dependence`` on igraph's compiled components (the same pairs counted): networkx's
    search took 0.4 s at 20,000 actors, twice."""
    from collections import Counter

    compiled, index = _compiled(network)
    membership = compiled.connected_components()
    own = membership[index[centre]]
    before = _connected_pairs([size - (1 if part == own else 0) for part, size in Counter(membership).items()])
    without = compiled.copy()
    without.delete_vertices([index[centre]])
    after = _connected_pairs(list(Counter(without.connected_components()).values()))
    return _ratio(before - after, before, "no_connected_pairs")


# The network figures are kept under the way they are computed (the exact bound, the pivots,
# the functions at work, read when asked), so that a change of any of them is a figure
# computed anew.
def _betweenness_way() -> tuple[object, ...]:
    return ("betweenness", EXACT_BETWEENNESS_WORK, BETWEENNESS_PIVOTS, compiled_betweenness, sampled_betweenness)


def _dependence_way() -> tuple[object, ...]:
    return ("dependence", compiled_dependence)


def contributors(graph: nx.MultiDiGraph) -> set[str]:
    """Actors with at least one resource flow, valued or not."""
    return {f.source for f in resource_flows(graph)}


def reciprocity(graph: nx.MultiDiGraph) -> Number:
    """Réciprocité / Reciprocity = contributors that also receive a flow from the centre or an
    activity / contributors. Worked example: 2/6."""
    givers = contributors(graph)
    return _ratio(len(givers & _flow_tallies(graph).receivers), len(givers), "no_contributors")


class _FlowTallies(NamedTuple):
    """What the figures on all flows count, gathered in one pass over them (there were five),
    each in the flows' order: the same numbers, to the last bit."""

    receivers: set[str]  # every end of a flow from the centre or an activity (reciprocity)
    reached_by: dict[str, float]  # "Publics touchés", node by node of the centre's side
    served_by: dict[str, float]  # the people each activity serves (its full cost)
    intangible: int  # flows that are not tangible
    not_valued: int  # flows with no value


def _flow_tallies(graph: nx.MultiDiGraph) -> _FlowTallies:
    return _derived(graph, "flow_tallies", lambda: _count_flows(graph))


def _count_flows(graph: nx.MultiDiGraph) -> _FlowTallies:
    centre, activities, nodes = centre_of(graph), _activity_nodes(graph), _node_data(graph)
    receivers: set[str] = set()
    reached: dict[str, float] = defaultdict(float)
    served: dict[str, float] = defaultdict(float)
    intangible = not_valued = 0
    for f in all_flows(graph):
        data = f.data
        if not data["tangible"]:
            intangible += 1
        if data["value"] is None:
            not_valued += 1
        from_centre_side = f.source == centre or f.source in activities
        if from_centre_side:
            receivers.add(f.target)
        if data["unit"] == UNIT_PEOPLE:
            if from_centre_side and nodes[f.target].get("category") == "habitants":
                reached[f.source] += data["quantity"] or 0.0
            if data["nature"] == "service" and f.source in activities:
                served[f.source] += data["quantity"] or 0.0
    return _FlowTallies(receivers, dict(reached), dict(served), intangible, not_valued)


def _people_reached_by(graph: nx.MultiDiGraph) -> dict[str, float]:
    """The rule of "Publics touchés", node by node of the centre's side (the centre and each
    activity): Σ quantities in unit ``personnes`` of its flows to actors of category
    ``habitants``. The figure, the activities' table and their costs all read it."""
    return _flow_tallies(graph).reached_by


def people_reached(graph: nx.MultiDiGraph) -> float:
    """Publics touchés / People reached = Σ quantities in unit ``personnes`` of flows from the
    centre or an activity to actors of category ``habitants``. Worked example: 40."""
    return sum(_people_reached_by(graph).values())


def intangible_share(graph: nx.MultiDiGraph) -> Number:
    """Part immatérielle / Intangible share = flows that are not tangible / all flows,
    counted, not valued. Worked example: 1/11."""
    return _ratio(_flow_tallies(graph).intangible, len(all_flows(graph)), "no_flows")


# The second set: what funders and federations ask next ---------------------------------------------
# The legal annual working time of a full-time job in France (35 h × 52 weeks less leave and
# public holidays, rounded as the law does: 1 607 h).
FULL_TIME_HOURS = 1607.0
# Without a low and high rate in the Centre sheet, the rate's range is ±25 %.
RATE_LOW_FACTOR, RATE_HIGH_FACTOR = 0.75, 1.25


def volunteer_fte(graph: nx.MultiDiGraph) -> float:
    """Équivalents temps plein bénévoles / Volunteer full-time equivalents = volunteer hours /
    1 607. Worked example: 280 / 1 607 = 0.1742."""
    return volunteer_hours(graph) / FULL_TIME_HOURS


@dataclass(frozen=True)
class LargestContribution:
    actor: str  # the contributor's name
    share: float


def largest_contribution(graph: nx.MultiDiGraph) -> LargestContribution | Undefined:
    """The biggest contributor and its share of R; undefined when R = 0. Worked example:
    CAF, 0.5886."""
    found = contributions(graph)
    if not found or isinstance(found[0].share, Undefined):
        return Undefined("no_resources")
    return LargestContribution(found[0].name, float(found[0].share))


def largest_contribution_share(graph: nx.MultiDiGraph) -> Number:
    """Part du premier contributeur / Largest contributor's share = the biggest contribution
    / R (its actor: ``largest_contribution``). Worked example: 30 000 / 50 965.60 = 0.5886."""
    largest = largest_contribution(graph)
    return largest if isinstance(largest, Undefined) else largest.share


def contribution_concentration(graph: nx.MultiDiGraph) -> Number:
    """Concentration des contributions / Contribution concentration = Σ share² over the
    contributors (Herfindahl index: 1 = a single contributor, near 0 = many small ones);
    undefined when R = 0. Worked example: 0.4152."""
    largest = largest_contribution(graph)  # undefined, with its reason, when R = 0
    if isinstance(largest, Undefined):
        return largest
    return sum(float(c.share) ** 2 for c in contributions(graph))


@dataclass(frozen=True)
class ActivityCost:
    activity: str  # the activity's name
    direct: float  # resources that reach it
    support: float  # its part of the support activities' resources
    operating: float  # its part of the resources given to the centre with no activity
    full: float
    people: float  # people it serves: its service flows in persons, to any actor
    per_person: Number


def _people_served_by(graph: nx.MultiDiGraph) -> dict[str, float]:
    """The people an activity serves, for its full cost: Σ quantities in unit ``personnes``
    of its flows of nature ``service``, to any actor. Not "Publics touchés": an information
    flow in persons serves nobody, and a service to an association or to habitants whose
    category was unreadable is still a service the activity paid for (metrics.md)."""
    return _flow_tallies(graph).served_by


def activity_costs(graph: nx.MultiDiGraph) -> list[ActivityCost]:
    """Coût complet des activités / Full cost of each main activity: its direct resources,
    plus a part of the support activities' resources and of the centre's running (resources
    given to the centre with no activity), spread over the main activities in proportion to
    their direct resources (evenly when all are 0); with the people it serves (its service
    flows in persons, to any actor), the cost per person ("—" when it serves nobody in persons,
    or when no valued resource reaches it: a full cost of 0 €). The full costs add up to R.
    Worked example: Atelier cuisine 5 004 + 961.60 + 45 000 = 50 965.60 €, 40 people,
    1 274.14 € per person."""
    kinds = {n: d.get("type", "principale") for n, d in graph.nodes(data=True) if is_activity_node(d)}
    main = [n for n, kind in kinds.items() if kind != "support"]
    if not main:
        return []
    direct: dict[str, float] = defaultdict(float)
    support = operating = 0.0
    for flow in resource_flows(graph):
        data = flow.data
        activity = data.get("activity") or ""
        value = data["value"] or 0.0  # _value, written inline for the 20,000 flows
        if activity in kinds and kinds[activity] != "support":
            direct[activity] += value
        elif activity in kinds:
            support += value
        else:
            operating += value
    total_direct = sum(direct[n] for n in main)
    people = _people_served_by(graph)
    costs = []
    for node in main:
        part = direct[node] / total_direct if total_direct > 0 else 1 / len(main)
        full = direct[node] + support * part + operating * part
        reached = people.get(node, 0.0)
        costs.append(
            ActivityCost(
                graph.nodes[node]["name"],
                direct[node],
                support * part,
                operating * part,
                full,
                reached,
                # 0 € for each of 95 people reads as a free activity: its cost is not known.
                _ratio(full, reached, "no_people_served") if full > 0 or not reached else Undefined("no_valued_cost"),
            )
        )
    return sorted(costs, key=lambda c: (-c.full, c.activity.casefold()))


def at_rate(graph: nx.MultiDiGraph, rate: float) -> nx.MultiDiGraph:
    """The same chain with volunteer hours valued at another rate (a copy: the graph given
    is not changed). Values entered in the workbook stay as they are."""
    copy = graph.copy()
    copy.graph["hourly_rate"] = rate
    for _, _, data in copy.edges(data=True):
        if data.get("value_basis") == BASIS_VOLUNTEER_RATE:
            data["value"] = data["hours"] * rate
    return copy


@dataclass(frozen=True)
class AtRate:
    rate: float
    resources_total: float
    leverage: Number
    non_monetary_share: Number
    volunteer_value: float


@dataclass(frozen=True)
class RateSensitivity:
    low: AtRate
    high: AtRate


def rate_sensitivity(graph: nx.MultiDiGraph, low: float | None = None, high: float | None = None) -> RateSensitivity:
    """Sensibilité au taux horaire / Sensitivity to the volunteer rate: R, leverage,
    non-monetary share and volunteer value at a low and a high rate (the Centre sheet's
    ``taux_horaire_bas`` / ``taux_horaire_haut``, else the rate × 0.75 and × 1.25). Worked
    example at 9.015 / 15.025 €/h: R 50 124.20 / 51 807.00, leverage 0.2531 / 0.2952."""
    rate = graph.graph.get("hourly_rate") or 0.0
    # Each of the four is linear in the hours valued at the centre's rate, so they are moved
    # by those hours × the change of rate rather than recomputed on a copy of the chain
    # (``at_rate``, which the tests check them against): a copy of 200 000 flows costs seconds.
    hours = sum(f.data["hours"] or 0.0 for f in resource_flows(graph) if f.data["value_basis"] == BASIS_VOLUNTEER_RATE)
    total, public, volunteers = resources_total(graph), public_funding(graph), volunteer_value(graph)
    non_monetary = _non_monetary_value(graph)

    def at(value: float) -> AtRate:
        moved = hours * (value - rate)
        return AtRate(
            value,
            total + moved,
            _ratio(total + moved - public, public, "no_public_funding"),
            _ratio(non_monetary + moved, total + moved, "no_resources"),
            volunteers + moved,
        )

    low = graph.graph.get("rate_low") if low is None else low
    high = graph.graph.get("rate_high") if high is None else high
    return RateSensitivity(
        at(rate * RATE_LOW_FACTOR if low is None else low), at(rate * RATE_HIGH_FACTOR if high is None else high)
    )


# How far a flow's value may be from the truth, by its evidence grade (``vocabulary.flow_evidence``):
# docs/indicateurs.md, "Fourchette selon la qualité des données".
EVIDENCE_MARGINS = {"mesure": 0.0, "declare": 0.10, "estime": 0.30}


@dataclass(frozen=True)
class AtEvidence:
    """R, leverage, non-monetary share and volunteer value, each at the same end of its own
    range (``evidence_range``): ``low`` holds the four lowest, ``high`` the four highest."""

    side: str  # "low" or "high"
    resources_total: float
    leverage: Number
    non_monetary_share: Number
    volunteer_value: float


@dataclass(frozen=True)
class EvidenceRange:
    low: AtEvidence
    high: AtEvidence
    uncertain: float  # € of resources whose value is declared or estimated


def evidence_range(graph: nx.MultiDiGraph) -> EvidenceRange:
    """Fourchette selon la qualité des données / Range by data quality: the four figures of the
    rate's sensitivity with each resource flow's value moved by its grade's margin
    (``EVIDENCE_MARGINS``: measured 0, declared ± 10 %, estimated ± 30 %), each figure from its
    lowest to its highest, always low ≤ high. A sum (R, volunteer value) is lowest with every
    value down; a ratio moves its numerator and its denominator apart: the leverage is lowest
    with the other resources down and public funding up, the non-monetary share with the
    non-monetary values down and the money up (docs/indicateurs.md). Worked example (no data
    source given: every value declared): R 45 869.04 / 56 062.16 €, leverage 0.2243 / 0.3351."""
    total, public, volunteers = resources_total(graph), public_funding(graph), volunteer_value(graph)
    non_monetary = _non_monetary_value(graph)
    moved_total = moved_public = moved_non_monetary = moved_volunteers = uncertain = 0.0
    public_sources = {node for node, data in graph.nodes(data=True) if data.get("category") == "institutions"}
    for flow in resource_flows(graph):
        value = _value(flow)
        margin = EVIDENCE_MARGINS.get(flow.data.get("evidence") or "declare", EVIDENCE_MARGINS["declare"])
        if not value or not margin:
            continue
        uncertain += value
        moved_total += value * margin
        nature = flow.data["nature"]
        if nature == "monetaire" and flow.source in public_sources:
            moved_public += value * margin
        if nature != "monetaire":
            moved_non_monetary += value * margin
        if nature == "benevolat":
            moved_volunteers += value * margin
    others, moved_others = total - public, moved_total - moved_public
    money, moved_money = total - non_monetary, moved_total - moved_non_monetary

    def at(side: str, sign: float) -> AtEvidence:
        shifted_non_monetary = non_monetary + sign * moved_non_monetary
        return AtEvidence(
            side,
            total + sign * moved_total,
            _ratio(others + sign * moved_others, public - sign * moved_public, "no_public_funding"),
            _ratio(shifted_non_monetary, shifted_non_monetary + money - sign * moved_money, "no_resources"),
            volunteers + sign * moved_volunteers,
        )

    return EvidenceRange(at("low", -1.0), at("high", 1.0), uncertain)


# Beyond the first set of docs/indicateurs.md: what users of such a tool also expect --------------------------------------------
def resources_by_nature(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Value of resource flows by nature (the mix of what is brought), largest first."""
    return dict(sorted(_value_by_nature(resource_flows(graph)).items(), key=lambda item: -item[1]))


def flows_by_domain(graph: nx.MultiDiGraph) -> dict[str, float]:
    """How many flows bear on each impact domain (a flow with two domains counts in both)."""
    counts: dict[str, float] = defaultdict(float)
    for flow in all_flows(graph):
        for domain in flow.data["domains"]:
            counts[domain] += 1
    return dict(counts)


def indicators_by_domain(indicators) -> dict[str, float]:
    """How many indicators the workbook gives for each impact domain."""
    counts: dict[str, float] = defaultdict(float)
    for domain in indicators["domain"]:
        if domain:
            counts[domain] += 1
    return dict(counts)


def _by_unit(flows: list[Flow]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for flow in flows:
        if flow.data["quantity"] is not None:
            totals[flow.data["unit"] or ""] += flow.data["quantity"]
    return dict(totals)


@dataclass(frozen=True)
class ActivitySummary:
    activity: str
    name: str
    type: str
    function: str | None
    lead: str
    domains: tuple[str, ...]
    resources_value: float
    resources_by_nature: dict[str, float]
    resources_by_contributor: dict[str, float]
    resources_by_unit: dict[str, float]
    volunteer_hours: float
    flows_in: int
    flows_out: int
    people_reached: float


def activity_summaries(graph: nx.MultiDiGraph) -> list[ActivitySummary]:
    """Per activity: resources that reach it (value by nature, by contributor, quantities by
    unit, volunteer hours), flows in and out, and inhabitants reached from it."""
    reaching: dict[str, list[Flow]] = defaultdict(list)
    for flow in resource_flows(graph):
        activity = flow.data.get("activity")
        if activity is not None and is_activity(graph, activity):
            reaching[activity].append(flow)
    summaries = []
    for node, data in graph.nodes(data=True):
        if not is_activity_node(data):
            continue
        flows = reaching[node]
        by_nature: dict[str, float] = defaultdict(float)
        by_contributor: dict[str, float] = defaultdict(float)
        for flow in flows:
            by_nature[flow.data["nature"]] += _value(flow)
            by_contributor[flow.source] += _value(flow)
        reached = _people_reached_by(graph).get(node, 0.0)
        summaries.append(
            ActivitySummary(
                node,
                data["name"],
                data["type"],
                data["function"],
                data["lead"],
                data["domains"],
                sum(_value(f) for f in flows),
                dict(by_nature),
                dict(by_contributor),
                _by_unit(flows),
                sum(f.data["hours"] or 0.0 for f in flows if f.data["nature"] == "benevolat"),
                graph.in_degree(node),
                graph.out_degree(node),
                reached,
            )
        )
    return sorted(summaries, key=lambda s: (-s.resources_value, s.name.casefold()))


@dataclass(frozen=True)
class ActorSummary:
    actor: str
    name: str
    category: str
    local: bool | None
    given_value: float
    received_value: float
    given_by_nature: dict[str, float]
    received_by_nature: dict[str, float]
    given_by_unit: dict[str, float]
    received_by_unit: dict[str, float]
    flows_given: int
    flows_received: int


def actor_summaries(graph: nx.MultiDiGraph) -> list[ActorSummary]:
    """Per actor: what it gives and receives (all flows, not only resources), by nature in
    euros and by unit in its own units. Largest giver first."""
    # Every flow sorted once by its two ends (rather than asking the graph for each actor's).
    given_by: dict[str, list[Flow]] = defaultdict(list)
    received_by: dict[str, list[Flow]] = defaultdict(list)
    for flow in all_flows(graph):
        given_by[flow.source].append(flow)
        received_by[flow.target].append(flow)
    summaries = []
    for node in actors(graph):
        data = graph.nodes[node]
        given, received = given_by.get(node, []), received_by.get(node, [])
        summaries.append(
            ActorSummary(
                node,
                data["name"],
                data["category"],
                data.get("local"),
                sum(_value(f) for f in given),
                sum(_value(f) for f in received),
                _value_by_nature(given),
                _value_by_nature(received),
                _by_unit(given),
                _by_unit(received),
                len(given),
                len(received),
            )
        )
    return sorted(summaries, key=lambda s: (-s.given_value, s.name.casefold()))


def _value_by_nature(flows: list[Flow]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for flow in flows:
        totals[flow.data["nature"]] += _value(flow)
    return dict(totals)


@dataclass(frozen=True)
class Brokerage:
    neighbours: int  # actors the centre is directly linked to in the actor network
    pairs_linked: int  # pairs of those neighbours not linked to each other: the centre bridges them
    pairs_total: int


def centre_brokerage(graph: nx.MultiDiGraph) -> Brokerage:
    """The centre as a broker: its direct partners in the actor network, and the pairs of them
    that are not linked to each other but both to the centre (open triads it closes)."""
    network = _actor_network(graph)
    centre = centre_of(graph)
    neighbours = set(network.neighbors(centre)) if centre in network else set()
    total = len(neighbours) * (len(neighbours) - 1) // 2
    # Each edge between two neighbours is seen from both ends.
    linked_directly = sum(len(neighbours.intersection(network.neighbors(a))) for a in neighbours) // 2
    return Brokerage(len(neighbours), total - linked_directly, total)


class UnvaluedFlow(NamedTuple):
    """A flow with no value in euros (a tuple: a large centre has thousands)."""

    source: str
    target: str
    nature: str
    quantity: float | None
    unit: str | None
    resource: bool
    sheet: str | None
    row: int | None


def not_valued(graph: nx.MultiDiGraph) -> list[UnvaluedFlow]:
    """Flows with no monetary value (they still count in their own units and in the graph):
    resource flows first, since they make R smaller than what was really brought."""
    resources = {f.key for f in resource_flows(graph)}
    nodes = _node_data(graph)
    result = [
        UnvaluedFlow(
            nodes[f.source]["name"],
            nodes[f.target]["name"],
            f.data["nature"],
            f.data["quantity"],
            f.data["unit"],
            f.key in resources,
            f.data.get("sheet"),
            f.data.get("row"),
        )
        for f in all_flows(graph)
        if f.data["value"] is None
    ]
    return sorted(result, key=lambda u: (not u.resource, u.row or 0))


def not_valued_count(graph: nx.MultiDiGraph) -> int:
    """How many flows ``not_valued`` lists, without building the list (the reports count them)."""
    return _flow_tallies(graph).not_valued


def estimated_share(graph: nx.MultiDiGraph) -> Number:
    """Part estimée / Share estimated: the value of resource flows whose evidence grade is
    ``estime`` (``vocabulary.flow_evidence``, the rule the range by data quality and the map
    use: "estimation", "supposé", "approx."…) / R (a data-quality note for comparisons)."""
    sums = _resource_sums(graph)
    return _ratio(sum(sums.estimated), sum(sums.values), "no_resources")

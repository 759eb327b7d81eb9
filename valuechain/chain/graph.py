"""The value chain as a graph: actors and activities, one edge per flow (``docs/indicateurs.md``).

``build_graph`` makes a ``networkx.MultiDiGraph`` that keeps every flow and its attributes;
``actor_network`` makes the undirected simple graph on actors that network measures use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, cast

import networkx as nx

from valuechain.model import ActivityRecord, ActorRecord, CentreWorkbook, FlowRecord
from valuechain.vocabulary import HOURS_PER_DAY, UNIT_DAYS, UNIT_EUR, UNIT_HOURS, flow_evidence

ACTOR = "actor"
ACTIVITY = "activity"


# The attributes of the graph's nodes and edges, declared once: ``build_graph`` makes them,
# every figure, chart, map and export reads them.
class ActorAttributes(TypedDict):
    kind: str  # ACTOR
    name: str
    category: str
    local: bool | None
    count: float | None
    town: str | None
    description: str | None
    tags: tuple[str, ...]
    extras: dict[str, object]
    inferred: bool


class ActivityAttributes(TypedDict):
    kind: str  # ACTIVITY
    name: str
    type: str  # principale or support
    function: str | None
    lead: str  # the node of the actor that runs it
    domains: tuple[str, ...]
    description: str | None
    extras: dict[str, object]
    inferred: bool


class FlowAttributes(TypedDict):
    nature: str
    quantity: float | None
    unit: str | None
    value: float | None  # euros, or None when the flow is not valued
    value_basis: str | None  # how the value was found (BASIS_…)
    hours: float | None
    activity: str | None  # the activity the flow reaches or names
    own_domains: tuple[str, ...]
    domains: tuple[str, ...]  # its own, else its activity's
    tangible: bool
    data_source: str | None
    evidence: str  # the data source's grade: ``mesure``, ``declare`` or ``estime`` (vocabulary.flow_evidence)
    year: int | None
    description: str | None
    extras: dict[str, object]
    sheet: str | None
    row: int | None


def is_activity_node(data: Mapping[str, object]) -> bool:
    """Whether a node's attributes are an activity's (``is_activity`` given the graph)."""
    return data.get("kind") == ACTIVITY


def is_actor_node(data: Mapping[str, object]) -> bool:
    return data.get("kind") == ACTOR


# How a flow's monetary value was found (workbook-format.md, "Monetary value of a flow").
BASIS_ENTERED = "entered"
BASIS_EUROS = "quantity_in_euros"
BASIS_VOLUNTEER_RATE = "volunteer_rate"
BASIS_MONEY_NO_UNIT = "money_without_unit"


def flow_hours(quantity: float | None, unit: str | None) -> float | None:
    """Hours a quantity stands for: hours as they are, days × 7; None for other units."""
    if quantity is None:
        return None
    if unit == UNIT_HOURS:
        return quantity
    if unit == UNIT_DAYS:
        return quantity * HOURS_PER_DAY
    return None


def flow_value(
    nature: str, quantity: float | None, unit: str | None, value_entered: float | None, hourly_rate: float
) -> tuple[float | None, str | None]:
    """A flow's monetary value in euros and how it was found, in the format's order: the
    ``valeur`` column; else a quantity in euros; else volunteer hours × the centre's rate;
    else a money flow's quantity with no unit; else not valued ``(None, None)``.

    >>> flow_value("benevolat", 2, "jours", None, 12.02)
    (168.28, 'volunteer_rate')
    >>> flow_value("benevolat", 0.3, "h", None, 11.65)[0]
    3.495
    """
    if value_entered is not None:
        return value_entered, BASIS_ENTERED
    if quantity is None:
        return None, None
    if unit == UNIT_EUR:
        return quantity, BASIS_EUROS
    hours = flow_hours(quantity, unit)
    if nature == "benevolat" and hours is not None:
        # Not rounded: 0,3 h × 11,65 € is 3,495 €, and sums keep the half-cents (rounded
        # only when shown).
        return hours * hourly_rate, BASIS_VOLUNTEER_RATE
    if nature == "monetaire" and unit is None:
        return quantity, BASIS_MONEY_NO_UNIT
    return None, None


def _clean(value: Any) -> Any:
    """A missing number (NaN) as None, so that graph attributes are plain Python."""
    if isinstance(value, float) and value != value:
        return None
    return value


def build_graph(workbook: CentreWorkbook) -> nx.MultiDiGraph:
    """The centre's value chain: every actor and activity a node, every valid flow an edge.

    Graph attributes: ``centre`` (the centre's node id), ``name``, ``year``, ``hourly_rate``,
    ``rate_low``, ``rate_high``. Node attributes: ``ActorAttributes`` or ``ActivityAttributes``;
    edge attributes: ``FlowAttributes``.
    """
    rate = workbook.centre.volunteer_hourly_rate
    graph = nx.MultiDiGraph(
        centre=workbook.centre_id,
        name=workbook.centre.name,
        year=workbook.centre.year,
        hourly_rate=rate,
        rate_low=workbook.centre.rate_low,
        rate_high=workbook.centre.rate_high,
    )
    # Made from the validated records (the typed tables are not needed, nor pandas).
    for actor in cast(list[ActorRecord], workbook.rows_of("actors")):
        graph.add_node(
            actor["id"],
            **ActorAttributes(
                kind=ACTOR,
                name=actor["name"],
                category=actor["category"],
                local=_clean(actor["local"]),
                count=_clean(actor["count"]),
                town=actor["town"],
                description=actor["description"],
                tags=tuple(actor["tags"]),
                extras=dict(actor["extras"]),
                inferred=bool(actor["inferred"]),
            ),
        )
    activity_domains: dict[str, tuple[str, ...]] = {}
    for record in cast(list[ActivityRecord], workbook.rows_of("activities")):
        graph.add_node(
            record["id"],
            **ActivityAttributes(
                kind=ACTIVITY,
                name=record["name"],
                type=record["type"],
                function=record["function"],
                lead=cast(str, record["lead"]),
                domains=tuple(record["domains"]),
                description=record["description"],
                extras=dict(record["extras"]),
                inferred=bool(record["inferred"]),
            ),
        )
        activity_domains[record["id"]] = tuple(record["domains"])
    centre = workbook.centre_id
    edges: list[tuple[str, str, int, FlowAttributes]] = []
    records = cast(list[FlowRecord], workbook.rows_of("flows"))
    # An edit's workbook keeps, in their places, the records of the flows it did not change
    # (validate_edit): their edges, made for the graph before, are taken again when nothing
    # they depend on changed (the centre, the rate, the activities' domains); only the changed
    # flows are made anew (at 20,000 flows, this loop was 0.08 s of an edit).
    context = (centre, rate, tuple(activity_domains.items()))
    before = _LAST_FLOWS.get(context)
    before_records, before_edges = before if before is not None else ([], [])
    kept = min(len(before_records), len(records))
    for index, flow in enumerate(records):
        if index < kept and before_records[index] is flow:
            edges.append(before_edges[index])
            continue
        # ``_clean`` written inline for the numbers of 20,000 flows (a call each, and a cast
        # that builds its type each time, were a fifth of the graph's making): NaN → None.
        quantity: float | None = flow["quantity"]
        if quantity != quantity:
            quantity = None
        entered: float | None = flow["value_entered"]
        if entered != entered:
            entered = None
        year = flow["year"]
        if year != year:
            year = None
        row = flow["row"]
        if row != row:
            row = None
        unit = flow["unit"]
        value, basis = flow_value(flow["nature"], quantity, unit, entered, rate)
        activity = _activity_of(flow["source"], flow["target"], flow["activity"], centre, activity_domains)
        own_domains = tuple(flow["domains"])
        # A literal checked against FlowAttributes (a call to the TypedDict is slower, 20 000 times).
        attributes: FlowAttributes = {
            "nature": flow["nature"],
            "quantity": quantity,
            "unit": unit,
            "value": value,
            "value_basis": basis,
            "hours": flow_hours(quantity, unit),
            "activity": activity,
            "own_domains": own_domains,
            "domains": own_domains or activity_domains.get(activity or "", ()),
            "tangible": bool(flow["tangible"]),
            "data_source": flow["data_source"],
            "evidence": flow_evidence(flow["data_source"]),
            "year": year,
            "description": flow["description"],
            "extras": dict(flow["extras"]),
            "sheet": flow["sheet"],
            "row": row,
        }
        edges.append((flow["source"], flow["target"], index, attributes))
    _LAST_FLOWS.keep(context, (records, edges))
    _add_flows(graph, edges)
    return graph


class _LastFlows:
    """The flows of the last graph made (its records and edges, in order), for the next graph,
    an edit's, to take again. The graphs share their flows' attributes as they share nothing
    else: a graph's attributes are never changed once made (a copy, ``metrics.at_rate``, has
    its own). Kept as the lists themselves: a graph made once pays nothing for it."""

    def __init__(self) -> None:
        self._last: tuple[object, tuple[list[FlowRecord], list]] | None = None

    def get(self, context: object) -> tuple[list[FlowRecord], list] | None:
        last = self._last  # read once: the dashboard's sessions make graphs in threads
        return last[1] if last is not None and last[0] == context else None

    def keep(self, context: object, flows: tuple[list[FlowRecord], list]) -> None:
        self._last = (context, flows)


_LAST_FLOWS = _LastFlows()


def _add_flows(graph: nx.MultiDiGraph, edges: list[tuple[str, str, int, FlowAttributes]]) -> None:
    """``graph.add_edges_from(edges)``, written into the graph's adjacency as networkx's own
    ``add_edge`` writes it (one dict of keys shared by the successor and the predecessor
    side), without copying each flow's attributes: five times faster at 20,000 flows. An end
    that is not a node yet goes through networkx, which adds it."""
    successors, predecessors = graph._succ, graph._pred
    for source, target, key, attributes in edges:
        if source not in successors or target not in successors:
            graph.add_edge(source, target, key, **attributes)
            continue
        keys = successors[source].get(target)
        if keys is None:
            keys = successors[source][target] = predecessors[target][source] = graph.edge_key_dict_factory()
        keys[key] = attributes


def _activity_of(
    source: str, target: str, named: str | None, centre: str, activities: dict[str, tuple[str, ...]]
) -> str | None:
    """The activity a flow reaches (its target), else the one its ``activite`` column names,
    else the activity it comes from."""
    if target in activities:
        return target
    if named is not None:
        return named
    if source in activities:
        return source
    return None


def is_activity(graph: nx.MultiDiGraph, node: str) -> bool:
    return is_activity_node(graph.nodes[node])


def actors(graph: nx.MultiDiGraph) -> list[str]:
    return [n for n, kind in graph.nodes(data="kind") if kind == ACTOR]


def activities(graph: nx.MultiDiGraph) -> list[str]:
    return [n for n, kind in graph.nodes(data="kind") if kind == ACTIVITY]


def node_names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each node's name (an actor's, an activity's), by node."""
    return {node: data["name"] for node, data in graph.nodes(data=True)}


def nodes_by_name(graph: nx.MultiDiGraph, nodes: Iterable[str] | None = None) -> list[str]:
    """``nodes`` (every node of the graph) in the order of their names, case left aside: the
    order a list of actors and activities offers them in."""
    return sorted(graph if nodes is None else nodes, key=lambda node: str(graph.nodes[node]["name"]).casefold())


def actor_of(graph: nx.MultiDiGraph, node: str) -> str:
    """An actor stands for itself; an activity is replaced by its lead."""
    data = graph.nodes[node]
    return data["lead"] if is_activity_node(data) else node


def actor_network(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph on actors: each flow an edge between its two ends, an
    activity replaced by its lead; self-loops dropped; every actor a node, even unlinked."""
    # ``actor_of`` for every node at once: a flow's end is looked up in a dict, not the graph.
    lead = {n: d["lead"] for n, d in graph.nodes(data=True) if is_activity_node(d)}
    network = nx.Graph()
    network.add_nodes_from(actors(graph))
    # Pair by pair of ends (the flows between two nodes share one entry of the adjacency), in
    # the order of the flows: the same network, edge for edge, as one edge per flow would give.
    ends = (
        (lead.get(source, source), lead.get(target, target))
        for source, targets in graph.adjacency()
        for target in targets
    )
    # Written into the network's adjacency as ``add_edge`` writes it (one attribute dict shared
    # by both sides), without networkx's checks per edge: 0.45 s at 200,000 flows, then 0.1 s.
    # An end that is not a node yet (an activity led by no actor) goes through networkx.
    adjacency = network._adj
    for a, b in ends:
        if a == b:
            continue
        if a not in adjacency or b not in adjacency:
            network.add_edge(a, b)
        elif b not in adjacency[a]:
            adjacency[a][b] = adjacency[b][a] = network.edge_attr_dict_factory()
    return network

"""Graph files for Gephi, Cytoscape, yEd and code: GEXF, GraphML and networkx's node-link JSON.

Every attribute is typed once from all its values and every name stays whole: the XML writers
escape what they write, and the control characters XML cannot hold are shown as their pictures.
"""

from __future__ import annotations

import io
import json
import re

import networkx as nx

from valuechain.workbook.writing import visible_controls


def _scalar(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "|".join(str(v) for v in value)
    if isinstance(value, bool) or isinstance(value, (int, float, str)):
        return value
    return str(value)


def _one_type(values: list[object]) -> type:
    """The one type an attribute is declared with, from all its values: numbers stay numbers
    only when every value is one (GEXF declares a type once; GraphML one key per name)."""
    kinds = {type(v) for v in values}
    if kinds <= {bool}:
        return bool
    if kinds <= {int}:
        return int
    if kinds <= {int, float}:
        return float
    return str


def _typed(items: list[dict]) -> list[dict]:
    """Each attribute typed once, from all the values it takes."""
    types = {key: _one_type([item[key] for item in items if key in item]) for item in items for key in item}

    def cast(key: str, value: object) -> object:
        if types[key] is str and isinstance(value, float) and value.is_integer():
            return str(int(value))  # 3, not "3.0", in a column that holds text too
        return value if types[key] is bool else types[key](value)

    return [{key: cast(key, value) for key, value in item.items()} for item in items]


def _xml_scalar(value: object) -> object:
    """``_scalar``, with the control characters XML cannot hold shown as their pictures (a
    name stays whole and the file valid)."""
    value = _scalar(value)
    return visible_controls(value) if isinstance(value, str) else value


def portable_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GEXF and GraphML can hold, valid where strict tools read them:
    nodes and edges have stable ids (``n1``…, ``f1``…: an actor's name, with its spaces and
    accents, is its ``name`` attribute, not its id); each attribute has one type from all its
    values; lists as ``a|b``; extra columns as ``extra:<header>`` fields; missing values left
    out (those formats have no null). Parallel flows stay distinct edges, each with its id."""
    portable = nx.MultiDiGraph(
        **{k: _xml_scalar(v) for k, v in graph.graph.items() if v is not None and k not in ("name", "centre")}
    )

    def attributes(data: dict) -> dict:
        result = {}
        for key, value in data.items():
            if key == "extras":
                result.update(
                    {visible_controls(f"extra:{k}"): _xml_scalar(v) for k, v in value.items() if v is not None}
                )
            elif value is not None and value != ():
                result[key] = _xml_scalar(value)
        return result

    ids = {node: f"n{number}" for number, node in enumerate(graph.nodes, start=1)}
    centre = graph.graph.get("centre")
    if centre in ids:
        portable.graph["centre"] = ids[centre]
    nodes = _typed(
        [
            dict(attributes(data), label=_xml_scalar(data.get("name", str(node))), valuechain_id=_xml_scalar(str(node)))
            for node, data in graph.nodes(data=True)
        ]
    )
    for node, data in zip(graph.nodes, nodes):
        portable.add_node(ids[node], **data)
    edges = list(graph.edges(keys=True, data=True))
    for (source, target, _, _), data in zip(edges, _typed([attributes(d) for *_, d in edges])):
        portable.add_edge(ids[source], ids[target], key=f"f{portable.number_of_edges() + 1}", **data)
    return portable


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2draft, as Gephi reads it (the centre's name is no attribute of ``<graph>``,
    which that schema refuses)."""
    buffer = io.BytesIO()
    nx.write_gexf(portable_graph(graph), buffer, version="1.2draft")
    # networkx writes the graph's name, even empty; GEXF 1.2draft's schema has no such attribute.
    return re.sub(rb'(<graph [^>]*?) name="[^"]*"', rb"\1", buffer.getvalue(), count=1)


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(portable_graph(graph), buffer)
    return buffer.getvalue()


def node_link_json(graph: nx.MultiDiGraph) -> str:
    """networkx's node-link JSON ("nodes", "edges"), every attribute kept, null where missing."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, default=_scalar)

"""The interactive map: pyvis builds the vis-network data, we render it offline and safely.

- Offline: vis-network's script and stylesheet (shipped inside the pyvis package) are inlined;
  pyvis's own page template links Bootstrap and vis from CDNs, so we use our own template.
- Safe: names are data. Node and edge data go into the page through Jinja's ``tojson`` (which
  escapes ``<``, ``>``, ``&`` and quotes), tooltips are plain strings (vis-network shows them
  with ``innerText``), and the legend is autoescaped.
- Steady: positions come from a seeded layout of the whole graph, computed once, so filters,
  focus and the step-by-step mode never make the map jump; physics stays off unless asked.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
import rustworkx
from pyvis.network import Network

from valuechain.chain.evolution import LOST, LOST_PREFIX, NEW
from valuechain.chain.graph import ACTIVITY, ACTOR, is_activity_node, is_actor_node
from valuechain.chain.metrics import contributions
from valuechain.media import formatting as fmt
from valuechain.media.palette import ACTIVITY_BORDER, ACTIVITY_COLOURS, CATEGORY_COLOURS, NATURE_COLOURS
from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, NATURES, domain_label, unit_label
from valuechain.words.language import language
from valuechain.words.messages import say, say_list

VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
# Past this many nodes a wall cannot show them one by one: the map groups them.
MAX_MAP_NODES = 600
LABEL_LENGTH = 40
# The shape of the map's frame (width / height): a wall's map beside its legend, or a page's
# map under its legend, are both about twice as wide as tall.
FRAME_ASPECT = 2.0
# A wall's map has the screen's height under one line of title and counters, beside its legend:
# about 1 400 × 930 px on a 1920 × 1080 screen.
WALL_FRAME_ASPECT = 1.5
# DejaVu Sans: the average letter is about 0.6 of the font size wide.
LETTER_WIDTH = 0.6
# How much room the first layout gives each label (times its own area): less and the labels
# are pushed far apart, which zooms the whole map out; more and they are small on the wall.
ROOM_PER_LABEL = 1.6
# On a wall, a name is written on lines of this many letters: narrow, nearly square labels
# pack into the wall's rows better than long ones (tried: 16 letters named 14 of 50 actors at
# 24 px, 10 letters 33).
WALL_LINE_LENGTH = 10
# Four lines at most, wider ones for a long name: a name is never cut below 120 letters (a
# workshop's longest). The wall keeps its names large by counting its minor actors by category
# (``wall_layout``), not by cutting names.
WALL_MAX_LINES = 4
WALL_WIDEST_LINE = 30  # the widest line of a long name: 4 × 30 letters hold a workshop's longest
# What vis-network's ``fit`` leaves around the drawing: it zooms so that the nodes' boxes take
# 1/1.1 of the frame each way.
FIT_MARGIN = 1.1
# The wall aims a little above its smallest size: the letters' widths are estimated here, drawn
# there.
WALL_SIZE_MARGIN = 1.03
# On a wall the labels pack closer (less room per label): the map, zoomed to fit its frame,
# then writes them larger.
WALL_ROOM_PER_LABEL = 1.4

# The order in which the step-by-step mode reveals the chain (workshops).
REVEAL_ORDER = (
    "centre",
    "habitants",
    "benevoles",
    "salaries",
    "producteurs",
    "associations",
    "institutions",
    "entreprises",
    "financeurs",
    "autre",
)

REPLAY_MS = 2500  # how long each year stays on screen in a replay
NEW_COLOUR = "#1a7f37"  # the ring of an actor new this year (Évolution)


@dataclass(frozen=True)
class MapFilter:
    """What the map shows. Empty sets mean "everything"."""

    categories: frozenset[str] = frozenset()
    natures: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    tangible: bool | None = None
    min_value: float = 0.0
    focus: str | None = None
    step: int | None = None  # step-by-step mode: show the first step+1 groups of REVEAL_ORDER

    @property
    def narrows_flows(self) -> bool:
        return bool(self.natures or self.domains or self.activities or self.tangible is not None or self.min_value > 0)


def reveal_steps(graph: nx.MultiDiGraph) -> list[str]:
    """The categories present, in the order the step-by-step mode reveals them."""
    present = {data.get("category") for _, data in graph.nodes(data=True) if is_actor_node(data)}
    return [c for c in REVEAL_ORDER if c in present]


def revealed(steps: list[str], step: int, lang: str) -> str:
    """What step ``step`` (from 0) of ``reveal_steps`` shows, in words: its categories so far."""
    return ", ".join(CATEGORIES.short(code, lang) for code in steps[: step + 1])


def filter_graph(graph: nx.MultiDiGraph, criteria: MapFilter) -> nx.MultiDiGraph:
    """The part of the graph the criteria keep: a new graph, or, when nothing is filtered, the
    graph itself (copying 20,000 flows to keep them all is the map's slowest step on a large
    centre): callers read it, never modify it."""
    if criteria == MapFilter():
        return graph
    centre = graph.graph["centre"]
    shown_categories = set(criteria.categories)
    if criteria.step is not None:
        steps = reveal_steps(graph)
        shown_categories = set(steps[: criteria.step + 1]) & (shown_categories or set(steps))
    keep_nodes = set()
    for node, data in graph.nodes(data=True):
        if is_activity_node(data):
            if not criteria.activities or node in criteria.activities:
                keep_nodes.add(node)
        elif node == centre or not shown_categories or data.get("category") in shown_categories:
            keep_nodes.add(node)
    if criteria.focus is not None and criteria.focus in graph:
        neighbourhood = (
            {criteria.focus} | set(graph.successors(criteria.focus)) | set(graph.predecessors(criteria.focus))
        )
        keep_nodes &= neighbourhood
    result = nx.MultiDiGraph(**graph.graph)
    result.add_nodes_from((n, graph.nodes[n]) for n in keep_nodes)
    for source, target, key, data in graph.edges(keys=True, data=True):
        if source not in keep_nodes or target not in keep_nodes:
            continue
        if criteria.natures and data["nature"] not in criteria.natures:
            continue
        if criteria.domains and not set(data["domains"]) & criteria.domains:
            continue
        if criteria.activities and not ({source, target, data.get("activity")} & criteria.activities):
            continue
        if criteria.tangible is not None and data["tangible"] != criteria.tangible:
            continue
        if criteria.min_value > 0 and (data["value"] or 0) < criteria.min_value:
            continue
        result.add_edge(source, target, key=key, **data)
    if criteria.narrows_flows:
        # A filter on flows hides the nodes it leaves alone, but never the centre or the focus.
        lonely = [n for n in result if result.degree(n) == 0 and n not in (centre, criteria.focus)]
        result.remove_nodes_from(lonely)
    return result


def layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions (rustworkx's Fruchterman-Reingold), in pixels.

    Parts of the graph not linked to the centre are tied to it for the layout only, so that
    they sit beside the chain instead of drifting off the wall."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {(min(index[s], index[t]), max(index[s], index[t])) for s, t in graph.edges() if s != t}
    # An activity sits near its lead.
    for node, data in graph.nodes(data=True):
        lead = data.get("lead")
        if is_activity_node(data) and lead in index and lead != node:
            pairs.add((min(index[node], index[lead]), max(index[node], index[lead])))
    centre = graph.graph.get("centre")
    if centre in index:
        undirected = nx.Graph(list((nodes[a], nodes[b]) for a, b in pairs))
        undirected.add_nodes_from(nodes)
        for component in nx.connected_components(undirected):
            if centre not in component:
                anchor = index[min(component, key=str)]
                pairs.add((min(anchor, index[centre]), max(anchor, index[centre])))
    compiled = rustworkx.PyGraph()
    compiled.add_nodes_from(nodes)
    compiled.add_edges_from_no_data(sorted(pairs))
    count = len(nodes)
    positions = rustworkx.spring_layout(
        compiled, seed=seed, num_iter=200, k=2.2 / math.sqrt(count) if count > 1 else None
    )
    size = 80 * math.sqrt(count) + 120
    return {nodes[i]: (round(x * size, 1), round(y * size, 1)) for i, (x, y) in positions.items()}


def extend_layout(
    graph: nx.MultiDiGraph, previous: dict[str, tuple[float, float]], seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Positions for a graph that grew: known nodes stay where they were (the map does not
    jump while a facilitator adds an actor); a new node lands beside its first neighbour."""
    if not previous:
        return layout(graph, seed)
    import random

    rng = random.Random(seed)
    positions = {n: previous[n] for n in graph if n in previous}
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    for node in graph:
        if node in positions:
            continue
        neighbours = [n for n in nx.all_neighbors(graph, node) if n in positions]
        if neighbours:
            x, y = positions[neighbours[0]]
        else:
            x, y = max(xs) + 120, (min(ys) + max(ys)) / 2
        positions[node] = (round(x + rng.uniform(-140, 140), 1), round(y + rng.uniform(-140, 140), 1))
    return positions


def _label_boxes(graph: nx.MultiDiGraph, nodes: list[str], presentation: bool):
    """Each node's room on the map, in the map's units: its shape and its label (below a dot or
    a hexagon, inside a box), as (width, height, vertical offset of the box's centre)."""
    import numpy

    given, received, largest = _node_weights(graph)
    font = font_size(presentation)
    line = 1.3 * font
    widths, heights, offsets = [], [], []
    for node in nodes:
        data = graph.nodes[node]
        lines = _short(str(data.get("name", node)), presentation).split("\n")
        text = LETTER_WIDTH * font * max(len(part) for part in lines)
        block = line * len(lines)
        size = _node_size(graph, node, given, received, largest)
        # The room around a label: on a wall, half as much (the labels are larger there, and
        # each one's own margin is already wide at that size).
        pad = 0.5 if presentation else 1.0
        if is_activity_node(data) and data.get("type", "principale") == "principale":
            widths.append(text + 2 * font * pad)
            heights.append(block + font * pad)
            offsets.append(0.0)
        else:
            widths.append(max(text, 2 * size) + font * pad)
            heights.append(2 * size + block + font * pad / 2)
            offsets.append(block / 2)
    return numpy.array(widths), numpy.array(heights), numpy.array(offsets)


def fit_to_frame(
    graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]], presentation: bool = False
) -> dict[str, tuple[float, float]]:
    """A layout stretched to the map's wide frame, with about three times the room its labels
    need: the network fills the wall instead of a band across it."""
    import numpy

    nodes = [n for n in graph if n in positions]
    if len(nodes) < 2:
        return dict(positions)
    xy = numpy.array([positions[n] for n in nodes], dtype=float)
    widths, heights, _ = _label_boxes(graph, nodes, presentation)
    room = WALL_ROOM_PER_LABEL if presentation else ROOM_PER_LABEL
    aspect = WALL_FRAME_ASPECT if presentation else FRAME_ASPECT
    height = math.sqrt(room * float((widths * heights).sum()) / aspect)
    spans = xy.max(axis=0) - xy.min(axis=0)
    spans[spans == 0] = 1.0
    centred = (xy - xy.mean(axis=0)) / spans * numpy.array([aspect * height, height])
    placed = dict(positions)
    placed.update({node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, centred)})
    return placed


def separate_labels(
    graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]], presentation: bool = False, rounds: int = 400
) -> dict[str, tuple[float, float]]:
    """Positions where no two nodes' labels overlap, at the size the map draws them.

    Overlapping pairs are pushed apart along the axis where they overlap least, all pairs at
    once, until none overlaps: nodes already clear of the others do not move, so a node added
    live moves only what it lands on."""
    import numpy

    nodes = [n for n in graph if n in positions]
    if len(nodes) < 2:
        return dict(positions)
    widths, heights, offsets = _label_boxes(graph, nodes, presentation)
    x = numpy.array([positions[n][0] for n in nodes], dtype=float)
    y = numpy.array([positions[n][1] for n in nodes], dtype=float) + offsets
    half_w = (widths[:, None] + widths[None, :]) / 2
    half_h = (heights[:, None] + heights[None, :]) / 2
    # Ties (two nodes at one spot) part in a fixed direction: the same map every time.
    order = numpy.sign(numpy.arange(len(nodes))[:, None] - numpy.arange(len(nodes))[None, :])
    for _ in range(rounds):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        over_x = half_w - numpy.abs(dx)
        over_y = half_h - numpy.abs(dy)
        overlapping = (over_x > 0) & (over_y > 0)
        numpy.fill_diagonal(overlapping, False)
        if not overlapping.any():
            break
        along_x = overlapping & (over_x / half_w <= over_y / half_h)
        along_y = overlapping & ~along_x
        side_x = numpy.where(dx != 0, numpy.sign(dx), order)
        side_y = numpy.where(dy != 0, numpy.sign(dy), order)
        # Each node of a pair takes half of the way, a little more so that it ends clear.
        x += (numpy.where(along_x, side_x * (over_x / 2 + 1), 0.0)).sum(axis=1) * 0.6
        y += (numpy.where(along_y, side_y * (over_y / 2 + 1), 0.0)).sum(axis=1) * 0.6
    placed = dict(positions)
    placed.update(
        {node: (round(float(a), 1), round(float(b - offset), 1)) for node, a, b, offset in zip(nodes, x, y, offsets)}
    )
    return placed


def _overlap(dx, dy, width_sums, height_sums, slack: float = 0.0):
    """Whether two label boxes overlap, given how far apart their centres are and the sums of
    their widths and heights (numbers or arrays). ``slack``: boxes overlapping by less than
    that count as touching."""
    import numpy

    return (numpy.abs(dx) < width_sums / 2 - slack) & (numpy.abs(dy) < height_sums / 2 - slack)


def overlapping_labels(
    graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]], presentation: bool = False
) -> list[tuple[str, str]]:
    """The pairs of nodes whose labels overlap on the map (none, once separated)."""
    nodes = [n for n in graph if n in positions]
    widths, heights, offsets = _label_boxes(graph, nodes, presentation)
    pairs = []
    for i, first in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            second = nodes[j]
            (x1, y1), (x2, y2) = positions[first], positions[second]
            if _overlap(
                x1 - x2, y1 + offsets[i] - y2 - offsets[j], widths[i] + widths[j], heights[i] + heights[j], slack=0.5
            ):
                pairs.append((first, second))
    return pairs


def place_around(
    graph: nx.MultiDiGraph, previous: dict[str, tuple[float, float]], presentation: bool = False
) -> dict[str, tuple[float, float]]:
    """Positions for a graph that grew, the nodes already shown never moving (a workshop's
    wall: the room saw them there). Each new node takes the nearest free spot around its first
    neighbour, on rings of growing radius, where its label lies over no other: pushing new
    nodes out of a crowded middle while the others stay put can leave them stuck there."""
    import numpy

    nodes = list(graph)
    widths, heights, offsets = _label_boxes(graph, nodes, presentation)
    index = {node: i for i, node in enumerate(nodes)}
    placed = {n: previous[n] for n in nodes if n in previous}
    order = [index[n] for n in placed]
    # The placed labels' boxes: centres, widths and heights, grown as nodes are placed.
    xs = numpy.array([placed[n][0] for n in placed], dtype=float)
    ys = numpy.array([placed[n][1] + offsets[index[n]] for n in placed], dtype=float)
    ws, hs = widths[order], heights[order]

    def clear(i: int, x: float, y: float) -> bool:
        return not bool(_overlap(xs - x, ys - y - offsets[i], ws + widths[i], hs + heights[i]).any())

    for node in nodes:
        if node in placed:
            continue
        i = index[node]
        neighbours = [n for n in nx.all_neighbors(graph, node) if n in placed]
        if neighbours:
            anchor = placed[neighbours[0]]
        elif placed:
            anchor = (float(xs.max()) + float(widths[i]), float(ys.mean()))
        else:
            anchor = (0.0, 0.0)
        step = float(max(heights[i], 30.0))
        spot = anchor
        for ring in range(1, 400):
            radius = ring * step
            count = max(8, int(2 * math.pi * radius / step))
            candidates = [
                (
                    anchor[0] + FRAME_ASPECT * radius * math.cos(2 * math.pi * k / count + ring),
                    anchor[1] + radius * math.sin(2 * math.pi * k / count + ring),
                )
                for k in range(count)
            ]
            free = [c for c in candidates if clear(i, *c)]
            if free:
                spot = min(free, key=lambda c: (c[0] - anchor[0]) ** 2 + (c[1] - anchor[1]) ** 2)
                break
        placed[node] = (round(spot[0], 1), round(spot[1], 1))
        xs = numpy.append(xs, placed[node][0])
        ys = numpy.append(ys, placed[node][1] + offsets[i])
        ws, hs = numpy.append(ws, widths[i]), numpy.append(hs, heights[i])
    return placed


def readable_layout(
    graph: nx.MultiDiGraph,
    previous: dict[str, tuple[float, float]] | None = None,
    presentation: bool = False,
    keep_placed: bool = False,
) -> dict[str, tuple[float, float]]:
    """The map's positions: a seeded layout fitted to the frame with no label over another,
    or, given the positions of a map already shown, those kept and the new nodes placed
    (``keep_placed``: the nodes already shown do not move at all, only the new ones do)."""
    if previous and keep_placed:
        return place_around(graph, previous, presentation)
    if previous:
        return separate_labels(graph, extend_layout(graph, previous), presentation)
    return separate_labels(graph, fit_to_frame(graph, layout(graph), presentation), presentation)


@dataclass(frozen=True)
class WallView:
    """How a workshop's wall draws its map: the size of the map's frame on the projected screen
    (pixels of a 1920 × 1080 wall), and the smallest name it may draw there. A wall names as
    many actors as that size allows; the others are counted, one node per category."""

    width: int = 1140
    height: int = 870
    smallest: int = 24  # pixels: read from the back of the room
    legend: bool = True  # beside the map; hidden, the map takes the whole frame


# The free cells a wall's first layout leaves for the actors the room adds (at least).
WALL_RESERVE = 3
WALL_OTHERS = "others:"  # the id of a node that counts a category's actors not named on the wall


def _extent(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    """The wall's drawing, every node with its label: (left, top, right, bottom), map units."""
    nodes = [n for n in graph if n in positions]
    widths, heights, offsets = _label_boxes(graph, nodes, True)
    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] + offset for n, offset in zip(nodes, offsets)]
    return (
        min(x - w / 2 for x, w in zip(xs, widths)),
        min(y - h / 2 for y, h in zip(ys, heights)),
        max(x + w / 2 for x, w in zip(xs, widths)),
        max(y + h / 2 for y, h in zip(ys, heights)),
    )


def drawn_label_px(
    graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]], width: float, height: float
) -> float:
    """The size a wall's names are drawn at in a frame of ``width`` × ``height`` pixels:
    vis-network zooms the map so that every node with its label fits (``FIT_MARGIN``), and a
    label is ``font_size`` times that zoom."""
    if not any(n in positions for n in graph):
        return float(font_size(True))
    left, top, right, bottom = _extent(graph, positions)
    scale = min(width / (FIT_MARGIN * max(right - left, 1.0)), height / (FIT_MARGIN * max(bottom - top, 1.0)))
    return font_size(True) * min(scale, 1.0)  # vis-network never zooms a fit past 1


def wall_rows(
    graph: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    view: WallView,
    reserve: int = 0,
    packed: bool = False,
) -> dict[str, tuple[float, float]]:
    """A wall's nodes set in rows, each node with its label in a box of its own, as large as
    the frame allows: a force layout leaves holes and outliers that the zoom to fit pays for,
    and its labels then shrink as the map grows. The force layout's order is kept (top to
    bottom into rows, left to right in each), so linked nodes stay near; the number of rows is
    the one that draws the names largest, and the rows are spread over the frame's shape.

    ``reserve``: as many free cells, each as large as most labels, left among the rows (at
    their right ends), where the nodes a room adds later find room (``free_slots``).
    ``packed``: the labels of a height in the same rows (a row is as tall as its tallest), the
    force layout's order among them: about a third more names in a frame that cannot hold
    them all (70 actors: 32 named instead of 25), linked nodes less near."""
    import numpy

    nodes = [n for n in graph if n in positions]
    if len(nodes) < 2:
        return dict(positions)
    widths, heights, offsets = _label_boxes(graph, nodes, True)
    order = sorted(
        range(len(nodes)),
        key=lambda i: (
            -round(float(heights[i])) if packed else 0,
            positions[nodes[i]][1],
            positions[nodes[i]][0],
            nodes[i],
        ),
    )
    if reserve:  # the free cells, spread evenly through the rows
        cell_w, cell_h = float(numpy.percentile(widths, 75)), float(numpy.percentile(heights, 75))
        for k in range(reserve):
            order.insert(round((k + 1) * (len(order) + 1) / (reserve + 1)), len(nodes) + k)
        widths = numpy.append(widths, [cell_w] * reserve)
        heights = numpy.append(heights, [cell_h] * reserve)
        offsets = numpy.append(offsets, [0.0] * reserve)
    total = float(widths.sum())

    def rows_of(count: int) -> list[list[int]]:
        rows: list[list[int]] = [[] for _ in range(count)]
        done = 0.0
        for i in order:  # by the middle of each box along the whole width: rows of even width
            rows[min(count - 1, int((done + widths[i] / 2) / (total / count)))].append(i)
            done += float(widths[i])
        return [row for row in rows if row]

    def zoom(rows: list[list[int]]) -> float:
        wide = max(float(widths[row].sum()) for row in rows)
        tall = sum(float(heights[row].max()) for row in rows)
        return min(view.width / (FIT_MARGIN * wide), view.height / (FIT_MARGIN * tall))

    rows = max((rows_of(count) for count in range(1, len(order) + 1)), key=zoom)
    wide = max(float(widths[row].sum()) for row in rows)
    tall = sum(float(heights[row].max()) for row in rows)
    # The drawing takes the frame's shape: the side with room to spare is spread.
    width, height = max(wide, tall * view.width / view.height), max(tall, wide * view.height / view.width)
    gap_y = (height - tall) / len(rows)
    placed = dict(positions)
    top = -height / 2
    for row in rows:
        row_height = float(heights[row].max())
        row = sorted(row, key=lambda i: (i >= len(nodes), positions[nodes[i]][0] if i < len(nodes) else i, str(i)))
        gap_x = (width - float(widths[row].sum())) / len(row)
        left = -width / 2 + gap_x / 2
        middle = top + (gap_y + row_height) / 2
        for i in row:
            if i < len(nodes):  # a free cell stays empty
                placed[nodes[i]] = (round(left + float(widths[i]) / 2, 1), round(middle - float(offsets[i]), 1))
            left += float(widths[i]) + gap_x
        top += row_height + gap_y
    return placed


def _wall_ranking(graph: nx.MultiDiGraph, favoured: Sequence[str] = (), protected: Collection[str] = ()) -> list[str]:
    """The actors a wall names first: the ``protected`` ones (never counted), then the
    ``favoured`` ones (a workshop's room's own, the latest first), then those who bring or
    receive the most, then the most linked."""
    given, received, _ = _node_weights(graph)
    centre = graph.graph.get("centre")
    named = [n for n, d in graph.nodes(data=True) if is_actor_node(d) and n != centre and not d.get("grouped")]
    first = {node: rank for rank, node in enumerate(dict.fromkeys(favoured))}
    return sorted(
        named,
        key=lambda n: (
            n not in protected,
            first.get(n, len(first)),
            -(given.get(n, 0.0) + received.get(n, 0.0)),
            -graph.degree(n),
            str(graph.nodes[n].get("name")),
        ),
    )


def _wall_shown(graph: nx.MultiDiGraph, lang: str, ranked: list[str], named: set[str]) -> nx.MultiDiGraph:
    """The wall's map naming ``named`` (and any actor alone in its category: never "1 autre"),
    the other actors counted by category."""
    left: dict[str, list[str]] = defaultdict(list)
    for actor in ranked:
        if actor not in named:
            left[graph.nodes[actor].get("category", "autre")].append(actor)
    named = named | {only for alone in left.values() if len(alone) == 1 for only in alone}
    return graph if named >= set(ranked) else group_graph(graph, lang, keep=named)


def _wall_room(view: WallView) -> tuple[float, float]:
    """The room a wall's frame has for its drawing, in the map's units, with its names drawn
    ``view.smallest`` pixels high (``WALL_SIZE_MARGIN``)."""
    scale = min(view.smallest * WALL_SIZE_MARGIN / font_size(True), 1.0)
    return view.width / (FIT_MARGIN * scale), view.height / (FIT_MARGIN * scale)


def free_slots(
    graph: nx.MultiDiGraph,
    fixed: dict[str, tuple[float, float]],
    view: WallView,
    anchors: dict[str, tuple[float, float]] | None = None,
) -> dict[str, tuple[float, float]] | None:
    """The nodes of a wall's map not in ``fixed`` placed in the free room of its frame, the
    fixed ones never moving: each new node on the free spot nearest its first placed neighbour
    (or its ``anchors`` spot), its label over no other, the whole drawing small enough for its
    names to stay ``view.smallest`` pixels (``WALL_SIZE_MARGIN``). None when one cannot be
    placed so."""
    import numpy

    nodes = list(graph)
    if not nodes:
        return {}
    widths, heights, offsets = _label_boxes(graph, nodes, True)
    index = {node: i for i, node in enumerate(nodes)}
    placed = {n: fixed[n] for n in nodes if n in fixed}
    # The room the frame has at the smallest size, in the map's units, around the drawing.
    room_w, room_h = _wall_room(view)
    if placed:
        left, top, right, bottom = _extent(graph, placed)
    else:
        left = top = right = bottom = 0.0
    if right - left > room_w or bottom - top > room_h:
        return None
    if len(placed) == len(nodes):
        return placed
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    box = (middle_x - room_w / 2, middle_y - room_h / 2, middle_x + room_w / 2, middle_y + room_h / 2)
    order = [index[n] for n in placed]
    xs = numpy.array([placed[n][0] for n in placed], dtype=float)
    ys = numpy.array([placed[n][1] + offsets[index[n]] for n in placed], dtype=float)
    ws, hs = widths[order], heights[order]
    step = float(max(min(heights.min(), widths.min()) / 3, 8.0))
    grid_x, grid_y = numpy.meshgrid(numpy.arange(box[0], box[2], step), numpy.arange(box[1], box[3], step))
    grid_x, grid_y = grid_x.ravel(), grid_y.ravel()
    for node in nodes:
        if node in placed:
            continue
        i = index[node]
        inside = (
            (grid_x - widths[i] / 2 >= box[0])
            & (grid_x + widths[i] / 2 <= box[2])
            & (grid_y - heights[i] / 2 >= box[1])
            & (grid_y + heights[i] / 2 <= box[3])
        )
        cx, cy = grid_x[inside], grid_y[inside]
        if len(xs):
            clear = ~_overlap(
                cx[:, None] - xs[None, :],
                cy[:, None] - ys[None, :],
                widths[i] + ws[None, :],
                heights[i] + hs[None, :],
            ).any(axis=1)
            cx, cy = cx[clear], cy[clear]
        if not len(cx):
            return None
        neighbours = [n for n in nx.all_neighbors(graph, node) if n in placed]
        if neighbours:
            ax, ay = placed[neighbours[0]][0], placed[neighbours[0]][1] + offsets[index[neighbours[0]]]
        elif anchors and node in anchors:
            ax, ay = anchors[node]
        else:
            ax, ay = middle_x, middle_y
        best = int(numpy.argmin((cx - ax) ** 2 + (cy - ay) ** 2))
        x, y = float(cx[best]), float(cy[best])
        placed[node] = (round(x, 1), round(y - float(offsets[i]), 1))
        xs, ys = numpy.append(xs, x), numpy.append(ys, y)
        ws, hs = numpy.append(ws, widths[i]), numpy.append(hs, heights[i])
    return placed


def _wall_kept(
    graph: nx.MultiDiGraph,
    lang: str,
    view: WallView,
    previous: dict[str, tuple[float, float]],
    ranked: list[str],
    protected: set[str],
    swap: bool,
) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]] | None:
    """The wall grown from the one the room saw, no node it saw moving: every actor named when
    the new ones find free room; else (``swap``), the room's actors named all the same, in the
    room the least-contributing actors named before leave when counted with their category.
    None when even so the names would fall below ``view.smallest`` (the map must be laid out
    again)."""
    seen = {n for n in previous if n in graph}
    kept = [n for n in seen if n not in ranked]  # the centre, the activities: always shown
    room_w, room_h = _wall_room(view)
    if kept:
        left, top, right, bottom = _extent(graph, {n: previous[n] for n in kept})
        if right - left > room_w or bottom - top > room_h:
            return None  # a frame smaller, names larger: the map is laid out again
    named = {n for n in ranked if n in seen or n in protected}
    tries = [set(ranked)] if named >= set(ranked) or not swap else [set(ranked), named]
    # The least-contributing named actors leave first (never the room's own).
    leaving = [n for n in reversed(ranked) if n in named and n not in protected]
    while True:
        for choice in tries:
            shown = _wall_shown(graph, lang, ranked, choice)
            fixed = {n: previous[n] for n in shown if n in previous}
            anchors: dict[str, tuple[float, float]] = {}  # a category's new count where one of its actors was
            for node in graph:
                group = f"{WALL_OTHERS}{graph.nodes[node].get('category', 'autre')}"
                if node in previous and node not in shown and group in shown and group not in fixed:
                    anchors.setdefault(group, previous[node])
            positions = free_slots(shown, fixed, view, anchors)
            if positions is not None:
                return shown, positions
        if not leaving or not swap:
            return None
        named = named - {leaving.pop(0)}
        tries = [named]


def wall_layout(
    graph: nx.MultiDiGraph,
    lang: str,
    view: WallView,
    previous: dict[str, tuple[float, float]] | None = None,
    favoured: Sequence[str] = (),
    protected: Collection[str] = (),
) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
    """The map a wall shows and its positions: every actor named while its names can be drawn
    ``view.smallest`` pixels high at least; past that, the actors who bring the least are
    counted, one node per category ("Habitants : 12 autres"), and the others keep their names.
    The centre, the activities and the ``protected`` actors (a workshop's: both ends of the
    flows the room added, its accepted and merged proposals) are never counted; the
    ``favoured`` ones are named next (the room's own, the latest first). Given the positions the
    wall showed last, its nodes stay where the room saw them and the new ones take free room
    (``_wall_kept``); the map is laid out again only when its names would fall below
    ``view.smallest``."""
    target = view.smallest * WALL_SIZE_MARGIN
    protected = set(protected) & set(graph)
    ranked = _wall_ranking(graph, favoured, protected)
    previous = {n: p for n, p in (previous or {}).items() if n in graph or n.startswith(WALL_OTHERS)}
    if previous:  # every name kept where the room saw it, the new ones in free room
        kept = _wall_kept(graph, lang, view, previous, ranked, protected, swap=False)
        if kept is not None:
            return kept
    base = layout(graph)  # the force layout's order, which the rows keep

    def arranged(
        kept: int, reserve: int = 0, packed: bool = True
    ) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
        shown = _wall_shown(graph, lang, ranked, set(ranked[:kept]))
        named = {n for n in shown if n in graph}
        where = {n: base[n] for n in shown if n in base}
        for group in shown:  # a category's count where its actors were
            if group not in where:
                members = [
                    base[n]
                    for n, d in graph.nodes(data=True)
                    if is_actor_node(d) and n not in named and f"{WALL_OTHERS}{d.get('category', 'autre')}" == group
                ]
                where[group] = tuple(sum(axis) / len(members) for axis in zip(*members)) if members else (0.0, 0.0)
        return shown, wall_rows(shown, where, view, reserve, packed)

    def size(shown: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> float:
        return drawn_label_px(shown, positions, view.width, view.height)

    # Every name, with free cells for the room's next actors while the frame has room for
    # them (the map is then not laid out again for each of them): the most free cells, in the
    # force layout's order or else with the labels packed by height.
    shown, positions = arranged(len(ranked), 0, True)  # the most compact: when not, none
    if size(shown, positions) >= target:
        for reserve in dict.fromkeys((max(WALL_RESERVE, math.ceil(len(ranked) / 5)), WALL_RESERVE, 1, 0)):
            for packed in (False, True):
                candidate = arranged(len(ranked), reserve, packed)
                if size(*candidate) >= target:
                    return candidate
        return shown, positions
    if previous:  # the room's actors named, the least-contributing others counted, none moving
        kept = _wall_kept(graph, lang, view, previous, ranked, protected, swap=True)
        if kept is not None:
            return kept
    if size(shown, positions) < target:
        # The most actors named with names large enough (fewer names, larger: one search); the
        # protected ones always.
        low, high = len([n for n in ranked if n in protected]), len(ranked) - 1
        shown, positions = arranged(low)
        while low < high:
            middle = (low + high + 1) // 2
            candidate = arranged(middle)
            if size(*candidate) >= target:
                low = middle
                shown, positions = candidate
            else:
                high = middle - 1
    return shown, positions


def group_graph(graph: nx.MultiDiGraph, lang: str, keep: set[str] | None = None) -> nx.MultiDiGraph:
    """Actors grouped by category (and activities by type when there are many): one node per
    group, one edge per pair of groups and nature, carrying the sum of values and the count.

    Given ``keep`` (a wall's named actors), only the other actors are grouped, each category's
    into one node that counts them; the centre and the activities stay as they are."""
    lang = language(lang).code
    centre = graph.graph["centre"]
    activities = [n for n, d in graph.nodes(data=True) if is_activity_node(d)]
    group_activities = len(activities) > 60 and keep is None

    def group_of(node: str) -> str:
        data = graph.nodes[node]
        if node == centre:
            return node
        if keep is not None and (node in keep or not is_actor_node(data)):
            return node
        if keep is not None:
            return f"{WALL_OTHERS}{data.get('category', 'autre')}"
        if is_activity_node(data):
            return f"activities:{data['type']}" if group_activities else node
        return f"category:{data['category']}"

    grouped = nx.MultiDiGraph(**graph.graph)
    members: dict[str, list[str]] = defaultdict(list)
    for node in graph:
        members[group_of(node)].append(node)
    for group, nodes in members.items():
        first = graph.nodes[nodes[0]]
        if group.startswith(WALL_OTHERS):
            category = group.split(":", 1)[1]
            grouped.add_node(
                group,
                kind=ACTOR,
                category=category,
                grouped=len(nodes),
                name=say("wall", "others", lang, category=CATEGORIES.short(category, lang), count=len(nodes)),
                description=", ".join(sorted(str(graph.nodes[n].get("name", n)) for n in nodes)),
            )
        elif len(nodes) == 1 and not group.startswith("category:"):
            grouped.add_node(group, **first)
        elif group.startswith("category:"):
            category = group.split(":", 1)[1]
            grouped.add_node(
                group,
                kind=ACTOR,
                category=category,
                grouped=len(nodes),
                name=f"{CATEGORIES.short(category, lang)} ({len(nodes)})",
            )
        else:
            kind = group.split(":", 1)[1]
            grouped.add_node(
                group,
                kind=ACTIVITY,
                type=kind,
                grouped=len(nodes),
                lead=centre,
                domains=(),
                name=f"{ACTIVITY_TYPES.short(kind, lang)} ({len(nodes)})",
            )
    totals: dict[tuple[str, str, str], dict] = {}
    for source, target, data in graph.edges(data=True):
        key = (group_of(source), group_of(target), data["nature"])
        if key[0] == key[1]:
            continue
        entry = totals.setdefault(key, {"value": 0.0, "count": 0, "tangible": data["tangible"]})
        entry["value"] += data["value"] or 0.0
        entry["count"] += 1
    for (source, target, nature), entry in totals.items():
        grouped.add_edge(
            source,
            target,
            nature=nature,
            value=entry["value"] or None,
            quantity=entry["count"],
            unit=say("map", "flows", lang),
            tangible=entry["tangible"],
            domains=(),
            grouped=entry["count"],
        )
    return grouped


def _short(text: str, presentation: bool = False) -> str:
    """A node's label: on a page, one line cut past ``LABEL_LENGTH``; on a wall,
    ``WALL_MAX_LINES`` lines at most (``_wall_lines``)."""
    if presentation:
        return "\n".join(_wall_lines(text))
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def _wall_lines(text: str) -> list[str]:
    """A name on a wall: lines of ``WALL_LINE_LENGTH`` letters, wider lines for a long name
    rather than more than ``WALL_MAX_LINES`` of them; cut only past that (120 letters)."""
    import textwrap

    # Spaces only: a non-breaking space (before a French colon) keeps its words together.
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    for width in range(WALL_LINE_LENGTH, WALL_WIDEST_LINE + 1):
        lines = textwrap.wrap(text, width, break_long_words=False) or [""]
        if len(lines) <= WALL_MAX_LINES and max(len(line) for line in lines) <= WALL_WIDEST_LINE:
            return lines
    lines = textwrap.wrap(text, WALL_WIDEST_LINE, break_long_words=True)
    if len(lines) > WALL_MAX_LINES:
        rest = " ".join(lines[WALL_MAX_LINES - 1 :])
        lines = [*lines[: WALL_MAX_LINES - 1], rest[: WALL_WIDEST_LINE - 1].rstrip() + "…"]
    return lines


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return "?"
    return say_list("yes_no", "words", lang)[0 if value else 1]


def _node_tooltip(data: dict, received: float, given: float, lang: str) -> str:
    lines = [data["name"]]
    if is_activity_node(data):
        lines.append(f"{say('map', 'type', lang)}: {ACTIVITY_TYPES.short(data.get('type', 'principale'), lang)}")
        if data.get("domains"):
            lines.append(f"{say('map', 'domains', lang)}: " + ", ".join(domain_label(d, lang) for d in data["domains"]))
        lines.append(f"{say('map', 'resources', lang)}: {fmt.money(received, lang)}")
    else:
        lines.append(f"{say('map', 'category', lang)}: {CATEGORIES.short(data.get('category', 'autre'), lang)}")
        for key in ("town", "count"):
            if data.get(key) is not None:
                value = fmt.number(data[key], lang, 0) if key == "count" else data[key]
                lines.append(f"{say('map', key, lang)}: {value}")
        if "local" in data:
            lines.append(f"{say('map', 'local', lang)}: {_yes_no(data.get('local'), lang)}")
        if given:
            lines.append(f"{say('map', 'contribution', lang)}: {fmt.money(given, lang)}")
        if data.get("tags"):
            lines.append(f"{say('map', 'tags', lang)}: " + ", ".join(data["tags"]))
    if data.get("description"):
        lines.append(f"{say('map', 'description', lang)}: {data['description']}")
    for key, value in (data.get("extras") or {}).items():
        lines.append(f"{key}: {value}")
    return "\n".join(str(line) for line in lines)


def _edge_tooltip(graph: nx.MultiDiGraph, source: str, target: str, data: dict, lang: str) -> str:
    lines = [
        f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}",
        f"{say('map', 'nature', lang)}: {NATURES.short(data['nature'], lang)}",
    ]
    if data.get("quantity") is not None:
        lines.append(
            f"{say('map', 'quantity', lang)}: {fmt.number(data['quantity'], lang)} {unit_label(data.get('unit'), lang)}".rstrip()
        )
    if data.get("value") is not None:
        lines.append(f"{say('map', 'value', lang)}: {fmt.money(data['value'], lang)}")
    if data.get("domains"):
        lines.append(f"{say('map', 'domains', lang)}: " + ", ".join(domain_label(d, lang) for d in data["domains"]))
    lines.append(f"{say('map', 'tangible', lang)}: {_yes_no(data.get('tangible'), lang)}")
    for key in ("data_source", "year", "description"):
        if data.get(key) is not None:
            lines.append(f"{say('map', key, lang)}: {data[key]}")
    for key, value in (data.get("extras") or {}).items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines)


def _node_weights(graph: nx.MultiDiGraph) -> tuple[dict[str, float], dict[str, float], float]:
    """What each actor gives, what each node receives, and the largest of them (sizes scale on it)."""
    given = (
        {c.actor: c.value for c in contributions(graph)}
        if not any(d.get("grouped") for _, d in graph.nodes(data=True))
        else {}
    )
    received: dict[str, float] = defaultdict(float)
    sent: dict[str, float] = defaultdict(float)
    for source, target, data in graph.edges(data=True):
        received[target] += data.get("value") or 0.0
        sent[source] += data.get("value") or 0.0
    if not given:
        given = dict(sent)
    return given, received, max([*given.values(), *received.values(), 1.0])


def _node_size(
    graph: nx.MultiDiGraph, node: str, given: dict[str, float], received: dict[str, float], largest: float
) -> float:
    data = graph.nodes[node]
    if is_activity_node(data):
        return 18 + 22 * math.sqrt(received.get(node, 0.0) / largest)
    if node == graph.graph.get("centre"):
        return 46
    return 12 + 34 * math.sqrt(given.get(node, 0.0) / largest)


def font_size(presentation: bool) -> int:
    """The labels' size in the map's own units (the map is then zoomed to fit its frame)."""
    return 46 if presentation else 18


def build_network(
    graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]], lang: str, presentation: bool = False
) -> Network:
    """The pyvis ``Network`` of the graph: nodes coloured by category, activities as boxes,
    size by contribution; edges coloured by nature, width by value, dashed when intangible."""
    lang = language(lang).code
    centre = graph.graph["centre"]
    given, received, largest = _node_weights(graph)
    network = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    for node, data in graph.nodes(data=True):
        x, y = positions.get(node, (0.0, 0.0))
        size = _node_size(graph, node, given, received, largest)
        if is_activity_node(data):
            kind = data.get("type", "principale")
            weight = received.get(node, 0.0)
            options = dict(
                shape="box" if kind == "principale" else "hexagon",
                color={"background": ACTIVITY_COLOURS[kind], "border": ACTIVITY_BORDER},
                borderWidth=2,
                size=size,
            )
        else:
            weight = given.get(node, 0.0)
            options = dict(
                shape="dot",
                color=CATEGORY_COLOURS.get(data.get("category"), "#999999"),
                size=size,
                borderWidth=3 if node == centre else 1,
            )
        change = data.get("change")
        title = _node_tooltip(data, received.get(node, 0.0), weight, lang)
        if change == NEW:
            # New this year: a thick green ring.
            options["borderWidth"] = 7
            fill = options["color"]
            options["color"] = {
                "background": str(fill["background"] if isinstance(fill, dict) else fill),
                "border": NEW_COLOUR,
            }
            title = f"{say('map', 'change_new_node', lang)}\n{title}"
        elif change == LOST:
            options["color"] = {"background": "#eeeeee", "border": "#bbbbbb"}
            options["opacity"] = 0.45
            title = f"{say('map', 'change_lost_node', lang)}\n{title}"
        label = _short(str(data["name"]), presentation)
        if change == NEW:
            label = f"★ {label}"  # read from the back of the room, whatever the node's colour
        network.add_node(
            node,
            label=label,
            title=title,
            x=x,
            y=y,
            font={
                "size": font_size(presentation),
                "face": "DejaVu Sans, Arial, sans-serif",
                **({"color": "#8a8a8a"} if change == LOST else {}),
                # On a wall, a name over a link stays readable from the back of the room.
                **({"background": "rgba(255, 255, 255, 0.8)"} if presentation else {}),
            },
            **options,
        )
    largest_change = max([_edge_change(d) for _, _, d in graph.edges(data=True) if "change" in d] or [0.0]) or 1.0
    for source, target, data in graph.edges(data=True):
        value = data.get("value") or 0.0
        colour = NATURE_COLOURS.get(data["nature"], "#999999")
        width = 1 + 9 * math.sqrt(value / largest) if value else 1
        title = _edge_tooltip(graph, source, target, data, lang)
        change = data.get("change")
        if change is not None:
            # Over the years: the width says how much the link changed, a lost link is faded.
            moved = _edge_change(data)
            width = 1 + 9 * math.sqrt(moved / largest_change) if moved else 1
            title = _change_tooltip(graph, source, target, data, lang)
        if change == LOST:
            edge_colour: object = {"color": "#9e9e9e", "opacity": 0.35}
        elif data.get("evidence") == "estime" or data.get("estimated"):
            # An estimated value is drawn faded: a reader sees at once what rests on a guess.
            edge_colour = {"color": colour, "opacity": 0.4}
        else:
            edge_colour = colour
        network.add_edge(
            source,
            target,
            title=title,
            color=edge_colour,
            width=width,
            dashes=[2, 8] if change == LOST else not data.get("tangible", True),
            arrows="to",
            smooth={"type": "continuous"},
        )
    network.set_options(_options_json(presentation))
    return network


def _edge_change(data: dict) -> float:
    """How much a link changed, in its measure (value, else hours, else quantity)."""
    return abs((data.get("measure") or 0.0) - (data.get("measure_before") or 0.0))


def _change_tooltip(graph: nx.MultiDiGraph, source: str, target: str, data: dict, lang: str) -> str:
    """A link over the years: its nature, its value last year and this year, what happened."""
    lines = [
        f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}",
        f"{say('map', 'nature', lang)}: {NATURES.short(data['nature'], lang)}",
        say("map", f"change_{data['change']}", lang),
    ]

    def measured(value: float) -> str:
        if data.get("value") or data.get("value_before"):
            return fmt.money(value, lang)
        if data.get("hours"):
            return f"{fmt.number(value, lang, 1)} h"
        return fmt.number(value, lang)

    lines.append(
        say(
            "map",
            "change_values",
            lang,
            before=measured(data.get("measure_before") or 0.0),
            now=measured(data.get("measure") or 0.0),
        )
    )
    if data.get("estimated"):
        lines.append(say("map", "estimated_flow", lang))
    return "\n".join(lines)


def _options_json(presentation: bool) -> str:
    return """{
      "physics": {"enabled": false, "solver": "forceAtlas2Based", "stabilization": {"iterations": 150}},
      "interaction": {"hover": true, "tooltipDelay": 120, "navigationButtons": %s, "keyboard": true,
                      "multiselect": false},
      "edges": {"arrowStrikethrough": false, "selectionWidth": 2},
      "nodes": {"shadow": false}
    }""" % ("false" if presentation else "true")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    script = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    style = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    # Inlined inside <script>: a literal "</script" in the library would end the element;
    # the source-map comment would name a file that is not there.
    script = re.sub(r"//# sourceMappingURL=\S+", "", script)
    return script.replace("</script", "<\\/script"), style


_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{{ title }}</title>
<style>{{ vis_css|safe }}</style>
<style>
  html, body { margin: 0; padding: 0; height: 100%; font-family: "DejaVu Sans", Arial, sans-serif; background: #fff; }
  #wrap { display: flex; flex-direction: column; height: 100%; }
  #legend { display: flex; flex-wrap: wrap; gap: 6px 14px; padding: 6px 10px; font-size: {{ legend_size }}px; border-bottom: 1px solid #ddd; align-items: center; }
  .item { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
  .dot { width: 14px; height: 14px; border-radius: 50%; display: inline-block; border: 1px solid #333; }
  .box { width: 18px; height: 12px; display: inline-block; border: 2px solid #333; }
  .line { width: 26px; height: 0; display: inline-block; border-top: 4px solid; }
  .dashed { border-top-style: dashed; }
  #controls { margin-left: auto; display: flex; gap: 6px; }
  button { font-size: {{ legend_size }}px; padding: 3px 10px; border: 1px solid #888; background: #f6f6f6; border-radius: 4px; cursor: pointer; }
  #years { display: flex; gap: 6px; flex-wrap: wrap; }
  /* A phone: the legend scrolls in a band, the map keeps most of the frame. */
  @media (max-width: 600px) { #legend { max-height: 132px; overflow-y: auto; } }
  button.year[aria-pressed="true"] { background: #1f4e79; color: #fff; border-color: #1f4e79; }
  #note { padding: 4px 10px; background: #fff4d6; font-size: {{ legend_size }}px; }
  #map { flex: 1; min-height: 300px; }
  #legend[hidden] { display: none; }
  div.vis-tooltip { white-space: pre-line; font-size: {{ legend_size }}px; max-width: 480px; }
  {% if legend_beside %}
  /* On a wall: the legend in a column beside the map, which keeps the whole height. */
  #wrap { flex-direction: row-reverse; }
  #legend { flex-direction: column; flex-wrap: nowrap; align-items: flex-start; width: 340px; border-bottom: none; gap: 2px;
            border-left: 1px solid #ddd; overflow-y: auto; }
  #controls { margin-left: 0; margin-top: auto; }
  {% endif %}
</style>
</head>
<body>
<div id="wrap">
  <div id="legend"{% if not legend %} hidden{% endif %}>
    {% if frames|length > 1 or changes %}<strong>{{ say("map", "legend_changes", lang) }}</strong>
    <span class="item"><span class="dot" style="background: #fff; border: 4px solid {{ new_colour }}"></span>★ {{ say("map", "change_new_legend", lang) }}</span>
    <span class="item"><span class="dot" style="background: #eee; border-color: #bbb; opacity: 0.5"></span>{{ say("map", "change_lost_legend", lang) }}</span>
    <span class="item"><span class="line" style="border-color: #555; border-top-width: 8px"></span>{{ say("map", "change_width_legend", lang) }}</span>{% endif %}
    <strong>{{ say("map", "legend_nodes", lang) }}</strong>
    {% for item in categories %}<span class="item"><span class="dot" style="background: {{ item.colour }}"></span>{{ item.label }}</span>{% endfor %}
    <span class="item"><span class="box" style="background: #fff"></span>{{ say("map", "activity", lang) }}</span>
    <span class="item"><span class="box" style="background: #e3e3e3; border-radius: 6px"></span>{{ say("map", "support", lang) }}</span>
    <strong>{{ say("map", "legend_edges", lang) }}</strong>
    {% for item in natures %}<span class="item"><span class="line" style="border-color: {{ item.colour }}"></span>{{ item.label }}</span>{% endfor %}
    <span class="item"><span class="line dashed" style="border-color: #555"></span>{{ say("map", "intangible", lang) }}</span>
    {% if estimated %}<span class="item"><span class="line" style="border-color: #555; opacity: 0.4"></span>{{ say("map", "estimated_legend", lang) }}</span>{% endif %}
    {% if controls %}<span id="controls"><button id="physics" type="button">{{ say("map", "physics_on", lang) }}</button><button id="fit" type="button">{{ say("map", "fit", lang) }}</button></span>{% endif %}
    {% if frames|length > 1 %}<span id="years">{% for frame in frames %}<button type="button" class="year" data-index="{{ loop.index0 }}">{{ frame.label }}</button>{% endfor %}<button id="replay" type="button">▶ {{ say("map", "replay", lang) }}</button></span>{% endif %}
  </div>
  {% if note %}<div id="note">{{ note }}</div>{% endif %}
  <div id="map"></div>
</div>
<script>{{ vis_js|safe }}</script>
<script>
  // One frame per year on the Évolution page (nodes keep their place), one frame otherwise.
  var frames = {{ frames|tojson }};
  var shown = {{ start }};
  var nodes = new vis.DataSet(frames[shown].nodes);
  var edges = new vis.DataSet(frames[shown].edges);
  document.body.dataset.year = frames[shown].label;
  var options = {{ options|tojson }};
  var started = performance.now();
  var network = new vis.Network(document.getElementById("map"), {nodes: nodes, edges: edges}, options);
  network.fit({animation: false});
  // What a reader sees, for the checks of the wall: the labels' size on the screen (their
  // size in the map's units times the zoom), and how much of its frame the map fills.
  function measure() {
    var scale = network.getScale();
    var fonts = nodes.get().map(function (n) { return (n.font && n.font.size) || 14; });
    var ids = nodes.getIds(), boxes = ids.map(function (id) { return network.getBoundingBox(id); });
    var left = Math.min.apply(null, boxes.map(function (b) { return b.left; }));
    var right = Math.max.apply(null, boxes.map(function (b) { return b.right; }));
    var top = Math.min.apply(null, boxes.map(function (b) { return b.top; }));
    var bottom = Math.max.apply(null, boxes.map(function (b) { return b.bottom; }));
    var frame = document.getElementById("map");
    document.body.dataset.labelPx = String(Math.round(Math.min.apply(null, fonts) * scale));
    // Two nodes whose boxes (the shape and its label) cross by more than 2 px each way: a
    // label drawn over another node or label.
    var overlaps = [];
    for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i], b = boxes[j];
      if ((Math.min(a.right, b.right) - Math.max(a.left, b.left)) * scale > 2
          && (Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)) * scale > 2) overlaps.push(ids[i] + " / " + ids[j]);
    }
    document.body.dataset.overlaps = JSON.stringify(overlaps);
    document.body.dataset.cutNames = String(nodes.get().filter(function (n) { return String(n.label || "").indexOf("\u2026") >= 0; }).length);
    document.body.dataset.fill = String(Math.max((right - left) * scale / frame.clientWidth,
                                                 (bottom - top) * scale / frame.clientHeight).toFixed(2));
  }
  network.once("afterDrawing", function () {
    setTimeout(function () { network.fit({animation: false}); measure(); document.body.dataset.measured = "yes"; }, 0);
    document.body.dataset.drawn = "yes";
    document.body.dataset.drawMs = String(Math.round(performance.now() - started));
    document.body.dataset.nodes = String(nodes.length);
  });
  function show(index) {
    shown = index;
    nodes.clear(); edges.clear();
    nodes.add(frames[index].nodes); edges.add(frames[index].edges);
    document.querySelectorAll("button.year").forEach(function (b) {
      b.setAttribute("aria-pressed", String(Number(b.dataset.index) === index));
    });
    document.body.dataset.year = frames[index].label;
  }
  document.querySelectorAll("button.year").forEach(function (b) {
    b.addEventListener("click", function () { show(Number(b.dataset.index)); });
  });
  var replay = document.getElementById("replay");
  if (replay) {
    show(shown);
    // The years one after another, from the first, a few seconds each, then it stops on the last.
    replay.addEventListener("click", function () {
      var next = 0;
      show(next);
      var timer = setInterval(function () {
        next += 1;
        if (next >= frames.length) { clearInterval(timer); return; }
        show(next);
      }, {{ replay_ms }});
    });
  }
  var moving = false;
  var physicsButton = document.getElementById("physics");
  if (physicsButton) {
    physicsButton.addEventListener("click", function () {
      moving = !moving;
      network.setOptions({physics: {enabled: moving}});
      physicsButton.textContent = moving ? {{ say("map", "physics_off", lang)|tojson }} : {{ say("map", "physics_on", lang)|tojson }};
    });
    document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  }
</script>
</body>
</html>
""")


def map_html(
    graph: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]] | None = None,
    lang: str = "fr",
    presentation: bool = False,
    title: str | None = None,
    controls: bool = True,
    legend: bool = True,
) -> str:
    """A self-contained HTML page of the map: opens offline, from a USB stick if need be.

    Graphs larger than ``MAX_MAP_NODES`` are grouped (by category, activities by type)."""
    lang = language(lang).code
    note = None
    if graph.number_of_nodes() > MAX_MAP_NODES:
        note = say("map", "grouped", lang, count=graph.number_of_nodes())
        graph = group_graph(graph, lang)
        positions = None
    if positions is None:
        positions = readable_layout(graph, presentation=presentation)
    return _render(
        [("", graph, positions)],
        lang,
        presentation,
        title or graph.graph.get("name", ""),
        controls,
        note,
        legend=legend,
    )


def _render(
    frames: list[tuple[str, nx.MultiDiGraph, dict[str, tuple[float, float]]]],
    lang: str,
    presentation: bool,
    title: str,
    controls: bool,
    note: str | None = None,
    start: int | None = None,
    legend: bool = True,
) -> str:
    """The map's page for one or several frames (label, graph, positions); ``legend`` off: the
    map alone, on the whole frame (a wall whose facilitator hid it)."""
    built = []
    for label, graph, positions in frames:
        network = build_network(graph, positions, lang, presentation)
        built.append({"label": label, "nodes": network.nodes, "edges": network.edges, "options": network.options})
    graphs = [graph for _, graph, _ in frames]
    present_categories = {d.get("category") for g in graphs for _, d in g.nodes(data=True) if is_actor_node(d)}
    present_natures = {d["nature"] for g in graphs for _, _, d in g.edges(data=True)}
    estimated = any(
        d.get("evidence") == "estime" or d.get("estimated") for g in graphs for _, _, d in g.edges(data=True)
    )
    changes = any("change" in d for g in graphs for _, d in g.nodes(data=True))
    script, style = _vis_assets()
    return _TEMPLATE.render(
        lang=lang,
        title=title,
        vis_js=script,
        vis_css=style,
        frames=[{"label": f["label"], "nodes": f["nodes"], "edges": f["edges"]} for f in built],
        start=len(built) - 1 if start is None else start,
        replay_ms=REPLAY_MS,
        options=built[0]["options"],
        say=say,
        estimated=estimated,
        changes=changes,
        new_colour=NEW_COLOUR,
        categories=[
            {"colour": CATEGORY_COLOURS[c], "label": CATEGORIES.short(c, lang)}
            for c in CATEGORIES.codes
            if c in present_categories
        ],
        natures=[
            {"colour": NATURE_COLOURS[n], "label": NATURES.short(n, lang)}
            for n in NATURES.codes
            if n in present_natures
        ],
        legend_size=24 if presentation else 13,
        note=note,
        controls=controls,
        legend=legend,
        legend_beside=presentation,
    )


def evolution_map_html(
    evolution,
    lang: str = "fr",
    presentation: bool = False,
    title: str = "",
    start: int | None = None,
    only: int | None = None,
    portrait: bool = False,
) -> str:
    """The Évolution page's map (``evolution.Evolution``): one frame per year, each year's chain
    with its changes since the year before, every node at one place for all the years (one
    layout of every year's nodes on their identities, ``evolution.identities``), a button per
    year and a replay. ``only`` (a year's index): that year's frame alone, at the same places,
    with no year button of its own: the page's one year control chooses it (issue 34.9).
    ``portrait``: a phone's frame, taller than wide: a wide layout is turned a quarter, its
    labels then pulled apart, so that the chain fills the narrow screen instead of a thin band."""
    from valuechain.chain.evolution import identities, union_graph

    lang = language(lang).code
    named = identities(evolution.graphs, evolution.matches)
    union = union_graph(evolution.graphs, named)
    placed = readable_layout(union, presentation=presentation)
    if portrait and placed:
        xs, ys = [x for x, _ in placed.values()], [y for _, y in placed.values()]
        if max(xs) - min(xs) > max(ys) - min(ys):
            placed = separate_labels(union, {node: (y, x) for node, (x, y) in placed.items()}, presentation)
    frames = []
    for index, year in enumerate(evolution.years):
        graph = evolution.changes(year)
        identity, before = named[index], named[index - 1] if index else {}
        positions = {}
        for node in graph:
            if node.startswith(LOST_PREFIX):
                positions[node] = placed.get(before.get(node[len(LOST_PREFIX) :], ""), (0.0, 0.0))
            else:
                positions[node] = placed.get(identity.get(node, node), (0.0, 0.0))
        frames.append((str(year), graph, positions))
    if only is not None:
        frames, start = [frames[only]], 0
    return _render(frames, lang, presentation, title, controls=not presentation, start=start)

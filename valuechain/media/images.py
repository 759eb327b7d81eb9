"""The map and the charts as PNG images (matplotlib, offline), for the PDF report and downloads.

Same data, colours and names as the interactive versions; names are drawn as plain text
(matplotlib's mathtext is switched off for them, so ``$`` in a name stays a dollar).

Each image is its own ``Figure`` with its own Agg canvas (matplotlib's object API): no
pyplot, whose global figure registry is not safe in the dashboard's worker threads (two
users exporting at once broke it, and a figure was never freed).
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")  # no screen: render to files

import networkx as nx  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrowPatch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from valuechain.chain.graph import is_activity_node  # noqa: E402
from valuechain.chain.metrics import Contribution  # noqa: E402
from valuechain.media import formatting as fmt  # noqa: E402
from valuechain.media.charts import (
    SMALL_SLICE,  # noqa: E402  (one rule for the page's donut and the printed one)
    sankey_links,  # noqa: E402
)
from valuechain.media.mapview import MAX_MAP_NODES, group_graph, layout  # noqa: E402
from valuechain.media.palette import ACTIVITY_COLOURS, CATEGORY_COLOURS, DOMAIN_COLOURS, NATURE_COLOURS  # noqa: E402
from valuechain.media.tables import CHART_TOP, top_contributions  # noqa: E402
from valuechain.vocabulary import (  # noqa: E402
    CATEGORIES,
    DOMAINS,
    NATURES,
    UNIT_EUR,
    UNSPECIFIED_DOMAIN,
    domain_label,  # noqa: E402
)
from valuechain.words.language import language  # noqa: E402
from valuechain.words.messages import figure_name, say  # noqa: E402

matplotlib.rcParams.update(
    {"font.family": "DejaVu Sans", "font.size": 10, "text.parse_math": False, "svg.fonttype": "none"}
)


def _subplots(figsize: tuple[float, float]):
    """A figure of its own, with its own canvas, and its axes."""
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _short(text: str, length: int = 28) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _two_lines(text: str, width: int = 20) -> str:
    """A name on at most two lines, cut between words: whole where two lines hold it."""
    import textwrap

    lines = textwrap.wrap(str(text), width, break_long_words=True, break_on_hyphens=False) or [""]
    return "\n".join(lines[:1] + [_short(" ".join(lines[1:]), width)]) if len(lines) > 1 else lines[0]


def _spread(positions: dict[str, tuple[float, float]], power: float = 0.6) -> dict[str, tuple[float, float]]:
    """The force layout's positions with its crowded middle opened up for a printed page: each
    point's distance to the middle raised to ``power`` (the far ones come closer, the near
    ones move out), its direction kept. A few actors far away no longer squeeze the others
    into the page's middle."""
    if len(positions) < 3:
        return positions
    cx = sum(x for x, _ in positions.values()) / len(positions)
    cy = sum(y for _, y in positions.values()) / len(positions)
    far = max(math.hypot(x - cx, y - cy) for x, y in positions.values()) or 1.0
    spread = {}
    for node, (x, y) in positions.items():
        distance = math.hypot(x - cx, y - cy)
        scale = far * (distance / far) ** power / distance if distance else 0.0
        spread[node] = (cx + (x - cx) * scale, cy + (y - cy) * scale)
    return spread


# Past this many flows, edges are drawn as one collection of lines, without arrow heads:
# thousands of arrow patches take minutes and make a grey fog anyway.
MANY_EDGES = 600


def map_png(
    graph: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]] | None,
    lang: str,
    width: float = 11.0,
    height: float = 7.5,
) -> bytes:
    """The map as a picture: same colours, shapes and layout as the interactive map, grouped
    by category past what a page can show (as the interactive map is)."""
    lang = language(lang).code
    if graph.number_of_nodes() > MAX_MAP_NODES:
        graph, positions = group_graph(graph, lang), None
    if positions is None:
        positions = _spread(layout(graph))
    figure, axes = _subplots((width, height))
    axes.set_axis_off()
    if graph.number_of_nodes() == 0:
        axes.text(0.5, 0.5, say("chart", "no_data", lang), ha="center")
        return _png(figure)
    given: dict[str, float] = {}
    for source, _target, data in graph.edges(data=True):
        given[source] = given.get(source, 0.0) + (data.get("value") or 0.0)
    largest = max([*given.values(), 1.0])
    if graph.number_of_edges() > MANY_EDGES:
        segments, colours, widths = [], [], []
        for source, target, data in graph.edges(data=True):
            (x1, y1), (x2, y2) = positions[source], positions[target]
            segments.append([(x1, -y1), (x2, -y2)])
            colours.append(NATURE_COLOURS.get(data["nature"], "#999"))
            widths.append(0.3 + 3 * math.sqrt((data.get("value") or 0.0) / largest))
        axes.add_collection(LineCollection(segments, colors=colours, linewidths=widths, alpha=0.35))
    else:
        for source, target, data in graph.edges(data=True):
            (x1, y1), (x2, y2) = positions[source], positions[target]
            value = data.get("value") or 0.0
            axes.add_patch(
                FancyArrowPatch(
                    (x1, -y1),
                    (x2, -y2),
                    arrowstyle="-|>",
                    mutation_scale=9,
                    shrinkA=9,
                    shrinkB=9,
                    linewidth=0.6 + 4 * math.sqrt(value / largest),
                    color=NATURE_COLOURS.get(data["nature"], "#999"),
                    linestyle="--" if not data.get("tangible", True) else "-",
                    alpha=0.8,
                    connectionstyle="arc3,rad=0.08",
                )
            )
    centre = graph.graph.get("centre")
    names, boxes = [], []  # the actors' names (moved apart once drawn), the activities' boxes
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        if is_activity_node(data):
            boxes.append(
                axes.text(
                    x,
                    -y,
                    _two_lines(data["name"]),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    bbox=dict(
                        boxstyle="round,pad=0.3" if data.get("type") == "support" else "square,pad=0.3",
                        facecolor=ACTIVITY_COLOURS.get(data.get("type"), "#fff"),
                        edgecolor="#333",
                    ),
                    zorder=3,
                )
            )
        else:
            size = 380 if node == centre else 60 + 260 * math.sqrt(given.get(node, 0.0) / largest)
            axes.scatter(
                [x],
                [-y],
                s=size,
                color=CATEGORY_COLOURS.get(data.get("category"), "#999"),
                edgecolors="#333",
                linewidths=0.6,
                zorder=2,
            )
            label = axes.text(
                x,
                -y - 22,
                _two_lines(data["name"]),
                ha="center",
                va="top",
                fontsize=7.5,
                linespacing=0.95,
                zorder=3,
                bbox=dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none", alpha=0.7),
            )
            names.append((0 if node == centre else -given.get(node, 0.0), label, (x, -y)))
    xs = [p[0] for p in positions.values()]
    ys = [-p[1] for p in positions.values()]
    axes.set_xlim(min(xs) - 80, max(xs) + 80)
    axes.set_ylim(min(ys) - 80, max(ys) + 60)
    if len(names) <= APART_AT_MOST:
        _apart(figure, axes, [(label, point) for _, label, point in sorted(names, key=lambda n: n[0])], boxes)
    present = [c for c in CATEGORIES.codes if any(d.get("category") == c for _, d in graph.nodes(data=True))]
    handles = [
        Line2D([], [], marker="o", linestyle="", color=CATEGORY_COLOURS[c], label=CATEGORIES.short(c, lang))
        for c in present
    ]
    natures = [n for n in NATURES.codes if any(d["nature"] == n for _, _, d in graph.edges(data=True))]
    handles += [Line2D([], [], color=NATURE_COLOURS[n], label=NATURES.short(n, lang)) for n in natures]
    columns = 5 if width >= 9 else 3
    axes.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=columns, fontsize=8, frameon=False
    )
    return _png(figure)


# Names moved apart up to this many (each is tried against those placed before it: beyond,
# seconds for names a page cannot hold apart anyway).
APART_AT_MOST = 200


def _apart(figure, axes, names: list, fixed: list) -> None:
    """Each actor's name where it falls on no name placed before it (the centre's and the
    largest contributors' first): moved down or up by steps of a part of its height, with a
    thin line to its point; left where it is when no step frees it (a crowded middle)."""
    renderer = figure.canvas.get_renderer()
    placed = [text.get_window_extent(renderer) for text in fixed]
    to_data = axes.transData.inverted()
    for label, (x, y) in names:
        box = label.get_window_extent(renderer)
        shift = 0.0
        for step in (0, 1, -1, 2, -2, 3, -3, 4, -4):
            moved = box.translated(0, -step * 0.6 * box.height)
            if not any(moved.overlaps(other) for other in placed):
                shift = -step * 0.6 * box.height
                break
        else:
            moved = box
        if shift:
            at = axes.transData.transform(label.get_position())
            new = to_data.transform((at[0], at[1] + shift))
            label.set_position((float(new[0]), float(new[1])))
            axes.plot([x, new[0]], [y, new[1]], color="#999999", linewidth=0.4, zorder=1)
        placed.append(moved)


def domains_png(value_by_domain: dict[str, float], lang: str) -> bytes:
    codes = list(DOMAINS.codes) + ([UNSPECIFIED_DOMAIN] if value_by_domain.get(UNSPECIFIED_DOMAIN) else [])
    values = [value_by_domain.get(c, 0.0) for c in codes]
    # Horizontal bars, as on the page: each domain's name level on one line (slanted under
    # columns, they fell on one another), the first domain on top, the axis in euros.
    figure, axes = _subplots((7, 0.55 * len(codes) + 1.2))
    bars = axes.barh(
        [domain_label(c, lang) for c in codes][::-1], values[::-1], color=[DOMAIN_COLOURS[c] for c in codes][::-1]
    )
    axes.bar_label(bars, labels=[fmt.money(v, lang, 0) for v in values[::-1]], fontsize=9, padding=3)
    axes.set_title(figure_name("value_by_domain", lang))
    axes.tick_params(axis="both", labelsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(values + [1.0]) * 1.25)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.xaxis.set_major_formatter(lambda v, _: fmt.money(v, lang, 0))
    axes.set_xlabel(say("chart", "value", lang), fontsize=9)
    return _png(figure)


def contributions_png(contributions: list[Contribution], lang: str, top: int = CHART_TOP) -> bytes:
    """The same bars as the dashboard's: the largest contributors, and the others as one bar."""
    listed, others, others_value = top_contributions(contributions, top)
    names = [_short(c.name, 36) for c in listed]
    values = [c.value for c in listed]
    colours = [CATEGORY_COLOURS.get(c.category, "#999") for c in listed]
    if others:
        names.append(say("chart", "others", lang, count=others))
        values.append(others_value)
        colours.append("#DDDDDD")
    figure, axes = _subplots((8, 0.4 * max(len(names), 3) + 1))
    if names:
        bars = axes.barh(names[::-1], values[::-1], color=colours[::-1])
        axes.bar_label(bars, labels=[fmt.money(v, lang, 0) for v in values[::-1]], fontsize=7, padding=2)
    axes.set_title(figure_name("contributions", lang))
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_major_formatter(lambda v, _: fmt.number(v, lang, 0))
    return _png(figure)


def categories_png(by_category: dict[str, float], lang: str) -> bytes:
    items = [(c, v) for c, v in by_category.items() if v > 0]
    figure, axes = _subplots((6, 3.6))
    if items:
        # The categories and their shares in a legend beside the ring: written around it, the
        # names of small slices fell on one another.
        total = sum(v for _, v in items)
        wedges, *_ = axes.pie(
            [v for _, v in items],
            colors=[CATEGORY_COLOURS[c] for c, _ in items],
            autopct=lambda p: fmt.percent(p / 100, lang, 0) if p / 100 >= SMALL_SLICE else "",
            pctdistance=0.78,
            wedgeprops=dict(width=0.45),
            textprops=dict(fontsize=7),
        )
        axes.legend(
            wedges,
            [f"{CATEGORIES.short(c, lang)} — {fmt.percent(v / total, lang, 1)}" for c, v in items],
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            fontsize=7,
            frameon=False,
        )
    axes.set_title(figure_name("evenness", lang))
    return _png(figure)


def chain_png(graph: nx.MultiDiGraph, lang: str, unit: str = UNIT_EUR) -> bytes:
    """The chain as a three-column flow diagram (contributors → activities → domains)."""
    links = sankey_links(graph, lang, unit, by="category")
    # Drawn about the size it is printed (a page's width), so that its names read at 7 points.
    figure, axes = _subplots((7.2, 5.6))
    axes.set_axis_off()
    if not links:
        axes.text(0.5, 0.5, say("chart", "no_data", lang), ha="center")
        return _png(figure)
    targets = {link.target for link in links}
    sources = {link.source for link in links}
    columns = [sorted(sources - targets), sorted(sources & targets), sorted(targets - sources)]
    totals: dict[str, float] = {}
    for link in links:
        totals[link.source] = totals.get(link.source, 0.0) + link.value
    for link in links:
        if link.target not in sources:
            totals[link.target] = totals.get(link.target, 0.0) + link.value
    grand = max(sum(totals[n] for n in column) for column in columns if column)
    gap = 0.02
    box: dict[str, list[float]] = {}
    # A name's height in the axes' units (the axes span about 90 % of the figure's 6.4 inches
    # over 1.07 units): names closer than that are moved apart, a thin line to their bar.
    size = 7.5
    line = 1.3 * size / 72 / (5.6 * 0.9) * 1.07
    for index, column in enumerate(columns):
        x = index * 0.37
        y = 1.0
        scale = (1 - gap * max(len(column) - 1, 0)) / grand
        placed: list[tuple[str, float]] = []
        for node in sorted(column, key=lambda n: -totals[n]):
            height = totals[node] * scale
            box[node] = [x, y - height, height, y]  # x, bottom, height, cursor for outgoing
            axes.add_patch(Rectangle((x, y - height), 0.02, height, color="#777"))
            placed.append((node, y - height / 2))
            y -= height + gap
        wanted = [middle for _, middle in placed]
        spread = list(wanted)
        for i in range(1, len(spread)):
            spread[i] = min(spread[i], spread[i - 1] - line)
        lowest = -0.04
        for i in range(len(spread) - 1, -1, -1):
            floor = lowest if i == len(spread) - 1 else spread[i + 1] + line
            spread[i] = max(spread[i], floor)
        # Every name on the right of its bar (the domains' too, past the last column): written
        # on its left, a domain's name fell on the activities' names.
        for (node, middle), at in zip(placed, spread):
            moved = abs(at - middle) > line / 3
            if moved:
                axes.plot([x + 0.02, x + 0.03], [middle, at], color="#999", linewidth=0.4)
            axes.text(
                x + (0.032 if moved else 0.025),
                at,
                f"{_short(node, 22 if index == 1 else 26)} ({fmt.money(totals[node], lang, 0)})",
                va="center",
                ha="left",
                fontsize=size,
                bbox=dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none", alpha=0.6),
                zorder=4,
            )
    incoming: dict[str, float] = {n: box[n][1] + box[n][2] for n in box}
    for link in sorted(links, key=lambda link: -link.value):
        x0, _, _, top0 = box[link.source]
        x1 = box[link.target][0]
        height = link.value * (1 - gap * max(len(columns[0]) - 1, 0)) / grand
        top1 = incoming[link.target]
        vertices = [
            (x0 + 0.02, top0),
            ((x0 + x1) / 2, top0),
            ((x0 + x1) / 2, top1),
            (x1, top1),
            (x1, top1 - height),
            ((x0 + x1) / 2, top1 - height),
            ((x0 + x1) / 2, top0 - height),
            (x0 + 0.02, top0 - height),
            (x0 + 0.02, top0),
        ]
        codes = [
            MplPath.MOVETO,
            MplPath.CURVE4,
            MplPath.CURVE4,
            MplPath.CURVE4,
            MplPath.LINETO,
            MplPath.CURVE4,
            MplPath.CURVE4,
            MplPath.CURVE4,
            MplPath.CLOSEPOLY,
        ]
        axes.add_patch(PathPatch(MplPath(vertices, codes), facecolor=link.colour, alpha=0.45, edgecolor="none"))
        box[link.source][3] -= height
        incoming[link.target] -= height
    axes.set_xlim(-0.02, 1.14)
    axes.set_ylim(-0.05, 1.02)
    title = say("chart", "chain_image_title", lang)
    axes.set_title(title)
    return _png(figure)

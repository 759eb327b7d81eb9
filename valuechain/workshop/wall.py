"""The wall: the workshop's map as the room sees it, its nodes kept where the room saw them (in
the store, for a reloaded wall, a second laptop and another app process)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from valuechain.store.schema import WORKSHOPS
from valuechain.workshop.base import WorkshopsBase

if TYPE_CHECKING:
    import networkx as nx

    from valuechain.chain.analysis import Analysis
    from valuechain.media.mapview import WallView

Positions = dict[str, tuple[float, float]]


class WallPart(WorkshopsBase):
    """The map's positions of each workshop, one set per mode ("wall", "screen")."""

    def layout(self, workshop_id: int, mode: str) -> Positions | None:
        with self.engine.connect() as connection:
            kept = connection.execute(sa.select(WORKSHOPS.c.layout).where(WORKSHOPS.c.id == workshop_id)).scalar()
        positions = (kept or {}).get(mode)
        return None if positions is None else {node: (x, y) for node, (x, y) in positions.items()}

    def save_layout(self, workshop_id: int, mode: str, positions: Positions) -> None:
        """Keep the wall's positions in the store: a reloaded wall, or a wall served by another
        process, places every node where the room saw it."""
        with self.engine.begin() as connection:
            kept = connection.execute(sa.select(WORKSHOPS.c.layout).where(WORKSHOPS.c.id == workshop_id)).scalar()
            layout = dict(kept or {})
            layout[mode] = {node: [x, y] for node, (x, y) in positions.items()}
            connection.execute(WORKSHOPS.update().where(WORKSHOPS.c.id == workshop_id).values(layout=layout))

    def wall_positions(
        self, workshop_id: int, graph: nx.MultiDiGraph, presentation: bool, save: bool = True
    ) -> Positions:
        """The map's positions in a workshop: the kept ones, and a node added live placed around
        the others, which do not move (kept too, when ``save``); none for a map too large to
        draw."""
        # Here, not above: the store's other users (access, the command line) need no map maker.
        from valuechain.media.mapview import MAX_MAP_NODES, readable_layout

        if graph.number_of_nodes() > MAX_MAP_NODES:
            return {}
        mode = "wall" if presentation else "screen"
        previous = self.layout(workshop_id, mode)
        if previous is not None and set(graph) <= set(previous):
            return previous
        positions = readable_layout(graph, previous, presentation=presentation, keep_placed=True)
        if save:
            self.save_layout(workshop_id, mode, {**(previous or {}), **positions})
        return positions

    def wall_view(
        self,
        workshop_id: int,
        graph: nx.MultiDiGraph,
        language: str,
        view: WallView,
        save: bool = True,
        favoured: Sequence[str] = (),
        start: nx.MultiDiGraph | None = None,
    ) -> tuple[nx.MultiDiGraph, Positions]:
        """A projected wall's map and its positions (``mapview.wall_layout``): as many actors
        named as its names can be drawn large enough, the others counted by category; the
        nodes the room saw stay where they were (kept in the store when ``save``), the new ones
        in free room, unless the map must be laid out again to keep its names readable. The
        ``favoured`` actors are named first (the room's own, the latest first); given the map
        the workshop opened on (``start``), what the room added is never counted
        (``room_protected``)."""
        from valuechain.media.mapview import MAX_MAP_NODES, wall_layout

        if graph.number_of_nodes() > MAX_MAP_NODES:
            return graph, {}
        mode = wall_mode(view)
        previous = self.layout(workshop_id, mode)
        protected = room_protected(start, graph) if start is not None else set(favoured)
        shown, positions = wall_layout(graph, language, view, previous, favoured, protected)
        if save and positions != previous:
            self.save_layout(workshop_id, mode, positions)
        return shown, positions


def wall_mode(view: WallView) -> str:
    """Where the store keeps a projected wall's positions: one set per frame and names' size. A
    wall whose facilitator hides the legend or asks for larger names is laid out for that frame
    (kept in a smaller one, it would leave the new room empty), and finds its former positions
    again when set back."""
    return f"wall {view.width}x{view.height} {view.smallest}px"


def room_protected(start: nx.MultiDiGraph, graph: nx.MultiDiGraph) -> set[str]:
    """The actors a wall never counts in its categories' nodes: those the room added, and both
    ends of every flow it added (an accepted proposal, one merged into a known actor: its
    target too), which the room looks for on the wall."""
    before: dict[tuple[str, str, str], int] = {}
    for source, target, data in start.edges(data=True):
        key = (source, target, str(data.get("nature")))
        before[key] = before.get(key, 0) + 1
    protected = {node for node in graph if node not in start}
    for source, target, data in graph.edges(data=True):
        key = (source, target, str(data.get("nature")))
        if before.get(key, 0) > 0:
            before[key] -= 1
        else:
            protected |= {source, target}
    return protected


@dataclass(frozen=True)
class WallMap:
    html: str
    actors: int  # the counters under the title
    flows: int
    counted: int = 0  # actors not named on the wall, counted with their category


def wall_map(
    analysis: Analysis,
    positions: Positions,
    language: str,
    presentation: bool,
    step: int | None = None,
    shown: nx.MultiDiGraph | None = None,
    legend: bool = True,
) -> WallMap:
    """The wall's map of a workshop's analysis (or of ``shown``, the wall's map of it with its
    minor actors counted by category), up to the reveal's ``step`` (every step when None), with
    what the wall counts of it. A projected wall has no buttons; ``legend`` off, no legend."""
    from valuechain.chain.graph import actors
    from valuechain.media.mapview import MapFilter, filter_graph, map_html

    def upto(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
        return filter_graph(graph, MapFilter(step=step)) if step is not None else graph

    whole = upto(analysis.graph)
    drawn = whole if shown is None else upto(shown)
    html = map_html(
        drawn,
        positions or None,
        language,
        presentation=presentation,
        title=analysis.name,
        controls=not presentation,
        legend=legend,
    )
    counted = sum(data.get("grouped", 0) for _, data in drawn.nodes(data=True))
    return WallMap(html, len(actors(whole)), whole.number_of_edges(), counted)

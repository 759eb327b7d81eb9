"""The wall: the workshop's map as the room sees it, its nodes kept where the room saw them (in
the store, for a reloaded wall, a second laptop and another app process)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from valuechain.store.schema import WORKSHOPS
from valuechain.workshop.base import WorkshopsBase

if TYPE_CHECKING:
    import networkx as nx

    from valuechain.chain.analysis import Analysis

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


@dataclass(frozen=True)
class WallMap:
    html: str
    actors: int  # the counters under the title
    flows: int


def wall_map(
    analysis: Analysis, positions: Positions, language: str, presentation: bool, step: int | None = None
) -> WallMap:
    """The wall's map of a workshop's analysis, up to the reveal's ``step`` (every step when
    None), with what the wall counts of it."""
    from valuechain.chain.graph import actors
    from valuechain.media.mapview import MapFilter, filter_graph, map_html

    graph = analysis.graph
    shown = filter_graph(graph, MapFilter(step=step)) if step is not None else graph
    html = map_html(shown, positions or None, language, presentation=presentation, title=analysis.name)
    return WallMap(html, len(actors(shown)), shown.number_of_edges())

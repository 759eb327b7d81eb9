"""The wall of a room (issue 34.2): its names stay 24 px at least on a 1920×1080 wall from 20 to
80 actors, none cut, none over another node; past what the wall can name, the actors who bring
the least are counted by category, the room's own named first; the wall keeps the nodes where
the room saw them. Issue 36: the room's proposals take free room (nothing moves, nothing is
counted while the frame holds every name), their actors and both ends of their flows are never
counted; a 70-actor wall names about 30. (The same, drawn by Chromium:
tests/browser/test_page_checks.py.)"""

from __future__ import annotations

import importlib.util

import pytest

from helpers import FALAISES, ROOT
from valuechain import load_paths
from valuechain.chain.analysis import analyse
from valuechain.chain.graph import actors
from valuechain.media.mapview import (
    WALL_OTHERS,
    WallView,
    _wall_lines,
    drawn_label_px,
    map_html,
    overlapping_labels,
    wall_layout,
)
from valuechain.workshop.wall import room_protected, wall_mode

# The wall's map on a 1920×1080 screen, beside its join column and its legend (pages/mur.py).
WALL = WallView(1202, 870)


def _centre(folder, count: int):
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return analyse(load_paths([synthetic.write_synthetic(folder / f"c{count}.xlsx", count, count * 3, seed=3)])).graph


@pytest.mark.parametrize("count", [20, 50, 80])
def test_a_wall_draws_every_name_24_px_at_least_none_cut_none_over_another_and_loses_no_actor(tmp_path, count):
    graph = _centre(tmp_path, count)
    shown, positions = wall_layout(graph, "fr", WALL)
    assert drawn_label_px(shown, positions, WALL.width, WALL.height) >= 24
    assert overlapping_labels(shown, positions, presentation=True) == []
    labels = [line for node in shown for line in _wall_lines(str(shown.nodes[node]["name"]))]
    assert not any("…" in line for line in labels)
    # Every actor is on the wall: by name, or counted in its category's node.
    named = [n for n in actors(shown) if not n.startswith(WALL_OTHERS)]
    counted = sum(shown.nodes[n]["grouped"] for n in shown if n.startswith(WALL_OTHERS))
    assert len(named) + counted == len(actors(graph))
    assert all(shown.nodes[n]["grouped"] >= 2 for n in shown if n.startswith(WALL_OTHERS))  # never "1 autre"
    if count == 20:
        assert counted == 0  # a small map names everyone
    else:
        assert len(named) >= 20  # and a large one still names many
    again, placed = wall_layout(graph, "fr", WALL)
    assert placed == positions and set(again) == set(shown)


def test_the_room_s_own_actors_are_named_first_even_when_they_bring_the_least(tmp_path):
    graph = _centre(tmp_path, 80)
    shown, _ = wall_layout(graph, "fr", WALL)
    quiet = [n for n in actors(graph) if n not in shown and n != graph.graph["centre"]]
    assert quiet  # an 80-actor wall counts some
    favoured, _ = wall_layout(graph, "fr", WALL, favoured=quiet[:3])
    assert set(quiet[:3]) <= set(favoured)


def test_larger_names_name_fewer_actors_and_a_wall_without_legend_names_more(tmp_path):
    graph = _centre(tmp_path, 50)
    usual, _ = wall_layout(graph, "fr", WALL)
    larger_view = WallView(WALL.width, WALL.height, 32)
    larger, placed = wall_layout(graph, "fr", larger_view)
    assert drawn_label_px(larger, placed, larger_view.width, larger_view.height) >= 32
    wide = WallView(WALL.width + 344, WALL.height, 24, legend=False)
    without_legend, _ = wall_layout(graph, "fr", wide)
    assert larger.number_of_nodes() < usual.number_of_nodes() < without_legend.number_of_nodes()


def test_a_long_name_is_written_on_four_lines_at_most_and_never_cut_below_120_letters():
    name = "Collectif des producteurs bio du Val de Drôme (26 fermes et 3 coopératives)"
    lines = _wall_lines(name)
    assert len(lines) <= 4 and " ".join(lines) == name
    assert _wall_lines("Mairie") == ["Mairie"]
    assert _wall_lines("Habitants\u00a0: 12 autres") == ["Habitants\u00a0:", "12 autres"]  # the colon stays
    assert _wall_lines("x" * 200)[-1].endswith("…")


def test_a_grown_map_keeps_its_nodes_where_the_room_saw_them_while_its_names_stay_readable(tmp_path):
    graph = _centre(tmp_path, 20)
    shown, before = wall_layout(graph, "fr", WALL)
    grown = graph.copy()
    grown.add_node("Amina Traore", kind="actor", category="habitants", name="Amina Traore")
    flow = dict(next(data for _, _, data in graph.edges(data=True)))  # a flow as the chain writes it
    grown.add_edge("Amina Traore", graph.graph["centre"], **{**flow, "value": None})
    after_shown, after = wall_layout(grown, "fr", WALL, before, favoured=["Amina Traore"])
    assert "Amina Traore" in after_shown
    assert {n: after[n] for n in before if n in after_shown} == {n: before[n] for n in before if n in after_shown}
    assert drawn_label_px(after_shown, after, WALL.width, WALL.height) >= 24


def test_a_wall_without_legend_has_no_legend_and_no_buttons(tmp_path):
    graph = _centre(tmp_path, 20)
    html = map_html(graph, None, "fr", presentation=True, controls=False, legend=False)
    assert '<div id="legend" hidden>' in html and 'id="physics"' not in html


# The room's proposals, as the wall sees them once accepted: a flow the room added (to a known
# actor, or between two: a proposal merged into one), and the actor it names when new.
def _accepted(graph, source: str, target: str, category: str = "associations"):
    grown = graph.copy()
    if source not in grown:
        grown.add_node(source, kind="actor", category=category, name=source)
    flow = dict(next(data for _, _, data in graph.edges(data=True)))
    grown.add_edge(source, target, **{**flow, "value": None})
    return grown


def _room_walls(start, proposals, view=WALL):
    """The wall after each accepted proposal, as pages/mur.py asks for it: (shown, positions)."""
    graph, added = start, []
    shown, positions = wall_layout(start, "fr", view)
    walls = [(start, shown, positions)]
    for source, target in proposals:
        graph = _accepted(graph, source, target)
        added = [source, *[n for n in added if n != source]] if source not in start else added
        shown, positions = wall_layout(graph, "fr", view, positions, added, room_protected(start, graph))
        walls.append((graph, shown, positions))
    return walls


def test_adding_3_actors_to_the_16_actor_sample_groups_nothing_and_moves_no_node():
    """Issue 36.1-2: three accepted names on the 16-actor sample laid the whole wall out again
    and counted 9 of its actors in "… : 3 autres" nodes, the flow the room had just added with
    them."""
    start = analyse(load_paths([FALAISES])).graph
    known = sorted(actors(start))
    walls = _room_walls(start, [("Café des parents", known[3]), ("Amina Traore", known[5]), ("Les Ateliers", known[7])])
    for (_, before, placed), (graph, shown, positions) in zip(walls, walls[1:]):
        assert not any(node.startswith(WALL_OTHERS) for node in shown)  # every actor named
        assert set(actors(shown)) == set(actors(graph))
        assert {n: positions[n] for n in before} == {n: placed[n] for n in before}  # none moved
        assert drawn_label_px(shown, positions, WALL.width, WALL.height) >= 24
        assert overlapping_labels(shown, positions, presentation=True) == []


def test_the_ends_of_room_added_flows_are_never_grouped(tmp_path):
    """Issue 36.2: the merge target of an accepted proposal, and the actor at the other end of a
    flow the room added, vanished into their category's count."""
    start = _centre(tmp_path, 80)
    shown, before = wall_layout(start, "fr", WALL)
    quiet = [n for n in actors(start) if n not in shown]
    assert len(quiet) >= 4  # an 80-actor wall counts some
    # A flow between two counted actors (a proposal merged into a known one), a new actor's
    # flow to a counted one.
    walls = _room_walls(start, [(quiet[0], quiet[1]), ("Café des parents", quiet[2])])
    graph, shown, positions = walls[-1]
    assert {quiet[0], quiet[1], quiet[2], "Café des parents"} <= set(shown)
    assert {n: positions[n] for n in before if n in shown} == {n: before[n] for n in before if n in shown}
    assert drawn_label_px(shown, positions, WALL.width, WALL.height) >= 24
    assert overlapping_labels(shown, positions, presentation=True) == []
    # Laid out afresh (another wall, a lost layout), still named.
    fresh, _ = wall_layout(graph, "fr", WALL, protected=room_protected(start, graph))
    assert {quiet[0], quiet[1], quiet[2], "Café des parents"} <= set(fresh)


def test_a_room_s_wall_is_laid_out_again_at_most_once_for_eight_new_actors():
    """Issue 36.1: each accepted proposal laid the whole map out again (the centre and the
    activities jumped); new actors take the free cells the wall left for them."""
    start = analyse(load_paths([FALAISES])).graph
    known = sorted(actors(start))
    walls = _room_walls(start, [(f"Nouvel acteur {i}", known[i]) for i in range(8)])
    laid_out_again = sum(
        any(positions[n] != placed[n] for n in before if n in positions)
        for (_, before, placed), (_, _, positions) in zip(walls, walls[1:])
    )
    assert laid_out_again <= 1
    for _, shown, positions in walls:
        assert drawn_label_px(shown, positions, WALL.width, WALL.height) >= 24


def test_at_70_actors_the_wall_names_as_many_as_its_frame_holds(tmp_path):
    """Issue 36.3: at 70 actors the wall named about 30 nodes. At 24 px the labels of the 75
    nodes of a 70-actor centre cover 3.7 M square units of the map, the wall's frame beside its
    join column and legend (1 202 × 870 px) holds 3.0 M: even packed without a gap, a fifth
    could not be named. Its rows, the labels packed by height, fill about three quarters of it:
    31 actors by name besides the centre, with the activities and the categories' counts (30
    asked: one of margin)."""
    graph = _centre(tmp_path, 70)
    shown, positions = wall_layout(graph, "fr", WALL)
    named = [n for n in actors(shown) if not n.startswith(WALL_OTHERS) and n != graph.graph["centre"]]
    assert len(named) >= 30
    assert drawn_label_px(shown, positions, WALL.width, WALL.height) >= 24
    without_legend, _ = wall_layout(graph, "fr", WallView(WALL.width + 344, WALL.height, 24, legend=False))
    assert len([n for n in actors(without_legend) if not n.startswith(WALL_OTHERS)]) > len(named)


def test_the_store_s_wall_keeps_the_room_s_proposals_named_and_its_nodes_in_place(tmp_path):
    """Issue 36.1-2, through the store as pages/mur.py asks for the wall: three accepted
    proposals on the 16-actor sample (one of them between two known nodes, as a merged one)
    count no actor and move no node the room saw, in this process or another."""
    from valuechain import InputFile
    from valuechain.chain.analysis import analyse_raw
    from valuechain.reading.reader import read_files
    from valuechain.store.db import Store
    from valuechain.workshop.answers import Answer
    from valuechain.workshop.workshops import Workshops

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    workshops = Workshops(Store(url))
    workshop = workshops.open(read_files([InputFile.from_path(FALAISES)]), "Falaises", FALAISES.name)
    start = analyse_raw(workshops.workbook_after(workshop.id, 0)).graph
    _, before = workshops.wall_view(workshop.id, start, "fr", WALL, start=start)
    for phone, answer in enumerate(
        (
            Answer(who="Médiathèque municipale", nature="service", target="Café des parents"),
            Answer(who="Amina Traore", nature="benevolat", target="Repair café", who_category="habitants"),
            Answer(who="Les Débrouillards", nature="competences", target="Théâtre forum", who_category="associations"),
        )
    ):
        workshops.accept(workshop.id, workshops.propose(workshop.code, f"phone-{phone}", answer))
    graph = analyse_raw(workshops.workbook(workshop.id)).graph
    shown, after = workshops.wall_view(workshop.id, graph, "fr", WALL, start=start)
    assert not any(node.startswith(WALL_OTHERS) for node in shown)
    assert {"Amina Traore", "Les Débrouillards"} <= {shown.nodes[n]["name"] for n in shown}
    assert {n: after[n] for n in before} == before  # none moved
    assert Workshops(Store(url)).layout(workshop.id, wall_mode(WALL)) == after  # another process's wall


def test_larger_names_asked_on_a_shown_wall_lay_it_out_again_at_that_size(tmp_path):
    """A wall the room saw at 24 px, then "Noms plus grands": its kept positions would draw the
    names at 26 px; the wall is laid out again at 32 px."""
    graph = _centre(tmp_path, 50)
    _, before = wall_layout(graph, "fr", WALL)
    larger = WallView(WALL.width + 344, WALL.height, 32, legend=False)
    shown, positions = wall_layout(graph, "fr", larger, before)
    assert drawn_label_px(shown, positions, larger.width, larger.height) >= 32


def test_a_wall_whose_legend_is_hidden_is_laid_out_for_its_wider_frame(tmp_path):
    """The wall's settings seen in Chromium: names enlarged beside the legend, then the legend
    hidden, and the map kept the narrower frame's positions, a third of the wall left empty.
    Each frame keeps positions of its own (``wall_mode``)."""
    from valuechain import InputFile
    from valuechain.chain.analysis import analyse_raw
    from valuechain.media.mapview import _extent
    from valuechain.reading.reader import read_files
    from valuechain.store.db import Store
    from valuechain.workshop.workshops import Workshops

    workshops = Workshops(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    _centre(tmp_path, 50)
    path = tmp_path / "c50.xlsx"  # the workbook _centre wrote, which the workshop opens on
    workshop = workshops.open(read_files([InputFile.from_path(path)]), "Synthétique", path.name)
    graph = analyse_raw(workshops.workbook(workshop.id)).graph
    narrow, wide = WallView(WALL.width, WALL.height, 32), WallView(WALL.width + 344, WALL.height, 32, legend=False)
    workshops.wall_view(workshop.id, graph, "fr", narrow)
    shown, positions = workshops.wall_view(workshop.id, graph, "fr", wide)
    left, top, right, bottom = _extent(shown, positions)
    assert (right - left) / (bottom - top) > 0.9 * wide.width / wide.height  # the drawing has the frame's shape
    assert workshops.wall_view(workshop.id, graph, "fr", narrow)[1] == workshops.layout(workshop.id, wall_mode(narrow))

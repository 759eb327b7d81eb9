"""Mur: the workshop on the wall. The map grows as proposals are accepted, with no one touching
the wall; how to join (QR code, code, address); counters; the step-by-step reveal and a replay
of the workshop in the order the chain was built. Phones see the same wall, without controls.

On a projected wall (presentation mode, 1920 × 1080) the names stay 24 px at least however many
actors the room adds: the map names as many as that size allows and counts the others by
category (``valuechain.media.mapview.wall_layout``). Once the workshop is closed, the wall ends
on the room's end screen (thanks, what was built, the map), never on the app's menus."""

import html

import streamlit as st

from dashboard import state
from dashboard.room import (
    active_workshop,
    join_address,
    phones_can_join,
    workshop_analysis,
    workshop_positions,
    workshops,
)
from dashboard.routing import through_app
from dashboard.visitor import facilitator, participant_visit
from dashboard.widgets import leave_presentation_button, presenting, style
from dashboard.words import lang, say
from valuechain.chain.analysis import Analysis, analyse_raw
from valuechain.chain.graph import actors
from valuechain.media.mapview import WallView, reveal_steps, revealed
from valuechain.workshop.base import Workshop
from valuechain.workshop.room import POLL_SECONDS, STORE_DOWN, join_qr_png
from valuechain.workshop.wall import WallMap, wall_map

# The workshop whose wall this session showed: when it is closed, its end screen (app.py has
# already left the closed workshop, and its code is gone from the address). The end screen puts
# its code in the address (?fin=CODE): a reloaded projector stays on it.
WALL_SHOWN, ENDED_PARAM = "wall_shown", "fin"
# The facilitator's settings of the wall, kept in the address too: a reloaded wall keeps them
# (a wall has no keyboard).
LARGER, LARGER_PARAM = "wall_larger", "noms"
LEGEND, LEGEND_PARAM = "wall_legend", "legende"
# A 1920 × 1080 wall: the map's frame under the title, beside the join column (a sixth of the
# width) and its legend (340 px, mapview's template); the smallest name drawn there.
WALL_MAP_HEIGHT = 880
END_MAP_HEIGHT = 700
SCREEN_WIDTH = 1872  # 1920 less the page's margins
LEGEND_WIDTH = 344
NAMES_PX, LARGER_NAMES_PX = 24, 32
# The join address's line above a wall's map, beside the join column: the map ends a little
# lower than with the counters' line over it, still above the screen's bottom.
ADDRESS_LINE = 0

through_app()
public = participant_visit()


def _setting(key: str, param: str, default: bool) -> bool:
    """A wall's setting: the session's, first taken from the address."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, "1" if default else "0") == "1"
    return bool(st.session_state[key])


def _keep_setting(key: str, param: str, default: bool) -> None:
    """The setting into the address, where it differs from the default."""
    if bool(st.session_state.get(key, default)) != default:
        st.query_params[param] = "1" if st.session_state[key] else "0"
    elif param in st.query_params:
        del st.query_params[param]


def _view(frame_width: int, height: int) -> WallView:
    legend = _setting(LEGEND, LEGEND_PARAM, True)
    smallest = LARGER_NAMES_PX if _setting(LARGER, LARGER_PARAM, False) else NAMES_PX
    return WallView(frame_width - (LEGEND_WIDTH if legend else 0), height - 10, smallest, legend)


@st.cache_resource(max_entries=16, show_spinner=False)
def _start(workshop_id: int) -> Analysis:
    """The centre as the workshop opened on it (what the room added is the rest)."""
    return analyse_raw(workshops().workbook_after(workshop_id, 0))


def _added_actors(workshop_id: int, analysis: Analysis) -> list[str]:
    """The actors the room added, the latest first (the wall names them first)."""
    before = set(_start(workshop_id).graph)
    return [node for node in reversed(actors(analysis.graph)) if node not in before]


@st.cache_resource(max_entries=32, show_spinner=False)
def _wall_at(
    workshop_id: int,
    revision: int,
    language: str,
    presentation: bool,
    step: int | None,
    replay: int | None,
    save: bool,
    view: WallView | None,
) -> WallMap:
    """The wall's map at one revision: made once, whoever looks (the wall, phones, another tab).
    A projected wall (``view``) names as many actors as its size allows, the room's first."""
    if replay is None:
        analysis = workshop_analysis(workshop_id, revision)
    else:
        analysis = analyse_raw(workshops().workbook_after(workshop_id, replay))
    if presentation and view is not None:
        shown, positions = workshops().wall_view(
            workshop_id,
            analysis.graph,
            language,
            view,
            save=save and replay is None and step is None,
            favoured=_added_actors(workshop_id, analysis),
            start=_start(workshop_id).graph,
        )
        return wall_map(analysis, positions, language, True, step, shown=shown, legend=view.legend)
    positions = workshop_positions(
        workshop_id, analysis.graph, presentation, save=save and replay is None and step is None
    )
    return wall_map(analysis, positions, language, presentation, step)


def _wall_style() -> None:
    """On the wall, nothing but the wall (dashboard/styles/wall.css), and a corner to leave."""
    st.html(style("presentation") + style("wall"))
    leave_presentation_button("✕ " + say("workshop", "leave_wall"))


def _join_line(address: str) -> None:
    """The join address on one line, as large as the wall's width allows (never cut mid-word)."""
    size = max(24, min(34, int(1400 / (0.62 * max(len(address), 1)))))
    st.html(
        f'<div class="wall-address" style="font-size: {size}px">{html.escape(address)}</div>',
    )


def _end_screen(workshop: Workshop) -> None:
    """The room's end screen: thanks, what it built (counts), the map it built."""
    st.query_params[ENDED_PARAM] = workshop.code
    if presenting():
        _wall_style()
    st.title(say("wall", "end_title"))
    st.markdown(say("wall", "end_lead", centre=workshop.centre_name))
    final = workshop_analysis(workshop.id, workshop.revision)
    start = _start(workshop.id)
    status = workshops().status(workshop.id)
    added_actors = len(set(actors(final.graph)) - set(actors(start.graph)))
    added_flows = max(final.graph.number_of_edges() - start.graph.number_of_edges(), 0)
    counts = (
        (say("wall", "end_actors_added"), added_actors),
        (say("wall", "end_flows_added"), added_flows),
        (say("workshop", "count_participants"), status.participants),
        (say("workshop", "count_proposals"), status.proposals),
    )
    for column, (label, number) in zip(st.columns(4), counts):
        column.metric(label, number)
    height = END_MAP_HEIGHT if presenting() else 620
    shown = _wall_at(
        workshop.id, workshop.revision, lang(), presenting(), None, None, False, _view(SCREEN_WIDTH, height)
    )
    st.caption(say("wall", "end_map", actors=shown.actors, flows=shown.flows))
    st.iframe(shown.html, height=height)


shown_before = None if public else (st.session_state.get(WALL_SHOWN) or st.query_params.get(ENDED_PARAM))
# A phone given the wall's own address (``?atelier=CODE``, as the facilitator's pages write it)
# finds the same workshop: the code is the one the wall shows to join.
public_code = st.query_params.get(state.JOIN_CODE_PARAM) or st.query_params.get(state.WORKSHOP_PARAM)
workshop = workshops().by_code(public_code) if public else active_workshop()
if public and workshop is not None and not workshop.is_open:
    # A closed workshop's code shows nothing any more: its map is a version of the centre now,
    # for those the centre's roles allow, not for whoever kept the address.
    st.title(say("app", "page_wall"))
    st.info(say("workshop", "wall_ended"))
    st.stop()
if workshop is None:
    ended = workshops().by_code(shown_before) if shown_before else None
    if ended is not None and not ended.is_open and ended.opened_by == facilitator():
        # This session showed that workshop's wall (or reloads its end screen), and its
        # facilitator may see it: the room sees how it ended, not the app.
        _end_screen(ended)
        st.stop()
    st.title(say("app", "page_wall"))
    st.info(say("workshop", "join_unknown") if public else say("workshop", "no_workshop"))
    if not public:
        st.page_link("pages/atelier.py", label=say("workshop", "go_to_workshop"))
    st.stop()
if not public:
    st.session_state[WALL_SHOWN] = workshop.code
    if ENDED_PARAM in st.query_params:  # a workshop's wall again: the last one's end is over
        del st.query_params[ENDED_PARAM]

wall = presenting() or public
if presenting():
    _wall_style()

step = replay = None
# The wall first; its settings drawn after it, under the map (on a wall, below the screen).
wall_area = st.container(key="wall_area")  # on a wall, the screen's height (wall.css)
if not public:
    with st.expander(say("workshop", "wall_controls"), expanded=not presenting()):
        row = st.columns(3)
        show_join = row[0].toggle(say("workshop", "show_join"), value=True, key="wall_show_join")
        step_mode = row[1].toggle(say("workshop", "step_mode"), key="wall_step_mode")
        replay_mode = row[2].toggle(say("workshop", "replay"), key="wall_replay")
        sizes = st.columns(3)
        _setting(LARGER, LARGER_PARAM, False)
        _setting(LEGEND, LEGEND_PARAM, True)
        sizes[0].toggle(say("wall", "larger_names"), key=LARGER, help=say("wall", "larger_names_help"))
        sizes[1].toggle(say("wall", "show_legend"), key=LEGEND, help=say("wall", "show_legend_help"))
        _keep_setting(LARGER, LARGER_PARAM, False)
        _keep_setting(LEGEND, LEGEND_PARAM, True)
        if step_mode:
            steps = reveal_steps(workshop_analysis(workshop.id, workshop.revision).graph)
            if steps:
                step = st.slider(say("workshop", "step"), 1, len(steps), len(steps), key="wall_step") - 1
                st.caption(revealed(steps, step, lang()))
        if replay_mode:
            total = workshops().steps(workshop.id)
            replay = st.slider(
                say("workshop", "replay_step"),
                0,
                max(total, 1),
                max(total, 1),
                key="wall_replay_step",
                help=say("workshop", "replay_help"),
            )
else:
    show_join = False

joining = show_join and workshop.is_open and phones_can_join()
# The map's frame on a projected wall: the screen's width, less the join column when it shows.
frame_width = int((SCREEN_WIDTH - 16) * 5 / 6) if joining or (show_join and not phones_can_join()) else SCREEN_WIDTH


@st.fragment(run_every=POLL_SECONDS)
def live(workshop_id: int, join: tuple[str, str] | None = None) -> None:
    """Looks at the store every second: one small query; the map is made again only when the
    workshop changed. ``join`` (code, address): the wall's join column and address line."""
    try:
        status = workshops().status(workshop_id)
    except STORE_DOWN:  # the database restarts: said in our words, looked at again in a second
        st.warning(say("workshop", "store_down_wall"))
        return
    if status.status != "open":
        # Closed while the wall looked: the whole page again, which ends on the room's end
        # screen (no code, no QR code left on the wall).
        st.rerun(scope="app")
    # A phone's wall is a page's map (legend above, the screen's width for the map), not a
    # wall's: a wall's legend beside the map left a phone no map at all.
    height = WALL_MAP_HEIGHT if presenting() else (620 if wall else 680)
    if presenting() and join is not None:
        height -= ADDRESS_LINE  # the join address above the map
    view = _view(frame_width, height) if presenting() else None
    shown = _wall_at(workshop_id, status.revision, lang(), presenting(), step, replay, not public, view)
    counts = (
        (say("workshop", "count_proposals"), status.proposals),
        (say("workshop", "count_participants"), status.participants),
        (say("workshop", "count_actors"), shown.actors),
        (say("workshop", "count_flows"), shown.flows),
    )
    if join is not None:
        code, address = join
        left, right = st.columns([1, 5] if presenting() else [1, 3])
        with left:
            st.image(join_qr_png(address), width=260)
            st.markdown(say("workshop", "join_code_big", code=code))
            if presenting():  # stacked under the code: the map keeps the height
                for label, number in counts:
                    st.markdown(f"{label} **{number}**")
            else:  # the facilitator's screen: the address to copy
                st.caption(say("workshop", "join_address"))
                st.code(address, language=None, wrap_lines=True)
        with right:
            if presenting():
                _join_line(address)
            else:
                for column, (label, number) in zip(st.columns(4), counts):
                    column.metric(label, number)
            st.iframe(shown.html, height=height)
        if shown.counted and not presenting():
            st.caption(say("wall", "grouped_note", count=shown.counted))
        return
    if wall:  # one line, so that the map keeps the screen's height (a wall, a phone)
        st.markdown(" · ".join(f"{label} **{number}**" for label, number in counts))
    else:
        for column, (label, number) in zip(st.columns(4), counts):
            column.metric(label, number)
    # On a 1920×1080 wall, the screen's height under the title and the counters' line.
    st.iframe(shown.html, height=height)
    if shown.counted and not presenting():  # on a wall, under the screen: the counts say it
        st.caption(say("wall", "grouped_note", count=shown.counted))


with wall_area:
    if public:  # a phone came from its form: the way back first
        token = st.query_params.get(state.PARTICIPANT_PARAM)
        back = {state.JOIN_CODE_PARAM: workshop.code, **({state.PARTICIPANT_PARAM: token} if token else {})}
        st.page_link("pages/participer.py", label=say("workshop", "back_to_form"), query_params=back)
    st.title(say("workshop", "wall_title", centre=workshop.centre_name))
    if show_join and workshop.is_open and not phones_can_join():
        # No QR code that leads nowhere: how to start a room instead; on a wall, in a column
        # beside the map, which keeps the screen's height (under it, it was cut).
        if presenting():
            left, right = st.columns([1, 5])
            left.warning(say("workshop", "local_only"))
            with right:
                live(workshop.id)
        else:
            st.warning(say("workshop", "local_only"))
            live(workshop.id)
    elif joining:
        live(workshop.id, (workshop.code, join_address(workshop)))
    else:
        live(workshop.id)

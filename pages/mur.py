"""Mur: the workshop on the wall. The map grows as proposals are accepted, with no one touching
the wall; how to join (QR code, code, address); counters; the step-by-step reveal and a replay
of the workshop in the order the chain was built. Phones see the same wall, without controls."""

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
from dashboard.visitor import participant_visit
from dashboard.widgets import leave_presentation_button, presenting, style
from dashboard.words import lang, say
from valuechain.chain.analysis import analyse_raw
from valuechain.media.mapview import reveal_steps, revealed
from valuechain.workshop.room import POLL_SECONDS, STORE_DOWN, join_qr_png
from valuechain.workshop.wall import WallMap, wall_map

through_app()
public = participant_visit()
workshop = workshops().by_code(st.query_params.get(state.JOIN_CODE_PARAM)) if public else active_workshop()
if public and workshop is not None and not workshop.is_open:
    # A closed workshop's code shows nothing any more: its map is a version of the centre now,
    # for those the centre's roles allow, not for whoever kept the address.
    st.title(say("app", "page_wall"))
    st.info(say("workshop", "wall_ended"))
    st.stop()
if workshop is None:
    st.title(say("app", "page_wall"))
    st.info(say("workshop", "join_unknown") if public else say("workshop", "no_workshop"))
    if not public:
        st.page_link("pages/atelier.py", label=say("workshop", "go_to_workshop"))
    st.stop()

wall = presenting() or public
WALL_MAP_HEIGHT = 880
if presenting():  # on the wall, nothing but the wall (dashboard/styles/wall.css)
    st.html(style("presentation") + style("wall"))
    leave_presentation_button("✕ " + say("workshop", "leave_wall"))

step = replay = None
# The wall first; its settings drawn after it, under the map (on a wall, below the screen).
wall_area = st.container()
if not public:
    with st.expander(say("workshop", "wall_controls"), expanded=not presenting()):
        row = st.columns(3)
        show_join = row[0].toggle(say("workshop", "show_join"), value=True, key="wall_show_join")
        step_mode = row[1].toggle(say("workshop", "step_mode"), key="wall_step_mode")
        replay_mode = row[2].toggle(say("workshop", "replay"), key="wall_replay")
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


@st.cache_resource(max_entries=32, show_spinner=False)
def _wall_at(
    workshop_id: int, revision: int, language: str, presentation: bool, step: int | None, replay: int | None, save: bool
) -> WallMap:
    """The wall's map at one revision: made once, whoever looks (the wall, phones, another tab)."""
    if replay is None:
        analysis = workshop_analysis(workshop_id, revision)
    else:
        analysis = analyse_raw(workshops().workbook_after(workshop_id, replay))
    positions = workshop_positions(
        workshop_id, analysis.graph, presentation, save=save and replay is None and step is None
    )
    return wall_map(analysis, positions, language, presentation, step)


@st.fragment(run_every=POLL_SECONDS)
def live(workshop_id: int) -> None:
    """Looks at the store every second: one small query; the map is made again only when the
    workshop changed."""
    try:
        status = workshops().status(workshop_id)
    except STORE_DOWN:  # the database restarts: said in our words, looked at again in a second
        st.warning(say("workshop", "store_down_wall"))
        return
    if status.status != "open":
        # Closed while the wall looked: the whole page again, which shows nothing of it (no
        # map, no code, no QR code left on the wall).
        st.rerun(scope="app")
    # A phone's wall is a page's map (legend above, the screen's width for the map), not a
    # wall's: a wall's legend beside the map left a phone no map at all.
    shown = _wall_at(workshop_id, status.revision, lang(), presenting(), step, replay, not public)
    counts = (
        (say("workshop", "count_proposals"), status.proposals),
        (say("workshop", "count_participants"), status.participants),
        (say("workshop", "count_actors"), shown.actors),
        (say("workshop", "count_flows"), shown.flows),
    )
    if wall:  # one line, so that the map keeps the screen's height (a wall, a phone)
        st.markdown(" · ".join(f"{label} **{number}**" for label, number in counts))
    else:
        for column, (label, number) in zip(st.columns(4), counts):
            column.metric(label, number)
    # On a 1920×1080 wall, the screen's height under the title and the counters' line.
    st.iframe(shown.html, height=WALL_MAP_HEIGHT if presenting() else (620 if wall else 680))


with wall_area:
    if public:  # a phone came from its form: the way back first
        token = st.query_params.get(state.PARTICIPANT_PARAM)
        back = {state.JOIN_CODE_PARAM: workshop.code, **({state.PARTICIPANT_PARAM: token} if token else {})}
        st.page_link("pages/participer.py", label=say("workshop", "back_to_form"), query_params=back)
    st.title(say("workshop", "wall_title", centre=workshop.centre_name))
    if show_join and workshop.is_open and not phones_can_join():
        # No QR code that leads nowhere: how to start a room instead; on a wall, under the map,
        # which keeps the screen's height.
        if not presenting():
            st.warning(say("workshop", "local_only"))
        live(workshop.id)
        if presenting():
            st.warning(say("workshop", "local_only"))
    elif show_join and workshop.is_open:
        left, right = st.columns([1, 4] if presenting() else [1, 3])
        with left:
            address = join_address(workshop)
            st.image(join_qr_png(address), width=260)
            st.markdown(say("workshop", "join_code_big", code=workshop.code))
            st.caption(say("workshop", "join_address"))
            st.code(address, language=None, wrap_lines=True)
        with right:
            live(workshop.id)
    else:
        live(workshop.id)

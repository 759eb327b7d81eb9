"""Mur: the workshop on the wall. The map grows as proposals are accepted, with no one touching
the wall; how to join (QR code, code, address); counters; the step-by-step reveal and a replay
of the workshop in the order the chain was built. Phones see the same wall, without controls."""

import streamlit as st

from pages import state
from pages.shared import (PRESENTATION_CSS, active_workshop, join_address, lang, participant_visit, phones_can_join,
                          presenting, t, w, workshop_analysis, workshop_positions, workshops)
from valuechain import validate
from valuechain.chain.analysis import analyse
from valuechain.media.mapview import MapFilter, filter_graph, map_html, reveal_steps
from valuechain.chain.graph import is_actor_node
from valuechain.vocabulary import CATEGORIES
from valuechain.workshop.workshops import POLL_SECONDS, join_qr_png

public = participant_visit()
workshop = workshops().by_code(st.query_params.get("code")) if public else active_workshop()
if public and workshop is not None and not workshop.is_open:
    # A closed workshop's code shows nothing any more: its map is a version of the centre now,
    # for those the centre's roles allow, not for whoever kept the address.
    st.title(t("page_wall"))
    st.info(w("wall_ended"))
    st.stop()
if workshop is None:
    st.title(t("page_wall"))
    st.info(w("join_unknown") if public else w("no_workshop"))
    if not public:
        st.page_link("pages/atelier.py", label=w("go_to_workshop"))
    st.stop()

wall = presenting() or public
WALL_MAP_HEIGHT = 880
# On the wall, nothing but the wall: no navigation, the settings below the map (out of the
# room's sight), every text 24 px at least, the map as tall as the screen leaves it, and a
# corner button to leave.
WALL_CSS = """<style>
  header[data-testid="stHeader"] { display: none !important; }
  .block-container { padding: 0.5rem 1.5rem 1rem 1.5rem !important; }
  p, li, label, button, .stMarkdown, [data-testid="stExpander"] summary * { font-size: 26px !important; }
  h1 { font-size: 44px !important; padding: 0 0 0.3rem 0 !important; }
  .st-key-leave_presentation { position: fixed; top: 8px; right: 12px; z-index: 1000; width: auto !important;
                               opacity: 0.35; }
  .st-key-leave_presentation:hover { opacity: 1; }
</style>"""
if presenting():
    st.html(PRESENTATION_CSS + WALL_CSS)
    if st.button("✕ " + w("leave_wall"), key="leave_presentation"):
        st.session_state[state.PRESENTATION] = False
        st.rerun()

step = replay = None
# The wall first; its settings drawn after it, under the map (on a wall, below the screen).
wall_area = st.container()
if not public:
    with st.expander(w("wall_controls"), expanded=not presenting()):
        row = st.columns(3)
        show_join = row[0].toggle(w("show_join"), value=True, key="wall_show_join")
        step_mode = row[1].toggle(w("step_mode"), key="wall_step_mode")
        replay_mode = row[2].toggle(w("replay"), key="wall_replay")
        if step_mode:
            steps = reveal_steps(workshop_analysis(workshop.id, workshop.revision).graph)
            if steps:
                step = st.slider(w("step"), 1, len(steps), len(steps), key="wall_step") - 1
                st.caption(", ".join(CATEGORIES.short(c, lang()) for c in steps[: step + 1]))
        if replay_mode:
            total = workshops().steps(workshop.id)
            replay = st.slider(w("replay_step"), 0, max(total, 1), max(total, 1), key="wall_replay_step",
                               help=w("replay_help"))
else:
    show_join = False


@st.cache_resource(max_entries=32, show_spinner=False)
def _wall_html(workshop_id: int, revision: int, language: str, presentation: bool, step: int | None,
               replay: int | None, save: bool) -> tuple[str, int, int]:
    """The wall's map at one revision: made once, whoever looks (the wall, phones, another tab)."""
    if replay is None:
        analysis = workshop_analysis(workshop_id, revision)
    else:
        analysis = analyse(validate(workshops().workbook_after(workshop_id, replay)))
    graph = analysis.graph
    positions = workshop_positions(workshop_id, graph, presentation, save=save and replay is None and step is None)
    shown = filter_graph(graph, MapFilter(step=step)) if step is not None else graph
    html = map_html(shown, positions or None, language, presentation=presentation, title=analysis.name)
    actors = sum(1 for _, d in shown.nodes(data=True) if is_actor_node(d))
    return html, actors, shown.number_of_edges()


@st.fragment(run_every=POLL_SECONDS)
def live() -> None:
    """Looks at the store every second: one small query; the map is made again only when the
    workshop changed."""
    status = workshops().status(workshop.id)
    if status.status != "open":
        # Closed while the wall looked: the whole page again, which shows nothing of it (no
        # map, no code, no QR code left on the wall).
        st.rerun(scope="app")
    # A phone's wall is a page's map (legend above, the screen's width for the map), not a
    # wall's: a wall's legend beside the map left a phone no map at all.
    html, actors, flows = _wall_html(workshop.id, status.revision, lang(), presenting(), step, replay, not public)
    counts = ((w("count_proposals"), status.proposals), (w("count_participants"), status.participants),
              (w("count_actors"), actors), (w("count_flows"), flows))
    if wall:  # one line, so that the map keeps the screen's height (a wall, a phone)
        st.markdown(" · ".join(f"{label} **{number}**" for label, number in counts))
    else:
        for column, (label, number) in zip(st.columns(4), counts):
            column.metric(label, number)
    # On a 1920×1080 wall, the screen's height under the title and the counters' line.
    st.iframe(html, height=WALL_MAP_HEIGHT if presenting() else (620 if wall else 680))


with wall_area:
    if public:  # a phone came from its form: the way back first
        back = {"code": workshop.code, **({"p": st.query_params["p"]} if st.query_params.get("p") else {})}
        st.page_link("pages/participer.py", label=w("back_to_form"), query_params=back)
    st.title(w("wall_title", centre=workshop.centre_name))
    if show_join and workshop.is_open and not phones_can_join():
        # No QR code that leads nowhere: how to start a room instead; on a wall, under the map,
        # which keeps the screen's height.
        if not presenting():
            st.warning(w("local_only"))
        live()
        if presenting():
            st.warning(w("local_only"))
    elif show_join and workshop.is_open:
        left, right = st.columns([1, 4] if presenting() else [1, 3])
        with left:
            address = join_address(workshop)
            st.image(join_qr_png(address), width=260)
            st.markdown(w("join_code_big", code=workshop.code))
            st.caption(w("join_address"))
            st.code(address, language=None, wrap_lines=True)
        with right:
            live()
    else:
        live()

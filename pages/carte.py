"""Carte: the interactive map, with filters, focus and the step-by-step mode for workshops."""

import streamlit as st

from dashboard import state
from dashboard.shown import made_once, map_positions
from dashboard.widgets import download_button, page_header, presenting
from dashboard.words import lang, say
from valuechain.chain.graph import activities, node_names, nodes_by_name
from valuechain.media.exporters import file_name
from valuechain.media.mapview import MapFilter, filter_graph, map_html, reveal_steps, revealed
from valuechain.vocabulary import CATEGORIES, DOMAINS, NATURES

analysis = page_header("page_map")
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
graph = analysis.graph

positions = map_positions(graph, presenting())
names = node_names(graph)

with st.expander(say("app", "filters"), expanded=not presenting()):
    row = st.columns(3)
    categories = row[0].multiselect(
        say("app", "categories"),
        CATEGORIES.codes,
        placeholder=say("app", "all"),
        format_func=lambda c: CATEGORIES.short(c, language),
    )
    natures = row[1].multiselect(
        say("app", "natures"),
        NATURES.codes,
        placeholder=say("app", "all"),
        format_func=lambda c: NATURES.short(c, language),
    )
    domains = row[2].multiselect(
        say("app", "domains"),
        DOMAINS.codes,
        placeholder=say("app", "all"),
        format_func=lambda c: DOMAINS.short(c, language),
    )
    row = st.columns(3)
    chosen_activities = row[0].multiselect(
        say("app", "activities"), activities(graph), placeholder=say("app", "all"), format_func=lambda node: names[node]
    )
    tangible = row[1].radio(
        say("app", "tangible"),
        [None, True, False],
        horizontal=True,
        format_func={
            None: say("app", "all"),
            True: say("app", "tangible_only"),
            False: say("app", "intangible_only"),
        }.get,
    )
    min_value = row[2].number_input(say("app", "min_value"), min_value=0.0, value=0.0, step=100.0, format="%.0f")
    row = st.columns([2, 1, 2])
    whole = say("app", "focus_none")
    focus = row[0].selectbox(
        say("app", "focus"),
        [None, *nodes_by_name(graph)],
        format_func=lambda n: whole if n is None else names[n],
    )
    step_mode = row[1].toggle(say("app", "step_mode"))

steps = reveal_steps(graph)
step = None
if step_mode and steps and presenting():
    # On a wall: one line of ◀ ▶ buttons, the map keeps the rest of the screen.
    step = min(st.session_state.get(state.MAP_STEP, 0), len(steps) - 1)
    row = st.columns([1, 1, 10])
    if row[0].button("◀", key="step_back", disabled=step == 0, help=say("app", "step")):
        step -= 1
    if row[1].button("▶", key="step_next", disabled=step == len(steps) - 1, help=say("app", "step")):
        step += 1
    st.session_state[state.MAP_STEP] = step
    row[2].caption(say("app", "step_caption", step=step + 1, total=len(steps), shown=revealed(steps, step, lang())))
elif step_mode and steps:
    step = st.slider(say("app", "step"), 1, len(steps), 1) - 1
    st.caption(say("app", "step_caption", step=step + 1, total=len(steps), shown=revealed(steps, step, lang())))

criteria = MapFilter(
    categories=frozenset(categories),
    natures=frozenset(natures),
    domains=frozenset(domains),
    activities=frozenset(chosen_activities),
    tangible=tangible,
    min_value=float(min_value),
    focus=focus,
    step=step,
)
shown_graph = filter_graph(graph, criteria)
# The map's page (the map library inlined: megabytes on a large centre) made once per analysis,
# filter, language, screen and positions; a page switch sends it again, without making it.
placed = hash(frozenset(positions.items())) if positions else None
html = made_once(
    analysis,
    ("map", criteria, lang(), presenting(), placed),
    lambda: map_html(shown_graph, positions, lang(), presentation=presenting(), title=analysis.name),
)
# On a 1080p wall the map takes the rest of the screen under the title and the controls,
# with no scrolling (measured at 1920×1080: 680 px, 620 with the step buttons' line).
st.iframe(html, height=(620 if step is not None else 680) if presenting() else 680)
st.caption(
    say(
        "app",
        "map_caption",
        nodes=say("count", "nodes", count=shown_graph.number_of_nodes()),
        edges=say("count", "flows", count=shown_graph.number_of_edges()),
    )
)
if not presenting():
    # A stored centre's map is in the audit log, given to whoever may still have it when clicked.
    download_button(
        say("app", "download_map"),
        lambda database, page=html: page.encode("utf-8"),
        file_name=file_name(analysis, ".map.html", lang()),
        mime="text/html",
        what="carte .html",
        version_id=st.session_state.get(state.OPENED_VERSION),
    )

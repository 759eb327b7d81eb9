"""Carte: the interactive map, with filters, focus and the step-by-step mode for workshops."""

import streamlit as st

from pages import state
from pages.shared import (download_button, access, active_workshop, current_files, files_key, lang, made_once, page_header, presenting, t,
                          workshop_positions)
from valuechain.media.mapview import MAX_MAP_NODES, MapFilter, filter_graph, map_html, readable_layout, reveal_steps
from valuechain.vocabulary import CATEGORIES, DOMAINS, NATURES
from valuechain.chain.graph import is_activity_node

analysis = page_header("page_map")
graph = analysis.graph

# One seeded layout per centre and per screen (a wall's labels are larger), kept in the session
# and extended as the data is edited: filters, steps and a new actor never move the nodes
# already on the wall, and no label lies over another.
source = files_key(current_files())
kept = st.session_state.get(state.MAP_LAYOUT)
if kept is None or kept["source"] != source:
    kept = {"source": source, "positions": {}}
mode = "wall" if presenting() else "screen"
workshop = active_workshop()
if workshop is not None:  # the room's map: positions kept in the store, the same on every screen
    kept["positions"][mode] = workshop_positions(workshop.id, graph, presenting())
elif graph.number_of_nodes() <= MAX_MAP_NODES:
    previous = kept["positions"].get(mode)
    if previous is None or set(previous) != set(graph):
        kept["positions"][mode] = readable_layout(graph, previous, presentation=presenting())
st.session_state[state.MAP_LAYOUT] = kept
positions = kept["positions"].get(mode) or None
names = {node: data["name"] for node, data in graph.nodes(data=True)}
activities = [n for n, d in graph.nodes(data=True) if is_activity_node(d)]

with st.expander(t("filters"), expanded=not presenting()):
    row = st.columns(3)
    categories = row[0].multiselect(t("categories"), CATEGORIES.codes, placeholder=t("all"), format_func=lambda c, language=lang(): CATEGORIES.short(c, language))
    natures = row[1].multiselect(t("natures"), NATURES.codes, placeholder=t("all"), format_func=lambda c, language=lang(): NATURES.short(c, language))
    domains = row[2].multiselect(t("domains"), DOMAINS.codes, placeholder=t("all"), format_func=lambda c, language=lang(): DOMAINS.short(c, language))
    row = st.columns(3)
    chosen_activities = row[0].multiselect(t("activities"), activities, placeholder=t("all"), format_func=names.get)
    tangible = row[1].radio(t("tangible"), ["all", "yes", "no"], horizontal=True,
                            format_func={"all": t("all"), "yes": t("tangible_only"), "no": t("intangible_only")}.get)
    min_value = row[2].number_input(t("min_value"), min_value=0.0, value=0.0, step=100.0, format="%.0f")
    row = st.columns([2, 1, 2])
    focus = row[0].selectbox(t("focus"), [None] + sorted(names, key=lambda n: str(names[n]).casefold()),
                             format_func=lambda n, whole=t("focus_none"): whole if n is None else names[n])
    step_mode = row[1].toggle(t("step_mode"))

steps = reveal_steps(graph)
step = None
if step_mode and steps and presenting():
    # On a wall: one line of ◀ ▶ buttons, the map keeps the rest of the screen.
    step = min(st.session_state.get(state.MAP_STEP, 0), len(steps) - 1)
    row = st.columns([1, 1, 10])
    if row[0].button("◀", key="step_back", disabled=step == 0, help=t("step")):
        step -= 1
    if row[1].button("▶", key="step_next", disabled=step == len(steps) - 1, help=t("step")):
        step += 1
    st.session_state[state.MAP_STEP] = step
    shown = ", ".join(CATEGORIES.short(c, lang()) for c in steps[: step + 1])
    row[2].caption(t("step_caption", step=step + 1, total=len(steps), shown=shown))
elif step_mode and steps:
    step = st.slider(t("step"), 1, len(steps), 1) - 1
    shown = ", ".join(CATEGORIES.short(c, lang()) for c in steps[: step + 1])
    st.caption(t("step_caption", step=step + 1, total=len(steps), shown=shown))

criteria = MapFilter(categories=frozenset(categories), natures=frozenset(natures), domains=frozenset(domains),
                     activities=frozenset(chosen_activities),
                     tangible={"all": None, "yes": True, "no": False}[tangible],
                     min_value=float(min_value), focus=focus, step=step)
shown_graph = filter_graph(graph, criteria)
# The map's page (the map library inlined: megabytes on a large centre) made once per analysis,
# filter, language, screen and positions; a page switch sends it again, without making it.
placed = hash(frozenset(positions.items())) if positions else None
html = made_once(analysis, ("map", criteria, lang(), presenting(), placed),
                 lambda: map_html(shown_graph, positions, lang(), presentation=presenting(), title=analysis.name))
# On a 1080p wall the map takes the rest of the screen under the title and the controls,
# with no scrolling (measured at 1920×1080: 680 px, 620 with the step buttons' line).
st.iframe(html, height=(620 if step is not None else 680) if presenting() else 680)
st.caption(t("map_caption", nodes=shown_graph.number_of_nodes(), edges=shown_graph.number_of_edges()))
if not presenting():
    def _map_file(page: str = html, opened=st.session_state.get(state.OPENED_VERSION)) -> bytes:
        access().exported(opened, "carte .html")  # a stored centre's map: in the audit log
        return page.encode("utf-8")

    download_button(t("download_map"), _map_file, file_name=f"carte-{analysis.name}.html", mime="text/html")

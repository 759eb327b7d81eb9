"""Évolution: a centre's chain across its stored years, the renewal of its resources, who is who
from year to year, and every figure's trend (valuechain.chain.evolution, docs/indicateurs.md)."""

import pandas as pd
import streamlit as st

from pages import state
from pages.shared import access, access_problem, lang, page_header, plain, presenting, say_plain, year_sample_paths
from valuechain import InputFile
from valuechain.words import catalogue
from valuechain.media import formatting as fmt
from valuechain.access.service import Operation, Refused
from valuechain.store.batch import import_groups
from valuechain.media.charts import evolution_chart
from valuechain.chain.evolution import BY_ID, CENTRE, MatchDecision, node_key, trend
from valuechain.chain.figures import CODES, DEFINITIONS
from valuechain.chain.graph import is_actor_node
from valuechain.media.mapview import MAX_MAP_NODES, evolution_map_html
from valuechain.words.messages import figure_name
from valuechain.chain.metrics import Undefined

WORDS = catalogue.by_language("evolution")[lang()]

page_header("page_evolution", name_the_centre=False)
database = access()  # every read and change goes through the visitor's access


def say(key: str, **params: object) -> str:
    return say_plain(WORDS[key], **params)


centres = [c for c in database.followed() if len(c["years"]) >= 2]
if not centres:
    st.info(WORDS["none"])
    if database.user.owner and st.button(WORDS["add_sample"]):
        # The batch import's loop: a year already there is not added twice.
        import_groups(database, [[InputFile.from_path(path)] for path in year_sample_paths()], batch="Exemples",
                      lang=lang())
        st.rerun()
    st.stop()

# The centre the dashboard shows, when it is a stored one with years; else the first.
opened = st.session_state.get(state.OPENED_VERSION)
try:
    opened_centre = database.version(opened).centre_id if opened is not None else None
except Refused:
    opened_centre = None
ids = [c["id"] for c in centres]
row = st.columns([3, 4])
centre = row[0].selectbox(WORDS["centre"], centres, index=ids.index(opened_centre) if opened_centre in ids else 0,
                          format_func=lambda c: c["name"])
try:
    evolution, versions = database.evolution(centre["id"])
except Refused as refused:
    st.error(access_problem(refused))
    st.stop()
if len(evolution.years) < 2:
    st.info(WORDS["none"])
    st.stop()
year = row[1].select_slider(WORDS["year"], evolution.years, value=evolution.years[-1])
index = evolution.index(year)
previous = evolution.years[index - 1] if index else None
if not presenting():  # on a wall the legend says it, and the map keeps the screen's height
    st.caption(say("map_caption", centre=centre["name"], year=year))


@st.cache_resource(max_entries=16, show_spinner=False)
def _map(key: tuple, _evolution, language: str, wall: bool, start: int, title: str) -> str:
    """The map's page, made once per centre's versions, decisions, language, screen and year."""
    return evolution_map_html(_evolution, language, presentation=wall, title=title, start=start)


decisions = evolution.decisions
made_of = tuple((v.id, str(v.imported_at)) for v in versions)
largest = max(graph.number_of_nodes() for graph in evolution.graphs)
if largest > MAX_MAP_NODES:
    # Years of thousands of actors, node by node and in one place each, are no map to read:
    # the figures below still compare them, and the Carte page groups a year's chain.
    st.info(say("too_large", count=largest, limit=MAX_MAP_NODES))
else:
    html = _map((made_of, decisions), evolution, lang(), presenting(), index, centre["name"])
    # On a 1080p wall: the rest of the screen under the title and the centre and year line.
    st.iframe(html, height=600 if presenting() else 620)

# The renewal of resources, year N against the year stored before it --------------------------------
renewal = evolution.renewal(year)
st.subheader(say("renewal_title", year=year))
if renewal is None:
    st.caption(say("first_year", year=year))
else:
    if previous != year - 1:
        st.warning(say("gap", previous=previous, year=year))

    def share(value) -> str:
        return fmt.DASH if isinstance(value, Undefined) else fmt.percent(value, lang())

    cards = st.columns(5)
    cards[0].metric(WORDS["new_share"], share(renewal.new_share), help=WORDS["new_share_help"])
    cards[0].caption(say("of_resources", part=fmt.money(renewal.from_new, lang()), total=fmt.money(renewal.resources, lang())))
    cards[1].metric(WORDS["new_hours_share"], share(renewal.new_hours_share), help=WORDS["new_hours_share_help"])
    cards[1].caption(say("of_hours", part=fmt.number(renewal.hours_from_new, lang(), 1), total=fmt.number(renewal.hours, lang(), 1)))
    cards[2].metric(WORDS["lost_share"], share(renewal.lost_share), help=WORDS["lost_share_help"])
    cards[2].caption(say("of_resources", part=fmt.money(renewal.lost, lang()), total=fmt.money(renewal.previous_resources, lang())))
    cards[3].metric(WORDS["lost_hours_share"], share(renewal.lost_hours_share), help=WORDS["lost_hours_share_help"])
    cards[3].caption(say("of_hours", part=fmt.number(renewal.hours_lost, lang(), 1), total=fmt.number(renewal.previous_hours, lang(), 1)))
    cards[4].metric(WORDS["kept"], len(renewal.kept), help=WORDS["kept_help"])
    for key, names in (("new_names", renewal.new), ("gone_names", renewal.gone), ("kept_names", renewal.kept)):
        st.markdown(f"**{WORDS[key]}** " + (", ".join(str(plain(n)) for n in names) or fmt.DASH))

# Who is who from one year to the next: proposed by id and name, confirmed or undone by a person ------
if renewal is not None and not presenting():
    may_decide = database.decide(Operation.IMPORT, centre["federation"], centre["id"]).allowed
    graph_now, graph_before = evolution.graphs[index], evolution.graphs[index - 1]
    matches = evolution.matches[index - 1]
    with st.expander(say("matches_title", previous=previous, year=year)):
        st.caption(WORDS["matches_help"])

        def decide(decision: MatchDecision, forget: bool = False) -> None:
            try:
                database.decide_match(centre["id"], decision, forget=forget)
            except Refused as refused:
                st.error(access_problem(refused))
            else:
                st.rerun()

        def name_now(node: str) -> str:
            return str(graph_now.nodes[node]["name"])

        def name_before(node: str) -> str:
            return str(graph_before.nodes[node]["name"])

        shown = [m for m in matches.values() if m.how not in (CENTRE,)]
        by_id = [m for m in shown if m.how == BY_ID]
        st.markdown(say("matched_by_id", count=len(by_id)))
        for match in sorted((m for m in shown if m.how != BY_ID), key=lambda m: name_now(m.current).casefold()):
            line = st.columns([6, 2])
            line[0].write(say(f"matched_{match.how}", now=name_now(match.current), before=name_before(match.previous)))
            if may_decide and line[1].button(WORDS["undo"], key=f"undo-{year}-{match.current}"):
                decide(MatchDecision(year, node_key(match.current), node_key(match.previous), confirmed=False))
        undone = [d for d in decisions if d.year == year and not d.confirmed]
        for decision in undone:
            line = st.columns([6, 2])
            line[0].write(say("undone", now=decision.current, before=decision.previous))
            if may_decide and line[1].button(WORDS["redo"], key=f"redo-{year}-{decision.current}-{decision.previous}"):
                decide(decision, forget=True)
        if may_decide:
            paired_now = set(matches)
            paired_before = {m.previous for m in matches.values()}
            actors_now = sorted((n for n, d in graph_now.nodes(data=True) if n not in paired_now and is_actor_node(d)),
                                key=lambda n: name_now(n).casefold())
            actors_before = sorted((n for n, d in graph_before.nodes(data=True)
                                    if n not in paired_before and is_actor_node(d)), key=lambda n: name_before(n).casefold())
            if actors_now and actors_before:
                line = st.columns([3, 3, 2])
                chosen_now = line[0].selectbox(say("pair_now", year=year), actors_now, format_func=name_now)
                chosen_before = line[1].selectbox(say("pair_before", year=previous), actors_before, format_func=name_before)
                if line[2].button(WORDS["pair"]):
                    decide(MatchDecision(year, node_key(chosen_now), node_key(chosen_before), confirmed=True))

# Every figure over the years -------------------------------------------------------------------------
st.subheader(WORDS["trend_title"])
st.caption(say("definitions", version=DEFINITIONS))
series = trend(evolution.reports, CODES)
table = pd.DataFrame(
    {str(y): [fmt.DASH if value is None else fmt.format_figure(code, value, lang()) for code in CODES
              for yy, value in series[code] if yy == y] for y in evolution.years},
    index=[figure_name(code, lang()) for code in CODES])
st.table(table)
code = st.selectbox(WORDS["figure"], CODES, format_func=lambda c, language=lang(): figure_name(c, language))
st.plotly_chart(evolution_chart({centre["name"]: series[code]}, code, lang()), width="stretch")

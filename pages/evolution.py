"""Évolution: a centre's chain across its stored years, the renewal of its resources and of its
funders as the accounts show them, who is who from year to year, and every figure's trend
(valuechain.chain.evolution, docs/indicateurs.md, docs/comptes.md)."""

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.shown import ACCOUNTS_SAMPLE_CENTRE, accounts_sample_files, opened_centre_id, year_sample_paths
from dashboard.visitor import access
from dashboard.widgets import on_a_phone, page_header, presenting, static_table
from dashboard.words import access_problem, lang, say
from valuechain import InputFile
from valuechain.access.policy import Operation
from valuechain.chain.evolution import KEPT, LOST, NEW, FundersRenewal, MatchDecision, node_key, trend
from valuechain.chain.figures import CODES, DEFINITIONS
from valuechain.errors import Refused
from valuechain.media import formatting as fmt
from valuechain.media.charts import evolution_chart
from valuechain.media.comparison import trend_frame
from valuechain.media.mapview import MAX_MAP_NODES, REPLAY_MS, evolution_map_html
from valuechain.store.batch import import_groups
from valuechain.vocabulary import CENTRE, CENTRE_FIELDS
from valuechain.words.messages import escape_markdown, figure_name

page_header("page_evolution", name_the_centre=False, about_the_centre_shown=False)
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
database = access()  # every read and change goes through the visitor's access
YEAR_FIELD = next(field for field in CENTRE_FIELDS if field.code == "year")


def add_accounts_sample() -> None:
    """La Passerelle's two fiscal years, each proposed from its FEC as the Comptes (FEC) page
    proposes it, imported, then shown: its funders' renewal from the accounts in one click."""
    import_groups(database, [[file] for file in accounts_sample_files(lang())], batch="Exemples", lang=lang())
    st.session_state[state.EVOLUTION_CENTRE] = ACCOUNTS_SAMPLE_CENTRE


centres = database.followed(min_years=2)
if not centres:
    # The field named as the workbook's template writes it, in the page's language.
    st.info(say("evolution", "none_field", field=YEAR_FIELD.header(language), sheet=CENTRE.sheet_name(language)))
    if database.user.owner and st.button(say("evolution", "add_sample")):
        # The batch import's loop: a year already there is not added twice.
        import_groups(
            database, [[InputFile.from_path(path)] for path in year_sample_paths()], batch="Exemples", lang=lang()
        )
        st.rerun()
    if database.user.owner and st.button(say("evolution", "add_accounts_sample")):
        add_accounts_sample()
        st.rerun()
    st.stop()

# The centre the dashboard shows, when it is a stored one with years; else the one just added as
# a sample; else the first.
opened_centre = opened_centre_id()
ids = [c["id"] for c in centres]
names = [c["name"] for c in centres]
asked = st.session_state.get(state.EVOLUTION_CENTRE)
row = st.columns([3, 4])
centre = row[0].selectbox(
    say("evolution", "centre"),
    centres,
    index=ids.index(opened_centre) if opened_centre in ids else names.index(asked) if asked in names else 0,
    format_func=lambda c: c["name"],
)
try:
    evolution, versions = database.evolution(centre["id"])
except Refused as refused:
    st.error(access_problem(refused))
    st.stop()
if len(evolution.years) < 2:
    st.info(say("evolution", "none_field", field=YEAR_FIELD.header(language), sheet=CENTRE.sheet_name(language)))
    st.stop()
# One year for the whole page (issue 34.9): the slider, the map, its caption, the renewal and the
# matches all show the year kept in the session; the replay moves that same year, so every part
# of the page follows it (the map has no year control of its own).
if st.session_state.get(state.EVOLUTION_YEAR) not in evolution.years:
    st.session_state[state.EVOLUTION_YEAR] = evolution.years[-1]
    st.session_state[state.EVOLUTION_REPLAY] = False


def _stop_replay() -> None:
    st.session_state[state.EVOLUTION_REPLAY] = False


def _toggle_replay() -> None:
    replaying = not st.session_state.get(state.EVOLUTION_REPLAY, False)
    st.session_state[state.EVOLUTION_REPLAY] = replaying
    if replaying:  # from the first year, each in turn, then it stops on the last
        st.session_state[state.EVOLUTION_YEAR] = evolution.years[0]


controls = row[1].columns([4, 2], vertical_alignment="bottom")
year = controls[0].select_slider(
    say("evolution", "year"), evolution.years, key=state.EVOLUTION_YEAR, on_change=_stop_replay
)
replaying = st.session_state.get(state.EVOLUTION_REPLAY, False)
controls[1].button(say("evolution", "replay_stop" if replaying else "replay"), on_click=_toggle_replay, width="stretch")
index = evolution.index(year)
previous = evolution.previous_year(year)
if replaying:
    st.session_state[state.EVOLUTION_TICKED] = False

    @st.fragment(run_every=REPLAY_MS / 1000)
    def _replay_clock() -> None:
        """Every few seconds, the next year for the whole page; on the last one, it stops."""
        if not st.session_state.get(state.EVOLUTION_TICKED):
            st.session_state[state.EVOLUTION_TICKED] = True  # the page was just drawn for this year
            return
        shown = evolution.index(st.session_state[state.EVOLUTION_YEAR])
        if shown + 1 < len(evolution.years):
            st.session_state[state.EVOLUTION_YEAR] = evolution.years[shown + 1]
        if shown + 2 >= len(evolution.years):
            st.session_state[state.EVOLUTION_REPLAY] = False
        st.rerun()

    _replay_clock()
if not presenting():  # on a wall the legend says it, and the map keeps the screen's height
    st.caption(say("evolution", "map_caption", centre=centre["name"], year=year))


@st.cache_resource(max_entries=16, show_spinner=False)
def _map(key: tuple, _evolution, language: str, wall: bool, shown: int, title: str, phone: bool) -> str:
    """The map's page, made once per centre's versions, decisions, language, screen and year."""
    return evolution_map_html(_evolution, language, presentation=wall, title=title, only=shown, portrait=phone)


decisions = evolution.decisions
made_of = tuple((v.id, str(v.imported_at)) for v in versions)
largest = evolution.largest_year
if largest > MAX_MAP_NODES:
    # Years of thousands of actors, node by node and in one place each, are no map to read:
    # the figures below still compare them, and the Carte page groups a year's chain.
    st.info(say("evolution", "too_large", count=largest, limit=MAX_MAP_NODES))
else:
    phone = on_a_phone()
    html = _map((made_of, decisions), evolution, lang(), presenting(), index, centre["name"], phone)
    # On a 1080p wall: the rest of the screen under the title and the centre and year line; on a
    # phone, a tall frame for the chain turned upright, under its legend.
    st.iframe(html, height=600 if presenting() else 780 if phone else 620)

# The renewal of resources, year N against the year stored before it --------------------------------
renewal = evolution.renewal(year)
st.subheader(say("evolution", "renewal_title", year=year))
if renewal is None:
    st.caption(say("evolution", "first_year", year=year))
else:
    if previous != year - 1:
        st.warning(say("evolution", "gap", previous=previous, year=year))

    cards = st.columns(5)

    def renewal_card(column, code: str, share: float | None, of: str, part: str, total: str) -> None:
        """A share of the renewal, with what it is a share of under it."""
        column.metric(say("evolution", code), fmt.share(share, lang()), help=say("evolution", f"{code}_help"))
        column.caption(say("evolution", of, part=part, total=total))

    money, hours = (lambda v: fmt.money(v, lang())), (lambda v: fmt.number(v, lang(), 1))
    renewal_card(
        cards[0], "new_share", renewal.new_share, "of_resources", money(renewal.from_new), money(renewal.resources)
    )
    renewal_card(
        cards[1],
        "new_hours_share",
        renewal.new_hours_share,
        "of_hours",
        hours(renewal.hours_from_new),
        hours(renewal.hours),
    )
    renewal_card(
        cards[2],
        "lost_share",
        renewal.lost_share,
        "of_resources",
        money(renewal.lost),
        money(renewal.previous_resources),
    )
    renewal_card(
        cards[3],
        "lost_hours_share",
        renewal.lost_hours_share,
        "of_hours",
        hours(renewal.hours_lost),
        hours(renewal.previous_hours),
    )
    cards[4].metric(say("evolution", "kept"), len(renewal.kept), help=say("evolution", "kept_help"))
    for key, named in (("new_names", renewal.new), ("gone_names", renewal.gone), ("kept_names", renewal.kept)):
        st.markdown(f"**{say('evolution', key)}** " + (", ".join(str(escape_markdown(n)) for n in named) or fmt.DASH))


# The funders' renewal as the accounts show it: the money measured from them, funder by funder -------
def euros(value: float) -> str:
    return fmt.money(value, lang())


# What happened to a funder, as a word (the full table) and as a mark (a phone's table, under its legend).
SITUATION = {KEPT: "funders_renewed_one", NEW: "funders_new_one", LOST: "funders_stopped_one"}
MARK = {KEPT: "funders_renewed_mark", NEW: "funders_new_mark", LOST: "funders_stopped_mark"}


def funders_table(found: FundersRenewal) -> pd.DataFrame:
    """Each funder's euros in both years, the difference and what happened, as the page writes them."""
    rows = [
        [
            funder.name,
            euros(funder.previous) if funder.change != NEW else fmt.DASH,
            euros(funder.current) if funder.change != LOST else fmt.DASH,
            ("+" if funder.current > funder.previous else "") + euros(funder.current - funder.previous),
            say("evolution", SITUATION[funder.change]),
        ]
        for funder in found.funders
    ]
    columns = [
        say("evolution", "funder"),
        str(found.previous_year),
        str(found.year),
        say("evolution", "funders_difference"),
        say("evolution", "funders_situation"),
    ]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0])


def funders_phone_table(found: FundersRenewal) -> pd.DataFrame:
    """The table a 390 px screen reads whole: what happened first, as a mark (the legend under
    it says which), then the funder and its euros of each year in whole euros; no difference."""
    rows = [
        [
            say("evolution", MARK[funder.change]),
            funder.name,
            fmt.money(funder.previous, lang(), 0) if funder.change != NEW else fmt.DASH,
            fmt.money(funder.current, lang(), 0) if funder.change != LOST else fmt.DASH,
        ]
        for funder in found.funders
    ]
    columns = [say("evolution", "funders_mark"), say("evolution", "funder"), str(found.previous_year), str(found.year)]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0])


funders = evolution.funders_renewal(year)
if funders is not None:
    st.subheader(say("evolution", "funders_title", previous=previous, year=year))
    st.caption(say("evolution", "funders_measured"))
    renewed, new, stopped = funders.of(KEPT), funders.of(NEW), funders.of(LOST)
    cards = st.columns(3)
    cards[0].metric(say("evolution", "funders_renewed"), len(renewed), help=say("evolution", "funders_renewed_help"))
    cards[0].caption(
        say(
            "evolution",
            "funders_from_to",
            before=euros(sum(f.previous for f in renewed)),
            previous=previous,
            now=euros(sum(f.current for f in renewed)),
            year=year,
        )
    )
    cards[1].metric(
        say("evolution", "funders_new", count=len(new)),
        fmt.share(funders.new_share, lang()),
        help=say("evolution", "funders_new_help"),
    )
    cards[1].caption(say("evolution", "of_resources", part=euros(funders.from_new), total=euros(funders.total)))
    cards[2].metric(
        say("evolution", "funders_stopped", count=len(stopped)),
        fmt.share(funders.stopped_share, lang()),
        help=say("evolution", "funders_stopped_help"),
    )
    cards[2].caption(say("evolution", "of_resources", part=euros(funders.stopped), total=euros(funders.previous_total)))
    if on_a_phone():
        static_table(funders_phone_table(funders))
        st.caption(say("evolution", "funders_legend"))
    else:
        static_table(funders_table(funders))

# Who is who from one year to the next: proposed by id and name, confirmed or undone by a person ------
if renewal is not None and not presenting():
    may_decide = database.decide(Operation.IMPORT, centre["federation"], centre["id"]).allowed
    graph_now, graph_before = evolution.graphs[index], evolution.graphs[index - 1]
    pairing = evolution.pairing(year)
    with st.expander(say("evolution", "matches_title", previous=previous, year=year)):
        st.caption(say("evolution", "matches_help"))

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

        st.markdown(say("evolution", "matched_by_id", count=len(pairing.by_id)))
        for match in pairing.proposed:
            line = st.columns([6, 2])
            line[0].write(
                say(
                    "evolution", f"matched_{match.how}", now=name_now(match.current), before=name_before(match.previous)
                )
            )
            if may_decide and line[1].button(say("evolution", "undo"), key=f"undo-{year}-{match.current}"):
                decide(MatchDecision(year, node_key(match.current), node_key(match.previous), confirmed=False))
        for decision in pairing.undone:
            line = st.columns([6, 2])
            line[0].write(say("evolution", "undone", now=decision.current, before=decision.previous))
            if may_decide and line[1].button(
                say("evolution", "redo"), key=f"redo-{year}-{decision.current}-{decision.previous}"
            ):
                decide(decision, forget=True)
        if may_decide:
            # Nothing is chosen for the person: an actor gone and another come are two actors (a
            # funder stopped, another started) unless someone who knows says one was renamed.
            actors_now, actors_before = pairing.unpaired_now, pairing.unpaired_before
            if actors_now and actors_before:
                st.markdown(say("evolution", "pair_renamed"))
                line = st.columns([3, 3, 2], vertical_alignment="bottom")
                chosen_now = line[0].selectbox(
                    say("evolution", "pair_now", year=year),
                    actors_now,
                    index=None,
                    format_func=name_now,
                    placeholder=say("evolution", "pair_choose"),
                    key=f"pair-now-{centre['id']}-{year}",
                )
                chosen_before = line[1].selectbox(
                    say("evolution", "pair_before", year=previous),
                    actors_before,
                    index=None,
                    format_func=name_before,
                    placeholder=say("evolution", "pair_choose"),
                    key=f"pair-before-{centre['id']}-{year}",
                )
                clicked = line[2].button(say("evolution", "pair"), disabled=chosen_now is None or chosen_before is None)
                if clicked and chosen_now is not None and chosen_before is not None:
                    decide(MatchDecision(year, node_key(chosen_now), node_key(chosen_before), confirmed=True))

# Every figure over the years -------------------------------------------------------------------------
st.subheader(say("evolution", "trend_title"))
st.caption(say("evolution", "definitions", version=DEFINITIONS))
series = trend(evolution.reports, CODES)
static_table(trend_frame(evolution.years, series, lang()))
code = st.selectbox(say("evolution", "figure"), CODES, format_func=lambda c: figure_name(c, language))
# On a phone, plotly's tool bar would sit on the chart's title: a finger does not need it.
st.plotly_chart(
    evolution_chart({centre["name"]: series[code]}, code, lang()),
    width="stretch",
    config={"displayModeBar": False} if on_a_phone() else {},
)

# The sample centre whose years come from its accounts, offered until it is there.
if database.user.owner and not presenting() and ACCOUNTS_SAMPLE_CENTRE not in names:
    if st.button(say("evolution", "add_accounts_sample")):
        add_accounts_sample()
        st.rerun()

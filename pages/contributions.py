"""Contributions: every figure of the docs as a card, who brings what, each activity, what is not valued."""

import streamlit as st

from dashboard.shown import made_once
from dashboard.widgets import figure_cards, on_a_phone, page_header, presenting, result_table
from dashboard.words import lang, say
from valuechain.chain.figures import CODES
from valuechain.media import tables
from valuechain.media.charts import categories_chart, contributions_bar, natures_chart

analysis = page_header("page_contributions")
figure_cards(analysis, list(CODES), per_row=3 if presenting() else 5)
brokerage = analysis.brokerage
st.info(
    say(
        "app",
        "brokerage",
        neighbours=say("count", "partners", count=brokerage.neighbours),
        pairs=say("count", "pairs_through_it", count=brokerage.pairs_linked),
    )
)
same = tables.centre_role_note(analysis, lang())  # two figures that meet: what each counts
if same:
    st.caption(same)

left, right = st.columns([3, 2])
shown = (lang(), presenting(), on_a_phone())  # the charts are made once per analysis, language and screen
with left:
    st.plotly_chart(
        made_once(
            analysis,
            ("bar", *shown),
            lambda: contributions_bar(analysis.contributions, lang(), presentation=presenting(), narrow=on_a_phone()),
        ),
        width="stretch",
    )
with right:
    st.plotly_chart(
        made_once(
            analysis,
            ("categories", *shown),
            lambda: categories_chart(
                analysis.contributions_by_category, lang(), presentation=presenting(), narrow=on_a_phone()
            ),
        ),
        width="stretch",
    )
    st.plotly_chart(
        made_once(
            analysis,
            ("natures", *shown),
            lambda: natures_chart(analysis.resources_by_nature, lang(), presentation=presenting(), narrow=on_a_phone()),
        ),
        width="stretch",
    )

if not presenting():
    result_table(
        analysis, "contributions", lambda: (tables.CONTRIBUTION_COLUMNS, tables.contribution_rows(analysis, lang()))
    )

st.subheader(say("app", "per_activity"))
result_table(
    analysis,
    "activities",
    lambda: tables.select(
        tables.ACTIVITY_COLUMNS,
        tables.activity_rows(analysis, lang()),
        ("activity", "type", "resources", "by_nature", "hours", "in", "out", "people"),
    ),
)

st.subheader(say("app", "costs_title"))
if analysis.activity_costs:
    st.caption(say("app", "costs_help"))
    result_table(analysis, "costs", lambda: (tables.COST_COLUMNS, tables.cost_rows(analysis)))
    notes = tables.cost_notes(analysis, lang(), markdown=True)  # why a "—", where it shows (issue 34.11)
    if notes:
        st.caption("  \n".join(notes))
else:
    st.info(say("app", "no_costs"))

st.subheader(say("app", "not_valued"))
unvalued = analysis.not_valued
if not unvalued:
    st.success(say("app", "all_valued"))
else:
    st.caption(say("app", "not_valued_help"))
    result_table(
        analysis,
        "not_valued",
        lambda: tables.select(
            tables.NOT_VALUED_COLUMNS,
            tables.not_valued_rows(analysis, lang()),
            ("source", "target", "nature", "quantity", "unit", "resource", "row"),
        ),
    )

"""Contributions: every figure of the docs as a card, who brings what, each activity, what is not valued."""

import streamlit as st

from pages.shared import figure_cards, lang, made_once, page_header, presenting, result_table, t
from valuechain.media.charts import categories_chart, contributions_bar, natures_chart
from valuechain.chain.figures import CODES
from valuechain.media import tables

analysis = page_header("page_contributions")
figure_cards(analysis, list(CODES), per_row=3 if presenting() else 5)
brokerage = analysis.brokerage
st.info(t("brokerage", neighbours=brokerage.neighbours, pairs=brokerage.pairs_linked))

left, right = st.columns([3, 2])
shown = (lang(), presenting())  # the charts are made once per analysis, language and screen
with left:
    st.plotly_chart(made_once(analysis, ("bar", *shown), lambda: contributions_bar(
        analysis.contributions, lang(), presentation=presenting())), width="stretch")
with right:
    st.plotly_chart(made_once(analysis, ("categories", *shown), lambda: categories_chart(
        analysis.contributions_by_category, lang(), presentation=presenting())), width="stretch")
    st.plotly_chart(made_once(analysis, ("natures", *shown), lambda: natures_chart(
        analysis.resources_by_nature, lang(), presentation=presenting())), width="stretch")

if not presenting():
    result_table(analysis, "contributions", lambda: (tables.CONTRIBUTIONS, tables.contribution_rows(analysis, lang())))

st.subheader(t("per_activity"))
result_table(analysis, "activities", lambda: tables.select(
    tables.ACTIVITIES, tables.activity_rows(analysis, lang()),
    ("activity", "type", "resources", "by_nature", "hours", "in", "out", "people")))

st.subheader(t("costs_title"))
if analysis.activity_costs:
    st.caption(t("costs_help"))
    result_table(analysis, "costs", lambda: (tables.COSTS, tables.cost_rows(analysis)))
else:
    st.info(t("no_costs"))

st.subheader(t("not_valued"))
unvalued = analysis.not_valued
if not unvalued:
    st.success(t("all_valued"))
else:
    st.caption(t("not_valued_help"))
    result_table(analysis, "not_valued", lambda: tables.select(
        tables.NOT_VALUED, tables.not_valued_rows(analysis, lang()),
        ("source", "target", "nature", "quantity", "unit", "resource", "row")))

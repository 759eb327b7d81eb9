"""Contributions: every figure of the docs as a card, who brings what, each activity, what is not valued."""

import pandas as pd
import streamlit as st

from pages.shared import figure_cards, lang, page_header, presenting, t
from valuechain import formatting as fmt
from valuechain.charts import categories_chart, contributions_bar, natures_chart
from valuechain.figures import CODES
from valuechain.tables import cost_headers, cost_rows_shown
from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, NATURES, unit_label

analysis = page_header("page_contributions")
figure_cards(analysis, list(CODES), per_row=3 if presenting() else 5)
brokerage = analysis.brokerage
st.info(t("brokerage", neighbours=brokerage.neighbours, pairs=brokerage.pairs_linked))

left, right = st.columns([3, 2])
with left:
    st.plotly_chart(contributions_bar(analysis.contributions, lang(), presentation=presenting()), width="stretch")
with right:
    st.plotly_chart(categories_chart(analysis.contributions_by_category, lang(), presentation=presenting()), width="stretch")
    st.plotly_chart(natures_chart(analysis.resources_by_nature, lang(), presentation=presenting()), width="stretch")

if not presenting():
    st.dataframe(pd.DataFrame({
        t("col_actor"): [c.name for c in analysis.contributions],
        t("col_category"): [CATEGORIES.short(c.category, lang()) for c in analysis.contributions],
        t("col_value"): [fmt.money(c.value, lang()) for c in analysis.contributions],
        t("col_share"): [fmt.percent(c.share, lang()) for c in analysis.contributions],
    }), hide_index=True, width="stretch")

st.subheader(t("per_activity"))
activities = analysis.activities
st.dataframe(pd.DataFrame({
    t("col_activity"): [a.name for a in activities],
    t("col_type"): [ACTIVITY_TYPES.short(a.type, lang()) for a in activities],
    t("col_resources"): [fmt.money(a.resources_value, lang()) for a in activities],
    t("col_by_nature"): [", ".join(f"{NATURES.short(n, lang())} {fmt.money(v, lang(), 0)}" for n, v in a.resources_by_nature.items())
                         for a in activities],
    t("col_hours"): [fmt.hours(a.volunteer_hours, lang()) for a in activities],
    t("col_in"): [a.flows_in for a in activities],
    t("col_out"): [a.flows_out for a in activities],
    t("col_people"): [fmt.number(a.people_reached, lang(), 0) for a in activities],
}), hide_index=True, width="stretch")

st.subheader(t("costs_title"))
if analysis.activity_costs:
    st.caption(t("costs_help"))
    st.dataframe(pd.DataFrame(cost_rows_shown(analysis, lang()), columns=cost_headers(lang())), hide_index=True,
                 width="stretch")
else:
    st.info(t("no_costs"))

st.subheader(t("not_valued"))
unvalued = analysis.not_valued
if not unvalued:
    st.success(t("all_valued"))
else:
    st.caption(t("not_valued_help"))
    st.dataframe(pd.DataFrame({
        t("col_source"): [u.source for u in unvalued],
        t("col_target"): [u.target for u in unvalued],
        t("col_nature"): [NATURES.short(u.nature, lang()) for u in unvalued],
        t("col_quantity"): [fmt.number(u.quantity, lang()) if u.quantity is not None else "—" for u in unvalued],
        t("col_unit"): [unit_label(u.unit, lang()) for u in unvalued],
        t("col_resource"): ["✓" if u.resource else "" for u in unvalued],
        t("col_row"): [u.row for u in unvalued],
    }), hide_index=True, width="stretch")

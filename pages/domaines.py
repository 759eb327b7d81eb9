"""Domaines d'impact: value, flows and indicators across the five domains."""

import streamlit as st

from dashboard.widgets import on_a_phone, page_header, presenting, result_table
from dashboard.words import lang, say
from valuechain.chain.metrics import flows_by_domain, indicators_by_domain
from valuechain.media import tables
from valuechain.media.charts import domains_bar, domains_radar

analysis = page_header("page_domains")
workbook = analysis.workbook
left, right = st.columns(2)
with left:
    st.plotly_chart(
        domains_bar(analysis.value_by_domain, lang(), presentation=presenting(), narrow=on_a_phone()), width="stretch"
    )
with right:
    series: dict[str, dict[str, float]] = {
        say("app", "col_value"): analysis.value_by_domain,
        say("app", "col_flows"): flows_by_domain(analysis.graph),
        say("app", "col_indicators"): indicators_by_domain(workbook.indicators),
    }
    st.plotly_chart(
        domains_radar(series, lang(), presentation=presenting(), title=say("app", "radar_title"), narrow=on_a_phone()),
        width="stretch",
    )

st.subheader(say("app", "indicators_table"))
if workbook.indicators.empty:
    st.info(say("app", "no_indicators"))
else:
    result_table(analysis, "indicators", lambda: (tables.INDICATOR_COLUMNS, tables.indicator_rows(analysis, lang())))

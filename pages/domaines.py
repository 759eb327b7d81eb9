"""Domaines d'impact: value, flows and indicators across the five domains."""

import pandas as pd
import streamlit as st

from pages.shared import lang, page_header, presenting, t
from valuechain.media import formatting as fmt
from valuechain.media.charts import domains_bar, domains_radar
from valuechain.chain.metrics import flows_by_domain, indicators_by_domain
from valuechain.vocabulary import domain_label

analysis = page_header("page_domains")
workbook = analysis.workbook
left, right = st.columns(2)
with left:
    st.plotly_chart(domains_bar(analysis.value_by_domain, lang(), presentation=presenting()), width="stretch")
with right:
    series = {
        t("col_value"): analysis.value_by_domain,
        t("col_flows"): flows_by_domain(analysis.graph),
        t("col_indicators"): indicators_by_domain(workbook.indicators),
    }
    st.plotly_chart(domains_radar(series, lang(), presentation=presenting(), title=t("radar_title")), width="stretch")

st.subheader(t("indicators_table"))
if workbook.indicators.empty:
    st.info(t("no_indicators"))
else:
    indicators = workbook.indicators
    table = pd.DataFrame({
        t("col_domain"): [domain_label(d, lang()) if d else (text or "—") for d, text in zip(indicators.domain, indicators.domain_text)],
        t("col_indicator"): indicators.indicator,
        t("col_number"): [fmt.number(v, lang()) if v is not None else "—" for v in indicators.value],
        t("col_unit"): indicators.unit,
        t("col_activity"): indicators.activity,
        t("col_actor"): indicators.actor,
        "Source": indicators.source,
        t("col_comment"): indicators.comment,
    })
    st.dataframe(table.fillna(""), hide_index=True, width="stretch")

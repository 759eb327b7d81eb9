"""Chaîne de valeur: contributors → activities → impact domains (or beneficiaries), as a Sankey."""

import streamlit as st

from pages.shared import lang, made_once, page_header, presenting, t
from valuechain.media.charts import SANKEY_TOP, sankey, sankey_counts, units_in_chain
from valuechain.vocabulary import UNIT_EUR, unit_label

analysis = page_header("page_chain")
units = units_in_chain(analysis.graph)
row = st.columns(2)
unit = row[0].selectbox(t("chain_measure"), units, format_func=lambda u, language=lang(): "€" if u == UNIT_EUR else unit_label(u, language))
by = row[1].radio(t("chain_by"), ["actor", "category"], horizontal=True,
                  format_func={"actor": t("by_actor"), "category": t("by_category")}.get)
st.caption(t("chain_help_eur") if unit == UNIT_EUR else t("chain_help_unit", unit=unit_label(unit, lang())))
top = SANKEY_TOP
contributors, _reached = made_once(analysis, ("sankey_counts", unit), lambda: sankey_counts(analysis.graph, unit))
if by == "actor" and contributors > SANKEY_TOP:
    # A large centre: the largest contributors one by one, the rest as one band; more on demand.
    top = st.slider(t("chain_top"), 10, min(contributors, 200), SANKEY_TOP, step=10)
    st.caption(t("chain_grouped", shown=top, total=contributors))
st.plotly_chart(made_once(analysis, ("sankey", lang(), unit, by, presenting(), top),
                          lambda: sankey(analysis.graph, lang(), unit, by, presentation=presenting(), top=top)),
                width="stretch")

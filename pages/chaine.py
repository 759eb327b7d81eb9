"""Chaîne de valeur: contributors → activities → impact domains (or beneficiaries), as a Sankey."""

import streamlit as st

from dashboard.shown import made_once
from dashboard.widgets import on_a_phone, page_header, presenting
from dashboard.words import lang, say
from valuechain.media.charts import SANKEY_TOP, sankey, sankey_counts, units_in_chain
from valuechain.vocabulary import UNIT_EUR, unit_label

analysis = page_header("page_chain")
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
units = units_in_chain(analysis.graph)
row = st.columns(2)
unit = row[0].selectbox(say("app", "chain_measure"), units, format_func=lambda u: unit_label(u, language))
by = row[1].radio(
    say("app", "chain_by"),
    ["actor", "category"],
    horizontal=True,
    format_func={"actor": say("app", "by_actor"), "category": say("app", "by_category")}.get,
)
st.caption(
    say("app", "chain_help_eur") if unit == UNIT_EUR else say("app", "chain_help_unit", unit=unit_label(unit, lang()))
)
top = SANKEY_TOP
contributors, _reached = made_once(analysis, ("sankey_counts", unit), lambda: sankey_counts(analysis.graph, unit))
if by == "actor" and contributors > SANKEY_TOP:
    # A large centre: the largest contributors one by one, the rest as one band; more on demand.
    top = st.slider(say("app", "chain_top"), 10, min(contributors, 200), SANKEY_TOP, step=10)
    st.caption(say("app", "chain_grouped", shown=top, total=contributors))
st.plotly_chart(
    made_once(
        analysis,
        ("sankey", lang(), unit, by, presenting(), top, on_a_phone()),
        lambda: sankey(analysis.graph, lang(), unit, by, presentation=presenting(), top=top, narrow=on_a_phone()),
    ),
    width="stretch",
)

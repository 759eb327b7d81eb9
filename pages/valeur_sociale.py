"""Valeur sociale: the SROI value map of the Effets sheet, the ratio with its range, the
tornado of its hypotheses, the value by evidence grade and by domain, and what it cannot say."""

import streamlit as st

from dashboard import state
from dashboard.shown import back_to_sample, sample_label, samples_with_outcomes, showing_a_sample
from dashboard.widgets import page_header, presenting
from dashboard.words import lang, say
from valuechain.media import formatting as fmt
from valuechain.media.charts import social_value_parts, tornado_chart
from valuechain.media.tables import in_words, ratio_texts, value_map_frame
from valuechain.vocabulary import EVIDENCE, domain_label

analysis = page_header("page_social_value")
value = analysis.social_value
if value is None:
    st.info(say("social_value", "none"))
    st.caption(say("social_value", "how_to_fill"))
    # A visitor shown a sample with no outcomes is offered one that has some: the page is
    # never empty for someone discovering the tool.
    offered = [p for p in samples_with_outcomes() if p.name != st.session_state.get(state.SAMPLE)]
    if offered and showing_a_sample() and not presenting():
        label = sample_label(offered[0])
        if st.button(say("social_value", "open_sample", name=label)):
            st.session_state[state.SAMPLE] = offered[0].name
            back_to_sample()
            st.rerun()
    st.stop()

if not value.outcomes:
    st.warning(say("social_value", "all_rows_in_error"))
st.markdown(f"**{in_words(value, lang())}**")
ratio, ratio_range, break_even = ratio_texts(value, lang())
cards = st.columns(4)
cards[0].metric(say("social_value", "ratio"), ratio, help=say("social_value", "ratio_help"))
cards[1].metric(say("social_value", "range"), ratio_range, help=say("social_value", "range_help"))
cards[2].metric(
    say("social_value", "present_value"),
    fmt.money(value.present_value, lang(), 0),
    help=say("social_value", "present_value_help"),
)
cards[3].metric(
    say("social_value", "investment"),
    fmt.money(value.investment, lang(), 0),
    help=say("social_value", "investment_help"),
)
if not presenting():
    more = st.columns(4)
    more[0].metric(say("social_value", "net_present_value"), fmt.money(value.net_present_value, lang(), 0))
    more[1].metric(say("social_value", "break_even"), break_even, help=say("social_value", "break_even_help"))
    more[2].metric(say("social_value", "discount_rate"), fmt.percent(value.discount_rate, lang(), 1))
    more[3].metric(say("social_value", "not_valued"), str(len(value.not_valued)))

if not value.outcomes:
    st.stop()  # nothing to chart or list until the rows in error are fixed (said above)
st.plotly_chart(tornado_chart(value, lang(), presentation=presenting()), width="stretch", key="tornado")
left, right = st.columns(2)
with left:
    grades = {code: EVIDENCE.label(code, lang()) for code in EVIDENCE.codes}
    st.plotly_chart(
        social_value_parts(value.by_grade, grades, say("social_value", "by_grade"), lang(), presenting()),
        width="stretch",
        key="by_grade",
    )
with right:
    domains = {code: domain_label(code, lang()) for code in value.by_domain}
    st.plotly_chart(
        social_value_parts(value.by_domain, domains, say("social_value", "by_domain"), lang(), presenting()),
        width="stretch",
        key="by_domain",
    )

if not presenting():
    st.subheader(say("social_value", "value_map"))
    st.dataframe(value_map_frame(value, lang()), hide_index=True, width="stretch")
    if value.not_valued:
        st.caption(say("social_value", "not_valued_list", outcomes=" · ".join(o.outcome for o in value.not_valued)))
    st.caption(say("social_value", "limits"))

"""Valeur sociale: the SROI value map of the Effets sheet, the ratio with its range, the
tornado of its hypotheses, the value by evidence grade and by domain, and what it cannot say."""

import pandas as pd
import streamlit as st

from pages.shared import lang, page_header, presenting, sv
from valuechain.media import formatting as fmt
from valuechain.media.charts import social_value_parts, tornado_chart
from valuechain.chain.social_value import MONEY_COLUMNS, SHARE_COLUMNS, VALUE_MAP_COLUMNS, reading, value_map
from valuechain.vocabulary import EVIDENCE, domain_label

analysis = page_header("page_social_value")
value = analysis.social_value
if value is None:
    st.info(sv("none"))
    st.caption(sv("how_to_fill"))
    st.stop()

if not value.outcomes:
    st.warning(sv("all_rows_in_error"))
st.markdown(f"**{reading(value, lang())}**")
low_high = value.ratio_range
cards = st.columns(4)
cards[0].metric(sv("ratio"), fmt.fixed(value.ratio, lang(), 2) if value.ratio is not None else "—",
                help=sv("ratio_help"))
cards[1].metric(sv("range"), f"{fmt.fixed(low_high[0], lang(), 2)} – {fmt.fixed(low_high[1], lang(), 2)}"
                if low_high else "—", help=sv("range_help"))
cards[2].metric(sv("present_value"), fmt.money(value.present_value, lang(), 0), help=sv("present_value_help"))
cards[3].metric(sv("investment"), fmt.money(value.investment, lang(), 0), help=sv("investment_help"))
if not presenting():
    more = st.columns(4)
    more[0].metric(sv("net_present_value"), fmt.money(value.net_present_value, lang(), 0))
    more[1].metric(sv("break_even"), fmt.fixed(value.break_even_proxy_factor, lang(), 2)
                   if value.break_even_proxy_factor is not None else "—", help=sv("break_even_help"))
    more[2].metric(sv("discount_rate"), fmt.percent(value.discount_rate, lang(), 1))
    more[3].metric(sv("not_valued"), str(len(value.not_valued)))

if not value.outcomes:
    st.stop()  # nothing to chart or list until the rows in error are fixed (said above)
st.plotly_chart(tornado_chart(value, lang(), presentation=presenting()), width="stretch", key="tornado")
left, right = st.columns(2)
with left:
    grades = {code: EVIDENCE.label(code, lang()) for code in EVIDENCE.codes}
    st.plotly_chart(social_value_parts(value.by_grade, grades, sv("by_grade"), lang(), presenting()), width="stretch",
                    key="by_grade")
with right:
    domains = {code: domain_label(code, lang()) for code in value.by_domain}
    st.plotly_chart(social_value_parts(value.by_domain, domains, sv("by_domain"), lang(), presenting()), width="stretch",
                    key="by_domain")

if not presenting():
    st.subheader(sv("value_map"))
    headers, rows = value_map(value, lang())

    def shown(code: str, cell: object) -> object:
        if cell is None:
            return ""
        if code in SHARE_COLUMNS:
            return fmt.percent(cell, lang(), 0)
        if code in MONEY_COLUMNS:
            return fmt.money(cell, lang())
        if code == "quantity":
            return fmt.number(cell, lang(), 0 if float(cell).is_integer() else 2)
        return cell

    st.dataframe(pd.DataFrame([[shown(code, cell) for code, cell in zip(VALUE_MAP_COLUMNS, row)] for row in rows],
                              columns=headers), hide_index=True, width="stretch")
    if value.not_valued:
        st.caption(sv("not_valued_list", outcomes=" · ".join(o.outcome for o in value.not_valued)))
    st.caption(sv("limits"))

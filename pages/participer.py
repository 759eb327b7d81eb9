"""Participer: a participant's phone says who brings what to whom. No account, no login: the
workshop's code in the address, a number for the phone, and a proposal for the facilitator."""

import json
import re

import streamlit as st

from pages import state
from pages.shared import lang, language_switch, participant_visit, t, w, workshop_problem, workshops
from valuechain.words.messages import WORKSHOP, WORKSHOP_REFUSALS, say
from valuechain.vocabulary import CATEGORIES, NATURES, unit_label
from valuechain.workshop.workshops import (COMMENT_LIMIT, NAME_LIMIT, UNITS, Answer, AnswerRefused, WorkshopError,
                                 map_names, new_token)

# A phone's screen: one column, large touch targets (44 px at least, with room between the
# choices), nothing of the dashboard around it. From the laptop's navigation (the facilitator
# trying the form), the sidebar and its language switch stay.
phone = participant_visit()
st.html("""<style>
  .block-container { padding: 1.2rem 1rem 3rem 1rem !important; max-width: 480px !important; }
  button[kind] { min-height: 3rem; font-size: 1.1rem !important; }
  [data-testid="stRadio"] label { min-height: 44px; align-items: center; }
</style>""" + ("""<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
</style>""" if phone else ""))

if phone:
    language_switch(t("language"), collapsed=True)

code = st.query_params.get("code", "")
if not code:
    st.title(w("join_title"))
    st.write(w("join_how"))
    typed = st.text_input(w("join_code"), max_chars=12)
    if st.button(w("join")) and typed.strip():
        st.query_params["code"] = "".join(typed.split()).upper()
        st.rerun()
    st.stop()

# The phone keeps its key in its own address bar (a refresh keeps the same participant number)
# and in a cookie of this room: the join address opened again, or its QR code scanned again,
# is the same participant, not one more.
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")  # what new_token() makes, and nothing else goes in a cookie
cookie = f"valuechain_p_{code}" if re.fullmatch(r"[A-Z0-9]{1,12}", code) else None
kept = st.context.cookies.get(cookie) if cookie else None
kept = kept if isinstance(kept, str) and KEY.fullmatch(kept) else None
token = st.query_params.get("p") or kept or new_token()
if st.query_params.get("p") != token:
    st.query_params["p"] = token
try:
    workshop, number = workshops().join(code, token, address=st.context.ip_address)
except WorkshopError as error:
    st.title(w("join_title"))
    st.error(workshop_problem(error))
    st.stop()
if cookie and kept != token and KEY.fullmatch(token):
    # Streamlit has no cookie of its own to set: a one-line script in a frame of the same origin
    # sets it (for a day, this site only). A phone that refuses cookies joins as before.
    st.iframe(f"<script>document.cookie = {json.dumps(f'{cookie}={token}; path=/; max-age=86400; SameSite=Strict')};"
              "</script>", height=1)

st.title(w("form_title"))
st.caption(w("form_intro", centre=workshop.centre_name, number=number))
names = map_names(workshops().workbook(workshop.id))
sent = st.session_state.get(state.PARTICIPANT_SENT, 0)

with st.form("proposal", clear_on_submit=True, border=False):
    # A name typed in a list box is lost unless the phone's Enter key is pressed: a new name
    # has a field of its own.
    picked = st.selectbox(w("who"), names, index=None, placeholder=w("who_placeholder"))
    typed = st.text_input(w("who_new"), max_chars=NAME_LIMIT, help=w("who_help", limit=NAME_LIMIT))
    category = st.selectbox(w("who_category"), CATEGORIES.codes[1:], index=None, placeholder=w("category_placeholder"),
                            format_func=lambda c, language=lang(): CATEGORIES.short(c, language))
    nature = st.radio(w("what"), NATURES.codes, index=None,
                      format_func=lambda c, language=lang(): NATURES.label(c, language))
    target = st.selectbox(w("to_whom"), names, index=0 if names else None, accept_new_options=True,
                          placeholder=w("who_placeholder"))
    row = st.columns([3, 2])
    quantity = row[0].number_input(w("how_much"), min_value=0.0, value=None, step=1.0)
    unit = row[1].selectbox(w("unit"), [None, *UNITS],
                            format_func=lambda u, language=lang(): "—" if u is None else unit_label(u, language))
    back = st.selectbox(w("back"), [None, *NATURES.codes],
                        format_func=lambda c, language=lang(): w("nothing_back") if c is None else NATURES.label(c, language))
    comment = st.text_input(w("comment"), max_chars=COMMENT_LIMIT)
    submitted = st.form_submit_button(w("send"), type="primary", width="stretch")

if submitted:
    answer = Answer(who=typed.strip() or picked or "", nature=nature or "", target=target or "", who_category=category,
                    quantity=quantity, unit=unit, back=back, comment=comment)
    try:
        workshops().propose(code, token, answer)
    except AnswerRefused as refused:
        for refusal in refused.refusals:
            st.error(say(WORKSHOP, "refusal_line", lang(), field=w("field_" + refusal.field),  # our own words: not escaped
                     reason=say(WORKSHOP_REFUSALS, refusal.code, lang(), **refusal.params)))
    except WorkshopError as error:
        st.error(workshop_problem(error))
    else:
        sent += 1
        st.session_state[state.PARTICIPANT_SENT] = sent
        st.success(w("sent", who=answer.who))
if sent:
    st.caption(w("sent_count", count=sent))
# The phone's key goes along: back on the form, it is the same participant.
st.page_link("pages/mur.py", label=w("see_wall"), query_params={"code": workshop.code, "p": token})

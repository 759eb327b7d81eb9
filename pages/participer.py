"""Participer: a participant's phone says who brings what to whom. No account, no login: the
workshop's code in the address, a number for the phone, and a proposal for the facilitator."""

import json

import streamlit as st

from dashboard import state
from dashboard.room import JoinedRoom, workshops
from dashboard.routing import through_app
from dashboard.visitor import participant_visit
from dashboard.widgets import style
from dashboard.words import lang, language_switch, say, workshop_problem
from valuechain.errors import AnswerRefused, WorkshopError
from valuechain.vocabulary import CATEGORIES, NATURES, unit_label
from valuechain.workshop.answers import COMMENT_LIMIT, NAME_LIMIT, UNITS, Answer, map_names
from valuechain.workshop.room import STORE_DOWN, is_token, new_token, token_cookie

through_app()
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
# A phone's screen: one column, large touch targets, nothing of the dashboard around it. From
# the laptop's navigation (the facilitator trying the form), the sidebar and its language
# switch stay.
phone = participant_visit()
st.html(style("phone") + (style("phone_alone") if phone else ""))

if phone:
    language_switch(say("app", "language"), collapsed=True)

code = st.query_params.get(state.JOIN_CODE_PARAM, "")
if not code:
    st.title(say("workshop", "join_title"))
    st.write(say("workshop", "join_how"))
    typed = st.text_input(say("workshop", "join_code"), max_chars=12)
    if st.button(say("workshop", "join")) and typed.strip():
        st.query_params[state.JOIN_CODE_PARAM] = "".join(typed.split()).upper()
        st.rerun()
    st.stop()

# The phone keeps its key in its own address bar (a refresh keeps the same participant number)
# and in a cookie of this room: the join address opened again, or its QR code scanned again,
# is the same participant, not one more.
cookie = token_cookie(code)
kept = st.context.cookies.get(cookie) if cookie else None
kept = kept if is_token(kept) else None
given = st.query_params.get(state.PARTICIPANT_PARAM)
token = given if given is not None and is_token(given) else kept if kept is not None else new_token()
if given != token:
    st.query_params[state.PARTICIPANT_PARAM] = token
store_down = False
try:
    workshop, number = workshops().join(code, token, address=st.context.ip_address)
    joined = JoinedRoom(code, workshop.code, workshop.centre_name, number, map_names(workshops().workbook(workshop.id)))
    st.session_state[state.PARTICIPANT_ROOM] = joined
except WorkshopError as error:
    st.title(say("workshop", "join_title"))
    st.error(workshop_problem(error))
    st.stop()
except STORE_DOWN:
    # The database stopped (or restarts): the form stays as the phone filled it, said so in our
    # words, and sent once the phone tries again.
    store_down = True
    joined = st.session_state.get(state.PARTICIPANT_ROOM)
    if joined is None or joined.asked != code:
        st.title(say("workshop", "join_title"))
        st.error(say("workshop", "store_down"))
        st.button(say("workshop", "retry"))
        st.stop()
if cookie and kept != token and not store_down:
    # Streamlit has no cookie of its own to set: a one-line script in a frame of the same origin
    # sets it (for a day, this site only). A phone that refuses cookies joins as before.
    st.iframe(
        f"<script>document.cookie = {json.dumps(f'{cookie}={token}; path=/; max-age=86400; SameSite=Strict')};"
        "</script>",
        height=1,
    )

st.title(say("workshop", "form_title"))
st.caption(say("workshop", "form_intro", centre=joined.centre, number=joined.number))
names = joined.names
sent = st.session_state.get(state.PARTICIPANT_SENT, 0)
# The form is kept as filled until its proposal is taken (a refusal, a database that does not
# answer); then a new form, empty, under a new key.
form = st.session_state.get(state.PARTICIPANT_FORM, 0)

with st.form(f"proposal-{form}", border=False):
    # A name typed in a list box is lost unless the phone's Enter key is pressed: a new name
    # has a field of its own.
    picked = st.selectbox(
        say("workshop", "who"), names, index=None, placeholder=say("workshop", "who_placeholder"), key=f"who-{form}"
    )
    typed = st.text_input(
        say("workshop", "who_new"),
        max_chars=NAME_LIMIT,
        help=say("workshop", "who_help", limit=NAME_LIMIT),
        key=f"who-new-{form}",
    )
    category = st.selectbox(
        say("workshop", "who_category"),
        CATEGORIES.codes[1:],
        index=None,
        placeholder=say("workshop", "category_placeholder"),
        format_func=lambda c: CATEGORIES.short(c, language),
        key=f"category-{form}",
    )
    nature = st.radio(
        say("workshop", "what"),
        NATURES.codes,
        index=None,
        format_func=lambda c: NATURES.label(c, language),
        key=f"what-{form}",
    )
    target = st.selectbox(
        say("workshop", "to_whom"),
        names,
        index=0 if names else None,
        accept_new_options=True,
        placeholder=say("workshop", "who_placeholder"),
        key=f"to-whom-{form}",
    )
    row = st.columns([3, 2])
    quantity = row[0].number_input(
        say("workshop", "how_much"), min_value=0.0, value=None, step=1.0, key=f"how-much-{form}"
    )
    unit = row[1].selectbox(
        say("workshop", "unit"),
        [None, *UNITS],
        format_func=lambda u: "—" if u is None else unit_label(u, language),
        key=f"unit-{form}",
    )
    back = st.selectbox(
        say("workshop", "back"),
        [None, *NATURES.codes],
        format_func=lambda c: say("workshop", "nothing_back") if c is None else NATURES.label(c, language),
        key=f"back-{form}",
    )
    comment = st.text_input(say("workshop", "comment"), max_chars=COMMENT_LIMIT, key=f"comment-{form}")
    submitted = st.form_submit_button(say("workshop", "send"), type="primary", width="stretch")

if submitted:
    answer = Answer(
        who=typed.strip() or picked or "",
        nature=nature or "",
        target=target or "",
        who_category=category,
        quantity=quantity,
        unit=unit,
        back=back,
        comment=comment,
    )
    try:
        workshops().propose(code, token, answer, address=st.context.ip_address)
    except AnswerRefused as refused:
        for line in refused.message(lang(), markdown=True).splitlines():  # one box per field
            st.error(line)
    except WorkshopError as error:
        st.error(workshop_problem(error))
    except STORE_DOWN:
        st.error(say("workshop", "store_down"))
    else:
        st.session_state[state.PARTICIPANT_SENT] = sent + 1
        st.session_state[state.PARTICIPANT_SAID] = say("workshop", "sent", who=answer.who)
        st.session_state[state.PARTICIPANT_FORM] = form + 1  # a new form, empty
        st.rerun()
elif store_down:
    st.error(say("workshop", "store_down"))
said = st.session_state.pop(state.PARTICIPANT_SAID, None)
if said:
    st.success(said)
if sent:
    st.caption(say("workshop", "sent_count", count=sent))
# The phone's key goes along: back on the form, it is the same participant.
st.page_link(
    "pages/mur.py",
    label=say("workshop", "see_wall"),
    query_params={state.JOIN_CODE_PARAM: joined.code, state.PARTICIPANT_PARAM: token},
)

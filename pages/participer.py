"""Participer: a participant's phone says who brings what to whom. No account, no login: the
workshop's code in the address, a number for the phone, and a proposal for the facilitator.

On a phone the keyboard's Enter ("Go") never sends the form (a half-filled one was refused and
emptied); what the page says after a click (a refusal, a name cut, "Merci !") is drawn above the
form and scrolled into the screen; a refusal keeps every field as typed. Under the form, the
phone's own proposals and what became of them (one still waiting may be withdrawn), and what the
room built, as a list a phone can read (the wall's map is for a projector)."""

import json

import streamlit as st

from dashboard import state
from dashboard.room import JoinedRoom, workshops
from dashboard.routing import through_app
from dashboard.visitor import participant_visit, visitor_address
from dashboard.widgets import style
from dashboard.words import lang, language_switch, say, workshop_problem
from valuechain.errors import AnswerRefused, WorkshopError
from valuechain.vocabulary import CATEGORIES, NATURES, unit_label
from valuechain.words.language import languages
from valuechain.workshop.answers import (
    COMMENT_LIMIT,
    NAME_LIMIT,
    UNITS,
    Answer,
    actors_by_category,
    clean_text,
    map_names,
    room_flows,
)
from valuechain.workshop.room import POLL_SECONDS, STORE_DOWN, is_token, new_token, token_cookie

CODE_LIMIT = 12
# What a paste may bring into a field before it is cut here, with a sentence (the browser's own
# limit would drop the whole paste without a word).
PASTE_LIMIT = 4 * COMMENT_LIMIT
# How often the phone's own proposals are looked at again while one waits for the facilitator.
OWN_POLL_SECONDS = 5 * POLL_SECONDS

through_app()
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
# A phone's screen: one column, large touch targets, nothing of the dashboard around it. From
# the laptop's navigation (the facilitator trying the form), the sidebar and its language
# switch stay.
phone = participant_visit()
st.html(style("phone") + (style("phone_alone") if phone else ""))

if phone:
    language_switch(say("app", "language"), collapsed=True)


def scroll_to_said() -> None:
    """What the page just said is brought into the screen (the thumb was on the button at the
    bottom of a long form): a one-line script in a frame of the same origin, as for the cookie."""
    # Each time a frame of its own (the same one again would not run its script again).
    times = st.session_state[state.PARTICIPANT_SCROLLS] = st.session_state.get(state.PARTICIPANT_SCROLLS, 0) + 1
    st.iframe(
        f"<script>/* {times} */ const said = parent.document.querySelector('.st-key-phone-said');"
        "if (said) said.scrollIntoView({block: 'start'});</script>",
        height=1,
    )


def say_all(said: list[tuple[str, str]]) -> None:
    for kind, text in said:
        {"error": st.error, "warning": st.warning, "success": st.success}[kind](text)


def _entered() -> None:
    st.session_state["join-entered"] = True


def join_screen() -> None:
    """The code to type (a phone that came without the join address), and why the last one was
    refused, above its field, which keeps it."""
    st.title(say("workshop", "join_title"))
    refused = st.session_state.pop(state.PARTICIPANT_JOIN_REFUSED, None)
    if refused:
        with st.container(key="phone-said"):
            st.error(refused)
    st.write(say("workshop", "join_how"))
    # Enter (the phone's "Go") joins, as the button does: nothing else is on this screen to lose.
    typed = st.text_input(say("workshop", "join_code"), key="join-code", on_change=_entered)
    if st.button(say("workshop", "join")) or st.session_state.pop("join-entered", False):
        wanted = "".join((typed or "").split()).upper()[:CODE_LIMIT]
        if wanted:
            st.query_params[state.JOIN_CODE_PARAM] = wanted
            st.rerun()
    st.stop()


code = st.query_params.get(state.JOIN_CODE_PARAM, "")
if not code:
    join_screen()

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
    workshop, number = workshops().join(code, token, address=visitor_address())
    joined = JoinedRoom(code, workshop.code, workshop.centre_name, number, map_names(workshops().workbook(workshop.id)))
    st.session_state[state.PARTICIPANT_ROOM] = joined
except WorkshopError as error:
    if error.code == "unknown_code":
        # Said over the field, which keeps what was typed; the wrong code leaves the address (it
        # would be tried, and counted, at every run of the page).
        del st.query_params[state.JOIN_CODE_PARAM]
        st.session_state[state.PARTICIPANT_JOIN_REFUSED] = workshop_problem(error)
        st.session_state["join-code"] = code[:CODE_LIMIT]
        st.rerun()
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

names = joined.names
# The form is kept as filled until its proposal is taken (a refusal, a database that does not
# answer, a name cut); then a new form, empty, under a new key.
form = st.session_state.get(state.PARTICIPANT_FORM, 0)
# A list of words keeps the words it was drawn with (a choice made in French stayed "Rien de
# précis" in English, and was sent as an unknown choice): those lists are drawn again under keys
# of the language, each taking what the other held once sent. What is typed, and the names,
# stay in their fields.
keys = {field: f"{field}-{form}" for field in ("who", "who-new", "to-whom", "how-much", "comment")}
keys |= {field: f"{field}-{form}-{language}" for field in ("category", "what", "unit", "back")}
for field in ("category", "what", "unit", "back"):
    for other in languages():
        # None is no choice: set as a value, a list box would show Streamlit's English "Choose an option".
        if keys[field] not in st.session_state and st.session_state.get(f"{field}-{form}-{other.code}") is not None:
            st.session_state[keys[field]] = st.session_state[f"{field}-{form}-{other.code}"]


def send() -> None:
    """The form's button (never Enter): a text pasted too long is cut in its field and said,
    not sent, for the participant to read it; else the proposal goes, or is refused with every
    field kept; what happened is said above the form."""
    typed = st.session_state
    said: list[tuple[str, str]] = []
    for field, limit in (("who-new", NAME_LIMIT), ("comment", COMMENT_LIMIT)):
        text = typed.get(keys[field]) or ""
        if len(" ".join(text.split())) > limit:
            typed[keys[field]] = clean_text(text, limit)
            label = say("workshop", "field_who" if field == "who-new" else "field_comment")
            said.append(("warning", say("phone", "cut", field=label, length=len(text), limit=limit)))
    if said:
        typed[state.PARTICIPANT_SAID] = said
        return
    answer = Answer(
        who=(typed.get(keys["who-new"]) or "").strip() or typed.get(keys["who"]) or "",
        nature=typed.get(keys["what"]) or "",
        target=typed.get(keys["to-whom"]) or "",
        who_category=typed.get(keys["category"]),
        quantity=typed.get(keys["how-much"]),
        unit=typed.get(keys["unit"]),
        back=typed.get(keys["back"]),
        comment=typed.get(keys["comment"]),
    )
    try:
        workshops().propose(code, token, answer, address=visitor_address())
    except AnswerRefused as refused:  # one box per field
        said = [("error", line) for line in refused.message(lang(), markdown=True).splitlines()]
    except WorkshopError as error:
        said = [("error", workshop_problem(error))]
    except STORE_DOWN:
        said = [("error", say("workshop", "store_down"))]
    else:
        typed[state.PARTICIPANT_SENT] = typed.get(state.PARTICIPANT_SENT, 0) + 1
        typed[state.PARTICIPANT_FORM] = form + 1  # a new form, empty
        said = [("success", say("workshop", "sent", who=clean_text(answer.who, NAME_LIMIT)))]
    typed[state.PARTICIPANT_SAID] = said


st.title(say("workshop", "form_title"))
st.caption(say("workshop", "form_intro", centre=joined.centre, number=joined.number))
said = st.session_state.pop(state.PARTICIPANT_SAID, None) or (
    [("error", say("workshop", "store_down"))] if store_down else []
)
if said:
    with st.container(key="phone-said"):
        say_all(said)
    scroll_to_said()

# Enter in a field never sends (the phone's "Go" key sent half-filled forms): the button does.
with st.form(f"proposal-{form}", border=False, enter_to_submit=False):
    # A name typed in a list box is lost unless the phone's Enter key is pressed: a new name
    # has a field of its own. No limit in the field itself: the browser would drop a longer
    # paste whole, without a word; it is cut at the click, and said.
    st.selectbox(
        say("workshop", "who"), names, index=None, placeholder=say("workshop", "who_placeholder"), key=keys["who"]
    )
    st.text_input(
        say("workshop", "who_new"),
        max_chars=PASTE_LIMIT,
        help=say("workshop", "who_help", limit=NAME_LIMIT),
        key=keys["who-new"],
    )
    st.selectbox(
        say("workshop", "who_category"),
        CATEGORIES.codes[1:],
        index=None,
        placeholder=say("workshop", "category_placeholder"),
        format_func=lambda c: CATEGORIES.short(c, language),
        key=keys["category"],
    )
    st.radio(
        say("workshop", "what"),
        NATURES.codes,
        index=None,
        format_func=lambda c: NATURES.label(c, language),
        key=keys["what"],
    )
    # Empty at first, after each send too: left on the list's first name, the centre, it sent
    # proposals to the centre without a word. Left empty, the proposal is refused, said above.
    st.selectbox(
        say("workshop", "to_whom"),
        names,
        index=None,
        accept_new_options=True,
        placeholder=say("workshop", "who_placeholder"),
        key=keys["to-whom"],
    )
    row = st.columns([3, 2])
    # No bounds for Streamlit to check: its message under the field is in English; a negative
    # amount is refused with our sentence, above the form, as every refusal.
    row[0].number_input(say("workshop", "how_much"), value=None, step=1.0, key=keys["how-much"])
    row[1].selectbox(
        say("workshop", "unit"),
        [None, *UNITS],
        format_func=lambda u: "—" if u is None else unit_label(u, language),
        key=keys["unit"],
    )
    st.selectbox(
        say("workshop", "back"),
        [None, *NATURES.codes],
        format_func=lambda c: say("workshop", "nothing_back") if c is None else NATURES.label(c, language),
        key=keys["back"],
    )
    st.text_input(
        say("workshop", "comment"),
        max_chars=PASTE_LIMIT,
        help=say("phone", "comment_help", limit=COMMENT_LIMIT),
        key=keys["comment"],
    )
    st.form_submit_button(say("workshop", "send"), type="primary", width="stretch", on_click=send)


def withdraw(proposal_id: int) -> None:
    try:
        workshops().withdraw(code, token, proposal_id)
    except WorkshopError as error:
        st.session_state[state.PARTICIPANT_SAID] = [("error", workshop_problem(error))]
    except STORE_DOWN:
        st.session_state[state.PARTICIPANT_SAID] = [("error", say("workshop", "store_down"))]
    else:
        st.session_state[state.PARTICIPANT_SAID] = [("success", say("phone", "withdrawn_done"))]


def own_proposals() -> None:
    """This phone's proposals, newest first, with what became of each; the one still waiting may
    be withdrawn. Looked at again every few seconds while one waits (the facilitator decides)."""
    try:
        own = workshops().own_proposals(code, token)
    except STORE_DOWN:
        return
    if not own:
        return
    st.subheader(say("phone", "own_title"))
    for proposal in reversed(own):
        answer = proposal.answer
        with st.container(border=True, key=f"own-{proposal.id}"):
            st.markdown(
                say(
                    "phone",
                    "own_line",
                    who=answer.who,
                    target=answer.target,
                    nature=NATURES.label(answer.nature, language),
                )
            )
            if proposal.state == "merged":
                st.caption(say("phone", "state_merged", name=proposal.merged_with or ""))
            else:
                st.caption(say("phone", f"state_{proposal.state}"))
            if proposal.withdrawable:
                st.button(
                    say("phone", "withdraw"),
                    key=f"withdraw-{proposal.id}",
                    on_click=withdraw,
                    args=(proposal.id,),
                    width="stretch",
                )


def room_built() -> None:
    """What the room built, as a list: the flows added in the workshop, then the map's actors by
    category (a phone cannot read the wall's map: names too small, the legend cut)."""
    try:
        entries = workshops().journal(workshop.id) if not store_down else []
        raw = workshops().workbook(workshop.id) if not store_down else None
    except STORE_DOWN:
        return
    if raw is None:
        return
    flows = room_flows(entries)
    groups = actors_by_category(raw)
    count = sum(len(group) for _code, group in groups)
    with st.expander(say("phone", "built_title", count=count)):
        if flows:
            st.markdown(f"**{say('phone', 'built_flows', count=len(flows))}**")
            st.markdown(
                "\n".join(
                    "- "
                    + say(
                        "phone",
                        "own_line",
                        who=flow.who,
                        target=flow.target,
                        nature=NATURES.label(flow.nature, language),
                    )
                    for flow in reversed(flows)
                )
            )
        else:
            st.caption(say("phone", "built_none"))
        for category, members in groups:
            st.markdown(
                say(
                    "phone",
                    "built_category",
                    category=CATEGORIES.short(category, language),
                    count=len(members),
                    names=", ".join(members),
                )
            )


def news() -> None:
    own_proposals()
    room_built()


try:
    waiting = not store_down and any(p.state == "sent" for p in workshops().own_proposals(code, token))
except STORE_DOWN:
    waiting = False
st.fragment(news, run_every=OWN_POLL_SECONDS if waiting else None)()

sent = st.session_state.get(state.PARTICIPANT_SENT, 0)
if sent:
    st.caption(say("workshop", "sent_count", count=sent))
# The wall as projected (on a phone, the list above reads better than its map).
st.page_link(
    "pages/mur.py",
    label=say("workshop", "see_wall"),
    query_params={state.JOIN_CODE_PARAM: joined.code, state.PARTICIPANT_PARAM: token},
)

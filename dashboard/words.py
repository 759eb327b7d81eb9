"""The dashboard's sentences: one ``say(context, key, **params)`` in the session's language.

Streamlit renders its texts as Markdown (images, links, emphasis, :colour[...] directives, LaTeX
between $): every sentence is said as Markdown, our own words trusted and every ``str`` value
(a centre's name, a file name, a federation's tag, a person) escaped by its type, so that a
centre named "![x](http://…)" shows as those characters and loads nothing. A value that is
itself one of our sentences (``say``'s result, ``Markdown``) joins as it is; numbers stay
numbers, and a plural entry takes the form its count asks for (``valuechain.words.messages``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from valuechain.words import messages
from valuechain.words.language import REFERENCE_LANGUAGE, language, languages
from valuechain.words.messages import Markdown


def lang() -> str:
    """The session's language code (a language the catalogue has a file for)."""
    return language(st.session_state.get(state.LANG, REFERENCE_LANGUAGE)).code


def keep_language_in_address() -> None:
    """The session's language, at its start, from the address (a reload is a new session: a
    wall switched to English went back to French); then the language in the address at every
    run (``?langue=en``; French, the reference, is said by no parameter)."""
    st.session_state.setdefault(state.LANG, language(st.query_params.get(state.LANG_PARAM)).code)
    code = lang()
    if code != REFERENCE_LANGUAGE:
        if st.query_params.get(state.LANG_PARAM) != code:
            st.query_params[state.LANG_PARAM] = code
    elif state.LANG_PARAM in st.query_params:
        del st.query_params[state.LANG_PARAM]


def say(context: str, key: str, /, **params: object) -> Markdown:
    """The sentence ``key`` of ``context`` in the session's language, its values escaped."""
    return Markdown(messages.say(context, key, lang(), markdown=True, **params))


def say_list(context: str, name: str, /) -> list[Markdown]:
    """The list ``name`` of ``context`` in the session's language (``messages.say_list``)."""
    return [Markdown(item) for item in messages.say_list(context, name, lang())]


def _language_chosen() -> None:
    st.session_state[state.LANG] = st.session_state[state.LANG_SWITCH] or st.session_state[state.LANG]


def language_switch(label: str, collapsed: bool = False) -> None:
    """Every language the catalogue has a file for, each under its own name. The widget has a
    key of its own, set from the language before it is drawn and copied back by its callback:
    state a widget owns cannot be changed once it is drawn (a second click on the selected
    language would crash the run)."""
    st.session_state[state.LANG_SWITCH] = lang()
    st.segmented_control(
        label,
        options=[spoken.code for spoken in languages()],
        key=state.LANG_SWITCH,
        on_change=_language_chosen,
        label_visibility="collapsed" if collapsed else "visible",
        format_func=lambda code: language(code).name,
    )


def access_problem(refused) -> str:
    """What a refusal says, in the user's language (``errors.Refused``), its values shown as typed."""
    return refused.message(lang(), markdown=True)


def workshop_problem(error) -> str:
    """What a ``WorkshopError`` says to the user, its values shown as typed."""
    return error.message(lang(), markdown=True)


def role_text(role) -> Markdown:
    """ "admin de FD 26", "membre de Les Tilleuls (FD 26)"…"""
    return say("access", f"role_{role.kind}", federation=role.federation, centre=role.centre or "")

"""Who is here: the laptop's owner, a person signed in on a federation's server, or a
participant of a workshop's room; their sign-in, and the store as they may use it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard import state
from dashboard.words import role_text, say

if TYPE_CHECKING:
    from valuechain.access.policy import User
    from valuechain.access.service import Access
    from valuechain.store.db import Store


def store() -> Store:
    """The federation store (SQLite file, or VALUECHAIN_DATABASE_URL), opened once per process
    and kept outside Streamlit's cache, which any visitor may clear (``process_store``)."""
    from valuechain.store.db import process_store

    return process_store()


def auth_configured() -> bool:
    """Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's
    ``st.login``): a federation's server. Without one (the laptop), one local user, the owner
    of the store, may do everything."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one Streamlit cannot read: no sign-in
        return False


def participant_visit() -> bool:
    """A participant's visit: in a room (``room_mode``), any visitor without the facilitator's
    key; anywhere, a join link (``?code=``). Participants get the form and the public wall,
    never the rest of the app."""
    from valuechain.workshop.room import is_participant, room_mode

    if state.JOIN_CODE_PARAM in st.query_params:
        return True
    room = room_mode()
    return is_participant(room, room and holds_room_key())


def holds_room_key() -> bool:
    """Whether this session gave the facilitator's key (``?animateur=KEY``, printed by ``make
    workshop``). Kept in the session and in the address bar, like the workshop's code: a page
    switch or a refresh keeps it; checked against the key at every run."""
    from valuechain.workshop.room import holds_facilitator_key

    given = st.session_state.get(state.FACILITATOR_KEY) or st.query_params.get(state.FACILITATOR_KEY_PARAM)
    if given is None or not holds_facilitator_key(given):
        st.session_state.pop(state.FACILITATOR_KEY, None)
        return False
    st.session_state[state.FACILITATOR_KEY] = given
    if st.query_params.get(state.FACILITATOR_KEY_PARAM) != given:
        st.query_params[state.FACILITATOR_KEY_PARAM] = given
    return True


def signed_in() -> tuple[User | None, str | None]:
    """``(user, refusal)``: the ``access.User`` behind this visit, read again from the store at
    every run (a role taken away takes effect at once), or ``None`` and the refusal's key
    (``signed_out``, ``session_expired``, ``no_email``). Identity comes from Streamlit's signed
    cookie alone, never from the session's state or the address."""
    from valuechain.access.people import identity_from_claims, user_of
    from valuechain.access.policy import User
    from valuechain.errors import Refused

    if participant_visit():
        return User.room_participant(), None
    if not auth_configured():
        return User.local_owner(), None
    if not st.user.get("is_logged_in"):
        return None, "signed_out"
    try:
        return user_of(store(), identity_from_claims(st.user.to_dict())), None
    except Refused as refused:
        return None, refused.reason


def facilitator() -> str | None:
    """Who opens and runs workshops: the signed-in person on a federation's server; nobody in
    particular on a laptop (``None``: every workshop of the store is theirs)."""
    if not auth_configured():
        return None
    user, _ = signed_in()
    return user.person if user is not None else ""


def access() -> Access:
    """The store as this visitor may use it (``valuechain.access.service.Access``): every page's only
    way to the store's centres and versions. A visitor with no access gets an Access that
    refuses everything."""
    from valuechain.access.policy import User
    from valuechain.access.service import Access

    user, _ = signed_in()
    return Access(store(), user or User("nobody"))


def sign_in_page(user: User | None, refusal: str | None) -> None:
    """What a visitor of a federation's server sees before signing in, after a sign-in that
    cannot be taken (too old, no e-mail), or when signed in with no role yet."""
    st.title(say("access", "page_sign_in"))
    if user is None and refusal == "signed_out":
        st.write(say("access", "sign_in_intro"))
        if st.button(say("access", "sign_in"), type="primary"):
            st.login()
    elif user is None:
        # A cookie Streamlit took but we do not: sign out, then in again.
        st.warning(say("access", f"refused_{refusal}"))
        if st.button(say("access", "sign_in_again"), type="primary"):
            st.logout()
    else:
        st.info(say("access", "no_role", person=user.person))
        st.write(say("access", "no_role_whom"))
        if st.button(say("access", "sign_out")):
            st.logout()


def signed_in_panel(user: User) -> None:
    """In the sidebar of a federation's server: who is signed in, their roles, sign out."""
    if not auth_configured() or user.owner:
        return
    st.caption(say("access", "signed_in_as", person=user.person))
    for role in user.roles:
        st.caption("· " + role_text(role))
    if st.button(say("access", "sign_out"), key="sign_out"):
        st.logout()

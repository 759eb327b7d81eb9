"""Who is here: the laptop's owner, a person signed in on a federation's server, or a
participant of a workshop's room; their sign-in, and the store as they may use it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from dashboard import state
from dashboard.words import role_text, say

if TYPE_CHECKING:
    from valuechain.access.people import Identity
    from valuechain.access.policy import User
    from valuechain.access.service import Access
    from valuechain.store.db import Store
    from valuechain.workshop.workshops import Workshops

T = TypeVar("T")


def store() -> Store:
    """The federation store (SQLite file, or VALUECHAIN_DATABASE_URL), opened once per process
    and kept outside Streamlit's cache, which any visitor may clear (``process_store``)."""
    from valuechain.store.db import process_store

    return process_store()


@st.cache_resource(show_spinner=False)
def workshops_of(url: str) -> Workshops:  # one per store: ``url`` is part of the key (``_url`` would not be)
    """The store's workshops (their state lives in the store): the room's key is checked there."""
    from valuechain.workshop.workshops import Workshops

    return Workshops(store())


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
    """Whether this session holds the facilitator's key. The key is given once, in the address
    (``?animateur=KEY``, printed by ``make workshop``), and taken out of it at once: no address
    the app shows (a projected wall, a page photographed) holds it. The session keeps a pass
    made from it, server-side, and the browser a cookie of that pass (never the key): a reload
    or a new tab of the same browser is the facilitator still; a restart with a new key is not.
    A wrong key is logged and counted against the visitor's address (``RoomPart.take_key``)."""
    from valuechain.errors import WorkshopError
    from valuechain.store.db import database_url
    from valuechain.workshop.room import FACILITATOR_PASS_COOKIE, facilitator_pass, holds_facilitator_pass

    given = st.query_params.get(state.FACILITATOR_KEY_PARAM)
    if given is not None:
        del st.query_params[state.FACILITATOR_KEY_PARAM]
        try:
            taken = workshops_of(database_url()).take_key(given, visitor_address())
        except WorkshopError:  # too many wrong keys from here: the right one waits too
            taken = False
        if taken:
            made = facilitator_pass()
            st.session_state[state.FACILITATOR_KEY] = made
            # Streamlit sets no cookie of its own: a script in a frame of the same origin does.
            cookie = f"{FACILITATOR_PASS_COOKIE}={made}; path=/; max-age=43200; SameSite=Strict"
            st.iframe(f"<script>document.cookie = {json.dumps(cookie)};</script>", height=1)
    held = st.session_state.get(state.FACILITATOR_KEY) or st.context.cookies.get(FACILITATOR_PASS_COOKIE)
    if not holds_facilitator_pass(held):
        st.session_state.pop(state.FACILITATOR_KEY, None)
        return False
    st.session_state[state.FACILITATOR_KEY] = held
    return True


@dataclass(frozen=True)
class Visit:
    """Who this visit is, as the page run knows it: a participant of the room, the laptop's one
    user, or the claims of Streamlit's signed cookie. Taken in a page run and kept by what runs
    later outside one (a download's callable, ``widgets.download_button``) only to say who
    asks: what they may do is read again from the store (``user``)."""

    participant: bool = False
    local: bool = False
    claims: tuple[tuple[str, object], ...] | None = None  # st.user's claims when signed in

    def user(self) -> tuple[User | None, str | None]:
        """``(user, refusal)``: the person with the roles the store holds for them now, or
        ``None`` and the refusal's key (``signed_out``, ``session_expired``, ``no_email``): the
        sign-in's age is measured now too."""
        from valuechain.access.people import user_of
        from valuechain.access.policy import User
        from valuechain.errors import Refused

        if self.participant:
            return User.room_participant(), None
        if self.local:
            return User.local_owner(), None
        if self.claims is None:
            return None, "signed_out"
        try:
            return self._as_signed_in(user_of), None
        except Refused as refused:
            return None, refused.reason

    def sign_out(self) -> None:
        """End the session in the store, so that a copy of the cookie opens nothing any more on
        any process (``people.sign_out``): ``st.logout`` deletes the cookie in this browser only."""
        from valuechain.access.people import sign_out
        from valuechain.errors import Refused

        if self.claims is not None:
            try:
                self._as_signed_in(sign_out)
            except Refused:  # a sign-in already refused (too old, no e-mail) has no session to end
                pass

    def _as_signed_in(self, act: Callable[[Store, Identity], T]) -> T:
        """``act(store, identity)`` for the person of the cookie's claims: the one place they
        become an identity, or ``Refused`` (``identity_from_claims``)."""
        from valuechain.access.people import identity_from_claims

        return act(store(), identity_from_claims(dict(self.claims or ())))

    def access(self) -> Access:
        """The store as this visitor may use it now (a visitor with no access: an Access that
        refuses everything)."""
        from valuechain.access.policy import User
        from valuechain.access.service import Access

        user, _ = self.user()
        return Access(store(), user or User("nobody"))


def this_visit() -> Visit:
    """The visit of this page run. Identity comes from Streamlit's signed cookie alone, never
    from the session's state or the address."""
    if participant_visit():
        return Visit(participant=True)
    if not auth_configured():
        return Visit(local=True)
    if not st.user.get("is_logged_in"):
        return Visit()
    return Visit(claims=tuple(st.user.to_dict().items()))


def signed_in() -> tuple[User | None, str | None]:
    """``(user, refusal)``: the ``access.User`` behind this visit, read again from the store at
    every run (a role taken away takes effect at once), or ``None`` and the refusal's key."""
    return this_visit().user()


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
    return this_visit().access()


def sign_out() -> None:
    """Sign out: the session ends in the store first, then in the browser (``st.logout``
    deletes the cookie and empties ``st.user``, hence the order)."""
    this_visit().sign_out()
    st.logout()


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
            sign_out()
    else:
        st.info(say("access", "no_role", person=user.person))
        st.write(say("access", "no_role_whom"))
        if st.button(say("access", "sign_out")):
            sign_out()


def signed_in_panel(user: User) -> None:
    """In the sidebar of a federation's server: who is signed in, their roles, sign out."""
    if not auth_configured() or user.owner:
        return
    st.caption(say("access", "signed_in_as", person=user.person))
    for role in user.roles:
        st.caption("· " + role_text(role))
    if st.button(say("access", "sign_out"), key="sign_out"):
        sign_out()


def visitor_address() -> str | None:
    """This visitor's address, for the room's limits: behind a trusted reverse proxy, the
    address the proxy says (``room.client_address``: ``X-Real-IP``, ``X-Forwarded-For``), never
    what the visitor wrote itself; otherwise its connection's (None for this machine)."""
    from valuechain.workshop.room import client_address

    return client_address(st.context.ip_address, st.context.headers.to_dict())

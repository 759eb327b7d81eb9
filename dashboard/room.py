"""The facilitator's workshop: the workshop this session works in, its analysis, the map's
positions every screen of the room shares, and the address phones join by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from dashboard import state
from dashboard.visitor import access, facilitator, participant_visit, workshops_of
from valuechain.chain.analysis import FIRST_SHOWN, Analysis, analyse_raw

if TYPE_CHECKING:
    import networkx as nx

    from valuechain.workshop.base import Workshop
    from valuechain.workshop.workshops import Workshops


@dataclass(frozen=True)
class JoinedRoom:
    """What a phone's form needs of the room it joined, kept in its session: with the database
    stopped, the form is drawn as the phone filled it, to be sent again."""

    asked: str  # the code in the phone's address
    code: str
    centre: str
    number: int
    names: list[str]


def workshops() -> Workshops:
    """The store's workshops, opened once per process (their state lives in the store)."""
    from valuechain.store.db import database_url

    forget_erased()
    return workshops_of(database_url())


_ERASURES_SEEN: dict[str, int] = {}  # by this process, per store


def forget_erased() -> None:
    """Streamlit's caches are this process's, shared by all its sessions, and hold centres'
    analyses and maps (a workshop's, its wall's, the Évolution page's): when the store says a
    centre was erased, by this process or another, they are all emptied before anything is
    taken from them again. One small query (``Store.erasures``)."""
    from valuechain.store.db import database_url

    url = database_url()
    erasures = workshops_of(url).store.erasures()  # the room's store: a count, no centre's data
    if _ERASURES_SEEN.get(url, 0) != erasures:
        st.cache_resource.clear()
        st.cache_data.clear()
        _ERASURES_SEEN[url] = erasures


def active_workshop() -> Workshop | None:
    """The workshop this facilitator's session works in, if any. Kept in the session and in
    the address bar (``?atelier=CODE``): a refresh, or the same address on a second laptop,
    brings it back; a closed workshop is left."""
    forget_erased()  # every page shows the centre through here first
    if participant_visit():
        return None
    code = st.session_state.get(state.WORKSHOP) or st.query_params.get(state.WORKSHOP_PARAM)
    if not code:
        return None
    # Asked of Access at every run, as a stored version is: on a federation's server only the
    # person who opened it runs it, and only while they may still import into its centre.
    workshop = access().resumed_workshop(workshops(), code, facilitator())
    if workshop is None:
        leave_workshop()
        return None
    st.session_state[state.WORKSHOP] = workshop.code
    workshops().touch(workshop.id)  # its facilitator is here: it takes phones (room.WORKSHOP_IDLE)
    if st.query_params.get(state.WORKSHOP_PARAM) != workshop.code:
        st.query_params[state.WORKSHOP_PARAM] = workshop.code
    return workshop


def leave_workshop() -> None:
    """This session works in no workshop any more, and its address says so."""
    st.session_state.pop(state.WORKSHOP, None)
    if state.WORKSHOP_PARAM in st.query_params:
        del st.query_params[state.WORKSHOP_PARAM]


@st.cache_resource(max_entries=16, show_spinner=False)
def workshop_analysis(workshop_id: int, revision: int) -> Analysis:
    """A workshop's analysis at one revision: shared by the wall, the facilitator and every
    process's visitors until the next change (the state itself is in the store)."""
    return analyse_raw(workshops().workbook(workshop_id), compute=FIRST_SHOWN)


def workshop_positions(
    workshop_id: int, graph: nx.MultiDiGraph, presentation: bool, save: bool = True
) -> dict[str, tuple[float, float]]:
    """The map's positions in a workshop, kept in the store: a reloaded wall, a second laptop
    and another app process place every node where the room saw it; a node added live is
    placed around the others, which do not move."""
    return workshops().wall_positions(workshop_id, graph, presentation, save=save)


def phones_can_join() -> bool:
    """Whether the server listens beyond this machine: ``make run`` listens on 127.0.0.1 only,
    and a phone given the room's address would find nothing there."""
    return str(st.get_option("server.address") or "").strip() not in ("localhost", "127.0.0.1", "::1")


def join_address(workshop: Workshop) -> str:
    """The address a participant opens: this machine on the room's network, the join page and
    the workshop's code."""
    from valuechain.workshop.room import room_address

    return f"{room_address(int(st.get_option('server.port')))}/participer?{state.JOIN_CODE_PARAM}={workshop.code}"

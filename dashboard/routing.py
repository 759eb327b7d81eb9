"""The app's addresses, and the one place where the dashboard changes Streamlit itself.

Two changes, both here and nowhere else (importing this module changes nothing; app.py, and
every page through ``page_header`` or by itself, call them):

- ``own_not_found_page`` patches Streamlit (``streamlit.commands.navigation.send_page_not_found``,
  pinned in requirements.txt): an address that names no page gets our sentence on the
  default page, not Streamlit's English "Page not found" dialog.
- ``through_app`` clears Streamlit's own "legacy ``pages/`` folder" flag, as ``st.navigation``
  does, when a page runs before app.py ever has (``scripts/serve.py`` clears it before the
  server starts; this covers ``streamlit run app.py``).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import streamlit as st
import streamlit.commands.navigation as _streamlit_navigation
from streamlit.navigation.page import StreamlitPage

from dashboard import state
from dashboard.words import say

if TYPE_CHECKING:
    from streamlit.runtime.scriptrunner import ScriptRunContext

# Every address of the app (st.Page's url_path): a visitor who asks for one their navigation
# does not hold gets our sentence and the page they may see, never Streamlit's "Page not found".
ADDRESSES = (
    "carte",
    "chaine",
    "domaines",
    "contributions",
    "valeur-sociale",
    "saisie",
    "exporter",
    "comptes",
    "comparer",
    "evolution",
    "membres",
    "atelier",
    "mur",
    "participer",
    "connexion",
    "rejoindre",
)

_UNKNOWN_ADDRESS = "\u0000unknown"  # no address of ours looks like this


def readable_address() -> None:
    """Every run, before anything reads the address: a parameter holding a control character (a
    NUL…) is dropped. No address of ours holds one, and PostgreSQL refuses to compare or keep
    a NUL: ``?code=``, ``?atelier=``, ``?version=`` with one gave Streamlit's English error page."""
    for name in list(st.query_params):
        if any(unicodedata.category(ch) == "Cc" for ch in name + "".join(st.query_params.get_all(name))):
            del st.query_params[name]


_through_app_checked = False


def through_app() -> None:
    """Streamlit decides once per process whether a folder named ``pages/`` is a legacy
    multipage app, and until app.py's ``st.navigation`` has run once, the first visit of a
    fresh server by a deep link (``/carte``) runs the page file alone: no language switch, no
    navigation of ours. The flag is Streamlit's own (``st.navigation`` clears it the same way);
    clearing it and rerunning runs app.py, which opens the page the link asked for.

    Looked at once per process, as Streamlit decides it: AppTest sets the flag again before
    each of its runs, and a rerun there would lose the click the run carries."""
    from streamlit.runtime.pages_manager import PagesManager

    readable_address()
    global _through_app_checked
    if _through_app_checked:
        return
    _through_app_checked = True
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def _page_not_found(ctx: ScriptRunContext) -> None:
    """In place of Streamlit's own: an address that names no page at all gets our sentence on
    the default page (say_not_here), not Streamlit's English "Page not found" dialog. Streamlit
    calls this from st.navigation, in the visitor's run."""
    st.session_state[state.NOT_HERE] = _UNKNOWN_ADDRESS


def own_not_found_page() -> None:
    """The dashboard's only patch of Streamlit: called by app.py before ``st.navigation``."""
    _streamlit_navigation.send_page_not_found = _page_not_found


def elsewhere_pages(present: set[str], target: StreamlitPage) -> list[StreamlitPage]:
    """Hidden pages for the addresses not in ``present``: each leads to ``target`` (an
    ``st.Page``), which then says that the page asked for is not open here."""

    def page_for(address: str) -> StreamlitPage:
        def elsewhere() -> None:
            st.session_state[state.NOT_HERE] = address
            st.switch_page(target, query_params=st.query_params.to_dict())

        elsewhere.__name__ = "elsewhere_" + address.replace("-", "_")
        return st.Page(elsewhere, title=address, url_path=address, visibility="hidden")

    return [page_for(address) for address in ADDRESSES if address not in present]


def say_not_here() -> None:
    """Once, on the page shown instead: the page asked for is not open here, or does not exist."""
    asked = st.session_state.pop(state.NOT_HERE, None)
    if asked == _UNKNOWN_ADDRESS:
        st.info(say("app", "page_unknown"))
    elif asked:
        st.info(say("app", "not_here", page=asked))

"""valuechain's dashboard: language, presentation mode and navigation. Pages are in pages/.

Run with ``make run`` (or ``streamlit run app.py``). It opens on a sample centre.
Because this file calls ``st.navigation``, Streamlit ignores its legacy automatic use of the
``pages/`` folder: every URL, a deep link such as ``/carte`` included, runs this file first,
with its language switch and navigation (checked by the browser test).
"""

import streamlit as st

from dashboard import state
from dashboard.routing import ADDRESSES, elsewhere_pages, own_not_found_page, readable_address, say_not_here
from dashboard.shown import restore_draft
from dashboard.visitor import auth_configured, participant_visit, signed_in, signed_in_panel
from dashboard.words import keep_language_in_address, language_switch, say
from valuechain.incidents import configure_logging
from valuechain.words import messages
from valuechain.words.language import REFERENCE_LANGUAGE

configure_logging()  # the program sets the handlers (the console, the file of incidents), once

# The tab's title is set before the visitor's language is known: French, the reference.
st.set_page_config(page_title=messages.say("app", "app_title", REFERENCE_LANGUAGE), layout="wide")
own_not_found_page()  # before any st.navigation: an unknown address gets our sentence
readable_address()  # before anything reads the address: a NUL in it is dropped

keep_language_in_address()  # a reload keeps the language chosen (?langue=en)
# Presentation mode is in the address too (?presentation=1): a wall reloaded stays a wall.
st.session_state.setdefault(state.PRESENTATION, st.query_params.get(state.PRESENTATION_PARAM) == state.PRESENTATION_ON)
# The widgets have keys of their own, set from the state before they are drawn and copied back
# by their callbacks: state a widget owns cannot be changed once it is drawn (the page's "leave
# presentation" button would crash the run). The language switch does the same (dashboard/words.py).
st.session_state[state.PRESENTATION_SWITCH] = st.session_state[state.PRESENTATION]


def _presentation_chosen() -> None:
    st.session_state[state.PRESENTATION] = st.session_state[state.PRESENTATION_SWITCH]


if participant_visit():
    # A phone of the room: the form and the public wall, in French first with a switch on the
    # form itself; no navigation, no sidebar, nothing else of the app (valuechain.workshop.room).
    # Streamlit serves its default page at "/" only: the join link's "/participer" names the
    # form itself, and "/" (or any other page of the app) leads to it.
    participate = st.Page("pages/participer.py", title=say("app", "page_participate"), url_path="participer")
    navigation = st.navigation(
        [
            st.Page(
                lambda: st.switch_page(participate, query_params=st.query_params.to_dict()),
                title=say("app", "page_participate"),
                url_path="rejoindre",
                default=True,
            ),
            participate,
            st.Page("pages/mur.py", title=say("app", "page_wall"), url_path="mur"),
            *elsewhere_pages({"rejoindre", "participer", "mur"}, participate),
        ],
        position="hidden",
    )
    say_not_here()
    navigation.run()
    st.stop()

user, refusal = signed_in()
if user is None or not user.has_role:
    # A federation's server: nobody sees anything of the app before signing in, and a person
    # signed in with no role sees only whom to ask (pages/connexion.py).
    with st.sidebar:
        language_switch(say("app", "language"))
    sign_in = st.Page("pages/connexion.py", title=say("access", "page_sign_in"), url_path="connexion", default=True)
    navigation = st.navigation([sign_in, *elsewhere_pages({"connexion"}, sign_in)], position="hidden")
    navigation.run()
    st.stop()

restore_draft()  # a reload, or a new tab, brings back the work of this person

if st.session_state[state.PRESENTATION]:
    # A wall hides the sidebar: its language switch in a corner, under the button that leaves
    # presentation mode (dashboard/styles/presentation.css places it by its key).
    with st.container(key="presentation_language"):
        language_switch(say("app", "language"), collapsed=True)
with st.sidebar:
    if not st.session_state[state.PRESENTATION]:
        language_switch(say("app", "language"))
    st.toggle(
        say("app", "presentation"),
        key=state.PRESENTATION_SWITCH,
        on_change=_presentation_chosen,
        help=say("app", "presentation_help"),
    )
    signed_in_panel(user)

members_shown = auth_configured() and user.is_admin()
home = st.Page("pages/accueil.py", title=say("app", "page_home"), default=True)
pages = [
    home,
    st.Page("pages/carte.py", title=say("app", "page_map"), url_path="carte"),
    st.Page("pages/chaine.py", title=say("app", "page_chain"), url_path="chaine"),
    st.Page("pages/domaines.py", title=say("app", "page_domains"), url_path="domaines"),
    st.Page("pages/contributions.py", title=say("app", "page_contributions"), url_path="contributions"),
    st.Page("pages/valeur_sociale.py", title=say("app", "page_social_value"), url_path="valeur-sociale"),
    st.Page("pages/saisie.py", title=say("app", "page_edit"), url_path="saisie"),
    st.Page("pages/exporter.py", title=say("app", "page_export"), url_path="exporter"),
    st.Page("pages/comptes.py", title=say("app", "page_accounts"), url_path="comptes"),
    st.Page("pages/comparer.py", title=say("app", "page_compare"), url_path="comparer"),
    st.Page("pages/evolution.py", title=say("app", "page_evolution"), url_path="evolution"),
    # Roles exist on a federation's server only: the laptop's one user has no members to manage.
    *([st.Page("pages/membres.py", title=say("app", "page_members"), url_path="membres")] if members_shown else []),
    st.Page("pages/atelier.py", title=say("app", "page_workshop"), url_path="atelier"),
    st.Page("pages/mur.py", title=say("app", "page_wall"), url_path="mur"),
    # The phones' form is here too: the facilitator tries it, and Streamlit, which checks a
    # link against the pages it saw last, knows a participant's link on a busy server.
    st.Page("pages/participer.py", title=say("app", "page_participate"), url_path="participer"),
]
if st.session_state[state.PRESENTATION]:
    st.query_params[state.PRESENTATION_PARAM] = state.PRESENTATION_ON
elif state.PRESENTATION_PARAM in st.query_params:
    del st.query_params[state.PRESENTATION_PARAM]
# Every other address of the app (the sign-in's, the phones' entry, Membres on the laptop): ours.
pages += elsewhere_pages(set(ADDRESSES) - {"connexion", "rejoindre"} - (set() if members_shown else {"membres"}), home)
# Expanded: every page listed (collapsed, Streamlit hides the last ones behind its own English
# "View 3 more").
navigation = st.navigation(pages, position="top" if st.session_state[state.PRESENTATION] else "sidebar", expanded=True)
say_not_here()
navigation.run()

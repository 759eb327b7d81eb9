"""valuechain's dashboard: language, presentation mode and navigation. Pages are in pages/.

Run with ``make run`` (or ``streamlit run app.py``). It opens on a sample centre.
Because this file calls ``st.navigation``, Streamlit ignores its legacy automatic use of the
``pages/`` folder: every URL, a deep link such as ``/carte`` included, runs this file first,
with its language switch and navigation (checked by the browser test).
"""

import streamlit as st

from pages import state
from pages.shared import (ADDRESSES, a, auth_configured, elsewhere_pages, language_switch, participant_visit, restore_draft,
                          say_not_here, signed_in, signed_in_panel, t)
from valuechain.words.messages import APP
from valuechain.vocabulary import DEFAULT_LANGUAGE

st.set_page_config(page_title=APP["app_title"][DEFAULT_LANGUAGE], layout="wide")

st.session_state.setdefault(state.LANG, DEFAULT_LANGUAGE)
# Presentation mode is in the address too (?presentation=1): a wall reloaded stays a wall.
st.session_state.setdefault(state.PRESENTATION, st.query_params.get("presentation") == "1")
# The widgets have keys of their own, set from the state before they are drawn and copied back
# by their callbacks: state a widget owns cannot be changed once it is drawn (the page's "leave
# presentation" button would crash the run). The language switch does the same (shared.py).
st.session_state[state.PRESENTATION_SWITCH] = st.session_state[state.PRESENTATION]


def _presentation_chosen() -> None:
    st.session_state[state.PRESENTATION] = st.session_state[state.PRESENTATION_SWITCH]


if participant_visit():
    # A phone of the room: the form and the public wall, in French first with a switch on the
    # form itself; no navigation, no sidebar, nothing else of the app (valuechain.workshop.workshops).
    # Streamlit serves its default page at "/" only: the join link's "/participer" names the
    # form itself, and "/" (or any other page of the app) leads to it.
    participate = st.Page("pages/participer.py", title=t("page_participate"), url_path="participer")
    navigation = st.navigation([st.Page(lambda: st.switch_page(participate, query_params=st.query_params.to_dict()),
                                        title=t("page_participate"), url_path="rejoindre", default=True),
                                participate, st.Page("pages/mur.py", title=t("page_wall"), url_path="mur"),
                                *elsewhere_pages({"rejoindre", "participer", "mur"}, participate)],
                               position="hidden")
    say_not_here()
    navigation.run()
    st.stop()

user, refusal = signed_in()
if user is None or not user.has_role:
    # A federation's server: nobody sees anything of the app before signing in, and a person
    # signed in with no role sees only whom to ask (pages/connexion.py).
    with st.sidebar:
        language_switch(t("language"))
    sign_in = st.Page("pages/connexion.py", title=a("page_sign_in"), url_path="connexion", default=True)
    navigation = st.navigation([sign_in, *elsewhere_pages({"connexion"}, sign_in)], position="hidden")
    navigation.run()
    st.stop()

restore_draft()  # a reload, or a new tab, brings back the work of this person

with st.sidebar:
    language_switch(t("language"))
    st.toggle(t("presentation"), key=state.PRESENTATION_SWITCH, on_change=_presentation_chosen,
              help=t("presentation_help"))
    signed_in_panel(user)

members_shown = auth_configured() and user.is_admin()
home = st.Page("pages/accueil.py", title=t("page_home"), default=True)
pages = [
    home,
    st.Page("pages/carte.py", title=t("page_map"), url_path="carte"),
    st.Page("pages/chaine.py", title=t("page_chain"), url_path="chaine"),
    st.Page("pages/domaines.py", title=t("page_domains"), url_path="domaines"),
    st.Page("pages/contributions.py", title=t("page_contributions"), url_path="contributions"),
    st.Page("pages/valeur_sociale.py", title=t("page_social_value"), url_path="valeur-sociale"),
    st.Page("pages/saisie.py", title=t("page_edit"), url_path="saisie"),
    st.Page("pages/exporter.py", title=t("page_export"), url_path="exporter"),
    st.Page("pages/comparer.py", title=t("page_compare"), url_path="comparer"),
    st.Page("pages/evolution.py", title=t("page_evolution"), url_path="evolution"),
    # Roles exist on a federation's server only: the laptop's one user has no members to manage.
    *([st.Page("pages/membres.py", title=t("page_members"), url_path="membres")]
      if members_shown else []),
    st.Page("pages/atelier.py", title=t("page_workshop"), url_path="atelier"),
    st.Page("pages/mur.py", title=t("page_wall"), url_path="mur"),
    # The phones' form is here too: the facilitator tries it, and Streamlit, which checks a
    # link against the pages it saw last, knows a participant's link on a busy server.
    st.Page("pages/participer.py", title=t("page_participate"), url_path="participer"),
]
if st.session_state[state.PRESENTATION]:
    st.query_params["presentation"] = "1"
elif "presentation" in st.query_params:
    del st.query_params["presentation"]
# Every other address of the app (the sign-in's, the phones' entry, Membres on the laptop): ours.
pages += elsewhere_pages(set(ADDRESSES) - {"connexion", "rejoindre"} - (set() if members_shown else {"membres"}), home)
# Expanded: every page listed (collapsed, Streamlit hides the last ones behind its own English
# "View 3 more").
navigation = st.navigation(pages, position="top" if st.session_state[state.PRESENTATION] else "sidebar", expanded=True)
say_not_here()
navigation.run()

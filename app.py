"""valuechain's dashboard: language, presentation mode and navigation. Pages are in pages/.

Run with ``make run`` (or ``streamlit run app.py``). It opens on a sample centre.
"""

import streamlit as st

from pages.shared import t
from valuechain.messages import APP

st.set_page_config(page_title=APP["app_title"]["fr"], page_icon="🔗", layout="wide")

st.session_state.setdefault("lang", "fr")
st.session_state.setdefault("presentation", False)

with st.sidebar:
    st.segmented_control(t("language"), options=["fr", "en"], key="lang",
                         format_func={"fr": "Français", "en": "English"}.get)
    if st.session_state["lang"] is None:  # a second click on the selected option clears it
        st.session_state["lang"] = "fr"
    st.toggle(t("presentation"), key="presentation", help=t("presentation_help"))

pages = [
    st.Page("pages/accueil.py", title=t("page_home"), icon="🏠", default=True, url_path="accueil"),
    st.Page("pages/carte.py", title=t("page_map"), icon="🕸️", url_path="carte"),
    st.Page("pages/chaine.py", title=t("page_chain"), icon="🔀", url_path="chaine"),
    st.Page("pages/domaines.py", title=t("page_domains"), icon="🎯", url_path="domaines"),
    st.Page("pages/contributions.py", title=t("page_contributions"), icon="🤝", url_path="contributions"),
    st.Page("pages/saisie.py", title=t("page_edit"), icon="✏️", url_path="saisie"),
]
navigation = st.navigation(pages, position="top" if st.session_state["presentation"] else "sidebar")
navigation.run()

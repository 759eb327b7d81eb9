"""valuechain's dashboard: language, presentation mode and navigation. Pages are in views/.

Run with ``make run`` (or ``streamlit run app.py``). It opens on a sample centre.
The pages are not in a folder named ``pages/``: Streamlit would then run a deep-linked page
file on its own (legacy multipage mode), without this entry file, its language switch and
its navigation.
"""

import streamlit as st

from views.shared import t
from valuechain.messages import APP

st.set_page_config(page_title=APP["app_title"]["fr"], layout="wide")

st.session_state.setdefault("lang", "fr")
st.session_state.setdefault("presentation", False)

with st.sidebar:
    st.segmented_control(t("language"), options=["fr", "en"], key="lang",
                         format_func={"fr": "Français", "en": "English"}.get)
    if st.session_state["lang"] is None:  # a second click on the selected option clears it
        st.session_state["lang"] = "fr"
    st.toggle(t("presentation"), key="presentation", help=t("presentation_help"))

pages = [
    st.Page("views/accueil.py", title=t("page_home"), default=True),
    st.Page("views/carte.py", title=t("page_map"), url_path="carte"),
    st.Page("views/chaine.py", title=t("page_chain"), url_path="chaine"),
    st.Page("views/domaines.py", title=t("page_domains"), url_path="domaines"),
    st.Page("views/contributions.py", title=t("page_contributions"), url_path="contributions"),
    st.Page("views/saisie.py", title=t("page_edit"), url_path="saisie"),
    st.Page("views/exporter.py", title=t("page_export"), url_path="exporter"),
    st.Page("views/comparer.py", title=t("page_compare"), url_path="comparer"),
]
navigation = st.navigation(pages, position="top" if st.session_state["presentation"] else "sidebar")
navigation.run()

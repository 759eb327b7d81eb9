"""Connexion: on a federation's server, the one page a visitor sees before signing in, after a
sign-in that cannot be taken (expired, no e-mail), or when signed in with no role yet."""

import streamlit as st

from pages.shared import a, signed_in

user, refusal = signed_in()
st.title(a("page_sign_in"))
if user is None and refusal == "signed_out":
    st.write(a("sign_in_intro"))
    if st.button(a("sign_in"), type="primary"):
        st.login()
elif user is None:
    # A cookie Streamlit took but we do not (too old, no e-mail): sign in again.
    st.warning(a(f"refused_{refusal}"))
    if st.button(a("sign_in_again"), type="primary"):
        st.logout()
else:
    st.info(a("no_role", person=user.person))
    st.write(a("no_role_whom"))
    if st.button(a("sign_out")):
        st.logout()

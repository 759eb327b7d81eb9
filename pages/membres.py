"""Membres: a federation's admin gives and takes roles, chooses what analysts see, restores
deleted versions, reads and exports the audit log, and exports or erases a centre whole (the
GDPR's rights of access and erasure). Every action goes through ``valuechain.access.service``."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import state
from dashboard.visitor import access
from dashboard.widgets import deleted_versions, download_button, local_time, page_header
from dashboard.words import access_problem, lang, role_text, say
from valuechain.access.audit import audit_csv, audit_table
from valuechain.access.policy import ADMIN, ANALYST, MEMBER
from valuechain.errors import Refused
from valuechain.store.db import KEPT_DELETED
from valuechain.words.messages import escape_markdown

page_header("page_members", name_the_centre=False)
database = access()
federations = database.administered()
if not federations:
    st.info(say("access", "members_none"))
    st.stop()


def done(action, *args, said: str | Callable[[Any], str]) -> None:
    """Do one change, then say it (or why it was refused) after the rerun; ``said`` may be
    made from what the change returns (a role given names its person as the store keeps it)."""
    try:
        result = action(*args)
    except Refused as refused:
        st.session_state[state.MEMBERS_SAID] = ("error", access_problem(refused))
    else:
        st.session_state[state.MEMBERS_SAID] = ("success", said(result) if callable(said) else said)
    st.rerun()


federation = st.selectbox(say("access", "federation"), federations) if len(federations) > 1 else federations[0]
st.caption(say("access", "members_of", federation=federation))
said = st.session_state.pop(state.MEMBERS_SAID, None)
if said:
    getattr(st, said[0])(said[1])

members, deleted, log, centres_tab = st.tabs(
    [
        say("access", "tab_members"),
        say("access", "tab_deleted"),
        say("access", "tab_audit"),
        say("access", "tab_centres"),
    ]
)
centres = {c["id"]: c["name"] for c in database.centres(federation=federation)}
with members:
    for role in database.roles(federation):
        columns = st.columns([4, 4, 1])
        columns[0].write(escape_markdown(role.person))
        columns[1].write(role_text(role))
        if columns[2].button(say("access", "revoke"), key=f"revoke{role.id}"):
            done(database.revoke, role.id, said=say("access", "revoked", person=role.person))
    with st.form("grant", clear_on_submit=True, enter_to_submit=False):
        st.markdown(f"**{say('access', 'grant_title')}**")
        person = st.text_input(say("access", "person"), placeholder="prenom.nom@exemple.fr")
        kind = st.selectbox(
            say("access", "role"), (MEMBER, ANALYST, ADMIN), format_func=lambda k: say("access", f"kind_{k}")
        )
        centre = st.selectbox(
            say("access", "centre_for_member"),
            [None, *centres],
            format_func=lambda i: "—" if i is None else centres[i],
        )
        if st.form_submit_button(say("access", "grant")):
            done(
                database.grant,
                person,
                kind,
                federation,
                centre if kind == MEMBER else None,
                said=lambda role: say("access", "granted", person=role.person),
            )
    see = database.analysts_see_names(federation)
    if st.toggle(say("access", "analysts_see_names"), value=see, help=say("access", "analysts_see_names_help")) != see:
        done(database.set_analysts_see_names, federation, not see, said=say("access", "setting_saved"))

with deleted:
    hidden = database.deleted(federation)
    if not hidden:
        st.caption(say("access", "deleted_none", days=KEPT_DELETED.days))
    deleted_versions(
        hidden,
        lambda version: done(
            database.restore, version.id, said=say("access", "restored", centre=version.centre, number=version.number)
        ),
    )

with log:
    entries = database.audit(federation, limit=1000)  # the latest on screen; the download has them all
    st.dataframe(audit_table(entries, lang(), local_time), hide_index=True, width="stretch")
    download_button(
        say("access", "audit_download"),
        lambda database, language=lang(), federation=federation: audit_csv(database.audit(federation), language),
        file_name="journal.csv",
        mime="text/csv",
    )

with centres_tab:
    st.caption(say("access", "gdpr_intro"))
    chosen = st.selectbox(say("access", "centre"), list(centres), format_func=lambda i: centres[i])
    if chosen is not None:
        name = centres[chosen]
        download_button(
            say("access", "centre_export"),
            lambda database, centre_id=chosen: database.centre_export(centre_id),
            file_name="centre.zip",
            mime="application/zip",
        )
        typed = st.text_input(say("access", "erase_confirm", centre=name), key=f"erase_typed{chosen}")
        if st.button(say("access", "erase"), type="primary", disabled=typed.strip() != name):
            done(database.erase_centre, chosen, said=say("access", "erased", centre=name))

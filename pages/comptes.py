"""Comptes: the centre's accounts (a FEC) read, the chain they show proposed for the director
to review (actors, flows, totals reconciled with the accounts, problems located), and the
proposed workbook to download. Nothing is kept here: the director reviews the workbook, then
imports it (docs/comptes.md)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.shown import SAMPLE_DIR
from dashboard.widgets import download_button, page_header
from dashboard.words import lang, say
from valuechain.accounts.propose import euros, reason
from valuechain.accounts.review import Review, review
from valuechain.errors import UnreadableWorkbook
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.vocabulary import CATEGORIES, NATURES
from valuechain.words.messages import escape_markdown

SAMPLE_FEC = SAMPLE_DIR / "comptes" / "999999999FEC20251231.txt"
SAMPLE_CENTRE = "Centre social La Passerelle"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

page_header("page_accounts", name_the_centre=False, about_the_centre_shown=False)
st.write(say("accounts_page", "intro"))


@st.cache_data(max_entries=4, show_spinner=False)
def reviewed(name: str, data: bytes, centre: str, language: str) -> Review:
    return review(InputFile(name, data), centre, language, ReadLimits.from_environment())


use_sample = st.toggle(say("accounts_page", "sample", name=SAMPLE_CENTRE), key="accounts_sample")
if use_sample:
    file = InputFile.from_path(SAMPLE_FEC)
    centre = SAMPLE_CENTRE
else:
    uploaded = st.file_uploader(say("accounts_page", "upload"), type=["txt", "csv", "xlsx"], key="accounts_upload")
    centre = st.text_input(say("accounts_page", "centre"), value=SAMPLE_CENTRE, key="accounts_centre")
    if uploaded is None:
        st.stop()
    file = InputFile(uploaded.name, uploaded.getvalue())
try:
    found = reviewed(file.name, file.data, centre, lang())
except UnreadableWorkbook as refused:
    st.error(refused.message(lang(), markdown=True))
    st.stop()

proposal = found.proposal
for line in found.lines(lang())[:2]:
    st.write(escape_markdown(line))

st.subheader(say("accounts_page", "reconciliation"))
st.dataframe(
    pd.DataFrame(
        [[row.group, euros(row.accounts, lang()), euros(row.chain, lang())] for row in proposal.reconciliation],
        columns=[
            say("accounts_page", "col_class"),
            say("accounts_page", "col_accounts"),
            say("accounts_page", "col_chain"),
        ],
    ),
    hide_index=True,
)
if proposal.left_out_lines:
    st.warning(
        say("accounts", "left_out", count=proposal.left_out_lines, amount=euros(proposal.left_out_cents, lang()))
    )

st.subheader(say("accounts_page", "actors"))
st.dataframe(
    pd.DataFrame(
        [[a.name, CATEGORIES.label(a.category, lang()), reason(a, lang())] for a in proposal.actors.values()],
        columns=[
            say("accounts_page", "col_name"),
            say("accounts_page", "col_category"),
            say("accounts_page", "col_reason"),
        ],
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(say("accounts_page", "flows"))
st.dataframe(
    pd.DataFrame(
        [
            [
                f.source,
                NATURES.label(f.nature, lang()),
                euros(f.cents, lang()),
                " | ".join(sorted(f.accounts)),
                len(f.references),
            ]
            for f in proposal.flows
            if f.cents > 0
        ],
        columns=[
            say("accounts_page", "col_source"),
            say("accounts_page", "col_nature"),
            say("accounts_page", "col_value"),
            say("accounts_page", "col_account_numbers"),
            say("accounts_page", "col_entries"),
        ],
    ),
    hide_index=True,
    width="stretch",
)

if proposal.problems:
    with st.expander(say("accounts_page", "problems", count=len(proposal.problems))):
        for problem in proposal.problems[:200]:
            st.write(escape_markdown(problem.located(lang())))

st.caption(say("accounts_page", "review_then_import"))
download_button(
    say("accounts_page", "download"),
    lambda database, language=lang(): found.workbook_bytes(language),
    file_name="comptes-propose.xlsx",
    mime=XLSX,
    what="accounts.xlsx",
    key="accounts_download",
)

"""Comptes: the centre's accounts (a FEC) read in a memory-capped worker, the chain they show
proposed, and the director's review before anything is kept: actors renamed, re-categorised,
merged or left out, flows linked to activities or left out, an account's lines left out, the
totals reconciled with the accounts at each change (``accounts.decisions``). The reviewed
workbook is downloaded, or merged into the centre's own workbook without touching what was
typed there (``accounts.merge``). Nothing is kept on the server (docs/comptes.md)."""

from __future__ import annotations

import copy
import hashlib

import pandas as pd
import streamlit as st

from dashboard.shown import SAMPLE_DIR
from dashboard.widgets import download_button, page_header
from dashboard.words import lang, say
from valuechain.accounts.decisions import Decisions, ReviewedFlow, flow_key
from valuechain.accounts.merge import merge_into
from valuechain.accounts.propose import euros, left_out_sentence, reason
from valuechain.accounts.review import Review, review_guarded
from valuechain.errors import UnreadableWorkbook
from valuechain.model import RawWorkbook
from valuechain.reading.guard import read_guarded
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.vocabulary import CATEGORIES, NATURES
from valuechain.words.messages import escape_markdown

SAMPLE_FEC = SAMPLE_DIR / "comptes" / "999999999FEC20251231.txt"
SAMPLE_CENTRE = "Centre social La Passerelle"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_PX = 35  # a table's row as Streamlit draws it: tables tall enough to show every row, no scroll of their own


def height(rows: int) -> int:
    return (rows + 1) * ROW_PX + 3


MERGES = "accounts_merges"  # session state: {file digest: {actor: the actor it joins}}

page_header("page_accounts", name_the_centre=False, about_the_centre_shown=False)
st.write(say("accounts_page", "intro"))


@st.cache_data(max_entries=4, show_spinner=False)
def reviewed(name: str, data: bytes, centre: str, language: str) -> Review:
    return review_guarded(InputFile(name, data), centre, language, ReadLimits.from_environment())


@st.cache_data(max_entries=2, show_spinner=False)
def centre_workbook(name: str, data: bytes) -> RawWorkbook:
    return read_guarded([InputFile(name, data)], ReadLimits.from_environment())


use_sample = st.toggle(say("accounts_page", "sample", name=SAMPLE_CENTRE), key="accounts_sample")
if use_sample:
    file = InputFile.from_path(SAMPLE_FEC)
    centre = SAMPLE_CENTRE
else:
    uploaded = st.file_uploader(say("accounts_page", "upload"), type=["txt", "csv", "xlsx"], key="accounts_upload")
    # The director's own centre: never the sample's name, asked for while it is empty.
    centre = st.text_input(
        say("accounts_page", "centre"), placeholder=say("accounts_page", "centre_placeholder"), key="accounts_centre"
    ).strip()
    if not centre:
        st.info(say("accounts_page", "centre_needed"))
    if uploaded is None or not centre:
        st.stop()
    file = InputFile(uploaded.name, uploaded.getvalue())
try:
    found = reviewed(file.name, file.data, centre, lang())
except UnreadableWorkbook as refused:
    st.error(refused.message(lang(), markdown=True))
    st.stop()

proposal = found.proposal
digest = hashlib.sha256(file.data).hexdigest()[:12]  # a new file: new tables, no decision of the last one
merges: dict[str, str] = st.session_state.setdefault(MERGES, {}).setdefault(digest, {})
st.write(escape_markdown(found.lines(lang())[0]))
said = st.container()
totals = st.container()

# The review: what the director changes, in the tables themselves -------------------------------
st.subheader(say("accounts_page", "review"))
st.caption(say("accounts_page", "review_help"))
st.markdown(f"**{say('accounts_page', 'actors')}**")
NAME, CATEGORY, LEAVE_OUT = (
    say("accounts_page", "col_name"),
    say("accounts_page", "col_category"),
    say("accounts_page", "col_leave_out"),
)
MERGED_INTO, REASON = say("accounts_page", "col_merged_into"), say("accounts_page", "col_reason")
categories = {CATEGORIES.label(code, lang()): code for code in CATEGORIES.codes if code != "centre"}
actor_names = list(proposal.actors)
actors = st.data_editor(
    pd.DataFrame(
        {
            NAME: actor_names,
            CATEGORY: [CATEGORIES.label(a.category, lang()) for a in proposal.actors.values()],
            LEAVE_OUT: [False] * len(actor_names),
            MERGED_INTO: [merges.get(name, "") for name in actor_names],
            REASON: [reason(a, lang()) for a in proposal.actors.values()],
        }
    ),
    key=f"accounts_actors_{digest}",
    height=height(len(actor_names)),
    hide_index=True,
    width="stretch",
    num_rows="fixed",
    disabled=[MERGED_INTO, REASON],
    column_config={
        NAME: st.column_config.TextColumn(NAME, required=True),
        CATEGORY: st.column_config.SelectboxColumn(CATEGORY, options=list(categories), required=True),
        LEAVE_OUT: st.column_config.CheckboxColumn(LEAVE_OUT),
    },
)

WHICH, INTO = f"accounts_merge_which_{digest}", f"accounts_merge_into_{digest}"


def merge_chosen() -> None:
    """The actors chosen join the one named (the latest merge of an actor wins); the choice is
    emptied for the next merge."""
    into = st.session_state[INTO]
    merges.update({name: into for name in st.session_state[WHICH] if name != into})
    merges.pop(into, None)  # the actor the others join stays itself
    st.session_state[WHICH] = []


with st.expander(say("accounts_page", "merge"), expanded=bool(merges)):
    which = st.multiselect(
        say("accounts_page", "merge_which"), actor_names, key=WHICH, placeholder=say("accounts_page", "choose_actors")
    )
    st.selectbox(say("accounts_page", "merge_into"), actor_names, key=INTO)
    merge_column, undo_column, _ = st.columns([1, 1, 3])
    merge_column.button(
        say("accounts_page", "merge_button"), key="accounts_merge_button", disabled=not which, on_click=merge_chosen
    )
    if merges:
        undo_column.button(say("accounts_page", "merge_undo"), key="accounts_merge_undo", on_click=merges.clear)
    for name, joined in merges.items():
        st.write(say("accounts_page", "merged_one", name=name, into=joined))

st.markdown(f"**{say('accounts_page', 'flows')}**")
shown_flows = [f for f in proposal.flows if f.cents > 0]
ACTIVITY = say("accounts_page", "col_activity")
flows = st.data_editor(
    pd.DataFrame(
        {
            say("accounts_page", "col_source"): [f.source for f in shown_flows],
            say("accounts_page", "col_nature"): [NATURES.label(f.nature, lang()) for f in shown_flows],
            say("accounts_page", "col_value"): [euros(f.cents, lang()) for f in shown_flows],
            say("accounts_page", "col_account_numbers"): [" | ".join(sorted(f.accounts)) for f in shown_flows],
            say("accounts_page", "col_entries"): [max(f.entries, len(f.references)) for f in shown_flows],
            ACTIVITY: [""] * len(shown_flows),
            LEAVE_OUT: [False] * len(shown_flows),
        }
    ),
    key=f"accounts_flows_{digest}",
    height=height(len(shown_flows)),
    hide_index=True,
    width="stretch",
    num_rows="fixed",
    disabled=[
        say("accounts_page", key)
        for key in ("col_source", "col_nature", "col_value", "col_account_numbers", "col_entries")
    ],
    column_config={
        ACTIVITY: st.column_config.TextColumn(ACTIVITY),
        LEAVE_OUT: st.column_config.CheckboxColumn(LEAVE_OUT),
    },
)
accounts = sorted({account for flow in shown_flows for account in flow.accounts})
left_out_accounts = st.multiselect(
    say("accounts_page", "leave_out_accounts"),
    accounts,
    key=f"accounts_left_out_accounts_{digest}",
    placeholder=say("accounts_page", "choose_accounts"),
)

decisions = Decisions(
    renamed={old: str(new) for old, new in zip(actor_names, actors[NAME]) if str(new or "").strip() != old},
    merged=dict(merges),
    categories={
        name: categories[label]
        for name, label, actor in zip(actor_names, actors[CATEGORY], proposal.actors.values())
        if label in categories and categories[label] != actor.category
    },
    activities={flow_key(f): str(a).strip() for f, a in zip(shown_flows, flows[ACTIVITY]) if str(a or "").strip()},
    left_out_actors={name for name, out in zip(actor_names, actors[LEAVE_OUT]) if out},
    left_out_flows={flow_key(f) for f, out in zip(shown_flows, flows[LEAVE_OUT]) if out},
    left_out_accounts=set(left_out_accounts),
)
decided = found.decided(decisions, lang())
assert decided.reviewed is not None

st.markdown(f"**{say('accounts_page', 'reviewed_chain')}**")
reviewed_flows = [f for f in decided.proposal.flows if isinstance(f, ReviewedFlow) and f.cents > 0]
st.dataframe(
    pd.DataFrame(
        [
            [
                f.source,
                NATURES.label(f.nature, lang()),
                euros(f.cents, lang()),
                f.activity,
                max(f.entries, len(f.references)),
            ]
            for f in reviewed_flows
        ],
        columns=[
            say("accounts_page", key)
            for key in ("col_source", "col_nature", "col_value", "col_activity", "col_entries")
        ],
    ),
    height=height(len(reviewed_flows)),
    hide_index=True,
    width="stretch",
)

# What the review gives: said at the top, where the director reads the totals -------------------
with said:
    st.write(escape_markdown(decided.lines(lang())[1]))
with totals:
    st.subheader(say("accounts_page", "reconciliation"))
    set_aside = decided.reviewed.set_aside_by_class()
    st.dataframe(
        pd.DataFrame(
            [
                [
                    row.group,
                    euros(row.accounts, lang()),
                    euros(row.chain, lang()),
                    euros(set_aside.get(row.group, (0, 0))[1], lang()),
                ]
                for row in decided.proposal.reconciliation
            ],
            columns=[
                say("accounts_page", "col_class"),
                say("accounts_page", "col_accounts"),
                say("accounts_page", "col_chain"),
                say("accounts_page", "col_set_aside"),
            ],
        ),
        hide_index=True,
    )
    reconciled = len(decided.proposal.reconciliation)
    for line in decided.reviewed.lines(lang())[reconciled:]:
        st.warning(escape_markdown(line))
    left_out = left_out_sentence(proposal, lang())
    if left_out is not None:
        st.warning(escape_markdown(left_out))

if proposal.problems:
    with st.expander(say("accounts_page", "problems", count=len(proposal.problems))):
        for problem in proposal.problems[:200]:
            st.write(escape_markdown(problem.located(lang())))

st.caption(say("accounts_page", "reviewed_then_import"))
download_button(
    say("accounts_page", "download_reviewed"),
    lambda database, language=lang(): decided.workbook_bytes(language),
    file_name="comptes-relu.xlsx",
    mime=XLSX,
    what="accounts.xlsx",
    key="accounts_download",
)

# Into the centre's own workbook ---------------------------------------------------------------
st.subheader(say("accounts_page", "into_workbook"))
st.caption(say("accounts_page", "into_workbook_help"))
existing = st.file_uploader(say("accounts_page", "existing_upload"), type=["xlsx", "ods"], key="accounts_existing")
if existing is None:
    st.stop()
try:
    typed = centre_workbook(existing.name, existing.getvalue())
except UnreadableWorkbook as refused:
    st.error(refused.message(lang(), markdown=True))
    st.stop()
merged = merge_into(copy.deepcopy(typed), copy.deepcopy(decided.proposal), lang())
merge_lines = merged.lines(lang())
if merged.refused:  # the workbook is of another year than the accounts: nothing added
    st.error(escape_markdown(merge_lines[0]))
    st.stop()
conflicts = len(merge_lines) - merged.said_apart()
st.success(escape_markdown(merge_lines[0]))
for line in merge_lines[1:conflicts]:
    st.info(escape_markdown(line))
for line in merge_lines[conflicts:]:
    st.warning(escape_markdown(line))
download_button(
    say("accounts_page", "download_merged"),
    lambda database, language=lang(): decided.merged_into(copy.deepcopy(typed), language).data,
    file_name=existing.name.rsplit(".", 1)[0] + "-comptes.xlsx",
    mime=XLSX,
    what="accounts merged .xlsx",
    key="accounts_download_merged",
)

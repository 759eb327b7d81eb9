"""Accueil / Données: choose a sample or upload a workbook, see what to check, key figures."""

import streamlit as st

from dashboard import state
from dashboard.shown import (
    SAMPLE_DIR,
    back_to_sample,
    revert_edits,
    sample_label,
    sample_paths,
    take_incoming_files,
)
from dashboard.visitor import signed_in
from dashboard.widgets import download_button, figure_cards, page_header, presenting
from dashboard.words import lang, role_text, say
from valuechain.chain.figures import KEY_FIGURES
from valuechain.media.tables import evidence_range, rate_range
from valuechain.words.messages import Markdown, escape_markdown
from valuechain.workbook.template import build_template
from valuechain.workbook.writing import workbook_bytes


@st.cache_data(show_spinner=False)
def template_bytes(template_lang: str) -> bytes:
    return workbook_bytes(build_template(template_lang))


user, _ = signed_in()
if user is not None and user.has_role:  # page_header keeps everyone else to the sign-in page
    take_incoming_files()
analysis = page_header("page_home")
st.write(say("app", "intro"))
# One line on who may do what here: the laptop's one user, or the signed-in person's roles.
if user is not None and user.owner:
    st.caption(say("access", "local_owner"))
elif user is not None:
    st.caption(
        say("access", "home_signed_in", person=user.person, roles=Markdown(", ".join(role_text(r) for r in user.roles)))
    )

if not presenting():
    left, right = st.columns([3, 2])
    with left:
        st.subheader(say("app", "source"))
        samples = sample_paths()
        names = [p.name for p in samples]
        uploaded = st.session_state.get(state.UPLOAD)
        choice = st.radio(
            say("app", "source"),
            [say("app", "source_sample"), say("app", "source_upload")],
            horizontal=True,
            index=1 if uploaded else 0,
            label_visibility="collapsed",
        )
        if choice == say("app", "source_sample"):
            current_sample = st.session_state.get(state.SAMPLE) or names[0]
            picked = st.selectbox(
                say("app", "sample"),
                names,
                index=names.index(current_sample) if current_sample in names else 0,
                format_func=lambda n: sample_label(SAMPLE_DIR / n),
            )
            if uploaded or picked != current_sample:
                st.session_state[state.SAMPLE] = picked
                back_to_sample()  # a sample, unedited: no draft to keep
                st.rerun()
        else:
            # Its files were taken at the top of the page (take_incoming_files).
            st.file_uploader(
                say("app", "upload"),
                type=["xlsx", "xlsm", "xls", "ods", "csv", "txt"],
                accept_multiple_files=True,
                key=state.UPLOADER,
            )
        if st.session_state.get(state.UPLOAD_ERROR):
            # The reason is said in the language the page is drawn in now, not the one of the upload.
            st.error(
                say(
                    "app",
                    "unreadable",
                    message=Markdown(st.session_state[state.UPLOAD_ERROR].message(lang(), markdown=True)),
                )
            )
            st.info(say("app", "showing_previous", name=analysis.name))
        replaced = st.session_state.get(state.UPLOAD_REPLACED)
        if replaced and not st.session_state.get(state.UPLOAD_ERROR):
            # Two whole workbooks are two centres: the later one is shown, the earlier set aside.
            kept, earlier = replaced
            st.warning(say("app", "upload_replaced", kept=kept, earlier=", ".join(earlier)))
    with right:
        st.subheader(say("app", "template_heading"))
        download_button(
            say("app", "template_fr"),
            lambda database, template=template_bytes("fr"): template,
            file_name="modele-classeur-centre.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        download_button(
            say("app", "template_en"),
            lambda database, template=template_bytes("en"): template,
            file_name="centre-workbook-template.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

if st.session_state.get(state.EDITED_RAW) is not None:
    st.info(say("app", "edited_note"))
    if st.button(say("app", "reset_edits"), key="reset_edits_home"):
        revert_edits()
        st.rerun()

workbook = analysis.workbook
st.caption(
    say(
        "app",
        "counts",
        **{
            table: say("count", table, count=len(getattr(workbook, table)))
            for table in ("actors", "activities", "flows", "indicators")
        },
    )
)

st.subheader(say("app", "key_figures"))
figure_cards(analysis, KEY_FIGURES, per_row=3)
# The figures that depend on the volunteer rate, as ranges: a director sees how much they hold.
st.caption(f"**{say('app', 'rate_range_title')}** — {rate_range(analysis, lang())}")
st.caption(f"**{say('app', 'evidence_range_title')}** — {evidence_range(analysis, lang())}")

refused = bool(st.session_state.get(state.UPLOAD_ERROR))
if not (refused and not workbook.problems):
    # A refused file with a centre shown that has no problem: the refusal above is all there is
    # to say (no "0 erreur et 0 avertissement" over an empty table).
    st.subheader(say("app", "problems_title"))
if refused and workbook.problems:
    # The file just given could not be read: no reassurance about the centre still shown.
    st.caption(say("app", "problems_of_previous", name=analysis.name))
if not workbook.problems:
    if not refused:
        st.success(say("app", "no_problem"))
else:
    message = say(
        "app",
        "problems_summary",
        errors=say("count", "errors", count=len(workbook.errors)),
        warnings=say("count", "warnings", count=len(workbook.warnings)),
    )
    (st.warning if workbook.errors else st.info)(message)
    only_errors = st.toggle(say("app", "only_errors"), value=bool(workbook.errors))
    problems = workbook.problems_frame(lang(), errors_only=only_errors)
    # The message is the widest column; a long one is read whole under the table, for the row
    # clicked (the grid cuts what does not fit its cell).
    message_column = problems.columns[-1]
    if problems.empty:  # only errors asked for, and there are none: a sentence, not an empty grid
        st.caption(say("app", "no_error_listed"))
    else:
        # A click anywhere on a row picks it (a cell picked is its row), not only its small box.
        chosen = st.dataframe(
            problems,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode=["single-row", "single-cell"],
            key="problems_table",
            column_config={message_column: st.column_config.TextColumn(width="large")},
        )
        selection = dict(chosen.selection) if chosen is not None else {}
        rows = list(selection.get("rows") or []) or [cell[0] for cell in selection.get("cells") or []]
        if rows:
            picked = workbook.listed_problems(only_errors)[rows[0]]
            st.info(str(escape_markdown(picked.located(lang()))))  # the workbook's words, shown as typed
        else:
            st.caption(say("app", "problem_select"))

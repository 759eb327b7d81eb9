"""Saisie / Édition: quick-add forms for workshops, every table editable, rows to fix, download."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.room import active_workshop
from dashboard.shown import current, edit_generation, made_once, revert_edits, set_edited
from dashboard.widgets import download_button, page_header
from dashboard.words import lang, say, say_list, workshop_problem
from valuechain.chain.analysis import Analysis
from valuechain.chain.graph import activities, node_names, nodes_by_name
from valuechain.vocabulary import CATEGORIES, NATURES, RECORD_TABLES, unit_label
from valuechain.words.language import languages
from valuechain.words.messages import say as say_in
from valuechain.workbook.editing import (
    ROW,
    SELECTS,
    SHEET,
    add_row,
    apply_centre_edits,
    apply_editor_changes,
    centre_frame,
    column_label,
    editable_frame,
    edited_frame,
    editor_options,
    with_editor_changes,
)
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook


def shown_frame(analysis: Analysis, code: str) -> pd.DataFrame:
    """A table as the editor shows it, made once per workbook and language (20,000 rows take a
    fifth of a second to write as text): the same frame the editor's changes are counted on."""
    if code == "centre":
        return made_once(analysis, ("editor", code, lang()), lambda: centre_frame(analysis.workbook.raw, lang()))
    return made_once(
        analysis,
        ("editor", code, lang()),
        lambda: editable_frame(analysis.workbook.raw, code, lang(), analysis.workbook.problems),
    )


TABLE_CODES = tuple(spec.code for spec in RECORD_TABLES)


def tab_name(code: str, language: str) -> str:
    """A table's tab, named as a person names it ("Activités", not the sheet's "Activites")."""
    return say_in("saisie", f"tab.{code}", language)


def take_edit(code: str, key: str, generation: str) -> None:
    """An editor's changes, taken before the page runs again (Streamlit runs this first): the
    page then runs once an edit with the figures of the edited workbook, not twice."""
    if generation != edit_generation():
        # The workbook changed since this table was shown (the room accepted a proposal): the
        # positions the editor counts no longer name the same rows. Said, not written over.
        from valuechain.errors import WorkshopError

        st.session_state[state.WORKSHOP_SAID] = workshop_problem(WorkshopError("changed_meanwhile"))
        return
    changes = st.session_state.get(key) or {}
    if not any(changes.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")):
        return
    analysis = current()
    frame = shown_frame(analysis, code)
    raw = analysis.workbook.raw
    if code == "centre":
        set_edited(apply_centre_edits(raw, with_editor_changes(frame, changes), lang()))
    else:
        set_edited(apply_editor_changes(raw, code, frame, changes, lang()))
    # The tables of the edited workbook, made from those shown: only the rows changed are
    # written again (and every row's problems), not 20,000 rows at each edit.
    edited = current()
    for table in TABLE_CODES:
        made_once(edited, ("editor", table, lang()), _from_shown(analysis, edited, table))


def _from_shown(shown: Analysis, edited: Analysis, code: str) -> Callable[[], pd.DataFrame]:
    """What makes table ``code`` of ``edited`` from the one ``shown`` before the edit."""
    return lambda: edited_frame(
        shown_frame(shown, code), shown.workbook.raw, edited.workbook.raw, code, lang(), edited.workbook.problems
    )


analysis = page_header("page_edit")
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
workbook = analysis.workbook
raw = workbook.raw
version = edit_generation()
st.write(say("app", "edit_intro"))

# Quick add: what a facilitator does live, in two clicks ----------------------------------------
names = node_names(analysis.graph)
listed_names = [names[node] for node in nodes_by_name(analysis.graph)]
activity_names = [names[node] for node in nodes_by_name(analysis.graph, activities(analysis.graph))]

left, right = st.columns(2)
with left, st.form("add_actor", clear_on_submit=True, enter_to_submit=False):
    st.markdown(f"**{say('quick_add', 'add_actor')}**")
    name = st.text_input(say("quick_add", "name"))
    category = st.selectbox(
        say("quick_add", "category"), CATEGORIES.codes, index=1, format_func=lambda c: CATEGORIES.short(c, language)
    )
    yes, no = say_list("yes_no", "words")
    local = st.radio(
        say("quick_add", "local"),
        [None, True, False],
        horizontal=True,
        format_func=lambda v: say("saisie", "local_unknown") if v is None else (yes if v else no),
    )
    if st.form_submit_button(say("quick_add", "add")) and name.strip():
        set_edited(
            add_row(
                raw,
                "actors",
                {
                    "name": name.strip(),
                    "category": CATEGORIES.short(category, lang()),
                    "local": None if local is None else (yes if local else no),
                },
            )
        )
        st.session_state[state.SAISIE_SAID] = say("quick_add", "added_actor", name=name.strip())
        st.rerun()
with right, st.form("add_flow", clear_on_submit=True, enter_to_submit=False):
    st.markdown(f"**{say('quick_add', 'add_flow')}**")
    row = st.columns(2)
    source = row[0].selectbox(say("quick_add", "source"), listed_names)
    centre_name = names[analysis.graph.graph["centre"]]
    target = row[1].selectbox(say("quick_add", "target"), listed_names, index=listed_names.index(centre_name))
    row = st.columns(3)
    nature = row[0].selectbox(
        say("quick_add", "nature"), NATURES.codes, format_func=lambda c: NATURES.short(c, language)
    )
    quantity = row[1].number_input(say("quick_add", "quantity"), min_value=0.0, value=None, step=1.0)
    unit = row[2].selectbox(
        say("quick_add", "unit"),
        [None, "€", "h", "jours", "kg", "personnes", "repas"],
        format_func=lambda u: say("quick_add", "none") if u is None else unit_label(u, language),
    )
    row = st.columns(2)
    value = row[0].number_input(say("quick_add", "value"), min_value=0.0, value=None, step=10.0)
    activity = row[1].selectbox(
        say("quick_add", "activity"),
        [None, *activity_names],
        format_func=lambda a: say("quick_add", "none") if a is None else a,
    )
    if st.form_submit_button(say("quick_add", "add")):
        set_edited(
            add_row(
                raw,
                "flows",
                {
                    "source": source,
                    "target": target,
                    "nature": NATURES.short(nature, lang()),
                    "quantity": quantity,
                    "unit": unit,
                    "value": value,
                    "activity": activity,
                },
            )
        )
        st.session_state[state.SAISIE_SAID] = say("quick_add", "added_flow", source=source, target=target)
        st.rerun()
said = st.session_state.pop(state.SAISIE_SAID, None)
if said:
    st.success(said)  # the row is at the end of its table below

# The tables ---------------------------------------------------------------------------------------------

# The table shown is in the address (?onglet=…): a reload (F5) keeps it, as it keeps the edits
# (issue 34.12). A tab named in another language (the switch was just used) is the same table.
TAB_CODES = ("centre", *(spec.code for spec in RECORD_TABLES))
tab_names = [tab_name(code, lang()) for code in TAB_CODES]
chosen = st.session_state.get(state.SAISIE_TAB_PARAM)
if chosen is not None and chosen not in tab_names:
    same = next((code for code in TAB_CODES for spoken in languages() if tab_name(code, spoken.code) == chosen), None)
    st.session_state[state.SAISIE_TAB_PARAM] = tab_name(same, lang()) if same else tab_names[0]
tabs = st.tabs(tab_names, key=state.SAISIE_TAB_PARAM, bind="query-params")
with tabs[0]:
    frame = shown_frame(analysis, "centre")
    key = f"edit-centre-{version}"
    field_column, value_column = frame.columns[0], frame.columns[1]
    st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        placeholder="",  # an empty cell is empty (Streamlit writes "None" there otherwise)
        disabled=[field_column],
        # Headers in words (the frame keeps the sheet's "champ" / "valeur": the edits name them).
        column_config={
            field_column: st.column_config.TextColumn(say("saisie", "field_header")),
            value_column: st.column_config.TextColumn(say("saisie", "value_header")),
        },
        on_change=take_edit,
        args=("centre", key, version),
    )

for tab, spec in zip(tabs[1:], RECORD_TABLES):
    with tab:
        frame = shown_frame(analysis, spec.code)
        errors = workbook.rows_in_error(spec.code)
        if errors:
            st.error(say("app", "edit_errors", rows=", ".join(str(r) for r in errors)))
        config = {
            say("editing", "status"): st.column_config.TextColumn(
                say("editing", "status"), disabled=True, width="medium"
            ),
            ROW: st.column_config.NumberColumn(say("app", "col_row"), disabled=True, width="small"),
            SHEET: None,
        }
        for code in SELECTS[spec.code]:
            header = column_label(spec.code, code, lang())
            config[header] = st.column_config.SelectboxColumn(
                header, options=editor_options(code, lang(), frame[header])
            )
        key = f"edit-{spec.code}-{version}"
        st.data_editor(
            frame,
            key=key,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            placeholder="",  # an empty list cell is empty, not "None"
            column_config=config,
            on_change=take_edit,
            args=(spec.code, key, version),
        )

row = st.columns(2)


# Written only when asked for (a 20,000-row workbook takes seconds to write), for whoever may
# still have it then; a stored centre's workbook is in the audit log.
download_button(
    say("app", "download_workbook"),
    lambda database, language=lang(): workbook_bytes(
        write_raw_workbook(raw, language, workbook.problems, write_only=True)
    ),
    file_name=f"{analysis.name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    what="saisie .xlsx",
    version_id=st.session_state.get(state.OPENED_VERSION),
    column=row[0],
)
# In a workshop the journal's undo takes an edit back; elsewhere edits are this session's own.
if (
    active_workshop() is None
    and st.session_state.get(state.EDITED_RAW) is not None
    and row[1].button(say("app", "reset_edits"))
):
    revert_edits()
    st.rerun()

"""Atelier: the facilitator opens a workshop on the centre shown, lets the room join from its
phones, takes the room's proposals (accept, merge, edit, reject), keeps the journal (undo,
redo), and closes the workshop into a new version of the centre in the store.

Everything here is written to the store at once (``valuechain.workshop.workshops``): this page only
shows it and passes the facilitator's clicks on."""

import streamlit as st

from pages import state
from pages.shared import (access, access_problem, active_workshop, clear_edits, current_files, facilitator,
                          join_address, lang, phones_can_join, local_time, page_header, t, w, workshop_problem, workshops)
from valuechain.access.service import Refused
from valuechain.media.exporters import export, file_name, mime_type
from valuechain.words.messages import WORKSHOP, WORKSHOP_REFUSALS, say
from valuechain.vocabulary import CATEGORIES, NATURES, unit_label
from valuechain.workshop.workshops import (POLL_SECONDS, UNITS, AnswerRefused, WorkshopError, actor_names, entry_text,
                                 join_qr_png, map_names, similar_names, who_text)

analysis = page_header("page_workshop")
workshop = active_workshop()


def _refused(refused: AnswerRefused) -> None:
    for refusal in refused.refusals:
        st.error(say(WORKSHOP, "refusal_line", lang(), field=w("field_" + refusal.field),  # our own words: not escaped
                 reason=say(WORKSHOP_REFUSALS, refusal.code, lang(), **refusal.params)))


if workshop is None:
    closed = st.session_state.get(state.WORKSHOP_CLOSED)
    if closed is not None:
        version = access().version(closed)
        st.success(w("closed_into", number=version.number, centre=version.centre, year=version.year or "—"))
        source = current_files()[0].name
        row = st.columns(3)
        for column, (label, suffix) in zip(row, (("export_pdf", ".pdf"), ("export_xlsx", ".xlsx"),
                                                 ("export_kumu", ".kumu.xlsx"))):
            column.download_button(t(label), lambda suffix=suffix, language=lang(): export(analysis, suffix, language, source), on_click="ignore",
                                   file_name=file_name(analysis, suffix, lang()), mime=mime_type(suffix),
                                   key=f"closed{suffix}")
        st.page_link("pages/exporter.py", label=w("all_exports"))
        st.divider()
    st.write(w("workshop_intro"))
    if st.button(w("open_workshop", centre=analysis.name), type="primary"):
        try:
            opened = access().open_workshop(workshops(), analysis.workbook.raw, analysis.name,
                                            source=current_files()[0].name, by=facilitator())
        except Refused as refused:
            st.warning(access_problem(refused))
            st.stop()
        clear_edits()  # the edits in progress are in the workshop's starting workbook
        st.session_state[state.WORKSHOP] = opened.code
        st.session_state.pop(state.WORKSHOP_CLOSED, None)
        st.rerun()
    open_ones = workshops().open_ones(by=facilitator())
    if open_ones:
        st.subheader(w("resume_title"))
        for other in open_ones:
            row = st.columns([4, 1])
            row[0].write(w("resume_line", centre=other.centre_name, code=other.code,
                           opened=f"{local_time(other.opened_at):%d/%m %H:%M}"))
            if row[1].button(w("resume"), key=f"resume-{other.id}"):
                st.session_state[state.WORKSHOP] = other.code
                st.rerun()
    st.stop()

st.subheader(w("workshop_open", centre=workshop.centre_name, code=workshop.code))
queue_tab, journal_tab, join_tab, close_tab = st.tabs([w("tab_queue"), w("tab_journal"), w("tab_join"), w("tab_close")])

with join_tab:
    if not phones_can_join():
        st.warning(w("local_only"))
    address = join_address(workshop)
    left, right = st.columns([1, 2])
    left.image(join_qr_png(address), width=280)
    right.markdown(w("join_code_big", code=workshop.code))
    right.write(w("join_address"))
    right.code(address, language=None, wrap_lines=True)
    right.caption(w("join_help"))
    right.page_link("pages/mur.py", label=w("open_wall"))


QUEUE_SHOWN = 30


@st.fragment(run_every=POLL_SECONDS)
def queue() -> None:
    """The room's proposals, looked for every second: a phone's answer appears here by itself."""
    pending = workshops().proposals(workshop.id)
    status = workshops().status(workshop.id)
    st.caption(w("queue_counts", pending=len(pending), proposals=status.proposals, participants=status.participants))
    if not pending:
        st.info(w("queue_empty"))
        return
    if len(pending) > 1 and st.button(w("reject_all", count=len(pending)), key="reject-all"):
        workshops().reject_all(workshop.id)
        st.rerun()
    raw = workshops().workbook(workshop.id)
    actors, names = actor_names(raw), map_names(raw)
    # A few at a time: a flooded queue would take the page minutes to draw.
    if len(pending) > QUEUE_SHOWN:
        st.caption(w("queue_more", count=len(pending) - QUEUE_SHOWN))
    for proposal in pending[:QUEUE_SHOWN]:
        answer = proposal.answer
        with st.container(border=True):
            st.markdown(w("proposal_line", number=proposal.participant, who=answer.who, target=answer.target,
                          nature=NATURES.label(answer.nature, lang())))
            details = []
            if answer.quantity is not None:
                details.append(f"{answer.quantity:g} {unit_label(answer.unit, lang()) if answer.unit else ''}".strip())
            if answer.back:
                details.append(w("proposal_back", nature=NATURES.label(answer.back, lang())))
            if answer.comment:
                details.append(w("proposal_comment", comment=answer.comment))
            if details:
                st.caption(" · ".join(details))
            known = answer.who.casefold() in {n.casefold() for n in names}
            # Offered first for a merge: the actor of the same name, else those that look alike.
            alike = [a for a in actors if a.casefold() == answer.who.casefold()] if known else similar_names(answer.who, actors)
            if not known:
                st.caption(w("proposal_new", category=CATEGORIES.short(answer.who_category or "autre", lang()))
                           + (" " + w("proposal_alike", names=", ".join(alike)) if alike else ""))
            row = st.columns([1, 1, 2, 1])
            try:
                if row[0].button(w("accept"), key=f"accept-{proposal.id}", type="primary"):
                    workshops().accept(workshop.id, proposal.id)
                    st.rerun()
                if row[1].button(w("reject"), key=f"reject-{proposal.id}"):
                    workshops().reject(workshop.id, proposal.id)
                    st.rerun()
                if actors:
                    # The closest look-alike is offered; with none, nothing is chosen until the
                    # facilitator chooses (the first actor, the centre, made flows to itself).
                    chosen = row[2].selectbox(w("merge_with"), alike + [a for a in actors if a not in alike],
                                              index=0 if alike else None,
                                              placeholder=w("merge_placeholder"), key=f"merge-choice-{proposal.id}",
                                              label_visibility="collapsed")
                    if row[3].button(w("merge"), key=f"merge-{proposal.id}", help=w("merge_help"), disabled=chosen is None):
                        workshops().accept(workshop.id, proposal.id, merge_with=chosen)
                        st.rerun()
                with st.expander(w("edit_proposal")):
                    with st.form(f"edit-{proposal.id}", border=False):
                        who = st.text_input(w("who"), value=answer.who)
                        category = st.selectbox(w("who_category"), CATEGORIES.codes[1:],
                                                index=CATEGORIES.codes[1:].index(answer.who_category)
                                                if answer.who_category in CATEGORIES.codes[1:] else None,
                                                placeholder=w("category_placeholder"),
                                                format_func=lambda c, language=lang(): CATEGORIES.short(c, language))
                        nature = st.selectbox(w("what"), NATURES.codes, index=NATURES.codes.index(answer.nature),
                                              format_func=lambda c, language=lang(): NATURES.label(c, language))
                        target = st.selectbox(w("to_whom"), names, accept_new_options=True,
                                              index=names.index(answer.target) if answer.target in names else None)
                        parts = st.columns(2)
                        quantity = parts[0].number_input(w("how_much"), min_value=0.0, value=answer.quantity)
                        unit = parts[1].selectbox(w("unit"), [None, *UNITS],
                                                  index=[None, *UNITS].index(answer.unit) if answer.unit in UNITS else 0,
                                                  format_func=lambda u, language=lang(): "—" if u is None else unit_label(u, language))
                        back = st.selectbox(w("back"), [None, *NATURES.codes],
                                            index=[None, *NATURES.codes].index(answer.back) if answer.back in NATURES.codes else 0,
                                            format_func=lambda c, language=lang(): w("nothing_back") if c is None else NATURES.label(c, language))
                        if st.form_submit_button(w("accept_edited")):
                            edited = type(answer)(who=who, nature=nature, target=target or "", who_category=category,
                                                  quantity=quantity, unit=unit, back=back, comment=answer.comment)
                            workshops().accept(workshop.id, proposal.id, answer=edited)
                            st.rerun()
            except AnswerRefused as refused:
                _refused(refused)
            except WorkshopError as error:
                st.warning(workshop_problem(error))


with queue_tab:
    queue()

with journal_tab:
    entries = workshops().journal(workshop.id)
    row = st.columns([1, 1, 4])
    if row[0].button(w("undo"), disabled=not any(e.state == "active" for e in entries)):
        workshops().undo(workshop.id)
        st.rerun()
    if row[1].button(w("redo"), disabled=not any(e.state == "undone" for e in entries)):
        workshops().redo(workshop.id)
        st.rerun()
    row[2].caption(w("journal_help"))
    if entries:
        import pandas as pd

        st.dataframe(pd.DataFrame([{w("col_seq"): e.seq, w("col_at"): f"{local_time(e.at):%H:%M:%S}", w("col_who"): who_text(e.who, lang()),
                                    w("col_what"): entry_text(e, lang()), w("col_state"): w("state_" + e.state)}
                                   for e in reversed(entries)]), hide_index=True, width="stretch")
    else:
        st.info(w("journal_empty"))

with close_tab:
    st.write(w("close_intro", centre=workshop.centre_name))
    sure = st.checkbox(w("close_sure"))
    if st.button(w("close"), type="primary", disabled=not sure):
        try:
            # Closing keeps a version: an import this facilitator must be allowed to make.
            version = workshops().close(workshop.id, importer=access().import_files)
        except WorkshopError as error:
            st.warning(workshop_problem(error))
        except Refused as refused:
            st.warning(access_problem(refused))
        else:
            st.session_state.pop(state.WORKSHOP, None)
            if version is None:  # nothing changed: no version, the centre shown stays
                st.session_state[state.WORKSHOP_SAID] = w("closed_unchanged")
            else:
                files = tuple(access().open(version.id))
                st.session_state[state.UPLOAD] = files
                clear_edits()
                st.session_state[state.OPENED_VERSION] = version.id
                st.session_state[state.WORKSHOP_CLOSED] = version.id
            if "atelier" in st.query_params:
                del st.query_params["atelier"]
            st.rerun()

"""Atelier: the facilitator opens a workshop on the centre shown, lets the room join from its
phones, takes the room's proposals (accept, merge, edit, reject), keeps the journal (undo,
redo), and closes the workshop into a new version of the centre in the store.

Everything here is written to the store at once (``valuechain.workshop``): this page only shows
it and passes the facilitator's clicks on."""

import streamlit as st

from dashboard import state
from dashboard.room import active_workshop, join_address, leave_workshop, phones_can_join, workshops
from dashboard.shown import clear_edits, current_files, show_version
from dashboard.visitor import access, facilitator
from dashboard.widgets import download_button, local_time, page_header
from dashboard.words import access_problem, lang, say, workshop_problem
from valuechain.errors import AnswerRefused, Refused, WorkshopError
from valuechain.media.exporters import export, file_name, mime_type
from valuechain.vocabulary import CATEGORIES, NATURES, unit_label
from valuechain.workshop.answers import UNITS, actor_names, answer_details, map_names, merge_offer
from valuechain.workshop.journal import journal_table
from valuechain.workshop.room import PARTICIPANT_IDLE, POLL_SECONDS, join_qr_png

analysis = page_header("page_workshop")
language = lang()  # the lists' words are written in the run's language, even after the run (AppTest)
workshop = active_workshop()


def _refused(refused: AnswerRefused) -> None:
    for line in refused.message(lang(), markdown=True).splitlines():  # one box per field
        st.error(line)


if workshop is None:
    closed = st.session_state.get(state.WORKSHOP_CLOSED)
    if closed is not None:
        closed_version = access().version(closed)
        st.success(
            say(
                "workshop",
                "closed_into",
                number=closed_version.number,
                centre=closed_version.centre,
                year=closed_version.year or "—",
            )
        )
        source = current_files()[0].name
        row = st.columns(3)
        for column, (label, suffix) in zip(
            row, (("export_pdf", ".pdf"), ("export_xlsx", ".xlsx"), ("export_kumu", ".kumu.xlsx"))
        ):
            download_button(
                say("app", label),
                lambda database, suffix=suffix, language=lang(): export(analysis, suffix, language, source),
                file_name=file_name(analysis, suffix, lang()),
                mime=mime_type(suffix),
                what=suffix,
                version_id=closed,
                key=f"closed{suffix}",
                column=column,
            )
        st.page_link("pages/exporter.py", label=say("workshop", "all_exports"))
        st.divider()
    st.write(say("workshop", "workshop_intro"))
    if st.button(say("workshop", "open_workshop", centre=analysis.name), type="primary"):
        try:
            opened = access().open_workshop(
                workshops(), analysis.workbook.raw, analysis.name, source=current_files()[0].name, by=facilitator()
            )
        except Refused as refused:
            st.warning(access_problem(refused))
            st.stop()
        clear_edits()  # the edits in progress are in the workshop's starting workbook
        st.session_state[state.WORKSHOP] = opened.code
        st.session_state.pop(state.WORKSHOP_CLOSED, None)
        st.rerun()
    open_ones = workshops().open_ones(by=facilitator())
    if open_ones:
        st.subheader(say("workshop", "resume_title"))
        for other in open_ones:
            line = st.columns([4, 1])
            line[0].write(
                say(
                    "workshop",
                    "resume_line",
                    centre=other.centre_name,
                    code=other.code,
                    opened=f"{local_time(other.opened_at):%d/%m %H:%M}",
                )
            )
            if line[1].button(say("workshop", "resume"), key=f"resume-{other.id}"):
                st.session_state[state.WORKSHOP] = other.code
                st.rerun()
    st.stop()

st.subheader(say("workshop", "workshop_open", centre=workshop.centre_name, code=workshop.code))
queue_tab, journal_tab, join_tab, close_tab = st.tabs(
    [
        say("workshop", "tab_queue"),
        say("workshop", "tab_journal"),
        say("workshop", "tab_join"),
        say("workshop", "tab_close"),
    ]
)

with join_tab:
    if phones_can_join():
        address = join_address(workshop)
        left, right = st.columns([1, 2])
        left.image(join_qr_png(address), width=280)
        right.markdown(say("workshop", "join_code_big", code=workshop.code))
        right.write(say("workshop", "join_address"))
        right.code(address, language=None, wrap_lines=True)
        right.caption(say("workshop", "join_help"))
    else:
        # make run listens on this computer only: a QR code would send phones to an address where
        # nothing answers. Said, with what to do, instead.
        st.warning(say("workshop", "local_only_no_qr", code=workshop.code))
    st.page_link("pages/mur.py", label=say("workshop", "open_wall"))
    # The room is the facilitator's: a flood of phones, invented by the hundred and proposing
    # once each, loses its places here in one click; one participant is kept out by number.
    st.divider()
    st.caption(say("workshop", "room_people"))
    freed = st.session_state.pop(state.WORKSHOP_FREED, None)
    if freed is not None:
        st.success(say("workshop", "release_done", count=freed))
    minutes = int(PARTICIPANT_IDLE.total_seconds() // 60)
    if st.session_state.get(state.WORKSHOP_RELEASING):
        holding, silent = workshops().unaccepted(workshop.id)
        with st.container(border=True):
            silent_said = say("workshop", "release_confirm_silent", count=silent) if silent else ""
            st.warning(f"{say('workshop', 'release_confirm', count=holding)} {silent_said}".strip())
            sure = st.columns([1, 1, 2])
            if sure[0].button(say("workshop", "release_yes", count=holding), type="primary", disabled=not holding):
                st.session_state.pop(state.WORKSHOP_RELEASING, None)
                st.session_state[state.WORKSHOP_FREED] = workshops().release_unaccepted(workshop.id)
                st.rerun()
            if sure[1].button(say("workshop", "release_no")):
                st.session_state.pop(state.WORKSHOP_RELEASING, None)
                st.rerun()
    people = st.columns([2, 1, 1], vertical_alignment="bottom")
    if people[0].button(say("workshop", "release"), help=say("workshop", "release_help", minutes=minutes)):
        st.session_state[state.WORKSHOP_RELEASING] = True
        st.rerun()
    number = people[1].number_input(say("workshop", "evict_number"), min_value=1, step=1, value=None, key="evict")
    if people[2].button(say("workshop", "evict"), help=say("workshop", "evict_help"), disabled=number is None):
        try:
            rejected = workshops().evict(workshop.id, int(number or 0))
        except WorkshopError as error:
            st.warning(workshop_problem(error))
        else:
            st.success(say("workshop", "evict_done", number=int(number or 0), count=rejected))


QUEUE_SHOWN = 30


@st.fragment(run_every=POLL_SECONDS)
def queue(workshop_id: int) -> None:
    """The room's proposals, looked for every second: a phone's answer appears here by itself."""
    pending = workshops().proposals(workshop_id)
    status = workshops().status(workshop_id)
    st.caption(
        say(
            "workshop",
            "queue_counts",
            pending=len(pending),
            proposals=say("count", "proposals_received", count=status.proposals),
            participants=say("count", "participants", count=status.participants),
        )
    )
    if not pending:
        st.info(say("workshop", "queue_empty"))
        return
    # "Tout refuser" asks once: the queue as it was asked about is refused (one journal entry,
    # undone at once), not a proposal sent meanwhile.
    asked = st.session_state.get(state.WORKSHOP_REJECTING)
    if asked is not None:
        asked_count = sum(1 for p in pending if p.id <= asked)
        with st.container(border=True):
            st.warning(say("workshop", "reject_all_confirm", count=asked_count))
            sure = st.columns([1, 1, 2])
            if sure[0].button(say("workshop", "reject_all_yes", count=asked_count), type="primary", key="reject-yes"):
                st.session_state.pop(state.WORKSHOP_REJECTING, None)
                try:
                    workshops().reject_all(workshop_id, up_to=asked)
                except WorkshopError as error:
                    st.warning(workshop_problem(error))
                    return
                st.rerun()
            if sure[1].button(say("workshop", "reject_all_no"), key="reject-no"):
                st.session_state.pop(state.WORKSHOP_REJECTING, None)
                st.rerun()
    elif len(pending) > 1 and st.button(say("workshop", "reject_all", count=len(pending)), key="reject-all"):
        st.session_state[state.WORKSHOP_REJECTING] = pending[-1].id
        st.rerun()
    raw = workshops().workbook(workshop_id)
    actors, names = actor_names(raw), map_names(raw)
    # A few at a time: a flooded queue would take the page minutes to draw.
    if len(pending) > QUEUE_SHOWN:
        st.caption(say("workshop", "queue_more", count=len(pending) - QUEUE_SHOWN))
    for proposal in pending[:QUEUE_SHOWN]:
        answer = proposal.answer
        with st.container(border=True):
            st.markdown(
                say(
                    "workshop",
                    "proposal_line",
                    number=proposal.participant,
                    who=answer.who,
                    target=answer.target,
                    nature=NATURES.label(answer.nature, lang()),
                )
            )
            details = answer_details(answer, lang(), markdown=True)
            if details:
                st.caption(details)
            offer = merge_offer(answer.who, names, actors)
            if not offer.known:
                st.caption(
                    say("workshop", "proposal_new", category=CATEGORIES.short(answer.who_category or "autre", lang()))
                    + (" " + say("workshop", "proposal_alike", names=", ".join(offer.alike)) if offer.alike else "")
                )
            row = st.columns([1, 1, 2, 1])
            try:
                if row[0].button(say("workshop", "accept"), key=f"accept-{proposal.id}", type="primary"):
                    workshops().accept(workshop_id, proposal.id)
                    st.rerun()
                if row[1].button(say("workshop", "reject"), key=f"reject-{proposal.id}"):
                    workshops().reject(workshop_id, proposal.id)
                    st.rerun()
                if actors:
                    # The look-alikes come first, none chosen: "Boulangerie du Port" looks like
                    # "Jardinerie du Port", and one hasty click merged a bakery into a garden
                    # centre. "Fusionner" acts once the facilitator has chosen.
                    chosen = row[2].selectbox(
                        say("workshop", "merge_with"),
                        offer.choices,
                        index=None,
                        placeholder=say("workshop", "merge_placeholder"),
                        key=f"merge-choice-{proposal.id}",
                        label_visibility="collapsed",
                    )
                    if row[3].button(
                        say("workshop", "merge"),
                        key=f"merge-{proposal.id}",
                        help=say("workshop", "merge_help"),
                        disabled=chosen is None,
                    ):
                        workshops().accept(workshop_id, proposal.id, merge_with=chosen)
                        st.rerun()
                with st.expander(say("workshop", "edit_proposal")):
                    with st.form(f"edit-{proposal.id}", border=False, enter_to_submit=False):
                        who = st.text_input(say("workshop", "who"), value=answer.who)
                        category = st.selectbox(
                            say("workshop", "who_category"),
                            CATEGORIES.codes[1:],
                            index=CATEGORIES.codes[1:].index(answer.who_category)
                            if answer.who_category in CATEGORIES.codes[1:]
                            else None,
                            placeholder=say("workshop", "category_placeholder"),
                            format_func=lambda c: CATEGORIES.short(c, language),
                        )
                        nature = st.selectbox(
                            say("workshop", "what"),
                            NATURES.codes,
                            index=NATURES.codes.index(answer.nature),
                            format_func=lambda c: NATURES.label(c, language),
                        )
                        target = st.selectbox(
                            say("workshop", "to_whom"),
                            names,
                            accept_new_options=True,
                            index=names.index(answer.target) if answer.target in names else None,
                        )
                        parts = st.columns(2)
                        quantity = parts[0].number_input(
                            say("workshop", "how_much"), min_value=0.0, value=answer.quantity
                        )
                        unit = parts[1].selectbox(
                            say("workshop", "unit"),
                            [None, *UNITS],
                            index=[None, *UNITS].index(answer.unit) if answer.unit in UNITS else 0,
                            format_func=lambda u: "—" if u is None else unit_label(u, language),
                        )
                        back = st.selectbox(
                            say("workshop", "back"),
                            [None, *NATURES.codes],
                            index=[None, *NATURES.codes].index(answer.back) if answer.back in NATURES.codes else 0,
                            format_func=lambda c: (
                                say("workshop", "nothing_back") if c is None else NATURES.label(c, language)
                            ),
                        )
                        if st.form_submit_button(say("workshop", "accept_edited")):
                            edited = type(answer)(
                                who=who,
                                nature=nature,
                                target=target or "",
                                who_category=category,
                                quantity=quantity,
                                unit=unit,
                                back=back,
                                comment=answer.comment,
                            )
                            workshops().accept(workshop_id, proposal.id, answer=edited)
                            st.rerun()
            except AnswerRefused as refused:
                _refused(refused)
            except WorkshopError as error:
                st.warning(workshop_problem(error))


with queue_tab:
    queue(workshop.id)

with journal_tab:
    entries = workshops().journal(workshop.id)
    buttons = st.columns([1, 1, 4])
    if buttons[0].button(say("workshop", "undo"), disabled=not any(e.state == "active" for e in entries)):
        workshops().undo(workshop.id)
        st.rerun()
    if buttons[1].button(say("workshop", "redo"), disabled=not any(e.state == "undone" for e in entries)):
        workshops().redo(workshop.id)
        st.rerun()
    buttons[2].caption(say("workshop", "journal_help_decided"))
    if entries:
        # "Quoi" takes the width ("N°" took as much as it, and the sentence was cut): widths in
        # pixels, which the table's stretch keeps in proportion.
        journal = journal_table(entries, lang(), local_time)
        seq, at, who, what, done = journal.columns
        st.dataframe(
            journal,
            hide_index=True,
            width="stretch",
            column_config={
                seq: st.column_config.NumberColumn(width=45),
                at: st.column_config.TextColumn(width=75),
                who: st.column_config.TextColumn(width=130),
                what: st.column_config.TextColumn(width=1100),
                done: st.column_config.TextColumn(width=75),
            },
        )
    else:
        st.info(say("workshop", "journal_empty"))

with close_tab:
    st.write(say("workshop", "close_intro", centre=workshop.centre_name))
    # Proposals still waiting are not in the version: said, and the confirmation says it too
    # (a box of its own label, unticked, when some arrive after "Oui" was ticked).
    waiting = len(workshops().proposals(workshop.id))
    if waiting:
        st.warning(say("workshop_close", "close_pending", count=waiting))
    sure = st.checkbox(
        say("workshop_close", "close_sure_pending", count=waiting) if waiting else say("workshop", "close_sure")
    )
    if st.button(say("workshop", "close"), type="primary", disabled=not sure):
        try:
            # Closing keeps a version: an import this facilitator must be allowed to make.
            version = workshops().close(workshop.id, importer=access().import_files)
        except WorkshopError as error:
            st.warning(workshop_problem(error))
        except Refused as refused:
            st.warning(access_problem(refused))
        else:
            leave_workshop()
            if version is None:  # nothing changed: no version, the centre shown stays
                st.session_state[state.WORKSHOP_SAID] = say("workshop", "closed_unchanged")
            else:
                not_shown = show_version(version.id)
                if not_shown is not None:  # the version just made, yet not shown: said on the next run
                    st.session_state[state.WORKSHOP_SAID] = not_shown
                st.session_state[state.WORKSHOP_CLOSED] = version.id
            st.rerun()

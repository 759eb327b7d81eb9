"""What pages draw the same way: the page's header, figure cards, result and static tables,
download buttons (asked of ``authorise`` when clicked), deleted versions, the styles (``dashboard/styles/*.css``) and times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import streamlit as st

from dashboard import state
from dashboard.room import active_workshop
from dashboard.routing import through_app
from dashboard.shown import back_to_sample, current, made_once
from dashboard.visitor import access, facilitator, sign_in_page, signed_in, this_visit, workshops_of
from dashboard.words import lang, say
from valuechain.chain.analysis import Analysis
from valuechain.chain.metrics import Undefined
from valuechain.media import formatting as fmt
from valuechain.words.messages import escape_markdown, figure_definition, figure_name

if TYPE_CHECKING:
    import pandas as pd

    from valuechain.store.db import Version

STYLES = Path(__file__).resolve().parent / "styles"


@cache
def _style_file(name: str) -> str:
    return (STYLES / f"{name}.css").read_text(encoding="utf-8")


def style(name: str, **strings: str) -> str:
    """A style sheet of ``dashboard/styles/``, ready for ``st.html``; ``strings`` fill its
    ``$name`` places as CSS strings."""
    text = _style_file(name)
    if strings:
        text = Template(text).substitute({key: _css_text(value) for key, value in strings.items()})
    return f"<style>\n{text}</style>"


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def streamlit_words_css() -> str:
    """Streamlit's own file uploader and download buttons speak English and take no text of
    ours ("Upload", "50MB per file", "Failed to generate file for download"): their words are
    replaced, in the user's language, by CSS. The data editor's menus stay in English (README,
    "Languages")."""
    return style(
        "streamlit_words",
        button=say("streamlit", "upload_button"),
        limit=say("streamlit", "upload_limit", limit=st.get_option("server.maxUploadSize")),
        failed=say("streamlit", "export_failed"),
    )


def presenting() -> bool:
    return bool(st.session_state.get(state.PRESENTATION, False))


def on_a_phone() -> bool:
    """The page is read on a phone: its browser says "Mobi" (every phone's browser does, a
    tablet's does not). The charts then take a phone's layout (valuechain.media.charts,
    ``narrow``); a server never learns a screen's width."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def leave_presentation_button(label: str) -> None:
    """The button that ends presentation mode (the wall's CSS places it by its key)."""
    if st.button(label, key=state.LEAVE_PRESENTATION):
        st.session_state[state.PRESENTATION] = False
        st.rerun()


def page_header(title_key: str, name_the_centre: bool = True, about_the_centre_shown: bool = True) -> Analysis:
    """Title, presentation styling, and the centre shown (unless ``name_the_centre`` is off,
    as on an anonymised comparison). Every page starts here, and none shows anything to a
    visitor who may not use the app (app.py's navigation already keeps them to the sign-in
    page; this holds even for a page run by itself). A page of stored centres (Comparer,
    Évolution: ``about_the_centre_shown`` off) has no word of the open workshop, which it
    does not change."""
    through_app()
    user, refusal = signed_in()
    if user is None or not user.has_role:
        sign_in_page(user, refusal)
        st.stop()
    st.html(streamlit_words_css())
    opened = st.session_state.get(state.OPENED_VERSION)
    if opened is not None and not access().still_shown(opened):
        back_to_sample()
        st.error(say("access", "version_gone"))
        st.stop()  # nothing of it on this run; the next one shows the sample
    if presenting():
        st.html(style("presentation"))
        leave_presentation_button(say("app", "leave_presentation"))
    analysis = current()
    st.title(say("app", title_key))
    year = analysis.workbook.centre.year or "—"
    if name_the_centre:
        st.caption(say("app", "now_showing", name=analysis.name, year=year))
    workshop = active_workshop()
    if workshop is not None and not presenting() and about_the_centre_shown:
        st.info(say("workshop", "workshop_banner", code=workshop.code), icon=None)
    for said in (st.session_state.pop(key, None) for key in (state.WORKSHOP_SAID, state.DRAFT_SAID)):
        if said:
            st.warning(said)
    if st.session_state.pop(state.DRAFT_RESTORED, None):  # a reload said on the page it reloads (issue 34.12)
        edited = st.session_state.get(state.EDITED_RAW) is not None
        st.success(
            say("app", "draft_restored", name=analysis.name, edited=say("app", "draft_with_edits") if edited else "")
        )
    return analysis


def figure_value(code: str, value: object) -> str:
    """The figure as a card shows it: "—" when undefined (the reason is in the help)."""
    return fmt.DASH if isinstance(value, Undefined) else fmt.format_figure(code, value, lang())


def figure_card(code: str, value: object) -> None:
    """A figure with its one name, its value, and its definition on demand."""
    help_text = figure_definition(code, lang())
    if isinstance(value, Undefined):
        reason = fmt.undefined_reason(value, lang())
        help_text += "\n\n" + say("app", "undefined_help", reason=reason)
    note = fmt.estimate_note(code, value, lang())
    if note:
        help_text += "\n\n" + note
    st.metric(figure_name(code, lang()), figure_value(code, value), help=help_text)


def figure_cards(analysis: Analysis, codes: Sequence[str], per_row: int = 3) -> None:
    for start in range(0, len(codes), per_row):
        columns = st.columns(per_row)
        for column, code in zip(columns, codes[start : start + per_row]):
            with column:
                figure_card(code, analysis.figures[code])


def result_table(analysis: Analysis, name: str, build: Callable[[], tuple[tuple, list[list[object]]]]) -> None:
    """A result table of the library (``valuechain.media.tables``) as the page shows it: the rows
    written as the figures are, under the catalogue's headers. ``build`` gives the columns
    and rows; it runs once per analysis and language."""
    import pandas as pd

    from valuechain.media import tables

    def frame() -> pd.DataFrame:
        columns, rows = build()
        return pd.DataFrame(tables.shown(columns, rows, lang()), columns=tables.headers(columns, lang()))

    st.dataframe(made_once(analysis, ("table", name, lang()), frame), hide_index=True, width="stretch")


def download_button(
    label: str,
    make: Callable[..., bytes | str],
    *,
    file_name: str,
    mime: str | None = None,
    what: str = "",
    version_id: int | None = None,
    key: str | None = None,
    column: Any = st,
) -> None:
    """Every download of the app: a file made when clicked, for whoever may have it then.

    Streamlit runs ``make`` after the click, outside any page run (no session, no ``st.user``),
    maybe long after the page was drawn: a role may have been taken away meanwhile. So the page
    run keeps only who asks (``visitor.Visit``); at the click, the store is opened for that
    person with the roles it holds for them now (``Visit.access``), ``Access.exported`` asks
    ``authorise`` and writes the audit line (a refusal's too), and only then ``make(access)``
    writes the bytes (``make`` takes that ``Access``). ``version_id`` is the stored version the file is made from (``None``: the
    session's own workbook, a template, or a file whose ``Access`` method asks by itself);
    ``what`` is the log's word for the file. A failure is logged with its traceback; the person
    reads one sentence under the button (``streamlit_words_css``).

    The button does not rerun the page: with Streamlit's default a click reruns it, and the
    other buttons' files get new addresses meanwhile (a second click asked for the old one,
    "Deferred file … not found", issue 26.10)."""
    from valuechain.errors import Refused
    from valuechain.incidents import incident
    from valuechain.store.db import database_url

    visit = this_visit()
    # A file made from a workshop's state is the workshop's centre: at the click, the person
    # must still be allowed to run that workshop (a role taken away meanwhile refuses it).
    workshop_code = st.session_state.get(state.WORKSHOP)
    by = facilitator() if workshop_code else None

    def made_when_clicked() -> bytes | str:
        database = visit.access()
        try:
            if workshop_code:
                database.exported_from_workshop(workshops_of(database_url()), workshop_code, by, what or file_name)
            database.exported(version_id, what or file_name)
            return make(database)
        except Refused:
            raise  # in the audit log already
        except Exception as error:
            incident(error, f"download {what or file_name}")
            raise

    column.download_button(label, made_when_clicked, file_name=file_name, mime=mime, key=key, on_click="ignore")


def static_table(frame: pd.DataFrame) -> None:
    """A small table drawn whole (``st.table``: read at once, printed as it is). Streamlit
    renders its cells as Markdown: every cell, header and row name is shown as typed
    (``escape_markdown``), a centre's name like any other."""

    def as_typed(value: object) -> object:
        return escape_markdown(value) if isinstance(value, str) else value

    shown = frame.map(as_typed).rename(index=as_typed, columns=as_typed)
    shown.index.name = as_typed(frame.index.name)
    st.table(shown)


def local_time(moment: dt.datetime) -> dt.datetime:
    """A moment of the store (UTC; SQLite gives it back naive) in the browser's time zone, or
    Paris' when the browser's is unknown to Python."""
    from zoneinfo import ZoneInfo

    try:
        zone = ZoneInfo(st.context.timezone or "Europe/Paris")
    except Exception:  # a browser's zone Python does not know: the federation's clock is Paris'
        zone = ZoneInfo("Europe/Paris")
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(zone)


def deleted_versions(versions: Sequence[Version], restore: Callable[[Version], None]) -> None:
    """Each hidden version, who deleted it and until when it can come back, with its "Rendre"
    button; ``restore(version)`` is what the button does (Comparer and Membres alike)."""
    from valuechain.store.db import KEPT_DELETED

    for version in versions:
        deleted_at = version.deleted_at
        if deleted_at is None:  # not deleted: nothing to restore
            continue
        columns = st.columns([6, 1])
        columns[0].write(
            say(
                "access",
                "deleted_line",
                centre=version.centre,
                year=version.year or "—",
                number=version.number,
                file=version.file_name,
                person=version.deleted_by or "—",
                when=fmt.date_time(local_time(deleted_at), lang()),
                until=fmt.date(local_time(deleted_at + KEPT_DELETED).date(), lang()),
            )
        )
        if columns[1].button(say("access", "restore"), key=f"restore{version.id}"):
            restore(version)

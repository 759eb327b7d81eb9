"""What every page shares: the language, the centre shown (cached on the file's content),
edits in progress, presentation mode, and the figure cards. No computation: the library does it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from valuechain import InputFile, UnreadableWorkbook, load_files, validate
from valuechain import formatting as fmt
from valuechain.analysis import Analysis, analyse
from valuechain.messages import APP, UNDEFINED_REASONS, figure_definition, figure_name, say
from valuechain.metrics import Undefined
from valuechain.model import RawWorkbook

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
KEY_FIGURES = ("resources_total", "leverage", "volunteer_value", "local_share", "people_reached",
               "centre_dependence")


def lang() -> str:
    return st.session_state.get("lang", "fr")


def t(key: str, **params: object) -> str:
    return say(APP, key, lang(), **params)


# The cannery first (the emblematic case), the worked example of the docs last.
SAMPLE_ORDER = ("conserverie", "maison-des-habitants", "association-les-embruns", "tilleuls")


def sample_paths() -> list[Path]:
    def rank(path: Path) -> tuple[int, str]:
        return next((i for i, prefix in enumerate(SAMPLE_ORDER) if path.name.startswith(prefix)), len(SAMPLE_ORDER)), path.name

    return sorted(SAMPLE_DIR.glob("*.xlsx"), key=rank)


def sample_label(path: Path) -> str:
    """How a sample is offered: the centre's own name, then its file."""
    files = (InputFile.from_path(path),)
    result = _analysis_of_files(files_key(files), files)
    return path.stem if isinstance(result, UnreadableWorkbook) else f"{result.name} — {path.stem}"


def files_key(files: tuple[InputFile, ...]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(hashlib.sha256(file.data).digest())
    return digest.hexdigest()


@st.cache_resource(max_entries=12, show_spinner=False)
def _analysis_of_files(key: str, _files: tuple[InputFile, ...]) -> Analysis | UnreadableWorkbook:
    """Read, validate, build the graph: cached on the files' content (``key``)."""
    try:
        return analyse(load_files(list(_files)))
    except UnreadableWorkbook as unreadable:
        return unreadable
    except Exception as error:  # a fault of ours: one sentence for the user, never a traceback
        return UnreadableWorkbook("internal_error", detail=type(error).__name__)


@st.cache_resource(max_entries=24, show_spinner=False)
def _analysis_of_raw(key: str, _raw: RawWorkbook) -> Analysis:
    return analyse(validate(_raw))


@st.cache_resource(show_spinner=False)
def store():
    """The federation store (SQLite file, or VALUECHAIN_DATABASE_URL), opened once per process."""
    from valuechain.store import Store

    return Store()


def current_files() -> tuple[InputFile, ...]:
    upload = st.session_state.get("upload")
    if upload:
        return upload
    sample = st.session_state.get("sample") or sample_paths()[0].name
    return (InputFile.from_path(SAMPLE_DIR / sample),)


def accept_files(files: list[tuple[str, bytes]]) -> str | None:
    """Try a user's files: shown from now on when readable; else the message, and the centre
    shown stays the same."""
    candidate = tuple(InputFile(name, data) for name, data in files)
    result = _analysis_of_files(files_key(candidate), candidate)
    if isinstance(result, UnreadableWorkbook):
        return result.message(lang())
    st.session_state["upload"] = candidate
    clear_edits()
    return None


def clear_edits() -> None:
    st.session_state.pop("edited_raw", None)
    st.session_state["edit_version"] = st.session_state.get("edit_version", 0) + 1


def current() -> Analysis:
    """The centre shown on every page: the sample or upload, with the edits in progress."""
    files = current_files()
    key = files_key(files)
    edited = st.session_state.get("edited_raw")
    if edited is not None:
        return _analysis_of_raw(f"{key}:{st.session_state.get('edit_version', 0)}", edited)
    result = _analysis_of_files(key, files)
    if isinstance(result, UnreadableWorkbook):  # a sample removed from disk, say: back to the first
        st.session_state.pop("upload", None)
        st.session_state["sample"] = sample_paths()[0].name
        return _analysis_of_files(files_key(current_files()), current_files())
    return result


def set_edited(raw: RawWorkbook) -> None:
    st.session_state["edited_raw"] = raw
    st.session_state["edit_version"] = st.session_state.get("edit_version", 0) + 1


PRESENTATION_CSS = """
<style>
  html, body, [class*="css"], .stMarkdown, p, li, label { font-size: 22px !important; }
  h1 { font-size: 2.6rem !important; padding: 0 !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 2rem !important; }
  [data-testid="stMetricValue"] { font-size: 3rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
  .block-container { padding-top: 4.2rem !important; max-width: 100% !important; }
</style>
"""


def page_header(title_key: str) -> Analysis:
    """Title, presentation styling, and the centre shown. Every page starts here."""
    presenting = st.session_state.get("presentation", False)
    if presenting:
        st.html(PRESENTATION_CSS)
        if st.button(t("leave_presentation"), key="leave_presentation"):
            st.session_state["presentation"] = False
            st.rerun()
    analysis = current()
    st.title(t(title_key))
    year = analysis.workbook.centre.year or "—"
    st.caption(t("now_showing", name=analysis.name, year=year))
    return analysis


def presenting() -> bool:
    return bool(st.session_state.get("presentation", False))


def figure_value(code: str, value: object) -> str:
    """The figure as a card shows it: "—" when undefined (the reason is in the help)."""
    return fmt.DASH if isinstance(value, Undefined) else fmt.format_figure(code, value, lang())


def figure_card(code: str, value: object) -> None:
    """A figure with its one name, its value, and its definition on demand."""
    help_text = figure_definition(code, lang())
    if isinstance(value, Undefined):
        reason = UNDEFINED_REASONS.get(value.reason, {}).get(lang(), value.reason)
        help_text += "\n\n" + t("undefined_help", reason=reason)
    st.metric(figure_name(code, lang()), figure_value(code, value), help=help_text)


def figure_cards(analysis: Analysis, codes: tuple[str, ...] | list[str], per_row: int = 3) -> None:
    for start in range(0, len(codes), per_row):
        columns = st.columns(per_row)
        for column, code in zip(columns, codes[start:start + per_row]):
            with column:
                figure_card(code, analysis.figures[code])

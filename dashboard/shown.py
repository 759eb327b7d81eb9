"""The centre shown on every page: a sample, the user's files or a stored version, its analysis
(cached on the files' content), the edits in progress and the draft that keeps them."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from dashboard import state
from dashboard.room import active_workshop, workshop_analysis, workshop_positions, workshops
from dashboard.visitor import access, participant_visit, signed_in, store
from dashboard.words import access_problem, lang, say, workshop_problem
from valuechain import InputFile, UnreadableWorkbook
from valuechain.chain.analysis import FIRST_SHOWN, Analysis, analyse, analyse_raw
from valuechain.incidents import fault
from valuechain.model import RawWorkbook
from valuechain.reading.guard import read_guarded
from valuechain.reading.validation import validate_edit

if TYPE_CHECKING:
    import networkx as nx

    from valuechain.store.drafts import Drafts

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"

# The cannery first (the emblematic case), the worked example of the docs last.
SAMPLE_ORDER = ("conserverie", "maison-des-habitants", "association-les-embruns", "tilleuls")


def sample_paths() -> list[Path]:
    def rank(path: Path) -> tuple[int, str]:
        return next(
            (i for i, prefix in enumerate(SAMPLE_ORDER) if path.name.startswith(prefix)), len(SAMPLE_ORDER)
        ), path.name

    return sorted(SAMPLE_DIR.glob("*.xlsx"), key=rank)


def year_sample_paths() -> list[Path]:
    """A sample centre over three years (the Tilleuls of docs/indicateurs.md): the worked
    example's year and those before and after it, for the Évolution page."""
    return [SAMPLE_DIR / "tilleuls-exemple-chiffre.xlsx", *sorted((SAMPLE_DIR / "annees").glob("*.xlsx"))]


# The fictional centre of docs/comptes.md, proposed from its two FECs. Named after its town: the
# federation's sample La Passerelle (Ardoise-les-Bains) is another centre, never its earlier year.
ACCOUNTS_SAMPLE_CENTRE = "Centre social La Passerelle (Saint-Aubin)"


def accounts_sample_paths() -> list[Path]:
    """The FECs of the fictional La Passerelle, one per fiscal year (sample_data/build_fec.py)."""
    return sorted((SAMPLE_DIR / "comptes").glob("*FEC*.txt"))


def accounts_sample_files(language: str) -> list[InputFile]:
    """La Passerelle's years as its accounts show them: each FEC proposed as a workbook (what
    the Comptes (FEC) page offers to download, written in ``language``), one per year, for the
    Évolution page to import: the figures come from the FECs, never copied by hand."""
    from valuechain.accounts.review import review

    files = []
    for path in accounts_sample_paths():
        found = review(InputFile.from_path(path), ACCOUNTS_SAMPLE_CENTRE, language)
        files.append(InputFile(f"la-passerelle-comptes-{found.ledger.year}.xlsx", found.workbook_bytes(language)))
    return files


def every_sample_path() -> list[Path]:
    """The samples, then the Tilleuls of the years before and after, each once: what the
    Comparer offers to add to an empty store (a centre to follow on Évolution with them)."""
    return list(dict.fromkeys([*sample_paths(), *year_sample_paths()]))


def sample_label(path: Path) -> str:
    """How a sample is offered: the centre's own name and its year ("La Coopérative des
    Tisserands (2025)"), as a person names a centre, not its file's name."""
    files = (InputFile.from_path(path),)
    result = _analysis_of_files(files_key(files), files)
    if isinstance(result, UnreadableWorkbook):
        return path.stem
    year = result.workbook.centre.year
    return f"{result.name} ({year})" if year else result.name


def samples_with_outcomes() -> list[Path]:
    """The samples whose workbook describes outcomes (an Effets sheet): what the Valeur sociale
    page offers to a visitor shown a sample without any."""
    found = []
    for path in sample_paths():
        files = (InputFile.from_path(path),)
        result = _analysis_of_files(files_key(files), files)
        if isinstance(result, Analysis) and len(result.workbook.outcomes):
            found.append(path)
    return found


def showing_a_sample() -> bool:
    """Whether the session shows a sample as it is (no upload, version, workshop or edit)."""
    return not (
        st.session_state.get(state.UPLOAD)
        or st.session_state.get(state.OPENED_VERSION) is not None
        or st.session_state.get(state.EDITED_RAW) is not None
        or active_workshop() is not None
    )


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
        # Read in a worker with a memory ceiling: no file, however made, takes this server
        # (and every other user's session) down with it.
        return analyse_raw(read_guarded(list(_files)), compute=FIRST_SHOWN)
    except UnreadableWorkbook as unreadable:
        return unreadable
    except Exception as error:  # a fault of ours: one sentence for the user, never a traceback
        names = ", ".join(file.name for file in _files)
        return fault(error, f"reading of {names}")


def current_files() -> tuple[InputFile, ...]:
    upload = st.session_state.get(state.UPLOAD)
    if upload:
        return upload
    sample = st.session_state.get(state.SAMPLE) or sample_paths()[0].name
    return (InputFile.from_path(SAMPLE_DIR / sample),)


def current() -> Analysis:
    """The centre shown on every page: the workshop's, or the sample or upload with the edits
    in progress."""
    workshop = active_workshop()
    if workshop is not None:
        return workshop_analysis(workshop.id, workshop.revision)
    files = current_files()
    key = files_key(files)
    edited = st.session_state.get(state.EDITED_RAW)
    if edited is not None:
        # Edits belong to this session alone: their analysis is kept in the session, never in
        # a cache shared by every visitor (two people editing one file at the same step would
        # otherwise see each other's data). Only the files' own content is cached for all.
        version = st.session_state.get(state.EDIT_VERSION, 0)
        kept = st.session_state.get(state.EDITED_ANALYSIS)
        if kept is None or kept[0] != version:
            kept = (version, analyse_raw(edited, compute=FIRST_SHOWN))
            st.session_state[state.EDITED_ANALYSIS] = kept
        return kept[1]
    result = _analysis_of_files(key, files)
    if isinstance(result, UnreadableWorkbook):  # a sample removed from disk, say: back to the first
        st.session_state.pop(state.UPLOAD, None)
        st.session_state[state.SAMPLE] = sample_paths()[0].name
        first = _analysis_of_files(files_key(current_files()), current_files())
        assert isinstance(first, Analysis), "the first sample reads"
        return first
    return result


def accept_files(files: list[tuple[str, bytes]]) -> UnreadableWorkbook | None:
    """Try a user's files: shown from now on when readable; else why not (said in whatever
    language the page is drawn in, then), and the centre shown stays the same."""
    candidate = tuple(InputFile(name, data) for name, data in files)
    result = _analysis_of_files(files_key(candidate), candidate)
    if isinstance(result, UnreadableWorkbook):
        return result
    st.session_state[state.UPLOAD] = candidate
    st.session_state.pop(state.OPENED_VERSION, None)
    revert_edits()  # the new files, unedited, are the tab's draft now
    return None


def take_incoming_files() -> None:
    """The files just given (the uploader's, or handed over through the session), taken once,
    before Accueil draws anything: the page then shows the new centre in this same run rather than
    running again (at 20,000 flows a second run costs the user half a second)."""
    incoming = [(f.name, f.getvalue()) for f in st.session_state.get(state.UPLOADER) or []]
    # Tests (and future integrations) hand files over through the session, like the uploader.
    incoming = incoming or st.session_state.pop(state.INCOMING_FILES, [])
    signature = [(name, len(data)) for name, data in incoming]
    if incoming and signature != st.session_state.get(state.LAST_INCOMING):
        st.session_state[state.LAST_INCOMING] = signature
        st.session_state.pop(state.UPLOAD_REPLACED, None)
        refusal = accept_files(incoming)
        replaced: list[str] = []
        kept = ""
        # Two whole workbooks in the uploader (a second one dropped while the first is still
        # there) are two centres, never merged: the later one replaces the earlier, said.
        while refusal is not None and refusal.code == "two_workbooks":
            earlier, kept = str(refusal.params["name"]), str(refusal.params["other"])
            replaced.append(earlier)
            incoming = [(name, data) for name, data in incoming if name != earlier]
            refusal = accept_files(incoming)
        if replaced and refusal is None:
            st.session_state[state.UPLOAD_REPLACED] = (kept, replaced)
        st.session_state[state.UPLOAD_ERROR] = refusal


def show_version(version_id: int | str) -> str | None:
    """Show a stored version in the whole dashboard, if this visitor may open it: from now on
    its files are what every page shows, unedited, and the audit log knows which version the
    exports come from. Else what stops it, as the page says it, and the centre shown stays."""
    from valuechain.errors import Refused

    try:
        files = access().open(version_id)
    except Refused as refused:
        return access_problem(refused)
    unreadable = accept_files([(file.name, file.data) for file in files])
    if unreadable is not None:
        return unreadable.message(lang(), markdown=True)
    st.session_state[state.OPENED_VERSION] = int(version_id)
    keep_draft()  # a reload shows it again
    return None


def opened_centre_id() -> int | None:
    """The store's centre of the version the dashboard shows, when one was opened and this
    visitor may still list its versions."""
    from valuechain.errors import Refused

    opened = st.session_state.get(state.OPENED_VERSION)
    try:
        return access().version(opened).centre_id if opened is not None else None
    except Refused:
        return None


def back_to_sample() -> None:
    """The session stops showing what it was given or opened (its files, its stored version's
    number, its edits) and shows the sample again; its draft goes."""
    st.session_state.pop(state.UPLOAD, None)
    st.session_state.pop(state.OPENED_VERSION, None)
    revert_edits()


def revert_edits() -> None:
    """ "Revenir au classeur d'origine": the edits go, the workbook shown stays; the tab's draft
    says so (or goes, when what is shown is the sample)."""
    clear_edits()
    keep_draft()


def clear_edits() -> None:
    st.session_state.pop(state.EDITED_RAW, None)
    st.session_state.pop(state.EDITED_ANALYSIS, None)
    st.session_state[state.EDIT_VERSION] = st.session_state.get(state.EDIT_VERSION, 0) + 1


def edit_generation() -> str:
    """Changes whenever the workbook shown changes (an edit here, or in a workshop a change
    made elsewhere): the editors start again from the workbook as it is."""
    workshop = active_workshop()
    version = st.session_state.get(state.EDIT_VERSION, 0)
    return f"{version}-{workshop.id}-{workshop.revision}" if workshop is not None else str(version)


def set_edited(raw: RawWorkbook) -> None:
    """Keep an edit: in a workshop, written to its journal in the store at once (a refusal,
    such as a table changed meanwhile by an accepted proposal, is said on the page); else in
    this session."""
    workshop = active_workshop()
    if workshop is not None:
        from valuechain.errors import WorkshopError

        try:
            workshops().record_edit(workshop.id, current().workbook.raw, raw)
        except WorkshopError as error:
            st.session_state[state.WORKSHOP_SAID] = workshop_problem(error)
        st.session_state[state.EDIT_VERSION] = st.session_state.get(state.EDIT_VERSION, 0) + 1
        return
    # The edited workbook's analysis, made from the one edited: a few flows changed are
    # validated alone, not the 20,000 rows again (valuechain.reading.validation.validate_edit).
    edited = analyse(validate_edit(current().workbook, raw), compute=FIRST_SHOWN)
    version = st.session_state.get(state.EDIT_VERSION, 0) + 1
    st.session_state[state.EDITED_RAW] = raw
    st.session_state[state.EDIT_VERSION] = version
    st.session_state[state.EDITED_ANALYSIS] = (version, edited)
    keep_draft()


# A person's work in progress (valuechain.store.drafts): kept in the store at each change, brought
# back by a new session of the same person (a reload, a closed tab, a restarted server).
def _draft_person() -> str | None:
    """Whose draft this session is: the laptop's owner, or the signed-in person; nobody's in a
    workshop (its journal keeps everything) or for a participant."""
    if participant_visit() or active_workshop() is not None:
        return None
    user, _ = signed_in()
    return user.person if user is not None and (user.owner or user.has_role) else None


def _drafts() -> Drafts:
    from valuechain.store.drafts import Drafts

    return Drafts(store())


def _draft_tab() -> str | None:
    """This tab's key for its draft, if it has one: kept in the session and in the address
    (?brouillon=), which a reload keeps and a page switch would drop."""
    tab = st.session_state.get(state.DRAFT_TAB)
    if tab is not None:
        _draft_in_address(tab)
    return tab


def _new_draft_tab() -> str:
    """This tab's key for its draft, made at its first draft."""
    from valuechain.store.drafts import new_tab_key

    tab = st.session_state.get(state.DRAFT_TAB) or new_tab_key()
    st.session_state[state.DRAFT_TAB] = tab
    _draft_in_address(tab)
    return tab


def _draft_in_address(tab: str) -> None:
    if st.query_params.get(state.DRAFT_PARAM) != tab:
        st.query_params[state.DRAFT_PARAM] = tab


def keep_draft() -> None:
    """Keep what this tab shows, as given and as edited; a sample with no edit is no draft."""
    person = _draft_person()
    if person is None:
        return
    upload, edited = st.session_state.get(state.UPLOAD), st.session_state.get(state.EDITED_RAW)
    if not upload and edited is None:
        tab = st.session_state.pop(state.DRAFT_TAB, None)
        if tab is not None:
            _drafts().drop(person, tab)
        if state.DRAFT_PARAM in st.query_params:
            del st.query_params[state.DRAFT_PARAM]
        return
    files = upload or current_files()
    given = _analysis_of_files(files_key(files), files)  # the centre as its files name it, before any edit
    _drafts().keep(
        person,
        _new_draft_tab(),
        files,
        current().name,
        edited,
        st.session_state.get(state.OPENED_VERSION),
        files_centre=given.name if isinstance(given, Analysis) else None,
        # The edits kept as what they change of the files as read, not the whole workbook.
        read=given.workbook.raw if isinstance(given, Analysis) else None,
    )


def _read_files(files: tuple[InputFile, ...]) -> RawWorkbook | None:
    """The workbook ``files`` read, as every page reads them (cached on their content)."""
    given = _analysis_of_files(files_key(files), files)
    return given.workbook.raw if isinstance(given, Analysis) else None


def restore_draft() -> None:
    """At a tab's first run, its draft (named in its address) becomes what it shows; at every
    run, the draft's key stays in the address. A stored version the draft names is asked of
    access again, by page_header, at every run."""
    if st.session_state.get(state.DRAFT_CHECKED):
        _draft_tab()
        return
    st.session_state[state.DRAFT_CHECKED] = True
    person, tab = _draft_person(), st.query_params.get(state.DRAFT_PARAM)
    draft = _drafts().get(person, tab, _read_files) if person is not None and tab else None
    if draft is None:
        if tab and state.DRAFT_PARAM in st.query_params:
            del st.query_params[state.DRAFT_PARAM]  # another person's key, or a draft gone: nothing
        return
    st.session_state[state.DRAFT_TAB] = tab
    sample = SAMPLE_DIR / draft.files[0].name if len(draft.files) == 1 else None
    if sample is not None and sample.is_file() and sample.read_bytes() == draft.files[0].data:
        st.session_state[state.SAMPLE] = sample.name
    else:
        st.session_state[state.UPLOAD] = draft.files
    if draft.edited is not None:
        st.session_state[state.EDITED_RAW] = draft.edited
    elif draft.edits_lost:  # its files read otherwise now: they come back, the edits cannot
        st.session_state[state.DRAFT_SAID] = say("app", "draft_edits_lost")
    if draft.opened_version is not None:
        st.session_state[state.OPENED_VERSION] = draft.opened_version
    st.session_state[state.DRAFT_RESTORED] = True


def map_positions(graph: nx.MultiDiGraph, presentation: bool) -> dict[str, tuple[float, float]] | None:
    """Where the map of the centre shown places each node on this screen (a wall, when
    ``presentation``), or ``None`` (a centre too large to place node by node: the map groups it).

    One seeded layout per centre and per screen (a wall's labels are larger), kept in the
    session and extended as the data is edited: filters, steps and a new actor never move the
    nodes already on the wall, and no label lies over another. In a workshop, the room's
    positions, kept in the store: the same on every screen."""
    from valuechain.media.mapview import MAX_MAP_NODES, readable_layout

    source = files_key(current_files())
    kept: dict[str, Any] | None = st.session_state.get(state.MAP_LAYOUT)
    if kept is None or kept["source"] != source:
        kept = {"source": source, "positions": {}}
    mode = "wall" if presentation else "screen"
    workshop = active_workshop()
    if workshop is not None:
        kept["positions"][mode] = workshop_positions(workshop.id, graph, presentation)
    elif graph.number_of_nodes() <= MAX_MAP_NODES:
        previous = kept["positions"].get(mode)
        if previous is None or set(previous) != set(graph):
            kept["positions"][mode] = readable_layout(graph, previous, presentation=presentation)
    st.session_state[state.MAP_LAYOUT] = kept
    return kept["positions"].get(mode) or None


# What the pages make of an analysis (a table as text, the map's page), per analysis and
# language: a large centre's tables hold tens of thousands of cells to write as text, once,
# not at every visit of the page. Kept as long as the analysis is (a file's analysis is cached
# for every session; an edit makes a new one). (By the analysis's id, forgotten when it is: an
# Analysis is a dataclass, compared by value, which a WeakKeyDictionary cannot hash.)
_MADE: dict[int, dict[tuple, Any]] = {}
Made = TypeVar("Made")


def made_once(analysis: Analysis, key: tuple, build: Callable[[], Made]) -> Made:
    """What ``build`` makes for this analysis and ``key`` (a table as text, the map's page),
    made on the first visit and kept while the analysis is."""
    kept = _MADE.get(id(analysis))
    if kept is None:
        kept = _MADE[id(analysis)] = {}
        weakref.finalize(analysis, _MADE.pop, id(analysis), None)
    if key not in kept:
        if len(kept) > 64:  # a session trying every filter: the oldest go
            kept.pop(next(iter(kept)))
        kept[key] = build()
    return kept[key]

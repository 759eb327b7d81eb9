"""What every page shares: the language, the centre shown (cached on the file's content),
edits in progress, presentation mode, and the figure cards. No computation: the library does it.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from pathlib import Path

import streamlit as st
import streamlit.commands.navigation as _streamlit_navigation

from pages import state
from valuechain import InputFile, UnreadableWorkbook, validate
from valuechain.words import catalogue
from valuechain.media import formatting as fmt
from valuechain.chain.analysis import FIRST_SHOWN, Analysis, analyse
from valuechain.reading.guard import read_guarded
from valuechain.incidents import fault
from valuechain.words.messages import ACCESS, ACCESS_REFUSALS, APP, SOCIAL_VALUE, UNDEFINED_REASONS, WORKSHOP, WORKSHOP_ERRORS, figure_definition, figure_name, fill, say
from valuechain.chain.metrics import Undefined
from valuechain.model import RawWorkbook


def _run_through_app() -> None:
    """Streamlit decides once per process whether a folder named ``pages/`` is a legacy
    multipage app, and until app.py's ``st.navigation`` has run once, the first visit of a
    fresh server by a deep link (``/carte``) runs the page file alone: no language switch, no
    navigation of ours. The flag is Streamlit's own (``st.navigation`` clears it the same way);
    clearing it and rerunning runs app.py, which opens the page the link asked for."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_run_through_app()

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


def lang() -> str:
    return st.session_state.get(state.LANG, "fr")


# Streamlit renders its texts as Markdown (images, links, emphasis, :colour[...] directives,
# LaTeX between $): whatever comes from a workbook or a file name is escaped before it joins
# one of our sentences, so that a centre named "![x](http://…)" is shown as those characters
# and loads nothing.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


# Markdown also turns a bare address ("http://…", "www.…") into a link, escapes or not: a
# zero-width space after its scheme keeps it text.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])")


def plain(value: object) -> object:
    """A value from the user's data, as text that Markdown shows as typed (numbers stay
    numbers: a plural word follows them)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _AUTOLINK.sub("\\1\u200b", str(value))
    # An escaped colon is still a colon once Markdown is parsed, and Streamlit then reads
    # ":material/home:" or ":smile:" as an icon: a zero-width space after each colon stops it.
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text).replace("\n", " ").replace(":", ":\u200b")


def _language_chosen() -> None:
    st.session_state[state.LANG] = st.session_state[state.LANG_SWITCH] or st.session_state[state.LANG]


def language_switch(label: str, collapsed: bool = False) -> None:
    """Every language the catalogue has a file for, each under its own name. The widget has a
    key of its own, set from the language before it is drawn and copied back by its callback:
    state a widget owns cannot be changed once it is drawn (a second click on the selected
    language would crash the run)."""
    st.session_state[state.LANG_SWITCH] = lang()
    st.segmented_control(label, options=list(catalogue.languages()), key=state.LANG_SWITCH, on_change=_language_chosen,
                         label_visibility="collapsed" if collapsed else "visible",
                         format_func=lambda language: catalogue.text("language", "name", language))


# Every address of the app (st.Page's url_path): a visitor who asks for one their navigation
# does not hold gets our sentence and the page they may see, never Streamlit's "Page not found".
ADDRESSES = ("carte", "chaine", "domaines", "contributions", "valeur-sociale", "saisie", "exporter", "comparer", "evolution",
             "membres", "atelier", "mur", "participer", "connexion", "rejoindre")


def elsewhere_pages(present: set[str], target) -> list:
    """Hidden pages for the addresses not in ``present``: each leads to ``target`` (an
    ``st.Page``), which then says that the page asked for is not open here."""
    def page_for(address: str):
        def elsewhere() -> None:
            st.session_state[state.NOT_HERE] = address
            st.switch_page(target, query_params=st.query_params.to_dict())
        elsewhere.__name__ = "elsewhere_" + address.replace("-", "_")
        return st.Page(elsewhere, title=address, url_path=address, visibility="hidden")
    return [page_for(address) for address in ADDRESSES if address not in present]


def say_not_here() -> None:
    """Once, on the page shown instead: the page asked for is not open here, or does not exist."""
    asked = st.session_state.pop(state.NOT_HERE, None)
    if asked == _UNKNOWN_ADDRESS:
        st.info(t("page_unknown"))
    elif asked:
        st.info(t("not_here", page=asked))


_UNKNOWN_ADDRESS = "\u0000unknown"  # no address of ours looks like this


def _page_not_found(_context) -> None:
    """In place of Streamlit's own: an address that names no page at all gets our sentence on
    the default page (say_not_here), not Streamlit's English "Page not found" dialog. Streamlit
    (pinned in requirements.txt) calls this from st.navigation, in the visitor's run."""
    st.session_state[state.NOT_HERE] = _UNKNOWN_ADDRESS


_streamlit_navigation.send_page_not_found = _page_not_found


def say_plain(template: str, **params: object) -> str:
    """One of our sentences with the user's data filled in as plain text."""
    return fill(template, lang(), **{name: plain(value) for name, value in params.items()})


def t(key: str, **params: object) -> str:
    """A sentence of the dashboard in the user's language; its parameters are plain text."""
    return say(APP, key, lang(), **{name: plain(value) for name, value in params.items()})


# The cannery first (the emblematic case), the worked example of the docs last.
SAMPLE_ORDER = ("conserverie", "maison-des-habitants", "association-les-embruns", "tilleuls")


def sample_paths() -> list[Path]:
    def rank(path: Path) -> tuple[int, str]:
        return next((i for i, prefix in enumerate(SAMPLE_ORDER) if path.name.startswith(prefix)), len(SAMPLE_ORDER)), path.name

    return sorted(SAMPLE_DIR.glob("*.xlsx"), key=rank)


def year_sample_paths() -> list[Path]:
    """A sample centre over three years (the Tilleuls of docs/indicateurs.md): the worked
    example's year and those before and after it, for the Évolution page."""
    return [SAMPLE_DIR / "tilleuls-exemple-chiffre.xlsx", *sorted((SAMPLE_DIR / "annees").glob("*.xlsx"))]


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
        # Read in a worker with a memory ceiling: no file, however made, takes this server
        # (and every other user's session) down with it.
        return analyse(validate(read_guarded(list(_files))), compute=FIRST_SHOWN)
    except UnreadableWorkbook as unreadable:
        return unreadable
    except Exception as error:  # a fault of ours: one sentence for the user, never a traceback
        names = ", ".join(file.name for file in _files)
        return fault(error, f"reading of {names}")


def store():
    """The federation store (SQLite file, or VALUECHAIN_DATABASE_URL), opened once per process
    and kept outside Streamlit's cache, which any visitor may clear (``process_store``)."""
    from valuechain.store.db import process_store

    return process_store()


# Who uses the app ------------------------------------------------------------------------------------
def auth_configured() -> bool:
    """Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's
    ``st.login``): a federation's server. Without one (the laptop), one local user, the owner
    of the store, may do everything."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one Streamlit cannot read: no sign-in
        return False


def signed_in():
    """``(user, refusal)``: the ``access.User`` behind this visit, read again from the store at
    every run (a role taken away takes effect at once), or ``None`` and the refusal's key
    (``signed_out``, ``session_expired``, ``no_email``). Identity comes from Streamlit's signed
    cookie alone, never from the session's state or the address."""
    from valuechain.access.service import Refused, User, identity_from_claims, user_of

    if participant_visit():
        return User.room_participant(), None
    if not auth_configured():
        return User.local_owner(), None
    if not st.user.get("is_logged_in"):
        return None, "signed_out"
    try:
        return user_of(store(), identity_from_claims(st.user.to_dict())), None
    except Refused as refused:
        return None, refused.reason


def facilitator() -> str | None:
    """Who opens and runs workshops: the signed-in person on a federation's server; nobody in
    particular on a laptop (``None``: every workshop of the store is theirs)."""
    if not auth_configured():
        return None
    user, _ = signed_in()
    return user.person if user is not None else ""


def access():
    """The store as this visitor may use it (``valuechain.access.service.Access``): every page's only
    way to the store's centres and versions. A visitor with no access gets an Access that
    refuses everything."""
    from valuechain.access.service import Access, User

    user, _ = signed_in()
    return Access(store(), user or User("nobody"))


def role_text(role) -> str:
    """"admin de FD 26", "membre de Les Tilleuls (FD 26)"…"""
    return a(f"role_{role.kind}", federation=role.federation, centre=role.centre or "")


def signed_in_panel(user) -> None:
    """In the sidebar of a federation's server: who is signed in, their roles, sign out."""
    if not auth_configured() or user.owner:
        return
    st.caption(a("signed_in_as", person=user.person))
    for role in user.roles:
        st.caption("· " + role_text(role))
    if st.button(a("sign_out"), key="sign_out"):
        st.logout()


def local_time(moment):
    """A moment of the store (UTC; SQLite gives it back naive) in the browser's time zone, or
    Paris' when the browser's is unknown to Python."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    try:
        zone = ZoneInfo(st.context.timezone or "Europe/Paris")
    except Exception:  # a browser's zone Python does not know: the federation's clock is Paris'
        zone = ZoneInfo("Europe/Paris")
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(zone)


def deleted_versions(versions, restore) -> None:
    """Each hidden version, who deleted it and until when it can come back, with its "Rendre"
    button; ``restore(version)`` is what the button does (Comparer and Membres alike)."""
    from valuechain.store.db import KEPT_DELETED

    for version in versions:
        columns = st.columns([6, 1])
        columns[0].write(a("deleted_line", centre=version.centre, year=version.year or "—", number=version.number,
                           file=version.file_name, person=version.deleted_by or "—",
                           when=f"{local_time(version.deleted_at):%Y-%m-%d %H:%M}",
                           until=f"{local_time(version.deleted_at + KEPT_DELETED):%Y-%m-%d}"))
        if columns[1].button(a("restore"), key=f"restore{version.id}"):
            restore(version)


def access_problem(refused) -> str:
    """What a refusal says, in the user's language."""
    return say(ACCESS_REFUSALS, refused.reason, lang(), **{k: plain(v) for k, v in refused.params.items()})


def sv(key: str, **params: object) -> str:
    """A sentence of the social value page in the user's language."""
    return say(SOCIAL_VALUE, key, lang(), **{name: plain(value) for name, value in params.items()})


def a(key: str, **params: object) -> str:
    """A sentence of the sign-in and members pages in the user's language."""
    return say(ACCESS, key, lang(), **{name: plain(value) for name, value in params.items()})


def current_files() -> tuple[InputFile, ...]:
    upload = st.session_state.get(state.UPLOAD)
    if upload:
        return upload
    sample = st.session_state.get(state.SAMPLE) or sample_paths()[0].name
    return (InputFile.from_path(SAMPLE_DIR / sample),)


def accept_files(files: list[tuple[str, bytes]]) -> str | None:
    """Try a user's files: shown from now on when readable; else the message, and the centre
    shown stays the same."""
    candidate = tuple(InputFile(name, data) for name, data in files)
    result = _analysis_of_files(files_key(candidate), candidate)
    if isinstance(result, UnreadableWorkbook):
        return result.message(lang())
    st.session_state[state.UPLOAD] = candidate
    st.session_state.pop(state.OPENED_VERSION, None)
    revert_edits()  # the new files, unedited, are the tab's draft now
    return None


def back_to_sample() -> None:
    """The session stops showing what it was given or opened (its files, its stored version's
    number, its edits) and shows the sample again; its draft goes."""
    st.session_state.pop(state.UPLOAD, None)
    st.session_state.pop(state.OPENED_VERSION, None)
    revert_edits()


def revert_edits() -> None:
    """"Revenir au classeur d'origine": the edits go, the workbook shown stays; the tab's draft
    says so (or goes, when what is shown is the sample)."""
    clear_edits()
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


def _drafts():
    from valuechain.store.drafts import Drafts

    return Drafts(store())


def _draft_tab(create: bool = False) -> str | None:
    """This tab's key for its draft: kept in the session and in the address (?brouillon=), which
    a reload keeps and a page switch would drop."""
    from valuechain.store.drafts import new_tab_key

    tab = st.session_state.get(state.DRAFT_TAB)
    if tab is None and create:
        tab = st.session_state[state.DRAFT_TAB] = new_tab_key()
    if tab is not None and st.query_params.get("brouillon") != tab:
        st.query_params["brouillon"] = tab
    return tab


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
        if "brouillon" in st.query_params:
            del st.query_params["brouillon"]
        return
    files = upload or current_files()
    _drafts().keep(person, _draft_tab(create=True), files, current().name, edited,
                   st.session_state.get(state.OPENED_VERSION))


def restore_draft() -> None:
    """At a tab's first run, its draft (named in its address) becomes what it shows; at every
    run, the draft's key stays in the address. A stored version the draft names is asked of
    access again, by page_header, at every run."""
    if st.session_state.get(state.DRAFT_CHECKED):
        _draft_tab()
        return
    st.session_state[state.DRAFT_CHECKED] = True
    person, tab = _draft_person(), st.query_params.get("brouillon")
    draft = _drafts().get(person, tab) if person is not None and tab else None
    if draft is None:
        if tab and "brouillon" in st.query_params:
            del st.query_params["brouillon"]  # another person's key, or a draft gone: nothing
        return
    st.session_state[state.DRAFT_TAB] = tab
    sample = SAMPLE_DIR / draft.files[0].name if len(draft.files) == 1 else None
    if sample is not None and sample.is_file() and sample.read_bytes() == draft.files[0].data:
        st.session_state[state.SAMPLE] = sample.name
    else:
        st.session_state[state.UPLOAD] = draft.files
    if draft.edited is not None:
        st.session_state[state.EDITED_RAW] = draft.edited
    if draft.opened_version is not None:
        st.session_state[state.OPENED_VERSION] = draft.opened_version
    st.session_state[state.DRAFT_RESTORED] = True


def clear_edits() -> None:
    st.session_state.pop(state.EDITED_RAW, None)
    st.session_state.pop(state.EDITED_ANALYSIS, None)
    st.session_state[state.EDIT_VERSION] = st.session_state.get(state.EDIT_VERSION, 0) + 1


def workshops():
    """The store's workshops, opened once per process (their state lives in the store)."""
    from valuechain.store.db import database_url

    return _workshops(database_url())


@st.cache_resource(show_spinner=False)
def _workshops(_url: str):
    from valuechain.workshop.workshops import Workshops

    return Workshops(store())


def w(key: str, **params: object) -> str:
    """A sentence of the workshop pages in the user's language; its parameters are plain text."""
    return say(WORKSHOP, key, lang(), **{name: plain(value) for name, value in params.items()})


def workshop_problem(error) -> str:
    """What a ``WorkshopError`` says to the user."""
    params = {k: plain(v) for k, v in error.params.items()}
    if error.problem is not None:  # a row's problem, in the reader's own words
        params["reason"] = plain(error.problem.message(lang()))
    return say(WORKSHOP_ERRORS, error.code, lang(), **params)


def participant_visit() -> bool:
    """A participant's visit: in a room (``room_mode``), any visitor without the facilitator's
    key; anywhere, a join link (``?code=``). Participants get the form and the public wall,
    never the rest of the app."""
    from valuechain.workshop.workshops import is_participant, room_mode

    if "code" in st.query_params:
        return True
    room = room_mode()
    return is_participant(room, room and holds_room_key())


def holds_room_key() -> bool:
    """Whether this session gave the facilitator's key (``?animateur=KEY``, printed by ``make
    workshop``). Kept in the session and in the address bar, like the workshop's code: a page
    switch or a refresh keeps it; checked against the key at every run."""
    from valuechain.workshop.workshops import holds_facilitator_key

    given = st.session_state.get(state.FACILITATOR_KEY) or st.query_params.get("animateur")
    if not holds_facilitator_key(given):
        st.session_state.pop(state.FACILITATOR_KEY, None)
        return False
    st.session_state[state.FACILITATOR_KEY] = given
    if st.query_params.get("animateur") != given:
        st.query_params["animateur"] = given
    return True


def active_workshop():
    """The workshop this facilitator's session works in, if any. Kept in the session and in
    the address bar (``?atelier=CODE``): a refresh, or the same address on a second laptop,
    brings it back; a closed workshop is left."""
    if participant_visit():
        return None
    code = st.session_state.get(state.WORKSHOP) or st.query_params.get("atelier")
    if not code:
        return None
    workshop = workshops().by_code(code)
    # On a federation's server, a workshop is run by the person who opened it: another
    # person's address or session does not open it.
    if workshop is None or not workshop.is_open or (auth_configured() and workshop.opened_by != facilitator()):
        st.session_state.pop(state.WORKSHOP, None)
        if "atelier" in st.query_params:
            del st.query_params["atelier"]
        return None
    st.session_state[state.WORKSHOP] = workshop.code
    if st.query_params.get("atelier") != workshop.code:
        st.query_params["atelier"] = workshop.code
    return workshop


@st.cache_resource(max_entries=16, show_spinner=False)
def workshop_analysis(workshop_id: int, revision: int) -> Analysis:
    """A workshop's analysis at one revision: shared by the wall, the facilitator and every
    process's visitors until the next change (the state itself is in the store)."""
    return analyse(validate(workshops().workbook(workshop_id)), compute=FIRST_SHOWN)


def edit_generation() -> str:
    """Changes whenever the workbook shown changes (an edit here, or in a workshop a change
    made elsewhere): the editors start again from the workbook as it is."""
    workshop = active_workshop()
    version = st.session_state.get(state.EDIT_VERSION, 0)
    return f"{version}-{workshop.id}-{workshop.revision}" if workshop is not None else str(version)


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
            kept = (version, analyse(validate(edited), compute=FIRST_SHOWN))
            st.session_state[state.EDITED_ANALYSIS] = kept
        return kept[1]
    result = _analysis_of_files(key, files)
    if isinstance(result, UnreadableWorkbook):  # a sample removed from disk, say: back to the first
        st.session_state.pop(state.UPLOAD, None)
        st.session_state[state.SAMPLE] = sample_paths()[0].name
        return _analysis_of_files(files_key(current_files()), current_files())
    return result


def set_edited(raw: RawWorkbook) -> None:
    """Keep an edit: in a workshop, written to its journal in the store at once (a refusal,
    such as a table changed meanwhile by an accepted proposal, is said on the page); else in
    this session."""
    workshop = active_workshop()
    if workshop is not None:
        from valuechain.workshop.workshops import WorkshopError

        try:
            workshops().record_edit(workshop.id, current().workbook.raw, raw)
        except WorkshopError as error:
            st.session_state[state.WORKSHOP_SAID] = workshop_problem(error)
        st.session_state[state.EDIT_VERSION] = st.session_state.get(state.EDIT_VERSION, 0) + 1
        return
    st.session_state[state.EDITED_RAW] = raw
    st.session_state[state.EDIT_VERSION] = st.session_state.get(state.EDIT_VERSION, 0) + 1
    keep_draft()


PRESENTATION_CSS = """
<style>
  html, body, [class*="css"], .stMarkdown, p, li, label { font-size: 22px !important; }
  h1 { font-size: 2.6rem !important; padding: 0 !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 2rem !important; }
  /* On a wall the room reads the values: at least twice their labels, 48 px and more. */
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 72px !important; line-height: 1.1 !important; }
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { font-size: 28px !important; }
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
  .block-container { padding-top: 4.2rem !important; max-width: 100% !important; }
</style>
"""


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def streamlit_words_css() -> str:
    """Streamlit's own file uploader and download buttons speak English and take no text of
    ours ("Upload", "50MB per file", "Failed to generate file for download"): their words are
    replaced, in the user's language, by CSS. The data editor's menus stay in English (README,
    "Languages")."""
    failed = catalogue.text("streamlit", "export_failed", lang())
    button = catalogue.text("streamlit", "upload_button", lang())
    limit = catalogue.text("streamlit", "upload_limit", lang()).format(limit=st.get_option("server.maxUploadSize"))
    return f"""<style>
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
    content: {_css_text(button)}; font-size: 0.875rem; }}
  [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
  [data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {_css_text(limit)}; font-size: 0.875rem; }}
  /* A download whose file could not be made (Streamlit's "Failed to generate file…"). */
  [data-testid="stDownloadButtonError"] {{ font-size: 0; }}
  [data-testid="stDownloadButtonError"]::after {{ content: {_css_text(failed)}; font-size: 0.875rem; }}
  /* A figure's name is read whole on its card, on two lines if need be ("Centralité
     d'intermédiation du centre"), never cut with an ellipsis. */
  [data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
</style>"""


def sign_in_page(user, refusal: str | None) -> None:
    """What a visitor of a federation's server sees before signing in, after a sign-in that
    cannot be taken (too old, no e-mail), or when signed in with no role yet."""
    st.title(a("page_sign_in"))
    if user is None and refusal == "signed_out":
        st.write(a("sign_in_intro"))
        if st.button(a("sign_in"), type="primary"):
            st.login()
    elif user is None:
        # A cookie Streamlit took but we do not: sign out, then in again.
        st.warning(a(f"refused_{refusal}"))
        if st.button(a("sign_in_again"), type="primary"):
            st.logout()
    else:
        st.info(a("no_role", person=user.person))
        st.write(a("no_role_whom"))
        if st.button(a("sign_out")):
            st.logout()


def page_header(title_key: str, name_the_centre: bool = True) -> Analysis:
    """Title, presentation styling, and the centre shown (unless ``name_the_centre`` is off,
    as on an anonymised comparison). Every page starts here, and none shows anything to a
    visitor who may not use the app (app.py's navigation already keeps them to the sign-in
    page; this holds even for a page run by itself)."""
    user, refusal = signed_in()
    if user is None or not user.has_role:
        sign_in_page(user, refusal)
        st.stop()
    st.html(streamlit_words_css())
    opened = st.session_state.get(state.OPENED_VERSION)
    if opened is not None and not access().still_shown(opened):
        back_to_sample()
        st.error(a("version_gone"))
        st.stop()  # nothing of it on this run; the next one shows the sample
    presenting = st.session_state.get(state.PRESENTATION, False)
    if presenting:
        st.html(PRESENTATION_CSS)
        if st.button(t("leave_presentation"), key="leave_presentation"):
            st.session_state[state.PRESENTATION] = False
            st.rerun()
    analysis = current()
    st.title(t(title_key))
    year = analysis.workbook.centre.year or "—"
    if name_the_centre:
        st.caption(t("now_showing", name=analysis.name, year=year))
    workshop = active_workshop()
    if workshop is not None and not presenting:
        st.info(w("workshop_banner", code=workshop.code), icon=None)
    said = st.session_state.pop(state.WORKSHOP_SAID, None)
    if said:
        st.warning(said)
    return analysis


# The result tables as shown, per analysis and language: a large centre's tables hold tens of
# thousands of cells to write as text, once, not at every visit of the page. Kept as long as
# the analysis is (a file's analysis is cached for every session; an edit makes a new one).
# (By the analysis's id, forgotten when it is: an Analysis is a dataclass, compared by value,
# which a WeakKeyDictionary cannot hash.)
_SHOWN_TABLES: dict[int, dict] = {}


def made_once(analysis: Analysis, key: tuple, build):
    """What ``build`` makes for this analysis and ``key`` (a table as text, the map's page),
    made on the first visit and kept while the analysis is."""
    kept = _SHOWN_TABLES.get(id(analysis))
    if kept is None:
        kept = _SHOWN_TABLES[id(analysis)] = {}
        weakref.finalize(analysis, _SHOWN_TABLES.pop, id(analysis), None)
    if key not in kept:
        if len(kept) > 64:  # a session trying every filter: the oldest go
            kept.pop(next(iter(kept)))
        kept[key] = build()
    return kept[key]


def result_table(analysis: Analysis, name: str, build) -> None:
    """A result table of the library (``valuechain.media.tables``) as the page shows it: the rows
    written as the figures are, under the catalogue's headers. ``build`` gives the columns
    and rows; it runs once per analysis and language."""
    import pandas as pd

    from valuechain.media import tables

    def frame():
        columns, rows = build()
        return pd.DataFrame(tables.shown(columns, rows, lang()), columns=tables.headers(columns, lang()))

    st.dataframe(made_once(analysis, ("table", name, lang()), frame), hide_index=True, width="stretch")


def presenting() -> bool:
    return bool(st.session_state.get(state.PRESENTATION, False))


def figure_value(code: str, value: object) -> str:
    """The figure as a card shows it: "—" when undefined (the reason is in the help)."""
    return fmt.DASH if isinstance(value, Undefined) else fmt.format_figure(code, value, lang())


def figure_card(code: str, value: object) -> None:
    """A figure with its one name, its value, and its definition on demand."""
    help_text = figure_definition(code, lang())
    if isinstance(value, Undefined):
        reason = UNDEFINED_REASONS.get(value.reason, {}).get(lang(), value.reason)
        help_text += "\n\n" + t("undefined_help", reason=reason)
    note = fmt.estimate_note(code, value, lang())
    if note:
        help_text += "\n\n" + note
    st.metric(figure_name(code, lang()), figure_value(code, value), help=help_text)


def figure_cards(analysis: Analysis, codes: tuple[str, ...] | list[str], per_row: int = 3) -> None:
    for start in range(0, len(codes), per_row):
        columns = st.columns(per_row)
        for column, code in zip(columns, codes[start:start + per_row]):
            with column:
                figure_card(code, analysis.figures[code])


def workshop_positions(workshop_id: int, graph, presentation: bool, save: bool = True) -> dict:
    """The map's positions in a workshop, kept in the store: a reloaded wall, a second laptop
    and another app process place every node where the room saw it; a node added live is
    placed around the others, which do not move."""
    from valuechain.media.mapview import MAX_MAP_NODES, readable_layout

    if graph.number_of_nodes() > MAX_MAP_NODES:
        return {}
    mode = "wall" if presentation else "screen"
    previous = workshops().layout(workshop_id, mode)
    if previous is not None and set(graph) <= set(previous):
        return previous
    positions = readable_layout(graph, previous, presentation=presentation, keep_placed=True)
    if save:
        workshops().save_layout(workshop_id, mode, {**(previous or {}), **positions})
    return positions


def phones_can_join() -> bool:
    """Whether the server listens beyond this machine: ``make run`` listens on 127.0.0.1 only,
    and a phone given the room's address would find nothing there."""
    return str(st.get_option("server.address") or "").strip() not in ("localhost", "127.0.0.1", "::1")


def join_address(workshop) -> str:
    """The address a participant opens: this machine on the room's network, the join page and
    the workshop's code."""
    from valuechain.workshop.workshops import room_address

    return f"{room_address(int(st.get_option('server.port')))}/participer?code={workshop.code}"


def download_button(label: str, data, **options):
    """A download that does not rerun the page. With Streamlit's default a click reruns it, and
    the other buttons' files, made when clicked, get new addresses meanwhile: a second click
    right after the first asked for the old one ("Deferred file … not found", issue 26.10)."""
    return st.download_button(label, data, on_click="ignore", **options)

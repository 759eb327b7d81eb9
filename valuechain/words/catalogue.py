"""The one catalogue of words and sentences shown to users, in gettext's ``.po`` format.

``valuechain/words/locale/<lang>/LC_MESSAGES/valuechain.po`` holds, for each language, every text
under a context (``msgctxt``: the part of the program, e.g. ``problem`` or ``map``) and a
symbolic key (``msgid``); a list (column headers, instruction lines) is one entry per item,
keyed ``name.0``, ``name.1``… Translators use the usual tools (Poedit, Weblate, Babel's
``pybabel``); a third language is one more file, picked up here without a code change. French
is the reference language: a text missing in another language falls back to French.

A sentence whose words follow a count is a gettext plural entry: its ``msgid_plural`` names the
placeholder that counts (``msgid_plural "{count}"``), its ``msgstr[0]``, ``msgstr[1]``… are the
forms, and the file's own ``Plural-Forms`` header chooses among them (French: ``n > 1``,
English: ``n != 1``), as ``npgettext`` does.

The catalogue's folder is the package's own, or the one the environment variable
``VALUECHAIN_LOCALE_DIR`` names (a translator trying a new language before it ships, the tests'
pseudo-language).

Parsing both files with Babel takes about 80 ms, paid by every process that says a word (each
command line run, each test process). What Babel read is kept as JSON in the user's cache folder
(``VALUECHAIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/valuechain`` or ``~/.cache/valuechain``), under
the file's SHA-256: an edited file is a new key, read again; a cache that cannot be read or
written is only a cost, never a fault.

The sentences themselves are said through ``valuechain.words.messages.say``; the language's
locale, separators and plural rule through ``valuechain.words.language``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale

PACKAGED_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALE_DIR_VARIABLE = "VALUECHAIN_LOCALE_DIR"
CACHE_DIR_VARIABLE = "VALUECHAIN_CACHE_DIR"
_CACHE_FORMAT = 1  # bumped when what is kept changes
DOMAIN = "valuechain"
REFERENCE_LANGUAGE = "fr"


@dataclass(frozen=True)
class Plural:
    """A plural entry: the placeholder whose number chooses the form, and the forms in the
    order of the language's ``Plural-Forms``."""

    count: str
    forms: tuple[str, ...]


def locale_dir() -> Path:
    return _locale_dir(os.environ.get(LOCALE_DIR_VARIABLE) or "")


@lru_cache(maxsize=None)
def _locale_dir(named: str) -> Path:
    # Asked for at every sentence said: the path is built once per folder, not each time.
    return Path(named) if named else PACKAGED_LOCALE_DIR


def po_path(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def _languages(directory: Path) -> tuple[str, ...]:
    found = sorted(p.name for p in directory.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())
    return tuple(sorted(found, key=lambda lang: (lang != REFERENCE_LANGUAGE, lang)))


def languages() -> tuple[str, ...]:
    """The codes of the languages a catalogue file exists for, French first: the one place
    that decides which languages exist."""
    return _languages(locale_dir())


@dataclass(frozen=True)
class Header:
    """What the program reads of a file's headers: its ``Language`` and ``Plural-Forms``."""

    language: str | None  # e.g. "fr_FR", as Babel read it; None when the file names none
    plural_expr: str  # e.g. "(n > 1)"
    num_plurals: int

    @property
    def locale(self) -> Locale | None:
        return Locale.parse(self.language) if self.language else None


def _count_name(msgid_plural: str) -> str:
    name = msgid_plural.strip().removeprefix("{").removesuffix("}")
    if not name.isidentifier():
        raise ValueError(f"a plural entry's msgid_plural names its count as {{name}}, not {msgid_plural!r}")
    return name


_Entries = dict[tuple[str, str], "str | Plural"]


@lru_cache(maxsize=None)
def _parsed(directory: Path, lang: str) -> tuple[Header, _Entries]:
    """A language's file as read: its headers and (context, key) → text or plural forms."""
    data = (directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()
    cached = _cache_path(lang, hashlib.sha256(data).hexdigest())
    found = _from_cache(cached)
    if found is None:
        found = _parse(data)
        _to_cache(cached, found)
    return found


def _parse(data: bytes) -> tuple[Header, _Entries]:
    from babel.messages.pofile import read_po  # only when the cache does not hold the file

    catalog = read_po(io.BytesIO(data), domain=DOMAIN)
    header = Header(str(catalog.locale) if catalog.locale else None, catalog.plural_expr, catalog.num_plurals)
    entries: _Entries = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple) and isinstance(message.string, (tuple, list)):  # a plural entry
            singular, plural = message.id[:2]
            forms = tuple(str(form) for form in message.string)
            if all(forms):
                entries[(message.context or "", str(singular))] = Plural(_count_name(str(plural)), forms)
        elif message.string:
            entries[(message.context or "", str(message.id))] = str(message.string)
    return header, entries


def _cache_path(lang: str, digest: str) -> Path:
    named = os.environ.get(CACHE_DIR_VARIABLE)
    if named:
        folder = Path(named)
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "valuechain"
    return folder / f"catalogue-{_CACHE_FORMAT}-{lang}-{digest}.json"


def _from_cache(path: Path) -> tuple[Header, _Entries] | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        header = Header(kept["language"], kept["plural_expr"], int(kept["num_plurals"]))
        entries: _Entries = {}
        for context, key, found in kept["entries"]:
            entries[(context, key)] = found if isinstance(found, str) else Plural(found[0], tuple(found[1]))
        return header, entries
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # not there yet, or not ours: read the file


def _to_cache(path: Path, found: tuple[Header, _Entries]) -> None:
    header, entries = found
    kept = {
        "language": header.language,
        "plural_expr": header.plural_expr,
        "num_plurals": header.num_plurals,
        "entries": [
            [context, key, text if isinstance(text, str) else [text.count, list(text.forms)]]
            for (context, key), text in entries.items()
        ],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: a process reading at the same moment sees all or nothing.
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # a read-only home: the file is parsed at each start, as it always was


def _entries(directory: Path, lang: str) -> _Entries:
    return _parsed(directory, lang)[1]


def _texts(lang: str) -> dict[tuple[str, str], str | Plural]:
    """(context, key) → text or plural forms, for one language's file."""
    return _entries(locale_dir(), lang)


def header(lang: str) -> Header:
    """A language's file's ``Language`` and ``Plural-Forms`` headers."""
    return _parsed(locale_dir(), lang)[0]


def entry(context: str, key: str, lang: str) -> tuple[str, str | Plural]:
    """(the language it is written in, the entry) for ``key`` in ``lang``, else in French;
    KeyError when the catalogue has no such entry."""
    own = _texts(lang).get((context, key)) if lang in languages() else None
    if own is not None:
        return lang, own
    return REFERENCE_LANGUAGE, _texts(REFERENCE_LANGUAGE)[(context, key)]


def text(context: str, key: str, lang: str) -> str:
    """One text (not a plural entry) in ``lang``, else in French; KeyError when the catalogue
    has no such entry."""
    found = entry(context, key, lang)[1]
    if isinstance(found, Plural):
        raise TypeError(f"{context}/{key} is a plural entry: say it with its count")
    return found


def keys(context: str) -> list[str]:
    """The keys of a context's texts (not its plural entries), in the reference file's order."""
    return [
        key for (ctx, key), found in _texts(REFERENCE_LANGUAGE).items() if ctx == context and isinstance(found, str)
    ]


def by_key(context: str) -> dict[str, dict[str, str]]:
    """{key: {lang: text}} for every language (a plural entry is said with its count, not here)."""
    return {key: {lang: text(context, key, lang) for lang in languages()} for key in keys(context)}


def list_keys(context: str, name: str) -> tuple[str, ...]:
    """The keys ``name.0``, ``name.1``… of a list of ``context``, in order (``messages.say_list``
    reads them); KeyError when the context has no such list."""
    return _list_keys(locale_dir(), context, name)


@lru_cache(maxsize=None)
def _list_keys(_directory: Path, context: str, name: str) -> tuple[str, ...]:
    positions = []
    for key in keys(context):
        listed, _, position = key.rpartition(".")
        if listed == name:
            if not position.isdigit():
                raise ValueError(f"catalogue list entry without a position: {context}/{key}")
            positions.append(int(position))
    if not positions:
        raise KeyError(f"{context}/{name}")
    return tuple(f"{name}.{position}" for position in sorted(positions))

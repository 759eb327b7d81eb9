"""The one catalogue of words and sentences shown to users, in gettext's ``.po`` format.

``valuechain/words/locale/<lang>/LC_MESSAGES/valuechain.po`` holds, for each language, every text
under a context (``msgctxt``: the part of the program, e.g. ``problem`` or ``map``) and a
symbolic key (``msgid``); a list (column headers, instruction lines) is one entry per item,
keyed ``name.0``, ``name.1``… Translators use the usual tools (Poedit, Weblate, Babel's
``pybabel``); a third language is one more file, picked up here without a code change. French
is the reference language: a text missing in another language falls back to French.

The modules that show words read them from here in the shape they use (``by_key``,
``by_language``, ``lists``); ``tests/test_catalogue.py`` checks that every entry has every
language with the same placeholders, and that no user-facing dictionary is left in code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "valuechain"
REFERENCE_LANGUAGE = "fr"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def languages() -> tuple[str, ...]:
    """The languages a catalogue file exists for, French first."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if po_path(p.name).is_file())
    return tuple(sorted(found, key=lambda lang: (lang != REFERENCE_LANGUAGE, lang)))


@lru_cache(maxsize=None)
def _texts(lang: str) -> dict[tuple[str, str], str]:
    """(context, key) → text, for one language's file."""
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=None, domain=DOMAIN)
    # Each entry is one text (no gettext plural forms: plurals are written in the text itself).
    return {(message.context or "", str(message.id)): str(message.string)
            for message in catalog if message.id and message.string}


def text(context: str, key: str, lang: str) -> str:
    """One text in ``lang``, else in French; KeyError when the catalogue has no such entry."""
    own = _texts(lang).get((context, key)) if lang in languages() else None
    return own if own is not None else _texts(REFERENCE_LANGUAGE)[(context, key)]


def keys(context: str) -> list[str]:
    """The keys of a context, in the reference file's order."""
    return [key for ctx, key in _texts(REFERENCE_LANGUAGE) if ctx == context]


def by_key(context: str) -> dict[str, dict[str, str]]:
    """{key: {lang: text}} for every language."""
    return {key: {lang: text(context, key, lang) for lang in languages()} for key in keys(context)}


def by_language(context: str) -> dict[str, dict[str, str]]:
    """{lang: {key: text}} for every language."""
    return {lang: {key: text(context, key, lang) for key in keys(context)} for lang in languages()}


def lists(context: str) -> dict[str, dict[str, list[str]]]:
    """{name: {lang: [texts]}} from the entries ``name.0``, ``name.1``…"""
    result: dict[str, dict[str, list[str]]] = {}
    for key in keys(context):
        name, _, position = key.rpartition(".")
        if not position.isdigit():
            raise ValueError(f"catalogue list entry without a position: {context}/{key}")
        for lang in languages():
            result.setdefault(name, {}).setdefault(lang, []).append(text(context, key, lang))
    return result

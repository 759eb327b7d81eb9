"""Every sentence the program says to a user, keyed by a code, in each language of the
catalogue (``catalogue.py``: gettext ``.po`` files, French first).

Problems, unreadable-file messages, figure names and the words of the report and CLI come
from here, so that the same thing has the same name on every page, report and export.
"""

from __future__ import annotations

import string
from functools import lru_cache

from babel import Locale

from valuechain.words import catalogue
from valuechain.vocabulary import DEFAULT_LANGUAGE

SEVERITY_LABELS = catalogue.by_key("severity")

# Problems found in a row or a sheet. Placeholders are filled from Problem.params.
PROBLEMS: dict[str, dict[str, str]] = catalogue.by_key("problem")

# Whole-file problems: one clear sentence, no stack trace.
UNREADABLE: dict[str, dict[str, str]] = catalogue.by_key("unreadable")

KIND_LABELS = catalogue.by_key("kind")

# Reasons a figure is undefined ("—").
UNDEFINED_REASONS: dict[str, dict[str, str]] = catalogue.by_key("undefined")

# Words of the CLI and the text report.
UI: dict[str, dict[str, str]] = catalogue.by_key("ui")


def lang_or_default(lang: str | None) -> str:
    """``lang`` when the catalogue speaks it, else French."""
    return lang if lang in catalogue.languages() else DEFAULT_LANGUAGE


class _PluralFormatter(string.Formatter):
    """``{count|erreur|erreurs}`` writes the word the count asks for in the language (CLDR
    rules through Babel: 0 and 1 take the singular in French, only 1 in English)."""

    def __init__(self, lang: str) -> None:
        self.locale = Locale.parse(lang)

    def get_field(self, field_name: str, args, kwargs):
        if "|" not in field_name:
            return super().get_field(field_name, args, kwargs)
        name, singular, plural = (field_name.split("|") + [""])[:3]
        count = kwargs[name]
        number = count if isinstance(count, (int, float)) else 2
        return (singular if self.locale.plural_form(abs(number)) == "one" else plural), name


@lru_cache(maxsize=None)
def _formatter(lang: str) -> _PluralFormatter:
    # One per language: a workbook with many problems fills thousands of messages.
    return _PluralFormatter(lang)


def fill(template: str, lang: str, **params: object) -> str:
    """A catalogue text with its placeholders (and plural words) filled."""
    return _formatter(lang_or_default(lang)).format(template, **params)


def say(section: dict[str, dict[str, str]], key: str, lang: str, **params: object) -> str:
    """The sentence for ``key`` in ``lang``, with its placeholders filled."""
    entry = section[key]
    template = entry.get(lang_or_default(lang)) or entry[DEFAULT_LANGUAGE]
    return fill(template, lang, **params)


def figure_name(code: str, lang: str) -> str:
    """A figure's one name (``msgctxt "figure"``), everywhere it is shown."""
    return catalogue.text("figure", code, lang_or_default(lang))


def figure_definition(code: str, lang: str) -> str:
    return catalogue.text("figure_definition", code, lang_or_default(lang))


# Words of the dashboard. Page titles, labels and help texts: one place, French first.
APP: dict[str, dict[str, str]] = catalogue.by_key("app")

# Words of the workshop pages, and what a workshop's refusals say (``valuechain.workshop.workshops``).
WORKSHOP: dict[str, dict[str, str]] = catalogue.by_key("workshop")
WORKSHOP_ERRORS: dict[str, dict[str, str]] = catalogue.by_key("workshop_error")
WORKSHOP_REFUSALS: dict[str, dict[str, str]] = catalogue.by_key("workshop_refusal")

# Words of the social value (``valuechain.chain.social_value``): its table's columns, its reading.
SOCIAL_VALUE: dict[str, dict[str, str]] = catalogue.by_key("social_value")

# Words of sign-in, roles and the members page, and what an access refusal says (``valuechain.access.service``).
ACCESS: dict[str, dict[str, str]] = catalogue.by_key("access")
ACCESS_REFUSALS: dict[str, dict[str, str]] = catalogue.by_key("access_refusal")

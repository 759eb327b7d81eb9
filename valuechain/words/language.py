"""A language the program speaks: its code, its Babel locale (numbers, separators) and its
plural rule, all read from its catalogue file. The languages that exist are the catalogue's
files (``catalogue.languages``): a third language is one more ``.po`` file, nothing in code.

>>> french = language("fr")
>>> (french.decimal, french.group == "\\u202f", french.plural_form(1), french.plural_form(2))
(',', True, 0, 1)
>>> language("en").plural_form(0), language("xx").code
(1, 'fr')
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from valuechain.words import catalogue

REFERENCE_LANGUAGE = catalogue.REFERENCE_LANGUAGE


@dataclass(frozen=True)
class Language:
    code: str
    locale: Locale
    plural_expression: str  # the file's Plural-Forms, e.g. "(n > 1)"

    @property
    def decimal(self) -> str:
        return get_decimal_symbol(self.locale)

    @property
    def group(self) -> str:
        return get_group_symbol(self.locale)

    @property
    def name(self) -> str:
        """The language under its own name ("Français", "English"), for the language switch."""
        return catalogue.text("language", "name", self.code)

    def plural_form(self, count: int | float) -> int:
        """Which of a plural entry's forms ``count`` takes (gettext's rule from the file)."""
        whole = int(abs(count)) if count == int(count) else 2  # 1.5 h reads as a plural everywhere we speak
        return _plural_rule(self.plural_expression)(whole)


@lru_cache(maxsize=None)
def _plural_rule(expression: str) -> Callable[[int], int]:
    # Plural-Forms is a C expression of n: gettext checks it is nothing else before evaluating it.
    return gettext.c2py(expression)


def language(code: str | Language | None) -> Language:
    """The language of ``code`` when the catalogue has its file, else French."""
    if isinstance(code, Language):
        return code
    known = code if code in catalogue.languages() else REFERENCE_LANGUAGE
    return _language(catalogue.locale_dir(), known)


@lru_cache(maxsize=None)
def _language(_directory: object, code: str) -> Language:
    header = catalogue.header(code)
    # The folder names the language; the file's Language header may add its territory
    # ("en_GB"). A header that names another language (a copied file) is not believed.
    named = Locale.parse(code)
    locale = header.locale if isinstance(header.locale, Locale) and header.locale.language == named.language else named
    return Language(code, locale, header.plural_expr)


def languages() -> tuple[Language, ...]:
    """Every language the catalogue has a file for, French first."""
    return tuple(language(code) for code in catalogue.languages())

"""Numbers as a French or English reader expects them, through Babel: ``50 965,60 €`` and
``€50,965.60``, ``11,71 %`` and ``11.71%``. An undefined figure is shown as "—" with its reason.
"""

from __future__ import annotations

import decimal
import math
from functools import wraps

from babel.numbers import format_currency, format_decimal, format_percent

from valuechain.chain import figures as registry
from valuechain.chain.figures import Reading
from valuechain.words.messages import UI, UNDEFINED_REASONS, lang_or_default, say
from valuechain.chain.metrics import Estimate, Undefined

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
DASH = "—"


def locale_of(lang: str) -> str:
    return LOCALES[lang_or_default(lang)]


def undefined_text(value: Undefined, lang: str, with_reason: bool = True) -> str:
    if not with_reason:
        return DASH
    reason = UNDEFINED_REASONS.get(value.reason, {}).get(lang_or_default(lang), value.reason)
    return f"{DASH} ({reason})"


def _never_fails(function):
    """Babel works in Decimal with a bounded precision: an absurd number typed in a workbook
    (1e28 people) must still print, in scientific notation, rather than break a page."""
    @wraps(function)
    def wrapper(value, lang, *args, **kwargs):
        try:
            return function(value, lang, *args, **kwargs)
        except (decimal.InvalidOperation, OverflowError, ValueError):
            if isinstance(value, float) and not math.isfinite(value):
                return DASH
            return f"{value:.4g}".replace(".", "," if lang_or_default(lang) == "fr" else ".")

    return wrapper


@_never_fails
def money(value: float | Undefined | None, lang: str, decimals: int = 2) -> str:
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    pattern = None if decimals == 2 else ("#,##0\u00a0¤" if lang_or_default(lang) == "fr" else "¤#,##0")
    return format_currency(value, "EUR", format=pattern, locale=locale_of(lang),
                           currency_digits=decimals == 2)


@_never_fails
def percent(value: float | Undefined | None, lang: str, decimals: int = 2) -> str:
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    digits = "." + "0" * decimals if decimals else ""
    pattern = f"#,##0{digits}\u00a0%" if lang_or_default(lang) == "fr" else f"#,##0{digits}%"
    return format_percent(value, format=pattern, locale=locale_of(lang))


@_never_fails
def number(value: float | Undefined | None, lang: str, decimals: int = 2) -> str:
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    digits = "." + "#" * decimals if decimals else ""
    return format_decimal(value, format=f"#,##0{digits}", locale=locale_of(lang))


@_never_fails
def fixed(value: float | Undefined | None, lang: str, decimals: int = 3) -> str:
    """A ratio with a fixed number of decimals: ``0,274``, ``0.9333``."""
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    return format_decimal(value, format="0." + "0" * decimals, locale=locale_of(lang))


def hours(value: float, lang: str) -> str:
    return f"{number(value, lang, 1)}\u00a0h"


def reading_text(reading: Reading, value: float, lang: str) -> str:
    """A number as a figure of that reading shows it (``figures.Reading``)."""
    if reading.kind == "money":
        return money(value, lang)
    if reading.kind == "percent":
        return percent(value, lang)
    if reading.kind == "hours":
        return hours(value, lang)
    if reading.kind == "count":
        return number(value, lang, 0)
    return fixed(value, lang, reading.decimals)


def format_figure(code: str, value: object, lang: str) -> str:
    """The figure in the language's format; "≈ " before an estimated one."""
    text = reading_text(registry.BY_CODE[code].reading, value, lang)  # type: ignore[arg-type]  # a number or Undefined
    return f"≈\u00a0{text}" if isinstance(value, Estimate) else text


def estimate_note(code: str, value: object, lang: str) -> str | None:
    """How an estimated figure was estimated ("estimé sur 1 000 pivots, ± 0,0006"), else None."""
    if not isinstance(value, Estimate):
        return None
    return say(UI, "estimated_on", lang, pivots=number(value.pivots, lang, 0),
               margin=reading_text(registry.BY_CODE[code].reading, value.margin, lang))

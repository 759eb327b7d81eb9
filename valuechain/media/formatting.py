"""Numbers as a reader of the language expects them, through the language's Babel locale:
``50 965,60 €`` and ``€50,965.60``, ``11,71 %`` and ``11.71%``. An undefined figure is shown as
"—" with its reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import math
from functools import wraps

from babel.dates import format_date, format_time
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent

from valuechain.chain import figures as registry
from valuechain.chain.figures import NumberFormat
from valuechain.chain.metrics import Estimate, Undefined
from valuechain.words.language import language
from valuechain.words.messages import say

DASH = "—"


def undefined_reason(value: Undefined, lang: str) -> str:
    """Why a figure is undefined, in words (its code when the catalogue has none)."""
    try:
        return say("undefined", value.reason, lang)
    except KeyError:
        return value.reason


def undefined_text(value: Undefined, lang: str, with_reason: bool = True) -> str:
    if not with_reason:
        return DASH
    return f"{DASH} ({undefined_reason(value, lang)})"


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
            return f"{value:.4g}".replace(".", language(lang).decimal)

    return wrapper


def _with_decimals(pattern: NumberPattern, decimals: int) -> NumberPattern:
    """The locale's own pattern (where the sign and the space go) with ``decimals`` digits."""
    shaped = copy.copy(pattern)
    shaped.frac_prec = (decimals, decimals)
    return shaped


@_never_fails
def money(value: float | Undefined | None, lang: str, decimals: int = 2) -> str:
    """Euros with cents, or rounded to ``decimals`` places (0: whole euros)."""
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    locale = language(lang).locale
    if decimals == 2:
        return format_currency(value, "EUR", locale=locale)
    return format_currency(
        value,
        "EUR",
        format=_with_decimals(locale.currency_formats["standard"], decimals),
        locale=locale,
        currency_digits=False,
    )


@_never_fails
def percent(value: float | Undefined | None, lang: str, decimals: int = 2) -> str:
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    locale = language(lang).locale
    return format_percent(value, format=_with_decimals(locale.percent_formats[None], decimals), locale=locale)


def share(value: float | Undefined | None, lang: str) -> str:
    """A share on a card: a percentage, or a dash where it is undefined (the card's help says
    why; a card has no room for the reason)."""
    return DASH if isinstance(value, Undefined) else percent(value, lang)


@_never_fails
def number(value: float | Undefined | None, lang: str, decimals: int = 2) -> str:
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    digits = "." + "#" * decimals if decimals else ""
    return format_decimal(value, format=f"#,##0{digits}", locale=language(lang).locale)


@_never_fails
def fixed(value: float | Undefined | None, lang: str, decimals: int = 3) -> str:
    """A ratio with a fixed number of decimals: ``0,274``, ``0.9333``; its thousands grouped as
    every other number's (a leverage of ``11 839,427``, ``4 068,52`` volunteer FTE)."""
    if isinstance(value, Undefined):
        return undefined_text(value, lang)
    if value is None:
        return DASH
    return format_decimal(value, format="#,##0." + "0" * decimals, locale=language(lang).locale)


def hours(value: float, lang: str) -> str:
    return f"{number(value, lang, 1)}\u00a0h"


def formatted(number_format: NumberFormat, value: float, lang: str) -> str:
    """A number written in a figure's format (``figures.NumberFormat``)."""
    if number_format.kind == "money":
        return money(value, lang)
    if number_format.kind == "percent":
        return percent(value, lang)
    if number_format.kind == "hours":
        return hours(value, lang)
    if number_format.kind == "count":
        return number(value, lang, 0)
    return fixed(value, lang, number_format.decimals)


def format_figure(code: str, value: object, lang: str) -> str:
    """The figure in the language's format; "≈ " before an estimated one."""
    text = formatted(registry.BY_CODE[code].number_format, value, lang)  # type: ignore[arg-type]  # a number or Undefined
    return f"≈\u00a0{text}" if isinstance(value, Estimate) else text


def estimate_note(code: str, value: object, lang: str) -> str | None:
    """How an estimated figure was estimated ("estimé sur 1 000 pivots, ± 0,0006"), else None."""
    if not isinstance(value, Estimate):
        return None
    return say(
        "ui",
        "estimated_on",
        lang,
        pivots=number(value.pivots, lang, 0),
        margin=formatted(registry.BY_CODE[code].number_format, value.margin, lang),
    )


def money_affixes(lang: str) -> tuple[str, str]:
    """What the language writes before and after an amount of euros: ("", " €"), ("€", "")."""
    pattern = language(lang).locale.currency_formats["standard"]
    return pattern.prefix[0].replace("¤", "€"), pattern.suffix[0].replace("¤", "€")


def percent_suffix(lang: str) -> str:
    """What follows a percentage: " %" (a no-break space first) in French, "%" in English."""
    return language(lang).locale.percent_formats[None].suffix[0]


def date(value: dt.date, lang: str) -> str:
    """A day as a reader of the language writes it: ``1 décembre 2026``, ``December 1, 2026``
    (never ``2026-12-01``)."""
    return format_date(value, "long", locale=language(lang).locale)


def date_time(value: dt.datetime, lang: str) -> str:
    """A moment to the minute, in the language's order: ``1 déc. 2026 14:07``, ``Dec 1, 2026, 2:07 PM``."""
    locale = language(lang).locale
    glue = str(locale.datetime_formats["medium"])
    return glue.replace("{1}", format_date(value, "medium", locale=locale)).replace(
        "{0}", format_time(value, "short", locale=locale)
    )


def published(number_format: NumberFormat, value: float | None, lang: str, significant: int) -> str:
    """A number published rounded to ``significant`` significant figures, written with no
    decimal beyond them (``3 700 €``, ``12 %``, ``0,25``), never with zeros that claim a
    precision it does not have (``3 700,00 €``)."""
    if value is None or isinstance(value, Undefined) or not math.isfinite(value):
        return formatted(number_format, value, lang) if isinstance(value, Undefined) else DASH
    written = value * 100 if number_format.kind == "percent" else value
    exponent = math.floor(math.log10(abs(written))) if written else significant - 1
    decimals = max(0, min(max(number_format.decimals, 2), significant - 1 - exponent))
    if number_format.kind == "money":
        return money(value, lang, decimals)
    if number_format.kind == "percent":
        return percent(value, lang, decimals)
    if number_format.kind == "hours":
        return f"{number(value, lang, decimals)}\u00a0h"
    if number_format.kind == "count" or decimals == 0:
        return number(value, lang, 0)
    return fixed(value, lang, decimals)

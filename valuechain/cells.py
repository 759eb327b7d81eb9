"""What a spreadsheet cell says: numbers in French or English forms, yes/no, years, text.

Each parser takes a cell as the reader found it (``str``, ``int``, ``float``, ``bool``,
``datetime`` or ``None``) and never raises: it returns the value and, when the cell cannot be
understood, the reason, so that validation can report it with its location.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from valuechain.vocabulary import NO, YES, normalise_key

EXCEL_CELL_LIMIT = 32_767

_NUMBER = re.compile(
    r"^(?P<prefix>[€$£])?\s*(?P<sign>[-+\u2212]?)\s*(?P<prefix2>[€$£])?\s*"
    r"(?P<digits>\d[\d\s\u00a0\u202f'’.,]*)"
    r"(?P<unit>[^\d\s\-+.,].*)?$"
)


def is_blank(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    if isinstance(cell, float):
        return math.isnan(cell)
    return False


def as_text(cell: object) -> str | None:
    """A cell as the text a user would read: ``12.0`` → ``"12"``, blank → ``None``."""
    if cell.__class__ is str:  # the common case, first
        return cell.strip() or None
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        return "oui" if cell else "non"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None = None
    unit: str | None = None  # a unit written after the number: "12,5 h" → "h"
    error: str | None = None  # "number_invalid" or "number_negative"
    magnitude: float | None = None  # the absolute value of a negative number


BLANK_NUMBER = ParsedNumber()


# No centre's quantity or value comes near this (a thousand billion); past it, a number is a
# typing accident, and sums of such numbers overflow to infinity, which no figure can use.
LARGEST_NUMBER = 1e15


def parse_number(cell: object, allow_negative: bool = False) -> ParsedNumber:
    """A number within ``LARGEST_NUMBER``, else the error ``number_too_large``; see
    ``_parse_number``."""
    if type(cell) is float and 0.0 <= cell <= LARGEST_NUMBER:  # what spreadsheets mostly hold
        return ParsedNumber(value=cell)
    number = _parse_number(cell, allow_negative)
    if number.value is not None and not abs(number.value) <= LARGEST_NUMBER:  # also NaN
        return ParsedNumber(error="number_too_large")
    if number.magnitude is not None and not number.magnitude <= LARGEST_NUMBER:
        return ParsedNumber(error="number_too_large")
    return number


def _parse_number(cell: object, allow_negative: bool = False) -> ParsedNumber:
    """Read a quantity or a value the way French and English spreadsheets write it.

    >>> parse_number("1 234,56").value
    1234.56
    >>> parse_number("12,5 h")
    ParsedNumber(value=12.5, unit='h', error=None, magnitude=None)
    >>> parse_number("1.234.567").value
    1234567.0
    """
    if is_blank(cell):
        return BLANK_NUMBER
    if isinstance(cell, bool) or isinstance(cell, (dt.date, dt.datetime, dt.time)):
        return ParsedNumber(error="number_invalid")
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and math.isinf(cell):
            return ParsedNumber(error="number_invalid")
        if cell < 0 and not allow_negative:
            return ParsedNumber(error="number_negative")
        return ParsedNumber(value=float(cell))
    number = _parse_number_text(str(cell))
    if number.error == "number_negative" and allow_negative and number.magnitude is not None:
        return ParsedNumber(value=-number.magnitude, unit=number.unit)
    return number


@lru_cache(maxsize=65536)
def _parse_number_text(text: str) -> ParsedNumber:
    match = _NUMBER.match(text.strip())
    if not match:
        return ParsedNumber(error="number_invalid")
    digits = re.sub(r"[\s\u00a0\u202f'’]", "", match["digits"])
    value = _digits_to_float(digits)
    if value is None:
        return ParsedNumber(error="number_invalid")
    unit = (match["unit"] or "").strip() or match["prefix"] or match["prefix2"] or None
    if match["sign"] in ("-", "\u2212") and value != 0:
        return ParsedNumber(error="number_negative", unit=unit, magnitude=value)
    return ParsedNumber(value=value, unit=unit)


def _digits_to_float(digits: str) -> float | None:
    """Apply the format's rule: with both marks, the last is the decimal one; one mark alone is
    decimal; the same mark repeated groups thousands."""
    if digits[-1] in ".,":  # "12," as some people type it
        digits = digits[:-1]
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        if digits.count(decimal) > 1:
            return None
        digits = digits.replace(grouping, "").replace(decimal, ".")
    elif dots > 1 or commas > 1:
        digits = digits.replace(".", "").replace(",", "")
    else:
        digits = digits.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d*)?", digits):
        return None
    return float(digits)


@dataclass(frozen=True)
class ParsedShare:
    value: float | None = None  # a fraction from 0 to 1
    error: str | None = None  # "number_invalid", "percent_out_of_range"
    ambiguous: bool = False  # exactly 1: read as 100 %, said to the user


def parse_percent(cell: object) -> ParsedShare:
    """A share as people write it: ``20 %``, ``20%``, ``0,2``, ``0.2`` and ``20`` all mean
    20 %. A number with a percent sign, or greater than 1, is a percentage; from 0 to 1, a
    fraction (what an Excel cell formatted as % holds); exactly 1 is 100 %, said. Outside
    0–100 %: an error.

    >>> parse_percent("20 %").value, parse_percent("0,2").value, parse_percent(20).value
    (0.2, 0.2, 0.2)
    """
    if is_blank(cell):
        return ParsedShare()
    number = parse_number(cell, allow_negative=True)
    if number.error or number.value is None:
        return ParsedShare(error=number.error or "number_invalid")
    if number.unit is not None and number.unit.strip() not in ("%", "pourcent", "percent"):
        return ParsedShare(error="number_invalid")
    value = number.value
    if number.unit is not None or value > 1:
        value = value / 100
    share = ParsedShare(value=round(value, 12), ambiguous=number.unit is None and number.value == 1)
    if not 0 <= share.value <= 1:  # type: ignore[operator]
        return ParsedShare(error="percent_out_of_range")
    return share


def parse_yes_no(cell: object) -> tuple[bool | None, bool]:
    """``(value, understood)``: blank is ``(None, True)``, an unknown word ``(None, False)``."""
    if is_blank(cell):
        return None, True
    if isinstance(cell, bool):
        return cell, True
    if isinstance(cell, (int, float)) and cell in (0, 1):
        return bool(cell), True
    key = normalise_key(cell)
    if key in YES:
        return True, True
    if key in NO:
        return False, True
    return None, False


def parse_year(cell: object) -> tuple[int | None, bool]:
    """``(year, understood)`` for a year written as a number, ``"2025"`` or a date."""
    if is_blank(cell):
        return None, True
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.year, True
    number = parse_number(cell)
    if number.value is not None and number.unit is None and number.value.is_integer() and 1900 <= number.value <= 2200:
        return int(number.value), True
    return None, False

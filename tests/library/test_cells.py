"""Cells as French and English spreadsheets write them."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuechain.cells import as_text, parse_number, parse_year, parse_yes_no


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1 234,56", 1234.56),  # French Excel, ordinary space
        ("1\u00a0234,56", 1234.56),  # non-breaking space
        ("1\u202f234,56", 1234.56),  # narrow non-breaking space (Babel, recent Excel)
        ("1'234.56", 1234.56),  # Swiss
        ("1.234,5", 1234.5),  # both marks: the last is the decimal one
        ("1,234.5", 1234.5),
        ("1,5", 1.5),  # a single mark is a decimal mark
        ("1.5", 1.5),
        ("1.234.567", 1234567.0),  # the same mark repeated groups thousands
        ("1,234,567", 1234567.0),
        ("3 000", 3000.0),
        ("0", 0.0),
        (42, 42.0),
        (12.5, 12.5),
    ],
)
def test_a_french_or_english_number_reads_as_the_number_meant(typed, expected):
    assert parse_number(typed).value == pytest.approx(expected)


@pytest.mark.parametrize(
    "typed, value, unit",
    [
        ("12,5 h", 12.5, "h"),
        ("3 000 €", 3000.0, "€"),
        ("3000€", 3000.0, "€"),
        ("€ 3,000.50", 3000.5, "€"),
        ("1 200 kg", 1200.0, "kg"),
        ("2 jours", 2.0, "jours"),
    ],
)
def test_a_unit_written_after_the_number_is_kept_apart(typed, value, unit):
    parsed = parse_number(typed)
    assert (parsed.value, parsed.unit, parsed.error) == (value, unit, None)


@pytest.mark.parametrize("typed", ["environ 30", "abc", "30-40", "1,2,3.4.5", True, dt.date(2025, 1, 1)])
def test_text_that_is_not_a_number_is_reported_as_such(typed):
    assert parse_number(typed).error == "number_invalid"


@pytest.mark.parametrize("typed", ["-5", "−5", -5, "-1 234,5 €"])
def test_a_negative_number_is_an_error_for_quantities(typed):
    assert parse_number(typed).error == "number_negative"


def test_a_negative_number_is_kept_where_it_is_allowed():
    assert parse_number("-1 234,5", allow_negative=True).value == -1234.5
    assert parse_number(-3, allow_negative=True).value == -3


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_a_blank_cell_is_no_number_and_no_error(blank):
    parsed = parse_number(blank)
    assert parsed.value is None and parsed.error is None


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_any_amount_written_the_french_way_reads_back(amount):
    whole, _, cents = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    assert parse_number(f"{grouped},{cents} €").value == pytest.approx(float(amount))


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_any_amount_written_the_english_way_reads_back(amount):
    assert parse_number(f"{float(amount):,.2f}").value == pytest.approx(float(amount))


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("oui", True),
        ("Non", False),
        ("O", True),
        ("n", False),
        ("yes", True),
        ("NO", False),
        ("y", True),
        ("vrai", True),
        ("Faux", False),
        ("true", True),
        ("1", True),
        ("0", False),
        ("x", True),
        ("X", True),
        (1, True),
        (0, False),
        (True, True),
    ],
)
def test_yes_and_no_in_every_accepted_spelling(typed, expected):
    assert parse_yes_no(typed) == (expected, True)


def test_blank_is_unknown_and_a_stray_word_is_not_understood():
    assert parse_yes_no("") == (None, True)
    assert parse_yes_no("peut-être") == (None, False)


@pytest.mark.parametrize("typed, year", [(2025, 2025), ("2025", 2025), (2025.0, 2025), (dt.date(2024, 6, 1), 2024)])
def test_years(typed, year):
    assert parse_year(typed) == (year, True)


def test_a_year_that_is_not_one():
    assert parse_year("l'an dernier") == (None, False)
    assert parse_year(25) == (None, False)


def test_cells_read_as_text_the_way_a_user_sees_them():
    assert as_text(12.0) == "12"
    assert as_text("  Mairie ") == "Mairie"
    assert as_text(None) is None


def test_absurd_numbers_still_print_instead_of_breaking_a_page():
    from valuechain.media import formatting as fmt

    assert fmt.number(1e28, "fr") == "1e+28"
    assert fmt.money(1e30, "en") == "1e+30"
    assert fmt.number(1234.5, "fr") == "1\u202f234,5"

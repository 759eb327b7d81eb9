"""A FEC (fichier des écritures comptables, article A47 A-1 of the Livre des procédures
fiscales) read line by line, or a ledger export (.xlsx, .csv) with the same columns.

Tolerant as the workbook reader is: the encoding (UTF-8, ISO-8859-15, Windows-1252) and the
separator (tab, ``|``, ``;``) are detected, amounts may have a decimal comma or point, and
either ``Debit``/``Credit`` or ``Montant``/``Sens``; the standard's optional columns may be
missing. What cannot be read is a ``Problem`` located by line and column (an unbalanced
``EcritureNum``, an unknown account class, a date outside the fiscal year, an unreadable
amount); every other line is kept. Amounts are whole cents (``int``): sums are exact.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from valuechain.errors import UnreadableWorkbook
from valuechain.model import ERROR, WARNING, Problem
from valuechain.performance import gc_paused
from valuechain.reading.inputs import (
    HEADER_SEARCH_ROWS,
    OLE_MAGIC,
    WORKBOOK_EXTENSIONS,
    ZIP_MAGIC,
    InputFile,
    ReadLimits,
)


class UnreadableAccounts(UnreadableWorkbook):
    """Accounts that cannot be read at all (columns missing, no line): one sentence."""

    context = "accounts_refusal"


# The standard's 18 fields (and the Montant/Sens pair some software writes), by the key their
# header is compared under: letters and digits only, lower case, no accent.
FIELDS = {
    "journalcode": "journal",
    "journallib": "journal_label",
    "ecriturenum": "entry",
    "ecrituredate": "entry_date",
    "comptenum": "account",
    "comptelib": "account_label",
    "compauxnum": "aux_num",
    "compauxlib": "aux_label",
    "pieceref": "piece",
    "piecedate": "piece_date",
    "ecriturelib": "label",
    "debit": "debit",
    "credit": "credit",
    "ecriturelet": "lettering",
    "datelet": "lettering_date",
    "validdate": "valid_date",
    "montantdevise": "currency_amount",
    "idevise": "currency",
    "montant": "amount",
    "sens": "direction",
}
# Account classes of the French chart (1 to 7, and 8 for the contributions in kind).
KNOWN_CLASSES = frozenset("12345678")
FEC_LINES_PER_ROW = 4
_FEC_NAME = re.compile(r"FEC(\d{8})", re.IGNORECASE)
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DEBIT_WORDS = frozenset({"d", "debit", "+1", "1", "+"})
_CREDIT_WORDS = frozenset({"c", "credit", "-1", "-"})


def _direction_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def header_key(text: object) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or "").strip().lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


@dataclass(slots=True)
class EntryLine:
    """One line of an entry, as read: its line in the file (the header is line 1), its entry,
    account and third party, and its debit and credit in cents."""

    line: int
    journal: str
    entry: str
    when: date | None
    account: str
    account_label: str
    aux_label: str
    piece: str
    label: str
    debit: int
    credit: int

    @property
    def reference(self) -> str:
        """What finds the entry again in the accounting software: journal, number, piece."""
        parts = [p for p in (self.journal, self.entry) if p]
        reference = " ".join(parts) or f"#{self.line}"
        return f"{reference} ({self.piece})" if self.piece and self.piece != self.entry else reference


@dataclass
class Ledger:
    """The lines read (``lines``), those left out with their reason among ``problems``
    (``left_out``), and how the file was read."""

    name: str
    lines: list[EntryLine] = field(default_factory=list)
    left_out: list[EntryLine] = field(default_factory=list)
    left_out_unreadable: int = 0  # lines whose amount could not be read: no amount to count
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "UTF-8"
    separator: str = "\t"
    year_start: date | None = None
    year_end: date | None = None

    @property
    def year(self) -> int | None:
        return self.year_end.year if self.year_end else None


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without its mark), else
    Windows-1252 when a byte of 0x80-0x9F (its letters, control codes in ISO-8859-15) is
    there, else ISO-8859-15 (the FEC's usual encoding, with the euro sign at 0xA4)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", data):
        return data.decode("cp1252", errors="replace"), "Windows-1252"
    return data.decode("iso-8859-15"), "ISO-8859-15"


@lru_cache(maxsize=65536)
def cents(text: str) -> int | None:
    """An amount in cents: ``1 234,56``, ``1.234,56``, ``1234.56``, ``-12,5``; blank is 0;
    None when it is not a number."""
    text = text.strip()
    if not text:
        return 0
    if text[0] == "(" and text[-1] == ")":
        text = "-" + text[1:-1]
    text = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("€", "")
    comma, point = text.rfind(","), text.rfind(".")
    if comma >= 0 and point >= 0:
        text = text.replace(".", "").replace(",", ".") if comma > point else text.replace(",", "")
    elif comma >= 0:
        if text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    if not _AMOUNT.fullmatch(text):
        return None
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("+-").partition(".")
    fraction = fraction.ljust(3, "0")
    value = int(whole or "0") * 100 + int(fraction[:2]) + (1 if fraction[2] >= "5" else 0)
    return -value if negative else value


@lru_cache(maxsize=8192)
def parse_date(text: str) -> date | None:
    text = text.strip()
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) >= 10 and text[2] == "/" and text[5] == "/":
            return date(int(text[6:10]), int(text[3:5]), int(text[:2]))
        if len(text) >= 10 and text[4] == "-":
            return date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None


def closing_date_from_name(name: str) -> date | None:
    """The closing date a FEC's name carries: ``<SIREN>FEC<AAAAMMJJ>.txt``."""
    found = _FEC_NAME.search(Path(name).name)
    return parse_date(found[1]) if found else None


def _year_start(end: date) -> date:
    try:
        start = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28)
    return date.fromordinal(start.toordinal() + 1)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float):
        return f"{value:.2f}" if value != int(value) else str(int(value))
    return str(value)


def _text_rows(text: str) -> tuple[str, list[str] | None, Iterator[tuple[int, list[str]]]]:
    """The separator, the header's cells, and each following non-blank line's number and cells,
    made as they are read (a 50 MB FEC's cells are never all held at once)."""
    lines = text.split("\n")
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        return "\t", None, iter(())
    header = lines[header_index].rstrip("\r")
    separator = max(("\t", "|", ";", ","), key=header.count)
    quoted = separator in ";,"

    def split(line: str) -> list[str]:
        if quoted and '"' in line:
            return next(csv.reader([line], delimiter=separator), [])
        return line.split(separator)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number in range(header_index + 1, len(lines)):
            line = lines[number].rstrip("\r")
            if line.strip():
                yield number + 1, split(line)

    return separator, split(header), rows()


def _workbook_rows(file: InputFile, limits: ReadLimits) -> list[tuple[int, list[str]]]:
    from valuechain.reading.sheets import workbook_grids

    for _sheet, grid, _csv in workbook_grids(file, limits):
        for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            if any(header_key(cell) == "comptenum" for cell in row):
                numbers = getattr(grid, "line_numbers", None)
                return [
                    (numbers[i] if numbers else i + 1, [_cell_text(c) for c in cells])
                    for i, cells in enumerate(grid)
                    if i >= index and any(c not in (None, "") for c in cells)
                ]
    return []


def max_lines(limits: ReadLimits) -> int:
    """The most lines a FEC may hold: a line is a few short fields, not a spreadsheet row, so
    four times the rows a sheet may hold (800,000 by default: a 50 MB FEC has about 370,000)."""
    return limits.max_rows * FEC_LINES_PER_ROW


def read_ledger(file: InputFile, limits: ReadLimits | None = None, year_end: date | None = None) -> Ledger:
    """The FEC or ledger export ``file``, every readable line kept, every other one located.
    ``year_end`` is the fiscal year's closing date; else the one in the FEC's name; else the
    31 December of the year most entries are dated in."""
    limits = limits or ReadLimits.from_environment()
    with gc_paused():  # a line makes a few objects each, none of them garbage: no scan while reading
        return _read_ledger(file, limits, year_end)


def _read_ledger(file: InputFile, limits: ReadLimits, year_end: date | None) -> Ledger:
    if len(file.data) > limits.max_file_mb * 1_000_000:
        raise UnreadableWorkbook(
            "file_too_large", name=file.name, size=f"{len(file.data) / 1_000_000:.0f}", limit=f"{limits.max_file_mb:g}"
        )
    ledger = Ledger(file.name)
    header: list[str] | None
    rows: Iterator[tuple[int, list[str]]]
    if file.data.startswith((ZIP_MAGIC, OLE_MAGIC)) or Path(file.name).suffix.lower() in WORKBOOK_EXTENSIONS:
        found = _workbook_rows(file, limits)
        if len(found) > max_lines(limits) + 1:
            raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=file.name, limit=max_lines(limits))
        header, rows = (found[0][1] if found else None), iter(found[1:])
        ledger.encoding, ledger.separator = "xlsx", ""
    else:
        text, ledger.encoding = decode(file.data)
        if "\x00" in text:
            raise UnreadableWorkbook("not_spreadsheet", name=file.name)
        if text.count("\n") > max_lines(limits) + 1:
            raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=file.name, limit=max_lines(limits))
        ledger.separator, header, rows = _text_rows(text)
    if header is None:
        raise UnreadableAccounts("no_lines", name=file.name)
    _read_lines(ledger, header, rows, year_end or closing_date_from_name(file.name))
    if not ledger.lines and not ledger.left_out and not ledger.left_out_unreadable:
        raise UnreadableAccounts("no_lines", name=file.name)
    return ledger


def _columns(name: str, header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, cell in enumerate(header):
        code = FIELDS.get(header_key(cell))
        if code is not None and code not in found:
            found[code] = position
    missing = [] if "account" in found else ["CompteNum"]
    if not ({"debit", "credit"} <= found.keys() or {"amount", "direction"} <= found.keys()):
        missing += [h for h, c in (("Debit", "debit"), ("Credit", "credit")) if c not in found]
    if missing:
        raise UnreadableAccounts("missing_columns", name=name, columns=", ".join(missing))
    return found


_READ_ORDER = (
    "journal",
    "entry",
    "entry_date",
    "account",
    "account_label",
    "aux_label",
    "piece",
    "label",
    "debit",
    "credit",
    "amount",
    "direction",
)


def _read_lines(
    ledger: Ledger, header: list[str], rows: Iterator[tuple[int, list[str]]], year_end: date | None
) -> None:
    columns = _columns(ledger.name, header)
    headers = {code: header[position].strip() for code, position in columns.items()}
    width = len(header)
    # One itemgetter takes every field a line needs; a column the file lacks reads a blank
    # cell added at the end of each row.
    pick = itemgetter(*(columns.get(code, width) for code in _READ_ORDER))
    sheet = ledger.name
    problems = ledger.problems
    signed = "debit" not in columns or "credit" not in columns
    either = _DEBIT_WORDS | _CREDIT_WORDS
    read: list[EntryLine] = []
    # The texts that repeat (journals, accounts, third parties, an entry's number and label) are
    # kept once: a 50 MB FEC holds a few thousand of them, not millions.
    shared: dict[str, str] = {}
    once = shared.setdefault
    # The columns a line cannot do without: a line too short to hold them is said as such.
    needed = max(columns[code] for code in ("account", "debit", "credit", "amount", "direction") if code in columns)
    for number, cells in rows:
        if len(cells) != width:
            if len(cells) <= needed:
                problems.append(
                    Problem(
                        ERROR,
                        "fec_line_columns",
                        sheet=sheet,
                        row=number,
                        params=(("count", len(cells)), ("expected", width)),
                    )
                )
                ledger.left_out_unreadable += 1
                continue
            cells = (cells + [""] * width)[:width]
        cells.append("")
        (journal, entry, when_text, account, account_label, aux_label, piece, label, debit_text, credit_text,
         amount_text, direction_text) = pick(cells)  # fmt: skip
        account = account.strip()
        if signed:
            amount = cents(amount_text)
            direction = _direction_key(direction_text)
            bad = amount is None or direction not in either
            if amount is not None and amount < 0:
                amount, direction = -amount, ("c" if direction in _DEBIT_WORDS else "d")
            debit = amount or 0 if not bad and direction in _DEBIT_WORDS else 0
            credit = amount or 0 if not bad and direction in _CREDIT_WORDS else 0
            where, shown = ("amount", amount_text) if amount is None else ("direction", direction_text)
        else:
            debit_read, credit_read = cents(debit_text), cents(credit_text)
            bad = debit_read is None or credit_read is None
            where, shown = ("debit", debit_text) if debit_read is None else ("credit", credit_text)
            debit, credit = debit_read or 0, credit_read or 0
        if bad:
            problems.append(
                Problem(
                    ERROR, "fec_amount_unreadable", sheet=sheet, row=number, column=headers[where], value=shown.strip()
                )
            )
            ledger.left_out_unreadable += 1
            continue
        when = parse_date(when_text) if when_text else None
        account = once(account, account)
        line = EntryLine(
            number,
            once(journal, journal).strip(),
            once(entry, entry).strip(),
            when,
            account,
            once(account_label, account_label).strip(),
            once(aux_label, aux_label).strip(),
            piece.strip(),
            once(label, label).strip(),
            debit,
            credit,
        )
        if not account or account[0] not in KNOWN_CLASSES:
            problems.append(
                Problem(ERROR, "fec_unknown_class", sheet=sheet, row=number, column=headers["account"], value=account)
            )
            ledger.left_out.append(line)
            continue
        if when_text.strip() and when is None:
            problems.append(
                Problem(
                    WARNING,
                    "fec_date_unreadable",
                    sheet=sheet,
                    row=number,
                    column=headers["entry_date"],
                    value=when_text.strip(),
                )
            )
        read.append(line)
    _fiscal_year(ledger, read, year_end, headers.get("entry_date"))
    _check_balance(ledger, headers.get("entry"))


def _fiscal_year(ledger: Ledger, read: list[EntryLine], year_end: date | None, column: str | None) -> None:
    if year_end is None:
        years: dict[int, int] = {}
        for line in read:
            if line.when is not None:
                years[line.when.year] = years.get(line.when.year, 0) + 1
        if years:
            year_end = date(max(years, key=lambda y: (years[y], y)), 12, 31)
    if year_end is None:
        ledger.lines = read
        return
    start = _year_start(year_end)
    ledger.year_start, ledger.year_end = start, year_end
    kept = ledger.lines
    for line in read:
        if line.when is not None and not start <= line.when <= year_end:
            ledger.problems.append(
                Problem(
                    ERROR,
                    "fec_date_outside_year",
                    sheet=ledger.name,
                    row=line.line,
                    column=column,
                    value=line.when.strftime("%Y%m%d"),
                    params=(("start", start.strftime("%d/%m/%Y")), ("end", year_end.strftime("%d/%m/%Y"))),
                )
            )
            ledger.left_out.append(line)
        else:
            kept.append(line)


def _check_balance(ledger: Ledger, column: str | None) -> None:
    """Each entry (journal and number) balances: its debits make its credits, to the cent."""
    if column is None:
        ledger.problems.append(Problem(WARNING, "fec_no_entry_numbers", sheet=ledger.name))
        return
    totals: dict[tuple[str, str], list[int]] = {}
    # Every line whose amount was read, left out or not: an entry balances in the file.
    for line in sorted(ledger.lines + ledger.left_out, key=lambda read: read.line) if ledger.left_out else ledger.lines:
        if not line.entry:
            continue
        found = totals.get((line.journal, line.entry))
        if found is None:
            totals[(line.journal, line.entry)] = [line.line, line.debit, line.credit]
        else:
            found[1] += line.debit
            found[2] += line.credit
    for (_journal, entry), (first, debit, credit) in totals.items():
        if debit != credit:
            ledger.problems.append(
                Problem(
                    ERROR,
                    "fec_unbalanced",
                    sheet=ledger.name,
                    row=first,
                    column=column,
                    value=entry,
                    params=(("debit", _plain(debit)), ("credit", _plain(credit))),
                )
            )


def _plain(amount: int) -> str:
    """Cents as the FEC writes them: ``1234,56``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount) // 100},{abs(amount) % 100:02d}"

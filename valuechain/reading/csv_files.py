"""CSV files → one grid: the encoding (UTF-8, Windows-1252, a mixture, UTF-16) and the separator
(``;``, tab, ``,``) are detected; a quote left open is read line by line again, and said."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path

from valuechain.errors import UnreadableWorkbook
from valuechain.model import ERROR, WARNING, Problem
from valuechain.reading.inputs import HEADER_SEARCH_ROWS, Grid, InputFile, ReadLimits

# A UTF-8 encoded accent: a lead byte then a continuation byte (French Windows text puts an
# ASCII letter, not a byte of 0x80-0xBF, after its accented letters).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _decode(data: bytes) -> tuple[str, list[int]]:
    """The text, and the lines (numbered from 1) read as Windows-1252 inside a UTF-8 file.

    A file that is not UTF-8 is read line by line: each line that is valid UTF-8 as such,
    each other line as French Excel's Windows-1252 (Latin-1 for its five undefined bytes). A
    Windows file gives the same text as decoding it whole; a UTF-8 file with one Windows line
    (a cell pasted from elsewhere) keeps every other accent, and that line is reported."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), []  # Excel's "Texte Unicode" export
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if not _UTF8_SEQUENCE.search(data):
        # No UTF-8 accent anywhere: every line with an accent is Windows-1252, and decoding the
        # whole file at once gives the same text as line by line (French Excel's usual CSV).
        try:
            return data.decode("cp1252"), []
        except UnicodeDecodeError:
            pass  # one of its five undefined bytes: line by line below
    decoded: list[str] = []
    windows_lines: list[int] = []
    utf8_accents = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            text = line.decode("utf-8")
            utf8_accents = utf8_accents or not line.isascii()
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:
                text = line.decode("latin-1")
            windows_lines.append(number)
        decoded.append(text)
    # Only a mixture is worth a word: a file all in Windows-1252 is French Excel's usual CSV.
    return "\n".join(decoded), windows_lines if utf8_accents else []


def _detect_separator(lines: list[str]) -> str:
    """The separator that splits the first lines into the most fields, most consistently."""
    best, best_score = ";", (-1.0, 0)
    # Each line on its own, carriage returns left out: a quoted cell that starts with one would
    # stop the csv module ("new-line character seen in unquoted field"); only counts matter here.
    sample = [line.replace("\r", "") for line in lines[:30] if line.strip()]
    for separator in (";", "\t", ","):
        counts = [len(fields) for fields in csv.reader(sample, delimiter=separator)]
        if not counts:
            continue
        common, frequency = Counter(counts).most_common(1)[0]
        if common < 2:
            continue
        score = (frequency / len(counts), common)
        if score > best_score:
            best, best_score = separator, score
    return best


class _CsvGrid(list):
    """A CSV file's rows, with the separator found, each row's line number, the rows that
    cannot be trusted, and what was noticed while reading the text."""

    separator: str = ";"
    line_numbers: list[int]
    broken_rows: set[int]
    problems: list[Problem]


# A cell may be longer than the csv module's default field limit (131,072 characters): the
# format keeps long text with a warning, and the file's own size limit bounds it anyway.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


def _non_blank_lines(text: str, stop_after: int) -> int:
    """How many lines hold something, counted without making a list of them, up to a bound."""
    count = 0
    for line in io.StringIO(text):
        if line.strip():
            count += 1
            if count > stop_after:
                break
    return count


def _first_lines(text: str, count: int) -> list[str]:
    lines = []
    for line in io.StringIO(text):
        if line.strip():
            lines.append(line.rstrip("\r\n"))
            if len(lines) == count:
                break
    return lines


def csv_grid(file: InputFile, limits: ReadLimits) -> Grid:
    text, windows_lines = _decode(file.data)
    if "\x00" in text:
        raise UnreadableWorkbook("not_spreadsheet", name=file.name)
    # Twelve million tiny lines fit in a 48 MB file: count them before making any row.
    bound = limits.max_rows + HEADER_SEARCH_ROWS
    if text.count("\n") > bound and _non_blank_lines(text, bound) > bound:
        raise UnreadableWorkbook("too_many_rows", name=file.name, sheet=Path(file.name).name, limit=limits.max_rows)
    sample = _first_lines(text, 30)
    if not sample:
        raise UnreadableWorkbook("file_empty", name=file.name)
    separator = _detect_separator(sample)
    grid = _CsvGrid()
    grid.separator = separator
    grid.line_numbers = []
    grid.broken_rows = set()
    sheet = Path(file.name).name
    grid.problems = [Problem(WARNING, "csv_line_encoding", sheet=sheet, row=number) for number in windows_lines[:50]]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    previous_line = 0
    physical_lines: list[str] = []
    try:
        for record in reader:
            first_line = previous_line + 1
            previous_line = reader.line_num
            if previous_line > first_line and _swallowed_lines(record, separator):
                # A quote opened and never closed: the lines up to the next quote became one
                # cell. Each of those lines is read again on its own, quotes taken as text;
                # the line with the stray quote is kept aside and said.
                physical_lines = physical_lines or text.split("\n")
                grid.problems.append(
                    Problem(ERROR, "csv_quote_unclosed", sheet=sheet, row=first_line, params=(("last", previous_line),))
                )
                for number in range(first_line, previous_line + 1):
                    line = physical_lines[number - 1].rstrip("\r")
                    if number == first_line:
                        grid.broken_rows.add(len(grid))
                    grid.line_numbers.append(number)
                    grid.append(next(csv.reader([line], delimiter=separator, quoting=csv.QUOTE_NONE), []))
                continue
            grid.line_numbers.append(first_line)
            grid.append(record)
    except csv.Error:
        raise UnreadableWorkbook("not_spreadsheet", name=file.name) from None
    return grid


def _swallowed_lines(record: list[str], separator: str) -> bool:
    """Whether a multi-line record holds what look like other rows of the file (a line break
    followed by text holding the separator), rather than a cell written on several lines."""
    return any("\n" in field and separator in field for field in record)

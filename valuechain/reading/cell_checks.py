"""The problems of one validation, and the readers of a raw row's cells that add to them.

Each reader gives the cell's value as understood (a number, a term of a list, yes or no) and
says what it could not understand, located at the cell; ``error_count`` tells a table's reader
whether the row it is on may go into the graph.
"""

from __future__ import annotations

from valuechain.cells import BLANK_NUMBER, as_text, parse_number, parse_yes_no
from valuechain.model import ERROR, WARNING, Problem, RawRow, RawTable, RawWorkbook
from valuechain.vocabulary import DOMAINS, TABLES_BY_CODE, Table, Vocabulary, normalise_key, split_list

_KNOWN_COLUMNS = {code: frozenset(c.code for c in table.columns) for code, table in TABLES_BY_CODE.items()}


class CellChecks:
    """A workbook's problems as validation finds them, every one located."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.error_count = sum(1 for p in self.problems if p.is_error)
        # (list, word) pairs already said to be read as a term of the list → where: the
        # position of the flow whose row said it (``where``), or -1 before the flows.
        self.synonyms_said: dict[tuple[str, str], int] = {}
        self.where = -1

    def report(
        self,
        severity: str,
        code: str,
        table: Table | None,
        row: RawRow | None,
        column: str | None = None,
        value: object = None,
        **params: object,
    ) -> None:
        raw_table = self.raw.tables.get(table.code) if table else None
        header = raw_table.header(column) if raw_table and column else column
        if severity == ERROR:
            self.error_count += 1
        self.problems.append(
            Problem(
                severity,
                code,
                sheet=row.sheet if row else None,
                row=row.row if row else None,
                column=header,
                value=as_text(value) if value is not None else None,
                params=tuple(params.items()),
                table=table.code if table else None,
            )
        )

    def required(self, table: Table, row: RawRow, code: str) -> str | None:
        cell = row.cells.get(code)
        text = (cell.strip() or None) if cell.__class__ is str else as_text(cell)  # as_text's first case, inline
        if text is None:
            self.report(ERROR, "required_missing", table, row, code)
        return text

    def label(
        self, vocabulary: Vocabulary, kind: str, table: Table, row: RawRow, code: str, text: str | None
    ) -> tuple[str | None, str | None]:
        """(code, original text when it was not recognised)."""
        if text is None:
            return None, None
        matched = vocabulary.match(text)
        if matched is None:
            self.report(
                WARNING,
                "label_unknown",
                table,
                row,
                code,
                text,
                kind=kind,
                choices=[t.short("fr") for t in vocabulary.terms],
            )
            return "autre", text
        self.said_synonym(vocabulary, table, row, code, text, matched)
        return matched, None

    def said_synonym(
        self, vocabulary: Vocabulary, table: Table, row: RawRow, code: str, text: str, matched: str
    ) -> None:
        """A word outside the list read as one of its terms is said once per workbook, on the
        first row that uses it."""
        if not vocabulary.is_synonym(text):
            return
        key = (vocabulary.name, normalise_key(text))
        if key in self.synonyms_said:
            return
        self.synonyms_said[key] = self.where
        self.report(
            WARNING,
            "label_read_as",
            table,
            row,
            code,
            text,
            read_fr=vocabulary.short(matched, "fr"),
            read_en=vocabulary.short(matched, "en"),
        )

    def domains(self, table: Table, row: RawRow, code: str) -> tuple[str, ...]:
        found: list[str] = []
        for part in split_list(row.cells.get(code)):
            domain = DOMAINS.match(part)
            if domain is None:
                self.report(
                    WARNING, "domain_unknown", table, row, code, part, choices=[t.short("fr") for t in DOMAINS.terms]
                )
                continue
            self.said_synonym(DOMAINS, table, row, code, part, domain)
            if domain not in found:
                found.append(domain)
        return tuple(found)

    def number(self, table: Table, row: RawRow, code: str):
        cell = row.cells.get(code)
        number = parse_number(cell)
        if number.error:
            self.report(ERROR, number.error, table, row, code, cell)
        return number

    def optional_number(self, table: Table, row: RawRow, code: str):
        """A number that describes a row without being one of its facts (an actor's count):
        unreadable, it is left blank with a warning on its cell, and the row is kept."""
        cell = row.cells.get(code)
        number = parse_number(cell)
        if number.error:
            self.report(WARNING, "optional_number_unreadable", table, row, code, cell)
            return BLANK_NUMBER
        return number

    def yes_no(self, table: Table, row: RawRow, code: str) -> bool | None:
        cell = row.cells.get(code)
        value, understood = parse_yes_no(cell)
        if not understood:
            self.report(WARNING, "yes_no_unknown", table, row, code, cell)
        return value

    @staticmethod
    def extras(row: RawRow, table: Table) -> dict[str, object]:
        known = _KNOWN_COLUMNS[table.code]
        if known.issuperset(row.cells):  # most rows: no column of their own (a set's test, in C)
            return {}
        return {k: v for k, v in row.cells.items() if k not in known}

    def _errors_before(self) -> int:
        return self.error_count

    def rows(self, code: str) -> list[RawRow]:
        table: RawTable | None = self.raw.tables.get(code)
        return table.rows if table else []

"""The proposed chain merged into the centre's own workbook, without touching what the director
typed: their rows stay as they are, cell by cell; a proposed actor already there (same name,
compared without case or accents) is not added again; a proposed flow already there (same
source, target and nature) is not doubled when it has the same value, and is a **conflict**
when its value differs: the director's value is kept, and both are said. An activity the
review linked a flow to is added unless the workbook has it (or an actor of that name)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from valuechain.accounts.fec import header_key
from valuechain.accounts.propose import DATA_SOURCE, Proposal, euros, funder_kind
from valuechain.model import RawRow, RawWorkbook
from valuechain.vocabulary import NATURES, TABLES_BY_CODE
from valuechain.words.messages import say


@dataclass
class Merged:
    workbook: RawWorkbook
    added_actors: int = 0
    added_flows: int = 0
    added_activities: int = 0
    already_there: list[str] = field(default_factory=list)  # proposed flows found as typed
    conflicts: list[tuple[str, str, float, float]] = field(default_factory=list)  # source, nature, typed, accounts
    data: bytes = b""  # the merged workbook as written, once it is
    # (the workbook's year, the accounts' year) when they differ: nothing was added
    other_year: tuple[int, int] | None = None
    # flows already in the workbook from the accounts, of the same class or kind of funder as
    # flows added: (the typed source, its euros, the added source, its euros)
    double_counted: list[tuple[str, float, str, float]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Whether nothing was added because the years differ."""
        return self.other_year is not None

    def lines(self, lang: str) -> list[str]:
        """What was added, then what was already there, then the conflicts and the possible
        double counts (``warnings``); only the refusal when the years differ."""
        if self.other_year is not None:
            return [
                say("accounts", "merge_other_year", lang, workbook_year=self.other_year[0], year=self.other_year[1])
            ]
        said = [
            say(
                "accounts",
                "merged",
                lang,
                actors=say("count", "actors", lang, count=self.added_actors),
                flows=say("count", "flows", lang, count=self.added_flows),
            )
        ]
        if self.added_activities:
            said.append(say("accounts_review", "merged_activities", lang, count=self.added_activities))
        said += [say("accounts", "merge_already_there", lang, source=source) for source in self.already_there]
        said += [
            say(
                "accounts",
                "merge_conflict",
                lang,
                source=source,
                nature=NATURES.label(nature, lang),
                typed=euros(round(typed * 100), lang),
                accounts=euros(round(accounts * 100), lang),
            )
            for source, nature, typed, accounts in self.conflicts
        ]
        return said + self.warnings(lang)

    def warnings(self, lang: str) -> list[str]:
        """The possible double counts, one sentence each."""
        return [
            say(
                "accounts",
                "merge_double_count",
                lang,
                typed=typed,
                typed_value=euros(round(typed_value * 100), lang),
                added=added,
                added_value=euros(round(added_value * 100), lang),
            )
            for typed, typed_value, added, added_value in self.double_counted
        ]

    def said_apart(self) -> int:
        """How many of ``lines`` are warnings (conflicts and double counts), said last."""
        return 0 if self.refused else len(self.conflicts) + len(self.double_counted)


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def merge_into(existing: RawWorkbook, proposal: Proposal, lang: str = "fr") -> Merged:
    """``existing`` (the centre's workbook as typed) with the proposal's actors and flows added
    after its own rows; the proposal's flows go to the existing workbook's centre."""
    from valuechain.accounts.decisions import workbook
    from valuechain.reading.validation import validate

    understood = validate(existing)
    names = {str(r["id"]): str(r["name"]) for r in understood.rows_of("actors")}
    names.update({str(r["id"]): str(r["name"]) for r in understood.rows_of("activities")})
    centre = names.get(understood.centre_id, understood.centre.name)
    merged = Merged(existing)
    workbook_year = understood.centre.year
    if workbook_year is not None and proposal.year is not None and int(workbook_year) != proposal.year:
        merged.other_year = (int(workbook_year), proposal.year)
        return merged
    proposal.centre = centre
    proposed = workbook(proposal, lang)
    known_actors = {header_key(name) for name in names.values()}
    typed_flows: dict[tuple[str, str, str], float] = {}
    # (a typed source, a nature) whose flows come from the accounts → [its name, its euros, its account classes]
    from_accounts: dict[tuple[str, str], list] = {}
    for record in understood.rows_of("flows"):
        source = names.get(str(record["source"]), str(record["source"]))
        target = names.get(str(record["target"]), str(record["target"]))
        key = (header_key(source), header_key(target), str(record["nature"]))
        typed_flows[key] = typed_flows.get(key, 0.0) + (_number(record.get("value_entered")) or 0.0)
        if header_key(record.get("data_source")) == header_key(DATA_SOURCE):
            found = from_accounts.setdefault((header_key(source), str(record["nature"])), [source, 0.0, set()])
            found[1] += _euros(record)
            found[2] |= _classes(record.get("extras"))
    for row in proposed.tables["actors"].rows:
        name = str(row.cells["name"])
        if header_key(name) in known_actors:
            continue
        known_actors.add(header_key(name))
        _append(existing, "actors", row)
        merged.added_actors += 1
    for row in proposed.tables["activities"].rows if "activities" in proposed.tables else []:
        name = str(row.cells["name"])
        if header_key(name) in known_actors:
            continue
        known_actors.add(header_key(name))
        _append(existing, "activities", row)
        merged.added_activities += 1
    # The proposed flows of one source and nature (a funder's subsidy and its prestation) are
    # compared, together, with what is typed for that source and nature.
    grouped: dict[tuple[str, str, str], list[RawRow]] = {}
    for row in proposed.tables["flows"].rows:
        key = (header_key(str(row.cells["source"])), header_key(centre), str(row.cells["nature"]))
        grouped.setdefault(key, []).append(row)
    for key, rows in grouped.items():
        source, nature = str(rows[0].cells["source"]), str(rows[0].cells["nature"])
        value = sum(_number(row.cells["value"]) or 0.0 for row in rows)
        if key not in typed_flows:
            for row in rows:
                _append(existing, "flows", row)
            merged.added_flows += len(rows)
            _double_counts(merged, from_accounts, source, nature, value, rows)
        elif round(typed_flows[key] * 100) == round(value * 100):
            merged.already_there.append(source)
        else:
            merged.conflicts.append((source, nature, typed_flows[key], value))
    return merged


def _euros(record: Mapping[str, object]) -> float:
    """A typed flow's euros: its value, else its quantity when counted in euros."""
    value = _number(record.get("value_entered"))
    if value is None and str(record.get("unit") or "").strip() == "€":
        value = _number(record.get("quantity"))
    return value or 0.0


def _classes(cells: object) -> set[str]:
    """The account classes (``74``) a flow's accounts column names, in any language."""
    if not isinstance(cells, dict):
        return set()
    headers = {header_key(say("accounts", "column_accounts", lang)) for lang in ("fr", "en")}
    return {
        account.strip()[:2]
        for header, text in cells.items()
        if header_key(header) in headers
        for account in str(text or "").split("|")
        if len(account.strip()) >= 2
    }


def _double_counts(
    merged: Merged,
    from_accounts: dict[tuple[str, str], list],
    source: str,
    nature: str,
    value: float,
    rows: list[RawRow],
) -> None:
    """A flow added from the accounts beside a flow of the same nature already there from the
    accounts, of the same kind of funder (two CAF) or the same account class: the same money
    counted twice?"""
    kind = funder_kind(source)
    classes = set().union(*(_classes(row.cells) for row in rows))
    for (typed_key, typed_nature), (typed, typed_value, typed_classes) in from_accounts.items():
        if typed_key == header_key(source) or typed_nature != nature:
            continue
        typed_kind = funder_kind(typed)
        if (kind is not None and typed_kind is not None and kind[0] == typed_kind[0]) or classes & typed_classes:
            said = merged.double_counted
            # One sentence for a pair of funders, their flows of each nature added together.
            index = next((i for i, (t, _v, a, _w) in enumerate(said) if t == typed and a == source), None)
            if index is None:
                said.append((typed, typed_value, source, value))
            else:
                said[index] = (typed, typed_value, source, said[index][3] + value)


def _append(workbook: RawWorkbook, code: str, row: RawRow) -> None:
    """A proposed row after the table's last typed row, in the table's own sheet."""
    table = workbook.table(code)
    if not table.columns:
        table.add_columns([c.code for c in TABLES_BY_CODE[code].columns])
    table.add_columns(list(row.cells))
    sheet = table.rows[-1].sheet if table.rows else TABLES_BY_CODE[code].sheet_name("fr")
    number = (max(r.row for r in table.rows) + 1) if table.rows else 2
    table.rows.append(RawRow(sheet, number, dict(row.cells)))

"""A phone's answer to "Qui apporte quoi, à qui ?": what it may hold, how it is kept (cleaned,
checked field by field), the names it may pick, what the facilitator is offered to merge it
with, and the rows it adds to the workbook once accepted."""

from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import asdict, dataclass

from valuechain.errors import Refusal, WorkshopError
from valuechain.model import RawWorkbook, row_from_list
from valuechain.vocabulary import CATEGORIES, NATURES, normalise_reference, unit_label
from valuechain.words.messages import Markdown, say
from valuechain.workbook import editing

# What one answer may hold (the form says so before).
NAME_LIMIT = 120
COMMENT_LIMIT = 300
QUANTITY_LIMIT = 1e9
UNITS = ("€", "h", "jours", "kg", "personnes", "repas")


@dataclass
class Answer:
    """What a participant answers to "Qui apporte quoi, à qui ?"."""

    who: str
    nature: str  # a code of NATURES
    target: str  # an activity, an actor, the centre
    who_category: str | None = None  # a code of CATEGORIES, for a name not on the map yet
    quantity: float | None = None
    unit: str | None = None
    back: str | None = None  # the nature of what comes back, if anything
    comment: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        return cls(
            who=data.get("who") or "",
            nature=data.get("nature") or "",
            target=data.get("target") or "",
            who_category=data.get("who_category"),
            quantity=data.get("quantity"),
            unit=data.get("unit"),
            back=data.get("back"),
            comment=data.get("comment"),
        )


def clean_text(value: object, limit: int) -> str:
    """A participant's text as kept: control characters removed, spaces collapsed, cut to
    ``limit`` characters (the form says so before). Markup and formulas stay text: every page
    shows them as typed and every export writes them as text."""
    text = "" if value is None else str(value)
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())[:limit].rstrip()  # a cut just after a space keeps no space


def check_answer(answer: Answer) -> tuple[Answer, list[Refusal]]:
    """The answer as it will be kept, and what is wrong with it (nothing: it can be sent)."""
    refusals: list[Refusal] = []
    raw_who, raw_target = (
        "" if answer.who is None else str(answer.who),
        "" if answer.target is None else str(answer.target),
    )
    who, target = clean_text(raw_who, NAME_LIMIT), clean_text(raw_target, NAME_LIMIT)
    for name, typed, cleaned in (("who", raw_who, who), ("target", raw_target, target)):
        if not cleaned:  # "to whom" is chosen in a list (nothing is chosen for the phone)
            refusals.append(Refusal(name, "required" if name == "who" else "to_choose"))
        elif len(" ".join(typed.split())) > NAME_LIMIT:
            refusals.append(Refusal(name, "too_long", {"limit": NAME_LIMIT}))
    if who and target and normalise_reference(who) == normalise_reference(target):
        refusals.append(Refusal("target", "same_as_who"))
    if answer.nature not in NATURES.codes:
        refusals.append(Refusal("nature", "required"))
    if answer.back is not None and answer.back not in NATURES.codes:
        refusals.append(Refusal("back", "unknown"))
    category = answer.who_category if answer.who_category in CATEGORIES.codes else None
    quantity = answer.quantity
    if quantity is not None:
        try:
            quantity = float(quantity)
        except (TypeError, ValueError):
            quantity = math.nan
        if not math.isfinite(quantity) or quantity < 0 or quantity > QUANTITY_LIMIT:
            refusals.append(Refusal("quantity", "quantity_range", {"limit": int(QUANTITY_LIMIT)}))
    unit = answer.unit if answer.unit in UNITS else None
    comment = clean_text(answer.comment, COMMENT_LIMIT) or None
    if answer.comment and len(str(answer.comment)) > COMMENT_LIMIT * 4:
        refusals.append(Refusal("comment", "too_long", {"limit": COMMENT_LIMIT}))
    kept = Answer(
        who=who,
        nature=answer.nature,
        target=target,
        who_category=category,
        quantity=quantity if quantity is None or math.isfinite(quantity) else None,
        unit=unit,
        back=answer.back,
        comment=comment,
    )
    return kept, refusals


def answer_details(answer: Answer, lang: str, markdown: bool = False) -> str:
    """What an answer says besides who, what and to whom (how much, what comes back, its
    comment), in one line of ``lang``; "" when it says nothing more."""
    details = []
    if answer.quantity is not None:
        details.append(f"{answer.quantity:g} {unit_label(answer.unit, lang) if answer.unit else ''}".strip())
    if answer.back:
        details.append(
            say("workshop", "proposal_back", lang, markdown=markdown, nature=NATURES.label(answer.back, lang))
        )
    if answer.comment:
        details.append(say("workshop", "proposal_comment", lang, markdown=markdown, comment=answer.comment))
    line = " · ".join(details)
    return Markdown(line) if markdown else line


# The names an answer may pick --------------------------------------------------------------------
def _names(raw: RawWorkbook, code: str) -> list[str]:
    table = raw.tables.get(code)
    return [str(r.cells["name"]) for r in (table.rows if table else []) if r.cells.get("name") not in (None, "")]


def map_names(raw: RawWorkbook) -> list[str]:
    """The actors' and activities' names of a workbook, and the centre's: what a participant
    may pick as "who" and "to whom"."""
    centre = raw.centre_fields.get("name", (None,))[0]
    names = ([str(centre)] if centre else []) + _names(raw, "actors") + _names(raw, "activities")
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(normalise_reference(name), name)
    return list(unique.values())


def actor_names(raw: RawWorkbook) -> list[str]:
    return _names(raw, "actors")


def similar_names(name: str, names: list[str], limit: int = 3) -> list[str]:
    """Names already on the map that look like ``name`` (a typo, another case, a part of it):
    what the facilitator is offered to merge with."""
    wanted = normalise_reference(name)
    by_key = {normalise_reference(n): n for n in names}
    found = [by_key[k] for k in difflib.get_close_matches(wanted, list(by_key), n=limit, cutoff=0.75)]
    found += [n for k, n in by_key.items() if len(wanted) >= 4 and (wanted in k or k in wanted) and n not in found]
    return found[:limit]


@dataclass(frozen=True)
class MergeOffer:
    """What the facilitator is offered to merge a proposal's "who" with."""

    known: bool  # the name is on the map already (in any case)
    alike: list[str]  # offered first: the actor of the same name, else the actors that look alike
    choices: list[str]  # every actor, the alike ones first


def merge_offer(who: str, names: list[str], actors: list[str]) -> MergeOffer:
    """The merge offered for ``who``, given the map's ``names`` (``map_names``) and its
    ``actors`` (``actor_names``)."""
    known = who.casefold() in {n.casefold() for n in names}
    alike = [a for a in actors if a.casefold() == who.casefold()] if known else similar_names(who, actors)
    return MergeOffer(known, alike, alike + [a for a in actors if a not in alike])


# An accepted answer in the workbook ----------------------------------------------------------------
def accepted_changes(raw: RawWorkbook, answer: Answer) -> list[dict]:
    """What an accepted answer adds: the actor when its name is new, the flow, and the flow back
    when something comes back. Words are written as a French workbook writes them."""
    known = {normalise_reference(n) for n in map_names(raw)}
    additions: list[tuple[str, dict[str, object]]] = []
    for name, category in ((answer.who, answer.who_category), (answer.target, None)):
        if normalise_reference(name) not in known:
            additions.append(("actors", {"name": name, "category": CATEGORIES.short(category or "autre", "fr")}))
            known.add(normalise_reference(name))
    value = answer.quantity if answer.unit == "€" else None
    additions.append(
        (
            "flows",
            {
                "source": answer.who,
                "target": answer.target,
                "nature": NATURES.short(answer.nature, "fr"),
                "quantity": answer.quantity,
                "unit": answer.unit,
                "value": value,
                "description": answer.comment,
            },
        )
    )
    if answer.back:
        additions.append(
            ("flows", {"source": answer.target, "target": answer.who, "nature": NATURES.short(answer.back, "fr")})
        )
    return editing.new_rows(raw, additions)


def refuse_rows_in_error(raw: RawWorkbook, changes: list[dict]) -> None:
    """An accepted or merged proposal is read as the rows it adds would be: one of them in error
    (a flow from the centre to itself after a merge, say) is refused with its reason, before
    anything is written, rather than found after closing."""
    from valuechain.reading.validation import validate

    trial = RawWorkbook.from_dict(raw.to_dict())
    editing.apply_changes(trial, changes)
    added = {(change["table"], row_from_list(change["row"]).row) for change in changes if change["op"] == "add_row"}
    for problem in validate(trial).errors:
        if (problem.table, problem.row) in added:
            raise WorkshopError("row_refused", problem=problem)


# What the room built, as a phone reads it -----------------------------------------------------------
@dataclass(frozen=True)
class BuiltFlow:
    """A flow the room added: an accepted (or merged) proposal still in the workbook."""

    who: str
    target: str
    nature: str  # a code of NATURES
    back: str | None


def room_flows(entries: list) -> list[BuiltFlow]:
    """The flows the room added, oldest first, from the journal's ``entries`` (``Entry``): the
    accepted and merged proposals that are active (not undone)."""
    return [
        BuiltFlow(str(e.summary["who"]), str(e.summary["target"]), str(e.summary["nature"]), e.summary.get("back"))
        for e in entries
        if e.kind in ("accept", "merge") and e.state == "active"
    ]


def actors_by_category(raw: RawWorkbook) -> list[tuple[str, list[str]]]:
    """The map's actors grouped by category (codes of CATEGORIES, in its order; an unknown one
    as "autre"), each group's names sorted: what a phone lists instead of a map it cannot read."""
    table = raw.tables.get("actors")
    groups: dict[str, list[str]] = {}
    for row in table.rows if table else []:
        name = row.cells.get("name")
        if name in (None, ""):
            continue
        code = CATEGORIES.match(row.cells.get("category")) or "autre"
        groups.setdefault(code, []).append(str(name))
    order = {code: place for place, code in enumerate(CATEGORIES.codes)}
    return [
        (code, sorted(names, key=str.casefold)) for code, names in sorted(groups.items(), key=lambda g: order[g[0]])
    ]

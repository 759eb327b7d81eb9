"""The value chain the accounts show, proposed for the director to review (docs/comptes.md).

The account ranges are those of the associations' chart (règlement ANC n° 2018-06):
70 users' participations, 73 concours publics, 74 subventions d'exploitation, 75 fees, gifts
and abandoned expenses, 86/87 the voluntary contributions in kind (86 their use, 87 their
source). Each income becomes a monetary flow to the centre, each contribution in kind an
in-kind, premises, skills or volunteer flow valued as booked; every flow carries
``source_donnee = comptabilité`` and the entries it came from.

Individuals are personal data, not actors: a third party is named only when its name says it
is an organisation (CAF, a commune, a foundation, a company…) and carries no civility; users,
members, donors and volunteers are each one aggregated actor, never one person per actor. The
other classes (salaries 64, charges, balance sheet) are not part of the chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from babel.numbers import format_currency, format_decimal

from valuechain.accounts.fec import EntryLine, Ledger, header_key
from valuechain.model import WARNING, Problem, RawWorkbook
from valuechain.performance import gc_paused
from valuechain.vocabulary import normalise_key
from valuechain.words.language import language
from valuechain.words.messages import say

DATA_SOURCE = "comptabilité"
GROUPS = ("70", "73", "74", "75", "86", "87")
MAX_REFERENCES = 200  # references listed in a flow's cell; the rest are counted

# A third party's kind, by the words of its name (compared without case or accents), in the
# order tried: the kind decides the actor's category.
FUNDER_KINDS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, category, re.compile(pattern))
    for kind, category, pattern in (
        ("caf", "institutions", r"\bcaf\b|caisse d.allocations familiales|\bmsa\b"),
        ("region", "institutions", r"\bregion\b|conseil regional"),
        ("departement", "institutions", r"\bdepartement|conseil departemental|\bcd ?\d{2}\b"),
        (
            "etat",
            "institutions",
            r"\betat\b|prefecture|\bddets\b|\bdreets\b|\banct\b|\bfonjep\b|\bsdjes\b|\bdrajes\b|\bfdva\b"
            r"|ministere|politique de la ville|agence nationale|\basp\b|\bcpam\b|\bcarsat\b|france travail",
        ),
        (
            "commune",
            "institutions",
            r"\bville\b|\bcommune\b|\bmairie\b|\bccas\b|communaute de communes|agglomeration|metropole|\bepci\b",
        ),
        ("fondation", "financeurs", r"\bfondation\b|fonds de dotation"),
        (
            "association",
            "associations",
            r"\bassociation\b|\basso\b|\bbanque alimentaire\b|\brestos du coeur\b|\bsecours (populaire|catholique)\b|\bfederation\b|\bcomite\b|\bclub\b",
        ),
        (
            "entreprise",
            "entreprises",
            r"\b(sa|sas|sasu|sarl|eurl|sci|scop|scic)\b|\bentreprise|\bsociete\b|\bbanque\b|\bcredit\b|\bmutuelle\b",
        ),
    )
)
# A civility, a family or a first-name initial: a person, never an actor, whatever else the name says.
_PERSON = re.compile(r"^(m|mr|mme|mlle|monsieur|madame|mademoiselle|famille|fam|melle|dr|me)\b|\bepoux\b")
# Canonical names when the kind is read from an entry's or an account's label.
_COMMUNE_NAME = re.compile(
    r"\b([Vv]ille|[Cc]ommune|[Mm]airie)\s+(?:de\s+|d['’]\s*)?([A-ZÉÈÀÂ][\w'’-]*(?:[ -][A-ZÉÈ][\w'’-]*)?)"
)
_FOUNDATION_NAME = re.compile(
    r"\b([Ff]ondation\s+(?:de\s+|d['’]|du\s+|des\s+)?[A-ZÉÈ0-9][\w'’-]*(?:\s+[A-ZÉÈ0-9][\w'’-]*){0,2})"
)
_ACRONYMS = re.compile(r"\b(FONJEP|ANCT|DDETS|DREETS|SDJES|DRAJES|FDVA|CPAM|CARSAT|MSA)\b")

# The contributions in kind: the use an 86 account says, and the 87 sub-accounts as the
# règlement 2018-06 numbers them (the older 99-01 swapped 870 and 875).
USE_86 = {"860": "nature", "861": "lieu", "862": "competences", "864": "benevolat"}
SOURCE_87_2018 = {"870": "nature", "871": "competences", "875": "benevolat"}
_KIND_WORDS = (
    ("benevolat", re.compile(r"benevol")),
    ("lieu", re.compile(r"locaux|local\b|mise a disposition|salle|materiel|vehicule")),
    ("competences", re.compile(r"prestation|service|competence|mecenat de competences")),
    ("nature", re.compile(r"don.? en nature|denree|alimentaire|vetement|\bdons?\b")),
)
# The aggregated actor of each kind of flow with no organisation named: (code, category).
AGGREGATES = {
    "users": "habitants",
    "members": "habitants",
    "donors": "habitants",
    "volunteer_expenses": "benevoles",
    "volunteers": "benevoles",
    "in_kind_givers": "habitants",
    "premises_lenders": "autre",
    "skills_givers": "autre",
    "public_other": "institutions",
    "funders_other": "autre",
    "income_other": "autre",
}


@dataclass
class ProposedActor:
    name: str
    category: str
    kind: str | None  # the funder's kind (FUNDER_KINDS), or None for an aggregated actor
    rule: str  # which rule named it: "aux", "label", "account_label", "aggregate"
    aggregate: str | None = None


@dataclass
class ProposedFlow:
    source: str
    nature: str
    group: str  # the account class it comes from: "74", "86"…
    rules: list[str] = field(default_factory=list)  # which rules decided its nature ("account", "label"…)
    cents: int = 0
    accounts: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    by_account: dict[str, list[int]] = field(default_factory=dict)  # account → [cents, lines]: what a review sets aside
    # reference → the accounts its lines in this flow are booked on: an entry whose every
    # account the review leaves out is no longer listed as the flow's evidence
    reference_accounts: dict[str, set[str]] = field(default_factory=dict)
    entries: int = 0  # the entries behind the flow, all counted (``references`` lists the first ones)
    last_reference: str = ""
    # Volunteering booked in euros whose label states its hours ("1 800 h à 11,65 €"): the
    # hours read, by account; ``hours_missing`` when a line of the flow stated none.
    hours: float = 0.0
    hours_by_account: dict[str, float] = field(default_factory=dict)
    hours_missing: bool = False

    def known_hours(self) -> float | None:
        """The volunteer hours behind the flow, when every line of it stated them; else None."""
        return (
            round(self.hours, 2) if self.nature == "benevolat" and self.hours > 0 and not self.hours_missing else None
        )


@dataclass
class Reconciled:
    group: str
    accounts: int  # cents in the accounts (the year's readable lines)
    chain: int  # cents in the proposed chain

    def sentence(self, lang: str) -> str:
        return say(
            "accounts",
            "reconciled",
            lang,
            group=self.group,
            accounts=euros(self.accounts, lang),
            chain=euros(self.chain, lang),
        )


@dataclass
class Proposal:
    centre: str
    year: int | None
    actors: dict[str, ProposedActor] = field(default_factory=dict)
    flows: list[ProposedFlow] = field(default_factory=list)
    reconciliation: list[Reconciled] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    left_out_lines: int = 0
    left_out_cents: int = 0  # of the lines left out whose amount was read
    left_out_unreadable: int = 0  # lines left out whose amount is unknown (unreadable, or a line too short)
    other_lines: int = 0  # lines of classes that are not part of the chain


def euros(amount: int, lang: str) -> str:
    """Cents as the language writes euros: ``182 400,00 €``, ``€182,400.00``."""
    return format_currency(amount / 100, "EUR", locale=language(lang).locale)


# Hours a label states: "1 800 h", "1800 heures", "2 000,5 h" (never "11,65 €/h" nor a year).
_HOURS = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:,(\d+))?\s*(?:h|heures?)\b", re.IGNORECASE)


def hours_stated(label: str) -> float | None:
    """The hours of volunteering a label states (``Valorisation bénévolat 1 800 h à 11,65 €``:
    1800.0); None when it states none."""
    found = _HOURS.search(label)
    if found is None:
        return None
    whole = re.sub(r"[ \u00a0\u202f.]", "", found[1])
    hours = float(f"{whole}.{found[2]}" if found[2] else whole)
    return hours if hours > 0 else None


def is_person(name: str) -> bool:
    return bool(_PERSON.search(normalise_key(name)))


# Any of the words above: most labels (a family's participation) hold none, and are done with one search.
_ANY_KIND = re.compile("|".join(f"(?:{pattern.pattern})" for _kind, _category, pattern in FUNDER_KINDS))


@lru_cache(maxsize=65536)
def funder_kind(name: str) -> tuple[str, str] | None:
    """(kind, category) of an organisation named ``name``; None for a person or a name that
    does not say it is an organisation."""
    key = normalise_key(name)
    if not key or not _ANY_KIND.search(key) or _PERSON.search(key):
        return None
    for kind, category, pattern in FUNDER_KINDS:
        if pattern.search(key):
            return kind, category
    return None


def _named_from_label(text: str, kind: str, lang: str) -> str:
    """The funder's name when only a label says it: a canonical name, never the label whole
    (it may hold a person's name or a period)."""
    if kind == "commune":
        found = _COMMUNE_NAME.search(text)
        return f"{found[1].capitalize()} de {found[2]}" if found else say("accounts", "kind_commune", lang)
    if kind == "fondation":
        found = _FOUNDATION_NAME.search(text)
        return found[1].strip() if found else say("accounts", "kind_fondation", lang)
    if kind == "etat":
        found = _ACRONYMS.search(text.upper())
        return found[1] if found else say("accounts", "kind_etat", lang)
    if kind == "caf":
        return "MSA" if "msa" in normalise_key(text).split() else "CAF"
    return say("accounts", "kind_" + kind, lang)


def _third_party(line: EntryLine, lang: str) -> tuple[str, str, str, str] | None:
    """(name, kind, category, rule) of the organisation a line names: its auxiliary account,
    else its entry's label, else its account's label."""
    for text, rule in ((line.aux_label, "aux"), (line.label, "label"), (line.account_label, "account_label")):
        if not text or is_person(text):
            continue
        found = funder_kind(text)
        if found is None:
            continue
        kind, category = found
        name = text.strip() if rule == "aux" else _named_from_label(text, kind, lang)
        return name, kind, category, rule
    return None


class _Builder:
    def __init__(self, ledger: Ledger, centre: str, lang: str) -> None:
        self.proposal = Proposal(centre, ledger.year)
        self.lang = language(lang).code
        self.flows: dict[tuple[str, str, str], ProposedFlow] = {}
        self.by_key: dict[str, str] = {}  # an actor's name compared without case or accents → its name
        self.named: dict[tuple[str, str, str], tuple[str, str, str, str] | None] = {}
        self.aggregates: dict[str, str] = {}
        self.exact: dict[str, str] = {}  # a name as written → the actor it is

    def third_party(self, line: EntryLine) -> tuple[str, str, str, str] | None:
        """``_third_party`` of the line, once for each of its texts (they repeat)."""
        key = (line.aux_label, line.label, line.account_label)
        if key not in self.named:
            self.named[key] = _third_party(line, self.lang)
        return self.named[key]

    def actor(self, name: str, category: str, kind: str | None, rule: str, aggregate: str | None = None) -> str:
        if name in self.exact:
            return self.exact[name]
        key = header_key(name)  # every word kept: "Bénévoles (frais abandonnés)" is not "Bénévoles"
        if key in self.by_key:
            self.exact[name] = self.by_key[key]
            return self.by_key[key]
        self.by_key[key] = self.exact[name] = name
        self.proposal.actors[name] = ProposedActor(name, category, kind, rule, aggregate)
        return name

    def aggregate(self, code: str) -> str:
        if code not in self.aggregates:
            name = say("accounts", "aggregate_" + code, self.lang)
            self.aggregates[code] = self.actor(name, AGGREGATES[code], None, "aggregate", code)
        return self.aggregates[code]

    def add(self, source: str, nature: str, group: str, rule: str, line: EntryLine, amount: int) -> None:
        key = (source, nature, group)
        flow = self.flows.get(key)
        if flow is None:
            flow = self.flows[key] = ProposedFlow(source, nature, group)
            self.proposal.flows.append(flow)
        if rule not in flow.rules:
            flow.rules.append(rule)
        flow.cents += amount
        flow.accounts.add(line.account)
        counted = flow.by_account.setdefault(line.account, [0, 0])
        counted[0] += amount
        counted[1] += 1
        reference = line.reference
        if reference != flow.last_reference:
            flow.entries += 1
            flow.last_reference = reference
            if len(flow.references) < MAX_REFERENCES:
                flow.references.append(reference)
        if flow.references and flow.references[-1] == reference:
            flow.reference_accounts.setdefault(reference, set()).add(line.account)
        if nature == "benevolat":
            hours = hours_stated(line.label)
            if hours is None:
                flow.hours_missing = True
            else:
                flow.hours += hours
                flow.hours_by_account[line.account] = flow.hours_by_account.get(line.account, 0.0) + hours
                if "hours_label" not in flow.rules:
                    flow.rules.append("hours_label")


def propose(ledger: Ledger, centre: str, lang: str = "fr") -> Proposal:
    """The actors and flows the accounts of ``ledger`` show, each euro traceable to its entry,
    with the totals by account class reconciled."""
    with gc_paused():
        return _propose(ledger, centre, lang)


def _propose(ledger: Ledger, centre: str, lang: str) -> Proposal:
    builder = _Builder(ledger, centre, lang)
    proposal = builder.proposal
    totals = dict.fromkeys(GROUPS, 0)
    in_kind: dict[tuple[str, str], list[EntryLine]] = {}
    for line in ledger.lines:
        group = line.account[:2]
        if group not in totals:
            proposal.other_lines += 1
            continue
        if group in ("86", "87"):
            in_kind.setdefault((line.journal, line.entry or f"#{line.line}"), []).append(line)
            totals[group] += line.debit - line.credit if group == "86" else line.credit - line.debit
            continue
        amount = line.credit - line.debit
        totals[group] += amount
        builder.add(_income_source(builder, line, group), "monetaire", group, "account", line, amount)
    for lines in in_kind.values():
        _in_kind_entry(builder, lines)
    chain = dict.fromkeys(GROUPS, 0)
    for flow in proposal.flows:
        if flow.cents > 0:  # a negative total makes no flow (said below)
            chain[flow.group] += flow.cents
    chain["87"] = chain["86"] + chain.pop("87")
    proposal.reconciliation = [Reconciled(g, totals[g], chain[g]) for g in GROUPS if totals[g] or chain[g]]
    for flow in [f for f in proposal.flows if f.cents < 0]:
        proposal.problems.append(
            Problem(WARNING, "accounts_negative_flow", value=flow.source, params=(("group", flow.group),))
        )
    proposal.left_out_lines = len(ledger.left_out) + ledger.left_out_unreadable
    proposal.left_out_unreadable = ledger.left_out_unreadable
    proposal.left_out_cents = sum(
        (line.debit - line.credit if line.account[:2] == "86" else line.credit - line.debit)
        for line in ledger.left_out
        if line.account[:2] in GROUPS
    )
    proposal.problems = ledger.problems + proposal.problems
    return proposal


def _income_source(builder: _Builder, line: EntryLine, group: str) -> str:
    named = builder.third_party(line)
    if named is not None:
        name, kind, category, rule = named
        return builder.actor(name, category, kind, rule)
    account = line.account
    if group == "74":
        return builder.aggregate("funders_other")
    if group == "73":
        return builder.aggregate("public_other")
    if group == "70":
        return builder.aggregate("users")
    if account.startswith("756"):
        return builder.aggregate("members")
    if account.startswith("75412"):
        return builder.aggregate("volunteer_expenses")
    if account.startswith("754"):
        return builder.aggregate("donors")
    return builder.aggregate("income_other")


def _in_kind_nature(line: EntryLine) -> tuple[str, str]:
    """(nature, rule) of a contribution in kind: its 86 account (its use) decides; an 87 line
    alone is read from its label, else from its sub-account as the règlement 2018-06 numbers it."""
    if line.account.startswith("86"):
        nature = USE_86.get(line.account[:3])
        if nature is not None:
            return nature, "account"
    words = normalise_key(f"{line.label} {line.account_label}")
    for nature, pattern in _KIND_WORDS:
        if pattern.search(words):
            return nature, "label"
    nature = SOURCE_87_2018.get(line.account[:3])
    if nature is not None:
        return nature, "sub_account_2018"
    return "nature", "default"


_GIVERS = {
    "benevolat": "volunteers",
    "nature": "in_kind_givers",
    "lieu": "premises_lenders",
    "competences": "skills_givers",
}


def _in_kind_entry(builder: _Builder, lines: list[EntryLine]) -> None:
    """One entry of contributions in kind: its 86 lines make the flows (their use), the giver
    named by any of its lines; an entry with 87 lines only is read from them."""
    uses = [line for line in lines if line.account.startswith("86")]
    givers = [line for line in lines if line.account.startswith("87")]
    named = next((found for line in givers + uses if (found := builder.third_party(line)) is not None), None)
    for line in uses or givers:
        nature, rule = _in_kind_nature(line)
        amount = line.debit - line.credit if line.account.startswith("86") else line.credit - line.debit
        if named is not None and nature != "benevolat":
            name, kind, category, naming = named
            source = builder.actor(name, category, kind, naming)
        else:
            source = builder.aggregate(_GIVERS[nature])
        builder.add(source, nature, line.account[:2], rule, line, amount)


def reason(actor: ProposedActor, lang: str) -> str:
    """Why the actor is proposed so, in ``lang``: which rule named it and which kind it is."""
    if actor.aggregate is not None:
        return say("accounts", "reason_aggregate", lang)
    return say(
        "accounts",
        "reason_" + actor.rule,
        lang,
        kind=say("accounts", "kind_" + (actor.kind or "association"), lang),
    )


def to_workbook(proposal: Proposal, lang: str = "fr") -> RawWorkbook:
    """The proposed chain as a centre's workbook: the centre, the actors (each with why) and
    the flows (each with its accounts, its entries and the rule that decided its nature)."""
    from valuechain.workbook.writing import raw_workbook_from_records

    lang = language(lang).code
    entries_column = say("accounts", "column_entries", lang)
    accounts_column = say("accounts", "column_accounts", lang)
    rule_column = say("accounts", "column_rule", lang)
    actors: list[dict[str, object]] = [{"name": proposal.centre, "category": "centre"}]
    for actor in proposal.actors.values():
        actors.append(
            {
                "name": actor.name,
                "category": actor.category,
                "description": reason(actor, lang),
                "tags": say("accounts", "tag_from_accounts", lang),
            }
        )
    flows: list[dict[str, object]] = []
    for flow in proposal.flows:
        if flow.cents <= 0:
            continue
        references = flow.references[:MAX_REFERENCES]
        more = max(flow.entries, len(flow.references)) - len(references)
        listed = " | ".join(references) + (
            f" | … (+{format_decimal(more, locale=language(lang).locale)})" if more > 0 else ""
        )
        hours = flow.known_hours()
        flows.append(
            {
                "source": flow.source,
                "target": proposal.centre,
                "nature": flow.nature,
                "quantity": hours if hours is not None else round(flow.cents / 100, 2),
                "unit": "h" if hours is not None else "€",
                "value": round(flow.cents / 100, 2),
                "data_source": DATA_SOURCE,
                "year": proposal.year,
                "description": say("accounts", "flow_" + flow.group[:1] + "x", lang, group=flow.group),
                accounts_column: " | ".join(sorted(flow.accounts)),
                entries_column: listed,
                rule_column: " ; ".join(say("accounts", "rule_" + rule, lang) for rule in flow.rules),
            }
        )
    centre: dict[str, object] = {"name": proposal.centre}
    if proposal.year is not None:
        centre["year"] = proposal.year
    return raw_workbook_from_records(proposal.centre, centre, actors=actors, flows=flows)


def left_out_sentence(proposal: Proposal, lang: str) -> str | None:
    """What reading left out, in one sentence: the lines and the total of those whose amount
    was read; a line whose amount could not be read is said so (its value is unknown, not 0 €)."""
    if not proposal.left_out_lines:
        return None
    unreadable = proposal.left_out_unreadable
    read = proposal.left_out_lines - unreadable
    if not unreadable:
        return say("accounts", "left_out", lang, count=read, amount=euros(proposal.left_out_cents, lang))
    if not read:
        return say("accounts", "left_out_unreadable", lang, count=unreadable)
    return say(
        "accounts",
        "left_out_some_unreadable",
        lang,
        count=proposal.left_out_lines,
        read=say("accounts", "left_out_read_part", lang, count=read, amount=euros(proposal.left_out_cents, lang)),
        unreadable=say("accounts", "left_out_unreadable_part", lang, count=unreadable),
    )


def summary(proposal: Proposal, lang: str) -> list[str]:
    """The reconciliation in sentences: one per account class, then what was left out."""
    lines = [row.sentence(lang) for row in proposal.reconciliation]
    left_out = left_out_sentence(proposal, lang)
    if left_out is not None:
        lines.append(left_out)
    return lines

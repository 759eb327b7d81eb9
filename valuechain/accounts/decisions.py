"""The director's review of a proposed chain, as data: actors renamed, merged, re-categorised
or left out; flows linked to an activity or left out; an account's lines left out. Applied to
the proposal, they give a new proposal whose reconciliation stays true: what is left out is
said with its lines and its total, and, class by class, chain + left out = the chain proposed
(= the accounts, when every flow is positive).

Decisions name the actors and flows **of the proposal** (``flow_key``), never of an earlier
review: the page keeps them and applies them again to the same proposal at each change.

>>> decisions = Decisions(renamed={"CAF DE LA DROME": "CAF de la Drôme"})
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from valuechain.accounts.fec import header_key
from valuechain.accounts.propose import (
    GROUPS,
    Proposal,
    ProposedActor,
    ProposedFlow,
    Reconciled,
    euros,
    is_person,
    to_workbook,
)
from valuechain.model import RawRow, RawWorkbook
from valuechain.vocabulary import CATEGORIES, NATURES, TABLES_BY_CODE
from valuechain.words.messages import say


def flow_key(flow: ProposedFlow) -> str:
    """What names a proposed flow in the decisions: its class, its nature and its source."""
    return f"{flow.group} · {flow.nature} · {flow.source}"


@dataclass
class Decisions:
    """What the director decided, by the proposal's actor names and flow keys."""

    renamed: dict[str, str] = field(default_factory=dict)  # actor → its new name
    merged: dict[str, str] = field(default_factory=dict)  # actor → the actor it joins
    categories: dict[str, str] = field(default_factory=dict)  # actor → a category code
    activities: dict[str, str] = field(default_factory=dict)  # flow key → an activity's name
    left_out_actors: set[str] = field(default_factory=set)  # the actor and all its flows
    left_out_flows: set[str] = field(default_factory=set)  # flow keys
    left_out_accounts: set[str] = field(default_factory=set)  # account numbers: their lines

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))


@dataclass
class ReviewedFlow(ProposedFlow):
    activity: str = ""  # the activity the exchange belongs to (the workbook's ``activite``)


@dataclass
class SetAside:
    """What one decision left out of the chain: its lines and cents, by account class."""

    what: str  # an actor's name, a flow's key or an account number, as the proposal says it
    group: str
    lines: int = 0
    cents: int = 0


@dataclass
class Reviewed:
    """The proposal as reviewed, what was left out (``set_aside``) and the decisions that
    could not be taken, each in one sentence (``refused``)."""

    proposal: Proposal
    set_aside: list[SetAside] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def set_aside_by_class(self) -> dict[str, tuple[int, int]]:
        """Class → (lines, cents) left out; the contributions in kind (86) count in 87 too,
        as their chain does."""
        found: dict[str, list[int]] = {}
        for item in self.set_aside:
            groups = (item.group, "87") if item.group == "86" else (item.group,)
            for group in groups:
                counted = found.setdefault(group, [0, 0])
                counted[0] += item.lines
                counted[1] += item.cents
        return {group: (counted[0], counted[1]) for group, counted in found.items()}

    def total_set_aside(self) -> tuple[int, int]:
        return sum(item.lines for item in self.set_aside), sum(item.cents for item in self.set_aside)

    def lines(self, lang: str) -> list[str]:
        """The reconciliation class by class, with what was left out, then what was refused."""
        by_class = self.set_aside_by_class()
        said = []
        for row in self.proposal.reconciliation:
            lines, cents = by_class.get(row.group, (0, 0))
            if cents or lines:
                said.append(
                    say(
                        "accounts_review",
                        "reconciled_set_aside",
                        lang,
                        group=row.group,
                        accounts=euros(row.accounts, lang),
                        chain=euros(row.chain, lang),
                        amount=euros(cents, lang),
                        count=lines,
                    )
                )
            else:
                said.append(row.sentence(lang))
        count, cents = self.total_set_aside()
        if count or cents:
            said.append(say("accounts_review", "set_aside", lang, count=count, amount=euros(cents, lang)))
        return said + self.refused


def _resolved(proposal: Proposal, decisions: Decisions, lang: str, refused: list[str]) -> dict[str, tuple[str, str]]:
    """Each actor of the proposal → (the actor of the proposal it joins, the name it has after
    renames and merges). A name given twice (an actor renamed as another) is one actor: the
    first keeps it."""
    named: dict[str, str] = {}
    for name in proposal.actors:
        new = " ".join(str(decisions.renamed.get(name) or "").split())
        if not new or new == name:
            named[name] = name
        elif is_person(new):
            refused.append(say("accounts_review", "rename_person", lang, name=name, new=new))
            named[name] = name
        elif header_key(new) == header_key(proposal.centre):
            refused.append(say("accounts_review", "rename_centre", lang, name=name, new=new))
            named[name] = name
        else:
            named[name] = new

    def joined(name: str) -> str:
        seen = {name}
        while (into := decisions.merged.get(name)) in proposal.actors and into not in seen:
            seen.add(into)
            name = into
        return name

    first_of_key: dict[str, tuple[str, str]] = {}
    for name in proposal.actors:  # the actors joined by others first: their name and category win
        root = joined(name)
        first_of_key.setdefault(header_key(named[root]), (root, named[root]))
    return {name: first_of_key[header_key(named[joined(name)])] for name in proposal.actors}


def apply(proposal: Proposal, decisions: Decisions, lang: str = "fr") -> Reviewed:
    """The proposal with the director's ``decisions`` taken: a new proposal (``proposal`` is
    not changed) whose flows of one source, nature, class and activity are one flow (their
    cents summed, their accounts, entries and rules kept together), its reconciliation
    recounted, and what was left out said."""
    refused: list[str] = []
    resolved = _resolved(proposal, decisions, lang, refused)
    # An actor left out takes its flows with it, and those of the actors merged into it.
    out = {name for name, (root, _final) in resolved.items() if {name, root} & decisions.left_out_actors}
    actors: dict[str, ProposedActor] = {}
    for name in proposal.actors:
        root, final = resolved[name]
        if name in out or final in actors:
            continue
        kept = proposal.actors[root]
        category = decisions.categories.get(root) or kept.category
        if category not in CATEGORIES.codes or category == "centre":
            refused.append(say("accounts_review", "category_unknown", lang, name=final, category=category))
            category = kept.category
        actors[final] = dataclasses.replace(kept, name=final, category=category)

    reviewed = Reviewed(proposal, refused=refused)
    flows: dict[tuple[str, str, str, str], ReviewedFlow] = {}
    for flow in proposal.flows:
        key, final = flow_key(flow), resolved.get(flow.source, (flow.source, flow.source))[1]
        if flow.source in out or key in decisions.left_out_flows:
            if flow.cents > 0:
                lines = sum(counted[1] for counted in flow.by_account.values())
                reviewed.set_aside.append(SetAside(key, flow.group, lines, flow.cents))
            continue
        cents, by_account = flow.cents, {account: list(counted) for account, counted in flow.by_account.items()}
        for account in sorted(set(by_account) & decisions.left_out_accounts):
            account_cents, account_lines = by_account.pop(account)
            if flow.cents > 0:
                reviewed.set_aside.append(SetAside(account, flow.group, account_lines, account_cents))
            cents -= account_cents
        if not by_account and flow.by_account:
            continue
        activity = " ".join(str(decisions.activities.get(key) or "").split())
        joined = flows.get((final, flow.nature, flow.group, header_key(activity)))
        if joined is None:
            joined = flows[(final, flow.nature, flow.group, header_key(activity))] = ReviewedFlow(
                final, flow.nature, flow.group, activity=activity
            )
        joined.cents += cents
        joined.accounts.update(account for account in flow.accounts if account not in decisions.left_out_accounts)
        joined.rules += [rule for rule in flow.rules if rule not in joined.rules]
        dropped = [reference for reference in flow.references if _all_left_out(flow, reference, decisions)]
        joined.references += [
            reference
            for reference in flow.references
            if reference not in joined.references and reference not in dropped
        ]
        joined.entries += max(flow.entries, len(flow.references)) - len(dropped)
        joined.hours += flow.hours - sum(
            hours for account, hours in flow.hours_by_account.items() if account in decisions.left_out_accounts
        )
        joined.hours_missing = joined.hours_missing or flow.hours_missing
        for account, hours in flow.hours_by_account.items():
            if account not in decisions.left_out_accounts:
                joined.hours_by_account[account] = joined.hours_by_account.get(account, 0.0) + hours
        for account, counted in by_account.items():
            total = joined.by_account.setdefault(account, [0, 0])
            total[0] += counted[0]
            total[1] += counted[1]

    chain = dict.fromkeys(GROUPS, 0)
    for reviewed_flow in flows.values():
        if reviewed_flow.cents > 0:
            chain[reviewed_flow.group] += reviewed_flow.cents
    chain["87"] += chain["86"]  # the contributions in kind are counted once, from their use (86)
    reviewed.proposal = dataclasses.replace(
        proposal,
        actors=actors,
        flows=list(flows.values()),
        reconciliation=[Reconciled(row.group, row.accounts, chain[row.group]) for row in proposal.reconciliation],
    )
    return reviewed


def workbook(proposal: Proposal, lang: str = "fr") -> RawWorkbook:
    """``propose.to_workbook``, each flow with the activity it was linked to and those
    activities in the workbook's activities."""
    raw = to_workbook(proposal, lang)
    written = [flow for flow in proposal.flows if flow.cents > 0]
    activities: dict[str, str] = {}
    for row, flow in zip(raw.tables["flows"].rows, written):
        activity = getattr(flow, "activity", "")
        if activity:
            row.cells["activity"] = activity
            activities.setdefault(header_key(activity), activity)
    if activities:
        raw.tables["flows"].add_columns(["activity"])
        spec = TABLES_BY_CODE["activities"]
        table = raw.table("activities")
        table.add_columns([column.code for column in spec.columns])
        for number, name in enumerate(activities.values(), start=2):
            table.rows.append(RawRow(spec.sheet_name("fr"), number, {"name": name}))
    return raw


def flow_label(flow: ProposedFlow, lang: str) -> str:
    """A flow as the director reads it: its source, its nature and its class."""
    return say(
        "accounts_review",
        "flow_label",
        lang,
        source=flow.source,
        nature=NATURES.label(flow.nature, lang),
        group=flow.group,
    )


def _all_left_out(flow: ProposedFlow, reference: str, decisions: Decisions) -> bool:
    """Whether every line of entry ``reference`` in ``flow`` is on an account left out: the
    entry then no longer stands behind any euro of the flow."""
    accounts = flow.reference_accounts.get(reference, set())
    return bool(accounts) and accounts <= decisions.left_out_accounts

"""A centre's value chain across its stored years: who stayed, who came, who left, and how much
of each year's resources is new (the Fonda's *renouvellement des ressources*).

Definitions, with a worked example, in ``docs/indicateurs.md`` ("Évolution d'une année à
l'autre"). The years are the newest version of each year of one centre; each year's actors are
matched to the year before's (``match_nodes``): by id, then by name, then as the user confirmed
or undid (``MatchDecision``, kept in the store by ``valuechain.access.service``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from valuechain.chain import metrics
from valuechain.chain.graph import ACTIVITY, is_activity_node, is_actor_node
from valuechain.chain.metrics import Number, resource_flows
from valuechain.vocabulary import normalise_key, normalise_reference

# How a node of year N came to be matched to one of year N − 1.
BY_ID, BY_NAME, CONFIRMED, CENTRE = "id", "name", "confirmed", "centre"
# What happened to a node or a flow from N − 1 to N.
NEW, KEPT, LOST, GREW, SHRANK = "new", "kept", "lost", "grew", "shrank"
# A node of year N − 1 that is gone, in the change graph of year N (never a workbook's id: a
# workbook id is a cell's text, and no cell holds a NUL).
LOST_PREFIX = "\0lost\0"


@dataclass(frozen=True)
class MatchDecision:
    """A person's word on a match of year ``year``: ``confirmed`` pairs two actors the program
    did not pair (a funder renamed), otherwise the pair proposed by id or name is undone (two
    associations of the same name). Keys are ``normalise_reference`` of the node ids."""

    year: int
    current: str
    previous: str
    confirmed: bool


@dataclass(frozen=True)
class Match:
    current: str  # node id in year N
    previous: str  # node id in year N − 1
    how: str  # BY_ID, BY_NAME, CONFIRMED or CENTRE


def node_key(node: str) -> str:
    """How a node is named in a decision and in the store: its id, as references are compared."""
    return normalise_reference(node)


def _kind(graph: nx.MultiDiGraph, node: str) -> str:
    return ACTIVITY if is_activity_node(graph.nodes[node]) else "actor"


def match_nodes(
    previous: nx.MultiDiGraph, current: nx.MultiDiGraph, decisions: Iterable[MatchDecision] = ()
) -> dict[str, Match]:
    """Each node of ``current`` (year N) matched to at most one node of ``previous`` (N − 1),
    of the same kind (an actor to an actor, an activity to an activity): the centre to the
    centre; then the pairs a person confirmed; then the same id; then the same name (ids and
    names compared as references are: trimmed, spaces collapsed, case ignored). A pair a
    person undid is never made. Nothing else pairs two actors: not their category, their
    amounts nor being the only one gone and the only one come (a funder that stopped and
    another that started are two funders, unless a person confirms one was renamed)."""
    undone = {(d.current, d.previous) for d in decisions if not d.confirmed}
    confirmed = [(d.current, d.previous) for d in decisions if d.confirmed]
    by_key_now = {node_key(n): n for n in current.nodes}
    by_key_before = {node_key(n): n for n in previous.nodes}
    matches: dict[str, Match] = {}
    taken: set[str] = set()

    def pair(now: str, before: str, how: str) -> None:
        if now in matches or before in taken or (node_key(now), node_key(before)) in undone:
            return
        if _kind(current, now) != _kind(previous, before):
            return
        matches[now] = Match(now, before, how)
        taken.add(before)

    centre_now, centre_before = current.graph.get("centre"), previous.graph.get("centre")
    if centre_now in current and centre_before in previous:
        matches[centre_now] = Match(centre_now, centre_before, CENTRE)
        taken.add(centre_before)
    for now_key, before_key in confirmed:
        if now_key in by_key_now and before_key in by_key_before:
            pair(by_key_now[now_key], by_key_before[before_key], CONFIRMED)
    for key, now in by_key_now.items():
        if key in by_key_before:
            pair(now, by_key_before[key], BY_ID)
    names_before: dict[str, list[str]] = {}
    for node, data in previous.nodes(data=True):
        names_before.setdefault(normalise_reference(data.get("name")), []).append(node)
    for node, data in current.nodes(data=True):
        for before in names_before.get(normalise_reference(data.get("name")), []):
            pair(node, before, BY_NAME)
    return matches


def _contributions(graph: nx.MultiDiGraph) -> tuple[dict[str, float], dict[str, float]]:
    """Each contributor's resources in euros (``metrics.contributions``, the one figure) and in
    hours (the hours of its resource flows, a day counted 7 h)."""
    euros = {c.actor: c.value for c in metrics.contributions(graph)}
    hours = dict.fromkeys(euros, 0.0)
    for flow in resource_flows(graph):
        hours[flow.source] += flow.data["hours"] or 0.0
    return euros, hours


@dataclass(frozen=True)
class Renewal:
    """Renouvellement des ressources / Renewal of resources, from year N − 1 to year N."""

    year: int | None
    previous_year: int | None
    resources: float  # R of year N
    previous_resources: float  # R of year N − 1
    from_new: float  # € of year N from contributors who were not contributors in N − 1
    lost: float  # € of year N − 1 from contributors who contribute nothing in N
    hours: float  # hours of year N's resource flows
    previous_hours: float
    hours_from_new: float
    hours_lost: float
    kept: tuple[str, ...]  # names of the contributors of both years (year N's names)
    new: tuple[str, ...]  # names of year N's new contributors
    gone: tuple[str, ...]  # names of year N − 1's contributors who left

    @property
    def new_share(self) -> Number:
        """Part des ressources nouvelles: € from new contributors / R of year N."""
        return metrics._ratio(self.from_new, self.resources, "no_resources")

    @property
    def lost_share(self) -> Number:
        """Part des ressources perdues: € of N − 1 from contributors gone / R of N − 1."""
        return metrics._ratio(self.lost, self.previous_resources, "no_resources")

    @property
    def new_hours_share(self) -> Number:
        return metrics._ratio(self.hours_from_new, self.hours, "no_hours")

    @property
    def lost_hours_share(self) -> Number:
        return metrics._ratio(self.hours_lost, self.previous_hours, "no_hours")


def renewal(previous: nx.MultiDiGraph, current: nx.MultiDiGraph, matches: dict[str, Match]) -> Renewal:
    """Renouvellement des ressources from ``previous`` (N − 1) to ``current`` (N), actors paired
    by ``matches`` (``match_nodes``). Worked example of docs/indicateurs.md, 2025 → 2026:
    3 480.80 € of 51 526.20 € from new contributors (6.76 %), 5 360.60 € of 50 965.60 € lost
    (10.52 %); 40 h of 310 h new, 30 h of 280 h lost; four contributors kept."""
    euros_now, hours_now = _contributions(current)
    euros_before, hours_before = _contributions(previous)
    before_of = {m.current: m.previous for m in matches.values()}
    stayed_before = {before_of[a] for a in euros_now if before_of.get(a) in euros_before}
    new = [a for a in euros_now if before_of.get(a) not in euros_before]
    gone = [a for a in euros_before if a not in stayed_before]
    kept = [a for a in euros_now if before_of.get(a) in euros_before]

    def names(graph: nx.MultiDiGraph, nodes: list[str]) -> tuple[str, ...]:
        return tuple(sorted((str(graph.nodes[n]["name"]) for n in nodes), key=str.casefold))

    return Renewal(
        year=current.graph.get("year"),
        previous_year=previous.graph.get("year"),
        resources=sum(euros_now.values()),
        previous_resources=sum(euros_before.values()),
        from_new=sum(euros_now[a] for a in new),
        lost=sum(euros_before[a] for a in gone),
        hours=sum(hours_now.values()),
        previous_hours=sum(hours_before.values()),
        hours_from_new=sum(hours_now[a] for a in new),
        hours_lost=sum(hours_before[a] for a in gone),
        kept=names(current, kept),
        new=names(current, new),
        gone=names(previous, gone),
    )


# The funders' renewal as the accounts show it ------------------------------------------------------------
# People, even gathered in one actor (users, members, donors, volunteers), give money but fund
# nothing: they are not funders.
NOT_FUNDERS = frozenset({"habitants", "benevoles"})
_FROM_THE_ACCOUNTS = ("compta", "account")  # "comptabilité", as the Comptes page writes it; "accounts"


def from_the_accounts(data_source: object) -> bool:
    """Whether a flow's ``source_donnee`` says it was measured from the accounts (the flows
    the Comptes (FEC) page proposes say ``comptabilité``)."""
    return normalise_key(data_source).startswith(_FROM_THE_ACCOUNTS)


def _funders_in_accounts(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Each funder's euros from the accounts: its money given to the centre or its activities
    (``monetaire`` resource flows) whose data source is the accounts, by actor."""
    funded: dict[str, float] = {}
    for flow in resource_flows(graph):
        data = flow.data
        if data["nature"] != "monetaire" or not from_the_accounts(data.get("data_source")):
            continue
        if graph.nodes[flow.source].get("category") in NOT_FUNDERS:
            continue
        funded[flow.source] = funded.get(flow.source, 0.0) + (data.get("value") or 0.0)
    return funded


@dataclass(frozen=True)
class FunderYears:
    """One funder's money from the accounts in year N − 1 and year N: ``change`` KEPT (renewed),
    NEW (none in N − 1) or LOST (stopped: none in N)."""

    name: str  # year N's name, or year N − 1's for a funder that stopped
    previous: float
    current: float
    change: str


@dataclass(frozen=True)
class FundersRenewal:
    """Renouvellement des financeurs d'après les comptes / the funders' renewal from the
    accounts, from year N − 1 to year N: renewed first, then new, then stopped, largest first."""

    year: int | None
    previous_year: int | None
    funders: tuple[FunderYears, ...]

    def of(self, change: str) -> tuple[FunderYears, ...]:
        return tuple(f for f in self.funders if f.change == change)

    @property
    def total(self) -> float:
        return sum(f.current for f in self.funders)

    @property
    def previous_total(self) -> float:
        return sum(f.previous for f in self.funders)

    @property
    def from_new(self) -> float:
        return sum(f.current for f in self.of(NEW))

    @property
    def stopped(self) -> float:
        return sum(f.previous for f in self.of(LOST))

    @property
    def new_share(self) -> Number:
        """Part des financements nouveaux: € of year N's new funders / year N's funders' €."""
        return metrics._ratio(self.from_new, self.total, "no_resources")

    @property
    def stopped_share(self) -> Number:
        """Part des financements arrêtés: € of year N − 1 from funders gone / year N − 1's funders' €."""
        return metrics._ratio(self.stopped, self.previous_total, "no_resources")


def funders_renewal(
    previous: nx.MultiDiGraph, current: nx.MultiDiGraph, matches: dict[str, Match]
) -> FundersRenewal | None:
    """The funders' renewal from ``previous`` (N − 1) to ``current`` (N) as the accounts show
    it: the money of each funder (an actor that is not inhabitants or volunteers) in the
    ``monetaire`` flows measured from the accounts (``from_the_accounts``), paired by ``matches``;
    which funders renewed, are new, stopped, with their euros each year. ``None`` unless both
    years hold flows from the accounts (a year typed by hand would make every funder new).

    Worked example of docs/comptes.md, La Passerelle 2024 → 2025 (its two FECs): 199 400 € from
    the accounts' funders in 2025, 184 020 € in 2024; seven renewed (179 520 € → 193 400 €), the
    Région new (6 000 €, 3.01 %), the CARSAT stopped (4 500 €, 2.45 %)."""
    now, before = _funders_in_accounts(current), _funders_in_accounts(previous)
    if not now or not before:
        return None
    before_of = {m.current: m.previous for m in matches.values()}
    renewed = [
        FunderYears(str(current.nodes[a]["name"]), before[before_of[a]], now[a], KEPT)
        for a in now
        if before_of.get(a) in before
    ]
    stayed = {before_of[a] for a in now if before_of.get(a) in before}
    new = [FunderYears(str(current.nodes[a]["name"]), 0.0, now[a], NEW) for a in now if before_of.get(a) not in before]
    stopped = [FunderYears(str(previous.nodes[a]["name"]), before[a], 0.0, LOST) for a in before if a not in stayed]

    def largest_first(found: list[FunderYears]) -> list[FunderYears]:
        return sorted(found, key=lambda f: (-max(f.current, f.previous), f.name.casefold()))

    return FundersRenewal(
        year=current.graph.get("year"),
        previous_year=previous.graph.get("year"),
        funders=tuple(largest_first(renewed) + largest_first(new) + largest_first(stopped)),
    )


def _flow_groups(graph: nx.MultiDiGraph, rename: dict[str, str]) -> dict[tuple[str, str, str], dict]:
    """The flows of a year by (source, target, nature), ends renamed to year N's ids: summed
    value and hours, how many flows, whether any is tangible, the worst evidence."""
    groups: dict[tuple[str, str, str], dict] = {}
    for source, target, data in graph.edges(data=True):
        key = (rename.get(source, source), rename.get(target, target), data["nature"])
        group = groups.setdefault(
            key,
            {
                "value": 0.0,
                "hours": 0.0,
                "flows": 0,
                "tangible": False,
                "estimated": False,
                "quantity": 0.0,
                "unit": data.get("unit"),
            },
        )
        group["value"] += data.get("value") or 0.0
        group["hours"] += data.get("hours") or 0.0
        group["quantity"] += data.get("quantity") or 0.0
        group["flows"] += 1
        group["tangible"] = group["tangible"] or bool(data.get("tangible", True))
        group["estimated"] = group["estimated"] or data.get("evidence") == "estime"
        if group["unit"] != data.get("unit"):
            group["unit"] = None  # flows in several units: their quantities do not add up
    return groups


def _measure(group: dict | None) -> float:
    """What a flow's change is measured in: its value, else its hours, else its quantity."""
    if group is None:
        return 0.0
    return group["value"] or group["hours"] or group["quantity"] or 0.0


def chain_changes(previous: nx.MultiDiGraph, current: nx.MultiDiGraph, matches: dict[str, Match]) -> nx.MultiDiGraph:
    """Year N's chain with what changed since N − 1: every node of N (``change`` NEW or KEPT),
    the nodes of N − 1 that are gone (``change`` LOST, id ``LOST_PREFIX`` + their id), and one
    edge per (source, target, nature) of either year, with its value in both years and
    ``change`` NEW, LOST, GREW, SHRANK or KEPT (same measure)."""
    changed = nx.MultiDiGraph(**current.graph)
    now_of = {m.previous: m.current for m in matches.values()}
    for node, data in current.nodes(data=True):
        changed.add_node(node, **data, change=KEPT if node in matches else NEW)
    rename = {}
    for node, data in previous.nodes(data=True):
        if node in now_of:
            rename[node] = now_of[node]
        else:
            rename[node] = LOST_PREFIX + node
            changed.add_node(rename[node], **data, change=LOST)
    now, before = _flow_groups(current, {}), _flow_groups(previous, rename)
    for key in [*now, *(k for k in before if k not in now)]:
        source, target, nature = key
        group_now, group_before = now.get(key), before.get(key)
        shown = group_now or group_before
        assert shown is not None
        measure_now, measure_before = _measure(group_now), _measure(group_before)
        if group_before is None:
            change = NEW
        elif group_now is None:
            change = LOST
        elif measure_now > measure_before + 1e-9:
            change = GREW
        elif measure_now < measure_before - 1e-9:
            change = SHRANK
        else:
            change = KEPT
        changed.add_edge(
            source,
            target,
            nature=nature,
            change=change,
            value=group_now["value"] if group_now else 0.0,
            value_before=group_before["value"] if group_before else 0.0,
            measure=measure_now,
            measure_before=measure_before,
            unit=shown["unit"],
            hours=shown["hours"],
            flows=shown["flows"],
            tangible=shown["tangible"],
            estimated=bool(group_now and group_now["estimated"]),
        )
    return changed


def identities(graphs: list[nx.MultiDiGraph], matches: list[dict[str, Match]]) -> list[dict[str, str]]:
    """One identity per node across the years, so that a node keeps its place on the map from
    year to year: a node of the first year is its own id; a node matched to the year before
    takes that node's identity; an unmatched one is ``"<year index>:<id>"``. ``matches[i]`` pairs
    ``graphs[i + 1]`` with ``graphs[i]``."""
    result: list[dict[str, str]] = [{node: node for node in graphs[0].nodes}] if graphs else []
    for index, graph in enumerate(graphs[1:], start=1):
        earlier = result[-1]
        paired = matches[index - 1]
        result.append(
            {node: earlier[paired[node].previous] if node in paired else f"{index}:{node}" for node in graph.nodes}
        )
    return result


def union_graph(graphs: list[nx.MultiDiGraph], named: list[dict[str, str]]) -> nx.MultiDiGraph:
    """Every year's nodes and flows on their identities (``identities``): laid out once, it gives
    each node one place for all the years."""
    union = nx.MultiDiGraph(**(graphs[-1].graph if graphs else {}))
    for graph, identity in zip(graphs, named):
        for node, data in graph.nodes(data=True):
            union.add_node(identity[node], **data)
        for source, target, data in graph.edges(data=True):
            union.add_edge(identity[source], identity[target], **data)
    return union


@dataclass(frozen=True)
class Pairing:
    """Who is who between a year and the year stored before it, as a person reviews it: the
    pairs by id (counted), the pairs to confirm or undo (by their name this year), the pairs a
    person undid, and the actors of each year paired with none (by name): those are offered to
    a person to pair, never paired nor proposed for them (``match_nodes``)."""

    by_id: list[Match]
    proposed: list[Match]
    undone: list[MatchDecision]
    unpaired_now: list[str]
    unpaired_before: list[str]


@dataclass
class Evolution:
    """A centre's stored years, oldest first, each with its chain, its figures (``report --json``)
    and, from the second year on, its matches, renewal and changes from the year before."""

    years: list[int]
    graphs: list[nx.MultiDiGraph]
    reports: list[dict]
    matches: list[dict[str, Match]] = field(default_factory=list)  # matches[i]: year i + 1 → year i
    renewals: list[Renewal] = field(default_factory=list)  # renewals[i]: year i → year i + 1
    # funders[i]: year i → year i + 1, from the accounts (None when a year has no flow from them)
    funders: list[FundersRenewal | None] = field(default_factory=list)
    decisions: tuple[MatchDecision, ...] = ()  # what people decided of the matches

    def index(self, year: int) -> int:
        return self.years.index(year)

    def changes(self, year: int) -> nx.MultiDiGraph:
        """Year ``year``'s chain with its changes since the year before (the first year: all kept)."""
        index = self.index(year)
        if index == 0:
            first = nx.MultiDiGraph(**self.graphs[0].graph)
            first.add_nodes_from((n, dict(d, change=KEPT)) for n, d in self.graphs[0].nodes(data=True))
            for source, target, data in self.graphs[0].edges(data=True):
                first.add_edge(source, target, **data, change=KEPT, value_before=data.get("value") or 0.0)
            return first
        return chain_changes(self.graphs[index - 1], self.graphs[index], self.matches[index - 1])

    def previous_year(self, year: int) -> int | None:
        """The stored year before ``year`` (not always ``year - 1``: a year may be missing)."""
        index = self.index(year)
        return self.years[index - 1] if index else None

    def renewal(self, year: int) -> Renewal | None:
        index = self.index(year)
        return self.renewals[index - 1] if index > 0 else None

    def funders_renewal(self, year: int) -> FundersRenewal | None:
        """The funders' renewal from the accounts, from the year stored before ``year``."""
        index = self.index(year)
        return self.funders[index - 1] if index > 0 else None

    def pairing(self, year: int) -> Pairing:
        """Year ``year``'s actors against the year before's (not the first year)."""
        index = self.index(year)
        now, before = self.graphs[index], self.graphs[index - 1]
        matches = self.matches[index - 1]

        def named(graph: nx.MultiDiGraph) -> Callable[[str], str]:
            return lambda node: str(graph.nodes[node]["name"]).casefold()

        shown = [m for m in matches.values() if m.how != CENTRE]
        paired_before = {m.previous for m in matches.values()}
        return Pairing(
            by_id=[m for m in shown if m.how == BY_ID],
            proposed=sorted((m for m in shown if m.how != BY_ID), key=lambda m: named(now)(m.current)),
            undone=[d for d in self.decisions if d.year == year and not d.confirmed],
            unpaired_now=sorted(
                (n for n, d in now.nodes(data=True) if n not in matches and is_actor_node(d)), key=named(now)
            ),
            unpaired_before=sorted(
                (n for n, d in before.nodes(data=True) if n not in paired_before and is_actor_node(d)),
                key=named(before),
            ),
        )

    @property
    def largest_year(self) -> int:
        """How many nodes the largest year's chain has."""
        return max(graph.number_of_nodes() for graph in self.graphs)


def evolution(years: list[tuple[int, nx.MultiDiGraph, dict]], decisions: Iterable[MatchDecision] = ()) -> Evolution:
    """The evolution of one centre from its years (year, chain, figures), in any order; years
    that follow each other in the list are compared even when a year is missing between them
    (a centre that did not report in 2025 is compared 2024 → 2026, and says so)."""
    ordered = sorted(years, key=lambda item: item[0])
    decided = list(decisions)
    result = Evolution(
        [y for y, _, _ in ordered], [g for _, g, _ in ordered], [r for _, _, r in ordered], decisions=tuple(decided)
    )
    for index in range(1, len(ordered)):
        year = result.years[index]
        previous, current = result.graphs[index - 1], result.graphs[index]
        matches = match_nodes(previous, current, [d for d in decided if d.year == year])
        result.matches.append(matches)
        result.renewals.append(renewal(previous, current, matches))
        result.funders.append(funders_renewal(previous, current, matches))
    return result


def trend(reports: list[dict], codes: Iterable[str]) -> dict[str, list[tuple[int, float | None]]]:
    """Each figure's value year after year (a figure with an actor, its share), from the
    figures of ``report --json``, oldest year first."""
    from valuechain.chain.compare import figure_value

    ordered = sorted((r for r in reports if r.get("year") is not None), key=lambda r: r["year"])
    return {code: [(r["year"], figure_value(r, code)) for r in ordered] for code in codes}


def _share(value: Number) -> float | None:
    return None if isinstance(value, metrics.Undefined) else round(value, 10)


def renewal_json(found: Renewal) -> dict:
    """A renewal as ``report --since --json`` gives it (shares ``null`` when undefined)."""
    return {
        "year": found.year,
        "previous_year": found.previous_year,
        "resources": round(found.resources, 10),
        "previous_resources": round(found.previous_resources, 10),
        "from_new": round(found.from_new, 10),
        "new_share": _share(found.new_share),
        "lost": round(found.lost, 10),
        "lost_share": _share(found.lost_share),
        "hours": round(found.hours, 10),
        "previous_hours": round(found.previous_hours, 10),
        "hours_from_new": round(found.hours_from_new, 10),
        "new_hours_share": _share(found.new_hours_share),
        "hours_lost": round(found.hours_lost, 10),
        "lost_hours_share": _share(found.lost_hours_share),
        "kept": list(found.kept),
        "new": list(found.new),
        "gone": list(found.gone),
    }


def evolution_json(found: Evolution, codes: Iterable[str], definitions: int) -> dict:
    """The evolution as ``report --since --json`` gives it: the years, each year's renewal from
    the year before, each figure's trend, and the definitions that computed them."""
    return {
        "years": list(found.years),
        "definitions": definitions,
        "renewal": [renewal_json(r) for r in found.renewals],
        "trend": {
            code: [[year, value] for year, value in points] for code, points in trend(found.reports, codes).items()
        },
    }


def years_defined(points: Iterable[tuple[int | None, float | None]]) -> int:
    """How many years of a ``trend`` series have a value: a line needs two."""
    return len({year for year, value in points if year is not None and value is not None})


def years_with_current(stored: Iterable[int], year: int | None) -> list[int]:
    """The years ``with_current`` shows: the stored years before the workbook's ``year``, then
    its year (a workbook with no year follows the last stored year). Only the workbook's
    year, when no stored year comes before it.

    >>> years_with_current([2023, 2024, 2025, 2026], 2025)
    [2023, 2024, 2025]
    >>> years_with_current([2023, 2024], None)
    [2023, 2024, 2025]
    """
    kept = sorted(y for y in stored if year is None or y < year)
    return [*kept, year if year is not None else max(kept, default=0) + 1]


def with_current(
    years: list[tuple[int, nx.MultiDiGraph, dict]],
    decisions: Iterable[MatchDecision],
    year: int | None,
    graph: nx.MultiDiGraph,
    report: dict,
) -> Evolution:
    """The stored years of a centre with the workbook at hand as its newest year: the stored
    years after it are left out, a stored version of its own year is replaced (the workbook may
    be edited). A workbook with no year follows the last stored year."""
    kept = [item for item in years if year is None or item[0] < year]
    shown_year = year if year is not None else max((y for y, _, _ in kept), default=0) + 1
    return evolution([*kept, (shown_year, graph, report)], decisions)

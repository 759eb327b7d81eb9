"""A centre followed year after year under its name: its figures, its value chains and the
matches of its actors across years (``Access``'s part for evolution)."""

from __future__ import annotations

from valuechain.access.audit import Action
from valuechain.access.base import AccessBase
from valuechain.access.policy import Operation
from valuechain.chain import evolution as chain_evolution
from valuechain.errors import Refused
from valuechain.store.schema import CENTRES
from valuechain.vocabulary import normalise_reference


class EvolutionPart(AccessBase):
    def history(self, centre: str) -> list[dict]:
        """A centre's figures, year after year, under its name: its own members, its admins."""
        versions = self.store.latest(centre=centre)
        allowed = [v for v in versions if self.decide(Operation.FIGURES, v.federation, v.centre_id).allowed]
        if allowed:
            years = ", ".join(str(v.year) for v in allowed if v.year is not None)
            self.record_read(allowed[0].federation, allowed[0].centre, f"{Operation.FIGURES.value} {years}")
        return self._current_figures([v.id for v in allowed])

    def followed(self, min_years: int = 1) -> list[dict]:
        """The centres whose years the user may follow under their name (``Operation.FIGURES``:
        a member its own, an admin its federation's, the owner every one), each with its years;
        those with ``min_years`` years or more (two make an evolution)."""
        years: dict[int, set] = {}
        for centre_id, year, _, _ in self._centre_years(Operation.FIGURES):
            if year is not None:
                years.setdefault(centre_id, set()).add(year)
        kept = [centre_id for centre_id, found in years.items() if len(found) >= min_years]
        centres = self.store.centres(CENTRES.c.id.in_(kept)) if kept else []
        return [dict(c, years=sorted(years[c["id"]])) for c in centres]

    def years_with(self, name: str, year: int | None) -> tuple[int, list[int]] | None:
        """The centre a workbook's ``name`` stands for (names compared as the store keys them),
        when the user may follow it and it has stored years before the workbook's ``year``:
        its id, and the years a report with the workbook as the newest would span
        (``evolution.years_with_current``). ``None`` otherwise."""
        key = normalise_reference(name)
        centre = next((c for c in self.followed() if normalise_reference(c["name"]) == key), None)
        if centre is None:
            return None
        years = chain_evolution.years_with_current(centre["years"], year)
        return (centre["id"], years) if len(years) >= 2 else None

    def stored_years(self, centre_id: int, since: int | None = None):
        """A centre's stored years as (year, chain, figures), the newest version of each (from
        ``since`` on), the people's decisions on its matches, and the versions: for whoever may
        follow the centre. Refused alike for a centre that is not there."""
        centre = self._centre(centre_id, Operation.FIGURES)
        versions = [
            v
            for v in self.store.latest(centre=centre["key"])
            if v.year is not None and (since is None or v.year >= since)
        ]
        reports = self._current_figures([v.id for v in versions])
        years = [(v.year, self.store.chain(v), report) for v, report in zip(versions, reports)]
        # Every year's chain, names and all, even of a version nobody opened: a read, logged.
        self.record_read(
            centre["federation"],
            centre["name"],
            f"evolution {', '.join(str(v.year) for v in versions)}",
        )
        return years, self.store.match_decisions(centre["id"]), versions

    def evolution(self, centre_id: int, since: int | None = None):
        """A centre's stored years (``evolution.Evolution``) and the versions it rests on."""
        years, decisions, versions = self.stored_years(centre_id, since)
        return chain_evolution.evolution(years, decisions), versions

    def decide_match(self, centre_id: int, decision, forget: bool = False) -> None:
        """Keep (or, ``forget``, take back) a person's word on a match of a centre's actors
        across years: whoever may import the centre's workbooks may say who is who in them."""
        centre = self._centre(centre_id, Operation.IMPORT)
        # A decision names two actors of two consecutive stored years of this centre, nothing
        # else: the table holds what the page offered, not whatever a caller makes up.
        years = sorted(self.stored_years(centre["id"])[0], key=lambda item: item[0])
        index = next((i for i, (year, _, _) in enumerate(years) if year == decision.year), None)
        if (
            index is None
            or index == 0
            or decision.current not in {chain_evolution.node_key(n) for n in years[index][1]}
            or decision.previous not in {chain_evolution.node_key(n) for n in years[index - 1][1]}
        ):
            raise Refused("unknown_match")
        if forget:
            self.store.forget_match(centre["id"], decision.year, decision.current, decision.previous)
        else:
            self.store.decide_match(centre["id"], decision, by=self.user.person)
        self.record(
            Action.MATCH,
            centre["federation"],
            centre["name"],
            None,
            f"{decision.year}: {'forget' if forget else 'confirm' if decision.confirmed else 'undo'}",
        )

"""Centres side by side, as the user may see them: named, under a letter among five or more,
or only as a federation's distributions (``Access``'s part for comparison and distribution)."""

from __future__ import annotations

from valuechain.access.base import AccessBase
from valuechain.access.policy import MEMBER, Operation
from valuechain.chain import figures as registry
from valuechain.chain.compare import QUALITY, ComparedRow, aliases, comparison_part
from valuechain.chain.distribution import MIN_GROUP, distributions
from valuechain.store.db import Version
from valuechain.words.language import language


def benchmark_report(report: ComparedRow, alias: str) -> ComparedRow:
    """A centre shown as a benchmark: its letter, its year and its compared figures, nothing
    that names it or anyone in it (no town, no federation, no actor, no problem)."""
    compared = comparison_part(report)
    kept = {"centre": alias, "year": compared["year"], "value_by_domain": compared["value_by_domain"] or {}}
    for code in (*registry.COMPARED, *QUALITY):  # read now: the registry may gain a figure
        value = compared[code]
        kept[code] = {"share": value.get("share")} if isinstance(value, dict) else value
    # The social value's ratio and its range only (comparison_part): its outcomes name the people concerned.
    kept["social_value"] = compared["social_value"]
    return kept


class ComparisonPart(AccessBase):
    def compared(self, year: int | None = None, federation: str | None = None) -> list[tuple[Version, bool]]:
        """The newest version of each centre and year the user may compare, each with whether
        its name may be shown."""
        if (year, federation) not in self._compared:
            kept = []
            for version in self.store.latest(year=year, federation=federation):
                decision = self.decide(Operation.COMPARE, version.federation, version.centre_id)
                if decision.allowed:
                    kept.append((version, decision.named))
            self._compared[(year, federation)] = kept
        return list(self._compared[(year, federation)])

    def comparison(
        self, year: int | None = None, federation: str | None = None, lang: str = "fr", anonymise: bool = False
    ) -> list[ComparedRow]:
        """The figures of every centre the user may compare, for a year and a federation. A
        centre the user may not name comes as a benchmark (``benchmark_report``), under a
        letter given among the centres compared; ``anonymise`` does that for every centre."""
        compared = self.compared(year, federation)
        hidden = self._lettered(year, federation, anonymise)
        if 0 < len(hidden) < MIN_GROUP:
            # Under a letter among fewer than five, a centre is easily recognised: those rows
            # are not given at all (the page says why: ``letters_withheld``).
            compared = [(v, named) for v, named in compared if v.centre not in hidden]
            hidden = set()
        reports = self._compared_figures([v.id for v, _ in compared])
        letters = aliases(hidden, language(lang).code) if hidden else {}
        shown = []
        for (version, _named), report in zip(compared, reports):
            # The federation is the store's (an import's --federation wins over the workbook's).
            shown.append(
                benchmark_report(report, letters[version.centre])
                if version.centre in hidden
                else dict(report, version_id=version.id, federation=version.federation)
            )
        return shown

    def letters_withheld(self, year: int | None = None, federation: str | None = None, anonymise: bool = False) -> int:
        """How many centres ``comparison`` leaves out because fewer than ``MIN_GROUP`` would be
        shown under letters."""
        hidden = self._lettered(year, federation, anonymise)
        return len(hidden) if len(hidden) < MIN_GROUP else 0

    def _lettered(self, year: int | None, federation: str | None, anonymise: bool) -> set[str]:
        """The centres a comparison would show under a letter: all (``anonymise``), or those the
        user may not name."""
        return {v.centre for v, named in self.compared(year, federation) if anonymise or not named}

    def distribution(self, year: int, federation: str):
        """A federation's distribution of each figure for a year (``distribution.distributions``),
        over the newest version of each of its centres, with the user's own centre's place when
        the user is a member of one (or the owner, an admin: none). Refused for a federation
        the user has no role in. No row of any centre leaves this method."""
        self.require(Operation.DISTRIBUTION, federation)
        versions = self.store.latest(year=year, federation=federation)
        reports = self._compared_figures([v.id for v in versions])
        own_ids = {r.centre_id for r in self.user.roles if r.kind == MEMBER and r.federation == federation}
        own = next((report for v, report in zip(versions, reports) if v.centre_id in own_ids), None)
        return distributions(reports, own), own

    def distributed(self, federation: str | None) -> list[str]:
        """The federations whose distributions a comparison shows: the one chosen; else the
        user's own (a member's, an admin's); for the owner, the store's one federation, when
        it has only one."""
        if federation:
            return [federation]
        if self.user.owner:
            federations = self.federations()
            return federations if len(federations) == 1 else []
        return self.user.federations()

    def _compared_centre_years(self) -> list[tuple[int, int | None, str | None, bool]]:
        """Each centre and year the user may compare: ``compared()`` for every year."""
        return self._centre_years(Operation.COMPARE)

    def years(self) -> list[int]:
        return sorted({year for _, year, _, _ in self._compared_centre_years() if year is not None})

    def fullest_year(self) -> int | None:
        """The year with the most centres to compare (the newest of those): what a comparison
        opens on, rather than a new year only one centre has reported yet."""
        counts: dict[int, int] = {}
        for _, year, _, _ in self._compared_centre_years():
            if year is not None:
                counts[year] = counts.get(year, 0) + 1
        return max(counts, key=lambda year: (counts[year], year)) if counts else None

    def federations(self) -> list[str]:
        return sorted({federation for _, _, federation, named in self._compared_centre_years() if federation and named})

    def counts(self) -> tuple[int, int]:
        """How many centres, and centre-years, the user may compare."""
        compared = self._compared_centre_years()
        return len({centre_id for centre_id, _, _, _ in compared}), len(compared)

    def _compared_figures(self, version_ids: list[int]) -> list[ComparedRow]:
        """What a comparison shows of these versions, all computed by today's definitions: those
        kept by older ones are computed again and stored first (the store's reads only read)."""
        self.store.recompute(version_ids)
        return self.store.comparison_figures(version_ids)

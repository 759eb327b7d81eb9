"""Centres side by side, as the user may see them: named, under a letter among five or more of
the same year, or only as a federation's distributions (``Access``'s part for comparison and
distribution). Who gets what is decided here; what may be shown of a lettered centre
(``chain.compare.anonymised_row``) and of a distribution (``chain.distribution``) is computed there."""

from __future__ import annotations

from valuechain.access.audit import Action
from valuechain.access.base import AccessBase
from valuechain.access.policy import MEMBER, Operation
from valuechain.chain.compare import ComparedRow, anonymised_row, centres_by_year, letters_by_year
from valuechain.chain.distribution import MIN_GROUP, distributions
from valuechain.store.db import Version
from valuechain.words.language import language


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
        centre the user may not name comes as a benchmark (``anonymised_row``: its letter, its
        year, its figures, nothing that names it or anyone in it), under a letter drawn among the
        centres of its year (``letters_by_year``); ``anonymise`` does that for every centre."""
        compared = self.compared(year, federation)
        withheld = self._withheld(year, federation, anonymise)
        # Under a letter among fewer than five of its year, a centre is easily recognised: those
        # rows are not given at all (the page says why: ``letters_withheld``).
        compared = [(v, named) for v, named in compared if (v.centre, v.year) not in withheld]
        lettered = [(v.centre, v.year) for v, named in compared if anonymise or not named]
        letters = letters_by_year(lettered, language(lang).code)
        reports = self._compared_figures([v.id for v, _ in compared])
        shown = []
        for (version, _named), report in zip(compared, reports):
            letter = letters.get((version.centre, version.year))
            # The federation is the store's (an import's --federation wins over the workbook's).
            shown.append(
                anonymised_row(report, letter)
                if letter
                else dict(report, version_id=version.id, federation=version.federation)
            )
        return shown

    def letters_withheld(self, year: int | None = None, federation: str | None = None, anonymise: bool = False) -> int:
        """How many centres ``comparison`` leaves out because fewer than ``MIN_GROUP`` of their
        year would be shown under letters (a centre counted once a year)."""
        return len(self._withheld(year, federation, anonymise))

    def _withheld(self, year: int | None, federation: str | None, anonymise: bool) -> set[tuple[str, int | None]]:
        """The (centre, year) a comparison would show under a letter among fewer than
        ``MIN_GROUP`` centres of that year: all lettered (``anonymise``), or those the user may
        not name."""
        lettered = [(v.centre, v.year) for v, named in self.compared(year, federation) if anonymise or not named]
        return {
            (centre, at)
            for at, centres in centres_by_year(lettered).items()
            if len(centres) < MIN_GROUP
            for centre in centres
        }

    def distribution(self, year: int, federation: str):
        """A federation's distribution of each figure for a year (``distribution.distributions``),
        over the newest version of each of its centres but the user's own, with the user's own
        centre's place when the user is a member of one (or the owner, an admin: none). The
        member's own centre is never among the centres counted: nothing the member imports moves
        what it is shown of the others. Refused for a federation the user has no role in. No row
        of any centre leaves this method."""
        self.require(Operation.DISTRIBUTION, federation)
        versions = self.store.latest(year=year, federation=federation)
        reports = self._compared_figures([v.id for v in versions])
        own_ids = {r.centre_id for r in self.user.roles if r.kind == MEMBER and r.federation == federation}
        own = next((report for v, report in zip(versions, reports) if v.centre_id in own_ids), None)
        others = [report for v, report in zip(versions, reports) if v.centre_id not in own_ids]
        return distributions(others, own), own

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

    def comparison_file(
        self, year: int | None = None, federation: str | None = None, lang: str = "fr", anonymise: bool = False
    ) -> list[ComparedRow]:
        """``comparison``'s rows for a file taken away (a download), each federation compared
        in the log: a file leaves no trace of what it showed otherwise."""
        rows = self.comparison(year, federation, lang, anonymise)
        detail = f"{Operation.COMPARE.value} {year if year is not None else ''}".strip()
        for shown in sorted({v.federation or "" for v, _ in self.compared(year, federation)}):
            self.record(Action.EXPORT, shown or None, None, None, detail)
        return rows

"""From the accounts' file to what the director reviews: the ledger read, the chain proposed,
the workbook that holds it, and the sentences that reconcile it (the command line and the
page say the same)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from valuechain.accounts.fec import Ledger, read_ledger
from valuechain.accounts.merge import Merged, merge_into
from valuechain.accounts.propose import Proposal, propose, summary, to_workbook
from valuechain.model import RawWorkbook
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.words.messages import say

SHOWN_PROBLEMS = 20


@dataclass
class Review:
    ledger: Ledger
    proposal: Proposal

    def workbook_bytes(self, lang: str) -> bytes:
        from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

        return workbook_bytes(write_raw_workbook(to_workbook(self.proposal, lang), lang))

    def merged_into(self, existing: RawWorkbook, lang: str) -> Merged:
        """The proposal added to the centre's workbook ``existing`` (``merge.merge_into``),
        with the bytes of the workbook to write (``Merged.data``)."""
        from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

        merged = merge_into(existing, self.proposal, lang)
        merged.data = workbook_bytes(write_raw_workbook(merged.workbook, lang))
        return merged

    def lines(self, lang: str) -> list[str]:
        """What was read, what is proposed, the reconciliation, then the first problems."""
        ledger, proposal = self.ledger, self.proposal
        written = [
            say(
                "accounts",
                "read",
                lang,
                count=len(ledger.lines),
                name=ledger.name,
                encoding=ledger.encoding,
                year=ledger.year or "?",
            ),
            say(
                "accounts",
                "proposed",
                lang,
                actors=say("count", "actors", lang, count=len(proposal.actors) + 1),
                flows=say("count", "flows", lang, count=sum(1 for f in proposal.flows if f.cents > 0)),
            ),
            *summary(proposal, lang),
        ]
        written += [problem.located(lang) for problem in proposal.problems[:SHOWN_PROBLEMS]]
        if len(proposal.problems) > SHOWN_PROBLEMS:
            written.append(say("accounts", "more_problems", lang, count=len(proposal.problems) - SHOWN_PROBLEMS))
        return written


def review(
    file: InputFile, centre: str, lang: str = "fr", limits: ReadLimits | None = None, year_end: date | None = None
) -> Review:
    """The accounts ``file`` read and the chain proposed for the centre named ``centre``."""
    ledger = read_ledger(file, limits, year_end)
    return Review(ledger, propose(ledger, centre, lang))

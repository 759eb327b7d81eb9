"""From the accounts' file to what the director reviews: the ledger read, the chain proposed,
the workbook that holds it, and the sentences that reconcile it (the command line and the
page say the same)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from valuechain.accounts.decisions import Decisions, Reviewed, apply, workbook
from valuechain.accounts.fec import Ledger, read_ledger
from valuechain.accounts.merge import Merged, merge_into
from valuechain.accounts.propose import Proposal, propose, summary
from valuechain.model import RawWorkbook
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.words.messages import say

SHOWN_PROBLEMS = 20


@dataclass
class Review:
    ledger: Ledger
    proposal: Proposal
    read_lines: int = 0  # the ledger's lines read (kept when the lines themselves are not)
    reviewed: Reviewed | None = None  # the director's decisions taken (``decided``)

    def __post_init__(self) -> None:
        self.read_lines = self.read_lines or len(self.ledger.lines)

    def without_lines(self) -> Review:
        """The review without the ledger's lines (the proposal keeps every figure and entry
        reference): what a reading worker sends back, and a page keeps, for a large file."""
        ledger = dataclasses.replace(self.ledger, lines=[], left_out=[])
        return dataclasses.replace(self, ledger=ledger)

    def decided(self, decisions: Decisions, lang: str) -> Review:
        """The review with the director's ``decisions`` taken (``decisions.apply``): its
        proposal is the reviewed one, ``reviewed`` says what was left out and refused."""
        reviewed = apply(self.proposal, decisions, lang)
        return dataclasses.replace(self, proposal=reviewed.proposal, reviewed=reviewed)

    def workbook_bytes(self, lang: str) -> bytes:
        from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

        return workbook_bytes(write_raw_workbook(workbook(self.proposal, lang), lang))

    def merged_into(self, existing: RawWorkbook, lang: str) -> Merged:
        """The proposal added to the centre's workbook ``existing`` (``merge.merge_into``),
        with the bytes of the workbook to write (``Merged.data``)."""
        from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

        merged = merge_into(existing, self.proposal, lang)
        if not merged.refused:
            merged.data = workbook_bytes(write_raw_workbook(merged.workbook, lang))
        return merged

    def lines(self, lang: str) -> list[str]:
        """What was read, what is proposed, the reconciliation, then the first problems."""
        ledger, proposal = self.ledger, self.proposal
        # Every data line of the file is counted, those left out too (said with them).
        left_out = proposal.left_out_lines
        written = [
            say(
                "accounts",
                "read_some_left_out" if left_out else "read",
                lang,
                count=left_out or self.read_lines,
                read=say("accounts", "lines_read", lang, count=self.read_lines + left_out),
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
        ]
        # The reconciliation (with what the director left out, once reviewed), then what reading left out.
        written += (
            self.reviewed.lines(lang) if self.reviewed else summary(proposal, lang)[: len(proposal.reconciliation)]
        )
        written += summary(proposal, lang)[len(proposal.reconciliation) :]
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


def _reviewed_without_lines(file: InputFile, centre: str, lang: str, limits: ReadLimits | None) -> Review:
    return review(file, centre, lang, limits).without_lines()


def review_guarded(file: InputFile, centre: str, lang: str = "fr", limits: ReadLimits | None = None) -> Review:
    """``review`` in a reading worker with a memory ceiling (``reading.guard.run_guarded``): a
    50 MB FEC takes some 450 MB while it is read, there and not in the server. The review comes
    back without the ledger's lines (``Review.without_lines``); a file too demanding is one
    sentence (``UnreadableWorkbook``)."""
    from valuechain.reading.guard import run_guarded

    return run_guarded(_reviewed_without_lines, file, centre, lang, limits, name=file.name)

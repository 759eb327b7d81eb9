"""What every benchmark says with its figures: the commit measured, the machine's load, and
each figure against its target (issue 35). A benchmark that misses a target exits with
``MISSED`` (3); ``run_all.py`` gathers them. Nothing here is a test: ``make test`` never times."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MISSED = 3  # the exit code of a benchmark that missed one of its targets


def commit() -> str:
    """The commit measured, with ``+changes`` when the working tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if changed else "")


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes) and its cores."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


@dataclass(frozen=True)
class Target:
    """One measure against its goal: ``measured`` must stay at or under ``goal``."""

    name: str
    measured: float
    goal: float
    unit: str  # "×" or " s"

    @property
    def met(self) -> bool:
        return self.measured <= self.goal

    def line(self) -> str:
        verdict = "met" if self.met else "MISSED"
        return f"TARGET {self.name}: {self.measured:.2f}{self.unit} (goal ≤ {self.goal:g}{self.unit}) {verdict}"


def report(targets: list[Target]) -> int:
    """Print each target's line, with the commit and the load; the exit code (MISSED on a miss)."""
    print(f"commit {commit()}, {load()}")
    for target in targets:
        print(target.line(), flush=True)
    return 0 if all(target.met for target in targets) else MISSED

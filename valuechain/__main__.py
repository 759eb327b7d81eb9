"""``python -m valuechain``: the command line (``valuechain.cli``)."""

from valuechain.cli import run

raise SystemExit(run())

"""Faults of ours leave a trace: the exception and its traceback go to the log (the console
and a rotating file in the user's data folder), and the user reads one sentence with an
incident reference that names the log line ("référence VC-3f9a2c1b").

Standard ``logging``: a deployment that has its own logging configuration keeps it (handlers
are added only to a logger that has none).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = logging.getLogger("valuechain")
LOG_FILE_BYTES = 2_000_000
LOG_FILES_KEPT = 5


def log_folder() -> Path:
    """``VALUECHAIN_LOG_DIR``, else ``logs/`` beside the default store, in the user's data folder."""
    chosen = os.environ.get("VALUECHAIN_LOG_DIR")
    if chosen:
        return Path(chosen)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "valuechain" / "logs"


class _OneLine(logging.Formatter):
    """The console gets the incident's line, not its traceback: on the command line the
    console is the user's screen (the file keeps the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        plain = logging.makeLogRecord(record.__dict__)
        plain.exc_info, plain.exc_text = None, None
        return super().format(plain)


def configure_logging() -> None:
    """The console and ``valuechain.log`` (rotated past 2 MB, five kept), once per process."""
    if LOGGER.handlers:
        return
    LOGGER.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s")
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(_OneLine("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console.setLevel(logging.WARNING)
    LOGGER.addHandler(console)
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        file = RotatingFileHandler(folder / "valuechain.log", maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILES_KEPT,
                                   encoding="utf-8")
        file.setFormatter(formatter)
        LOGGER.addHandler(file)
    except OSError:  # a read-only home: the console still has it
        LOGGER.warning("no log file could be opened in %s", log_folder())


def incident(error: BaseException, what: str) -> str:
    """Log ``error`` with its traceback under a new reference, and return the reference the
    user is shown. ``what`` says what was being done ("upload of centre.xlsx")."""
    configure_logging()
    reference = "VC-" + secrets.token_hex(4)
    LOGGER.error("incident %s during %s: %s: %s", reference, what, type(error).__name__, error,
                 exc_info=(type(error), error, error.__traceback__))
    return reference


def _disk_full(error: BaseException | None) -> bool:
    """Whether ``error``, or what caused it (SQLAlchemy keeps the driver's in ``orig``), is a
    full disk: the OS's ENOSPC or EDQUOT, SQLite's "database or disk is full", PostgreSQL's
    disk_full (SQLSTATE 53100)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(error)
        if "database or disk is full" in text or "No space left on device" in text:
            return True
        if getattr(error, "sqlstate", None) == "53100":
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
        seen += 1
    return False


def fault(error: BaseException, what: str):
    """What the user is told of a fault of ours (``UnreadableWorkbook``), once it is logged: a
    full disk is said as such (what to do is clear, and the transaction kept nothing), anything
    else as an error of the program with its reference."""
    from valuechain.model import UnreadableWorkbook

    reference = incident(error, what)
    return UnreadableWorkbook("disk_full" if _disk_full(error) else "internal_error", detail=reference)

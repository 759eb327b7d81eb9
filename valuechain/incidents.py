"""Faults of ours leave a trace: the exception and its traceback go to the log, and the user
reads one sentence with an incident reference that names the log line ("référence VC-3f9a2c1b").

Standard ``logging``, as its guide asks of a library: every module logs to its own logger
(``__name__``), and the library adds no handler but the ``NullHandler`` of ``valuechain``. The
programs (the command line, the dashboard) call ``configure_logging``: the console, and a
rotating file in the user's data folder. A deployment with its own logging configuration keeps
it (handlers are added only to a ``valuechain`` logger that has none of its own).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from valuechain.errors import UnreadableWorkbook

LOGGER = logging.getLogger(__name__)
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


class _FaultFile(RotatingFileHandler):
    """``valuechain.log``, rotated past 2 MB (five kept), opened with its folder at the first
    record: a run without a fault leaves nothing on disk. A folder that cannot be written (a
    read-only home) is said once on the console, which still has every incident's line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.unwritable = False
        super().__init__(
            folder / "valuechain.log", maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILES_KEPT, encoding="utf-8", delay=True
        )

    def _open(self):
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        if not self.unwritable:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.stream is None:  # the file could not be opened
            self.unwritable = True
            LOGGER.warning("no log file could be opened in %s", self.folder)
        else:
            super().handleError(record)


def configure_logging() -> None:
    """The programs' logging: warnings on the console, and the file of incidents; once per process."""
    package = logging.getLogger("valuechain")
    if any(not isinstance(handler, logging.NullHandler) for handler in package.handlers):
        return
    package.setLevel(logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(_OneLine("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console.setLevel(logging.WARNING)
    package.addHandler(console)
    file = _FaultFile(log_folder())
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"))
    package.addHandler(file)


def incident(error: BaseException, what: str) -> str:
    """Log ``error`` with its traceback under a new reference, and return the reference the
    user is shown. ``what`` says what was being done ("upload of centre.xlsx")."""
    reference = "VC-" + secrets.token_hex(4)
    LOGGER.error(
        "incident %s during %s: %s: %s",
        reference,
        what,
        type(error).__name__,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )
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


def fault(error: BaseException, what: str) -> UnreadableWorkbook:
    """What the user is told of a fault of ours (``UnreadableWorkbook``), once it is logged: a
    full disk is said as such (what to do is clear, and the transaction kept nothing), anything
    else as an error of the program with its reference."""
    reference = incident(error, what)
    return UnreadableWorkbook("disk_full" if _disk_full(error) else "internal_error", detail=reference)

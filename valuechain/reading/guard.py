"""Reading files someone else wrote, in worker processes with a memory ceiling.

The checks of ``reading`` and ``archives`` refuse every hostile file we know of before the
spreadsheet reader allocates anything. This is the guard for the ones we do not know: the
reading runs in a separate process whose address space is capped, so that a file that makes
the reader ask for gigabytes (or abort, as Rust code does when an allocation fails) ends that
worker only, with one sentence for the user, and never the dashboard every other user is on.

Workers are forked from a server process that has already imported the reader (a few
milliseconds a file); two at most, one per core. Where processes cannot be made (no fork
server on the platform), reading happens in the calling process, as before.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import re
import resource
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence, TypeVar

from valuechain.errors import UnreadableWorkbook
from valuechain.model import RawWorkbook
from valuechain.performance import gc_paused
from valuechain.reading.inputs import InputFile, ReadLimits
from valuechain.reading.reader import read_files

T = TypeVar("T")

DEFAULT_MEMORY_MB = 1024
_WORKERS = 2
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def memory_limit_mb() -> int:
    """Memory a worker may take on top of what it holds at start (``VALUECHAIN_READ_MEMORY_MB``)."""
    return int(os.environ.get("VALUECHAIN_READ_MEMORY_MB", DEFAULT_MEMORY_MB))


def _virtual_size() -> int:
    with open("/proc/self/status") as status:
        found = re.search(r"VmSize:\s*(\d+)", status.read())
    return int(found[1]) * 1024 if found else 0


def _cap_memory(extra_mb: int, owner: int | None = None) -> None:
    """Runs first in each worker: its address space may grow by ``extra_mb`` and no more, and
    it ends when the process that started the pool (``owner``) is gone."""
    ceiling = _virtual_size() + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    if owner is not None:
        threading.Thread(target=_end_with, args=(owner,), daemon=True).start()


def _end_with(owner: int) -> None:
    """A worker's watch on the program it reads for: a server or a command line killed with
    kill -9 runs no clean-up, and its workers (children of the fork server, not of it) would
    stay, each holding its memory. Checked every second; the worker ends itself."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # the pid was taken by another user's process: ours is gone
            os._exit(0)


def _executor() -> ProcessPoolExecutor | None:
    global _pool
    with _pool_lock:
        if _pool is None:
            try:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["valuechain.reading.reader"])
                _pool = ProcessPoolExecutor(
                    max_workers=_WORKERS,
                    mp_context=context,
                    initializer=_cap_memory,
                    initargs=(memory_limit_mb(), os.getpid()),
                )
            except (ValueError, OSError, NotImplementedError):
                return None
        return _pool


@atexit.register
def _close_pool() -> None:
    """The workers are stopped before the interpreter tears down, not during (which printed
    an ignored ``AttributeError`` from the executor's own clean-up)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _forget_pool() -> None:
    global _pool
    with _pool_lock:
        broken, _pool = _pool, None
    if broken is not None:
        broken.shutdown(wait=False, cancel_futures=True)


def _ready() -> bool:
    return True


def warm_up() -> None:
    """Start the fork server and its workers now (about half a second) rather than at the
    first file a user gives. Call it from the main thread before the web server starts
    (``scripts/serve.py``): started from a page's thread, beside the server's own threads,
    the fork server left the server unanswering after a few sessions."""
    executor = _executor()
    if executor is None:
        return
    try:
        for future in [executor.submit(_ready) for _ in range(_WORKERS)]:
            future.result(timeout=60)
    except Exception:  # noqa: BLE001 — a pool that cannot start: files are read in the calling process
        _forget_pool()


def read_guarded(files: Sequence[InputFile], limits: ReadLimits | None = None) -> RawWorkbook:
    """``reading.read_files`` in a worker with a memory ceiling. A worker that runs out of
    memory or dies is reported as ``UnreadableWorkbook("reading_too_demanding")``, naming the
    file and the ceiling; other refusals come back as they are."""
    limits = limits or ReadLimits.from_environment()
    executor = _executor()
    if executor is None:
        return read_files(list(files), limits)
    name = ", ".join(f.name for f in files) or "?"
    try:
        future = executor.submit(read_files, list(files), limits)
        with gc_paused():  # unpickling the rows that come back makes as many objects as reading did
            return future.result()
    except (BrokenProcessPool, MemoryError):
        _forget_pool()  # the next file gets fresh workers
        raise UnreadableWorkbook("reading_too_demanding", name=name, limit=memory_limit_mb()) from None


def run_guarded(work: Callable[..., T], *args: object, name: str) -> T:
    """``work(*args)`` in a worker with a memory ceiling, as ``read_guarded`` reads workbooks:
    for another reader of someone else's file (the accounts' FEC: ``accounts.review``).
    ``work`` is a module's function (it goes to the worker by name) and what it returns comes
    back pickled; a worker that runs out of memory is ``UnreadableWorkbook("reading_too_demanding")``
    naming the file ``name``."""
    executor = _executor()
    if executor is None:
        return work(*args)
    try:
        future = executor.submit(work, *args)
        with gc_paused():
            return future.result()
    except (BrokenProcessPool, MemoryError):
        _forget_pool()
        raise UnreadableWorkbook("reading_too_demanding", name=name, limit=memory_limit_mb()) from None

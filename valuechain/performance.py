"""Allocation-heavy steps run with Python's cyclic garbage collector paused.

Reading 20,000 rows makes hundreds of thousands of small dicts and tuples, none of them in a
reference cycle worth collecting; the collector would still walk them dozens of times (about
a quarter of the whole pipeline's time at 2,000 actors / 20,000 flows, see benchmarks/).
Reference counting still frees everything; the collector runs again as soon as we are done.

Also here: a computation started in a child process, on another core (``started_in_child``).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from contextlib import contextmanager
from functools import wraps
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was made here mostly lives on (a centre's tables and graph, cached): file it
            # with the old objects without a scan, rather than let re-enabling trigger a full
            # collection of the whole heap (2 s at 200,000 flows). Nothing is kept from the
            # collector: a later full collection still visits all of it.
            gc.freeze()
            gc.enable()
            gc.unfreeze()


def without_gc(function: Callable[..., T]) -> Callable[..., T]:
    @wraps(function)
    def wrapper(*args, **kwargs) -> T:
        with gc_paused():
            return function(*args, **kwargs)

    return wrapper


# A computation on another core ---------------------------------------------------------------
# igraph's compiled betweenness holds the interpreter's lock: a thread cannot run it beside
# the rest of a report. A child process made by fork starts with the parent's graph as it is
# (nothing copied until written), computes, and sends back its one small result.


class ChildFailed(Exception):
    """The child process gave no result (it failed, or was ended): compute it here instead."""


def started_in_child(compute: Callable[[], T]) -> Callable[[], T] | None:
    """``compute()`` started in a forked child process, on another core; the function returned
    waits for its result (and raises ``ChildFailed`` when there is none). None where a child
    cannot be forked safely: a system other than Linux (no fork on Windows; on macOS the
    system's libraries are not safe across it), or a process with other threads (the
    dashboard's server: a forked child would inherit their locks as they stand)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or _other_threads():
        return None
    import pickle  # here: a command that starts no child does not load it

    reading, writing = os.pipe()
    try:
        child = os.fork()
    except OSError:  # no memory or no process left for a child: computed here
        os.close(reading)
        os.close(writing)
        return None
    if child == 0:  # pragma: no cover  (the child: its coverage is not gathered)
        _compute_and_leave(compute, reading, writing)
    os.close(writing)
    outcome: list[tuple[bool, T]] = []  # read once, whoever asks first

    def result() -> T:
        if not outcome:
            with os.fdopen(reading, "rb") as stream:
                sent = stream.read()
            os.waitpid(child, 0)
            try:
                outcome.append(pickle.loads(sent))
            except Exception:  # the child ended before it had written everything
                outcome.append((False, None))  # type: ignore[arg-type]
        done, value = outcome[0]
        if not done:
            raise ChildFailed()
        return value

    return result


def _other_threads() -> bool:
    """Whether the process runs another thread: Python's, or a library's own (a native pool
    that Python does not count), as Linux lists them."""
    if threading.active_count() > 1:
        return True
    try:
        return len(os.listdir("/proc/self/task")) > 1
    except OSError:
        return False


def _compute_and_leave(compute: Callable[[], object], reading: int, writing: int) -> None:  # pragma: no cover
    """The child's whole life: compute, write the result, leave at once (``os._exit``: none of
    the parent's endings, flushes or ``atexit`` functions run twice)."""
    import pickle

    try:
        os.close(reading)
        try:
            sent = pickle.dumps((True, compute()))
        except BaseException:
            sent = pickle.dumps((False, None))
        with os.fdopen(writing, "wb") as stream:
            stream.write(sent)
    finally:
        os._exit(0)

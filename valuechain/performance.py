"""Allocation-heavy steps run with Python's cyclic garbage collector paused.

Reading 20,000 rows makes hundreds of thousands of small dicts and tuples, none of them in a
reference cycle worth collecting; the collector would still walk them dozens of times (about
a quarter of the whole pipeline's time at 2,000 actors / 20,000 flows, see benchmarks/).
Reference counting still frees everything; the collector runs again as soon as we are done.
"""

from __future__ import annotations

import gc
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

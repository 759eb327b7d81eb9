"""The library's tests: the worked example of docs/indicateurs.md, as records and analysed."""

from __future__ import annotations

import pytest

from helpers import WORKED_EXAMPLE_FILE
from support.room import open_on_worked_example
from valuechain import load_paths
from valuechain.chain.analysis import analyse
from valuechain.store.db import Store
from valuechain.workshop.workshops import Workshops


@pytest.fixture
def worked_example():
    """The worked example of docs/indicateurs.md, validated."""
    import worked_example as example
    from valuechain import validate

    return validate(example.raw_workbook())


@pytest.fixture(scope="session")
def tilleuls():
    """The worked example analysed (a test module may define its own ``tilleuls``: a graph)."""
    return analyse(load_paths([WORKED_EXAMPLE_FILE]))


@pytest.fixture
def room(url):
    """A workshop open on the worked example, on each store: (its workshops, the workshop).
    Opened now: a workshop idle for long takes no phone (the tests' T0 is a moment before)."""
    store = Store(url)
    workshops = Workshops(store)
    yield workshops, open_on_worked_example(workshops)
    store.dispose()

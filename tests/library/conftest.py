"""The library's tests: the worked example of docs/indicateurs.md, as records and analysed."""

from __future__ import annotations

import pytest

from helpers import WORKED_EXAMPLE_FILE
from valuechain import load_paths
from valuechain.chain.analysis import analyse


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

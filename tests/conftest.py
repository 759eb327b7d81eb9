"""Makes tests/helpers.py and the sample builders importable; shared fixtures."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent / "sample_data"))
# The log of faults goes to a folder of the test run's, never to the user's data folder (the
# servers the browser tests start inherit it).
os.environ.setdefault("VALUECHAIN_LOG_DIR", tempfile.mkdtemp(prefix="valuechain-test-logs-"))
# Nor does any test touch the user's own store: the pages keep drafts in it as they run.
os.environ["VALUECHAIN_STORE_PATH"] = os.path.join(tempfile.mkdtemp(prefix="valuechain-test-store-"), "store.sqlite")


@pytest.fixture
def worked_example():
    """The worked example of docs/indicateurs.md, validated."""
    import worked_example as example
    from valuechain import validate

    return validate(example.raw_workbook())

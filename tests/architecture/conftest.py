"""The architecture's tests: the import graph of the product, measured once (scripts/house.py)."""

from __future__ import annotations

import sys

import pytest

from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import house  # noqa: E402


@pytest.fixture(scope="session")
def arrows() -> dict[str, set[str]]:
    """Each module of the product → the modules of ours it imports (lazy imports included)."""
    return house.graph()[0]

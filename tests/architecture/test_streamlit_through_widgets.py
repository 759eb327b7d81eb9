"""What Streamlit does in a way that is easy to get wrong is done in one place, dashboard/widgets.py:
every download (asked of ``authorise`` when clicked, issue 33.3) and every static table (its cells
rendered as Markdown, issue 33.11). No page, and no other module of the dashboard, calls them."""

from __future__ import annotations

import ast

from helpers import ROOT

ONE_PLACE = {"download_button": "download_button", "table": "static_table"}


def streamlit_calls(path) -> set[str]:
    """The ``st.<name>(…)`` and ``<column>.<name>(…)`` calls of ``ONE_PLACE`` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ONE_PLACE
    }


def test_no_page_draws_a_download_or_a_static_table_itself():
    files = [*(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").glob("*.py"), ROOT / "app.py"]
    found = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in files
        if path.name != "widgets.py"
        for name in streamlit_calls(path)
    }
    assert not found, f"through dashboard.widgets ({ONE_PLACE}): {sorted(found)}"
    assert streamlit_calls(ROOT / "dashboard" / "widgets.py") == set(ONE_PLACE)

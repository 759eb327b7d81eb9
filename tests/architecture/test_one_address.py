"""A visitor's address is read in one place (dashboard/visitor.py, visitor_address): behind the
documented proxy every connection is the proxy's, so a page reading ``st.context.ip_address``
itself would count every phone of the room as one, or trust what a phone wrote (issue 33)."""

from __future__ import annotations

from helpers import ROOT


def test_the_visitor_s_address_is_read_in_one_place():
    readers = [
        str(path.relative_to(ROOT))
        for folder in ("pages", "dashboard")
        for path in sorted((ROOT / folder).glob("*.py"))
        if "ip_address" in path.read_text(encoding="utf-8")
    ] + (["app.py"] if "ip_address" in (ROOT / "app.py").read_text(encoding="utf-8") else [])
    assert readers == ["dashboard/visitor.py"]

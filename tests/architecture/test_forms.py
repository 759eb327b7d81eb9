"""Every form of the app is sent by its button, never by Enter (issue 34.1): on a phone the
keyboard's "Go" sent half-filled forms, which were refused and emptied (or, clearing on submit,
lost what was typed), and Streamlit said "Press Enter to submit form" in English under each
field. The browser's side is tests/browser/test_phone_forms.py."""

from __future__ import annotations

import ast

from helpers import ROOT

# Forms allowed to send on Enter: none.
NOT_YET: set[str] = set()


def _forms(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "form":
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "st":
                yield node


def test_every_form_is_sent_by_its_button_only():
    sent_by_enter = []
    for path in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").glob("*.py")]):
        if path.name in NOT_YET:
            continue
        for call in _forms(path):
            given = {keyword.arg: keyword.value for keyword in call.keywords}
            value = given.get("enter_to_submit")
            if not (isinstance(value, ast.Constant) and value.value is False):
                sent_by_enter.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert sent_by_enter == [], "st.form(..., enter_to_submit=False) in: " + ", ".join(sent_by_enter)


def test_the_check_finds_the_forms_it_is_for(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('with st.form("a"):\n    pass\nwith st.form("b", enter_to_submit=False):\n    pass\n')
    assert [call.lineno for call in _forms(page)] == [1, 3]

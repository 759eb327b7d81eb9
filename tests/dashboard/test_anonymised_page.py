"""Issue 33.8 on the Comparer: anonymised, the page shows the same whitelist of figures as every
other anonymised medium (``chain.compare.anonymised_row``), nothing that names a centre or
anyone in it: five centres whose every name carries a marker, searched in everything drawn."""

from __future__ import annotations

from google.protobuf.json_format import MessageToJson

from support.apptest import open_app, visit
from support.distinctive import distinctive_centre, leaks
from valuechain.access.policy import User
from valuechain.access.service import Access

# What the page draws for the reader; its inputs' lists of choices (the federations one may
# filter on) are the visitor's own controls, their chosen values are drawn and searched.
CHOICES = ("options", "default_values")


def drawn(node) -> list[str]:
    """Every text an element of the page shows, tables as their cells, charts as their figure."""
    if hasattr(node, "children"):
        return [text for child in node.children.values() for text in drawn(child)]
    texts = []
    value = getattr(node, "value", None)
    if hasattr(value, "to_string"):
        texts.append(value.to_string())
    elif value is not None:
        texts.append(str(value))
    proto = getattr(node, "proto", None)
    if proto is not None and node.type not in ("arrow_data_frame", "table"):
        fields = {field.name for field, _ in proto.ListFields()}
        for name in CHOICES:
            if name in fields:
                proto.ClearField(name)
        texts.append(MessageToJson(proto, ensure_ascii=False))
    return texts


def test_the_anonymised_comparer_names_nobody(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    from dashboard.visitor import store

    owner = Access(store(), User.local_owner())
    for number in range(1, 6):
        owner.import_files([distinctive_centre(number)])
    app = visit(open_app("fr"), "comparer")
    assert leaks(" ".join(drawn(app._tree))), "the page names the centres before anonymising (the test's premise)"
    [t for t in app.toggle if "nonymis" in t.label][0].set_value(True).run()
    assert not app.exception
    assert sorted(app.dataframe[0].value["Centre"]) == [f"Centre {x}" for x in "ABCDE"]
    assert app.get("plotly_chart") and any("Médiane" in t.value.columns for t in app.table)
    assert leaks(" ".join(drawn(app._tree))) == []

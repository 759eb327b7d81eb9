"""The Comptes page (issue 36) through Streamlit's AppTest: the sample FEC shown in one click, its
reconciliation to the cent, the proposed actors with their reasons, nobody's name shown, in
French and English; an unreadable file said in one sentence."""

from __future__ import annotations

import re

import pytest

from support.apptest import open_app, visit


def _texts(app) -> str:
    parts = [m.value for m in app.markdown] + [e.value for e in app.error] + [w.value for w in app.warning]
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    return re.sub("[\u00a0\u202f]", " ", "\n".join(str(p) for p in parts))


@pytest.mark.parametrize(
    ("lang", "title", "line"),
    [
        ("fr", "Comptes (FEC)", "182 400,00 €"),
        ("en", "Accounts (FEC)", "€182,400.00"),
    ],
)
def test_the_sample_fec_is_shown_in_one_click_with_its_totals_reconciled(lang, title, line):
    app = visit(open_app(lang), "comptes")
    assert app.title[0].value == title
    assert not app.dataframe  # nothing before a file or the example
    app.toggle(key="accounts_sample").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    shown = _texts(app)
    reconciliation = app.dataframe[0].value
    assert list(reconciliation.iloc[:, 0]) == ["70", "73", "74", "75", "86", "87"]
    row_74 = reconciliation.iloc[2].tolist()
    assert [re.sub("[\u00a0\u202f]", " ", str(v)) for v in row_74[1:]] == [line, line]
    actors = app.dataframe[1].value
    assert "CAF DE LA DROME" in set(actors.iloc[:, 0]) and len(actors) == 15
    flows = app.dataframe[2].value
    assert len(flows) == 18
    for person in ("MARTIN", "Sophie", "DUPONT", "TRAORE", "Famille"):
        assert person not in shown, person


class _Uploaded:
    """What st.file_uploader gives back (AppTest cannot upload a file)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"Compte;Solde\n1;2\n", "n'a pas les colonnes d'un FEC : il manque CompteNum"),
        (b"\x00\x01binary" * 10, "n'est pas un classeur lisible"),
    ],
)
def test_a_file_that_is_not_a_fec_is_one_sentence_on_the_page(monkeypatch, data, said):
    import streamlit

    app = visit(open_app("fr"), "comptes")
    monkeypatch.setattr(streamlit, "file_uploader", lambda *args, **kwargs: _Uploaded("export.txt", data))
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert len(app.error) == 1 and said in _texts(app)
    assert not app.dataframe

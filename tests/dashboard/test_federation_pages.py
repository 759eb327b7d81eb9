"""The Comparer and Évolution as a newcomer and a federation meet them (issue 34.10 and a
stranger's findings): the samples offered while any is missing, with a sentence of what was
added, a sample federation whose protected distribution shows, cells written as published and
the real cause of a figure not shown, dates in the reader's language, and no word of an open
workshop on pages that do not show its centre."""

from __future__ import annotations

import re

import pytest

from helpers import EMBRUNS, WORKED_EXAMPLE_FILE
from support.apptest import open_app, visit
from valuechain import InputFile

pytestmark = pytest.mark.dashboard

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SAMPLE_FEDERATION = "Fédération des centres sociaux du Val d'Ardoise (fictive)"


@pytest.fixture
def one_centre(tmp_path, monkeypatch):
    """A store that holds one centre already (one of the samples): not empty, samples missing."""
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    from dashboard.visitor import store
    from valuechain.access.policy import User
    from valuechain.access.service import Access

    database = store()
    Access(database, User.local_owner()).import_files([InputFile.from_path(EMBRUNS)])
    yield database


def _plain(text: object) -> str:
    """A value as read on the screen: Markdown's escapes taken out."""
    return re.sub(r"\\(.)", r"\1", str(text)).replace("\u200b", "")


def _texts(app) -> str:
    return "\n".join(_plain(e.value) for kind in ("markdown", "caption", "info", "success") for e in getattr(app, kind))


def test_the_samples_are_offered_while_one_is_missing_and_show_the_sample_federation_s_distribution(one_centre):
    app = visit(open_app("fr"), "comparer")
    add = [b for b in app.button if b.label == "Ajouter les centres d'exemple"]
    assert add, "a store holding one centre still offers the samples it lacks"
    add[0].click().run()
    assert not app.exception
    said = [_plain(s.value) for s in app.success]
    assert said and said[0].startswith("11 classeurs d'exemple ajoutés à la base : ")
    assert "Centre social La Passerelle (2025)" in said[0] and "Association Les Embruns" not in said[0]
    assert any(SAMPLE_FEDERATION in _plain(i.value) and "distribution protégée" in i.value for i in app.info)
    # The sample federation is chosen: its distribution shows, published without false decimals,
    # and the figures two centres lack say so.
    assert [s for s in app.selectbox if s.label == "Fédération"][0].value == SAMPLE_FEDERATION
    table = next(t.value for t in app.table if "Médiane" in t.value.columns).map(_plain)
    table.index = [_plain(name) for name in table.index]
    resources = table.loc["Ressources mobilisées"]
    assert str(resources.iloc[0]) == "6", resources
    assert re.fullmatch(r"\d+\u202f\d00\u00a0€", resources["Médiane"]), resources["Médiane"]
    assert not any(",00" in str(cell) for cell in table.to_numpy().ravel())
    per_inhabitant = [row for row in table.index if "habitant" in row]
    assert per_inhabitant and all(
        table.loc[row].iloc[1] == "2 centres sur 6 n'ont pas de valeur pour cette mesure : non montré"
        for row in per_inhabitant
    )
    # Everything there: the button is gone.
    assert not [b for b in app.button if b.label == "Ajouter les centres d'exemple"]


def test_versions_and_deletions_are_dated_in_the_reader_s_language(one_centre):
    """A stranger saw "2026-12-01" on the French page: dates are written as each language does."""
    from valuechain.access.policy import User
    from valuechain.access.service import Access

    Access(one_centre, User.local_owner()).import_files([InputFile.from_path(WORKED_EXAMPLE_FILE)])
    for lang, month in (("fr", r"\d{1,2} [a-zéû]+\.? \d{4}"), ("en", r"[A-Z][a-z]{2} \d{1,2}, \d{4}")):
        app = visit(open_app(lang), "comparer")
        texts = _texts(app)
        assert not ISO_DATE.search(texts), ISO_DATE.search(texts)
        assert re.search(month, texts), texts[-600:]
    app = visit(open_app("fr"), "comparer")
    [b for b in app.button if b.label.startswith("Supprimer")][0].click().run()
    deleted = next(_plain(m.value) for m in app.markdown if "restaurable jusqu'au" in m.value)
    assert not ISO_DATE.search(deleted) and re.search(r"restaurable jusqu'au \d{1,2} [a-zéû]+ \d{4}", deleted), deleted


def test_the_open_workshop_is_announced_where_its_centre_is_shown_not_on_comparer_or_evolution(one_centre):
    from dashboard import state
    from dashboard.room import workshops
    from valuechain.reading.reader import read_files

    raw = read_files([InputFile.from_path(WORKED_EXAMPLE_FILE)])
    workshop = workshops().open(raw, "Centre social des Tilleuls", WORKED_EXAMPLE_FILE.name)
    app = open_app("fr", **{state.WORKSHOP: workshop.code})
    assert any("Atelier ouvert" in i.value for i in app.info)
    for page in ("comparer", "evolution"):
        visit(app, page)
        assert not any("Atelier ouvert" in i.value for i in app.info), page

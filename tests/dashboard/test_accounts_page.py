"""The Comptes page (issue 36) through Streamlit's AppTest: the sample FEC shown in one click, its
reconciliation to the cent, the proposed actors with their reasons, nobody's name shown, in
French and English; an unreadable file said in one sentence. Then the director's review: an
actor renamed, two merged, a funder left out (the totals recounted, what was left out said),
and the reviewed chain added to the centre's own workbook (what is new, what was there, the
conflicts)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers import ROOT, typed_centre_workbook
from support.apptest import open_app, visit
from valuechain.errors import UnreadableWorkbook
from valuechain.workbook.writing import raw_workbook_from_records, workbook_bytes, write_raw_workbook

CENTRE = "Centre social La Passerelle"


def _spaces(text: object) -> str:
    """As read on the page: no-break spaces as spaces, Markdown's escapes gone."""
    return re.sub("[\u00a0\u202f]", " ", str(text)).replace("\u200b", "").replace("\\", "")


def _texts(app) -> str:
    parts = [m.value for m in app.markdown] + [e.value for e in app.error] + [w.value for w in app.warning]
    parts += [s.value for s in app.success] + [i.value for i in app.info]
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    return _spaces("\n".join(str(p) for p in parts))


def _row(frame: pd.DataFrame, first: str) -> list[str]:
    (found,) = [[_spaces(v) for v in row] for row in frame.itertuples(index=False) if row[0] == first]
    return found


def _sample(lang: str):
    app = visit(open_app(lang), "comptes")
    app.toggle(key="accounts_sample").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _keyed(widgets, prefix: str):
    (found,) = [w for w in widgets if w.key.startswith(prefix)]
    return found


@pytest.mark.parametrize(
    ("lang", "title", "line", "zero"),
    [
        ("fr", "Comptes (FEC)", "182 400,00 €", "0,00 €"),
        ("en", "Accounts (FEC)", "€182,400.00", "€0.00"),
    ],
)
def test_the_sample_fec_is_shown_in_one_click_with_its_totals_reconciled(lang, title, line, zero):
    app = visit(open_app(lang), "comptes")
    assert app.title[0].value == title
    assert not app.dataframe  # nothing before a file or the example
    app.toggle(key="accounts_sample").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    shown = _texts(app)
    reconciliation, actors, flows, chain = (frame.value for frame in app.dataframe)
    assert list(reconciliation.iloc[:, 0]) == ["70", "73", "74", "75", "86", "87"]
    assert _row(reconciliation, "74")[1:] == [line, line, zero]
    assert "CAF DE LA DROME" in set(actors.iloc[:, 0]) and len(actors) == 15
    assert len(flows) == 18 and len(chain) == 18
    for person in ("MARTIN", "Sophie", "DUPONT", "TRAORE", "Famille"):
        assert person not in shown, person


class _Uploaded:
    """What st.file_uploader gives back (AppTest cannot upload a file)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def _uploads(monkeypatch, **files: _Uploaded) -> None:
    """The file each uploader (by its key) is given; the others stay empty."""
    import streamlit

    monkeypatch.setattr(streamlit, "file_uploader", lambda *args, key=None, **kwargs: files.get(key))


def _edits(monkeypatch, **edits) -> None:
    """What the director types in the tables (AppTest cannot edit a data editor): for the editor
    whose key starts with a name given, the function given changes its frame."""
    import streamlit

    drawn = streamlit.data_editor

    def editor(frame, *args, key=None, **kwargs):
        drawn(frame, *args, key=key, **kwargs)
        for prefix, edit in edits.items():
            if key.startswith(prefix):
                frame = frame.copy()
                edit(frame)
        return frame

    monkeypatch.setattr(streamlit, "data_editor", editor)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"Compte;Solde\n1;2\n", "n'a pas les colonnes d'un FEC : il manque CompteNum"),
        (b"\x00\x01binary" * 10, "n'est pas un classeur lisible"),
    ],
)
def test_a_file_that_is_not_a_fec_is_one_sentence_on_the_page(monkeypatch, data, said):
    app = visit(open_app("fr"), "comptes")
    _uploads(monkeypatch, accounts_upload=_Uploaded("export.txt", data))
    app.text_input(key="accounts_centre").set_value("Centre social des Tilleuls").run()
    assert not app.exception, [e.message for e in app.exception]
    assert len(app.error) == 1 and said in _texts(app)
    assert not app.dataframe


def test_a_fec_too_demanding_for_its_worker_is_one_sentence_and_the_page_stays(monkeypatch):
    import valuechain.accounts.review

    def too_demanding(file, *args, **kwargs):
        raise UnreadableWorkbook("reading_too_demanding", name=file.name, limit=1024)

    app = visit(open_app("fr"), "comptes")
    monkeypatch.setattr(valuechain.accounts.review, "review_guarded", too_demanding)
    _uploads(monkeypatch, accounts_upload=_Uploaded("123456789FEC20251231.txt", b"JournalCode\tCompteNum\n" * 3))
    app.text_input(key="accounts_centre").set_value("Centre social des Tilleuls").run()
    assert not app.exception, [e.message for e in app.exception]
    assert [_spaces(e.value) for e in app.error] == [
        "« 123456789FEC20251231.txt » demande plus de 1024 Mo de mémoire pour être lu : la lecture a été arrêtée, "
        "rien d'autre n'est touché. Vérifiez le fichier (cellules très éloignées, feuilles immenses) ou découpez-le."
    ]


def _leave_out(name: str):
    def edit(frame):
        frame.iloc[list(frame.iloc[:, 0]).index(name), 2] = True

    return edit


@pytest.mark.parametrize(
    ("lang", "row_74", "said"),
    [
        ("fr", ["182 400,00 €", "174 400,00 €", "8 000,00 €"], "Laissé de côté à la relecture : 1 ligne, 8 000,00 €."),
        ("en", ["€182,400.00", "€174,400.00", "€8,000.00"], "Left out in review: 1 line, €8,000.00."),
    ],
)
def test_a_funder_left_out_leaves_the_74_total_and_is_said_with_its_amount(monkeypatch, lang, row_74, said):
    _edits(monkeypatch, accounts_actors=_leave_out("FONDATION DE FRANCE"))
    app = _sample(lang)
    reconciliation, _actors, _flows, chain = (frame.value for frame in app.dataframe)
    assert _row(reconciliation, "74")[1:] == row_74
    assert _row(reconciliation, "73")[3] in ("0,00 €", "€0.00")
    assert said in [_spaces(w.value) for w in app.warning]
    assert "FONDATION DE FRANCE" not in set(chain.iloc[:, 0]) and len(chain) == 17


def test_an_actor_renamed_is_the_chain_s_and_a_person_s_name_is_refused(monkeypatch):
    def rename(frame):
        names = list(frame.iloc[:, 0])
        frame.iloc[names.index("ANCT"), 0] = "Agence nationale de la cohésion des territoires"
        frame.iloc[names.index("Donateurs (dons)"), 0] = "Mme Odile Brossard"

    _edits(monkeypatch, accounts_actors=rename)
    app = _sample("fr")
    chain = app.dataframe[3].value
    assert _row(chain, "Agence nationale de la cohésion des territoires")[2] == "8 000,00 €"
    assert "ANCT" not in set(chain.iloc[:, 0]) and "Donateurs (dons)" in set(chain.iloc[:, 0])
    assert (
        "« Mme Odile Brossard » est le nom d'une personne, et les personnes ne sont pas des acteurs : "
        "« Donateurs (dons) » garde son nom." in [_spaces(w.value) for w in app.warning]
    )
    assert "Brossard" not in _spaces(app.dataframe[3].value.to_csv())


@pytest.mark.parametrize(
    ("lang", "said", "anct", "actors"),
    [
        ("fr", "« FONJEP » est regroupé dans « ANCT ».", "15 400,00 €", "Proposé : 15 acteurs et 17 flux"),
        ("en", "“FONJEP” is merged into “ANCT”.", "€15,400.00", "Proposed: 15 actors and 17 flows"),
    ],
)
def test_two_funders_merged_are_one_flow_summing_theirs_with_both_entries(lang, said, anct, actors):
    app = _sample(lang)
    _keyed(app.multiselect, "accounts_merge_which").set_value(["FONJEP", "ANCT"])
    _keyed(app.selectbox, "accounts_merge_into").set_value("ANCT").run()
    app.button(key="accounts_merge_button").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert said in _texts(app)
    assert _keyed(app.multiselect, "accounts_merge_which").value == []  # emptied for the next merge
    reconciliation, actors_table, _flows, chain = (frame.value for frame in app.dataframe)
    assert _row(chain, "ANCT")[2:] == [anct, "", "2"]  # 7 400 + 8 000, the two entries kept
    assert "FONJEP" not in set(chain.iloc[:, 0])
    assert _row(actors_table, "FONJEP")[3] == "ANCT"
    assert _row(reconciliation, "74")[1] == _row(reconciliation, "74")[2]  # nothing lost
    assert actors in _texts(app)
    app.button(key="accounts_merge_undo").click().run()
    assert "FONJEP" in set(app.dataframe[3].value.iloc[:, 0])


def _centre_workbook() -> bytes:
    raw = typed_centre_workbook(CENTRE, activities=[{"name": "Accueil jeunes"}])
    return workbook_bytes(write_raw_workbook(raw, "fr"))


@pytest.mark.parametrize(
    ("lang", "added", "there", "conflict"),
    [
        (
            "fr",
            "Ajouté au classeur du centre : 12 acteurs et 13 flux ; les lignes saisies à la main sont gardées telles quelles.",
            "Déjà dans le classeur, non doublé : « CAF DE LA DROME ».",
            "« Ville de Saint-Aubin » (Financement, ventes, dons en argent) vaut 40 000,00 € dans le classeur et "
            "48 500,00 € dans les comptes",
        ),
        (
            "en",
            "Added to the centre's workbook: 12 actors and 13 flows; the rows typed by hand are kept as they are.",
            "Already in the workbook, not doubled: “CAF DE LA DROME”.",
            "“Ville de Saint-Aubin” (Money) is €40,000.00 in the workbook and €48,500.00 in the accounts",
        ),
    ],
)
def test_the_reviewed_chain_merged_into_the_centre_s_workbook_says_what_is_new_there_and_in_conflict(
    monkeypatch, lang, added, there, conflict
):
    def link(frame):
        sources = list(frame.iloc[:, 0])
        frame.iloc[sources.index("DEPARTEMENT DE LA DROME"), 5] = "Accueil jeunes"
        frame.iloc[sources.index("ANCT"), 5] = "Contrat de ville"

    _edits(monkeypatch, accounts_actors=_leave_out("FONDATION DE FRANCE"), accounts_flows=link)
    _uploads(monkeypatch, accounts_existing=_Uploaded("passerelle.xlsx", _centre_workbook()))
    app = _sample(lang)
    assert [_spaces(s.value) for s in app.success] == [added]
    assert there in [_spaces(i.value) for i in app.info]
    assert any(conflict in _spaces(w.value) for w in app.warning)
    assert _spaces(app.info[0].value) in (
        "1 activité ajoutée au classeur du centre.",
        "1 activity added to the centre's workbook.",
    )  # "Contrat de ville"; "Accueil jeunes" was there
    assert _row(app.dataframe[3].value, "DEPARTEMENT DE LA DROME")[3] == "Accueil jeunes"
    labels = [b.proto.label for b in app.get("download_button")]
    assert len(labels) == 2 and _spaces(labels[1]) in (
        "Télécharger le classeur du centre complété (.xlsx)",
        "Download the centre's workbook, completed (.xlsx)",
    )


# The director's own FEC: their centre's name, never the sample's ----------------------------------
SAMPLE_FEC = ROOT / "sample_data" / "comptes" / "999999999FEC20251231.txt"


@pytest.mark.parametrize(
    ("lang", "asked", "placeholder"),
    [
        ("fr", "Donnez le nom du centre : il nomme le centre dans le classeur proposé.", "Par exemple"),
        ("en", "Give the centre's name: it names the centre in the proposed workbook.", "For example"),
    ],
)
def test_one_s_own_fec_starts_with_an_empty_centre_name_asked_for_then_names_the_workbook(
    monkeypatch, lang, asked, placeholder
):
    import valuechain.accounts.review

    named = []
    real = valuechain.accounts.review.review_guarded

    def reviewed(file, centre, *args, **kwargs):
        named.append(centre)
        return real(file, centre, *args, **kwargs)

    monkeypatch.setattr(valuechain.accounts.review, "review_guarded", reviewed)
    _uploads(monkeypatch, accounts_upload=_Uploaded("999999999FEC20251231.txt", SAMPLE_FEC.read_bytes()))
    app = visit(open_app(lang), "comptes")
    field = app.text_input(key="accounts_centre")
    assert field.value == "" and field.placeholder.startswith(placeholder)
    assert [_spaces(i.value) for i in app.info] == [asked]
    assert not app.dataframe and not app.get("download_button") and named == []  # nothing that needs the name
    field.set_value(f"Centre social des Tilleuls ({lang})").run()
    assert not app.exception, [e.message for e in app.exception]
    assert asked not in _texts(app) and len(app.dataframe) == 4
    assert named == [f"Centre social des Tilleuls ({lang})"]  # the proposal's centre, in the workbook


def test_the_sample_keeps_the_sample_s_name_and_asks_for_none(monkeypatch):
    import valuechain.accounts.review

    named = []
    real = valuechain.accounts.review.review_guarded
    monkeypatch.setattr(
        valuechain.accounts.review,
        "review_guarded",
        lambda file, centre, *args, **kwargs: named.append(centre) or real(file, centre, *args, **kwargs),
    )
    app = visit(open_app("fr"), "comptes")
    app.toggle(key="accounts_sample").set_value(True).run()
    assert not app.exception and not app.info
    assert named in ([CENTRE], [])  # [] when an earlier test left the sample's review in the page's cache


def _workbook_of_year(year: int, data_source: str = "comptabilité") -> bytes:
    raw = raw_workbook_from_records(
        CENTRE,
        {"name": CENTRE, "year": year},
        actors=[
            {"name": CENTRE, "category": "centre"},
            {"name": "CAF du Val d'Ardoise", "category": "institutions"},
        ],
        flows=[
            {
                "source": "CAF du Val d'Ardoise",
                "target": CENTRE,
                "nature": "monetaire",
                "value": 96_000,
                "data_source": data_source,
            },
        ],
    )
    return workbook_bytes(write_raw_workbook(raw, "fr"))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fr",
            "Le classeur du centre est celui de 2024 (feuille Centre) et le FEC celui de l'exercice 2025 : rien "
            "n'est ajouté. Donnez le classeur du centre de 2025, ou le FEC de 2024.",
        ),
        (
            "en",
            "The centre's workbook is for 2024 (Centre sheet) and the FEC for the fiscal year 2025: nothing is "
            "added. Give the centre's 2025 workbook, or the 2024 FEC.",
        ),
    ],
)
def test_a_workbook_of_another_year_is_refused_in_one_sentence_and_nothing_is_offered(monkeypatch, lang, said):
    _uploads(monkeypatch, accounts_existing=_Uploaded("passerelle-2024.xlsx", _workbook_of_year(2024)))
    app = _sample(lang)
    assert [_spaces(e.value) for e in app.error] == [said]
    assert not app.success and len(app.get("download_button")) == 1  # the reviewed workbook only


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "fr",
            "Compté deux fois ? « CAF du Val d'Ardoise » (96 000,00 €) est déjà dans le classeur d'après les "
            "comptes, et « CAF DE LA DROME » (102 000,00 €) y est ajouté d'après les comptes.",
        ),
        (
            "en",
            "Counted twice? “CAF du Val d'Ardoise” (€96,000.00) is already in the workbook from the accounts, and "
            "“CAF DE LA DROME” (€102,000.00) is added from the accounts.",
        ),
    ],
)
def test_a_funder_of_the_same_kind_already_there_from_the_accounts_is_a_warning(monkeypatch, lang, said):
    _uploads(monkeypatch, accounts_existing=_Uploaded("passerelle.xlsx", _workbook_of_year(2025)))
    app = _sample(lang)
    warnings = [_spaces(w.value) for w in app.warning]
    assert [w for w in warnings if w.startswith(said)] and len(app.get("download_button")) == 2

"""The centre over the years (issue 28): matching actors from year to year, the renewal of
resources worked by hand (docs/indicateurs.md, "Évolution d'une année à l'autre"), the map of
changes, decisions kept in the store, the access rule, and the Évolution page in both languages."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from helpers import EMBRUNS, ROOT
from support.apptest import open_app, visit
from support.stores import forget_process_store, open_the_apps_store_at
from valuechain import InputFile
from valuechain.access.people import Identity, first_admin, user_of
from valuechain.access.policy import MEMBER, User
from valuechain.access.service import Access
from valuechain.chain.evolution import (
    BY_ID,
    BY_NAME,
    CONFIRMED,
    GREW,
    KEPT,
    LOST,
    LOST_PREFIX,
    NEW,
    MatchDecision,
    evolution,
    identities,
    match_nodes,
)
from valuechain.chain.graph import build_graph
from valuechain.errors import Refused
from valuechain.media.mapview import evolution_map_html
from valuechain.reading.validation import validate
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook
from worked_example import raw_workbook_of_year

APP = str(ROOT / "app.py")
YEARS = (2024, 2025, 2026)


def chain(year: int):
    return build_graph(validate(raw_workbook_of_year(year)))


@pytest.fixture(scope="module")
def tilleuls():
    return evolution([(year, chain(year), {}) for year in YEARS])


# Matching ---------------------------------------------------------------------------------------------
def test_actors_are_matched_by_id_then_by_name(tilleuls):
    matches = tilleuls.matches[1]  # 2026 → 2025
    assert matches["CAF"].previous == "CAF" and matches["CAF"].how == BY_ID
    # The Mairie's id changed ("ville") but not its name.
    assert matches["ville"].previous == "Mairie" and matches["ville"].how == BY_NAME
    assert "Fondation Lumière" not in matches and "Collectif Jardins partagés" not in matches
    # An activity is matched to an activity only.
    assert matches["Atelier cuisine"].previous == "Atelier cuisine"


def test_an_actor_gone_and_one_come_of_the_same_kind_are_never_paired_for_a_person(tilleuls):
    """Fondation Horizon stopped after 2025, Fondation Lumière started in 2026: both funders, the
    one gone and the one come, 5 000 € and 3 000 €. Nothing says they are one (no id, no name in
    common): they are offered to a person to pair, never paired nor proposed."""
    pairing = tilleuls.pairing(2026)
    now, before = tilleuls.graphs[2], tilleuls.graphs[1]
    assert now.nodes["Fondation Lumière"]["category"] == before.nodes["Fondation Horizon"]["category"]
    assert [(m.current, m.how) for m in pairing.proposed] == [("ville", BY_NAME)]  # the Mairie, by its name
    assert "Fondation Lumière" in pairing.unpaired_now and "Fondation Horizon" in pairing.unpaired_before
    assert "Fondation Horizon" in tilleuls.renewal(2026).gone


def test_a_match_undone_is_never_made_and_a_confirmed_pair_is():
    before, now = chain(2025), chain(2026)
    decisions = [
        MatchDecision(2026, "ville", "mairie", confirmed=False),
        MatchDecision(2026, "fondation lumière", "fondation horizon", confirmed=True),
    ]
    matches = match_nodes(before, now, decisions)
    assert "ville" not in matches
    assert (
        matches["Fondation Lumière"].previous == "Fondation Horizon" and matches["Fondation Lumière"].how == CONFIRMED
    )


# Renewal, worked by hand -----------------------------------------------------------------------------
def test_the_renewal_of_resources_of_the_worked_example(tilleuls):
    first, second = tilleuls.renewal(2025), tilleuls.renewal(2026)
    assert tilleuls.renewal(2024) is None
    # 2024 → 2025: Familles 360.60 + Ferme 600 + Fondation Horizon 5 000 are new; Épicerie's 400 € lost.
    assert first.from_new == pytest.approx(5960.60) and first.resources == pytest.approx(50965.60)
    assert first.new_share == pytest.approx(5960.60 / 50965.60) and round(first.new_share, 4) == 0.1170
    assert first.lost == pytest.approx(400) and first.lost_share == pytest.approx(400 / 42203)
    assert first.new_hours_share == pytest.approx(30 / 280) and first.lost_hours_share == 0
    assert first.kept == ("Bénévoles", "CAF", "Mairie") and first.gone == ("Épicerie du Marché",)
    # 2025 → 2026: Collectif 480.80 + Fondation Lumière 3 000 new; Fondation Horizon 5 000 + Familles 360.60 lost.
    assert second.from_new == pytest.approx(3480.80) and second.resources == pytest.approx(51526.20)
    assert round(second.new_share, 4) == 0.0676 and round(second.lost_share, 4) == 0.1052
    assert second.lost == pytest.approx(5360.60)
    assert second.new_hours_share == pytest.approx(40 / 310) and second.lost_hours_share == pytest.approx(30 / 280)
    assert second.kept == ("Bénévoles", "CAF", "Ferme du Coteau", "Mairie")
    assert second.new == ("Collectif Jardins partagés", "Fondation Lumière")
    assert second.gone == ("Familles du quartier", "Fondation Horizon")


def test_a_confirmed_rename_is_no_longer_new_nor_lost():
    years = [(year, chain(year), {}) for year in (2025, 2026)]
    renamed = evolution(years, [MatchDecision(2026, "fondation lumière", "fondation horizon", confirmed=True)]).renewal(
        2026
    )
    # docs/indicateurs.md: 480.80 € new (0.93 %), 360.60 € lost (0.71 %).
    assert renamed.from_new == pytest.approx(480.80) and round(renamed.new_share, 4) == 0.0093
    assert renamed.lost == pytest.approx(360.60) and round(renamed.lost_share, 4) == 0.0071
    undone = evolution(years, [MatchDecision(2026, "ville", "mairie", confirmed=False)]).renewal(2026)
    assert "Mairie" in undone.new and "Mairie" in undone.gone


# The map of changes ---------------------------------------------------------------------------------------
def test_the_changes_of_a_year_name_what_appeared_grew_and_left(tilleuls):
    changed = tilleuls.changes(2026)
    assert changed.nodes["Fondation Lumière"]["change"] == NEW
    assert changed.nodes[LOST_PREFIX + "Fondation Horizon"]["change"] == LOST
    assert changed.nodes["ville"]["change"] == KEPT
    edges = {(s, t, d["nature"]): d for s, t, d in changed.edges(data=True)}
    assert edges[("CAF", "Centre social des Tilleuls", "monetaire")]["change"] == GREW
    assert edges[(LOST_PREFIX + "Fondation Horizon", "Centre social des Tilleuls", "monetaire")]["change"] == LOST
    assert edges[("Fondation Lumière", "Centre social des Tilleuls", "monetaire")]["change"] == NEW
    # Ferme du Coteau's 800 € are an estimation: the link says so.
    assert edges[("Ferme du Coteau", "Atelier cuisine", "nature")]["estimated"] is True


def test_each_actor_keeps_one_identity_and_one_place_across_the_years(tilleuls):
    named = identities(tilleuls.graphs, tilleuls.matches)
    assert named[2]["ville"] == named[1]["Mairie"] == named[0]["Mairie"]
    html = evolution_map_html(tilleuls, "en", title="Tilleuls")
    frames = json.loads(html.split("var frames = ", 1)[1].split(";\n", 1)[0])
    assert [f["label"] for f in frames] == ["2024", "2025", "2026"]
    where = [{n["id"]: (n["x"], n["y"]) for n in f["nodes"]} for f in frames]
    assert where[2]["ville"] == where[1]["Mairie"] == where[0]["Mairie"]
    assert "Replay the years" in html and "http" not in html.split("<script>", 1)[0].replace("http-equiv", "")


# Kept in the store, and the access rule --------------------------------------------------------------------
def _year_file(year: int) -> InputFile:
    raw = raw_workbook_of_year(year)
    raw.centre_fields["federation"] = ("FD Tilleuls", None, None)
    return InputFile(f"tilleuls-{year}.xlsx", workbook_bytes(write_raw_workbook(raw)))


@pytest.fixture
def years_store(url, monkeypatch):  # noqa: F811  (SQLite, and the shared PostgreSQL)
    """The Tilleuls' three years and Les Embruns in one federation, with a member of each, in
    the store the app itself opens: SQLite, then PostgreSQL (two app processes share it)."""
    open_the_apps_store_at(url, monkeypatch)
    from dashboard.visitor import store

    database = store()
    owner = Access(database, User.local_owner())
    for year in YEARS:
        owner.import_files([_year_file(year)], federation="FD Tilleuls")
    owner.import_files([InputFile.from_path(EMBRUNS)], federation="FD Tilleuls")
    first_admin(database, "admin@fd.fr", "FD Tilleuls")
    admin = Access(database, user_of(database, Identity("admin@fd.fr", "Admin")))
    admin.grant("membre@embruns.fr", MEMBER, "FD Tilleuls", database.centre_of_key("Association Les Embruns")["id"])
    admin.grant("membre@tilleuls.fr", MEMBER, "FD Tilleuls", database.centre_of_key("Centre social des Tilleuls")["id"])
    yield database
    forget_process_store(url)


def as_person(database, person: str) -> Access:
    return Access(database, user_of(database, Identity(person, person)))


def test_decisions_are_kept_in_the_store_and_change_the_renewal(years_store):
    member = as_person(years_store, "membre@tilleuls.fr")
    tilleuls = years_store.centre_of_key("Centre social des Tilleuls")
    found, versions = member.evolution(tilleuls["id"])
    assert found.years == list(YEARS) and len(versions) == 3
    assert round(found.renewal(2026).new_share, 4) == 0.0676
    member.decide_match(tilleuls["id"], MatchDecision(2026, "fondation lumière", "fondation horizon", True))
    # Another process (a new Access on the same store) reads the same decision.
    again, _ = as_person(years_store, "admin@fd.fr").evolution(tilleuls["id"])
    assert round(again.renewal(2026).new_share, 4) == 0.0093
    member.decide_match(
        tilleuls["id"], MatchDecision(2026, "fondation lumière", "fondation horizon", True), forget=True
    )
    assert round(member.evolution(tilleuls["id"])[0].renewal(2026).new_share, 4) == 0.0676


def test_another_centre_s_years_are_refused_alike_and_erased_with_it(years_store):
    tilleuls = years_store.centre_of_key("Centre social des Tilleuls")
    other = as_person(years_store, "membre@embruns.fr")
    assert [c["name"] for c in other.followed()] == ["Association Les Embruns"]
    with pytest.raises(Refused) as refused:
        other.evolution(tilleuls["id"])
    with pytest.raises(Refused) as unknown:
        other.evolution(999_999)
    assert refused.value.reason == unknown.value.reason == "unknown_centre"
    with pytest.raises(Refused):
        other.decide_match(tilleuls["id"], MatchDecision(2026, "caf", "caf", False))
    admin = as_person(years_store, "admin@fd.fr")
    admin.decide_match(tilleuls["id"], MatchDecision(2026, "fondation lumière", "fondation horizon", True))
    admin.erase_centre(tilleuls["id"])
    assert years_store.match_decisions(tilleuls["id"]) == []
    import sqlalchemy as sa

    from valuechain.store.schema import ACTOR_MATCHES

    with years_store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(ACTOR_MATCHES)).scalar() == 0


# The page ------------------------------------------------------------------------------------------------
def open_page(lang: str) -> AppTest:
    return visit(open_app(lang, timeout=90), "evolution")


@pytest.mark.parametrize(
    "lang, words",
    [("fr", ("Évolution", "Ressources nouvelles", "6,76")), ("en", ("Over the years", "New resources", "6.76"))],
)
def test_the_evolution_page_shows_a_centre_over_three_years(years_store, lang, words):
    title, card, share = words
    app = open_page(lang)
    assert app.title[0].value == title
    cards = {m.label: m.value for m in app.metric}
    assert share in cards[card]
    assert cards[{"fr": "Contributeurs fidèles", "en": "Contributors kept"}[lang]] == "4"
    # The trend table has a column per year.
    assert list(app.table[0].value.columns) == ["2024", "2025", "2026"]
    # The year before: 2025 against 2024.
    app.select_slider[0].set_value(2025).run()
    assert not app.exception
    assert share not in {m.label: m.value for m in app.metric}[card]


def _map_years(app: AppTest) -> list[str]:
    """The years the page's map holds (its frames), and whether it draws year buttons of its own."""
    html = app.get("iframe")[0].proto.srcdoc
    frames = json.loads(html.split("var frames = ", 1)[1].split(";\n", 1)[0])
    assert 'class="year"' not in html and 'id="replay"' not in html  # one year control: the page's
    return [frame["label"] for frame in frames]


def test_one_year_is_shown_everywhere_on_the_page_and_the_replay_moves_it(years_store):
    """Issue 34.9: the map's own year buttons and replay changed the map only, while the slider,
    the caption and the renewal stayed on 2026. One year for the page, every part following it."""

    def shown(app: AppTest) -> tuple:
        return (
            app.select_slider[0].value,
            _map_years(app),
            next(c.value for c in app.caption if "anneau vert" in c.value).split(" : ")[0],
            next(s.value for s in app.subheader if s.value.startswith("Renouvellement")),
        )

    app = open_page("fr")
    assert shown(app) == (2026, ["2026"], "Centre social des Tilleuls en 2026", "Renouvellement des ressources en 2026")
    app.select_slider[0].set_value(2025).run()
    assert shown(app) == (2025, ["2025"], "Centre social des Tilleuls en 2025", "Renouvellement des ressources en 2025")
    # The replay starts from the first year, for the whole page, and can be stopped.
    next(b for b in app.button if b.label == "▶ Rejouer les années").click().run()
    assert not app.exception
    assert shown(app) == (2024, ["2024"], "Centre social des Tilleuls en 2024", "Renouvellement des ressources en 2024")
    next(b for b in app.button if b.label == "■ Arrêter").click().run()
    assert [b.label for b in app.button if "Rejouer" in b.label] == ["▶ Rejouer les années"]
    assert app.select_slider[0].value == 2024


def test_the_page_names_the_year_field_as_the_workbook_template_writes_it(tmp_path, monkeypatch):
    """Issue 34 (a stranger's finding): the help named the raw field « annee » in English too."""
    from valuechain.vocabulary import CENTRE_FIELDS

    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "empty.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    year = next(field for field in CENTRE_FIELDS if field.code == "year")
    english = open_page("en").info[0].value
    assert f"the Centre sheet's “{year.header('en')}” field" in english and "annee" not in english
    assert f"champ « {year.header('fr')} » de la feuille Centre" in open_page("fr").info[0].value


def test_a_match_confirmed_on_the_page_is_kept(years_store):
    app = open_page("fr")
    chosen_now = next(s for s in app.selectbox if s.label == "Acteur de 2026")
    chosen_before = next(s for s in app.selectbox if s.label == "est le même que, en 2025")
    # Nothing is chosen for the person, and the button waits for both years' actors.
    assert chosen_now.value is None and chosen_before.value is None
    assert next(b for b in app.button if b.label == "Confirmer : c'est le même").disabled
    chosen_now.set_value("Fondation Lumière")
    chosen_before.set_value("Fondation Horizon").run()
    next(b for b in app.button if b.label == "Confirmer : c'est le même").click().run()
    assert not app.exception
    assert "0,93" in {m.label: m.value for m in app.metric}["Ressources nouvelles"]
    tilleuls = years_store.centre_of_key("Centre social des Tilleuls")
    assert years_store.match_decisions(tilleuls["id"]) == [
        MatchDecision(2026, "fondation lumière", "fondation horizon", True)
    ]


def test_with_no_centre_of_two_years_the_page_says_how_and_offers_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "empty.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    app = open_page("en")
    assert "No centre you may follow has two years" in app.info[0].value
    next(b for b in app.button if b.label.startswith("Add a sample centre over three years")).click().run()
    assert not app.exception
    assert [m.value for m in app.metric if m.label == "Contributors kept"] == ["4"]


# The command line ------------------------------------------------------------------------------------------
def test_report_since_gives_the_stored_years_with_the_workbook_given(tmp_path, monkeypatch, capsys):
    from valuechain.cli import main

    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "cli.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    samples = ROOT / "sample_data"
    assert (
        main(["import", str(samples / "annees" / "tilleuls-2024.xlsx"), str(samples / "tilleuls-exemple-chiffre.xlsx")])
        == 0
    )
    capsys.readouterr()
    assert main(["report", str(samples / "annees" / "tilleuls-2026.xlsx"), "--since", "2024", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["resources_total"] == pytest.approx(51526.20)
    assert result["evolution"]["years"] == [2024, 2025, 2026]
    last = result["evolution"]["renewal"][-1]
    assert (last["year"], last["previous_year"]) == (2026, 2025)
    assert round(last["new_share"], 4) == 0.0676 and round(last["lost_share"], 4) == 0.1052
    assert last["kept"] == ["Bénévoles", "CAF", "Ferme du Coteau", "Mairie"]
    assert result["evolution"]["trend"]["resources_total"] == [
        [2024, 42203.0],
        [2025, 50965.6],
        [2026, pytest.approx(51526.2)],
    ]
    # Without a file: the stored centre; an unknown one is one sentence, no traceback.
    assert main(["report", "--since", "2024", "--centre", "centre social des tilleuls", "--lang", "en"]) == 0
    assert "2025 (against 2024): new resources 11.70" in capsys.readouterr().out
    assert main(["report", "--since", "2024", "--centre", "Inconnu"]) == 1
    said = capsys.readouterr().err
    # One sentence naming the centre asked for (its words are the command line's: issue 34.12).
    assert "« Inconnu »" in said and len(said.strip().splitlines()) == 1 and "Traceback" not in said


def test_an_anonymised_comparison_of_fewer_than_five_files_is_refused(capsys):
    from helpers import SAMPLE_FILES
    from valuechain.cli import main

    assert main(["compare", *map(str, SAMPLE_FILES), "--anonymise"]) == 1
    assert "seraient montrés sous une lettre" in capsys.readouterr().err


# Evidence on every flow ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source, grade",
    [
        (None, "declare"),
        ("", "declare"),
        ("le trésorier", "declare"),
        ("comptabilité", "mesure"),
        ("Relevé de compteur", "mesure"),
        ("Facture", "mesure"),
        ("estimation", "estime"),
        ("Estimé", "estime"),
        ("déclaré", "declare"),
        ("mesuré", "mesure"),
    ],
)
def test_a_flow_s_data_source_gives_its_evidence_grade(source, grade):
    from valuechain.vocabulary import flow_evidence

    assert flow_evidence(source) == grade


def test_the_range_by_data_quality_worked_by_hand():
    from valuechain.chain.metrics import evidence_range

    # The worked example gives no source: every value declared, ± 10 %.
    everything = evidence_range(chain(2025))
    assert everything.low.resources_total == pytest.approx(45869.04)
    assert everything.high.resources_total == pytest.approx(56062.16)
    # 2026: Fondation Lumière's 3 000 € measured (not moved), Ferme's 800 € estimated (± 30 %).
    found = evidence_range(chain(2026))
    moved = 0.10 * (32000 + 10000 + 2000 + 270 * 12.02 + 40 * 12.02) + 0.30 * 800
    assert found.uncertain == pytest.approx(51526.20 - 3000)
    assert found.low.resources_total == pytest.approx(51526.20 - moved)
    # The leverage's low end: the other resources down, public funding (42 000 €, declared) up.
    public, moved_public = 42000, 4200
    assert found.low.leverage == pytest.approx((51526.20 - public - (moved - moved_public)) / (public + moved_public))
    assert found.low.leverage < found.high.leverage  # "effet levier de 0,231 à 0,224" (issue 34.11)
    assert found.high.volunteer_value == pytest.approx(310 * 12.02 * 1.1)


def test_estimated_flows_are_faded_on_the_map_and_said_in_the_legend():
    from valuechain.media.mapview import map_html

    html = map_html(chain(2026), lang="fr")
    edges = json.loads(html.split("var frames = ", 1)[1].split(";\n", 1)[0])[0]["edges"]
    faded = [e for e in edges if isinstance(e["color"], dict) and e["color"].get("opacity") == 0.4]
    assert len(faded) == 1 and "Ferme du Coteau" in faded[0]["title"]
    assert "Flux estimé (estompé)" in html
    assert "Flux estimé" not in map_html(chain(2025), lang="fr")  # nothing estimated: no legend line


# The PDF ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, words",
    [
        ("fr", ("Évolution", "Renouvellement des ressources", "2025 → 2026", "6,76")),
        ("en", ("Over the years", "Renewal of resources", "2025 → 2026", "6.76")),
    ],
)
def test_the_pdf_report_carries_the_centre_s_years(lang, words, tmp_path):
    import shutil
    import subprocess

    from valuechain.chain.analysis import analyse
    from valuechain.chain.evolution import with_current
    from valuechain.media.pdf import pdf_report
    from valuechain.media.report import figures

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (scripts/install-system-packages.sh installs it)")
    analysis = analyse(validate(raw_workbook_of_year(2026)), compute_all=True)
    stored = [
        (year, chain(year), figures(analyse(validate(raw_workbook_of_year(year)), compute_all=True)))
        for year in (2024, 2025)
    ]
    found = with_current(stored, [], 2026, analysis.graph, figures(analysis))
    assert found.years == [2024, 2025, 2026]
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_report(analysis, lang, evolution=found))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for word in words:
        assert word in text, word


def test_the_export_page_offers_the_report_with_the_years_of_a_stored_centre(years_store):
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["lang"] = "fr"
    app.session_state["sample"] = "tilleuls-exemple-chiffre.xlsx"
    app.run()
    app.switch_page("pages/exporter.py")
    app.run()
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    # The worked example is 2025: the store's 2024 comes before it (2026 is after, left out).
    assert "Rapport PDF avec l'évolution (2024–2025)" in labels


def test_a_decision_must_name_actors_of_two_consecutive_stored_years(years_store):
    member = as_person(years_store, "membre@tilleuls.fr")
    tilleuls = years_store.centre_of_key("Centre social des Tilleuls")
    for made_up in (
        MatchDecision(2026, "x" * 5000, "caf", True),
        MatchDecision(2024, "caf", "caf", True),
        MatchDecision(1999, "caf", "caf", False),
        MatchDecision(2026, "caf", "épicerie du marché", True),
    ):
        with pytest.raises(Refused) as refused:
            member.decide_match(tilleuls["id"], made_up)
        assert refused.value.reason == "unknown_match"
    assert years_store.match_decisions(tilleuls["id"]) == []


def test_names_are_data_on_the_map_of_changes():
    """A name is never markup on the Évolution map: the frames go through tojson, the year
    buttons through autoescaping."""
    from valuechain.workbook.writing import raw_workbook_from_records

    hostile = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    years = []
    for year, extra in ((2025, []), (2026, [{"name": hostile, "category": "associations"}])):
        flows = [{"source": "CAF", "target": "Centre X", "nature": "monetaire", "quantity": 100, "unit": "€"}]
        flows += [
            {"source": hostile, "target": "Centre X", "nature": "benevolat", "quantity": 5, "unit": "h"} for _ in extra
        ]
        raw = raw_workbook_from_records(
            f"x-{year}",
            {"name": "Centre X", "year": year},
            actors=[{"name": "Centre X", "category": "centre"}, {"name": "CAF", "category": "institutions"}, *extra],
            flows=flows,
        )
        years.append((year, build_graph(validate(raw)), {}))
    html = evolution_map_html(evolution(years), "fr")
    assert "<img" not in html and "<script>alert" not in html
    assert "\\u003cimg src=x" in html  # the name is there, as data


def test_years_too_large_to_draw_say_so_and_keep_their_figures(years_store, monkeypatch):
    import valuechain.media.mapview

    monkeypatch.setattr(valuechain.media.mapview, "MAX_MAP_NODES", 5)
    app = open_page("en")
    assert any("the map of changes is not drawn" in i.value for i in app.info)
    assert {m.label: m.value for m in app.metric}["Contributors kept"] == "4"


def test_a_centre_s_stored_years_shown_to_a_person_are_in_the_log_once_a_while(years_store):
    """Issue 33.12: Évolution showed every stored year of a centre (names and all, a version
    nobody opened) with no line in the log. Shown again at the page's next click: one line."""
    tilleuls = years_store.centre_of_key("Centre social des Tilleuls")
    member = as_person(years_store, "membre@tilleuls.fr")
    member.evolution(tilleuls["id"])
    member.evolution(tilleuls["id"])
    member.history("Centre social des Tilleuls")
    admin = as_person(years_store, "admin@fd.fr")
    reads = [(e.person, e.centre, e.detail) for e in admin.audit("FD Tilleuls") if e.action == "read"]
    assert sorted(reads) == [
        ("membre@tilleuls.fr", "Centre social des Tilleuls", "evolution 2024, 2025, 2026"),
        ("membre@tilleuls.fr", "Centre social des Tilleuls", "figures 2024, 2025, 2026"),
    ]
    with pytest.raises(Refused):
        as_person(years_store, "membre@embruns.fr").evolution(tilleuls["id"])
    assert not [e for e in admin.audit("FD Tilleuls") if e.action == "read" and e.person == "membre@embruns.fr"]


def test_on_a_phone_the_chain_is_turned_upright_and_keeps_each_actor_s_place_across_years(tilleuls):
    """A stranger's finding: on a 390 px phone the map of changes was a thin wide band. In a
    portrait frame the layout is taller than wide, the same for every year, and one year alone
    carries no year control of its own (the page's one year chooses it)."""

    def frames(html: str) -> list[dict]:
        return json.loads(html.split("var frames = ", 1)[1].split(";\n", 1)[0])

    def span(frame: dict) -> tuple[float, float]:
        xs, ys = [n["x"] for n in frame["nodes"]], [n["y"] for n in frame["nodes"]]
        return max(xs) - min(xs), max(ys) - min(ys)

    wide = frames(evolution_map_html(tilleuls, "fr", only=2))
    upright = frames(evolution_map_html(tilleuls, "fr", only=2, portrait=True))
    assert [f["label"] for f in upright] == ["2026"]
    assert span(wide[0])[0] > span(wide[0])[1] and span(upright[0])[1] > span(upright[0])[0]
    every_year = [frames(evolution_map_html(tilleuls, "fr", only=i, portrait=True))[0] for i in range(3)]
    where = [{n["id"]: (n["x"], n["y"]) for n in f["nodes"]} for f in every_year]
    assert where[2]["CAF"] == where[1]["CAF"] == where[0]["CAF"]

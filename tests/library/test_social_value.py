"""Social value from outcomes (valuechain.chain.social_value): the worked example of
shared/social-value.md to the cent and to 4 decimals, a second case worked out by hand, the
percentages people write, and the rules for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT, WORKED_EXAMPLE_FILE
from valuechain import InputFile, load_files, load_paths
from valuechain.cells import parse_percent
from valuechain.chain.analysis import analyse
from valuechain.media.report import figures
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

HEADER = [
    "partie_prenante",
    "effet",
    "activite",
    "domaine",
    "quantite",
    "valeur_proxy",
    "source_proxy",
    "duree",
    "poids_mort",
    "deplacement",
    "attribution",
    "diminution",
    "confiance",
]
# The worked example's outcomes, as a director would type them (percentages several ways).
WORKED = [
    [
        "Familles du quartier",
        "Parents plus confiants, moins isolés",
        "Atelier cuisine",
        "individuel",
        40,
        600,
        "Étude X",
        2,
        "20 %",
        None,
        "25%",
        "50 %",
        "déclaré",
    ],
    [
        "Bénévoles",
        "Compétences acquises (animation, gestion)",
        "Gouvernance",
        "individuel",
        12,
        "1 200",
        "Référentiel Y",
        3,
        0.1,
        0,
        "10",
        "30 %",
        "mesuré",
    ],
    [
        "Familles du quartier",
        "Liens de voisinage créés",
        "Atelier cuisine",
        "societal",
        40,
        350,
        "Étude X",
        2,
        "30 %",
        "0",
        "0,2",
        0.5,
        "déclaré",
    ],
    [
        "Ferme du Coteau",
        "Débouché local pour les invendus",
        "Atelier cuisine",
        "environnemental",
        300,
        "2,00",
        "Prix de gros",
        1,
        None,
        "10 %",
        "40 %",
        None,
        "estimé",
    ],
    ["Mairie", "Tranquillité publique", None, "societal", 1, None, None, 1, None, None, None, None, "estimé"],
]


def tilleuls_with(rows, centre_extra=None):
    """The worked example's workbook (shared/metrics.md) with an Effets sheet."""
    raw = load_paths([WORKED_EXAMPLE_FILE]).raw
    raw.tables.pop("outcomes", None)  # the sample's own outcomes, replaced by these
    book = write_raw_workbook(raw, "fr")
    sheet = book.create_sheet("Effets")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if centre_extra:
        centre = book["Centre"]
        for field, value in centre_extra.items():
            centre.append([field, value])
    return load_files([InputFile("tilleuls-effets.xlsx", workbook_bytes(book))])


def test_the_worked_example_of_the_spec_every_number():
    workbook = tilleuls_with(WORKED)
    value = analyse(workbook).social_value
    assert value.investment == pytest.approx(50_965.60)
    assert value.discount_rate == 0.035
    assert [round(v.impact_year1, 2) for v in value.outcomes] == [14_400, 11_664, 7_840, 324, 0]
    assert [round(v.present_value, 2) for v in value.outcomes] == [20_634.32, 24_046.42, 11_234.24, 313.04, 0]
    assert [o.outcome for o in value.not_valued] == ["Tranquillité publique"]
    assert round(value.present_value, 2) == 56_228.03
    assert round(value.ratio, 4) == 1.1033
    assert round(value.net_present_value, 2) == 5_262.43
    assert round(value.break_even_proxy_factor, 4) == 0.9064
    assert {k: round(v, 2) for k, v in value.by_grade.items()} == {
        "mesure": 24_046.42,
        "declare": 31_868.56,
        "estime": 313.04,
    }
    assert {k: round(v, 2) for k, v in value.by_domain.items()} == {
        "individuel": 44_680.74,
        "societal": 11_234.24,
        "environnemental": 313.04,
    }
    assert [(f, round(low, 4), round(high, 4)) for f, low, high in value.sensitivity] == [
        ("proxy", 0.8274, 1.3791),
        ("quantity", 0.8274, 1.3791),
        ("duration", 0.7984, 1.2760),
        ("deadweight", 0.9681, 1.2378),
        ("displacement", 0.9929, 1.1039),
        ("attribution", 0.9683, 1.2382),
        ("drop_off", 1.0143, 1.1963),
        ("discount_rate", 1.0797, 1.1278),
    ]
    low, high = value.ratio_range
    assert (round(low, 2), round(high, 2)) == (0.80, 1.38)
    # The Mairie's outcome is listed, not valued, with a warning on its row and column.
    [warning] = [p for p in workbook.problems if p.code == "outcome_not_valued"]
    assert (warning.sheet, warning.row, warning.column) == ("Effets", 6, "valeur_proxy")
    assert not workbook.errors


def test_report_json_carries_social_value_as_specified(tmp_path):
    workbook = tilleuls_with(WORKED)
    report = figures(analyse(workbook))["social_value"]
    assert set(report) == {
        "discount_rate",
        "investment",
        "present_value",
        "net_present_value",
        "ratio",
        "break_even_proxy_factor",
        "outcomes",
        "by_grade",
        "by_domain",
        "sensitivity",
    }
    assert report["outcomes"][0] == {
        "stakeholder": "Familles du quartier",
        "outcome": "Parents plus confiants, moins isolés",
        "impact_year1": 14_400.0,
        "present_value": pytest.approx(20_634.32, abs=0.005),
        "grade": "declare",
    }
    assert report["outcomes"][4]["present_value"] is None
    assert [s["factor"] for s in report["sensitivity"]] == [
        "proxy",
        "quantity",
        "duration",
        "deadweight",
        "displacement",
        "attribution",
        "drop_off",
        "discount_rate",
    ]
    # From the command line: the sample with outcomes, and one without (null).
    from helpers import SAMPLE_FILES

    for path, expected in ((WORKED_EXAMPLE_FILE, 1.1033), (SAMPLE_FILES[0], None)):
        done = subprocess.run(
            [sys.executable, "-m", "valuechain", "report", str(path), "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        value = json.loads(done.stdout)["social_value"]
        assert (value and round(value["ratio"], 4)) == expected


def test_a_second_case_worked_out_by_hand():
    """Five years, a 100 % drop-off, a discount rate of 5 % written "5 %", percentages as
    fractions and with signs. Worked out by hand:
    - A: 10 × 1 000 × (1 − 0,5) × (1 − 0) × (1 − 0) = 5 000 in year 1, then 0 (drop-off 100 %):
      PV = 5 000 / 1,05 = 4 761,90;
    - B: 20 × 100 × 1 × 1 × (1 − 0,25) = 1 500 a year for 5 years, no drop-off:
      PV = 1 500 × (1/1,05 + 1/1,05² + 1/1,05³ + 1/1,05⁴ + 1/1,05⁵) = 1 500 × 4,329477 = 6 494,22;
    - ΣPV = 11 256,12; R = 50 965,60 → ratio 0,220858… = 0,2209."""
    rows = [
        ["Familles du quartier", "A", None, None, 10, 1000, "s", 5, 0.5, None, None, "100 %", "mesuré"],
        ["Bénévoles", "B", None, None, 20, 100, "s", 5, None, None, "25 %", 0, "Déclaré"],
    ]
    value = analyse(tilleuls_with(rows, {"taux_actualisation": "5 %"})).social_value
    assert value.discount_rate == 0.05
    assert [round(v.present_value, 2) for v in value.outcomes] == [4_761.90, 6_494.22]
    assert round(value.present_value, 2) == 11_256.12
    assert round(value.ratio, 4) == 0.2209
    duration = dict((f, (low, high)) for f, low, high in value.sensitivity)["duration"]
    # 4 years: B loses its fifth year (1 500 / 1,05⁵ = 1 175,29); 6 years: B gains 1 500 / 1,05⁶.
    assert round(duration[0] * 50_965.60, 2) == round(11_256.12 - 1_175.29, 2)
    assert round(duration[1] * 50_965.60, 2) == round(11_256.12 + 1_500 / 1.05**6, 2)


def test_an_outcome_without_a_domain_is_filed_under_not_filled_in_so_the_parts_add_up():
    """The worked example's first outcome with its domain left blank: its 20 634.32 € go to
    "non renseigné", and the domains still add up to the present value."""
    rows = [list(row) for row in WORKED]
    rows[0][3] = None
    value = analyse(tilleuls_with(rows)).social_value
    assert {k: round(v, 2) for k, v in value.by_domain.items()} == {
        "individuel": 24_046.42,
        "societal": 11_234.24,
        "environnemental": 313.04,
        "non_renseigne": 20_634.32,
    }
    assert sum(value.by_domain.values()) == pytest.approx(value.present_value)


def test_an_outcomes_sheet_whose_every_row_has_an_error_gives_zero_with_the_reason():
    """social-value.md: ``null`` only without an Effets sheet. Every row in error: the object,
    with the investment, a present value of 0, a ratio of 0, no outcome; the page says why."""
    rows = [
        ["Familles du quartier", "Trop", None, None, 10, 100, "s", 1, "150 %", None, None, None, None],
        [None, "Sans qui", None, None, 10, 100, "s", 1, None, None, None, None, None],
    ]
    workbook = tilleuls_with(rows)
    assert workbook.outcomes.empty
    report = figures(analyse(workbook))["social_value"]
    assert report["investment"] == pytest.approx(50_965.60)
    assert (report["present_value"], report["ratio"], report["outcomes"]) == (0, 0, [])
    from support.apptest import open_app, upload, visit

    data = workbook_bytes(write_raw_workbook(workbook.raw, "fr"))
    app = visit(upload(open_app("fr"), [("tilleuls-effets.xlsx", data)]), "valeur_sociale")
    assert any("chaque ligne de la feuille « Effets » a une erreur" in w.value for w in app.warning)


@pytest.mark.parametrize(
    "written, share",
    [
        ("20 %", 0.2),
        ("20%", 0.2),
        ("0,2", 0.2),
        ("0.2", 0.2),
        (20, 0.2),
        (0.2, 0.2),
        ("100 %", 1.0),
        ("1 %", 0.01),
        (0, 0.0),
        (None, None),
    ],
)
def test_percentages_as_people_write_them(written, share):
    assert parse_percent(written).value == share


def test_bad_outcomes_are_said_where_they_are_and_the_good_ones_kept():
    rows = [
        [
            "Familles du quartier",
            "Bon",
            "Atelier cuisine",
            "individuel",
            10,
            100,
            "s",
            1,
            "20 %",
            None,
            None,
            None,
            None,
        ],
        ["Familles du quartier", "Trop", None, None, 10, 100, "s", 1, "150 %", None, None, None, None],
        ["Familles du quartier", "Négatif", None, None, 10, 100, "s", 1, "-5 %", None, None, None, None],
        ["Familles du quartier", "Durée", None, None, 10, 100, "s", "deux", None, None, None, None, None],
        ["Familles du quartier", "Demi", None, None, 10, 100, "s", 1.5, None, None, None, None, None],
        [None, "Sans qui", None, None, 10, 100, "s", 1, None, None, None, None, None],
        ["Inconnus du quartier", "Qui ?", "Atelier fantôme", "cosmique", 10, 100, None, 1, 1, None, None, None, "vu"],
    ]
    workbook = tilleuls_with(rows)
    kept = workbook.outcomes["outcome"].tolist()
    assert kept == ["Bon", "Qui ?"]
    by_row = {(p.row, p.code, p.column) for p in workbook.problems if p.sheet == "Effets"}
    assert {
        (3, "percent_out_of_range", "poids_mort"),
        (4, "percent_out_of_range", "poids_mort"),
        (5, "duration_invalid", "duree"),
        (6, "duration_invalid", "duree"),
        (7, "required_missing", "partie_prenante"),
    } <= by_row
    assert {
        (8, "stakeholder_unknown", "partie_prenante"),
        (8, "outcome_activity_unknown", "activite"),
        (8, "domain_unknown", "domaine"),
        (8, "percent_one", "poids_mort"),
        (8, "evidence_unknown", "confiance"),
        (8, "proxy_without_source", "source_proxy"),
    } <= by_row
    assert workbook.outcomes.iloc[1]["evidence"] == "estime" and workbook.outcomes.iloc[1]["deadweight"] == 1.0
    for problem in workbook.problems:
        assert problem.message("fr") and problem.message("en") and "None" not in problem.message("fr")
    # The rows in error stay in the workbook as typed, to be fixed.
    assert len(workbook.raw.tables["outcomes"].rows) == 7


def test_an_outcome_lasts_fifty_years_at_most_and_a_longer_one_is_said_where_it_is():
    """Issue 25.5: a duration of 10¹² years kept a core busy for ever; 15 000 overflowed."""
    rows = [
        ["Familles du quartier", "Cinquante", None, None, 10, 100, "s", 50, None, None, None, None, None],
        ["Familles du quartier", "Cinquante et un", None, None, 10, 100, "s", 51, None, None, None, None, None],
        ["Familles du quartier", "Toujours", None, None, 10, 100, "s", 1e12, None, None, None, None, None],
    ]
    workbook = tilleuls_with(rows)
    assert workbook.outcomes["outcome"].tolist() == ["Cinquante"]
    located = [(p.row, p.column, p.message("fr")) for p in workbook.problems if p.code == "duration_invalid"]
    assert [(row, column) for row, column, _ in located] == [(3, "duree"), (4, "duree")]
    assert "un nombre entier d'années, de 1 à 50" in located[0][2]


def test_english_headers_and_sheet_name():
    english = [
        "stakeholder",
        "outcome",
        "activity",
        "domain",
        "quantity",
        "proxy_value",
        "proxy_source",
        "duration",
        "deadweight",
        "displacement",
        "attribution",
        "drop_off",
        "evidence",
    ]
    raw = load_paths([WORKED_EXAMPLE_FILE]).raw
    raw.tables.pop("outcomes", None)
    book = write_raw_workbook(raw, "en")
    sheet = book.create_sheet("Outcomes")
    sheet.append(english)
    for row in WORKED:
        sheet.append(row)
    value = analyse(load_files([InputFile("t.xlsx", workbook_bytes(book))])).social_value
    assert round(value.ratio, 4) == 1.1033


def test_the_worked_example_sample_carries_the_valued_outcomes_and_others_none():
    from helpers import SAMPLE_FILES

    assert round(analyse(load_paths([WORKED_EXAMPLE_FILE])).social_value.ratio, 4) == 1.1033
    assert all(analyse(load_paths([path])).social_value is None for path in SAMPLE_FILES)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_social_value_page_shows_the_map_the_ratio_with_its_range_and_the_tornado(lang):
    from support.apptest import open_app, visit

    app = visit(open_app(lang, WORKED_EXAMPLE_FILE.name), "valeur_sociale")
    assert app.title[0].value == ("Valeur sociale" if lang == "fr" else "Social value")
    sentence = app.markdown[0].value if lang == "fr" else app.markdown[0].value
    if lang == "fr":
        assert (
            "1 € mobilisé correspond à 1,10\u00a0€ de valeur sociale estimée, entre 0,80\u00a0€ et 1,38\u00a0€"
            in sentence
        )
        assert "57\u00a0% de cette valeur repose sur des effets déclarés" in sentence
    else:
        assert "€1 mobilised corresponds to €1.10 of estimated social value, between €0.80 and €1.38" in sentence
    metrics = {m.label: m.value for m in app.metric}
    ratio = "Ratio de valeur sociale" if lang == "fr" else "Social value ratio"
    assert metrics[ratio] == ("1,10" if lang == "fr" else "1.10")
    assert len(app.get("plotly_chart")) == 3
    table = app.dataframe[0].value
    assert len(table) == 4 and table.iloc[0, 0] == "Familles du quartier"
    # In presentation mode, the ratio, its range and the charts, readable on a wall.
    wall = visit(open_app(lang, WORKED_EXAMPLE_FILE.name, presentation=True), "valeur_sociale")
    assert not wall.dataframe and len(wall.get("plotly_chart")) == 3


def test_a_centre_without_outcomes_is_told_how_to_add_them():
    from helpers import SAMPLE_FILES
    from support.apptest import open_app, visit

    app = visit(open_app("fr", SAMPLE_FILES[0].name), "valeur_sociale")
    assert any("pas encore décrit ses effets" in i.value for i in app.info) and not app.get("plotly_chart")


def test_the_comparison_shows_the_ratio_and_its_range_or_says_not_filled_in():
    from helpers import SAMPLE_FILES
    from valuechain.chain.compare import anonymised_row
    from valuechain.media.comparison import comparison_frame, comparison_workbook

    reports = [
        figures(analyse(load_paths([path]), compute_all=True)) for path in (WORKED_EXAMPLE_FILE, SAMPLE_FILES[0])
    ]
    frame = comparison_frame(reports, "fr", formatted=True)
    assert dict(zip(frame["Centre"], frame["Ratio de valeur sociale"]))["Centre social des Tilleuls"] == "1,10"
    by_centre = dict(zip(frame["Centre"], frame["Fourchette selon les hypothèses"]))
    assert by_centre["Centre social des Tilleuls"] == "0,80 – 1,38" and "non renseigné" in by_centre.values()
    assert comparison_workbook(reports, "en")  # the same columns in the download
    # A benchmark keeps the ratio and its range, never the outcomes (they name people).
    benchmark = anonymised_row(reports[0], "Centre A")
    assert benchmark["social_value"]["ratio"] == pytest.approx(1.1033, abs=1e-4)
    assert "outcomes" not in benchmark["social_value"] and "Familles" not in json.dumps(benchmark, ensure_ascii=False)
    assert comparison_frame([benchmark], "en", formatted=True)["Range across the assumptions"].tolist() == [
        "0.80 – 1.38"
    ]


def test_the_results_workbook_and_the_pdf_carry_the_social_value_with_each_proxy_s_source():
    import io

    import openpyxl

    from valuechain.media.pdf import pdf_report
    from valuechain.media.results import results_workbook

    analysis = analyse(load_paths([WORKED_EXAMPLE_FILE]))
    book = openpyxl.load_workbook(io.BytesIO(results_workbook(analysis, "fr")))
    sheet = book["Valeur sociale"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Référentiel fictif de l'exemple" in cells and "Mercuriale fictive de l'exemple" in cells
    assert any(isinstance(c, float) and round(c, 2) == 56_228.03 for c in cells)
    # Read back, the results workbook is the same centre: the outcomes come back from their sheet.
    again = analyse(load_files([InputFile("resultats.xlsx", results_workbook(analysis, "fr"))])).social_value
    assert round(again.ratio, 4) == 1.1033
    pdf = pdf_report(analysis, "fr")
    shown = _pdf_text(pdf)
    assert "Valeur sociale" in shown and "Mercuriale" in shown and "0,80 – 1,38" in shown


def _pdf_text(pdf: bytes) -> str:
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed here (.ci/run installs poppler-utils)")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    return done.stdout.decode()


def test_outcomes_are_edited_like_the_other_tables_and_the_ratio_follows():
    """On the editing page's Effets tab: the proxy of the first outcome doubled, a new outcome
    typed with its percentage written "15 %", and the evidence chosen from its list."""
    import pandas as pd

    from valuechain.reading.validation import validate
    from valuechain.workbook.editing import apply_table_edits, editable_frame, select_options

    analysis = analyse(load_paths([WORKED_EXAMPLE_FILE]))
    raw = analysis.workbook.raw
    frame = editable_frame(raw, "outcomes", "fr", analysis.workbook.problems)
    assert "Partie prenante" in frame.columns and "Preuve" in frame.columns
    assert select_options("evidence", "fr") == ["Mesuré", "Déclaré", "Estimé"]
    frame.loc[0, "Valeur du proxy (€/an)"] = "1 200"
    new = {column: None for column in frame.columns}
    new.update(
        {
            "Partie prenante": "Mairie",
            "Effet": "Tranquillité publique",
            "Quantité": "1",
            "Valeur du proxy (€/an)": "1000",
            "Source du proxy": "Estimation de la mairie",
            "Poids mort": "15 %",
            "Preuve": "Estimé",
        }
    )
    frame = pd.concat([frame, pd.DataFrame([new])], ignore_index=True)
    edited = analyse(validate(apply_table_edits(raw, "outcomes", frame, "fr"))).social_value
    # Doubling the first proxy doubles its present value (20 634,32 → 41 268,64); the new one
    # is 1 000 × 0,85 / 1,035 = 821,26.
    assert edited.present_value == pytest.approx(56_228.03 + 20_634.32 + 821.26, abs=0.02)
    assert edited.outcomes[-1].outcome.deadweight == 0.15 and edited.outcomes[-1].outcome.evidence == "estime"

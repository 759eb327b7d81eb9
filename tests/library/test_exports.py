"""Every take-away format, opened with the tool it is for."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import networkx as nx
import openpyxl
import pytest

from helpers import BREAKER, HOSTILE, OUTSIDE, ROOT, WORKED_EXAMPLE_FILE, load_xlsx, xlsx_bytes
from valuechain import InputFile, load_files
from valuechain.chain.analysis import analyse
from valuechain.media.exporters import EXPORTERS, export, exporter_for
from valuechain.media.graph_files import gexf_bytes, graphml_bytes, node_link_json
from valuechain.media.kumu_workbook import kumu_workbook
from valuechain.media.results import contributions_in_kind, results_workbook

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def hostile():
    return analyse(
        load_xlsx(
            {
                "Acteurs": [
                    ["nom", "categorie", "description"],
                    ["Centre", "centre", '=HYPERLINK("http://x")'],
                    [HOSTILE, "habitants", BREAKER],
                    [BREAKER, "associations", "@SUM(A1)"],
                    ["+33 6 12", "benevoles", "-1"],
                ],
                "Flux": [
                    ["source", "cible", "nature", "quantite", "valeur", "description"],
                    [HOSTILE, "Centre", "benevolat", 10, None, "=1+1"],
                    [BREAKER, "Centre", "monetaire", 100, None, HOSTILE],
                    ["+33 6 12", "Centre", "lieu", 1, 50, "\tTAB"],
                ],
            }
        )
    )


def _pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (scripts/install-system-packages.sh installs it)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_report_has_every_part_page_by_page(tilleuls, lang, tmp_path):
    data = export(tilleuls, ".pdf", lang, "tilleuls-exemple-chiffre.xlsx")
    assert data.startswith(b"%PDF")
    text = _pdf_text(data, tmp_path)
    expected = {
        "fr": [
            "Centre social des Tilleuls",
            "Ressources mobilisées",
            "50 965,60 €",
            "Effet levier",
            "0,274",
            "La carte des acteurs",
            "La chaîne de valeur",
            "Les domaines d'impact",
            "Qui apporte quoi",
            "Par activité",
            "Indicateurs",
            "comptes 86/87",
            "864 Personnel",
            "n'est pas valorisé",
            "tilleuls-exemple-chiffre.xlsx",
        ],
        "en": [
            "Centre social des Tilleuls",
            "Resources mobilised",
            "€50,965.60",
            "Leverage",
            "0.274",
            "The map of actors",
            "The value chain",
            "Impact domains",
            "Who brings what",
            "By activity",
            "Indicators",
            "accounts 86/87",
            "870",
            "not valued",
        ],
    }[lang]
    flat = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    for words in expected:
        assert " ".join(words.split()) in flat, words
    pages = text.count("\f")
    assert pages >= 6 and f"page 2 / {pages}" in flat
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        (tmp_path / "r.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(tmp_path / "r.pdf"), str(ARTIFACTS / f"report-{lang}")], check=True
        )
        from PIL import Image

        for page in sorted(ARTIFACTS.glob(f"report-{lang}-*.png")):
            extrema = Image.open(page).convert("L").getextrema()
            assert extrema[0] < 100, f"{page.name} is blank"


def test_the_pdf_prints_hostile_names_as_text(hostile, tmp_path):
    text = _pdf_text(export(hostile, ".pdf", "fr"), tmp_path)
    assert HOSTILE in text and "</script><script>alert(2)</script>" in text.replace("\n", "")


def test_the_results_workbook_has_data_figures_tables_and_native_charts(tilleuls):
    book = openpyxl.load_workbook(io.BytesIO(results_workbook(tilleuls, "fr")))
    assert book.sheetnames[:8] == [
        "Chiffres",
        "Contributions",
        "Par catégorie",
        "Par domaine",
        "Par activité",
        "CVN 86-87",
        "Non valorisé",
        "Problèmes",
    ]
    assert {"Centre", "Acteurs", "Activites", "Flux", "Indicateurs"} <= set(book.sheetnames)
    figures = {row[0].value: row[2].value for row in book["Chiffres"].iter_rows(min_row=2, max_row=16)}
    assert figures["resources_total"] == pytest.approx(50_965.60)
    assert figures["leverage"] == pytest.approx(0.27414)
    assert book["Chiffres"]["C2"].number_format.endswith('"€"')
    assert len(book["Contributions"]._charts) == 1 and len(book["Par catégorie"]._charts) == 1
    assert len(book["Par domaine"]._charts) == 1
    # The second set: the full cost of each main activity, and the figures at the two rates.
    costs = [row for row in book["Coût des activités"].iter_rows(min_row=2, values_only=True)]
    assert costs == [
        ("Atelier cuisine", 5_004, pytest.approx(961.60), 45_000, pytest.approx(50_965.60), 40, pytest.approx(1_274.14))
    ]
    values = [tuple(row) for row in book["Chiffres"].iter_rows(values_only=True)]
    low = next(row for row in values if row[1] == pytest.approx(9.015))
    assert low[2:6] == (
        pytest.approx(50_124.20),
        pytest.approx(0.253105),
        pytest.approx(0.10223, abs=1e-5),
        pytest.approx(2_524.20),
    )


def test_the_results_workbook_reads_back_as_the_same_data(tilleuls):
    again = load_files([InputFile("resultats.xlsx", results_workbook(tilleuls, "fr"))])
    assert again.problems == tilleuls.workbook.problems
    assert analyse(again).figures == tilleuls.figures


def test_the_results_workbook_keeps_rows_in_error_flagged():
    workbook = load_xlsx(
        {
            "Flux": [
                ["source", "cible", "nature", "quantite"],
                ["A", "B", "monetaire", 5],
                ["A", "B", "monetaire", "beaucoup"],
            ]
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(results_workbook(analyse(workbook), "fr")))
    assert book["Flux"]["A3"].comment is not None and book["Flux"]["D3"].value == "beaucoup"
    assert book["Problèmes"]["A2"].value in ("erreur", "avertissement")


def test_formula_like_and_html_names_are_plain_text_in_the_workbooks(hostile):
    for data in (results_workbook(hostile, "fr"), kumu_workbook(hostile, "fr")):
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "\t"):
                        assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
        texts = {c.value for s in book.worksheets for row in s.iter_rows() for c in row}
        assert HOSTILE in texts


def test_the_in_kind_table_groups_by_account_with_the_rate(tilleuls):
    lines = contributions_in_kind(tilleuls, "fr")
    assert [(line.use_account[:3], line.resource_account[:3], round(line.value, 2)) for line in lines] == [
        ("864", "875", 3365.60),  # règlement ANC 2018-06: 875 bénévolat, 870 dons en nature
        ("861", "871", 2000.0),
        ("860", "870", 600.0),
    ]
    assert "280 h" in lines[0].detail and "12,02" in lines[0].detail
    assert sum(line.value for line in lines) == pytest.approx(5965.60)  # the non-monetary part of R
    csv = export(tilleuls, ".cvn.csv", "fr").decode("utf-8-sig")
    assert "864 Personnel bénévole;875 Bénévolat;Bénévolat;3365,60" in csv


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_files_read_back_with_every_node_edge_and_attribute(tilleuls, fmt):
    data = gexf_bytes(tilleuls.graph) if fmt == "gexf" else graphml_bytes(tilleuls.graph)
    graph = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(io.BytesIO(data))
    # Nodes have stable ids (n1, n2…); an actor's name is its label, its own id its "valuechain_id".
    graph = nx.relabel_nodes(graph, {n: d["valuechain_id"] for n, d in graph.nodes(data=True)})
    original = tilleuls.graph
    assert set(graph.nodes) == set(original.nodes)
    assert graph.number_of_edges() == original.number_of_edges()
    assert graph.nodes["CAF"]["category"] == "institutions" and graph.nodes["Atelier cuisine"]["kind"] == "activity"
    edges = {(u, v, d["nature"]): d for u, v, d in graph.edges(data=True)}
    volunteer = edges[("Bénévoles", "Atelier cuisine", "benevolat")]
    assert (
        float(volunteer["quantity"]) == 200
        and volunteer["unit"] == "h"
        and float(volunteer["value"]) == pytest.approx(2404)
    )
    assert (
        edges[("Ferme du Coteau", "Familles du quartier", "nature")]["domains"]
        == "economique_territorial|environnemental"
    )
    assert str(edges[("Centre social des Tilleuls", "Ferme du Coteau", "information")]["tangible"]).lower() == "false"


def test_node_link_json_round_trips(tilleuls):
    data = json.loads(node_link_json(tilleuls.graph))
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.number_of_edges() == 11 and graph.nodes["Mairie"]["category"] == "institutions"


def test_graph_files_keep_hostile_names_as_text(hostile):
    for data in (gexf_bytes(hostile.graph), graphml_bytes(hostile.graph)):
        assert b"<img" not in data and b"<script>" not in data
        graph = nx.read_graphml(io.BytesIO(data)) if b"graphml" in data[:400] else nx.read_gexf(io.BytesIO(data))
        assert HOSTILE in {d["label"] for _, d in graph.nodes(data=True)}


def test_the_standalone_map_opens_offline(tilleuls):
    html = export(tilleuls, ".html", "fr").decode("utf-8")
    assert not OUTSIDE.findall(html) and "Centre social des Tilleuls" in html


def test_kumu_round_trip_keeps_the_figures(tilleuls):
    back = analyse(load_files([InputFile("kumu.xlsx", kumu_workbook(tilleuls, "en"))]))
    assert back.workbook.errors == []
    for code in ("resources_total", "public_funding", "volunteer_hours", "support_share", "centre_dependence"):
        assert back.figures[code] == pytest.approx(tilleuls.figures[code]), code
    assert back.workbook.centre_id == "Centre social des Tilleuls"


def test_a_kumu_map_comes_in_with_warnings_where_types_are_guessed():
    data = xlsx_bytes(
        {
            "Elements": [
                ["Label", "Type", "Description", "Tags"],
                ["Maison de quartier", "Centre social", None, None],
                ["Asso Jardin", "Organization", None, "jardin"],
                ["Ville", "Public institutions", None, None],
                ["Jardin partagé", "Project", None, None],
                ["Mme Durand", "Person", None, None],
            ],
            "Connections": [
                ["From", "To", "Type", "Direction", "Strength"],
                ["Ville", "Maison de quartier", "Grant", "directed", 3],
                ["Asso Jardin", "Jardin partagé", "Volunteer time", "directed", None],
                ["Mme Durand", "Asso Jardin", None, "mutual", None],
            ],
        }
    )
    workbook = load_files([InputFile("kumu-export.xlsx", data)])
    assert workbook.errors == []
    categories = dict(zip(workbook.actors.name, workbook.actors.category))
    assert categories == {
        "Maison de quartier": "centre",
        "Asso Jardin": "associations",
        "Ville": "institutions",
        "Mme Durand": "habitants",
    }
    assert workbook.activities.name.tolist() == ["Jardin partagé"]
    assert workbook.flows.nature.tolist() == ["monetaire", "benevolat", "autre", "autre"]
    guesses = [p for p in workbook.problems if p.code == "kumu_guess"]
    assert {(p.sheet, p.value) for p in guesses} >= {
        ("Elements", "Organization"),
        ("Elements", "Person"),
        ("Connections", "Grant"),
    }
    # "mutual" is both ways, as Kumu means it: nothing to say.
    assert not any(p.code == "kumu_direction" for p in workbook.problems)
    assert workbook.flows.extras.tolist()[0] == {"Strength": 3, "Kumu type": "Grant"}  # Kumu's own type, kept
    assert "Kumu" in guesses[0].message("fr")


@pytest.mark.parametrize("suffix", sorted(EXPORTERS))
def test_every_format_is_chosen_from_the_file_name_and_written_by_the_cli(suffix, tmp_path):
    import sys

    out = tmp_path / f"sortie{suffix}"
    assert exporter_for(out.name) == suffix
    result = subprocess.run(
        [sys.executable, "-m", "valuechain", "export", str(WORKED_EXAMPLE_FILE), "--to", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 200


def test_the_cli_refuses_an_unknown_format_in_one_sentence(tmp_path):
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "valuechain", "export", str(WORKED_EXAMPLE_FILE), "--to", str(tmp_path / "x.doc")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2 and "Format inconnu" in result.stderr and "Traceback" not in result.stderr


def _csv_centre(name: str):
    acteurs = f"nom;categorie\nCentre;centre\n{name};habitants\n".encode()
    flux = f"source;cible;nature;quantite;unite\n{name};Centre;benevolat;3;h\nMairie;Centre;monetaire;100;€\n".encode()
    return analyse(load_files([InputFile("x - Acteurs.csv", acteurs), InputFile("x - Flux.csv", flux)]))


@pytest.mark.parametrize(
    "label, name",
    [("control characters", "Nom\x01avec\x07contrôle\x1b[31m"), ("ten thousand characters", "N" * 12_000)],
)
def test_every_export_takes_names_no_export_format_expects(label, name):
    analysis = _csv_centre(name)
    for suffix in EXPORTERS:
        assert export(analysis, suffix, "fr", "x.xlsx"), suffix
    if label == "control characters":
        book = openpyxl.load_workbook(io.BytesIO(export(analysis, ".xlsx", "fr", "x.xlsx")))
        texts = {c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
        assert "Nom␁avec␇contrôle␛[31m" in texts  # visible, not dropped
        # The graph files stay valid XML (a strict parser reads them), the name visible in them.
        import xml.etree.ElementTree as ElementTree

        for suffix in (".gexf", ".graphml"):
            tree = ElementTree.fromstring(export(analysis, suffix, "fr", "x.xlsx"))
            assert any(
                e.get("label") == "Nom␁avec␇contrôle␛[31m" or e.text == "Nom␁avec␇contrôle␛[31m" for e in tree.iter()
            ), suffix


def test_pictures_are_drawn_without_pyplot_and_several_at_once(tilleuls):
    """The dashboard draws in its worker threads: each picture has its own figure and
    canvas, so two users exporting at once get two good images."""
    from concurrent.futures import ThreadPoolExecutor

    probe = subprocess.run(
        [sys.executable, "-c", "import sys, valuechain.media.images; print('matplotlib.pyplot' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == "False", probe.stderr
    with ThreadPoolExecutor(max_workers=4) as pool:
        images = list(
            pool.map(
                lambda suffix: export(tilleuls, suffix, "fr"),
                [".png", ".chain.png", ".domains.png", ".contributions.png"] * 2,
            )
        )
    assert all(image.startswith(b"\x89PNG") for image in images)


def test_the_map_and_the_comparison_are_named_in_the_readers_words():
    """Names of downloads follow the language, as the Exporter's do: a director downloading in
    English gets "…-en.map.html" and "comparison-2025.xlsx", not French file names."""
    from valuechain.media.comparison import comparison_file_name
    from valuechain.media.exporters import suffix_in

    assert suffix_in(".map.html", "fr") == ".carte.html" and suffix_in(".map.html", "en") == ".map.html"
    assert comparison_file_name(2025, "fr") == "comparaison-2025.xlsx"
    assert comparison_file_name(2025, "en") == "comparison-2025.xlsx"

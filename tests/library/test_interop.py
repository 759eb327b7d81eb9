"""Moving data between valuechain, Kumu and Gephi without changing a figure: every Kumu layout
Kumu documents, built from one centre, gives that centre's figures; round trips keep everything;
the graph files are read back by networkx and python-igraph, strict readers."""

from __future__ import annotations

import csv
import io

import networkx as nx
import openpyxl
import pytest

from helpers import ROOT, SAMPLE_FILES, WORKED_EXAMPLE_FILE, xlsx_bytes
from valuechain import InputFile, load_files, load_paths
from valuechain.chain.analysis import analyse
from valuechain.chain.figures import CODES
from valuechain.chain.metrics import Undefined
from valuechain.media.graph_files import gexf_bytes, graphml_bytes
from valuechain.media.kumu_workbook import kumu_workbook
from valuechain.reading.kumu import KUMU_TYPE
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

ALL_SAMPLES = [*SAMPLE_FILES, WORKED_EXAMPLE_FILE]


def sheets_of(data: bytes) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def same_figures(a, b) -> None:
    for code in CODES:
        x, y = a.figures[code], b.figures[code]
        if isinstance(x, Undefined):
            assert isinstance(y, Undefined), code
        elif hasattr(x, "value") and not isinstance(x, (int, float)):  # an estimate
            assert getattr(y, "value", y) == pytest.approx(x.value), code
        else:
            assert y == pytest.approx(x), code


@pytest.fixture(scope="module")
def kumu_sheets(tilleuls):
    """The worked example as Kumu holds it: Elements and Connections only, with Kumu's names."""
    sheets = sheets_of(kumu_workbook(tilleuls, "en"))
    return {"Elements": sheets["Elements"], "Connections": sheets["Connections"]}


def read(sheets: dict) -> object:
    return analyse(load_files([InputFile("carte-kumu.xlsx", xlsx_bytes(sheets))]))


# Kumu in: every layout gives the same figures -----------------------------------------------------------
def test_a_source_column_on_connections_is_a_citation_not_the_flow_s_source(tilleuls, kumu_sheets):
    connections = [
        row + ["Source"] if i == 0 else row + [f"Convention {i - 1}"]
        for i, row in enumerate(kumu_sheets["Connections"])
    ]
    back = read({**kumu_sheets, "Connections": connections})
    same_figures(tilleuls, back)
    assert back.workbook.errors == [] and not any("Convention" in n for n in back.workbook.actors.name)
    assert back.workbook.flows.extras.tolist()[0]["Source"] == "Convention 0"


def test_elements_with_ids_and_connections_naming_them_by_id(tilleuls, kumu_sheets):
    elements = [list(row) for row in kumu_sheets["Elements"]]
    ids = {row[1]: f"el-{i}" for i, row in enumerate(elements[1:], start=1)}
    for row in elements[1:]:
        row[0] = ids[row[1]]
    connections = [list(row) for row in kumu_sheets["Connections"]]
    for row in connections[1:]:
        row[1], row[2] = ids[row[1]], ids[row[2]]
        if row[9]:
            row[9] = ids[row[9]]  # the earmarked activity, by its id too
    back = read({"Elements": elements, "Connections": connections})
    same_figures(tilleuls, back)
    assert not any(name.startswith("el-") for name in back.workbook.actors.name)


def test_one_sheet_per_element_type_with_lowercase_headers(tilleuls, kumu_sheets):
    header, *rows = kumu_sheets["Elements"]
    by_type: dict[str, list] = {}
    for row in rows:
        by_type.setdefault(row[2], []).append(row)
    sheets = {kind: [[h.lower() for h in header]] + members for kind, members in by_type.items()}
    header, *rows = kumu_sheets["Connections"]
    sheets["Connections"] = [[h.lower() for h in header]] + rows
    assert len(sheets) > 4
    same_figures(tilleuls, read(sheets))


def test_the_same_as_csv_files_as_kumu_exports_them(tilleuls, kumu_sheets, tmp_path):
    files = []
    for name, rows in (
        ("Carte - elements.csv", kumu_sheets["Elements"]),
        ("Carte - connections.csv", kumu_sheets["Connections"]),
    ):
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["" if c is None else c for c in row] for row in rows])
        files.append(InputFile(name, buffer.getvalue().encode("utf-8")))
    back = analyse(load_files(files))
    same_figures(tilleuls, back)


def test_several_targets_in_one_cell_and_each_direction(tmp_path):
    sheets = {
        "Elements": [
            ["Label", "Type"],
            ["Maison", "Centre social"],
            ["Ville", "Public institutions"],
            ["Asso", "Associations"],
            ["Jardin", "Project"],
            ["Café", "Project"],
        ],
        "Connections": [
            ["From", "To", "Type", "Direction", "Quantity"],
            ["Ville", "Maison|Jardin|Café", "Money", "DIRECTED", 100],
            ["Asso", "Maison", "Knowledge", "Mutual", None],
            ["Asso", "Jardin", "Knowledge", "undirected", None],
        ],
    }
    back = read(sheets)
    flows = back.workbook.flows
    money = flows[flows.nature == "monetaire"]
    assert sorted(money.target) == ["Café", "Jardin", "Maison"] and money.quantity.tolist() == [100, 100, 100]
    knowledge = flows[flows.nature == "competences"]
    assert sorted(zip(knowledge.source, knowledge.target)) == [
        ("Asso", "Jardin"),
        ("Asso", "Maison"),
        ("Maison", "Asso"),
    ]
    assert back.figures["reciprocity"] == pytest.approx(1 / 2)  # Asso gives and receives; Ville gives only
    [said] = [p for p in back.workbook.problems if p.code == "kumu_direction"]
    assert (said.row, said.column) == (4, "Direction")


def test_kumu_s_own_types_are_kept_and_each_guess_is_said_once():
    people = [[f"Personne {i}", "Person"] for i in range(40)]
    sheets = {
        "Elements": [
            ["Label", "Type", "Image", "Website"],
            ["Maison", "Centre social", None, None],
            ["Ville", "Organization", "https://exemple.fr/logo.png", "https://exemple.fr"],
            ["Fondatrice", "Employee/Founder", None, None],
        ]
        + people,
        "Connections": [["From", "To", "Type"]]
        + [[f"Personne {i}", "Maison", "Volunteer time"] for i in range(40)]
        + [["Ville", "Maison", "Grant"]] * 3,
    }
    back = read(sheets)
    guesses = [p for p in back.workbook.problems if p.code == "kumu_guess"]
    # Organization, Employee/Founder, Person and Grant, each said once ("Volunteer time" is a
    # word of our list: no guess).
    assert len(guesses) == 4
    assert {(g.value, dict(g.params)["count"]) for g in guesses} >= {("Person", 40), ("Grant", 3)}
    person = next(g for g in guesses if g.value == "Person")
    assert person.message("en") == "Kumu type “Person” (40 rows) read as “Inhabitants”: check that it is right."
    assert "Habitants" in person.message("fr") and "None" not in person.message("fr")
    actors = back.workbook.actors.set_index("name")
    assert actors.loc["Fondatrice", "extras"][KUMU_TYPE] == "Employee/Founder"
    assert actors.loc["Ville", "extras"]["Website"] == "https://exemple.fr"


# Round trips keep everything ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_valuechain_to_kumu_to_valuechain_gives_the_same_figures(path):
    first = analyse(load_paths([path]))
    back = analyse(load_files([InputFile("kumu.xlsx", kumu_workbook(first, "fr"))]))
    same_figures(first, back)
    assert back.workbook.errors == []
    centre, again = first.workbook.centre, back.workbook.centre
    assert (again.name, again.year, again.town, again.federation, again.volunteer_hourly_rate) == (
        centre.name,
        centre.year,
        centre.town,
        centre.federation,
        centre.volunteer_hourly_rate,
    )
    assert sorted(back.workbook.flows.data_source.dropna()) == sorted(first.workbook.flows.data_source.dropna())
    assert sorted(back.workbook.activities.function.dropna()) == sorted(first.workbook.activities.function.dropna())
    if first.social_value is not None:
        assert back.social_value.ratio == pytest.approx(first.social_value.ratio)


def test_an_hourly_rate_of_its_own_comes_back(tmp_path):
    raw = load_paths([WORKED_EXAMPLE_FILE]).raw
    sheets = sheets_of(workbook_bytes(write_raw_workbook(raw, "fr")))
    sheets["Centre"] = [
        row if row[0] != "taux_horaire_benevolat" else ["taux_horaire_benevolat", 11.52] for row in sheets["Centre"]
    ]
    first = analyse(load_files([InputFile("t.xlsx", xlsx_bytes(sheets))]))
    assert first.workbook.centre.volunteer_hourly_rate == 11.52
    back = analyse(load_files([InputFile("k.xlsx", kumu_workbook(first, "en"))]))
    assert back.workbook.centre.volunteer_hourly_rate == 11.52
    same_figures(first, back)


def test_kumu_to_valuechain_to_kumu_keeps_ids_types_tags_fields_and_parallel_connections():
    original = {
        "Elements": [
            ["ID", "Label", "Type", "Tags", "Image"],
            ["e1", "Maison", "Centre social", None, None],
            ["e2", "Ville", "Organization", "public|partenaire", "logo.png"],
            ["e3", "Jardin", "Project", None, None],
        ],
        "Connections": [
            ["ID", "From", "To", "Type", "Value", "Note"],
            ["c1", "e2", "e1", "Grant", 1000, "convention"],
            ["c2", "e2", "e1", "Grant", 500, "avenant"],
            ["c3", "e1", "e3", "Support", None, None],
        ],
    }
    first = read(original)
    again = sheets_of(kumu_workbook(first, "en"))
    elements = {row[1]: dict(zip(again["Elements"][0], row)) for row in again["Elements"][1:]}
    assert {label: e["ID"] for label, e in elements.items()} == {"Maison": "e1", "Ville": "e2", "Jardin": "e3"}
    assert elements["Ville"]["Type"] == "Organization" and elements["Ville"]["Tags"] == "public|partenaire"
    assert elements["Ville"]["Image"] == "logo.png"
    connections = [dict(zip(again["Connections"][0], row)) for row in again["Connections"][1:]]
    assert [c["ID"] for c in connections] == ["c1", "c2", "c3"]
    assert [(c["From"], c["To"], c["Type"], c["Value"], c["Note"]) for c in connections[:2]] == [
        ("Ville", "Maison", "Grant", 1000, "convention"),
        ("Ville", "Maison", "Grant", 500, "avenant"),
    ]
    # And a second time: the same rows, the same ids (a re-import into Kumu updates, duplicates nothing).
    third = sheets_of(kumu_workbook(read({"Elements": again["Elements"], "Connections": again["Connections"]}), "en"))
    assert third["Elements"] == again["Elements"] and third["Connections"] == again["Connections"]


# Graph files valid where strict tools read them --------------------------------------------------------------
@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_gexf_and_graphml_are_read_back_by_networkx_and_igraph(path, tmp_path):
    import igraph

    analysis = analyse(load_paths([path]))
    graph = analysis.graph
    gexf = gexf_bytes(graph)
    assert b'<graph defaultedgetype="directed" mode="static">' in gexf  # no name: the 1.2draft schema has none
    back = nx.read_gexf(io.BytesIO(gexf))
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    graphml = tmp_path / "chain.graphml"
    graphml.write_bytes(graphml_bytes(graph))
    read_back = nx.read_graphml(graphml, force_multigraph=True)
    assert read_back.number_of_edges() == graph.number_of_edges()
    assert all(" " not in node for node in read_back.nodes)  # ids are NMTOKENs; names are attributes
    assert sorted(d["label"] for _, d in read_back.nodes(data=True)) == sorted(
        d["name"] for _, d in graph.nodes(data=True)
    )
    strict = igraph.Graph.Read_GraphML(str(graphml))
    assert (strict.vcount(), strict.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())


def test_a_free_column_of_numbers_and_text_and_parallel_flows_stay_readable(tmp_path):
    import igraph

    sheets = {
        "Acteurs": [
            ["nom", "categorie", "note"],
            ["Maison", "centre", 3],
            ["Ville", "institutions", "bien"],
            ["Asso", "associations", 2.5],
        ],
        "Flux": [
            ["source", "cible", "nature", "quantite", "unite", "reference"],
            ["Ville", "Maison", "monetaire", 1000, "€", 12],
            ["Ville", "Maison", "monetaire", 500, "€", "avenant"],
        ],
    }
    graph = analyse(load_files([InputFile("m.xlsx", xlsx_bytes(sheets))])).graph
    back = nx.read_gexf(io.BytesIO(gexf_bytes(graph)))
    assert sorted(str(d["extra:note"]) for _, d in back.nodes(data=True) if "extra:note" in d) == ["2.5", "3", "bien"]
    edges = list(back.edges(data=True))
    assert sorted(d["value"] for *_, d in edges) == [500, 1000] and len({d["id"] for *_, d in edges}) == 2
    path = tmp_path / "m.graphml"
    path.write_bytes(graphml_bytes(graph))
    text = path.read_text()
    assert text.count('attr.name="extra:note"') == 1 and text.count('attr.name="extra:reference"') == 1
    strict = igraph.Graph.Read_GraphML(str(path))
    assert strict.ecount() == 2 and sorted(strict.es["value"]) == [500, 1000]


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_kumu_to_valuechain_to_kumu_on_every_sample_gives_the_same_map(path):
    """What Kumu holds of each sample comes back to Kumu unchanged: the same ids, rows and fields."""
    once = sheets_of(kumu_workbook(analyse(load_paths([path])), "fr"))
    kumu = {"Elements": once["Elements"], "Connections": once["Connections"]}
    again = sheets_of(kumu_workbook(read(kumu), "fr"))
    assert again["Elements"] == once["Elements"] and again["Connections"] == once["Connections"]


# The published schemas and Kumu's own workbooks, from shared/ (never copied here) -------------------------
SHARED = ROOT.parent / "shared"
SCHEMAS = SHARED / "schemas"
KUMU_EXAMPLES = SHARED / "kumu-examples"


def _schema(*parts: str):
    from lxml import etree

    path = SCHEMAS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"the published schemas are not beside the project ({path})")
    return etree.XMLSchema(etree.parse(str(path)))


HOSTILE_NAMES = {"name": "Centre <b>&</b> « Les Tilleuls »\x07", "other": "=1+1 ; 'quotes' \"and\" \u202f€"}


def _hostile_graph():
    """The worked example with names no schema should choke on (markup, control characters,
    formula-like text): they are data, written as text."""
    workbook = load_paths([WORKED_EXAMPLE_FILE])
    graph = analyse(workbook).graph.copy()
    nodes = list(graph.nodes)
    graph.nodes[nodes[0]]["name"] = HOSTILE_NAMES["name"]
    graph.nodes[nodes[1]]["name"] = HOSTILE_NAMES["other"]
    return graph


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_every_gexf_export_is_valid_against_the_published_gexf_1_2draft_schema(path):
    """Issue 26.11 (from 14): Gephi reads GEXF by its schema; ours is checked against it."""
    from lxml import etree

    schema = _schema("gexf", "1.2draft", "gexf.xsd")
    for graph in (analyse(load_paths([path])).graph, _hostile_graph()):
        document = etree.fromstring(gexf_bytes(graph))
        assert document.nsmap[None] == "http://www.gexf.net/1.2draft"
        schema.assertValid(document)


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.stem)
def test_every_graphml_export_is_valid_against_the_published_graphml_1_0_schema(path):
    from lxml import etree

    schema = _schema("graphml", "1.0", "graphml.xsd")
    for graph in (analyse(load_paths([path])).graph, _hostile_graph()):
        schema.assertValid(etree.fromstring(graphml_bytes(graph)))


@pytest.mark.parametrize("name", ["paypal-mafia.xlsx", "snap-to-tutorial-data.xlsx"])
def test_kumu_s_own_example_workbooks_are_read_keeping_every_element_and_connection(name):
    """Issue 26.11: each element of Kumu's own workbooks is an actor or an activity, each
    connection a flow (or one per pair for "A|B" cells), and every guess is said."""
    import openpyxl

    path = KUMU_EXAMPLES / name
    if not path.exists():
        pytest.skip(f"Kumu's examples are not beside the project ({path})")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = {sheet.title.casefold(): [row for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    elements = [
        row
        for title, rows in sheets.items()
        if title != "connections"
        for row in rows[1:]
        if row and any(cell is not None for cell in row)
    ]
    connections = [row for row in sheets.get("connections", [])[1:] if row and any(cell is not None for cell in row)]
    labels = {str(row[0]).strip() for row in elements if row[0] is not None}
    workbook = load_paths([path])
    kept = set(workbook.actors["name"]) | set(workbook.activities["name"])
    assert labels <= kept, labels - kept
    header = [str(h).strip().casefold() for h in sheets["connections"][0]]
    sources, targets = header.index("from"), header.index("to")
    pairs = sum(len(str(row[sources]).split("|")) * len(str(row[targets]).split("|")) for row in connections)
    assert workbook.errors == [], [p.message("en") for p in workbook.errors][:5]
    assert len(workbook.flows) == len(workbook.raw.tables["flows"].rows) == pairs > 0
    assert "kumu_guess" in {p.code for p in workbook.problems}  # Kumu's own types, each guess said
    for problem in workbook.problems:
        assert problem.message("fr") and problem.message("en")

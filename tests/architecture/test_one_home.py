"""Each figure, word and table has one home: the registry, the catalogue, the store's schema.

A figure is named the same in the docs, the pages, the PDF, the workbook, the comparison and
the JSON; reading does not depend on the figures; the first migration builds the store the
code declares.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import ROOT, WORKED_EXAMPLE_FILE
from valuechain import load_paths
from valuechain.chain.analysis import analyse
from valuechain.chain.figures import BY_CODE, CODES, COMPARED, FIGURES, KEY_FIGURES
from valuechain.media.report import contract_keys, figures, text_report
from valuechain.words import catalogue

DOCS = (ROOT / "docs" / "indicateurs.md").read_text(encoding="utf-8")
TABLES = (
    "contributions",
    "value_by_domain",
    "activity_costs",
    "rate_sensitivity",
)  # figures that are tables, named in the same catalogue


@pytest.fixture(scope="module")
def tilleuls():
    return analyse(load_paths([WORKED_EXAMPLE_FILE]), compute_all=True)


def test_the_catalogue_names_exactly_the_registrys_figures_and_tables():
    """A name with no function ("volunteer_time") drifted from the figures: none is left."""
    assert set(catalogue.by_key("figure")) == set(CODES) | set(TABLES)
    assert set(catalogue.by_key("figure_definition")) == set(CODES) | set(TABLES)
    assert len(CODES) == len(FIGURES) and set(COMPARED) <= set(CODES) and set(KEY_FIGURES) <= set(CODES)


@pytest.mark.parametrize("code", list(CODES) + list(TABLES))
def test_the_docs_give_each_figure_its_one_name_and_its_json_key(code):
    french = catalogue.text("figure", code, "fr")
    english = catalogue.text("figure", code, "en")
    assert f"| {french} (`{code}`) |" in DOCS
    assert f"**{english}** (`{code}`" in DOCS


def test_public_funding_is_money_flows_of_resources_in_the_docs_and_the_help():
    assert "**de ressources**" in DOCS.split("(`public_funding`)")[1].split("\n")[0]
    assert "de ressources" in BY_CODE["public_funding"].definition("fr")
    assert "of resources" in BY_CODE["public_funding"].definition("en")


@pytest.mark.parametrize("code", ["reciprocity", "centre_betweenness", "centre_dependence", "evenness"])
def test_every_figure_row_of_the_docs_says_its_limits(code):
    row = next(line for line in DOCS.splitlines() if f"(`{code}`) |" in line)
    limits = row.rstrip("|").split("|")[-1].strip()
    assert len(limits) > 40, row


def test_the_docs_say_what_undefined_means_and_that_a_sum_over_nothing_is_zero():
    assert "non défini" in DOCS and "somme sur rien vaut 0" in DOCS
    assert "undefined" in DOCS and "sum over nothing is 0" in DOCS


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_medium_names_a_figure_as_the_catalogue_does(tilleuls, lang, tmp_path):
    import openpyxl

    from valuechain.media.comparison import comparison_frame
    from valuechain.media.results import results_workbook

    names = {code: catalogue.text("figure", code, lang) for code in CODES}
    # The comparison: every compared figure and the coverage under their one name.
    columns = set(comparison_frame([figures(tilleuls, lang)], lang).columns)
    assert {names[c] for c in COMPARED} | {names["local_coverage"]} <= columns
    # The results workbook's figures sheet: code, name, value, definition.
    path = tmp_path / "results.xlsx"
    path.write_bytes(results_workbook(tilleuls, lang))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] in names}
    assert rows == names
    # The text report.
    report = text_report(tilleuls, lang)
    assert all(name in report for name in names.values())


def test_the_pdf_names_every_figure_as_the_catalogue_does(tilleuls):
    import shutil

    from valuechain.media.pdf import pdf_report as make_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, installed by make test as root) is not here")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=make_pdf(tilleuls, "fr"), capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert [c for c in CODES if " ".join(catalogue.text("figure", c, "fr").split()) not in flat] == []


def test_the_json_keys_come_from_the_registry_and_the_readme_lists_them(tilleuls):
    keys = contract_keys()
    assert list(figures(tilleuls))[: len(keys)] == keys
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = readme.split("prints one object with the keys")[1].split("(then")[0]
    assert re.findall(r"`(\w+)`", sentence) == keys


def test_reading_sits_below_the_figures():
    """Reading and validating a workbook load nothing that computes figures."""
    probe = (
        "import sys, valuechain, valuechain.reading.reader, valuechain.reading.validation, valuechain.reading.kumu;"
        "print(sorted(m for m in sys.modules if m.startswith('valuechain')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    for above in ("analysis", "metrics", "graph", "figures", "report", "formatting", "kumu_export"):
        assert f"'valuechain.{above}'" not in loaded, loaded


def test_the_library_never_imports_streamlit():
    for path in (ROOT / "valuechain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit\b", text, re.M), path


def test_the_first_migrations_build_the_store_the_code_declares(tmp_path):
    import sqlalchemy as sa

    from valuechain.store.db import Store
    from valuechain.store.schema import METADATA

    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    inspector = sa.inspect(store.engine)
    assert {"roles", "audit", "identities", "workshops", "drafts"} <= set(METADATA.tables)
    for table in METADATA.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in inspector.get_indexes(table.name) if i["name"]}
        assert indexes == {i.name for i in table.indexes}, table.name


def test_a_new_figure_is_one_registry_entry_its_function_its_words_and_its_test(monkeypatch, tmp_path):
    """The tests' own example of adding a figure: its function, one entry in the registry,
    its name and definition in the catalogue; it then shows in the JSON, the pages, the PDF,
    the results workbook and the comparison, with nothing else edited."""
    import io
    import shutil

    import openpyxl
    from streamlit.testing.v1 import AppTest

    from valuechain.chain import figures as registry
    from valuechain.media.comparison import comparison_frame
    from valuechain.media.pdf import pdf_report
    from valuechain.media.results import results_workbook

    def flows_counted(graph):  # its function (and its test: the Tilleuls have 11 flows)
        return float(graph.number_of_edges())

    entry = registry.Figure("flows_counted", flows_counted, registry.PEOPLE, first_set=False)
    grown = registry.FIGURES + (entry,)  # the one entry; what the registry derives from it:
    monkeypatch.setattr(registry, "FIGURES", grown)
    monkeypatch.setattr(registry, "BY_CODE", {f.code: f for f in grown})
    monkeypatch.setattr(registry, "CODES", tuple(f.code for f in grown))
    monkeypatch.setattr(registry, "COMPARED", tuple(f.code for f in grown if f.compared))
    monkeypatch.setattr(registry, "SECOND_SET", tuple(f.code for f in grown if not f.first_set))
    for lang, name, definition in (
        ("fr", "Flux comptés", "Nombre de flux de la chaîne."),
        ("en", "Flows counted", "Number of flows in the chain."),
    ):  # its words
        monkeypatch.setitem(catalogue._texts(lang), ("figure", "flows_counted"), name)
        monkeypatch.setitem(catalogue._texts(lang), ("figure_definition", "flows_counted"), definition)

    analysis = analyse(load_paths([WORKED_EXAMPLE_FILE]), compute_all=True)
    assert flows_counted(analysis.graph) == 11
    report = figures(analysis, "fr")
    assert report["flows_counted"] == 11  # the JSON
    assert "Flux comptés" in comparison_frame([report], "fr").columns  # the comparison
    sheet = openpyxl.load_workbook(io.BytesIO(results_workbook(analysis, "en"))).worksheets[0]
    assert ("flows_counted", "Flows counted", 11) in [row[:3] for row in sheet.iter_rows(values_only=True)]
    if shutil.which("pdftotext"):  # the PDF
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf_report(analysis, "fr"), capture_output=True, check=True
        ).stdout.decode()
        assert "Flux comptés" in text
    # The pages: analyses are cached per file content across sessions, so the cache is
    # emptied (one made before the registry grew would not hold the new figure).
    from dashboard.shown import _analysis_of_files

    _analysis_of_files.clear()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state["sample"] = WORKED_EXAMPLE_FILE.name
    app.run()
    app.switch_page("pages/contributions.py").run()
    assert not app.exception
    shown = {m.label: m.value for m in app.metric}
    _analysis_of_files.clear()  # no analysis with the test's figure outlives the test
    assert shown["Flux comptés"] == "11"

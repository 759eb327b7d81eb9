"""The blank template, writing a workbook back, and reading it again."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from helpers import SAMPLE_FILES, WORKED_EXAMPLE_FILE, load_xlsx, minimal_sheets
from valuechain import InputFile, load_files, load_paths
from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, DOMAINS, NATURES
from valuechain.words.messages import say_list
from valuechain.workbook.template import LISTS_SHEET, build_template
from valuechain.workbook.writing import workbook_bytes, write_raw_workbook


def _reopen(book) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))


def _list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    reference = formula.split("!")[1].replace("$", "")
    return [cell.value for (cell,) in book[LISTS_SHEET][reference]]


def _validations(sheet) -> dict[str, str]:
    """First column letter of each validated range → its list formula."""
    return {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 for v in sheet.data_validations.dataValidation}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_template_has_real_dropdowns_bound_to_the_vocabulary(lang):
    book = _reopen(build_template(lang))
    assert book[LISTS_SHEET].sheet_state == "hidden"
    actors = book["Acteurs" if lang == "fr" else "Actors"]
    flows = book["Flux" if lang == "fr" else "Flows"]
    activities = book["Activites" if lang == "fr" else "Activities"]
    indicators = book["Indicateurs" if lang == "fr" else "Indicators"]
    assert _list_values(book, _validations(actors)["C"]) == [t.label(lang) for t in CATEGORIES.terms]
    assert _list_values(book, _validations(actors)["E"]) == say_list("yes_no", "words", lang)
    assert _list_values(book, _validations(flows)["C"]) == [t.label(lang) for t in NATURES.terms]
    assert _list_values(book, _validations(activities)["C"]) == [t.label(lang).lower() for t in ACTIVITY_TYPES.terms]
    assert _list_values(book, _validations(indicators)["A"]) == [t.short(lang) for t in DOMAINS.terms]
    # Every label offered by a dropdown reads back as its code.
    assert [CATEGORIES.match(v) for v in _list_values(book, _validations(actors)["C"])] == list(CATEGORIES.codes)
    assert [NATURES.match(v) for v in _list_values(book, _validations(flows)["C"])] == list(NATURES.codes)
    assert [DOMAINS.match(v) for v in _list_values(book, _validations(indicators)["A"])] == list(DOMAINS.codes)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_template_explains_itself_and_freezes_its_headers(lang):
    book = _reopen(build_template(lang))
    assert book.sheetnames[0] == "Instructions"
    instructions = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert ("obligatoire" if lang == "fr" else "required") in instructions.lower()
    for name in (
        ("Acteurs", "Activites", "Flux", "Indicateurs")
        if lang == "fr"
        else ("Actors", "Activities", "Flows", "Indicators")
    ):
        assert book[name].freeze_panes == "A2"
        assert book[name].column_dimensions["A"].width > 10


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_template_filled_with_its_own_examples_reads_back_with_no_error(lang):
    workbook = load_files([InputFile("modele.xlsx", workbook_bytes(build_template(lang)))])
    assert workbook.errors == []
    assert len(workbook.flows) == 1 and len(workbook.indicators) == 1 and len(workbook.outcomes) == 1
    # The reader recognises the examples, so nobody reports the template's figures by mistake.
    example_rows = [p for p in workbook.problems if p.code == "example_row"]
    assert len(example_rows) == 6
    assert [p.code for p in workbook.problems if p.code != "example_row" and p.table == "outcomes"] == []
    # The example's outcome, its percentages written with their sign, is valued.
    assert workbook.outcomes.iloc[0]["deadweight"] == 0.2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_template_does_not_warn_about_itself_and_filled_as_told_warns_only_of_its_examples(lang):
    """Issue 26.2: the blank template's help column gave 11 warnings ("des cellules après la
    valeur…"). Blank: only the missing year and the example rows. Its Centre sheet filled as its
    help says: the example rows' warnings alone."""
    blank = load_files([InputFile("modele.xlsx", workbook_bytes(build_template(lang)))])
    assert sorted({p.code for p in blank.problems}) == ["centre_year_missing", "example_row"]
    book = build_template(lang)
    centre = book.worksheets[[s.title for s in book.worksheets].index("Centre")]
    example_centre = blank.actors[blank.actors["category"] == "centre"]["name"].iloc[0]
    for row, value in zip(range(2, centre.max_row + 1), [example_centre, "Valence", "26", "FD Drôme", 2025]):
        centre.cell(row, 2, value)
    filled = load_files([InputFile("modele.xlsx", workbook_bytes(book))])
    assert {p.code for p in filled.problems} == {"example_row"}
    # A third column that is not the template's help is still said.
    centre.cell(1, 3, "autre chose")
    said = load_files([InputFile("modele.xlsx", workbook_bytes(book))])
    assert "centre_extra_cells" in {p.code for p in said.problems}


def test_the_template_reads_as_ods_after_conversion_by_libreoffice(tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed here (.ci/run installs libreoffice-calc-nogui)")
    source = tmp_path / "modele.xlsx"
    build_template("fr").save(source)
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    workbook = load_paths([tmp_path / "modele.ods"])
    assert workbook.errors == [] and len(workbook.flows) == 1


def _comparable(workbook):
    tables = {}
    for code in ("actors", "activities", "flows", "indicators"):
        frame = getattr(workbook, code).drop(columns=["row", "sheet"]).reset_index(drop=True)
        tables[code] = frame.to_dict("records")
    raw = {code: [r.cells for r in table.rows] for code, table in workbook.raw.tables.items()}
    return workbook.centre, tables, raw, sorted((p.code, p.row, p.column) for p in workbook.problems)


@pytest.mark.parametrize("path", SAMPLE_FILES + [WORKED_EXAMPLE_FILE], ids=lambda p: p.stem)
def test_writing_a_sample_back_and_reading_it_again_gives_the_same_data(path):
    first = load_paths([path])
    again = load_files([InputFile("again.xlsx", workbook_bytes(write_raw_workbook(first.raw, "fr", first.problems)))])
    assert _comparable(again)[:3] == _comparable(first)[:3]


def test_the_round_trip_keeps_extra_columns_and_rows_in_error():
    sheets = minimal_sheets(
        flows=[
            ["Mairie", "Jardin", "monetaire", 100, "€", None],
            ["Mairie", "Jardin", "monetaire", "beaucoup", None, None],
            ['=HYPERLINK("http://x")', "Jardin", "nature", "-3", None, None],
        ]
    )
    sheets["Flux"][0] = sheets["Flux"][0] + ["Référent"]
    sheets["Flux"][1] = sheets["Flux"][1] + ["Julie"]
    first = load_xlsx(sheets)
    assert len(first.errors) == 2
    data = workbook_bytes(write_raw_workbook(first.raw, "fr", first.problems))
    again = load_files([InputFile("again.xlsx", data)])
    assert _comparable(again) == _comparable(first)
    # Rows in error come back highlighted with their problem as a comment; a formula-like
    # name stays text.
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Flux"]
    assert "nombre" in sheet["A3"].comment.text
    assert sheet["A4"].data_type == "s" and sheet["A4"].value.startswith("=")
    assert "Référent" in [c.value for c in sheet[1]]


def test_an_english_export_reads_back_the_same():
    first = load_paths([WORKED_EXAMPLE_FILE])
    again = load_files([InputFile("en.xlsx", workbook_bytes(write_raw_workbook(first.raw, "en")))])
    assert _comparable(again)[1] == _comparable(first)[1]
    assert openpyxl.load_workbook(io.BytesIO(workbook_bytes(write_raw_workbook(first.raw, "en")))).sheetnames[:2] == [
        "Centre",
        "Actors",
    ]


def test_a_text_longer_than_excel_holds_is_shortened_in_the_export_and_said():
    first = load_xlsx({"Flux": [["source", "cible", "nature", "description"], ["A", "B", "monetaire", "court"]]})
    first.raw.tables["flows"].rows[0].cells["description"] = "y" * 40_000
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(write_raw_workbook(first.raw))))
    headers = [c.value for c in book["Flux"][1]]
    assert len(book["Flux"].cell(2, headers.index("description") + 1).value) == 32_767
    assert "_textes_raccourcis" in book.sheetnames

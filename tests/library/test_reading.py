"""Reading a centre's workbook as shared/workbook-format.md says, rule by rule."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from helpers import FLOW_HEADER, codes, load_csv, load_xlsx, minimal_sheets, problem, xlsx_bytes
from valuechain import InputFile, ReadLimits, UnreadableWorkbook, load_files, read_files
from valuechain.chain.analysis import analyse


# File types ----------------------------------------------------------------------------------------
def _frames_to(path_suffix: str, sheets: dict, engine: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine=engine) as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def _xls_bytes(sheets: dict) -> bytes:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("extension", ["xlsx", "xlsm", "ods", "xls"])
def test_every_workbook_type_reads_the_same(extension):
    sheets = minimal_sheets()
    if extension in ("xlsx", "xlsm"):
        data = xlsx_bytes(sheets)
    elif extension == "ods":
        data = _frames_to(".ods", sheets, "odf")
    else:
        data = _xls_bytes(sheets)
    workbook = load_files([InputFile(f"centre.{extension}", data)])
    assert workbook.errors == []
    assert workbook.centre.name == "Centre Test"
    assert list(workbook.flows.source) == ["Mairie"]
    assert workbook.flows.quantity.tolist() == [100]


# CSV variants ---------------------------------------------------------------------------------------
FRENCH_EXCEL_FLOWS = (
    "source;cible;nature;quantité;unité;valeur\r\n"
    "Mairie;Centre;Monétaire;1 234,56;€;\r\n"
    "Bénévoles;Centre;Bénévolat;12,5 h;;\r\n"
    "Ferme;Centre;nature;3 000 €;;\r\n"
)


def test_a_french_excel_csv_in_windows_1252_with_semicolons_reads_its_numbers():
    workbook = load_csv(FRENCH_EXCEL_FLOWS, encoding="cp1252")
    flows = workbook.flows
    assert flows.quantity.tolist() == [1234.56, 12.5, 3000.0]
    assert flows.unit.tolist() == ["€", "h", "€"]
    assert flows.nature.tolist() == ["monetaire", "benevolat", "nature"]
    assert "Bénévoles" in workbook.actors.name.tolist()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(encoding):
    workbook = load_csv(FRENCH_EXCEL_FLOWS, encoding=encoding)
    assert "Bénévoles" in workbook.actors.name.tolist()


def test_excel_unicode_text_export_utf16_with_tabs():
    text = FRENCH_EXCEL_FLOWS.replace(";", "\t")
    workbook = load_files([InputFile("Flux.txt", text.encode("utf-16"))])
    assert workbook.flows.quantity.tolist() == [1234.56, 12.5, 3000.0]


@pytest.mark.parametrize("separator", [",", "\t"])
def test_comma_and_tab_separators_are_detected(separator):
    text = f'source{separator}cible{separator}nature{separator}quantite\nMairie{separator}Centre{separator}monetaire{separator}"1,5"\n'
    workbook = load_csv(text)
    assert workbook.flows.quantity.tolist() == [1.5]


def test_a_csv_line_that_does_not_fit_the_separator_is_an_error_on_that_line():
    text = "source;cible;nature\nMairie;Centre;monetaire\nCAF;Centre;monetaire;en trop\nFerme;Centre;nature\n"
    workbook = load_csv(text)
    error = problem(workbook, "csv_field_count")
    assert (error.sheet, error.row, error.severity) == ("Flux.csv", 3, "error")
    assert workbook.flows.source.tolist() == ["Mairie", "Ferme"]
    # The broken line is kept aside, not lost.
    assert any(r.row == 3 and r.broken for r in workbook.raw.tables["flows"].rows)


def test_several_csv_files_make_one_workbook_and_are_recognised_by_name():
    actors = "nom;categorie\nCentre des Castors;centre\nMairie;institutions\n"
    flows = "source;cible;nature;quantite\nMairie;Centre des Castors;monetaire;500\n"
    workbook = load_files(
        [
            InputFile("Castors - Acteurs.csv", actors.encode("cp1252")),
            InputFile("Castors - Flux.csv", flows.encode("cp1252")),
        ]
    )
    assert workbook.errors == [] and workbook.raw.name == "Castors"
    assert workbook.centre_id == "Centre des Castors"
    assert dict(zip(workbook.actors.name, workbook.actors.category))["Mairie"] == "institutions"


def test_a_csv_is_recognised_by_its_headers_when_its_name_says_nothing():
    workbook = load_files([InputFile("export.csv", b"source;cible;nature\nA;B;monetaire\n")])
    assert len(workbook.flows) == 1


def test_headers_win_over_the_file_name_with_a_warning():
    workbook = load_files([InputFile("Acteurs.csv", b"source;cible;nature\nA;B;monetaire\n")])
    assert len(workbook.flows) == 1
    assert "csv_name_headers_disagree" in codes(workbook)


def _centre_folder(encoding: str, separator: str, with_header: bool) -> list[InputFile]:
    """A folder of French Excel CSV files, the Centre table in its key/value layout."""
    centre = ([["Champ", "Valeur"]] if with_header else []) + [
        ["nom", "Centre des Tilleuls"],
        ["type", "centre social"],
        ["année", "2025"],
        ["taux_horaire_bénévolat", "11,65"],
        ["commune", "Valence"],
    ]
    actors = [["nom", "categorie"], ["Centre des Tilleuls", "centre"], ["Voisins", "habitants"]]
    flows = [
        ["source", "cible", "nature", "quantite", "unite"],
        ["Voisins", "Centre des Tilleuls", "benevolat", "10", "h"],
    ]

    def csv_file(name: str, rows: list[list[str]]) -> InputFile:
        text = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
        data = text.encode(encoding)
        if encoding == "utf-16-le":
            data = b"\xff\xfe" + data  # Excel's "Texte Unicode": UTF-16 with its BOM, tabs
        return InputFile(name, data)

    return [
        csv_file("Tilleuls - Centre.csv", centre),
        csv_file("Tilleuls - Acteurs.csv", actors),
        csv_file("Tilleuls - Flux.csv", flows),
    ]


@pytest.mark.parametrize("with_header", [True, False])
@pytest.mark.parametrize(
    "encoding,separator", [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16-le", "\t")]
)
def test_a_centre_csv_in_champ_valeur_form_is_the_centre_table(encoding, separator, with_header):
    workbook = load_files(_centre_folder(encoding, separator, with_header))
    assert "csv_name_headers_disagree" not in codes(workbook)
    assert workbook.centre.name == "Centre des Tilleuls"
    assert workbook.centre.year == 2025 and workbook.centre.town == "Valence"
    assert workbook.centre.volunteer_hourly_rate == pytest.approx(11.65)
    assert workbook.activities.empty  # nothing of the Centre table was read as an activity


def test_a_centre_table_with_no_telling_name_is_recognised_by_its_layout():
    text = "nom;Centre des Tilleuls\ntaux_horaire_benevolat;11,65\n"
    flows = "source;cible;nature;quantite\nMairie;Centre des Tilleuls;monetaire;500\n"
    workbook = load_files([InputFile("a.csv", text.encode()), InputFile("b.csv", flows.encode())])
    assert workbook.centre.volunteer_hourly_rate == pytest.approx(11.65)
    assert workbook.activities.empty


def test_a_centre_sheet_of_a_workbook_reads_with_or_without_its_header_row():
    for rows in (
        [["champ", "valeur"], ["nom", "Les Tilleuls"], ["taux_horaire_benevolat", 11.65]],
        [["nom", "Les Tilleuls"], ["taux_horaire_benevolat", 11.65]],
    ):
        workbook = load_xlsx({"Centre": rows, "Flux": [FLOW_HEADER[:3], ["A", "Les Tilleuls", "monetaire"]]})
        assert workbook.centre.name == "Les Tilleuls"
        assert workbook.centre.volunteer_hourly_rate == pytest.approx(11.65)


# Sheet and header matching -----------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Valeur (€)", "valeur", "VALEUR_EUR", "Value", "value_eur", " Valeur "])
def test_the_value_column_is_found_under_any_of_its_spellings(header):
    workbook = load_xlsx({"Flux": [["source", "cible", "nature", header], ["A", "B", "monetaire", 10]]})
    assert workbook.flows.value_entered.tolist() == [10]


def test_english_sheets_and_columns():
    workbook = load_xlsx(
        {
            "Actors": [
                ["name", "category", "local"],
                ["Our centre", "The centre", "yes"],
                ["Town hall", "Public institutions", "no"],
            ],
            "Flows": [
                ["source", "target", "kind", "quantity", "unit"],
                ["Town hall", "Our centre", "Money", 10, "euros"],
            ],
        }
    )
    assert workbook.errors == []
    assert workbook.flows.nature.tolist() == ["monetaire"]
    assert workbook.flows.unit.tolist() == ["€"]
    assert dict(zip(workbook.actors.name, workbook.actors.local))["Town hall"] is False


def test_sheet_names_ignore_case_accents_and_spaces():
    workbook = load_xlsx(
        {
            " ACTIVITÉS ": [["Nom", "Type"], ["Jardin", "Support"]],
            "flux": [["Source", "Cible", "Nature"], ["A", "Jardin", "monétaire"]],
        }
    )
    assert workbook.activities.type.tolist() == ["support"]


def test_sheets_starting_with_underscore_or_marked_ignore_are_skipped():
    workbook = load_xlsx(
        {
            "_notes": [["source", "cible", "nature"], ["X", "Y", "monetaire"]],
            "Brouillon (ignore)": [["nom", "categorie"], ["Z", "autre"]],
            "Flux": [["source", "cible", "nature"], ["A", "B", "monetaire"]],
        }
    )
    assert set(workbook.actors.name) == {"A", "B"}
    assert "sheet_unknown" not in codes(workbook)


def test_an_unknown_sheet_is_reported_not_silently_dropped():
    workbook = load_xlsx(
        {
            "Budget": [["poste", "montant"], ["loyer", 100]],
            "Flux": [["source", "cible", "nature"], ["A", "B", "monetaire"]],
        }
    )
    assert problem(workbook, "sheet_unknown").sheet == "Budget"


def test_a_single_sheet_named_feuil1_is_recognised_by_its_headers():
    workbook = load_xlsx({"Feuil1": [["source", "cible", "nature"], ["A", "B", "monetaire"]]})
    assert len(workbook.flows) == 1


def test_title_rows_are_skipped_with_a_warning_and_row_numbers_stay_the_spreadsheets():
    workbook = load_xlsx(
        {
            "Flux": [
                ["Flux du centre 2025"],
                [],
                ["source", "cible", "nature", "quantite"],
                ["A", "B", "monetaire", 10],
                [],
                ["C", "B", "monetaire", "dix"],
            ]
        }
    )
    warning = problem(workbook, "title_rows_skipped")
    assert (warning.row, dict(warning.params)["count"]) == (3, 1)
    error = problem(workbook, "number_invalid")
    assert (error.sheet, error.row, error.column, error.value) == ("Flux", 6, "quantite", "dix")


def test_a_header_beyond_the_first_ten_rows_is_not_found():
    rows = [["titre"]] * 10 + [["source", "cible", "nature"], ["A", "B", "monetaire"]]
    with pytest.raises(UnreadableWorkbook) as raised:
        load_xlsx({"Flux": rows})
    assert raised.value.code == "no_flows_table"


def test_a_table_that_starts_further_right_and_down_keeps_its_row_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Flux"
    for column, header in zip("CDE", ["source", "cible", "nature"]):
        sheet[f"{column}4"] = header
    sheet["C5"], sheet["D5"], sheet["E5"] = "A", "B", "nature inconnue"
    buffer = io.BytesIO()
    book.save(buffer)
    workbook = load_files([InputFile("c.xlsx", buffer.getvalue())])
    assert problem(workbook, "label_unknown").row == 5


def test_unknown_columns_are_kept_as_extra_attributes():
    workbook = load_xlsx({"Flux": [["source", "cible", "nature", "Référent"], ["A", "B", "monetaire", "Julie"]]})
    assert workbook.flows.extras.tolist() == [{"Référent": "Julie"}]
    assert "Référent" in workbook.raw.tables["flows"].extra_columns


# Labels ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, code",
    [
        ("Institutions publiques", "institutions"),
        ("institutions publiques (commune, CAF, département, État)", "institutions"),
        ("BÉNÉVOLES", "benevoles"),
        ("Public institutions", "institutions"),
        ("Producteurs locaux", "producteurs"),
        ("habitants", "habitants"),
        ("Private funders", "financeurs"),
    ],
)
def test_categories_are_matched_like_headers(typed, code):
    workbook = load_xlsx(
        {
            "Acteurs": [["nom", "categorie"], ["Le centre", "centre"], ["X", typed]],
            "Flux": [["source", "cible", "nature"], ["X", "Le centre", "monetaire"]],
        }
    )
    assert dict(zip(workbook.actors.name, workbook.actors.category))["X"] == code


@pytest.mark.parametrize("typed", ["Centre social", "centre social (le centre lui-même)", "The centre", "CENTRE"])
def test_the_centre_category_in_any_spelling_marks_the_centre(typed):
    workbook = load_xlsx(
        {
            "Acteurs": [["nom", "categorie"], ["Mairie", "institutions"], ["Les Castors", typed]],
            "Flux": [["source", "cible", "nature"], ["Mairie", "Les Castors", "monetaire"]],
        }
    )
    assert workbook.centre_id == "Les Castors" and workbook.errors == []
    assert not {"centre_inferred", "centre_created", "label_unknown"} & set(codes(workbook))


@pytest.mark.parametrize(
    "typed, code",
    [
        ("monétaire", "monetaire"),
        ("Bénévolat", "benevolat"),
        ("Dons en nature", "nature"),
        ("Locaux, matériel mis à disposition", "lieu"),
        ("Service rendu", "service"),
        ("Compétences", "competences"),
        ("information", "information"),
        ("Confiance", "reconnaissance"),
        ("Money", "monetaire"),
        ("Volunteer time", "benevolat"),
    ],
)
def test_natures_are_matched_like_headers(typed, code):
    workbook = load_xlsx({"Flux": [["source", "cible", "nature"], ["A", "B", typed]]})
    assert workbook.flows.nature.tolist() == [code]


def test_an_unknown_category_becomes_autre_keeping_the_original_text():
    workbook = load_xlsx(
        minimal_sheets(
            actors=[
                ["nom", "categorie"],
                ["Centre Test", "centre"],
                ["Mairie", "collectivité"],
                ["Voisins", "voisinage"],
            ]
        )
    )
    warning = problem(workbook, "label_unknown")
    assert (warning.sheet, warning.row, warning.column, warning.value) == ("Acteurs", 4, "categorie", "voisinage")
    voisins = workbook.actors.set_index("name").loc["Voisins"]
    assert (voisins.category, voisins.category_text) == ("autre", "voisinage")


def test_the_centre_sheet_fields_match_like_headers_with_or_without_a_header_row():
    workbook = load_xlsx(
        {
            "Centre": [
                ["Nom", "Les Castors"],
                ["Année", "2024"],
                ["Taux horaire bénévolat (€/h)", "15,5"],
                ["Type", "Espace de vie sociale"],
            ],
            "Flux": [["source", "cible", "nature"], ["A", "Les Castors", "monetaire"]],
        }
    )
    assert (workbook.centre.name, workbook.centre.year) == ("Les Castors", 2024)
    assert workbook.centre.volunteer_hourly_rate == 15.5
    assert workbook.centre.type == "evs"


# Defaults and inferences, each a warning -----------------------------------------------------------------------
def test_a_flows_file_alone_is_valid_and_its_inferences_are_reported():
    workbook = load_csv(
        "source;cible;nature;quantite\nMairie;Les Castors;monetaire;100\n"
        "Voisins;Les Castors;benevolat;10 h\nLes Castors;Voisins;service;5 personnes\n"
    )
    assert workbook.errors == []
    assert workbook.centre_id == "Les Castors"
    assert problem(workbook, "centre_inferred").value == "Les Castors"
    assert codes(workbook).count("actor_created") == 3
    assert "centre_year_missing" in codes(workbook)
    assert workbook.centre.volunteer_hourly_rate == 12.02


def test_an_actor_found_only_in_flows_is_created_as_autre_where_first_met():
    workbook = load_xlsx(
        minimal_sheets(
            flows=[["Inconnu", "Jardin", "nature", 1, None, None], ["inconnu", "Jardin", "nature", 2, None, None]]
        )
    )
    created = [p for p in workbook.problems if p.code == "actor_created"]
    assert [(p.sheet, p.row, p.column, p.value) for p in created] == [("Flux", 2, "source", "Inconnu")]
    assert dict(zip(workbook.actors.name, workbook.actors.category))["Inconnu"] == "autre"
    assert len(workbook.flows) == 2  # references ignore case


def test_no_centre_actor_creates_it_from_the_centre_sheet():
    workbook = load_xlsx(
        {
            "Centre": [["nom", "Les Castors"]],
            "Acteurs": [["nom", "categorie"], ["Mairie", "institutions"]],
            "Flux": [["source", "cible", "nature"], ["Mairie", "Les Castors", "monetaire"]],
        }
    )
    assert "centre_created" in codes(workbook)
    assert workbook.centre_id == "Les Castors"
    assert dict(zip(workbook.actors.name, workbook.actors.category))["Les Castors"] == "centre"


def test_an_actor_named_by_the_centre_sheet_is_taken_as_the_centre():
    workbook = load_xlsx(
        {
            "Centre": [["nom", "Les Castors"]],
            "Acteurs": [["nom", "categorie"], ["Les Castors", "association"], ["Mairie", "institutions"]],
            "Flux": [["source", "cible", "nature"], ["Mairie", "Les Castors", "monetaire"]],
        }
    )
    assert "centre_from_sheet" in codes(workbook) and workbook.centre_id == "Les Castors"


def test_the_centre_sheet_name_is_the_display_name_with_a_warning_when_it_differs():
    sheets = minimal_sheets()
    sheets["Centre"][1] = ["nom", "Centre social Test (officiel)"]
    workbook = load_xlsx(sheets)
    assert workbook.centre.name == "Centre social Test (officiel)"
    assert "centre_name_differs" in codes(workbook)


def test_activity_defaults_type_principale_lead_the_centre_and_unknown_values_warn():
    sheets = minimal_sheets()
    sheets["Activites"] = [
        ["nom", "type", "fonction", "domaines"],
        ["Jardin", "", "", "Environnementale | sociétale"],
        ["Accueil", "essentielle", "", ""],
        ["Bureau", "support", "secrétariat", "climat"],
    ]
    workbook = load_xlsx(sheets)
    activities = workbook.activities.set_index("name")
    assert activities.loc["Jardin", "type"] == "principale"
    assert activities.loc["Jardin", "lead"] == "Centre Test"
    assert activities.loc["Jardin", "domains"] == ("environnemental", "societal")
    assert activities.loc["Accueil", "type"] == "principale"
    assert activities.loc["Bureau", "function"] == "autre"
    assert {"activity_type_unknown", "function_unknown", "domain_unknown"} <= set(codes(workbook))
    assert problem(workbook, "domain_unknown").value == "climat"


def test_a_partner_led_activity_and_an_unknown_lead():
    sheets = minimal_sheets()
    sheets["Activites"] = [["nom", "porteur"], ["Jardin", "mairie"], ["Troc", "Collectif Troc"]]
    workbook = load_xlsx(sheets)
    leads = dict(zip(workbook.activities.name, workbook.activities.lead))
    assert leads == {"Jardin": "Mairie", "Troc": "Collectif Troc"}
    assert problem(workbook, "actor_created").column == "porteur"


def test_tangible_defaults_from_the_nature_and_can_be_overridden():
    workbook = load_xlsx(
        {
            "Flux": [
                ["source", "cible", "nature", "tangible"],
                ["A", "B", "monetaire", None],
                ["A", "B", "information", None],
                ["A", "B", "information", "oui"],
                ["A", "B", "service", "peut-être"],
            ]
        }
    )
    assert workbook.flows.tangible.tolist() == [True, False, True, True]
    assert problem(workbook, "yes_no_unknown").row == 5


def test_a_unit_in_the_quantity_and_a_different_unite_column_the_column_wins():
    workbook = load_xlsx(
        {"Flux": [["source", "cible", "nature", "quantite", "unite"], ["A", "B", "benevolat", "12 h", "jours"]]}
    )
    assert workbook.flows.unit.tolist() == ["jours"]
    assert problem(workbook, "unit_conflict").row == 2


def test_a_flow_of_another_year_counts_with_a_warning_and_the_year_defaults_to_the_centres():
    sheets = minimal_sheets(flows=[["Mairie", "Jardin", "monetaire", 10, None, None]])
    sheets["Flux"] = [
        FLOW_HEADER + ["annee"],
        ["Mairie", "Jardin", "monetaire", 10, None, None, 2024],
        ["Mairie", "Jardin", "monetaire", 20, None, None, None],
    ]
    workbook = load_xlsx(sheets)
    assert workbook.flows.year.tolist() == [2024, 2025]
    assert problem(workbook, "other_year").row == 2


def test_a_very_long_text_is_kept_whole_with_a_warning():
    long_text = "x" * 40_000
    workbook = load_csv(f"source;cible;nature;description\nA;B;monetaire;{long_text}\n")
    assert workbook.flows.description.tolist() == [long_text]
    assert dict(problem(workbook, "long_text").params)["length"] == 40_000


# Errors: each left out, located, kept aside --------------------------------------------------------------
@pytest.mark.parametrize(
    "row, code, column",
    [
        (["", "Jardin", "monetaire", 1, None, None], "required_missing", "source"),
        (["Mairie", "Jardin", "", 1, None, None], "required_missing", "nature"),
        (["Mairie", "Jardin", "monetaire", -5, None, None], "number_negative", "quantite"),
        (["Mairie", "Jardin", "monetaire", "beaucoup", None, None], "number_invalid", "quantite"),
        (["Mairie", "Jardin", "monetaire", 1, None, "gratuit"], "number_invalid", "valeur"),
        (["Mairie", "mairie", "monetaire", 1, None, None], "self_flow", "cible"),
    ],
)
def test_each_flow_error_leaves_the_row_out_and_says_where(row, code, column):
    workbook = load_xlsx(minimal_sheets(flows=[["Mairie", "Jardin", "monetaire", 1, None, None], row]))
    error = problem(workbook, code)
    assert (error.severity, error.sheet, error.row, error.column) == ("error", "Flux", 3, column)
    assert len(workbook.flows) == 1
    assert [r.row for r in workbook.raw.tables["flows"].rows] == [2, 3]
    assert workbook.error_rows("flows") == {("Flux", 3)}


def test_two_actors_with_the_same_name_and_a_second_centre_are_errors():
    workbook = load_xlsx(
        minimal_sheets(
            actors=[
                ["nom", "categorie"],
                ["Centre Test", "centre"],
                ["Mairie", "institutions"],
                [" mairie ", "institutions"],
                ["Autre centre", "centre social"],
                ["Voisins", "habitants"],
            ]
        )
    )
    duplicate = problem(workbook, "duplicate_name")
    assert (duplicate.row, dict(duplicate.params)["first_row"]) == (4, 3)
    second = problem(workbook, "second_centre")
    assert (second.row, dict(second.params)["first_row"]) == (5, 2)
    assert workbook.centre_id == "Centre Test"


def test_an_activity_named_like_an_actor_is_an_error():
    sheets = minimal_sheets()
    sheets["Activites"] = [["nom"], ["Jardin"], ["Mairie"]]
    workbook = load_xlsx(sheets)
    error = problem(workbook, "activity_clashes_actor")
    assert (error.sheet, error.row) == ("Activites", 3)


def test_problem_messages_are_in_the_users_language():
    workbook = load_xlsx(minimal_sheets(flows=[["Mairie", "Jardin", "monetaire", "beaucoup", None, None]]))
    error = problem(workbook, "number_invalid")
    assert "n'est pas un nombre" in error.message("fr")
    assert "is not a number" in error.message("en")
    assert error.severity_label("fr") == "erreur"


# Unreadable files ------------------------------------------------------------------------------------
def _encrypted_xlsx() -> bytes:
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(xlsx_bytes(minimal_sheets()))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", encrypted)
    return encrypted.getvalue()


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("vide.xlsx", b"", "file_empty"),
        ("image.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(200), "not_spreadsheet"),
        (
            "faux.xlsx",
            b"PK\x03\x04 not really a zip",
            "file_damaged",
        ),  # a zip signature, then nothing: a truncated workbook
        ("notes.xlsx", None, "no_flows_table"),
        ("vide.csv", b"\r\n\r\n", "file_empty"),
        ("budget.csv", b"poste;montant\nloyer;100\n", "csv_not_recognised"),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_clear_sentence(name, data, code):
    if data is None:
        data = xlsx_bytes({"Notes": [["rien", "ici"]]})
    with pytest.raises(UnreadableWorkbook) as raised:
        load_files([InputFile(name, data)])
    assert raised.value.code == code
    assert name in raised.value.message("fr") and name in raised.value.message("en")


def test_a_password_protected_workbook_says_so():
    with pytest.raises(UnreadableWorkbook) as raised:
        load_files([InputFile("protégé.xlsx", _encrypted_xlsx())])
    assert raised.value.code == "password_protected"
    assert "mot de passe" in raised.value.message("fr")


def test_limits_on_size_and_rows_are_configurable_and_clear(monkeypatch):
    data = xlsx_bytes({"Flux": [["source", "cible", "nature"]] + [["A", "B", "monetaire"]] * 30})
    with pytest.raises(UnreadableWorkbook) as raised:
        load_files([InputFile("c.xlsx", data)], ReadLimits(max_rows=20))
    assert raised.value.code == "too_many_rows" and "20" in raised.value.message("fr")
    with pytest.raises(UnreadableWorkbook) as raised:
        load_files([InputFile("c.xlsx", data)], ReadLimits(max_file_mb=0.001))
    assert raised.value.code == "file_too_large"
    monkeypatch.setenv("VALUECHAIN_MAX_ROWS", "10")
    assert ReadLimits.from_environment().max_rows == 10
    with pytest.raises(UnreadableWorkbook):
        load_files([InputFile("c.csv", b"source;cible;nature\n" + b"A;B;monetaire\n" * 11)])


def test_a_sheet_whose_dimension_claims_a_million_rows_reads_as_its_fifty():
    import re
    import zipfile

    original = xlsx_bytes({"Flux": [["source", "cible", "nature"]] + [[f"A{i}", "B", "monetaire"] for i in range(50)]})
    source = zipfile.ZipFile(io.BytesIO(original))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.namelist():
            content = source.read(item)
            if item.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', content)
                content = content.replace(
                    b"</sheetData>", b'<row r="1048576"><c r="A1048576" s="0"/></row></sheetData>'
                )
            target.writestr(item, content)
    raw = read_files([InputFile("big.xlsx", patched.getvalue())], ReadLimits(max_rows=100))
    assert len(raw.tables["flows"].rows) == 50


def test_the_row_limit_holds_for_several_files_together_not_only_for_each_sheet():
    """Issue 25.5: two files of flows, each under the limit, passed it together (280 000 flows
    kept in memory); the limit is on what is built."""
    half = ("source;cible;nature\n" + "a;b;monetaire\n" * 60).encode()
    files = [InputFile("Castors - Flux.csv", half), InputFile("Castors - Flux 2.csv", half)]
    assert len(read_files(files[:1], ReadLimits(max_rows=100)).tables["flows"].rows) == 60
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files(files, ReadLimits(max_rows=100))
    assert refused.value.code == "too_many_rows_together"
    assert "Ensemble, ces fichiers donnent plus de 100 lignes" in refused.value.message("fr")


def test_a_kumu_row_of_many_names_is_refused_before_its_links_are_built():
    """Issue 25.5: a 64 kB row of 1 000 sources × 1 000 targets became a million flows."""
    data = xlsx_bytes(
        {
            "Elements": [["Label", "Type"], ["Centre", "Centre social"]],
            "Connections": [
                ["From", "To", "Type"],
                ["|".join(f"A{i}" for i in range(1_000)), "|".join(f"B{i}" for i in range(1_000)), "Argent"],
            ],
        }
    )
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files([InputFile("kumu.xlsx", data)], ReadLimits(max_rows=200_000))
    assert refused.value.code == "kumu_too_many_links"
    assert refused.value.message("fr").startswith("La ligne 2 de la feuille « Connections » de « kumu.xlsx »")


def test_an_activity_named_only_in_the_flows_is_created_with_a_warning():
    sheets = minimal_sheets()
    sheets["Flux"] = [
        FLOW_HEADER + ["activite"],
        ["Mairie", "Centre Test", "monetaire", 10, None, None, "Fête de quartier"],
    ]
    workbook = load_xlsx(sheets)
    warning = problem(workbook, "activity_created")
    assert (warning.sheet, warning.row, warning.column, warning.value) == ("Flux", 2, "activite", "Fête de quartier")
    activity = workbook.activities.set_index("name").loc["Fête de quartier"]
    assert (activity.type, activity.lead, activity.inferred) == ("principale", "Centre Test", True)
    assert workbook.flows.activity.tolist() == ["Fête de quartier"]
    assert "activité principale du centre" in warning.message("fr")


def test_every_flow_naming_an_unknown_activity_is_warned_where_it_is():
    """The reading stays (a main activity of the centre), but no row leans on it silently:
    it moves the support share and the costs."""
    sheets = minimal_sheets()
    sheets["Flux"] = [
        FLOW_HEADER + ["activite"],
        ["Mairie", "Centre Test", "monetaire", 10, None, None, "Fête de quartier"],
        ["Mairie", "Centre Test", "monetaire", 20, None, None, "fête de  quartier"],
    ]
    workbook = load_xlsx(sheets)
    located = [(p.sheet, p.row, p.column) for p in workbook.problems if p.code == "activity_created"]
    assert located == [("Flux", 2, "activite"), ("Flux", 3, "activite")]
    assert workbook.activities.inferred.sum() == 1 and workbook.flows.activity.tolist() == ["Fête de quartier"] * 2


def test_unreadable_centre_fields_fall_back_to_defaults_with_warnings():
    workbook = load_xlsx(
        {
            "Centre": [
                ["champ", "valeur"],
                ["nom", "Les Castors"],
                ["annee", "l'an dernier"],
                ["taux_horaire_benevolat", "beaucoup"],
                ["type", "maison de quartier"],
            ],
            "Flux": [["source", "cible", "nature"], ["A", "Les Castors", "monetaire"]],
        }
    )
    assert workbook.centre.volunteer_hourly_rate == 12.02 and workbook.centre.type == "centre_social"
    assert workbook.centre.year is None
    rate = problem(workbook, "centre_rate_invalid")
    assert (rate.sheet, rate.row, rate.value) == ("Centre", 4, "beaucoup")
    assert problem(workbook, "centre_type_unknown").row == 5
    assert problem(workbook, "year_invalid").row == 3
    assert "12.02" in rate.message("en")


def test_a_flow_year_that_is_not_a_year_is_ignored_with_a_warning():
    workbook = load_xlsx({"Flux": [["source", "cible", "nature", "annee"], ["A", "B", "monetaire", "bientôt"]]})
    assert problem(workbook, "year_invalid").column == "annee"
    assert len(workbook.flows) == 1


def test_two_flows_files_are_merged_with_a_warning_and_keep_their_own_row_numbers():
    workbook = load_files(
        [
            InputFile("Flux.csv", b"source;cible;nature\nA;B;monetaire\n"),
            InputFile("Flux bis.csv", b"source;cible;nature\nC;B;monetaire\nD;B;monetaire\n"),
        ]
    )
    assert "table_merged" in codes(workbook)
    assert [(r.sheet, r.row) for r in workbook.raw.tables["flows"].rows] == [
        ("Flux.csv", 2),
        ("Flux bis.csv", 2),
        ("Flux bis.csv", 3),
    ]


def test_an_activity_bearing_the_centres_name_gives_way_to_the_centre():
    workbook = load_xlsx(
        {
            "Centre": [["nom", "Les Castors"]],
            "Activites": [["nom"], ["Les Castors"], ["Jardin"]],
            "Flux": [["source", "cible", "nature"], ["Mairie", "Les Castors", "monetaire"]],
        }
    )
    error = problem(workbook, "activity_clashes_actor")
    assert (error.sheet, error.row, error.severity) == ("Activites", 2, "error")
    assert workbook.centre_id == "Les Castors" and workbook.activities.name.tolist() == ["Jardin"]
    assert workbook.flows.target.tolist() == ["Les Castors"]


# Nothing lost or changed at reading without a word ------------------------------------------------
def _flows_csv(rows: list[str]) -> bytes:
    return ("source;cible;nature;quantite;unite;description\n" + "\n".join(rows) + "\n").encode()


def test_an_unclosed_quote_keeps_every_other_flow_and_names_its_line():
    rows = [f"Voisin {i};Centre;monetaire;{100 + i};€;ok" for i in range(10)]
    rows[2] = 'Voisin 2;Centre;monetaire;102;€;"un guillemet jamais fermé'
    workbook = load_files([InputFile("Flux.csv", _flows_csv(rows))])
    assert len(workbook.flows) == 9  # every flow but the one with the stray quote
    [unclosed] = [p for p in workbook.problems if p.code == "csv_quote_unclosed"]
    assert unclosed.row == 4 and unclosed.is_error
    assert 4 in {row.row for row in workbook.raw.tables["flows"].rows}  # kept, to be fixed


def test_a_cell_written_on_several_lines_in_quotes_is_still_one_cell():
    data = 'source;cible;nature;quantite;description\nA;Centre;monetaire;10;"ligne un\nligne deux"\n'.encode()
    workbook = load_files([InputFile("Flux.csv", data)])
    assert workbook.flows.description.tolist() == ["ligne un\nligne deux"]
    assert "csv_quote_unclosed" not in codes(workbook)


def test_one_windows_line_in_a_utf8_file_keeps_every_other_accent_and_is_named():
    utf8 = "source;cible;nature;quantite;unite\nÉcole des Mûriers;Centre;monetaire;30\u202f000;€\n".encode()
    windows = "Fédération;Centre;monetaire;12;€\n".encode("cp1252")
    workbook = load_files([InputFile("Flux.csv", utf8 + windows)])
    assert sorted(workbook.flows.quantity.tolist()) == [12, 30000]
    assert "École des Mûriers" in set(workbook.actors.name) and "Fédération" in set(workbook.actors.name)
    [odd] = [p for p in workbook.problems if p.code == "csv_line_encoding"]
    assert odd.row == 3


def test_a_whole_windows_file_reads_as_french_excel_writes_it_with_no_warning():
    data = "source;cible;nature;quantite\nFédération;Centre;monetaire;12\n".encode("cp1252")
    workbook = load_files([InputFile("Flux.csv", data)])
    assert "Fédération" in set(workbook.actors.name) and "csv_line_encoding" not in codes(workbook)


def test_a_column_given_twice_keeps_the_first_and_says_so():
    workbook = load_xlsx(
        {"Flux": [["source", "cible", "nature", "quantite", "source"], ["Mairie", "Centre", "monetaire", 10, "Autre"]]}
    )
    assert workbook.flows.source.tolist() == ["Mairie"]
    [twice] = [p for p in workbook.problems if p.code == "duplicate_column"]
    assert "source (E)" in twice.message("fr")


def test_a_centre_sheet_with_a_third_column_and_a_field_given_twice_says_both():
    workbook = load_xlsx(
        {
            "Centre": [["nom", "Les Tilleuls", "note"], ["nom", "Autre nom"]],
            "Flux": [FLOW_HEADER[:3], ["A", "Les Tilleuls", "monetaire"]],
        }
    )
    assert workbook.centre.name == "Les Tilleuls"
    assert {"centre_extra_cells", "centre_field_twice"} <= set(codes(workbook))


def test_a_csv_cell_longer_than_the_csv_modules_limit_is_kept_with_a_warning():
    long_text = "x" * 200_000
    data = f"source;cible;nature;description\nA;Centre;monetaire;{long_text}\n".encode()
    workbook = load_files([InputFile("Flux.csv", data)])
    assert len(workbook.flows) == 1 and "long_text" in codes(workbook)


def test_millions_of_tiny_lines_are_refused_before_any_row_is_made():
    data = b"source;cible;nature\n" + b"a;b;c\n" * 5_000
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files([InputFile("Flux.csv", data)], ReadLimits(max_rows=1_000))
    assert refused.value.code == "too_many_rows" and "Flux.csv" in refused.value.message("fr")


def test_a_file_over_the_size_limit_is_refused_from_its_size_on_disk(tmp_path, monkeypatch):
    path = tmp_path / "gros.csv"
    path.write_bytes(b"source;cible;nature\n" + b"a;b;c\n" * 2_000)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read before its size was checked"))
    with pytest.raises(UnreadableWorkbook) as refused:
        InputFile.from_path(path, ReadLimits(max_file_mb=0.001))
    assert refused.value.code == "file_too_large" and "gros.csv" in refused.value.message("fr")


def test_an_absurd_number_is_an_error_on_its_row_and_every_figure_still_computes():
    from valuechain.chain.analysis import analyse
    from valuechain.media.report import figures

    workbook = load_xlsx(
        {
            "Acteurs": [["nom", "categorie"], ["Centre", "centre"]],
            "Flux": [
                ["source", "cible", "nature", "quantite", "unite", "valeur"],
                ["Mairie", "Centre", "monetaire", "9" * 400, "€", None],
                ["Banque", "Centre", "monetaire", 1e308, "€", 1e308],
                ["Voisins", "Centre", "monetaire", 50, "€", None],
            ],
        }
    )
    assert [p.code for p in workbook.errors] == ["number_too_large", "number_too_large", "number_too_large"]
    assert {p.row for p in workbook.errors} == {2, 3}
    result = figures(analyse(workbook, compute_all=True))
    assert result["resources_total"] == 50


def test_a_flows_sheet_missing_a_required_column_says_which_and_what_was_found():
    with pytest.raises(UnreadableWorkbook) as refused:
        load_xlsx({"Flux": [["source", "nature", "quantite"], ["Mairie", "monetaire", 10]]})
    text = refused.value.message("fr")
    assert refused.value.code == "flows_columns_missing"
    assert "« Flux »" in text and "cible" in text and "source, nature, quantite" in text


def test_a_file_with_no_flows_table_lists_the_sheets_it_holds():
    with pytest.raises(UnreadableWorkbook) as refused:
        load_xlsx({"Budget": [["poste", "montant"], ["loyer", 100]], "Notes": [["rien"]]})
    assert "Budget, Notes" in refused.value.message("fr")


# One bad cell never drops the rest of a row ------------------------------------------------------
def test_a_flow_whose_activity_names_an_actor_still_counts_and_its_cell_is_flagged():
    """A 300 € resource flow vanished from R when its `activite` named an actor."""
    sheets = minimal_sheets(flows=[["Mairie", "Centre Test", "monetaire", 300, "€", None]])
    sheets["Flux"][0] = FLOW_HEADER + ["activite"]
    sheets["Flux"][1] = sheets["Flux"][1] + ["Voisins"]
    workbook = load_xlsx(sheets)
    warning = problem(workbook, "activity_names_actor")
    assert (warning.severity, warning.sheet, warning.row, warning.column) == ("warning", "Flux", 2, "activite")
    assert "Acteurs" in warning.message("fr") and not workbook.errors
    assert workbook.flows.activity.tolist() == [None]
    assert analyse(workbook).figures["resources_total"] == pytest.approx(300)


def test_an_actor_whose_count_is_not_a_number_keeps_its_category_and_locality():
    actors = [
        ["nom", "categorie", "local", "nombre"],
        ["Centre Test", "centre", "oui", None],
        ["Mairie", "institutions", "oui", None],
        ["Voisins", "habitants", "non", "une trentaine"],
    ]
    workbook = load_xlsx(minimal_sheets(actors=actors))
    warning = problem(workbook, "optional_number_unreadable")
    assert (warning.severity, warning.sheet, warning.row, warning.column, warning.value) == (
        "warning",
        "Acteurs",
        4,
        "nombre",
        "une trentaine",
    )
    voisins = workbook.actors.set_index("name").loc["Voisins"]
    assert (voisins.category, voisins.local, voisins["count"], voisins.inferred) == ("habitants", False, None, False)
    assert not workbook.errors


def test_a_volunteer_rate_of_zero_is_a_choice_not_a_typo():
    sheets = minimal_sheets(flows=[["Voisins", "Jardin", "benevolat", 10, "h", None]])
    sheets["Centre"].append(["taux_horaire_benevolat", 0])
    workbook = load_xlsx(sheets)
    assert workbook.centre.volunteer_hourly_rate == 0
    assert "centre_rate_invalid" not in codes(workbook)
    figures = analyse(workbook).figures
    assert figures["volunteer_hours"] == pytest.approx(10) and figures["volunteer_value"] == pytest.approx(0)


def test_a_lead_naming_an_activity_says_the_centre_leads_it():
    sheets = minimal_sheets()
    sheets["Activites"] = [["nom", "type", "porteur"], ["Jardin", "principale", None], ["Fête", "principale", "Jardin"]]
    workbook = load_xlsx(sheets)
    warning = problem(workbook, "lead_is_activity")
    assert (warning.sheet, warning.row, warning.column) == ("Activites", 3, "porteur")
    assert "le centre la porte" in warning.message("fr") and "centre leads it" in warning.message("en")
    assert "actor_created" not in codes(workbook)
    assert workbook.activities.set_index("name").loc["Fête"].lead == "Centre Test"


def test_volunteer_value_is_rounded_only_when_shown():
    """0,3 h × 11,65 € is 3,495 €, not 3,50 €: ten such flows are 34,95 €, not 35,00 €."""
    sheets = minimal_sheets(flows=[["Voisins", "Jardin", "benevolat", 0.3, "h", None]] * 10)
    sheets["Centre"].append(["taux_horaire_benevolat", 11.65])
    figures = analyse(load_xlsx(sheets)).figures
    assert figures["volunteer_value"] == pytest.approx(34.95)


def test_words_outside_the_lists_are_welcome_and_each_is_said_once():
    sheets = minimal_sheets(
        flows=[["Mairie", "Jardin", "Subvention", 100, "€", None], ["Mairie", "Jardin", "subvention", 50, "€", None]]
    )
    sheets["Acteurs"][2][1] = "Association"
    sheets["Echanges"] = [["source", "cible", "nature", "montant"], ["Voisins", "Jardin", "monetaire", 5]]
    workbook = load_xlsx(sheets)
    said = [p for p in workbook.problems if p.code.endswith("_read_as")]
    messages = {p.message("fr") for p in said}
    assert "« Subvention » est lu comme « Monétaire »." in messages
    assert "« Association » est lu comme « Associations partenaires »." in messages
    assert "La feuille « Echanges » est lue comme la table Flux." in messages
    assert "La colonne « montant » est lue comme « valeur »." in messages
    assert sum(1 for p in said if p.value.casefold() == "subvention") == 1  # once, on its first row
    assert "“Subvention” is read as “Money”." in {p.message("en") for p in said}
    assert not workbook.errors and len(workbook.flows) == 3


def test_every_word_the_reader_maps_is_listed_in_the_workbook_guide():
    from helpers import ROOT
    from valuechain.vocabulary import ACTIVITY_TYPES, CATEGORIES, CENTRE_TYPES, DOMAINS, FUNCTIONS, NATURES, TABLES

    guide = (ROOT / "docs" / "format-classeur.md").read_text(encoding="utf-8")
    words = [
        w
        for v in (CATEGORIES, NATURES, DOMAINS, ACTIVITY_TYPES, FUNCTIONS, CENTRE_TYPES)
        for t in v.terms
        for w in t.synonyms
        if v.is_synonym(w)
    ]
    words += [w for table in TABLES for w in table.synonyms if table.name_is_synonym(w)]
    words += [w for table in TABLES for c in table.columns for w in c.synonyms if table.column_is_synonym(w)]
    assert words and [w for w in words if f"`{w}`" not in guide] == []


@pytest.mark.parametrize("swapped", [False, True])
def test_an_id_that_is_another_actors_name_is_a_located_error_not_a_merge(swapped):
    """Issue 34.11: "Ville de Crest" (id "Mairie") and "Mairie" (no id) became one actor of
    1 100 €, public funding fell to 0 and `check` said nothing; rows swapped, the other won."""
    crest, mairie = ["Ville de Crest", "institutions", "Mairie"], ["Mairie", "associations", None]
    first, second = (mairie, crest) if swapped else (crest, mairie)
    workbook = load_xlsx(
        minimal_sheets(
            actors=[["nom", "categorie", "id"], ["Centre Test", "centre", None], first, second],
            flows=[["Ville de Crest", "Centre Test", "monetaire", 1000, "€", None]],
        )
    )
    code = "id_is_other_name" if swapped else "name_is_other_id"
    error = problem(workbook, code)
    assert error.is_error
    assert (error.sheet, error.row, error.column) == ("Acteurs", 4, "id" if swapped else "nom")
    assert dict(error.params)["first_row"] == 3
    assert "ligne 3" in error.message("fr") and "row 3" in error.message("en")
    assert workbook.error_rows("actors") == {("Acteurs", 4)}
    assert len(set(workbook.actors.id)) == len(workbook.actors)  # never two actors on one node


def test_an_actor_whose_id_is_its_own_name_is_no_clash_and_ids_of_activities_are_checked_too():
    sheets = minimal_sheets(
        actors=[["nom", "categorie", "id"], ["Centre Test", "centre", None], ["Mairie", "institutions", "mairie"]]
    )
    assert load_xlsx(sheets).errors == []
    sheets["Activites"] = [["nom", "id"], ["Jardin", "potager"], ["Potager", None], ["Cuisine", "JARDIN"]]
    workbook = load_xlsx(sheets)
    found = {(p.code, p.row, p.column) for p in workbook.errors}
    assert found == {("name_is_other_id", 3, "nom"), ("id_is_other_name", 4, "id")}

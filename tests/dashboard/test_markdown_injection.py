"""A workbook's words are shown as typed on every page (issue 33.11): Streamlit renders its texts as
Markdown, and a federation named "![x](http://…)" drew an outside image in the Comparer's heading
(a request left the machine), a link, an icon and LaTeX. Every element of every page that Streamlit
renders as Markdown (texts, headings, labels, helps, options, a static table's cells) is read."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT, WORKED_EXAMPLE_FILE, minimal_sheets, xlsx_bytes
from valuechain import InputFile, load_paths
from valuechain.access.policy import User
from valuechain.access.service import Access

APP = str(ROOT / "app.py")
PAYLOAD = "![x](http://evil.test/x.png) [lien](http://evil.test/) :material/home: $x^2$ **gras**"
# What would be markup, not characters, if a value reached Markdown unescaped.
MARKUP = ("![", "](http", ":material/", "$x^2$", "**gras", "http://evil")
CENTRE, FEDERATION, ACTOR, ACTIVITY = (f"{word} {PAYLOAD}" for word in ("Centre", "Fédé", "Acteur", "Activité"))
PAGES = (
    "accueil",
    "carte",
    "chaine",
    "domaines",
    "contributions",
    "valeur_sociale",
    "saisie",
    "exporter",
    "comparer",
    "evolution",
    "atelier",
    "mur",
)
# The fields of Streamlit's messages that it renders as Markdown.
MARKDOWN_FIELDS = {"body", "label", "help", "caption", "title", "text", "placeholder"}
MARKDOWN_OPTIONS = {"Radio", "ButtonGroup"}  # options drawn as Markdown (a list box's are plain text)


def hostile_workbook(year: int) -> InputFile:
    sheets = minimal_sheets(
        flows=[
            [ACTOR, ACTIVITY, "monetaire", 100, "€", None],
            ["Mairie", ACTIVITY, "monetaire", 200 + year, "€", None],
            [ACTIVITY, "Voisins", "service", 10, "h", None],
        ],
        actors=[
            ["nom", "categorie", "local"],
            [CENTRE, "centre", "oui"],
            [ACTOR, "associations", "oui"],
            ["Mairie", "institutions", "oui"],
            ["Voisins", "habitants", "oui"],
        ],
    )
    sheets["Centre"] = [["champ", "valeur"], ["nom", CENTRE], ["annee", year], ["federation", FEDERATION]]
    sheets["Activites"] = [["nom", "type"], [ACTIVITY, "principale"]]
    return InputFile(f"hostile-{year}.xlsx", xlsx_bytes(sheets))


def hostile_worked_example() -> InputFile:
    """The worked example (its outcomes give the Comparer's social value table) renamed."""
    from valuechain.workbook.writing import workbook_bytes, write_raw_workbook

    raw = load_paths([WORKED_EXAMPLE_FILE]).raw
    raw.centre_fields["name"] = (f"Tilleuls {PAYLOAD}", None, None)
    raw.centre_fields["federation"] = (FEDERATION, None, None)
    return InputFile("hostile-tilleuls.xlsx", workbook_bytes(write_raw_workbook(raw)))


def markdown_texts(proto, kind: str = "") -> list[str]:
    """Every text of ``proto`` (a Streamlit message) that the browser renders as Markdown."""
    found = []
    for field, value in proto.ListFields():
        if field.message_type is not None:
            values = value if field.is_repeated else [value]
            for item in values:
                found += markdown_texts(item, field.message_type.name)
        elif field.type == field.TYPE_STRING:
            values = list(value) if field.is_repeated else [value]
            if field.name in MARKDOWN_FIELDS or (field.name in ("options", "content") and kind in MARKDOWN_OPTIONS):
                found += values
    return found


def rendered(app: AppTest) -> list[str]:
    texts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            texts.extend(markdown_texts(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    for table in app.table:  # st.table's cells are Markdown
        frame = table.value
        texts += [str(v) for v in (*frame.columns, *frame.index, *frame.to_numpy().ravel())]
    return texts


@pytest.fixture
def hostile_store(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("VALUECHAIN_DATABASE_URL", raising=False)
    from dashboard.visitor import store

    database = store()
    owner = Access(database, User.local_owner())
    versions = [owner.import_files([hostile_workbook(year)]) for year in (2024, 2025)]
    owner.import_files([hostile_worked_example()])
    yield database, versions[-1].id


def test_a_workbook_s_names_are_shown_as_typed_on_every_page(hostile_store):
    _, version = hostile_store
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["lang"] = "fr"
    app.run()
    app.switch_page("pages/comparer.py")
    app.query_params["version"] = str(version)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    seen = 0
    for page in PAGES:
        if page != "accueil":
            app.switch_page(f"pages/{page}.py")
        else:
            app.switch_page("pages/accueil.py")
        app.run()
        assert not app.exception, (page, [e.message for e in app.exception])
        texts = rendered(app)
        unescaped = [(page, text) for text in texts for markup in MARKUP if markup in text]
        assert not unescaped, unescaped
        seen += sum("evil" in text for text in texts)
    assert seen > 10  # the names were there to be read (escaped)

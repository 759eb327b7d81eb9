"""End to end: `streamlit run app.py` on localhost, Debian's chromium driven by Playwright.

Uploads a sample through the real file input, opens every page in French and English, checks
the map is drawn, that a hostile workbook runs nothing in the browser, and that no request
left localhost. Screenshots go to test-artifacts/ (look at them).
"""

from __future__ import annotations

import pytest

from helpers import ROOT, SAMPLE_FILES, WORKED_EXAMPLE_FILE, xlsx_bytes
from support.browser import (
    ARTIFACTS,
    LOCAL,
    PAGES,
    WORKSHOP_PAGES,
    map_frame,
    open_page,
    require_browser,
    upload,
    wait_for_app,
)

pytestmark = pytest.mark.browser
sync_api = require_browser()


def test_every_page_opened_by_its_deep_link_runs_the_app_with_its_switch_and_navigation(server, page):
    """pages/ is Streamlit's legacy folder name: a deep link must run app.py first (language
    switch, our navigation), never the page file alone, even as the very first visit of a
    fresh server (this test comes first in the file for that reason)."""
    for name in PAGES[1:] + WORKSHOP_PAGES[:2] + ["une-page-inconnue"]:
        page.goto(f"{server}/{name}")
        wait_for_app(page)
        nav = page.locator("[data-testid=stSidebarNav] a")
        nav.first.wait_for(timeout=30_000)
        assert nav.count() == len(PAGES) + len(WORKSHOP_PAGES)
        page.get_by_text("English", exact=True).first.wait_for(timeout=30_000)
        assert page.get_by_text("Traceback").count() == 0
    assert page.outside_requests == []


def test_a_director_uploads_a_sample_and_visits_every_page_in_both_languages(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    sample = next(p for p in SAMPLE_FILES if "habitants" in p.name)
    page.goto(server)
    wait_for_app(page)
    upload(page, sample, check_words=True)
    page.get_by_text("Maison des habitants Les Falaises").first.wait_for(timeout=60_000)
    for lang in ("fr", "en"):
        if lang == "en":
            page.get_by_text("English", exact=True).click()
            wait_for_app(page)
        for name in PAGES:
            open_page(page, name)
            if name == "carte":
                frame = map_frame(page)
                assert int(frame.locator("body").get_attribute("data-nodes")) > 10
            page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}.png"), full_page=True)
    assert page.outside_requests == []
    assert page.dialogs == []


def test_a_hostile_workbook_runs_nothing_in_the_browser(server, page, tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    breaker = "</script><script>alert(2)</script>"
    markdown = "![x](http://outside.invalid/x.png) **gras** :red[rouge]"
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(
        xlsx_bytes(
            {
                "Centre": [["champ", "valeur"], ["nom", markdown]],
                "Acteurs": [
                    ["nom", "categorie", "description"],
                    [markdown, "centre", hostile],
                    [hostile, "habitants", breaker],
                    [breaker, "associations", "=1+1"],
                ],
                "Flux": [
                    ["source", "cible", "nature", "quantite", "description"],
                    [hostile, markdown, "benevolat", 10, breaker],
                    [breaker, markdown, "monetaire", 100, hostile],
                ],
            }
        )
    )
    page.goto(server)
    wait_for_app(page)
    upload(page, path)
    # A name is shown as the characters typed: no image, no bold, no colour, no request.
    caption = page.locator("[data-testid=stCaptionContainer]", has_text="outside.invalid").first
    caption.wait_for(timeout=60_000)
    assert "![x](http://outside.invalid/x.png) **gras** :red[rouge]" in caption.inner_text().replace("\u200b", "")
    # No image, and no link either (an address in a name is not made clickable).
    assert caption.locator("img, a").count() == 0  # (our own bold around the name stays)
    for name in PAGES:
        open_page(page, name)
        if name == "carte":
            frame = map_frame(page)
            assert int(frame.locator("body").get_attribute("data-nodes")) >= 3
        if name == "contributions":
            # The name is drawn as its characters in the charts (SVG text), not as an element.
            page.locator("svg text", has_text="<img src=x onerror=alert(1)>").first.wait_for(
                state="attached", timeout=60_000
            )
            assert page.locator("img[src=x]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile-contributions.png"), full_page=True)
    assert page.dialogs == []
    assert page.outside_requests == []


def test_a_broken_file_through_the_real_input_gives_one_sentence(server, page, tmp_path):
    path = tmp_path / "cassé.xlsx"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    page.goto(server)
    wait_for_app(page)
    upload(page, path)
    page.get_by_text("n'a pas pu être lu").first.wait_for(timeout=60_000)
    assert page.get_by_text("Traceback").count() == 0
    page.screenshot(path=str(ARTIFACTS / "broken-file.png"), full_page=True)


def test_a_federation_fills_the_store_and_compares_centres(server, page):
    page.goto(server)
    wait_for_app(page)
    open_page(page, "comparer")
    add_samples = page.get_by_text("Ajouter les centres d'exemple")
    add_samples.or_(page.get_by_text("Les chiffres, côte à côte")).first.wait_for(timeout=60_000)
    if add_samples.count():
        page.get_by_text("Ajouter les centres d'exemple").click()
        wait_for_app(page)
        # What was added is said where it can be read (issue 34.10).
        page.get_by_text("classeurs d'exemple ajoutés à la base").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").nth(1).wait_for(state="attached", timeout=60_000)  # small multiples and radar
    # The sample federation's six centres (issue 34.10): its protected distribution shows (chosen
    # at once when the samples were just added; else chosen here).
    if not page.get_by_text("classeurs d'exemple ajoutés à la base").count():
        page.locator("[data-testid=stSelectbox]").first.click()
        page.get_by_role("option", name="Fédération des centres sociaux du Val d'Ardoise (fictive)").click()
        wait_for_app(page)
    page.get_by_text("Se situer dans « Fédération des centres sociaux du Val d'Ardoise (fictive) »").wait_for(
        timeout=60_000
    )
    page.get_by_text("Anonymiser les centres (Centre A, B…)").click()
    # Six centres or more of one year are shown under letters (fewer would be recognised).
    page.locator(".js-plotly-plot text", has_text="Centre A").first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.screenshot(path=str(ARTIFACTS / "comparer-filled-fr.png"), full_page=True)
    assert page.outside_requests == [] and page.dialogs == []


def test_one_user_uploading_a_file_that_aborts_the_reader_leaves_everyone_else_working(
    unguarded_checks_server, browser, tmp_path
):
    import openpyxl

    url, process = unguarded_checks_server
    book = openpyxl.Workbook()
    book.active.title = "Flux"
    book.active.append(["source", "cible", "nature"])
    book.active["XFD1048576"] = "oups"
    hostile = tmp_path / "piège.xlsx"
    book.save(hostile)
    contexts = [browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR") for _ in range(2)]
    attacker, neighbour = (context.new_page() for context in contexts)
    try:
        sample = next(p for p in SAMPLE_FILES if "habitants" in p.name)
        neighbour.goto(url)
        wait_for_app(neighbour)
        upload(neighbour, sample)
        neighbour.get_by_text("Maison des habitants Les Falaises").first.wait_for(timeout=60_000)
        attacker.goto(url)
        wait_for_app(attacker)
        upload(attacker, hostile)
        attacker.get_by_text("demande plus de").first.wait_for(timeout=60_000)
        assert process.poll() is None  # the server is alive
        # The neighbour keeps working on their own centre, page after page.
        for name in ("carte", "contributions", "accueil"):
            open_page(neighbour, name)
            neighbour.get_by_text("Maison des habitants Les Falaises").first.wait_for(timeout=30_000)
        attacker.screenshot(path=str(ARTIFACTS / "hostile-upload-refused.png"), full_page=True)
        # And the next ordinary file, in a new visit, is read by fresh workers.
        attacker.goto(url)
        wait_for_app(attacker)
        upload(attacker, sample)
        attacker.get_by_text("Maison des habitants Les Falaises").first.wait_for(timeout=30_000)
        neighbour.screenshot(path=str(ARTIFACTS / "neighbour-after-hostile-upload.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()


METRIC_SIZES = """() => [...document.querySelectorAll('[data-testid=stMetric]')].map(m => {
  const value = m.querySelector('[data-testid=stMetricValue] div, [data-testid=stMetricValue]');
  const label = m.querySelector('[data-testid=stMetricLabel] p, [data-testid=stMetricLabel]');
  return [parseFloat(getComputedStyle(value).fontSize), parseFloat(getComputedStyle(label).fontSize),
          m.getBoundingClientRect().bottom];
})"""


def test_presentation_mode_on_a_1080p_wall_in_both_languages(server, browser):
    """Every page in presentation mode at 1920×1080, French and English (screenshots in
    test-artifacts/wall-*.png, to look at); the key figures are read from the back of the room:
    values at least 48 px and twice their labels, all six on one screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(server)
        wait_for_app(page)
        for lang, toggle, leave in (
            ("fr", "Mode présentation", "Quitter le mode présentation"),
            ("en", "Presentation mode", "Leave presentation mode"),
        ):
            if lang == "en":
                page.get_by_text("English", exact=True).click()
                wait_for_app(page)
                open_page(page, "accueil")  # the key figures are on the home page
            page.get_by_text(toggle).click()
            page.get_by_text(leave).first.wait_for(timeout=30_000)
            wait_for_app(page)
            page.locator("[data-testid=stMetric]").nth(5).wait_for(timeout=30_000)
            sizes = page.evaluate(METRIC_SIZES)
            assert len(sizes) == 6
            assert all(value >= 48 and value >= 2 * label and bottom <= 1080 for value, label, bottom in sizes), sizes
            for name in PAGES:
                page.locator(
                    f"a[href$='/{name}']" if name != "accueil" else "[data-testid=stTopNavLinkContainer] a"
                ).first.click()
                page.get_by_text(leave).first.wait_for(timeout=30_000)
                wait_for_app(page)
                if name == "carte":
                    # The map is drawn, and it fits the wall under its controls.
                    map_frame(page)
                    bottom = page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().bottom")
                    assert bottom <= 1080, bottom
                if name in ("chaine", "domaines", "contributions"):
                    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
                page.screenshot(path=str(ARTIFACTS / f"wall-{name}-{lang}.png"))
            page.get_by_text(leave).first.click()
            page.get_by_text(toggle).first.wait_for(timeout=30_000)
            wait_for_app(page)
    finally:
        context.close()


def test_the_social_value_of_the_worked_example_on_a_wall_in_both_languages(server, browser):
    """The Tilleuls centre's outcomes (shared/social-value.md): the reading, the ratio with its
    range and the three charts, at 1920×1080 in presentation mode, French and English
    (test-artifacts/social-value-*.png, to look at), and the value map off the wall."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
    try:
        page.goto(server)
        wait_for_app(page)
        upload(page, WORKED_EXAMPLE_FILE)
        page.get_by_text("Centre social des Tilleuls").first.wait_for(timeout=60_000)
        open_page(page, "valeur-sociale")
        page.get_by_text("Carte de la valeur").wait_for(timeout=30_000)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "social-value-fr.png"), full_page=True)
        for lang, toggle, leave, sentence in (
            ("fr", "Mode présentation", "Quitter le mode présentation", "1 € mobilisé correspond à 1,10"),
            ("en", "Presentation mode", "Leave presentation mode", "€1 mobilised corresponds to €1.10"),
        ):
            if lang == "en":
                page.get_by_text("English", exact=True).click()
                wait_for_app(page)
            page.get_by_text(toggle).click()
            page.get_by_text(leave).first.wait_for(timeout=30_000)
            wait_for_app(page)
            page.get_by_text(sentence).wait_for(timeout=30_000)
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=30_000)
            assert page.get_by_text("0,80 – 1,38" if lang == "fr" else "0.80 – 1.38").count() == 1
            page.screenshot(path=str(ARTIFACTS / f"wall-social-value-{lang}.png"))
            page.get_by_text(leave).first.click()
            page.get_by_text(toggle).first.wait_for(timeout=30_000)
            wait_for_app(page)
        assert outside == []
    finally:
        context.close()


def test_two_people_editing_the_same_sample_each_see_only_their_own_edits(server, browser):
    contexts = [browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR") for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    try:
        for page, name in zip(pages, ("Acteur ajouté par Alice", "Acteur ajouté par Bruno")):
            page.goto(server)
            wait_for_app(page)
            open_page(page, "saisie")
            page.get_by_label("Nom", exact=True).first.fill(name)
            page.get_by_role("button", name="Ajouter").first.click()
            page.get_by_text("Revenir au classeur d'origine").first.wait_for(timeout=60_000)  # shown once edited
            wait_for_app(page)
        for page, own, other in ((pages[0], "Alice", "Bruno"), (pages[1], "Bruno", "Alice")):
            open_page(page, "accueil")
            page.get_by_text("21 acteurs").first.wait_for(timeout=60_000)  # the sample's 20, plus one
            open_page(page, "saisie")
            page.locator("[data-testid=stDataFrame], [data-testid=stDataFrameResizable]").first.wait_for(timeout=60_000)
            body = page.content()
            assert own in body and other not in body, (own, other)
    finally:
        for context in contexts:
            context.close()


# Two frames drawn: the grid's editor has taken what was typed into its own state (its input
# shows it at once; the editor's state follows at the next drawing).
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_a_cell_edited_in_the_grid_changes_the_figures(server, page):
    """A director types a new volunteer rate in the Centre table, as in a spreadsheet (double
    click, type, Enter): the page takes the edit in one run, and the Accueil's volunteer value
    follows (hours × the new rate)."""
    from valuechain import load_paths
    from valuechain.chain.analysis import analyse
    from valuechain.media.formatting import format_figure
    from valuechain.workbook.editing import centre_frame

    # The sample a new visitor is shown (dashboard.shown.SAMPLE_ORDER's first).
    shown_first = load_paths([next(ROOT.joinpath("sample_data").glob("conserverie*.xlsx"))])
    hours = analyse(shown_first).figures["volunteer_hours"]
    fields = centre_frame(shown_first.raw, "fr")
    rate_row = fields.index[fields["champ"] == "Taux horaire du bénévolat (€/h)"][0]
    page.goto(server)
    wait_for_app(page)
    open_page(page, "saisie")
    # The Centre tab's table, once laid out at its width (a table just drawn grows from a few pixels).
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stDataFrame]')]
        .some(e => e.offsetParent && e.offsetWidth > 800)""",
        timeout=60_000,
    )
    grid = page.locator("[data-testid=stDataFrame]:visible").first
    box = grid.bounding_box()
    # Rows are 35 px high under a 35 px header; the value is the right-hand column.
    page.mouse.dblclick(box["x"] + box["width"] * 0.75, box["y"] + 35 + 35 * int(rate_row) + 17)
    page.locator("#portal textarea, #portal input").first.wait_for(timeout=30_000)
    page.keyboard.press("Control+a")
    page.keyboard.type("20")
    # Enter once the editor holds what was typed (a person is never faster than its redraw).
    page.wait_for_function("() => document.querySelector('#portal textarea, #portal input')?.value === '20'")
    page.evaluate(NEXT_FRAMES)
    page.keyboard.press("Enter")
    page.get_by_text("Revenir au classeur d'origine").first.wait_for(timeout=60_000)  # shown once edited
    wait_for_app(page)
    open_page(page, "accueil")
    page.get_by_text(format_figure("volunteer_value", hours * 20, "fr")).first.wait_for(timeout=60_000)


def test_a_director_downloads_the_printable_report_from_the_export_page(server, page):
    page.goto(server)
    wait_for_app(page)
    open_page(page, "exporter")
    button = page.get_by_role("button", name="Rapport imprimable (PDF)")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF") and download.value.suggested_filename.endswith("-fr.pdf")
    assert page.get_by_text("Failed to generate").count() == 0


def test_two_downloads_one_right_after_the_other_both_arrive(server, page):
    """Issue 26.10: a second click right after a first gave no file ("Deferred file … not
    found"): the first click reran the page, and the second button's file had a new address."""
    page.goto(server)
    wait_for_app(page)
    open_page(page, "exporter")
    names = [
        "Contributions volontaires en nature, comptes 86/87 (.csv)",
        "Classeur des résultats (.xlsx, avec graphiques)",
        "Graphe GEXF (Gephi)",
    ]
    buttons = [page.get_by_role("button", name=name) for name in names if page.get_by_role("button", name=name).count()]
    assert len(buttons) >= 2
    got = []
    for button in buttons:
        with page.expect_download(timeout=120_000) as download:
            button.click()
        got.append(download.value)
    assert [d.failure() for d in got] == [None] * len(got)
    assert all(open(d.path(), "rb").read() for d in got)
    assert page.get_by_text("not found").count() == 0 and page.get_by_text("Failed to generate").count() == 0


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a select box; a box clicked while the page reruns does not open, so
    the click is made again until the option shows (each try waits for it, up to 10 s)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for attempt in range(3):
        box.click()
        try:
            page.get_by_role("option").filter(has_text=option).first.click(timeout=10_000)
            break
        except sync_api.TimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    wait_for_app(page)


def test_a_federation_sees_a_centres_change_from_one_year_to_the_next(server, page, tmp_path):
    """Two years of one centre imported through the Comparer's own uploader; the change
    between them is shown figure by figure, as the figures are written."""
    paths = []
    for year, caf in ((2023, 25_000), (2024, 30_000)):
        path = tmp_path / f"castors-{year}.xlsx"
        path.write_bytes(
            xlsx_bytes(
                {
                    "Centre": [["nom", "Les Castors"], ["annee", year]],
                    "Acteurs": [
                        ["nom", "categorie"],
                        ["Les Castors", "centre"],
                        ["CAF", "institutions"],
                        ["Mairie", "institutions"],
                    ],
                    "Flux": [
                        ["source", "cible", "nature", "quantite"],
                        ["CAF", "Les Castors", "monetaire", caf],
                        ["Mairie", "Les Castors", "monetaire", 1000],
                    ],
                }
            )
        )
        paths.append(str(path))
    page.goto(server)
    wait_for_app(page)
    open_page(page, "comparer")
    # The import section is folded once the store holds centres: open it if it is.
    section = page.locator("[data-testid=stExpander] details").first
    section.wait_for(state="attached", timeout=30_000)
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    uploader = page.locator("[data-testid=stFileUploader] input[type=file]").first
    uploader.wait_for(state="attached", timeout=30_000)
    uploader.set_input_files(paths)
    page.locator("[data-testid=stFileChipName]", has_text="castors-2024.xlsx").first.wait_for(
        state="attached", timeout=60_000
    )
    page.get_by_role("button", name="Importer", exact=True).click()
    wait_for_app(page)
    page.get_by_text("2 classeurs importés").first.wait_for(timeout=60_000)
    _choose(page, "Année", "2024")
    _choose(page, "Centre", "Les Castors")
    page.get_by_text("Évolution de 2023 à 2024").first.wait_for(timeout=60_000)
    row = page.locator("[data-testid=stTable] tr", has_text="Ressources mobilisées").first
    row.wait_for(timeout=30_000)
    cells = [c.replace("\u202f", " ").replace("\u00a0", " ") for c in row.locator("th, td").all_inner_texts()]
    assert cells == ["Ressources mobilisées", "26 000,00 €", "31 000,00 €", "5 000,00 €", "19,23 %"], cells
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "comparer-change-fr.png"))
    assert page.outside_requests == [] and page.dialogs == []

"""The map, the charts and the editor's library side: offline, safe, steady, correct."""

from __future__ import annotations

import pytest

from helpers import BREAKER, HOSTILE, OUTSIDE, SAMPLE_FILES, WORKED_EXAMPLE_FILE, load_xlsx, minimal_sheets
from valuechain import load_paths, validate
from valuechain.chain.analysis import analyse
from valuechain.media.charts import plain, sankey, sankey_links, units_in_chain
from valuechain.media.mapview import (
    MAX_MAP_NODES,
    MapFilter,
    extend_layout,
    filter_graph,
    group_graph,
    layout,
    map_html,
    overlapping_labels,
    readable_layout,
    reveal_steps,
)
from valuechain.words.messages import say
from valuechain.workbook.editing import (
    ROW,
    add_row,
    apply_centre_edits,
    apply_table_edits,
    centre_frame,
    editable_frame,
)


def hostile_analysis():
    return analyse(
        load_xlsx(
            {
                "Acteurs": [
                    ["nom", "categorie", "description"],
                    ["Centre", "centre", HOSTILE],
                    [HOSTILE, "habitants", BREAKER],
                    [BREAKER, "associations", "=1+1"],
                ],
                "Flux": [
                    ["source", "cible", "nature", "quantite", "description", "note"],
                    [HOSTILE, "Centre", "benevolat", 10, BREAKER, HOSTILE],
                    [BREAKER, "Centre", "monetaire", 100, HOSTILE, None],
                ],
            }
        )
    )


@pytest.mark.parametrize("path", SAMPLE_FILES + [WORKED_EXAMPLE_FILE], ids=lambda p: p.stem)
def test_the_map_page_links_nothing_outside(path):
    html = map_html(analyse(load_paths([path])).graph, lang="fr")
    assert not OUTSIDE.findall(html)
    assert "vis.Network" in html and "<script src" not in html


def test_hostile_names_are_text_in_the_map():
    html = map_html(hostile_analysis().graph, lang="en")
    # Only our own two <script> elements: no name can close one (vis-network's own code holds
    # the string "<script>", but never a closing tag).
    assert html.count("</script>") == 2 and BREAKER not in html
    assert HOSTILE not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html


def test_plotly_labels_show_markup_as_characters():
    assert plain(HOSTILE) == "&lt;img src=x onerror=alert(1)&gt;"
    figure = sankey(hostile_analysis().graph, "fr")
    assert HOSTILE not in figure.to_json()


def test_filters_keep_what_they_say(tilleuls):
    graph = tilleuls.graph
    money = filter_graph(graph, MapFilter(natures=frozenset({"monetaire"})))
    assert {d["nature"] for _, _, d in money.edges(data=True)} == {"monetaire"}
    assert set(money) == {"Centre social des Tilleuls", "CAF", "Mairie", "Fondation Horizon"}
    intangible = filter_graph(graph, MapFilter(tangible=False))
    assert intangible.number_of_edges() == 1
    big = filter_graph(graph, MapFilter(min_value=5000))
    assert all(d["value"] >= 5000 for _, _, d in big.edges(data=True))
    focus = filter_graph(graph, MapFilter(focus="Ferme du Coteau"))
    assert set(focus) == {"Ferme du Coteau", "Atelier cuisine", "Centre social des Tilleuls", "Familles du quartier"}
    assert graph.number_of_edges() == 11, "filtering never changes the graph itself"


def test_the_step_by_step_mode_reveals_categories_in_the_workshop_order(tilleuls):
    steps = reveal_steps(tilleuls.graph)
    assert steps[:3] == ["centre", "habitants", "benevoles"]
    first = filter_graph(tilleuls.graph, MapFilter(step=0))
    assert {d.get("category") for _, d in first.nodes(data=True) if d["kind"] == "actor"} == {"centre"}
    second = filter_graph(tilleuls.graph, MapFilter(step=1))
    assert "Familles du quartier" in second and "CAF" not in second


def test_the_layout_is_seeded_and_a_new_actor_moves_nothing(tilleuls):
    first = layout(tilleuls.graph)
    assert layout(tilleuls.graph) == first
    workbook = tilleuls.workbook
    raw = add_row(workbook.raw, "actors", {"name": "Épicerie", "category": "associations"})
    raw = add_row(raw, "flows", {"source": "Épicerie", "target": "Atelier cuisine", "nature": "nature"})
    grown = analyse(validate(raw)).graph
    positions = extend_layout(grown, first)
    assert all(positions[n] == first[n] for n in first)
    assert "Épicerie" in positions


@pytest.mark.parametrize("presentation", [False, True], ids=["screen", "wall"])
@pytest.mark.parametrize("path", SAMPLE_FILES + [WORKED_EXAMPLE_FILE], ids=lambda p: p.stem)
def test_no_label_lies_over_another_on_the_sample_centres(path, presentation):
    """ "La Coopérative des Tisserands" was drawn over "Habitants adhérents du SEL" on the wall."""
    graph = analyse(load_paths([path])).graph
    if presentation:
        assert overlapping_labels(graph, layout(graph), presentation)  # the bare layout does, on a wall
    positions = readable_layout(graph, presentation=presentation)
    assert overlapping_labels(graph, positions, presentation) == []
    assert readable_layout(graph, presentation=presentation) == positions  # the same map every time


def test_a_node_added_live_moves_only_what_it_lands_on_and_steps_keep_places(tilleuls):
    positions = readable_layout(tilleuls.graph, presentation=True)
    raw = add_row(tilleuls.workbook.raw, "actors", {"name": "Épicerie", "category": "associations"})
    raw = add_row(raw, "flows", {"source": "Épicerie", "target": "Atelier cuisine", "nature": "nature"})
    grown = analyse(validate(raw)).graph
    after = readable_layout(grown, positions, presentation=True)
    assert overlapping_labels(grown, after, True) == []
    moved = [n for n in positions if after[n] != positions[n]]
    assert len(moved) <= 3, moved
    # The step-by-step mode draws a part of the graph at the whole graph's positions.
    first_step = filter_graph(tilleuls.graph, MapFilter(step=0))
    assert set(first_step) < set(positions)
    assert overlapping_labels(first_step, positions, True) == []


def test_past_a_wall_the_map_groups_nodes(tilleuls):
    grouped = group_graph(tilleuls.graph, "fr")
    assert "category:institutions" in grouped
    assert grouped.nodes["category:institutions"]["grouped"] == 2
    values = sum(d["value"] or 0 for _, _, d in grouped.edges(data=True))
    assert values == pytest.approx(sum(d["value"] or 0 for _, _, d in tilleuls.graph.edges(data=True)))
    assert MAX_MAP_NODES >= 500


def test_sankey_in_euros_conserves_resources_and_splits_by_domain(tilleuls):
    links = sankey_links(tilleuls.graph, "fr")
    to_activities = sum(link.value for link in links if link.source in {c.name for c in tilleuls.contributions})
    assert to_activities == pytest.approx(50_965.60)
    to_domains = sum(
        link.value
        for link in links
        if link.target in {"Individuelle", "Sociétale", "Politique", "Économique et territoriale", "Non renseigné"}
    )
    assert to_domains == pytest.approx(50_965.60)


def test_sankey_in_a_unit_follows_that_unit(tilleuls):
    assert units_in_chain(tilleuls.graph)[:1] == ["€"]
    assert "personnes" in units_in_chain(tilleuls.graph)
    people = sankey_links(tilleuls.graph, "fr", unit="personnes")
    assert [(link.source, link.target, link.value) for link in people] == [
        ("Atelier cuisine", "Familles du quartier", 40)
    ]


def test_editing_a_cell_in_the_editor_fixes_a_row_in_error():
    workbook = load_xlsx(
        minimal_sheets(
            flows=[
                ["Mairie", "Jardin", "monetaire", 100, "€", None],
                ["Mairie", "Jardin", "monetaire", "beaucoup", None, None],
            ]
        )
    )
    frame = editable_frame(workbook.raw, "flows", "fr", workbook.problems)
    assert "n'est pas un nombre" in frame.loc[1, say("editing", "status", "fr")]
    assert frame[ROW].tolist() == [2, 3]
    frame.loc[1, "Quantité"] = "250"  # the column in the user's words
    fixed = validate(apply_table_edits(workbook.raw, "flows", frame, "fr"))
    assert fixed.errors == []
    assert fixed.flows.quantity.tolist() == [100, 250]
    # An unchanged number stays a number, not the text "100".
    assert fixed.raw.tables["flows"].rows[0].cells["quantity"] == 100


def test_adding_and_deleting_rows_in_the_editor():
    workbook = load_xlsx(minimal_sheets())
    frame = editable_frame(workbook.raw, "actors", "en")
    frame.loc[len(frame)] = {**{c: None for c in frame.columns}, "Name": "Library", "Category": "Public institutions"}
    frame = frame[frame["Name"] != "Voisins"]
    edited = validate(apply_table_edits(workbook.raw, "actors", frame, "en"))
    assert "Library" in edited.actors.name.tolist() and "Voisins" not in edited.actors.name.tolist()
    assert edited.raw.tables["actors"].rows[-1].row == 5


@pytest.mark.parametrize("path", [*SAMPLE_FILES, WORKED_EXAMPLE_FILE], ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_editors_record_of_changes_gives_the_same_workbook_as_the_edited_table(path, lang):
    """The page applies what the data editor records (rows edited by position, added, deleted)
    rather than reading back the whole table: both must give the same workbook, on every sample
    and every table, row numbers of added rows included."""
    from valuechain.vocabulary import RECORD_TABLES
    from valuechain.workbook.editing import apply_editor_changes, with_editor_changes

    workbook = load_paths([path])
    for spec in RECORD_TABLES:
        frame = editable_frame(workbook.raw, spec.code, lang, workbook.problems)
        if frame.empty:
            continue
        header = next(c for c in frame.columns[3:] if frame[c].notna().any())
        last = len(frame) - 1
        changes = {
            "edited_rows": {0: {header: "Nouvelle valeur"}, last: {c: None for c in frame.columns[3:]}},
            "added_rows": [{header: "Ajoutée"}, {}],
            "deleted_rows": [1] if len(frame) > 2 else [],
        }
        expected = frame.copy()
        expected.loc[0, header] = "Nouvelle valeur"
        for column in frame.columns[3:]:
            expected.loc[last, column] = None  # a row emptied in the editor is deleted
        expected = expected.drop(index=changes["deleted_rows"])
        expected.loc[len(frame) + 1] = {**{c: None for c in frame.columns}, header: "Ajoutée"}
        by_table = apply_table_edits(workbook.raw, spec.code, expected, lang)
        by_record = apply_editor_changes(workbook.raw, spec.code, frame, changes, lang)
        assert by_record.tables[spec.code] == by_table.tables[spec.code], spec.code
        read_back = apply_table_edits(workbook.raw, spec.code, with_editor_changes(frame, changes), lang)
        assert read_back.tables[spec.code] == by_table.tables[spec.code], spec.code
        assert by_record.problems == by_table.problems and by_record.centre_fields == by_table.centre_fields
        # The workbook edited is left as it was, and the other tables are the same.
        assert workbook.raw.tables[spec.code].rows == load_paths([path]).raw.tables[spec.code].rows
        assert all(by_record.tables[c] == workbook.raw.tables[c] for c in workbook.raw.tables if c != spec.code)


def test_a_quick_add_leaves_the_workbook_it_was_added_to_as_it_was(tilleuls):
    before = [r.cells for r in tilleuls.workbook.raw.tables["actors"].rows]
    added = add_row(tilleuls.workbook.raw, "actors", {"name": "Bibliothèque", "category": "Institutions"})
    assert [r.cells for r in tilleuls.workbook.raw.tables["actors"].rows] == before
    assert [r.cells for r in added.tables["actors"].rows][:-1] == before
    assert added.tables["actors"].rows[-1].cells["name"] == "Bibliothèque"


def test_editing_the_centre_sheet_changes_the_rate_and_the_figures(tilleuls):
    frame = centre_frame(tilleuls.workbook.raw, "fr")
    frame.loc[frame["champ"] == "Taux horaire du bénévolat (€/h)", "valeur"] = "20"  # the field in the user's words
    edited = analyse(validate(apply_centre_edits(tilleuls.workbook.raw, frame, "fr")))
    assert edited.figures["volunteer_value"] == pytest.approx(280 * 20)


def test_charts_write_numbers_as_the_tables_do_never_40k():
    from valuechain.media import charts

    bar = charts.domains_bar({"societal": 42_389.0, "individuel": 3_726.0}, "fr")
    assert bar.layout.xaxis.tickformat == ",.0f" and bar.layout.xaxis.ticksuffix == "\u00a0€"
    assert bar.layout.separators == ",\u202f"
    assert charts.domains_bar({"societal": 1.0}, "en").layout.xaxis.tickprefix == "€"
    radar = charts.domains_radar({"A": {"societal": 3, "individuel": 1}}, "fr")
    assert radar.layout.polar.radialaxis.ticksuffix == "\u00a0%" and max(radar.data[0].r) == 75
    donut = charts.categories_chart({"habitants": 5886.0, "institutions": 4114.0}, "fr")
    assert list(donut.data[0].text) == ["58,86\u00a0%", "41,14\u00a0%"]
    one_point = charts.evolution_chart({"X": [(2025, 499_917.5)]}, "resources_total", "fr")
    assert one_point.layout.yaxis.ticksuffix == "\u00a0€" and one_point.layout.yaxis.tickformat == ",.0f"


def test_the_centre_table_in_the_editor_speaks_the_users_words_and_numbers(tilleuls):
    frame = centre_frame(tilleuls.workbook.raw, "fr")
    shown = dict(zip(frame["champ"], frame["valeur"]))
    assert "taux_horaire_benevolat" not in shown and "None" not in set(map(str, shown.values()))
    assert shown["Taux horaire du bénévolat (€/h)"] == "12,02" and shown["Année"] == "2025"
    english = dict(zip(*centre_frame(tilleuls.workbook.raw, "en").iloc[:, :2].T.values))
    assert english["Volunteer hourly rate (€/h)"] == "12.02"


def test_the_editor_shows_list_values_as_their_choices_and_keeps_rows_untouched(tilleuls):
    from valuechain.workbook.editing import select_options

    frame = editable_frame(tilleuls.workbook.raw, "flows", "fr")
    natures = set(frame["Nature"].dropna()) - {""}
    assert "quantite" not in frame.columns and "Quantité" in frame.columns
    assert natures <= set(select_options("nature", "fr")), natures  # "Monétaire", not "monetaire"
    assert "None" not in frame.astype(str).to_string()
    unchanged = apply_table_edits(tilleuls.workbook.raw, "flows", frame, "fr")
    before = [r.cells for r in tilleuls.workbook.raw.tables["flows"].rows]
    assert [r.cells for r in unchanged.tables["flows"].rows] == before  # shown differently, kept as typed


def test_a_chain_of_many_contributors_shows_the_largest_and_the_rest_as_one_band_with_the_same_totals():
    import networkx as nx

    from valuechain.media.charts import SANKEY_TOP, sankey_counts

    graph = nx.MultiDiGraph(centre="centre", name="Grand centre")
    graph.add_node("centre", name="Le centre", kind="actor", category="centre")
    graph.add_node("act", name="Épicerie", kind="activity", type="principale", category=None)
    for number in range(120):
        graph.add_node(f"a{number}", name=f"Donateur {number:03d}", kind="actor", category="habitants")
        graph.add_edge(
            f"a{number}",
            "centre",
            value=float(number + 1),
            quantity=None,
            unit=None,
            nature="monetaire",
            activity="act",
            domains=("societal",),
        )
    assert sankey_counts(graph) == (120, 0)
    everyone = sankey_links(graph, "fr", top=None)
    grouped = sankey_links(graph, "fr")
    origins = {link.source for link in grouped if link.kind == "contributor"}
    assert len(origins) == SANKEY_TOP + 1 and "Autres contributeurs (90)" in origins
    assert "Donateur 119" in origins and "Donateur 000" not in origins  # the largest are kept
    total = lambda links, kind: sum(link.value for link in links if link.kind == kind)  # noqa: E731
    assert total(grouped, "contributor") == total(everyone, "contributor") == sum(range(1, 121))
    assert total(grouped, "domain") == total(everyone, "domain")
    assert len(sankey(graph, "en").data[0].node.label) == SANKEY_TOP + 1 + 2  # + the activity, the domain


def test_a_chain_of_many_activities_groups_the_smallest_with_the_same_totals():
    import networkx as nx

    from valuechain.media.charts import SANKEY_TOP

    graph = nx.MultiDiGraph(centre="centre", name="Grand centre")
    graph.add_node("centre", name="Le centre", kind="actor", category="centre")
    graph.add_node("caf", name="CAF", kind="actor", category="institutions")
    for number in range(50):
        graph.add_node(f"act{number}", name=f"Activité {number:02d}", kind="activity", type="principale", category=None)
        graph.add_edge(
            "caf",
            "centre",
            value=float(number + 1),
            quantity=None,
            unit=None,
            nature="monetaire",
            activity=f"act{number}",
            domains=("societal",),
        )
    grouped = sankey_links(graph, "fr")
    middles = {link.target for link in grouped if link.kind == "contributor"}
    assert len(middles) == SANKEY_TOP + 1 and "Autres activités (20)" in middles
    assert sum(link.value for link in grouped if link.kind == "domain") == sum(range(1, 51))


def test_the_small_multiples_share_one_scale_and_show_the_value_not_filled_in():
    """Issue 26.7: "même échelle pour tous les centres" was said while each row had its own
    scale (42 k€ as tall as 180 k€), and "Non renseigné" was left out."""
    from valuechain.media.charts import domain_small_multiples

    series = {f"Centre {n}": {"societal": 10_000.0 * (n + 1)} for n in range(5)}
    series["Centre 5"] = {"societal": 180_000.0, "non_renseigne": 5_000.0}
    figure = domain_small_multiples(series, "fr")
    ranges = {
        tuple(axis.range)
        for name, axis in figure.layout.to_plotly_json().items()
        if name.startswith("xaxis")
        for axis in [figure.layout[name]]
    }
    assert len(ranges) == 1 and list(ranges)[0][0] == 0 and list(ranges)[0][1] >= 180_000
    assert all("Non renseigné" in trace.y for trace in figure.data)


def test_an_evolution_starts_at_zero():
    """Issue 26.7: the evolution opened with ticks "499 918 € / 499 917 €"."""
    from valuechain.media.charts import evolution_chart

    figure = evolution_chart({"C": [(2024, 499_917.0), (2025, 499_918.0)]}, "resources_total", "fr")
    assert figure.layout.yaxis.rangemode == "tozero"


def test_every_compared_column_has_its_definition_and_quality_comes_first():
    from valuechain.chain.compare import QUALITY
    from valuechain.media.comparison import column_definitions, comparison_frame, quality_header
    from valuechain.media.report import figures

    frame = comparison_frame([figures(analyse(load_paths([WORKED_EXAMPLE_FILE])), "fr")], "fr", formatted=True)
    definitions = column_definitions("fr")
    assert set(frame.columns) - set(definitions) == {"Centre", "Année", "Fédération"}
    assert all(definitions[c].strip() for c in definitions)
    assert list(frame.columns[3 : 3 + len(QUALITY)]) == [quality_header(code, "fr") for code in QUALITY]

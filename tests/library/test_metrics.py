"""Every figure of docs/indicateurs.md against numbers worked out by hand."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import WORKED_EXAMPLE_FILE
from valuechain import load_paths, validate
from valuechain.chain import figures as registry
from valuechain.chain import metrics as m
from valuechain.chain.graph import actor_network, build_graph, flow_value
from valuechain.chain.metrics import Undefined
from valuechain.vocabulary import CATEGORIES, DOMAINS, NATURES
from valuechain.workbook.writing import raw_workbook_from_records


def graph_of(centre=None, actors=(), activities=(), flows=()):
    raw = raw_workbook_from_records(
        "test",
        centre or {"name": "C", "year": 2025},
        actors=list(actors),
        activities=list(activities),
        flows=list(flows),
    )
    workbook = validate(raw)
    assert workbook.errors == [], workbook.errors
    return build_graph(workbook)


# The worked example -----------------------------------------------------------------------------------
@pytest.fixture(params=["records", "file"])
def tilleuls(request, worked_example):
    workbook = worked_example if request.param == "records" else load_paths([WORKED_EXAMPLE_FILE])
    return build_graph(workbook)


def test_worked_example_resources_and_contributions(tilleuls):
    assert m.resources_total(tilleuls) == pytest.approx(50_965.60)
    got = [(c.name, round(c.value, 2), round(c.share * 100, 2)) for c in m.contributions(tilleuls)]
    assert got == [
        ("CAF", 30_000, 58.86),
        ("Mairie", 12_000, 23.55),
        ("Fondation Horizon", 5_000, 9.81),
        ("Bénévoles", 3_005, 5.90),
        ("Ferme du Coteau", 600, 1.18),
        ("Familles du quartier", 360.60, 0.71),
    ]


def test_worked_example_every_other_figure(tilleuls):
    assert m.public_funding(tilleuls) == pytest.approx(40_000)
    assert m.leverage(tilleuls) == pytest.approx(0.274, abs=5e-4)
    assert m.non_monetary_share(tilleuls) == pytest.approx(5_965.60 / 50_965.60)
    assert round(m.non_monetary_share(tilleuls) * 100, 2) == 11.71
    assert m.volunteer_hours(tilleuls) == pytest.approx(280)
    assert m.volunteer_value(tilleuls) == pytest.approx(3_365.60)
    assert round(m.local_share(tilleuls) * 100, 2) == 90.19
    assert m.local_coverage(tilleuls) == pytest.approx(1.0)
    assert round(m.support_share(tilleuls) * 100, 2) == 16.12
    assert m.support_share(tilleuls) == pytest.approx(961.60 / 5_965.60)
    assert round(m.contribution_evenness(tilleuls), 4) == 0.3986
    assert m.value_by_domain(tilleuls) == pytest.approx(
        {
            "economique_territorial": 30_000,
            "non_renseigne": 15_000,
            "individuel": 2_502,
            "societal": 2_502,
            "politique": 961.60,
        }
    )
    assert m.centre_betweenness(tilleuls) == pytest.approx(14 / 15)
    assert m.centre_dependence(tilleuls) == pytest.approx(14 / 15)
    assert m.reciprocity(tilleuls) == pytest.approx(2 / 6)
    assert m.people_reached(tilleuls) == 40
    assert m.intangible_share(tilleuls) == pytest.approx(1 / 11)


def test_worked_example_actor_network_is_as_described(tilleuls):
    network = actor_network(tilleuls)
    centre = tilleuls.graph["centre"]
    assert set(network.neighbors(centre)) == set(network.nodes) - {centre}
    assert network.has_edge("Ferme du Coteau", "Familles du quartier")
    assert network.number_of_edges() == 7


# A second case, computed by hand ---------------------------------------------------------------------
# Rate 10 €/h. Actors: C (centre, local), Ville (institutions, local), Asso Jardin (associations,
# locality unknown), Voisins (habitants, not local), Bénévoles (benevoles, unknown), Isolé (no flow).
# Jardin is led by Asso Jardin; Compta is a support activity led by the centre.
CASTORS = dict(
    centre={"name": "C", "year": 2025, "volunteer_hourly_rate": 10},
    actors=[
        {"name": "C", "category": "centre", "local": "oui"},
        {"name": "Ville", "category": "institutions", "local": "oui"},
        {"name": "Asso Jardin", "category": "associations"},
        {"name": "Voisins", "category": "habitants", "local": "non"},
        {"name": "Bénévoles", "category": "benevoles"},
        {"name": "Isolé", "category": "autre"},
    ],
    activities=[
        {"name": "Jardin", "lead": "Asso Jardin", "domains": "environnemental"},
        {"name": "Compta", "type": "support", "function": "logistique"},
    ],
    flows=[
        {"source": "Ville", "target": "C", "nature": "monetaire", "quantity": 1000},  # no unit: euros
        {"source": "Asso Jardin", "target": "Jardin", "nature": "nature", "quantity": 10, "unit": "kg", "value": 50},
        {"source": "Bénévoles", "target": "Jardin", "nature": "benevolat", "quantity": 2, "unit": "jours"},  # 14 h
        {"source": "Voisins", "target": "Compta", "nature": "benevolat", "quantity": 5, "unit": "h", "value": 100},
        {"source": "Jardin", "target": "Voisins", "nature": "service", "quantity": 12, "unit": "personnes"},
        {"source": "Voisins", "target": "C", "nature": "information"},
    ],
)


@pytest.fixture
def castors():
    return graph_of(**CASTORS)


def test_castors_values_follow_the_format_order(castors):
    values = [d["value"] for _, _, _, d in sorted(castors.edges(keys=True, data=True), key=lambda e: e[2])]
    # 1000 (money with no unit), 50 (entered), 2 days × 7 h × 10 €, 100 (entered wins over 5 h), unvalued ×2
    assert values == [1000, 50, 140, 100, None, None]


def test_castors_figures_by_hand(castors):
    assert m.resources_total(castors) == 1290
    assert [(c.name, c.value) for c in m.contributions(castors)] == [
        ("Ville", 1000),
        ("Bénévoles", 140),
        ("Voisins", 100),
        ("Asso Jardin", 50),
    ]
    assert m.public_funding(castors) == 1000
    assert m.leverage(castors) == pytest.approx(0.29)
    assert m.non_monetary_share(castors) == pytest.approx(290 / 1290)
    assert m.volunteer_hours(castors) == 19
    assert m.volunteer_value(castors) == 240
    assert m.local_share(castors) == pytest.approx(1000 / 1100)
    assert m.local_coverage(castors) == pytest.approx(1100 / 1290)
    assert m.support_share(castors) == pytest.approx(100 / 290)
    assert m.contribution_evenness(castors) == pytest.approx(0.5501194, abs=1e-6)
    assert m.value_by_domain(castors) == {"non_renseigne": 1100, "environnemental": 190}
    assert m.centre_betweenness(castors) == pytest.approx(3 / 10)
    assert m.centre_dependence(castors) == pytest.approx(3 / 6)
    assert m.reciprocity(castors) == pytest.approx(1 / 4)
    assert m.people_reached(castors) == 12
    assert m.intangible_share(castors) == pytest.approx(1 / 6)


def test_a_partner_led_activity_makes_a_self_loop_that_the_actor_network_drops(castors):
    network = actor_network(castors)
    assert not nx.number_of_selfloops(network)
    assert network.has_edge("Bénévoles", "Asso Jardin")  # Jardin is replaced by its lead
    assert "Isolé" in network and network.degree("Isolé") == 0
    assert m.is_resource_flow(castors, "Asso Jardin", "Jardin")


def test_per_activity_per_actor_brokerage_and_unvalued(castors):
    jardin = next(a for a in m.activity_summaries(castors) if a.name == "Jardin")
    assert (jardin.resources_value, jardin.flows_out, jardin.people_reached) == (190, 1, 12)
    assert jardin.resources_by_nature == {"nature": 50, "benevolat": 140}
    assert jardin.resources_by_contributor == {"Asso Jardin": 50, "Bénévoles": 140}
    assert jardin.resources_by_unit == {"kg": 10, "jours": 2}
    assert jardin.volunteer_hours == 14
    voisins = next(a for a in m.actor_summaries(castors) if a.name == "Voisins")
    assert (voisins.given_value, voisins.received_value, voisins.flows_given) == (100, 0, 2)
    assert voisins.received_by_unit == {"personnes": 12}
    assert m.centre_brokerage(castors) == m.Brokerage(neighbours=2, pairs_linked=1, pairs_total=1)
    unvalued = m.not_valued(castors)
    assert [(u.source, u.target, u.resource) for u in unvalued] == [
        ("Voisins", "C", True),
        ("Jardin", "Voisins", False),
    ]
    assert m.not_valued_count(castors) == 2  # what the reports say, counted without the list


# Edge cases ---------------------------------------------------------------------------------------------
def test_no_public_funding_leaves_leverage_undefined():
    graph = graph_of(
        actors=[{"name": "C", "category": "centre"}, {"name": "F", "category": "financeurs"}],
        flows=[{"source": "F", "target": "C", "nature": "monetaire", "quantity": 10, "unit": "€"}],
    )
    assert m.public_funding(graph) == 0
    assert m.leverage(graph) == Undefined("no_public_funding")


def test_no_activity_leaves_the_support_share_undefined():
    graph = graph_of(
        actors=[{"name": "C", "category": "centre"}, {"name": "F", "category": "financeurs"}],
        flows=[{"source": "F", "target": "C", "nature": "monetaire", "quantity": 10}],
    )
    assert m.support_share(graph) == Undefined("no_activity_resources")
    assert m.activity_summaries(graph) == []


def test_unknown_localities_leave_local_anchoring_undefined_and_coverage_zero():
    graph = graph_of(
        actors=[{"name": "C", "category": "centre"}, {"name": "F", "category": "financeurs"}],
        flows=[{"source": "F", "target": "C", "nature": "monetaire", "quantity": 10}],
    )
    assert m.local_share(graph) == Undefined("no_known_locality")
    assert m.local_coverage(graph) == 0


def test_a_centre_with_no_links():
    graph = graph_of(
        actors=[
            {"name": "C", "category": "centre"},
            {"name": "A", "category": "associations"},
            {"name": "B", "category": "habitants"},
        ],
        flows=[{"source": "A", "target": "B", "nature": "service", "quantity": 3, "unit": "personnes"}],
    )
    assert m.resources_total(graph) == 0
    assert m.contributions(graph) == []
    assert m.centre_betweenness(graph) == 0
    assert m.centre_dependence(graph) == 0
    assert m.reciprocity(graph) == Undefined("no_contributors")
    assert m.contribution_evenness(graph) == Undefined("no_resources")
    assert m.non_monetary_share(graph) == Undefined("no_resources")
    assert m.people_reached(graph) == 0  # A is not the centre's side
    assert m.intangible_share(graph) == 0


def test_fewer_than_three_actors_leave_betweenness_undefined_and_a_lone_pair_dependence():
    graph = graph_of(
        actors=[{"name": "C", "category": "centre"}, {"name": "A", "category": "associations"}],
        flows=[{"source": "A", "target": "C", "nature": "monetaire", "quantity": 10}],
    )
    assert m.centre_betweenness(graph) == Undefined("too_few_actors")
    assert m.centre_dependence(graph) == Undefined("no_connected_pairs")


def test_contributors_with_nothing_valued_are_listed_with_zero():
    graph = graph_of(
        actors=[
            {"name": "C", "category": "centre"},
            {"name": "A", "category": "associations"},
            {"name": "B", "category": "habitants"},
        ],
        flows=[
            {"source": "A", "target": "C", "nature": "monetaire", "quantity": 10},
            {"source": "B", "target": "C", "nature": "reconnaissance"},
        ],
    )
    assert [(c.name, c.value, c.share) for c in m.contributions(graph)] == [("A", 10, 1.0), ("B", 0, 0.0)]
    assert m.contribution_evenness(graph) == 0  # one category with a positive share


def test_a_flow_in_days_is_seven_hours_a_day():
    assert flow_value("benevolat", 3, "jours", None, 12.02) == (252.42, "volunteer_rate")
    graph = graph_of(
        actors=[{"name": "C", "category": "centre"}, {"name": "B", "category": "benevoles"}],
        flows=[{"source": "B", "target": "C", "nature": "benevolat", "quantity": "3 jours"}],
    )
    assert m.volunteer_hours(graph) == 21
    assert m.volunteer_value(graph) == pytest.approx(252.42)


def test_unvalued_units_and_in_kind_without_value_are_not_valued():
    assert flow_value("nature", 10, "kg", None, 12.02) == (None, None)
    assert flow_value("monetaire", 10, "kg", None, 12.02) == (None, None)
    assert flow_value("service", 10, None, None, 12.02) == (None, None)
    assert flow_value("lieu", 10, "€", None, 12.02) == (10, "quantity_in_euros")


# Properties ----------------------------------------------------------------------------------------------
@st.composite
def centres(draw):
    n_actors = draw(st.integers(2, 8))
    names = [f"A{i}" for i in range(n_actors)]
    actors = [{"name": names[0], "category": "centre", "local": draw(st.sampled_from(["oui", "non", None]))}]
    for name in names[1:]:
        actors.append(
            {
                "name": name,
                "category": draw(st.sampled_from([c for c in CATEGORIES.codes if c != "centre"])),
                "local": draw(st.sampled_from(["oui", "non", None])),
            }
        )
    n_activities = draw(st.integers(0, 3))
    activities = [
        {
            "name": f"X{i}",
            "type": draw(st.sampled_from(["principale", "support"])),
            "lead": draw(st.sampled_from(names)),
            "domains": "|".join(draw(st.lists(st.sampled_from(DOMAINS.codes), max_size=2, unique=True))),
        }
        for i in range(n_activities)
    ]
    nodes = names + [a["name"] for a in activities]
    flows = []
    for _ in range(draw(st.integers(0, 14))):
        source, target = draw(st.lists(st.sampled_from(nodes), min_size=2, max_size=2, unique=True))
        flows.append(
            {
                "source": source,
                "target": target,
                "nature": draw(st.sampled_from(NATURES.codes)),
                "quantity": draw(st.one_of(st.none(), st.integers(0, 5000))),
                "unit": draw(st.sampled_from([None, "€", "h", "jours", "kg", "personnes"])),
                "value": draw(st.one_of(st.none(), st.integers(0, 5000))),
                "domains": "|".join(draw(st.lists(st.sampled_from(DOMAINS.codes), max_size=3, unique=True))),
            }
        )
    return {"centre": {"name": names[0], "year": 2025}, "actors": actors, "activities": activities, "flows": flows}


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(centres())
def test_contribution_shares_add_up_to_one(case):
    graph = graph_of(**case)
    shares = [c.share for c in m.contributions(graph)]
    if m.resources_total(graph) > 0:
        assert sum(shares) == pytest.approx(1)
    else:
        assert all(isinstance(s, Undefined) for s in shares)


@PROPERTY_SETTINGS
@given(centres())
def test_value_by_domain_adds_up_to_resources_mobilised(case):
    graph = graph_of(**case)
    assert sum(m.value_by_domain(graph).values()) == pytest.approx(m.resources_total(graph))


def _scalars(graph):
    values = {}
    for code, value in registry.compute(graph).items():
        values[code] = value if isinstance(value, Undefined) else pytest.approx(value, abs=1e-9)
    return values


@PROPERTY_SETTINGS
@given(centres(), st.randoms(use_true_random=False))
def test_figures_do_not_change_when_rows_are_shuffled_or_actors_renamed(case, rnd):
    before = _scalars(graph_of(**case))
    shuffled = {key: (list(value) if isinstance(value, list) else value) for key, value in case.items()}
    for key in ("actors", "activities", "flows"):
        rnd.shuffle(shuffled[key])
    assert _scalars(graph_of(**shuffled)) == before
    renamed_names = {a["name"]: f"Acteur {rnd.randint(0, 10**9)}-{i}" for i, a in enumerate(case["actors"])}
    rename = lambda name: renamed_names.get(name, name)  # noqa: E731
    renamed = {
        "centre": {**case["centre"], "name": rename(case["centre"]["name"])},
        "actors": [{**a, "name": rename(a["name"])} for a in case["actors"]],
        "activities": [{**a, "lead": rename(a["lead"])} for a in case["activities"]],
        "flows": [{**f, "source": rename(f["source"]), "target": rename(f["target"])} for f in case["flows"]],
    }
    assert _scalars(graph_of(**renamed)) == before


@PROPERTY_SETTINGS
@given(centres())
def test_removing_the_centre_never_connects_anything_and_dependence_is_a_share(case):
    graph = graph_of(**case)
    network = actor_network(graph)
    centre = graph.graph["centre"]
    component_of = {n: i for i, comp in enumerate(nx.connected_components(network)) for n in comp}
    without = network.subgraph(n for n in network if n != centre)
    for component in nx.connected_components(without):
        assert len({component_of[n] for n in component}) == 1
    dependence = m.centre_dependence(graph)
    assert isinstance(dependence, Undefined) or 0 <= dependence <= 1


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 60), st.floats(0.02, 0.3), st.integers(0, 10**6))
def test_compiled_betweenness_equals_networkx(n, p, seed):
    network = nx.gnp_random_graph(n, p, seed=seed)
    network = nx.relabel_nodes(network, {i: f"n{i}" for i in network})
    expected = nx.betweenness_centrality(network, normalized=True)
    node = random.Random(seed).choice(list(network))
    assert m.compiled_betweenness(network, node) == pytest.approx(expected[node], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 60), st.floats(0.0, 0.3), st.integers(0, 10**6))
def test_compiled_dependence_equals_networkx(n, p, seed):
    """The large networks' dependence (igraph's components) counts the very pairs that the
    small networks' (networkx's) counts: same value, same undefined case."""
    network = nx.gnp_random_graph(n, p, seed=seed)
    network = nx.relabel_nodes(network, {i: f"n{i}" for i in network})
    centre = random.Random(seed).choice(list(network))
    assert m.compiled_dependence(network, centre) == m._dependence(network, centre)


def test_large_networks_use_the_compiled_betweenness(monkeypatch):
    calls = []
    monkeypatch.setattr(m, "compiled_betweenness", lambda network, node: calls.append(node) or 0.5)
    actors = [{"name": "C", "category": "centre"}] + [
        {"name": f"P{i}", "category": "habitants"} for i in range(m.COMPILED_BETWEENNESS_FROM)
    ]
    flows = [
        {"source": f"P{i}", "target": "C", "nature": "benevolat", "quantity": 1, "unit": "h"}
        for i in range(m.COMPILED_BETWEENNESS_FROM)
    ]
    assert m.centre_betweenness(graph_of(actors=actors, flows=flows)) == 0.5 and calls == ["C"]


def _hub_network(actors: int, seed: int) -> tuple[nx.Graph, str]:
    """A centre linked to a third of the actors, among clusters of partners: its betweenness
    is high but not 1, as in a real centre's network."""
    rng = random.Random(seed)
    network = nx.connected_watts_strogatz_graph(actors, 4, 0.05, seed=seed)
    network = nx.relabel_nodes(network, {i: f"a{i}" for i in network})
    network.add_edges_from(("C", f"a{i}") for i in rng.sample(range(actors), actors // 3))
    return network, "C"


def test_a_sampled_betweenness_lands_within_its_stated_margin_of_the_exact_value():
    network, centre = _hub_network(1_500, seed=3)
    exact = nx.betweenness_centrality(network, normalized=True)[centre]
    assert m.compiled_betweenness(network, centre) == pytest.approx(exact, abs=1e-9)
    errors, inside = [], 0
    for seed in range(20):
        estimate = m.sampled_betweenness(network, centre, pivots=150, seed=seed)
        assert isinstance(estimate, m.Estimate) and estimate.pivots == 150 and estimate.margin > 0
        errors.append(abs(estimate - exact))
        inside += abs(estimate - exact) <= estimate.margin
    # A 95 % interval: most seeds cover the exact value; none is far off it.
    assert inside >= 15, (inside, errors)
    assert max(errors) < 0.05 and sum(errors) / len(errors) < 0.02


def test_the_same_workbook_always_gives_the_same_estimate():
    network, centre = _hub_network(800, seed=1)
    first, second = m.sampled_betweenness(network, centre, 100), m.sampled_betweenness(network, centre, 100)
    assert (float(first), first.margin) == (float(second), second.margin)


def test_past_the_exact_budget_the_centre_betweenness_is_estimated_and_says_so(monkeypatch):
    monkeypatch.setattr(m, "EXACT_BETWEENNESS_WORK", 1_000)
    actors = [{"name": "C", "category": "centre"}] + [
        {"name": f"P{i}", "category": "habitants"} for i in range(m.COMPILED_BETWEENNESS_FROM)
    ]
    flows = [
        {"source": f"P{i}", "target": "C", "nature": "benevolat", "quantity": 1, "unit": "h"}
        for i in range(m.COMPILED_BETWEENNESS_FROM)
    ]
    value = m.centre_betweenness(graph_of(actors=actors, flows=flows))
    assert isinstance(value, m.Estimate) and value == pytest.approx(1.0)  # a star: every path goes through C
    from valuechain.media import formatting as fmt

    assert fmt.format_figure("centre_betweenness", value, "fr").startswith("≈")
    assert fmt.estimate_note("centre_betweenness", value, "fr").startswith("estimé sur 301 pivots, ± ")
    assert fmt.estimate_note("centre_betweenness", value, "en").startswith("estimated on 301 pivots, ± ")


def test_evenness_is_shannon_over_ln_k():
    graph = graph_of(**CASTORS)
    values = [1000, 50, 140, 100]
    total = sum(values)
    expected = -sum(v / total * math.log(v / total) for v in values) / math.log(4)
    assert m.contribution_evenness(graph) == pytest.approx(expected)


def test_share_estimated_by_hand():
    # 1000 € from the accounts, 140 € (14 h × 10 €) estimated, 50 € "Estimation prudente": 190 / 1190.
    case = {
        **CASTORS,
        "flows": [
            {**CASTORS["flows"][0], "data_source": "comptabilité"},
            {**CASTORS["flows"][1], "data_source": "Estimation prudente"},
            {**CASTORS["flows"][2], "data_source": "estimation"},
        ],
    }
    graph = graph_of(**case)
    assert m.resources_total(graph) == 1190
    assert m.estimated_share(graph) == pytest.approx(190 / 1190)
    assert m.estimated_share(graph_of(actors=CASTORS["actors"][:1])) == Undefined("no_resources")


def test_supposed_counts_as_estimated_in_the_share_as_in_the_range():
    """Issue 34.11: "supposé" was estimated in the range by data quality (± 30 %) but not in
    the share estimated. One rule (``vocabulary.flow_evidence``) for both."""
    flows = [{**f, "data_source": "comptabilité"} for f in CASTORS["flows"]]
    flows[1] = {**flows[1], "data_source": "supposé"}  # Asso Jardin's 50 €
    graph = graph_of(**{**CASTORS, "flows": flows})
    assert m.estimated_share(graph) == pytest.approx(50 / 1290)
    assert m.evidence_range(graph).uncertain == pytest.approx(50)  # estimated, so moved by ± 30 %
    assert m.evidence_range(graph).low.resources_total == pytest.approx(1290 - 15)
    assert registry.DEFINITIONS >= 4  # the definition changed: stored results are computed again


def test_the_range_by_data_quality_is_always_low_to_high_each_ratio_worked_by_hand():
    """Issue 34.11: "effet levier de 0,231 à 0,224". Public money estimated (± 30 %), the rest
    declared (± 10 %): all down then all up moved the leverage the wrong way. Each figure's
    low end now has its numerator down and its denominator up (docs/indicateurs.md)."""
    flows = [dict(f) for f in CASTORS["flows"]]
    flows[0]["data_source"] = "estimation"  # Ville's 1 000 €
    graph = graph_of(**{**CASTORS, "flows": flows})
    found = m.evidence_range(graph)
    # R = 1 290: public 1 000 ± 300; the others 290 ± 29 (declared), all of them non-monetary.
    assert (found.low.resources_total, found.high.resources_total) == pytest.approx((1290 - 329, 1290 + 329))
    assert found.low.leverage == pytest.approx(261 / 1300)
    assert found.high.leverage == pytest.approx(319 / 700)
    assert found.low.non_monetary_share == pytest.approx(261 / (261 + 1300))
    assert found.high.non_monetary_share == pytest.approx(319 / (319 + 700))
    assert found.low.leverage < m.leverage(graph) < found.high.leverage
    assert found.low.non_monetary_share < m.non_monetary_share(graph) < found.high.non_monetary_share
    from types import SimpleNamespace

    from valuechain.media.tables import evidence_range

    sentence = evidence_range(SimpleNamespace(evidence_range=found), "fr")  # what the pages and the PDF say
    assert "effet levier de 0,201 à 0,456" in sentence, sentence


@pytest.mark.parametrize("public_source, other_source", [("estimation", None), (None, "estimation"), (None, None)])
def test_every_range_by_data_quality_holds_its_figure(public_source, other_source):
    flows = [dict(f) for f in CASTORS["flows"]]
    flows[0]["data_source"] = public_source
    flows[1]["data_source"] = other_source
    graph = graph_of(**{**CASTORS, "flows": flows})
    found = m.evidence_range(graph)
    for code in ("resources_total", "leverage", "non_monetary_share", "volunteer_value"):
        value = getattr(m, code)(graph)
        assert getattr(found.low, code) <= value <= getattr(found.high, code), code


def test_flows_and_indicators_by_domain_by_hand(castors, worked_example):
    # Castors: the two flows into Jardin and the service out of it take Jardin's domain.
    assert m.flows_by_domain(castors) == {"environnemental": 3}
    # Tilleuls: flow 1 (own domain), flows 3, 4, 6 and 8 (Atelier cuisine: 2 domains each),
    # 5 and 10 (Gouvernance), 11 (two of its own).
    assert m.flows_by_domain(build_graph(worked_example)) == {
        "economique_territorial": 2,
        "individuel": 4,
        "societal": 4,
        "politique": 2,
        "environnemental": 1,
    }
    assert m.indicators_by_domain(load_paths([WORKED_EXAMPLE_FILE]).indicators) == {"societal": 1}


# The second set, on the worked example (docs/indicateurs.md, "Le second jeu") ------------------------
def test_worked_example_second_set(tilleuls):
    assert round(m.volunteer_fte(tilleuls), 4) == 0.1742  # 280 / 1 607
    largest = m.largest_contribution(tilleuls)
    assert (largest.actor, round(largest.share, 4)) == ("CAF", 0.5886)
    assert m.largest_contribution_share(tilleuls) == pytest.approx(30_000 / 50_965.60)
    assert round(m.contribution_concentration(tilleuls), 4) == 0.4152
    [cooking] = m.activity_costs(tilleuls)  # Gouvernance is a support activity
    assert cooking.activity == "Atelier cuisine"
    assert (cooking.direct, cooking.support, cooking.operating) == (
        pytest.approx(5_004),
        pytest.approx(961.60),
        pytest.approx(45_000),
    )
    assert cooking.full == pytest.approx(50_965.60) and cooking.people == 40
    assert round(cooking.per_person, 2) == 1_274.14
    low, high = m.rate_sensitivity(tilleuls).low, m.rate_sensitivity(tilleuls).high
    assert (low.rate, high.rate) == (pytest.approx(9.015), pytest.approx(15.025))
    assert (round(low.resources_total, 2), round(high.resources_total, 2)) == (50_124.20, 51_807.00)
    assert (round(low.leverage, 4), round(high.leverage, 4)) == (0.2531, 0.2952)
    assert (round(low.non_monetary_share * 100, 2), round(high.non_monetary_share * 100, 2)) == (10.22, 13.14)
    assert (round(low.volunteer_value, 2), round(high.volunteer_value, 2)) == (2_524.20, 4_207.00)


def test_the_rate_range_comes_from_the_centre_sheet_when_given():
    graph = graph_of(
        centre={"name": "C", "year": 2025, "volunteer_hourly_rate": 10, "rate_low": 8, "rate_high": 20},
        actors=[{"name": "C", "category": "centre"}, {"name": "V", "category": "benevoles"}],
        flows=[{"source": "V", "target": "C", "nature": "benevolat", "quantity": 10, "unit": "h"}],
    )
    sensitivity = m.rate_sensitivity(graph)
    assert (sensitivity.low.rate, sensitivity.low.volunteer_value) == (8, pytest.approx(80))
    assert (sensitivity.high.rate, sensitivity.high.resources_total) == (20, pytest.approx(200))


def test_costs_spread_evenly_when_no_main_activity_has_direct_resources():
    graph = graph_of(
        actors=[{"name": "C", "category": "centre"}, {"name": "M", "category": "institutions"}],
        activities=[{"name": "A", "type": "principale"}, {"name": "B", "type": "principale"}],
        flows=[{"source": "M", "target": "C", "nature": "monetaire", "quantity": 100, "unit": "€"}],
    )
    costs = m.activity_costs(graph)
    assert [c.full for c in costs] == [pytest.approx(50), pytest.approx(50)]
    assert all(isinstance(c.per_person, Undefined) for c in costs)


def test_an_activitys_cost_per_person_counts_its_services_in_persons_to_anyone():
    """metrics.md: the people of an activity's full cost are its `service` flows in persons,
    to any actor. An information in persons serves nobody; a club served counts."""
    graph = graph_of(
        actors=[
            {"name": "C", "category": "centre"},
            {"name": "M", "category": "institutions"},
            {"name": "Familles", "category": "habitants"},
            {"name": "Club", "category": "associations"},
        ],
        activities=[{"name": "A", "type": "principale"}],
        flows=[
            {"source": "M", "target": "A", "nature": "monetaire", "quantity": 1200, "unit": "€"},
            {"source": "A", "target": "Familles", "nature": "service", "quantity": 10, "unit": "personnes"},
            {"source": "A", "target": "Familles", "nature": "information", "quantity": 5, "unit": "personnes"},
            {"source": "A", "target": "Club", "nature": "service", "quantity": 20, "unit": "personnes"},
        ],
    )
    [cost] = m.activity_costs(graph)
    assert (cost.full, cost.people) == (pytest.approx(1200), 30)
    assert round(cost.per_person, 2) == 40.00
    # People reached is another figure, and keeps its own rule: habitants only, any nature.
    assert m.people_reached(graph) == 15


@PROPERTY_SETTINGS
@given(centres())
def test_full_costs_add_up_to_resources_mobilised_when_there_is_a_main_activity(case):
    graph = graph_of(**case)
    costs = m.activity_costs(graph)
    if costs:
        assert sum(c.full for c in costs) == pytest.approx(m.resources_total(graph), abs=1e-6)


@PROPERTY_SETTINGS
@given(centres(), st.floats(0, 40))
def test_the_rate_sensitivity_is_the_figures_of_the_chain_valued_at_that_rate(case, rate):
    """Computed from the hours valued at the rate; the same as every figure recomputed on a
    copy of the chain with volunteer time valued at the other rate."""
    graph = graph_of(**case)
    at = m.rate_sensitivity(graph, low=rate, high=rate).low
    other = m.at_rate(graph, rate)
    assert at.resources_total == pytest.approx(m.resources_total(other), abs=1e-6)
    assert at.volunteer_value == pytest.approx(m.volunteer_value(other), abs=1e-6)
    for mine, theirs in ((at.leverage, m.leverage(other)), (at.non_monetary_share, m.non_monetary_share(other))):
        if isinstance(theirs, Undefined):
            assert isinstance(mine, Undefined)
        else:
            assert mine == pytest.approx(theirs, abs=1e-9)

"""The attacks of issue 33 on what a federation's members and analysts are shown of other centres:
a member importing extreme versions of its own centre to read the others off the quartiles, a
member probing the quartiles with its own place, an analyst differencing lettered rows across
years, and an "anonymised" output that still carried names. Each is run as the attacker would."""

from __future__ import annotations

import io
import json
from dataclasses import asdict

import openpyxl
import pytest

from helpers import minimal_sheets, xlsx_bytes
from support.distinctive import FEDERATION, distinctive_centre, leaks
from valuechain import InputFile
from valuechain.access.people import Identity, first_admin, user_of
from valuechain.access.policy import ANALYST, MEMBER, User
from valuechain.access.service import Access
from valuechain.chain.distribution import DISTRIBUTED, published, value_of
from valuechain.store.db import Store

FEDERATION_SIX = "FD Six"
# Resources of six centres, none of them round: a published number equal to one of them would be
# that centre's exact figure.
RESOURCES = {1: 1037.41, 2: 2203.17, 3: 3391.83, 4: 4012.59, 5: 5146.27, 6: 6088.93}
MEMBER_CENTRE = 2


def centre_file(number: int, money: float, year: int = 2025, name: str | None = None) -> InputFile:
    name = name or f"Centre numéro {number}"
    sheets = minimal_sheets(
        flows=[
            ["Mairie", "Jardin", "monetaire", money, "€", None],
            ["Jardin", "Voisins", "service", 10 * number + 3, "personnes", None],
        ]
    )
    sheets["Centre"][1] = ["nom", name]
    sheets["Centre"][2] = ["annee", year]
    sheets["Centre"] += [["federation", FEDERATION_SIX], ["habitants_territoire", 4000 + 137 * number]]
    sheets["Acteurs"][1] = [name, "centre", "oui"]
    return InputFile(f"{name}-{year}-{money}.xlsx", xlsx_bytes(sheets))


def person(store: Store, email: str) -> Access:
    return Access(store, user_of(store, Identity(email, email)))


@pytest.fixture
def six(url):
    store = Store(url)
    owner = Access(store, User.local_owner())
    for number, money in RESOURCES.items():
        owner.import_files([centre_file(number, money)])
    first_admin(store, "admin@six.fr", FEDERATION_SIX)
    admin = person(store, "admin@six.fr")
    admin.grant("membre@six.fr", MEMBER, FEDERATION_SIX, store.centre_of_key(f"Centre numéro {MEMBER_CENTRE}")["id"])
    admin.grant("analyste@six.fr", ANALYST, FEDERATION_SIX)
    yield store
    store.dispose()


def shown_of_others(found) -> list[tuple]:
    """What a distribution tells of the other centres (not the member's own value and place)."""
    return [(d.code, d.count, d.low_quartile, d.median, d.high_quartile) for d in found]


def exact_values(store: Store, code: str, but: int) -> set[float]:
    """Each other centre's exact value of a figure, as the store holds it."""
    versions = [v for v in store.latest(year=2025, federation=FEDERATION_SIX) if v.centre != f"Centre numéro {but}"]
    return {
        value for r in store.comparison_figures([v.id for v in versions]) if (value := value_of(r, code)) is not None
    }


def test_a_member_importing_extreme_versions_of_its_own_centre_learns_nothing_more_of_the_others(six):
    """The attack of issue 33.2: import 0,01 € then 1 000 000 000 € as one's own centre and read
    the quartiles each time. Whatever the member imports, it is shown the same numbers of the
    others, and none of them is another centre's exact figure."""
    member = person(six, "membre@six.fr")
    seen = [shown_of_others(member.distribution(2025, FEDERATION_SIX)[0])]
    for money in (0.01, 1_000_000_000.0):
        member.import_files([centre_file(MEMBER_CENTRE, money)])
        found, own = person(six, "membre@six.fr").distribution(2025, FEDERATION_SIX)
        assert own["resources_total"] == pytest.approx(money)  # the import did land: it is the member's centre now
        seen.append(shown_of_others(found))
    assert seen[0] == seen[1] == seen[2]
    resources = {d[0]: d for d in seen[0]}["resources_total"]
    assert resources[1] == 5  # the five others: the member's own centre is not among them
    # No published number is another centre's exact figure, but where that figure is itself round
    # (0 % of non-monetary resources for all six): "about 0" is then all anyone learns.
    for code, _count, *numbers in seen[0]:
        others = {value for value in exact_values(six, code, but=MEMBER_CENTRE) if published(value) != value}
        assert others or code != "resources_total"
        for number in numbers:
            assert number is None or all(number != pytest.approx(value, rel=1e-9) for value in others), (code, number)
    assert set(DISTRIBUTED) == {d[0] for d in seen[0]}


def test_a_member_probing_with_its_own_value_cannot_find_an_exact_quartile(six):
    """Its own centre's place is read against the published (rounded) numbers: importing a
    value just below, then just above, another centre's exact figure (the others' median)
    gives the same place, so no bisection finds it."""
    median_centre = sorted(v for n, v in RESOURCES.items() if n != MEMBER_CENTRE)[2]
    places = []
    for money in (median_centre - 0.01, median_centre + 0.01):
        person(six, "membre@six.fr").import_files([centre_file(MEMBER_CENTRE, money)])
        found, _ = person(six, "membre@six.fr").distribution(2025, FEDERATION_SIX)
        places.append({d.code: d.position for d in found}["resources_total"])
    assert places[0] == places[1]


def test_the_smallest_group_is_counted_without_the_member_s_own_centre(six):
    owner = Access(six, User.local_owner())
    sixth = next(v for v in six.versions() if v.centre == "Centre numéro 6")
    owner.delete(sixth.id)
    # Five centres: the member sees four others, too few; the analyst, who has no centre, five.
    assert all(d.suppressed for d in person(six, "membre@six.fr").distribution(2025, FEDERATION_SIX)[0])
    assert not person(six, "analyste@six.fr").distribution(2025, FEDERATION_SIX)[0][0].suppressed


def test_an_analyst_cannot_single_out_a_centre_added_between_two_years(url):
    """Five centres in 2024, the same five and a newcomer in 2025. Had each centre kept its letter
    from year to year, the letter with no 2024 row would be the newcomer's, and its figures its
    own: the letters are drawn again each year, so no letter links one year's row to another's."""
    store = Store(url)
    owner = Access(store, User.local_owner())
    for year in (2024, 2025):
        for number in range(1, 6 if year == 2024 else 7):
            owner.import_files([centre_file(number, 1000.0 * number + year, year=year)])
    first_admin(store, "admin@six.fr", FEDERATION_SIX)
    person(store, "admin@six.fr").grant("analyste@six.fr", ANALYST, FEDERATION_SIX)
    analyst = person(store, "analyste@six.fr")
    lettered = analyst.comparison()
    assert len(lettered) == 11 and not any("numéro" in json.dumps(r, ensure_ascii=False) for r in lettered)
    # The owner's names, to check the analyst's letters against.
    named = Access(store, User.local_owner()).comparison()
    by_figures = {(r["year"], r["resources_total"]): r["centre"] for r in named}
    letter_of = {(r["year"], by_figures[(r["year"], r["resources_total"])]): r["centre"] for r in lettered}
    continuing = [f"Centre numéro {n}" for n in range(1, 6)]
    assert [letter_of[(2024, c)] for c in continuing] != [letter_of[(2025, c)] for c in continuing]
    # The letter only 2025 has is no more the newcomer's than any other: the same as the page's
    # year by year, each year's letters drawn among that year's centres.
    for year in (2024, 2025):
        assert sorted(r["centre"] for r in analyst.comparison(year=year)) == sorted(
            r["centre"] for r in lettered if r["year"] == year
        )
    store.dispose()


def test_every_anonymised_output_is_a_whitelist_of_figures(tmp_path, capsys):
    """Issue 33.8: names of contributors, the largest contributor, the population, activities,
    problems, rate sensitivity stayed in ``compare --anonymise --json``. Five centres whose
    every name carries a marker: no anonymised output shows one."""
    from valuechain.cli import main
    from valuechain.media.comparison import comparison_frame, comparison_workbook, social_frame

    paths = []
    for number in range(1, 6):
        file = distinctive_centre(number)
        path = tmp_path / file.name
        path.write_bytes(file.data)
        paths.append(str(path))
    assert main(["compare", *paths, "--anonymise", "--json"]) == 0
    shown = capsys.readouterr().out
    rows = json.loads(shown)
    assert sorted(r["centre"] for r in rows) == [f"Centre {x}" for x in "ABCDE"]
    assert rows[0]["resources_total"] > 0 and rows[0]["social_value"]["ratio"] > 0  # the figures are there
    assert leaks(shown) == []
    assert main(["compare", *paths, "--anonymise"]) == 0
    assert leaks(capsys.readouterr().out) == []
    # The same rows through the library's files (the download) and through the store (the pages).
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    owner = Access(store, User.local_owner())
    for path in paths:
        owner.import_files([InputFile.from_path(path)])
    reports = store.figures([v.id for v in store.latest(year=2025)])
    book = openpyxl.load_workbook(io.BytesIO(comparison_workbook(reports, "fr", anonymise=True)))
    cells = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    assert "Centre A" in cells and leaks(cells) == []
    for lang in ("fr", "en"):
        assert leaks(comparison_frame(reports, lang, anonymise=True, formatted=True).to_string()) == []
        assert leaks(social_frame(reports, lang, anonymise=True).to_string()) == []
    lettered = owner.comparison(year=2025, anonymise=True)
    assert len(lettered) == 5 and leaks(json.dumps(lettered, ensure_ascii=False)) == []
    found, _ = owner.distribution(2025, FEDERATION)
    assert leaks(json.dumps([asdict(d) for d in found], ensure_ascii=False)) == []
    store.dispose()


# What the distribution's cells say (issue 34) ---------------------------------------------------------------
def test_a_figure_some_centres_lack_says_so_and_a_small_group_says_it_is_small():
    """ "moins de 5 centres" was shown where the group had six centres but some had no value (a
    blank population): the row says how many lack the measure; a group of four says it is small."""
    from valuechain.chain.distribution import distribution
    from valuechain.media.comparison import distribution_frame

    def report(resources: float, population: float | None) -> dict:
        return {"resources_total": resources, "population": population}

    six_centres = [report(1000.0 * n, 5000.0 if n <= 3 else None) for n in range(1, 7)]
    per_inhabitant = distribution(six_centres, "resources_per_inhabitant")
    assert per_inhabitant.suppressed and (per_inhabitant.count, per_inhabitant.total) == (3, 6)
    fr = distribution_frame([per_inhabitant], "fr", with_own=False).iloc[0].tolist()
    assert "3 centres sur 6 n'ont pas de valeur pour cette mesure : non montré" in fr
    assert not any("moins de 5" in str(cell) for cell in fr)
    en = distribution_frame([per_inhabitant], "en", with_own=False).iloc[0].tolist()
    assert "3 centres of 6 have no value for this measure: not shown" in en
    one_missing = distribution(six_centres[:5] + [report(6000.0, None)], "resources_total")
    assert not one_missing.suppressed
    small = distribution(six_centres[:4], "resources_total")
    assert small.suppressed and not small.for_lack_of_data
    assert "moins de 5 centres : non montré" in distribution_frame([small], "fr", with_own=False).iloc[0].tolist()


def test_published_quartiles_are_written_without_decimals_they_do_not_have():
    """Rounded to two significant figures, 3 700 € was written "3 700,00 €": a precision the
    number no longer has. Written as published: "3 700 €", "12 %", "0,25"."""
    from valuechain.chain.distribution import distribution
    from valuechain.media.comparison import distribution_frame

    reports = [{"resources_total": value} for value in RESOURCES.values()]
    found = distribution(reports, "resources_total")
    cells = distribution_frame([found], "fr", with_own=False).iloc[0].tolist()[2:5]
    assert cells == ["2\u202f200\u00a0€", "3\u202f700\u00a0€", "5\u202f100\u00a0€"], cells
    assert not any(",00" in cell for cell in cells)
    assert distribution_frame([found], "en", with_own=False).iloc[0].tolist()[3] == "€3,700"

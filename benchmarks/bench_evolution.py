"""A national federation's store, 2,300 centres × 5 years: the Évolution page of one centre and
a member's federation distribution (issue 28; target: each under 1.5 s).

Fills a store with small synthetic centres (seeded, each year a little different), all in one
federation (the worst case for a distribution: every centre of the year is read), then times:
- the library's work for the Évolution page: the centres a member may follow, the centre's
  years (chains, figures, matches), the map of its five years, the trend;
- the Évolution page itself through Streamlit's AppTest (first run and a rerun);
- a member's distribution of every compared figure over the federation's centres of a year.

    python benchmarks/bench_evolution.py [--centres 2300] [--years 5] [--url sqlite:///...]

Filling the store takes a few minutes (each version is validated and its figures computed, as
an import does); ``--url`` reuses a store filled before (``--keep`` prints its address).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synthetic import synthetic_tables  # noqa: E402

from valuechain import InputFile  # noqa: E402
from valuechain.reading.validation import validate  # noqa: E402
from valuechain.store.db import Store  # noqa: E402
from valuechain.workbook.writing import raw_workbook_from_records  # noqa: E402

FEDERATION = "Fédération nationale (synthétique)"
HEADERS = {
    "nom": "name",
    "categorie": "category",
    "commune": "town",
    "local": "local",
    "type": "type",
    "fonction": "function",
    "porteur": "lead",
    "domaines": "domains",
    "source": "source",
    "cible": "target",
    "nature": "nature",
    "quantite": "quantity",
    "unite": "unit",
    "valeur": "value",
    "activite": "activity",
    "source_donnee": "data_source",
}


def records(rows: list[list[object]]) -> list[dict]:
    header = [HEADERS[h] for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def centre_year(index: int, year: int):
    """Centre ``index`` in ``year``: the same actors from year to year (seeded by the centre),
    some flows gone and others new (seeded by the year)."""
    name = f"Centre social n°{index:04d}"
    tables = synthetic_tables(20 + index % 20, 60 + (index * 7) % 60, seed=index * 31)
    later = synthetic_tables(20 + index % 20, 60 + (index * 7) % 60, seed=index * 31 + year)
    flows = (
        tables["Flux"][: 1 + (len(tables["Flux"]) - 1) * 2 // 3]
        + later["Flux"][1 + (len(later["Flux"]) - 1) * 2 // 3 :]
    )
    known = {row[0] for row in tables["Acteurs"][1:]} | {row[0] for row in tables["Activites"][1:]}
    flows = [flows[0]] + [row for row in flows[1:] if row[0] in known and row[1] in known]

    def rename(value):
        return name if value == "Centre social Synthétique" else value

    actors = records([[rename(c) for c in row] for row in tables["Acteurs"]])
    activities = records([[rename(c) for c in row] for row in tables["Activites"]])
    flows = records([[rename(c) for c in row] for row in flows])
    centre = {
        "name": name,
        "year": year,
        "federation": FEDERATION,
        "population": 4000 + index % 9000,
        "volunteer_hourly_rate": 12.02,
    }
    return raw_workbook_from_records(
        f"centre-{index:04d}-{year}", centre, actors=actors, activities=activities, flows=flows
    )


def fill(store: Store, centres: int, years: list[int]) -> None:
    import json

    started = time.perf_counter()
    count = 0
    for year in years:
        for index in range(centres):
            raw = centre_year(index, year)
            data = json.dumps(raw.to_dict(), ensure_ascii=False).encode()
            store._insert(
                [InputFile(f"centre-{index:04d}-{year}.json", data)],
                validate(raw),
                batch=None,
                now=None,
                federation=FEDERATION,
            )
            count += 1
            if count % 1000 == 0:
                print(f"  {count} versions, {count / (time.perf_counter() - started):.0f}/s", flush=True)
    print(f"filled {count} versions ({centres} centres × {len(years)} years) in {time.perf_counter() - started:.0f} s")


def timed(label: str, function, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - t0)
    print(f"{label}: first {times[0]:.2f} s, then median {statistics.median(times[1:]):.2f} s (target < 1.5 s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=2300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--url")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'evolution.sqlite'}"
    store = Store(url)
    years = list(range(2026 - args.years, 2026))
    if store.counts()[1] == 0:
        fill(store, args.centres, years)
    print(f"store: {url} — {store.counts()[0]} centres, {store.counts()[1]} versions")

    from valuechain.access.people import Identity, first_admin, user_of
    from valuechain.access.policy import MEMBER
    from valuechain.access.service import Access
    from valuechain.chain.evolution import trend
    from valuechain.chain.figures import CODES
    from valuechain.errors import Refused
    from valuechain.media.mapview import evolution_map_html

    centre = store.centre_of_key(f"Centre social n°{min(42, args.centres - 1):04d}")
    try:
        first_admin(store, "admin@bench.fr", FEDERATION)
    except Refused:
        pass  # a store filled by an earlier run has its admin already
    admin = Access(store, user_of(store, Identity("admin@bench.fr", "Admin")))
    if not any(r.person == "membre@bench.fr" for r in admin.roles(FEDERATION)):
        admin.grant("membre@bench.fr", MEMBER, FEDERATION, centre["id"])

    def member() -> Access:  # a page run: a new Access, the store's caches kept (one process)
        return Access(store, user_of(store, Identity("membre@bench.fr", "Membre")))

    def evolution_page_work():
        access = member()
        followed = access.followed()
        found, _ = access.evolution(followed[0]["id"])
        html = evolution_map_html(found, "fr", title=followed[0]["name"])
        trend(found.reports, CODES)
        return found, html

    found, html = timed("Évolution page, library work (followed, 5 years, map, trend)", evolution_page_work)
    print(
        f"  {len(found.years)} years, map page {len(html) / 1e6:.1f} MB, "
        f"{sum(g.number_of_nodes() for g in found.graphs)} nodes over the years"
    )
    distribution = timed(
        f"distribution of {FEDERATION} for {years[-1]} (a member)", lambda: member().distribution(years[-1], FEDERATION)
    )
    print(f"  {distribution[0][0].count} centres, own centre at {distribution[0][0].position}")

    # The page itself, signed in as the member, through AppTest (first run, then a rerun).
    os.environ["VALUECHAIN_DATABASE_URL"] = url
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(HERE.parent / "app.py"), default_timeout=120)
    app.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "valuechain",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    app.user = {
        "is_logged_in": True,
        "email": "membre@bench.fr",
        "email_verified": True,
        "name": "Membre",
        "iss": "https://sso.test",
        "sub": "sub-membre",
        "iat": time.time(),
    }
    app.run()

    def run_page():
        app.run()
        assert not app.exception, [e.message for e in app.exception]

    app.switch_page("pages/evolution.py")
    timed("Évolution page through AppTest", run_page)
    assert app.title[0].value == "Évolution" and app.metric, [e.value for e in app.title] + [e.value for e in app.info]
    app.switch_page("pages/comparer.py")
    timed("Comparer page with the member's distribution through AppTest", run_page)
    assert any(s.value.startswith("Se situer") for s in app.subheader), [e.value for e in app.subheader]


if __name__ == "__main__":
    main()

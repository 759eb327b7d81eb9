"""A national federation's scale: 2,300 centres over 5 years in the store.

Generates small synthetic centres (seeded, each a little different), imports them, and
measures import throughput and the time to build the comparison of every centre for one
year (target: under 2 s for 2,300 centres).

    python benchmarks/bench_federation.py [--centres 2300] [--years 5] [--url sqlite:///...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synthetic import synthetic_tables, tables_to_xlsx  # noqa: E402

from valuechain import InputFile  # noqa: E402
from valuechain.media.comparison import comparison_frame  # noqa: E402
from valuechain.store.db import Store  # noqa: E402


def centre_workbook(index: int, year: int) -> bytes:
    tables = synthetic_tables(30 + index % 40, 120 + (index * 7) % 150, seed=index * 31 + year)
    name = f"Centre social n°{index:04d}"
    tables["Centre"] = [
        ["champ", "valeur"],
        ["nom", name],
        ["annee", year],
        ["federation", f"Fédération {index % 90:02d}"],
    ]
    tables["Acteurs"][1][0] = name
    for row in tables["Activites"][1:]:
        if row[3] == "Centre social Synthétique":
            row[3] = name
    for row in tables["Flux"][1:]:
        row[0] = name if row[0] == "Centre social Synthétique" else row[0]
        row[1] = name if row[1] == "Centre social Synthétique" else row[1]
    return tables_to_xlsx(tables)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=2300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--url")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'federation.sqlite'}"
    store = Store(url)
    years = list(range(2026 - args.years, 2026))
    generate = imported = 0.0
    count = 0
    started = time.perf_counter()
    for year in years:
        for index in range(args.centres):
            t0 = time.perf_counter()
            data = centre_workbook(index, year)
            t1 = time.perf_counter()
            store.import_files([InputFile(f"centre-{index:04d}-{year}.xlsx", data)], batch=None)
            imported += time.perf_counter() - t1
            generate += t1 - t0
            count += 1
            if count % 500 == 0:
                print(f"  {count} imported, {count / imported:.1f} workbooks/s", flush=True)
    print(
        f"imported {count} workbooks ({args.centres} centres × {len(years)} years) in {imported:.0f} s: "
        f"{count / imported:.1f} workbooks/s (generation {generate:.0f} s apart); wall {time.perf_counter() - started:.0f} s"
    )
    for _attempt in range(3):
        t0 = time.perf_counter()
        versions = store.latest(year=years[-1])
        reports = store.figures([v.id for v in versions])
        t1 = time.perf_counter()
        frame = comparison_frame(reports, "fr", formatted=True)
        t2 = time.perf_counter()
        print(
            f"comparison of {len(frame)} centres for {years[-1]}: query {t1 - t0:.2f} s + table {t2 - t1:.2f} s "
            f"= {t2 - t0:.2f} s (target < 2 s)"
        )
    if url.startswith("sqlite:///"):
        print(f"store size: {Path(url.removeprefix('sqlite:///')).stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()

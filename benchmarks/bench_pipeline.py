"""Read → validate → graph → every figure, against the bare parse of the same file.

Prints, for each size, the best of a few runs of each step, the end-to-end time, and its ratio
to python-calamine's bare parse (and pandas' own read_excel, for reference).
Targets (2 cores): 2,000 actors / 20,000 flows in under 1.5 s end to end and under 8× the
bare parse; 20,000 / 200,000 under 10×; cost about linear in flows. Each size runs in a
process of its own, which reports its peak memory.

    python benchmarks/bench_pipeline.py [--sizes 1000:10000,20000:200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pandas as pd  # noqa: E402
import python_calamine  # noqa: E402
from synthetic import write_synthetic  # noqa: E402
from targets import Target, report  # noqa: E402

from valuechain import InputFile, load_files, read_files, validate  # noqa: E402
from valuechain.chain.analysis import analyse  # noqa: E402
from valuechain.chain.graph import build_graph  # noqa: E402
from valuechain.reading.inputs import ReadLimits  # noqa: E402

CACHE = HERE / ".cache"


def best_of(repeat: int, function):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def bare_parse(data: bytes) -> None:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def all_figures(workbook):
    return analyse(workbook, compute_all=True)


def run(actors: int, flows: int, repeat: int) -> dict[str, float]:
    path = CACHE / f"synthetic-{actors}-{flows}.xlsx"
    if not path.exists():
        write_synthetic(path, actors, flows)
    data = path.read_bytes()
    files = [InputFile(path.name, data)]
    limits = ReadLimits(max_file_mb=500, max_rows=1_000_000)
    t_bare, _ = best_of(repeat, lambda: bare_parse(data))
    t_pandas, _ = best_of(
        1 if flows > 50_000 else repeat, lambda: pd.read_excel(io.BytesIO(data), sheet_name=None, engine="calamine")
    )
    t_read, raw = best_of(repeat, lambda: read_files(files, limits))
    t_validate, workbook = best_of(repeat, lambda: validate(raw))
    t_graph, _ = best_of(repeat, lambda: build_graph(workbook))
    t_figures, analysis = best_of(repeat, lambda: all_figures(workbook))
    t_total, _ = best_of(repeat, lambda: all_figures(load_files(files, limits)))
    assert not workbook.errors, workbook.errors[:3]
    return {
        "actors": actors,
        "flows": flows,
        "bare": t_bare,
        "pandas": t_pandas,
        "read": t_read,
        "validate": t_validate,
        "graph": t_graph,
        "figures": t_figures,
        "total": t_total,
        "ratio": t_total / t_bare,
        "R": float(analysis.figures["resources_total"]),
    }


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited at exec)."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# The in-process pipeline's own targets (issue 18), against the bare parse.
GOALS = {(2000, 20000): 8.0, (20000, 200000): 10.0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100:1000,1000:10000,2000:20000,5000:50000,10000:100000,20000:200000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one size, in its own process
    args = parser.parse_args()
    if args.one:
        actors, flows = (int(x) for x in args.one.split(":"))
        result = run(actors, flows, 1 if flows > 50_000 else args.repeat)
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return 0
    targets: list[Target] = []
    print(
        f"{'actors':>7} {'flows':>7} | {'bare':>6} {'pandas':>6} | {'read':>6} {'valid.':>6} {'graph':>6} "
        f"{'figures':>7} | {'total':>6} {'ratio':>6} | µs/flow | peak MB"
    )
    for size in args.sizes.split(","):
        # Each size in a process of its own, so that its peak memory is its own.
        output = subprocess.run(
            [sys.executable, __file__, "--one", size, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(output.strip().splitlines()[-1])
        print(
            f"{r['actors']:>7} {r['flows']:>7} | {r['bare']:6.3f} {r['pandas']:6.3f} | {r['read']:6.3f} "
            f"{r['validate']:6.3f} {r['graph']:6.3f} {r['figures']:7.3f} | {r['total']:6.3f} {r['ratio']:5.1f}× | "
            f"{1e6 * r['total'] / r['flows']:7.1f} | {r['peak_mb']:7.0f}",
            flush=True,
        )
        goal = GOALS.get((r["actors"], r["flows"]))
        if goal is not None:
            targets.append(
                Target(f"pipeline in process, {r['actors']} / {r['flows']}, × bare parse", r["ratio"], goal, "×")
            )
    return report(targets)


if __name__ == "__main__":
    raise SystemExit(main())

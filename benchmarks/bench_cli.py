"""The command line against the floor (issue 35): ``python -m valuechain report FILE --json``
beside the bare python-calamine parse of the same file, each in a fresh process as a person
runs them, the interpreter's start-up (``python -c pass``) subtracted on both sides.

The three commands run interleaved (one of each, in turn, ``--rounds`` times) and the ratio is
taken of their medians, so that a shared machine's load falls on both sides alike. With
``--before DIR`` the command line is also run from a copy of the package in DIR (its
``valuechain`` folder), in the same rounds: a before/after measured side by side.

    python benchmarks/bench_cli.py [--sizes 2000:20000,20000:200000] [--rounds 7] [--before DIR]

Targets: 2,000 actors / 20,000 flows ≤ 6× the bare parse; 20,000 / 200,000 ≤ 5×. Exits with 3
when one is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import write_synthetic  # noqa: E402
from targets import Target, load, report  # noqa: E402

CACHE = HERE / ".cache"
GOALS = {(2000, 20000): 6.0, (20000, 200000): 5.0}
BARE_PARSE = """
import io, sys
import python_calamine
book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(open(sys.argv[1], "rb").read()))
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """The command's wall time and its CPU time (user + system: less moved by other work)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # Run from the cache folder: from the repository, `-m valuechain` would take its folder first.
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=CACHE, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)


def measure(path: Path, rounds: int, before: Path | None) -> dict[str, list[tuple[float, float]]]:
    python = sys.executable
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "start-up": ([python, "-c", "pass"], None),
        "bare parse": ([python, "-c", BARE_PARSE, str(path)], None),
        "report --json": ([python, "-m", "valuechain", "report", str(path), "--json"], None),
    }
    if before is not None:
        env = dict(os.environ, PYTHONPATH=str(before))
        commands["report --json (before)"] = ([python, "-m", "valuechain", "report", str(path), "--json"], env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(rounds):
        # Each round starts with another command, so no command always runs after the same one.
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            command, env = commands[name]
            times[name].append(timed(command, env))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000:20000,20000:200000")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", type=Path, help="a folder holding an earlier `valuechain` package")
    args = parser.parse_args()
    targets: list[Target] = []
    # Measured as installed: the package's bytecode written (``make setup`` does it too), so
    # that no run compiles the sources again, whatever PYTHONDONTWRITEBYTECODE says.
    for package in [HERE.parent / "valuechain", *([args.before / "valuechain"] if args.before else [])]:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    print(f"start: {load()}")
    for size in args.sizes.split(","):
        actors, flows = (int(x) for x in size.split(":"))
        path = CACHE / f"synthetic-{actors}-{flows}.xlsx"
        if not path.exists():
            write_synthetic(path, actors, flows)
        rounds = args.rounds if flows <= 50_000 else max(3, args.rounds // 2)
        times = measure(path, rounds, args.before)
        print(f"\n{actors} actors / {flows} flows, medians of {rounds} interleaved rounds ({load()}):")
        print("| command | wall (median) | each | less start-up | × bare parse | CPU (median) | CPU × bare parse |")
        print("|---|---:|---|---:|---:|---:|---:|")
        wall = {name: statistics.median(w for w, _ in each) for name, each in times.items()}
        cpu = {name: statistics.median(c for _, c in each) for name, each in times.items()}
        floor, cpu_floor = wall["bare parse"] - wall["start-up"], cpu["bare parse"] - cpu["start-up"]
        for name, each in times.items():
            net, cpu_net = wall[name] - wall["start-up"], cpu[name] - cpu["start-up"]
            started = name == "start-up"
            print(
                f"| {name} | {wall[name]:.3f} s | {', '.join(f'{w:.2f}' for w, _ in each)} | "
                f"{'' if started else f'{net:.3f} s'} | {'' if started else f'{net / floor:.1f}×'} | "
                f"{cpu[name]:.3f} s | {'' if started else f'{cpu_net / cpu_floor:.1f}×'} |",
                flush=True,
            )
        goal = GOALS.get((actors, flows))
        if goal is not None:
            net = wall["report --json"] - wall["start-up"]
            targets.append(
                Target(f"report --json, {actors} actors / {flows} flows, × bare parse", net / floor, goal, "×")
            )
            cpu_net = cpu["report --json"] - cpu["start-up"]
            print(f"(CPU time: {cpu_net / cpu_floor:.1f}× the bare parse's; the wall time is what the target reads)")
    print()
    return report(targets)


if __name__ == "__main__":
    raise SystemExit(main())

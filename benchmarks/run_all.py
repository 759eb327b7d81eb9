"""Run every benchmark and print its figures (`make bench`), then each target of issue 35 with
what was measured, and exit non-zero when one was missed (or a benchmark failed). A benchmark,
never a test: `make test` times nothing.

    python benchmarks/run_all.py [--only bench_cli.py,bench_browser.py]
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from targets import MISSED, commit, load  # noqa: E402

BENCHMARKS = (
    ("bench_cli.py", []),
    ("bench_pipeline.py", []),
    ("bench_dashboard.py", []),
    ("bench_map.py", ["--nodes", "500"]),
    ("bench_browser.py", []),
    ("bench_workshop.py", []),
    ("bench_evolution.py", []),
    ("bench_accounts.py", []),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="these scripts only, by name, separated by commas")
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else None
    targets: list[str] = []
    failed: list[str] = []
    for script, options in BENCHMARKS:
        if chosen is not None and script not in chosen:
            continue
        print(f"\n== {script} {' '.join(options)}", flush=True)
        process = subprocess.Popen(
            [sys.executable, str(HERE / script), *options], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith("TARGET "):
                targets.append(line.strip())
        if process.wait() not in (0, MISSED):
            failed.append(f"{script} (exit {process.returncode})")
    print(f"\n== targets (commit {commit()}, {load()} at the end)")
    for line in targets:
        print(line)
    for script in failed:
        print(f"FAILED {script}")
    missed = [line for line in targets if line.endswith("MISSED")]
    if missed or failed:
        print(f"{len(missed)} target(s) missed, {len(failed)} benchmark(s) failed")
        return 1
    print("every target met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

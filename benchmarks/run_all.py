"""Run every benchmark and print its figures (`make bench`). Nothing here fails on time:
speed targets are read by people, not asserted by tests, on a shared machine."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script, args in (
    ("bench_pipeline.py", []),
    ("bench_dashboard.py", []),
    ("bench_map.py", ["--nodes", "500"]),
    ("bench_browser.py", []),
    ("bench_workshop.py", []),
    ("bench_evolution.py", []),
):
    print(f"\n== {script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=False)

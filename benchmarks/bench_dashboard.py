"""Moving between pages with the 2,000-actor synthetic centre loaded (Streamlit AppTest).

The first visit reads and analyses the file; later visits reuse the cache (keyed on the
file's content), so each page costs only its drawing.

    python benchmarks/bench_dashboard.py [--actors 2000 --flows 20000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from streamlit.testing.v1 import AppTest  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

PAGES = ["accueil", "carte", "chaine", "domaines", "contributions", "saisie"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--flows", type=int, default=20000)
    args = parser.parse_args()
    path = HERE / ".cache" / f"synthetic-{args.actors}-{args.flows}.xlsx"
    if not path.exists():
        write_synthetic(path, args.actors, args.flows)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    app.run()
    app.session_state["incoming_files"] = [(path.name, path.read_bytes())]
    started = time.perf_counter()
    app.radio[0].set_value(app.radio[0].options[1]).run()
    print(f"upload, read and analyse: {time.perf_counter() - started:6.2f} s")
    assert not app.exception, app.exception
    for round_ in ("first visit", "second visit"):
        for page in PAGES:
            if page != "accueil":
                app.switch_page(f"pages/{page}.py")
            else:
                app.switch_page("pages/accueil.py")
            started = time.perf_counter()
            app.run()
            assert not app.exception, [e.message for e in app.exception]
            print(f"{round_:>12} {page:<14} {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()

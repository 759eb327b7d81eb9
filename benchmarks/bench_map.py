"""How long a map of N nodes takes to draw in Debian's chromium (headless, Playwright).

Reads the time the page itself measures (from creating the network to its first drawing,
``data-draw-ms``) and the wall time from opening the file until the map says it is drawn.
Target: 500 nodes drawn and settled (physics off: positions are precomputed) in under 3 s.

    python benchmarks/bench_map.py [--nodes 500]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from synthetic import synthetic_tables, tables_to_xlsx  # noqa: E402

from valuechain import InputFile, load_files  # noqa: E402
from valuechain.chain.analysis import analyse  # noqa: E402
from valuechain.media.mapview import layout, map_html  # noqa: E402


def graph_with(nodes: int):
    # About 1 activity per 20 actors: nodes = actors + activities.
    actors = int(nodes * 20 / 21)
    data = tables_to_xlsx(synthetic_tables(actors, actors * 4, seed=3))
    return analyse(load_files([InputFile("map.xlsx", data)])).graph


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=500)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    graph = graph_with(args.nodes)
    started = time.perf_counter()
    positions = layout(graph)
    html = map_html(graph, positions, "fr")
    built = time.perf_counter() - started
    path = Path(tempfile.mkdtemp()) / "map.html"
    path.write_text(html, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-drawn=yes]", timeout=60_000)
        wall = time.perf_counter() - started
        draw_ms = int(page.get_attribute("body", "data-draw-ms"))
        shown = page.get_attribute("body", "data-nodes")
        browser.close()
    print(f"nodes in graph {graph.number_of_nodes()}, on the map {shown}, edges {graph.number_of_edges()}")
    print(
        f"layout + HTML in Python: {built:.2f} s; in chromium: first drawing {draw_ms / 1000:.2f} s, "
        f"open-to-drawn {wall:.2f} s (target < 3 s)"
    )


if __name__ == "__main__":
    main()

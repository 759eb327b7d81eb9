"""Where users wait, measured in Debian's chromium (headless, Playwright) against the app as
`make run` starts it: upload the 2,000-actor / 20,000-flow synthetic centre, visit every page,
then switch between them. Per page: the first visit, the median switch, the longest task that
blocked the browser's main thread, the total blocking time (the part of each long task beyond
50 ms) and the JS heap. AppTest (bench_dashboard.py) times the server's script only; this
times what a person waits for.

    python benchmarks/bench_browser.py [--actors 2000 --flows 20000 --rounds 3]

A page counts as shown when Streamlit's "running" mark is gone, no element is stale, and its
own content is drawn (the chain's diagram, the map's frame, a table's grid).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_synthetic  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = {  # url path → what must be drawn for the page to count as shown
    "accueil": "[data-testid=stMetricValue]",
    "carte": "iframe",
    "chaine": ".js-plotly-plot .sankey",
    "domaines": ".js-plotly-plot",
    "contributions": "[data-testid=stDataFrame]",
    "saisie": "[data-testid=stDataFrame]",
    "exporter": "[data-testid=stDownloadButton]",
}
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
  .observe({type: 'longtask', buffered: true});
"""
IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]') && !document.querySelector('[data-stale="true"]')"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int, store: Path) -> subprocess.Popen:
    env = dict(os.environ, VALUECHAIN_STORE_PATH=str(store), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    env.pop("VALUECHAIN_DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the app did not start")


def shown(page, selector: str) -> None:
    page.wait_for_selector("h1", timeout=180_000)
    page.wait_for_function(IDLE, timeout=180_000)
    page.wait_for_selector(selector, state="attached", timeout=180_000)
    page.wait_for_function(IDLE, timeout=180_000)


def tasks(page) -> list[float]:
    """The long tasks since the last call (and forget them)."""
    return page.evaluate("() => window.__longTasks.splice(0)")


def heap(page) -> float:
    return page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize / 1e6 : NaN")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--flows", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3, help="switches through every page after the first visits")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    workbook = write_synthetic(folder / "grand-centre.xlsx", args.actors, args.flows)
    port = free_port()
    server = serve(port, folder / "store.sqlite")
    first: dict[str, float] = {}
    switches: dict[str, list[float]] = {name: [] for name in PAGES}
    longest: dict[str, float] = {name: 0.0 for name in PAGES}
    blocking: dict[str, list[float]] = {name: [] for name in PAGES}
    heaps: dict[str, float] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--enable-precise-memory-info"])
            page = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR").new_page()
            page.add_init_script(LONG_TASKS)
            page.goto(f"http://127.0.0.1:{port}/")
            shown(page, PAGES["accueil"])
            page.get_by_text("Mon classeur").click()
            page.wait_for_selector("input[type=file]", state="attached", timeout=30_000)
            tasks(page)
            started = time.perf_counter()
            page.set_input_files("input[type=file]", str(workbook))
            page.get_by_text("Centre social Synthétique", exact=False).first.wait_for(timeout=180_000)
            shown(page, PAGES["accueil"])
            upload = time.perf_counter() - started
            upload_tasks = tasks(page)

            def visit(name: str) -> float:
                link = page.locator(f"[data-testid=stSidebarNav] a[href$='/{name}']").first if name != "accueil" \
                    else page.locator("[data-testid=stSidebarNav] a").first
                tasks(page)
                began = time.perf_counter()
                link.click()
                page.wait_for_url(f"**/{'' if name == 'accueil' else name}", timeout=60_000)
                shown(page, PAGES[name])
                elapsed = time.perf_counter() - began
                long = tasks(page)
                longest[name] = max([longest[name], *long])
                blocking[name].append(sum(max(0.0, t - 50) for t in long))
                heaps[name] = heap(page)
                return elapsed

            for name in PAGES:
                first[name] = visit(name)
            for _ in range(args.rounds):
                for name in PAGES:
                    switches[name].append(visit(name))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)

    print(f"{args.actors} actors / {args.flows} flows, Debian chromium headless, 2 cores; "
          f"load: {os.getloadavg()[0]:.1f} (1 min average at the end)")
    print(f"upload → figures: {upload:.2f} s, longest task {max(upload_tasks, default=0):.0f} ms")
    print("| page | first visit | median switch | longest task | blocking time (median) | JS heap |")
    print("|---|---|---|---|---|---|")
    for name in PAGES:
        print(f"| {name} | {first[name]:.2f} s | {statistics.median(switches[name]):.2f} s | {longest[name]:.0f} ms | "
              f"{statistics.median(blocking[name]):.0f} ms | {heaps[name]:.0f} MB |")


if __name__ == "__main__":
    main()

"""A workshop under load: 40 phones sending 5 proposals each over 2 minutes to one workshop,
through the code path of the pages (``Workshops.propose``, ``accept``, ``status``, the wall's
drawing), with a facilitator who accepts what arrives and a wall that looks every second.

Reports the wall's delay from a proposal's acceptance to its drawing on the wall, and from its
submission to the facilitator's queue (median and 95th percentile; target under 2 s at the
95th), and checks that all 200 proposals are in the store and their acceptances in the journal.

    python benchmarks/bench_workshop.py [--phones 40] [--each 5] [--seconds 120] [--database URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from valuechain import InputFile, validate  # noqa: E402
from valuechain.chain.analysis import analyse  # noqa: E402
from valuechain.media.mapview import map_html, readable_layout  # noqa: E402
from valuechain.reading.reader import read_files  # noqa: E402
from valuechain.store.db import Store  # noqa: E402
from valuechain.workshop.answers import Answer  # noqa: E402
from valuechain.workshop.room import POLL_SECONDS  # noqa: E402
from valuechain.workshop.workshops import Workshops  # noqa: E402

SAMPLE = HERE.parent / "sample_data" / "tilleuls-2025.xlsx"
NATURES = ["benevolat", "nature", "competences", "information", "monetaire", "lieu"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--each", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--database", default=None, help="default: a new SQLite file")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='bench-workshop-')}/store.sqlite"
    sample = SAMPLE if SAMPLE.exists() else sorted((HERE.parent / "sample_data").glob("tilleuls*.xlsx"))[0]
    workshops = Workshops(Store(url))
    workshop = workshops.open(read_files([InputFile.from_path(sample)]), "Tilleuls", sample.name)
    total = args.phones * args.each
    submitted: dict[str, float] = {}  # who → when sent
    queued: dict[str, float] = {}  # who → when the facilitator's queue first showed it
    accepted: dict[str, float] = {}
    drawn: dict[str, float] = {}
    done = threading.Event()
    errors: list[str] = []

    def phone(number: int) -> None:
        rng = random.Random(number)
        own = Workshops(Store(url))  # a phone's request may reach any process: its own connection
        for answer in range(args.each):
            time.sleep(rng.uniform(0, args.seconds / args.each))  # 5 answers spread over the run
            who = f"Participant {number:02d} - apport {answer}"
            try:
                own.propose(
                    workshop.code,
                    f"phone-{number}",
                    Answer(who=who, nature=rng.choice(NATURES), target="Atelier cuisine", who_category="habitants"),
                    # Each phone from its own address on the room's network, as real phones are:
                    # a request with none is counted with every other such (the room's limits).
                    address=f"10.0.{number // 250}.{number % 250 + 1}",
                )
                submitted[who] = time.perf_counter()
            except Exception as error:  # the report counts them
                errors.append(f"{who}: {error}")
        own.store.dispose()

    def facilitator() -> None:
        """The queue looks every second, as the page does, and everything is accepted."""
        own = Workshops(Store(url))
        while not done.is_set():
            for proposal in own.proposals(workshop.id):
                queued.setdefault(proposal.answer.who, time.perf_counter())
                own.accept(workshop.id, proposal.id)
                accepted[proposal.answer.who] = time.perf_counter()
            time.sleep(POLL_SECONDS)
        own.store.dispose()

    def wall() -> None:
        """The wall looks at the store's revision every second and draws the map again when it
        moved: the analysis, the positions (kept, new nodes placed) and the map's page."""
        own = Workshops(Store(url))
        seen, positions = -1, None
        time.sleep(POLL_SECONDS / 2)  # out of step with the facilitator, as two screens are
        while not done.is_set():
            revision = own.status(workshop.id).revision
            if revision != seen:
                graph = analyse(validate(own.workbook(workshop.id))).graph
                positions = readable_layout(graph, positions, presentation=True, keep_placed=True)
                map_html(graph, positions, "fr", presentation=True)
                moment = time.perf_counter()
                for _, data in graph.nodes(data=True):
                    drawn.setdefault(data["name"], moment)
                seen = revision
            time.sleep(POLL_SECONDS)
        own.store.dispose()

    started = time.perf_counter()
    threads = [threading.Thread(target=phone, args=(n,)) for n in range(1, args.phones + 1)]
    helpers = [threading.Thread(target=facilitator), threading.Thread(target=wall)]
    for thread in threads + helpers:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.perf_counter() + 30
    while len(drawn.keys() & submitted.keys()) < len(submitted) and time.perf_counter() < deadline:
        time.sleep(0.2)
    done.set()
    for thread in helpers:
        thread.join()
    elapsed = time.perf_counter() - started

    to_wall = [drawn[w] - accepted[w] for w in submitted if w in drawn and w in accepted]
    to_queue = [queued[w] - submitted[w] for w in submitted if w in queued]
    whole = [drawn[w] - submitted[w] for w in submitted if w in drawn]
    stored = workshops.status(workshop.id).proposals
    journal = sum(1 for e in workshops.journal(workshop.id) if e.kind == "accept" and e.state == "active")
    print(f"{args.phones} phones × {args.each} proposals in {elapsed:.0f} s on {url.split(':')[0]}")
    print(f"proposals in the store: {stored} / {total}; accepted in the journal: {journal}; refused: {len(errors)}")
    for reason, count in Counter(error.split(": ", 1)[1] for error in errors).most_common():
        print(f"  refused {count} times: {reason}")
    if to_wall:
        print(
            f"acceptance → wall: median {statistics.median(to_wall):.2f} s, 95th percentile {percentile(to_wall, 0.95):.2f} s, "
            f"max {max(to_wall):.2f} s"
        )
    if to_queue:
        print(
            f"submission → facilitator's queue: median {statistics.median(to_queue):.2f} s, "
            f"95th percentile {percentile(to_queue, 0.95):.2f} s"
        )
    if whole:
        print(
            f"submission → wall, the facilitator accepting at once: median {statistics.median(whole):.2f} s, "
            f"95th percentile {percentile(whole, 0.95):.2f} s"
        )
    print(
        "target: acceptance → wall under 2 s at the 95th percentile:",
        "met" if to_wall and percentile(to_wall, 0.95) < 2 else "NOT met",
    )
    if stored != total or journal != total:
        raise SystemExit("proposals were lost")


if __name__ == "__main__":
    main()

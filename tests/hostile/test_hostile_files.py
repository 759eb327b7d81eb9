"""Every hostile or unlucky file of the hardening review, fed to `check`, `report`,
`report --json`, every export and `import`, as a user runs them: each command ends with exit
code 0, 1 or 2 and a sentence, never a traceback or "erreur du programme", within 60 s, and
the whole run stays under 1 GB of memory. The files are made here, none is stored."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from helpers import FLOW_HEADER, ROOT, ods_bytes, ods_row, xlsx_bytes
from valuechain.media.exporters import EXPORTERS

MB = 1_000_000


def _far_cell(cell: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Flux"
    sheet.append(FLOW_HEADER[:3])
    sheet.append(["Mairie", "Centre", "monetaire"])
    sheet[cell] = "oups"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods_bomb() -> bytes:
    bomb = (
        '<table:table-row table:number-rows-repeated="9900"><table:table-cell table:number-columns-repeated="10000" '
        'office:value-type="float" office:value="1"/></table:table-row>'
    )
    return ods_bytes(ods_row("source", "cible", "nature") + bomb)


def _shared_strings_bomb() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"Flux": [FLOW_HEADER[:3], ["Mairie", "Centre", "monetaire"]]})))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members["xl/sharedStrings.xml"] = b"<sst>" + b"<si><t>a</t></si>" * (120 * MB // 17) + b"</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("Flux.csv", b"source;cible;nature\n" + b"0" * (300 * MB))
    return buffer.getvalue()


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


HOSTILE = {
    # Tiny files that asked for gigabytes
    "cellule-XFD1048576.xlsx": lambda: _far_cell("XFD1048576"),
    "cellule-ZZ150000.xlsx": lambda: _far_cell("ZZ150000"),
    "cellules-repetees.ods": _ods_bomb,
    "chaines-partagees.xlsx": _shared_strings_bomb,
    "lignes-minuscules.csv": lambda: b"source;cible;nature\n" + b"a;b;c\n" * 8_000_000,
    "archive-bombe.zip": _zip_bomb,
    # Data lost or changed at reading
    "guillemet.csv": lambda: _csv(
        ["source;cible;nature;quantite;description"]
        + [f"V{i};Centre;monetaire;{i};ok" for i in range(3)]
        + ['V3;Centre;monetaire;3;"jamais fermé']
        + [f"V{i};Centre;monetaire;{i};ok" for i in range(4, 10)]
    ),
    "encodages-melanges.csv": lambda: (
        _csv(["source;cible;nature;quantite", "École;Centre;monetaire;30\u202f000"])
        + "Fédé;Centre;monetaire;1\n".encode("cp1252")
    ),
    # Valid files that failed
    "cellule-longue.csv": lambda: _csv(["source;cible;nature;description", "A;Centre;monetaire;" + "x" * 200_000]),
    "nombres-absurdes.csv": lambda: _csv(
        [
            "source;cible;nature;quantite;unite;valeur",
            f"A;Centre;monetaire;{'9' * 400};€;",
            "B;Centre;monetaire;1e308;€;1e308",
            "C;Centre;monetaire;5;€;",
        ]
    ),
    "noms-immenses.csv": lambda: _csv(["source;cible;nature;quantite;unite", f"{'N' * 12_000};Centre;benevolat;3;h"]),
    "caracteres-de-controle.csv": lambda: (
        "source;cible;nature;quantite;unite\n\x1b[31mRouge\x07;Centre;benevolat;3;h\n"
    ).encode(),
    "colonnes-innombrables.csv": lambda: _csv(
        [
            "source;cible;nature;" + ";".join(f"c{i}" for i in range(17_000)),
            "A;Centre;monetaire;" + ";".join("1" for _ in range(17_000)),
        ]
    ),
    # Issue 25: tiny files that held a core for ever, or gave "erreur du programme"
    "effets-duree-1e12.xlsx": lambda: _effects(1e12),
    "effets-duree-15000.xlsx": lambda: _effects(15_000),
    "kumu-un-million-de-liens.xlsx": lambda: xlsx_bytes(
        {
            "Elements": [["Label", "Type"], ["Centre", "Centre social"]],
            "Connections": [
                ["From", "To", "Type"],
                ["|".join(f"A{i}" for i in range(1_000)), "|".join(f"B{i}" for i in range(1_000)), "Argent"],
            ],
        }
    ),
    "retour-chariot-entre-guillemets.csv": lambda: b'source;cible;nature;description\nA;Centre;monetaire;"\rnote"\n',
}


def _effects(years: float) -> bytes:
    """An Effets row that lasts ``years`` years, discounted at 0 %."""
    return xlsx_bytes(
        {
            "Centre": [["champ", "valeur"], ["nom", "Centre"], ["taux_actualisation", 0]],
            "Flux": [FLOW_HEADER[:4], ["Mairie", "Centre", "monetaire", 100]],
            "Effets": [
                ["partie_prenante", "effet", "quantite", "valeur_proxy", "source_proxy", "duree"],
                ["Familles", "Mieux", 10, 100, "étude", years],
            ],
        }
    )


DRIVER = """
import contextlib, io, json, re, resource, sys, time
from valuechain.cli import main
path, out_dir, store = sys.argv[1], sys.argv[2], sys.argv[3]
ceiling = 3 * 1024 ** 3  # a regression fails this test instead of taking the machine down
resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
commands = [["check", path], ["report", path], ["report", path, "--json"], ["import", path]]
commands += [["export", path, "--to", f"{out_dir}/sortie{suffix}"] for suffix in json.loads(sys.argv[4])]
results = []
for argv in commands:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code
    results.append({"argv": argv[0] + " " + argv[-1][-12:], "code": code, "seconds": time.perf_counter() - started,
                    "said": (out.getvalue() + err.getvalue())[-400:]})
peak = int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read())[1]) // 1024
print(json.dumps({"peak_mb": peak, "results": results}))
"""


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_command_survives_a_hostile_file_with_a_sentence_in_bounded_memory_and_time(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    env = {"PATH": "/usr/bin:/bin", "VALUECHAIN_STORE_PATH": str(tmp_path / "store.sqlite"), "HOME": str(tmp_path)}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            DRIVER,
            str(path),
            str(tmp_path),
            str(tmp_path / "s.sqlite"),
            json.dumps(sorted(EXPORTERS)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["peak_mb"] < 1024, report["peak_mb"]
    for result in report["results"]:
        assert result["code"] in (0, 1, 2), result
        assert result["seconds"] < 60, result
        assert "Traceback" not in result["said"] and "erreur du programme" not in result["said"], result
        assert result["said"].strip(), result  # one sentence at least, never silence


def test_a_three_gigabyte_file_is_refused_from_its_size_without_being_read(tmp_path):
    path = tmp_path / "enorme.csv"
    with path.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, str(path), str(tmp_path), str(tmp_path / "s.sqlite"), "[]"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "VALUECHAIN_STORE_PATH": str(tmp_path / "store.sqlite"), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["peak_mb"] < 300
    assert all(r["code"] in (1, 2) and "enorme.csv" in r["said"] for r in report["results"]), report


def test_a_sheet_wider_than_excel_allows_is_exported_within_its_limit_with_nothing_dropped(tmp_path):
    from valuechain.cli import main

    path = tmp_path / "large.csv"
    path.write_bytes(HOSTILE["colonnes-innombrables.csv"]())
    assert main(["export", str(path), "--to", str(tmp_path / "sortie.xlsx")]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "sortie.xlsx", read_only=True)["Flux"]
    header, row = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert len(header) == 16_384 and header[-1] == "autres colonnes (629)"
    assert row[-1].startswith("c16371 = 1 | ") and row[-1].endswith("c16999 = 1")


def test_the_reading_workers_end_with_a_command_killed_with_kill_9(tmp_path):
    """Issue 25.8: kill -9 of the command line left its reading workers alive (24 of them,
    538 MB). They watch the process that started them and end with it."""
    import os
    import signal
    import time

    started = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import os, sys, time\n"
                "from valuechain.reading.guard import read_guarded\n"
                "from valuechain import InputFile\n"
                "read_guarded([InputFile('Flux.csv', b'source;cible;nature\\nA;B;monetaire\\n')])\n"
                "print(' '.join(open(f'/proc/{os.getpid()}/task/{os.getpid()}/children').read().split()), flush=True)\n"
                "time.sleep(600)\n"
            ),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    children = [int(pid) for pid in started.stdout.readline().split()]
    assert children  # the fork server, whose children are the workers
    workers = [int(pid) for child in children for pid in open(f"/proc/{child}/task/{child}/children").read().split()]
    assert workers
    os.kill(started.pid, signal.SIGKILL)
    started.wait()
    deadline = time.monotonic() + 20
    alive = workers

    def running(pid: int) -> bool:
        try:
            return "zombie" not in open(f"/proc/{pid}/status").read()
        except OSError:
            return False

    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if running(pid)]
        time.sleep(0.2)  # polling for the end of processes: there is nothing to wait on
    assert alive == [], "reading workers outlived their program"

"""The sample centres, and the command line as a user types it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import ROOT, SAMPLE_FILES, WORKED_EXAMPLE_FILE, xlsx_bytes
from support.browser import SERVE, free_port, launch
from valuechain import load_paths
from valuechain.vocabulary import DOMAINS


def test_there_are_three_fictional_sample_centres():
    assert len(SAMPLE_FILES) == 3
    for path in SAMPLE_FILES:
        workbook = load_paths([path])
        assert "fictif" in path.stem
        assert "fictif" in str(workbook.centre.extras.get("avertissement", "")).lower()


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_each_sample_uses_every_sheet_and_reads_without_problems(path):
    workbook = load_paths([path])
    assert workbook.problems == []
    assert set(workbook.raw.tables) == {"actors", "activities", "flows", "indicators"}
    assert workbook.centre.year == 2025 and workbook.centre.federation
    assert (workbook.activities.type == "support").any()
    assert (workbook.activities.lead != workbook.centre_id).any(), "a partner-led activity"
    assert set(workbook.indicators.domain) == set(DOMAINS.codes), "indicators in all five domains"
    assert len(workbook.flows) >= 25


def test_the_cannery_is_shaped_like_its_monograph():
    workbook = load_paths([p for p in SAMPLE_FILES if "conserverie" in p.stem])
    producers = workbook.actors[workbook.actors.category == "producteurs"]
    assert 28 <= len(producers) - 1 + producers["count"].dropna().sum() <= 32  # about thirty producers
    kilograms = workbook.flows[(workbook.flows.unit == "kg") & (workbook.flows.nature == "nature")].quantity.sum()
    assert kilograms >= 1800


def test_the_inhabitants_centre_has_more_than_110_volunteers():
    workbook = load_paths([p for p in SAMPLE_FILES if "habitants" in p.stem])
    assert workbook.actors[workbook.actors.category == "benevoles"]["count"].max() > 110


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "valuechain", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_cli_template_writes_a_template_in_each_language(tmp_path):
    for lang in ("fr", "en"):
        out = tmp_path / f"modele-{lang}.xlsx"
        result = _cli("template", str(out), "--lang", lang)
        assert result.returncode == 0 and out.exists()
        assert str(out) in result.stdout


def test_cli_check_exits_0_on_a_clean_sample():
    result = _cli("check", str(SAMPLE_FILES[0]))
    assert result.returncode == 0
    assert "aucune erreur" in result.stdout


def test_cli_check_exits_1_with_located_errors_and_a_summary(tmp_path):
    path = tmp_path / "erreurs.xlsx"
    path.write_bytes(
        xlsx_bytes(
            {
                "Flux": [
                    ["source", "cible", "nature", "quantite"],
                    ["A", "B", "monetaire", "beaucoup"],
                    ["A", "C", "monetaire", 5],
                ]
            }
        )
    )
    result = _cli("check", str(path), "--lang", "en")
    assert result.returncode == 1
    assert "error — sheet Flux, row 2, column quantite" in result.stdout
    assert "1 error," in result.stdout.splitlines()[-2]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"", b"not a workbook at all \x00\x01", None])
def test_cli_check_exits_2_on_an_unreadable_file_with_one_sentence(tmp_path, content):
    path = tmp_path / "cassé.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = _cli("check", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_report_json_has_exactly_the_contract_keys_first():
    result = _cli("report", str(WORKED_EXAMPLE_FILE), "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    contract = [
        "centre",
        "year",
        "resources_total",
        "contributions",
        "public_funding",
        "leverage",
        "non_monetary_share",
        "volunteer_hours",
        "volunteer_value",
        "local_share",
        "local_coverage",
        "support_share",
        "evenness",
        "value_by_domain",
        "centre_betweenness",
        "centre_dependence",
        "reciprocity",
        "people_reached",
        "intangible_share",
        "problems",
    ]
    assert list(report)[: len(contract)] == contract
    assert report["resources_total"] == pytest.approx(50965.60)
    assert report["contributions"][0] == {
        "actor": "CAF",
        "category": "institutions",
        "value": 30000.0,
        "share": pytest.approx(0.5886, abs=1e-4),
    }
    assert report["value_by_domain"]["non_renseigne"] == pytest.approx(15000)


def test_cli_report_prints_french_numbers_and_english_on_request():
    french = _cli("report", str(WORKED_EXAMPLE_FILE))
    assert "50\u202f965,60\u00a0€" in french.stdout
    assert "Effet levier" in french.stdout and "0,274" in french.stdout
    english = _cli("report", str(WORKED_EXAMPLE_FILE), "--lang", "en")
    assert "€50,965.60" in english.stdout and "Leverage" in english.stdout


def test_cli_report_shows_undefined_figures_as_a_dash_with_the_reason(tmp_path):
    path = tmp_path / "sans-public.xlsx"
    path.write_bytes(
        xlsx_bytes(
            {
                "Acteurs": [["nom", "categorie"], ["C", "centre"], ["F", "financeurs"]],
                "Flux": [["source", "cible", "nature", "quantite"], ["F", "C", "monetaire", 10]],
            }
        )
    )
    result = _cli("report", str(path))
    assert "— (pas de financement public)" in result.stdout
    report = json.loads(_cli("report", str(path), "--json").stdout)
    assert report["leverage"] is None


def test_cli_limits_can_be_set_on_the_command_line(tmp_path):
    path = tmp_path / "long.xlsx"
    path.write_bytes(xlsx_bytes({"Flux": [["source", "cible", "nature"]] + [["A", "B", "monetaire"]] * 30}))
    result = _cli("check", str(path), "--max-rows", "10")
    assert result.returncode == 2 and "plus de 10 lignes" in result.stderr
    assert _cli("check", str(path), "--max-rows", "100").returncode == 0


def test_the_command_line_prints_escape_sequences_from_cells_as_text(tmp_path):
    path = tmp_path / "Flux.csv"
    path.write_bytes(b"source;cible;nature;quantite\n\x1b[31mRouge\x07;Centre;monetaire;12\n")
    result = subprocess.run(
        [sys.executable, "-m", "valuechain", "report", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[31mRouge\\x07" in result.stdout


def test_a_report_piped_into_head_ends_quietly():
    result = subprocess.run(
        f"{sys.executable} -m valuechain report '{WORKED_EXAMPLE_FILE}' | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() and result.stderr == ""


def test_a_fault_of_ours_in_the_command_line_is_one_sentence_with_a_reference_found_in_the_log(tmp_path):
    import os
    import re

    from valuechain.incidents import log_folder

    # A fault injected in the program itself (not in the file): the report cannot be built.
    probe = (
        "import sys, valuechain.cli as cli, valuechain.media.report as r;"
        "r.text_report = lambda *a, **k: {}['missing'];"
        "sys.exit(cli.main(['report', sys.argv[1]]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(WORKED_EXAMPLE_FILE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    reference = re.search(r"référence (VC-[0-9a-f]{8})", done.stderr).group(1)
    log = (log_folder() / "valuechain.log").read_text(encoding="utf-8")
    assert f"incident {reference} during python -m valuechain report" in log
    assert "KeyError: 'missing'" in log[log.index(reference) :]


def test_a_batch_imported_for_a_federation_is_kept_under_that_one_and_skips_what_is_no_workbook(tmp_path, monkeypatch):
    """Issue 26.8: --federation lost to the federation each workbook names (one federation
    under two names); a .py file in the folder counted as a failure; versions printed an
    unlabelled "(0 / 0)"."""
    import shutil

    folder = tmp_path / "lot"
    folder.mkdir()
    for path in SAMPLE_FILES:  # each names its own federation in its Centre sheet
        shutil.copy(path, folder / path.name)
    (folder / "script.py").write_text("print('hello')\n")
    monkeypatch.setenv("VALUECHAIN_STORE_PATH", str(tmp_path / "store.sqlite"))
    done = _cli("import", str(folder), "--federation", "FD Drôme")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ignoré : script.py — ce n'est pas un classeur" in done.stdout
    assert f"{len(SAMPLE_FILES)} classeurs importés, 0 en échec" in done.stdout
    listed = json.loads(_cli("versions", "--json").stdout)
    assert {v["federation"] for v in listed} == {"FD Drôme"} and len(listed) == len(SAMPLE_FILES)
    table = _cli("versions").stdout.splitlines()
    assert table[0] == "n° · centre · année · version · importée le · fichier · fédération · erreurs / avertissements"


def test_make_workshop_asks_no_one_for_the_machine_s_address_and_prints_the_facilitator_s_key(tmp_path):
    """Issue 26.3: listening on the room's network, Streamlit asked a public service for this
    machine's Internet address. Every request that would leave goes to a proxy of the test's
    own here: it must receive nothing. Issue 25.3: the facilitator's address, with its key."""
    import socket
    import threading
    import time
    import urllib.request

    proxy = socket.socket()
    proxy.bind(("127.0.0.1", 0))
    proxy.listen(5)
    proxy.settimeout(0.2)
    asked: list[bytes] = []
    done = threading.Event()

    def listen() -> None:
        while not done.is_set():
            try:
                connection, _ = proxy.accept()
            except OSError:
                continue
            asked.append(connection.recv(200))
            connection.close()

    threading.Thread(target=listen, daemon=True).start()
    port = free_port()
    address = f"http://127.0.0.1:{proxy.getsockname()[1]}"
    env = dict(
        os.environ,
        VALUECHAIN_ROOM="1",
        VALUECHAIN_STORE_PATH=str(tmp_path / "store.sqlite"),
        http_proxy=address,
        https_proxy=address,
        HTTP_PROXY=address,
        HTTPS_PROXY=address,
        NO_PROXY="",
        no_proxy="",
    )
    env.pop("VALUECHAIN_FACILITATOR_KEY", None)
    log = tmp_path / "server.log"
    server = launch(port, log, env, SERVE, "0.0.0.0")
    try:
        deadline = time.monotonic() + 60
        while "You can now view" not in log.read_text(errors="replace"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
            time.sleep(0.2)  # polling a log file: there is nothing to wait on
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"http://127.0.0.1:{port}/_stcore/health", timeout=10
        ) as answer:
            assert answer.status == 200
        said = log.read_text(errors="replace")
        assert f"http://localhost:{port}/atelier?animateur=" in said and "External URL" not in said
        assert asked == [], asked
    finally:
        done.set()
        server.terminate()
        server.wait(timeout=15)
        proxy.close()

"""Hostile archives: a zip bomb in a batch, an inflated sheet or string table inside a
workbook, a stray cell at the sheet's far corner. Each is refused with a sentence naming the
file and the limit, before anything large is inflated or allocated. The files are made here.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile

import pytest

from helpers import FLOW_HEADER, ROOT, ods_bytes, ods_row, xlsx_bytes
from valuechain import InputFile, ReadLimits, UnreadableWorkbook, read_files
from valuechain.reading.archives import ArchiveLimits
from valuechain.store.batch import collect, collect_uploads

MB = 1_000_000
FLOWS = "source;cible;nature;quantite\nMairie;Centre;monetaire;500\n"


def zip_of(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def lying_zip(name: str, real: bytes, declared: int) -> bytes:
    """A zip whose directory says ``name`` inflates to ``declared`` bytes; it inflates to more."""
    data = bytearray(zip_of({name: real}))
    real_size = struct.pack("<I", len(real))
    # The size is stored in the local header (offset 22) and the central directory (offset 24).
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    assert data[local + 22 : local + 26] == real_size and data[central + 24 : central + 28] == real_size
    data[local + 22 : local + 26] = struct.pack("<I", declared)
    data[central + 24 : central + 28] = struct.pack("<I", declared)
    return bytes(data)


def message(files: list[InputFile]) -> str:
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files(files)
    return refused.value.message("fr")


def refusal_of(groups) -> UnreadableWorkbook:
    [[file]] = groups
    assert file.refusal is not None
    return file.refusal


# A batch's zip -----------------------------------------------------------------------------------
def test_a_zip_whose_member_inflates_past_the_limit_is_refused_from_its_directory(tmp_path):
    path = tmp_path / "lot.zip"
    path.write_bytes(zip_of({"Flux.csv": b"0" * (60 * MB)}))  # 60 MB of one byte: about 60 kB zipped
    refusal = refusal_of(collect([path]))
    assert refusal.code == "archive_member_too_large"
    assert (
        "Flux.csv" in refusal.message("fr") and "lot.zip" in refusal.message("fr") and "50 Mo" in refusal.message("fr")
    )


def test_a_zip_member_that_lies_about_its_size_stops_at_the_limit():
    lot = lying_zip("Flux.csv", FLOWS.encode() + b"x" * (3 * MB), declared=100)
    refusal = refusal_of(collect_uploads([InputFile("lot.zip", lot)]))
    assert refusal.code == "file_damaged" and "lot.zip" in refusal.message("fr")


def test_a_zip_member_too_large_once_inflated_is_cut_at_the_limit_even_if_declared_small():
    lot = lying_zip("Flux.csv", b"0" * (3 * MB), declared=2 * MB)
    limits = ArchiveLimits(max_member_mb=1)
    refusal = refusal_of(collect_uploads([InputFile("lot.zip", lot)], limits))
    assert refusal.code in ("archive_member_too_large", "file_damaged")


def test_a_zip_of_too_many_members_is_refused():
    lot = zip_of({f"c{i} - Flux.csv": FLOWS.encode() for i in range(60)}, level=1)
    refusal = refusal_of(collect_uploads([InputFile("lot.zip", lot)], ArchiveLimits(max_members=50)))
    assert refusal.code == "archive_too_many_members" and "50" in refusal.message("fr")


def test_a_zip_whose_members_together_inflate_past_the_total_is_refused():
    lot = zip_of({f"c{i}.csv": b"0" * (20 * MB) for i in range(3)}, level=1)
    refusal = refusal_of(collect_uploads([InputFile("lot.zip", lot)], ArchiveLimits(max_total_mb=50, max_ratio=10_000)))
    assert refusal.code == "archive_too_large" and "50 Mo" in refusal.message("fr")


def test_a_member_with_an_absurd_compression_ratio_is_refused():
    lot = zip_of({"Flux.csv": b"0" * (20 * MB)})
    refusal = refusal_of(collect_uploads([InputFile("lot.zip", lot)]))
    assert refusal.code == "archive_ratio" and "Flux.csv" in refusal.message("fr")


def test_a_good_zip_still_imports_every_centre():
    lot = zip_of({"A - Flux.csv": FLOWS.encode(), "B - Flux.csv": FLOWS.encode(), "notes.txt.bak": b"ignored"})
    groups = collect_uploads([InputFile("lot.zip", lot)])
    readable = sorted(g[0].name for g in groups if g[0].refusal is None)
    assert readable == ["A - Flux.csv", "B - Flux.csv"]
    [skipped] = [g[0] for g in groups if g[0].refusal is not None]  # said, not silently dropped
    assert skipped.refusal.code == "entry_not_workbook" and "notes.txt.bak" in skipped.refusal.message("fr")


# The zip inside a workbook -------------------------------------------------------------------------
def _replace_member(workbook: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook))
    members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = data
    return zip_of(members)


def _sample_xlsx() -> bytes:
    return xlsx_bytes({"Flux": [FLOW_HEADER[:3], ["Mairie", "Centre", "monetaire"]]})


def test_an_inflated_shared_strings_table_inside_an_xlsx_is_refused():
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * (4 * MB)
        + b"</sst>"
    )
    workbook = _replace_member(_sample_xlsx(), "xl/sharedStrings.xml", strings)
    text = message([InputFile("classeur.xlsx", workbook)])
    # Refused for its size (50 MB) or, first, for its compression ratio: both name the limit.
    assert "classeur.xlsx" in text and "sharedStrings.xml" in text and ("50 Mo" in text or "200 fois" in text)
    honest_ratio = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % i for i in range(3_000_000)) + b"</sst>"
    text = message([InputFile("classeur.xlsx", _replace_member(_sample_xlsx(), "xl/sharedStrings.xml", honest_ratio))])
    assert "sharedStrings.xml" in text and "50 Mo" in text


def test_a_sheet_xml_that_lies_about_its_size_is_damaged():
    workbook = lying_zip("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (2 * MB), declared=50)
    assert "endommagé" in message([InputFile("classeur.xlsx", workbook)])


def test_one_stray_cell_at_the_far_corner_is_read_sparsely_and_named():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Flux"
    for row in ([*FLOW_HEADER[:3], "quantite"], ["Mairie", "Centre", "monetaire", 12.5]):
        sheet.append(row)
    sheet["XFD1048576"] = "oups"
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_files([InputFile("classeur.xlsx", buffer.getvalue())])
    flow, stray = raw.tables["flows"].rows
    assert (flow.row, flow.cells["source"], flow.cells["quantity"]) == (2, "Mairie", 12.5)
    assert (stray.row, stray.cells) == (1_048_576, {"colonne XFD": "oups"})  # kept, located, to be cleared
    [warning] = [p for p in raw.problems if p.code == "sheet_read_sparsely"]
    assert warning.sheet == "Flux" and "XFD1048576" in warning.message("fr")


def test_a_sheet_dense_beyond_the_cell_limit_is_refused_naming_its_far_cell():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Flux"
    for row in range(1, 60):
        sheet.append([f"v{row}-{column}" for column in range(40)])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UnreadableWorkbook) as refused:
        read_files([InputFile("classeur.xlsx", buffer.getvalue())], ReadLimits(max_cells=1_000))
    text = refused.value.message("fr")
    assert "« Flux »" in text and "AN59" in text and "classeur.xlsx" in text


HEADER_AND_ROW = ods_row("source", "cible", "nature") + ods_row("Mairie", "Centre", "monetaire")


def test_an_ods_whose_repeated_cells_claim_a_hundred_million_cells_is_refused():
    bomb = (
        '<table:table-row table:number-rows-repeated="10000"><table:table-cell '
        'table:number-columns-repeated="10000" office:value-type="float" office:value="1"/></table:table-row>'
    )
    data = ods_bytes(HEADER_AND_ROW + bomb)
    assert len(data) < 3_000
    text = message([InputFile("classeur.ods", data)])
    assert "« Flux »" in text and "classeur.ods" in text


def test_an_ods_with_librecalcs_trailing_empty_repeats_reads_as_usual():
    trailing = (
        '<table:table-row table:number-rows-repeated="1048500"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    raw = read_files([InputFile("classeur.ods", ods_bytes(HEADER_AND_ROW + trailing))])
    assert len(raw.tables["flows"].rows) == 1


# Memory, measured on the command line as a user runs it ---------------------------------------------
HOSTILE = {
    "lot.zip": lambda: zip_of({"Flux.csv": b"0" * (200 * MB)}, level=1),
    "menteur.zip": lambda: lying_zip("Flux.csv", b"0" * (100 * MB), declared=1000),
    "chaines.xlsx": lambda: _replace_member(
        _sample_xlsx(), "xl/sharedStrings.xml", b"<sst>" + b"<si><t>a</t></si>" * (3 * MB) + b"</sst>"
    ),
    "bombe.ods": lambda: ods_bytes(
        HEADER_AND_ROW + '<table:table-row table:number-rows-repeated="20000"><table:table-cell '
        'table:number-columns-repeated="20000" office:value-type="float" office:value="1"/></table:table-row>'
    ),
}

# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, from the test process itself.
PEAK = """
import re, sys
from valuechain.cli import main
code = main(sys.argv[1:])
peak_kb = int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read())[1])
print("PEAK", peak_kb // 1024, "EXIT", code)
"""


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_archive_stays_under_300_mb_and_says_why(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())
    command = "import" if name.endswith(".zip") else "check"
    result = subprocess.run(
        [sys.executable, "-c", PEAK, command, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "VALUECHAIN_STORE_PATH": str(tmp_path / "store.sqlite")},
    )
    assert "Traceback" not in result.stderr, result.stderr
    peak_mb = int(result.stdout.split("PEAK ")[1].split()[0])
    assert peak_mb < 300, (name, peak_mb)
    assert result.stdout.rstrip().endswith(("EXIT 1", "EXIT 2")), result.stdout
    assert name in result.stdout + result.stderr


# The guard behind the checks: reading in a worker with a memory ceiling ------------------------------
def _far_cell_workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Flux"
    sheet.append(FLOW_HEADER[:3])
    sheet.append(["Mairie", "Centre", "monetaire"])
    sheet["XFD1048576"] = "oups"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_file_that_gets_past_the_checks_and_aborts_the_reader_ends_only_its_worker():
    from valuechain.reading.guard import read_guarded

    # The rectangle check lifted: the spreadsheet reader asks for 500 GB and aborts (exit 134
    # in the serving process before the guard). Here only the worker ends.
    limits = ReadLimits(max_cells=10**13)
    with pytest.raises(UnreadableWorkbook) as refused:
        read_guarded([InputFile("piège.xlsx", _far_cell_workbook())], limits)
    assert refused.value.code == "reading_too_demanding" and "piège.xlsx" in refused.value.message("fr")
    # The next file is read as usual, by fresh workers.
    raw = read_guarded([InputFile("Flux.csv", FLOWS.encode())])
    assert len(raw.tables["flows"].rows) == 1


def test_the_guard_gives_back_the_same_refusals_and_warnings_as_reading_in_process():
    from valuechain.reading.guard import read_guarded

    bomb = (
        '<table:table-row table:number-rows-repeated="10000"><table:table-cell '
        'table:number-columns-repeated="10000" office:value-type="float" office:value="1"/></table:table-row>'
    )
    with pytest.raises(UnreadableWorkbook) as refused:
        read_guarded([InputFile("classeur.ods", ods_bytes(HEADER_AND_ROW + bomb))])
    assert refused.value.code == "sheet_too_wide" and "classeur.ods" in refused.value.message("fr")
    raw = read_guarded([InputFile("classeur.xlsx", _far_cell_workbook())])
    assert "sheet_read_sparsely" in {p.code for p in raw.problems}

"""Accounts made to break the reader (issue 36): a wrong encoding, missing columns, an unbalanced
entry, formulas in labels, a file too large, binary bytes, a huge line count. Each gets a located
problem or one sentence, never a traceback, and nothing readable is lost."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from valuechain.accounts.fec import UnreadableAccounts, read_ledger
from valuechain.accounts.review import review
from valuechain.cli import main
from valuechain.errors import UnreadableWorkbook
from valuechain.reading.inputs import InputFile, ReadLimits

HEADER = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit"


def entry(number: int, account: str, aux: str, label: str, amount: str) -> str:
    return (
        f"BQ\tBanque\t{number}\t20250310\t512000\tBanque\t\t\tP{number}\t20250310\t{label}\t{amount}\t0,00\n"
        f"BQ\tBanque\t{number}\t20250310\t{account}\tProduits\t\t{aux}\tP{number}\t20250310\t{label}\t0,00\t{amount}\n"
    )


def fec(*entries: str) -> str:
    return HEADER + "\n" + "".join(entries)


def test_a_utf8_file_with_one_windows_line_keeps_every_line_and_every_amount():
    text = fec(entry(1, "741100", "CAF DE LA DRÔME", "Acompte", "100,00"))
    data = text.encode("utf-8") + entry(2, "741200", "VILLE DE SAINT-ÉTIENNE", "Subvention", "50,00").encode("cp1252")
    ledger = read_ledger(InputFile("900000001FEC20251231.txt", data))
    assert len(ledger.lines) == 4 and sum(x.credit for x in ledger.lines) == 15_000
    assert ledger.problems == []


@pytest.mark.parametrize(
    ("header", "missing"),
    [("JournalCode\tEcritureNum\tDebit\tCredit", "CompteNum"), ("CompteNum\tDebit\tSolde", "Credit")],
)
def test_missing_columns_are_one_sentence_naming_them_in_both_languages(header, missing, tmp_path, capsys):
    data = (header + "\nBQ\t1\t10,00\t0,00\n").encode()
    with pytest.raises(UnreadableAccounts) as refused:
        read_ledger(InputFile("export.txt", data))
    assert missing in refused.value.message("fr") and "colonnes" in refused.value.message("fr")
    assert missing in refused.value.message("en") and "columns" in refused.value.message("en")
    path = tmp_path / "export.txt"
    path.write_bytes(data)
    assert main(["accounts", str(path), "--lang", "en"]) == 2
    said = capsys.readouterr()
    assert missing in said.err and "Traceback" not in said.err + said.out


def test_an_unbalanced_entry_is_located_and_its_lines_still_counted():
    text = fec(entry(1, "741100", "CAF", "Acompte", "100,00")).replace("\t0,00\t100,00\n", "\t0,00\t90,00\n")
    found = review(InputFile("900000001FEC20251231.txt", text.encode()), "Centre")
    assert [(p.code, p.row, p.value) for p in found.ledger.problems] == [("fec_unbalanced", 2, "1")]
    assert [r.accounts for r in found.proposal.reconciliation] == [9000]


def test_formulas_in_labels_and_names_are_never_written_as_formulas():
    text = fec(
        entry(1, "741100", '=HYPERLINK("http://evil";"CAF")', "=cmd|' /C calc'!A0", "100,00"),
        entry(2, "741100", "@SUM(1+1) CAF", "+CAF", "10,00"),
        entry(3, "741100", "-2+3 Fondation X", "Fondation", "1,00"),
    )
    found = review(InputFile("900000001FEC20251231.txt", text.encode()), "=Centre")
    book = load_workbook(io.BytesIO(found.workbook_bytes("fr")))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert "@SUM(1+1) CAF" in [c.value for c in cells] and "=Centre" in [c.value for c in cells]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys):
    big = tmp_path / "900000001FEC20251231.txt"
    line = entry(1, "741100", "CAF", "Acompte", "100,00")
    big.write_text(fec(line * 3000))
    with pytest.raises(UnreadableWorkbook) as refused:
        read_ledger(InputFile.from_path(big), ReadLimits(max_file_mb=0.1))
    assert refused.value.code == "file_too_large"
    with pytest.raises(UnreadableWorkbook):
        InputFile.from_path(big, ReadLimits(max_file_mb=0.1))


def test_more_lines_than_the_limit_are_refused_and_within_it_all_are_read():
    data = fec(*(entry(n, "741100", "CAF", "Acompte", "1,00") for n in range(1, 501))).encode()
    with pytest.raises(UnreadableWorkbook) as refused:
        read_ledger(InputFile("900000001FEC20251231.txt", data), ReadLimits(max_rows=200))
    assert refused.value.code == "too_many_rows" and refused.value.params["limit"] == 800
    # A FEC line is not a spreadsheet row: four times as many are read (a 50 MB FEC, 370,000 lines).
    assert len(read_ledger(InputFile("900000001FEC20251231.txt", data), ReadLimits(max_rows=250)).lines) == 1000


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n  \n", b"\x00\x01\x02binary\x00" * 50, b"PK\x03\x04not a zip at all"],
    ids=["empty", "blank", "binary", "fake-zip"],
)
def test_what_is_not_a_ledger_is_one_sentence_and_never_a_traceback(data, tmp_path, capsys):
    path = tmp_path / "900000001FEC20251231.txt"
    path.write_bytes(data)
    assert main(["accounts", str(path), "--lang", "fr"]) == 2
    said = capsys.readouterr()
    assert said.err.strip() and "Traceback" not in said.err + said.out


def test_a_ragged_file_keeps_its_short_lines_and_locates_its_unreadable_ones():
    text = fec(entry(1, "741100", "CAF", "Acompte", "100,00")) + "BQ\tBanque\t2\n" + "BQ\tBanque\t3\t20250310\t741100\n"
    ledger = read_ledger(InputFile("900000001FEC20251231.txt", text.encode()))
    # Line 4 stops before its account, line 5 before its amounts: each is said short, located, and left out.
    assert [x.line for x in ledger.lines] == [2, 3]
    assert {(p.code, p.row) for p in ledger.problems} >= {("fec_line_columns", 4), ("fec_line_columns", 5)}
    assert ledger.left_out_unreadable == 2

"""A CSV export is streamed through polars, and its first records are read a block of whole
records at a time (``procflow.tickets.blocks``): the tickets, their row numbers and the bad
rows come out as Python's csv module reads the file, with quoted line breaks, doubled
quotes, CRLF line ends and a BOM."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import polars as pl
import pytest

from procflow.procedures import load_procedure
from procflow.tickets import blocks as blocks_module
from procflow.tickets import load as load_module
from procflow.tickets.blocks import blocks, read_block
from procflow.tickets.columns import column_map
from procflow.tickets.load import ReadOptions, load_tickets

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = load_procedure(ROOT / "procedures" / "complaint-handling.yaml").model
assert PROCEDURE is not None
ID = PROCEDURE.id


def _export(path: Path, rows: int, seed: int, *, bom: bool, newline: str) -> None:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(["id", "procedure", "priority", "created", "resolved", "subject", "csat"])
    for index in range(rows):
        subject = rng.choice(["plain", 'says "urgent"', "two\nlines", "a, b", "",
                              'x\r\ny "q"\n', '"'])
        created = f"2026-11-{rng.randint(1, 28):02d} {rng.randint(8, 16):02d}:15:00"
        resolved = rng.choices(["", "2026-12-01 10:00:00", "not a time", "2026-10-01 09:00:00"],
                               [3, 10, 1, 1])[0]
        ticket = f"T{index}" if rng.random() > 0.02 else "T1"  # some repeated ids
        priority = rng.choices(["Pilna", "p2", "nope", ""], [5, 5, 1, 1])[0]
        writer.writerow([ticket, ID, priority, created, resolved, subject,
                         rng.choice(["", "5", "9", "3,5"])])
    path.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode())


@pytest.mark.parametrize("bom, newline", [(False, "\n"), (True, "\r\n")])
@pytest.mark.parametrize("streamed", [True, False])
def test_an_export_reads_as_the_csv_module_reads_it(tmp_path: Path, monkeypatch, bom: bool,
                                                    newline: str, streamed: bool) -> None:
    """The export is streamed through polars in parallel batches, or (a wide one) read in
    blocks of whole records: across their edges, with quoted line breaks, doubled quotes,
    CRLF line ends and a BOM, every ticket keeps its row number and each bad row is the one
    Python's csv module finds there."""
    monkeypatch.setattr(load_module, "STREAM_SHARE", 0.0 if streamed else 1.01)
    monkeypatch.setattr(blocks_module, "BLOCK_BYTES", 50_000)  # dozens of blocks
    path = tmp_path / "tickets.csv"
    _export(path, 60_000, seed=len(newline), bom=bom, newline=newline)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        expected = list(csv.DictReader(handle))
    options = ReadOptions(column_map(None, {}, {}), "Europe/Warsaw")
    tickets = load_tickets(path, {ID: PROCEDURE}, options)
    assert tickets.rows == len(expected) == 60_000
    assert tickets.frame["id"].to_list() == [row["id"] for row in expected]
    assert tickets.frame["row"].to_list() == list(range(1, 60_001))
    problems = dict(zip(tickets.bad["row"].to_list(), tickets.bad["problems"].to_list(),
                        strict=True))
    not_a_time = [number for number, row in enumerate(expected, 1)
                  if row["resolved"] == "not a time"]
    assert len(not_a_time) > 1000
    assert all("resolved: 'not a time' is not a time (ISO 8601 expected; see --time-format)"
               in problems[number] for number in not_a_time)
    early = [number for number, row in enumerate(expected, 1)
             if row["resolved"] == "2026-10-01 09:00:00"]
    assert all("resolved before created" in problems[number] for number in early)


def test_a_wide_export_is_read_in_blocks_and_a_narrow_one_streamed(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """polars maps a file it scans: an export whose reported columns are a small share of
    its text is read a block at a time instead, with the same result."""
    monkeypatch.setattr(blocks_module, "BLOCK_BYTES", 4096)
    path = tmp_path / "tickets.csv"
    _export(path, 300, seed=2, bom=False, newline="\n")
    wide = tmp_path / "wide.csv"
    pl.read_csv(path, infer_schema=False).with_columns(notes=pl.lit("x" * 400)).write_csv(wide)
    reported = ["id", "procedure", "priority", "created", "resolved", "csat"]
    parts = {export.name: len(list(load_module.text_parts(
        export, load_module.text_scan(export, reported)[0], load_module.first_records(export))))
        for export in (path, wide)}
    assert parts["tickets.csv"] == 1 and parts["wide.csv"] > 8
    options = ReadOptions(column_map(None, {}, {}), "Europe/Warsaw")
    narrow, by_blocks = (load_tickets(p, {ID: PROCEDURE}, options) for p in (path, wide))
    assert by_blocks.frame.equals(narrow.frame) and by_blocks.bad.equals(narrow.bad)


def test_the_first_records_are_read_without_the_rest(tmp_path: Path, monkeypatch) -> None:
    """The sample that picks the time format comes from the first block of whole records,
    whatever its size."""
    path = tmp_path / "tickets.csv"
    _export(path, 400, seed=1, bom=False, newline="\n")
    options = ReadOptions(column_map(None, {}, {}), "Europe/Warsaw")
    whole = load_tickets(path, {ID: PROCEDURE}, options)
    for size in (1, 37, 4096):
        monkeypatch.setattr(load_module, "_HEAD_BYTES", size)
        again = load_tickets(path, {ID: PROCEDURE}, options)
        assert again.frame.equals(whole.frame), size
        assert again.bad.equals(whole.bad), size


def test_a_block_ends_only_at_a_line_break_outside_quotes(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    rows = [["id", 'note "x"'], ["1", "a\nb"], ["2", '"quoted"\n"twice"'], ["3", "end"]]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    for size in range(1, 40):
        frame = pl.concat([read_block(block, ",", None) for block in blocks(path, size)])
        assert frame.rows() == [tuple(row) for row in rows[1:]], size


@pytest.mark.parametrize("content, expected", [
    (b"a,b\n", [b"a,b\n"]),  # a header only
    (b"a,b", [b"a,b"]),  # without a line break
    (b'"a\nx",b\n1,2', [b'"a\nx",b\n1,2']),  # a quoted break in the header, no final break
])
def test_header_only_and_unterminated_files(tmp_path: Path, content: bytes,
                                            expected: list[bytes]) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert list(blocks(path, 2)) == expected

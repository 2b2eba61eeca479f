"""A CSV file read in blocks of whole records, each parsed by polars on its own: for the first
records of an export (the sample that picks its time format), and for a wide export (many
columns the report does not read) whole.

polars maps a CSV file it scans, and the pages it touched count against the process: its
``head`` of a scan touches as much memory again as the typed table, and a streamed wide
export costs more than its table. Read in blocks, only one block of text is held. A block
ends at a line break outside quotes (RFC 4180: a quoted field may hold line breaks, and a
quote inside one is doubled, so an even number of quotes before a line break means it ends a
record). Each block is parsed with the file's header line in front of it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl

#: bytes of text read at a time, unless told
BLOCK_BYTES = 8 * 2**20


def _last_record_end(buffer: bytearray, start: int, inside: bool) -> int:
    """The position after the last line break at or after ``start`` that ends a record, or
    0. The buffer begins at the start of a record, ``inside`` tells whether its end lies
    inside quotes, and no line break before ``start`` ends a record."""
    end = len(buffer)
    while (brk := buffer.rfind(b"\n", start, end)) >= 0:
        if buffer.count(b'"', brk, end) % 2:  # crossing those quotes changes the side
            inside = not inside
        if not inside:
            return brk + 1
        end = brk
    return 0


def _first_record_end(buffer: bytearray, start: int, quotes: int) -> tuple[int, int]:
    """(the position after the first line break from ``start`` that ends a record, else 0;
    the quotes counted before ``start`` on the next call)."""
    while (brk := buffer.find(b"\n", start)) >= 0:
        quotes += buffer.count(b'"', start, brk)
        if quotes % 2 == 0:
            return brk + 1, quotes
        start = brk + 1
    return 0, quotes + buffer.count(b'"', start)


def _read_into(handle: io.BufferedReader, buffer: bytearray, chunk: bytearray) -> int:
    """Append the file's next ``len(chunk)`` bytes to ``buffer`` through ``chunk`` (one
    buffer of each, reused: no new block of memory per read); how many came."""
    got = handle.readinto(chunk)
    with memoryview(chunk) as view:
        buffer += view[:got]
    return got


def blocks(path: Path, size: int | None = None) -> Iterator[bytes]:
    """The file's header record followed by the next block of whole records, until the end
    (one block with no records when the file has only a header). Each byte is looked at a
    bounded number of times, however long a record is, and copied once into its block.
    ``size``: ``BLOCK_BYTES``."""
    chunk = bytearray(size or BLOCK_BYTES)
    with path.open("rb") as handle:
        buffer = bytearray()
        header_end = quotes = checked = 0
        while not header_end:  # the first record: usually on the first line
            checked = len(buffer)
            if not _read_into(handle, buffer, chunk):
                yield bytes(buffer)  # a file of one line without a break
                return
            header_end, quotes = _first_record_end(buffer, checked, quotes)
        header = bytes(buffer[:header_end])
        del buffer[:header_end]
        inside = buffer.count(b'"') % 2 == 1
        checked, yielded = 0, False  # no record ends before ``checked``
        while True:
            cut = _last_record_end(buffer, checked, inside)
            if cut:  # the rest starts a record and ends on the same side of quotes
                with memoryview(buffer) as view:
                    block = b"".join((header, view[:cut]))
                del buffer[:cut]
                yield block
                yielded = True
            checked = len(buffer)
            if not _read_into(handle, buffer, chunk):
                break
            inside ^= buffer.count(b'"', checked) % 2 == 1
        if buffer or not yielded:
            yield header + buffer


def read_block(block: bytes, separator: str, columns: list[str] | None,
               rows: int | None = None) -> pl.DataFrame:
    """The ``columns`` (all when None) of a block as text (every value as written: nothing
    can fail to parse), its first ``rows`` rows when given."""
    return pl.read_csv(block, separator=separator, infer_schema=False,
                       columns=columns, n_rows=rows, encoding="utf8-lossy")

"""The optional status-change file: when each ticket entered each status, turned into the
intervals during which its SLA clocks stop: statuses in ``pause_statuses`` (such as "Waiting
for customer") stop every SLA; a status that ``report.statuses`` maps to a step stops the SLAs
that list that step in their ``pause``.

One row per change: the ticket id, the new status and when it was set (columns ``id``,
``status``, ``at``, mapped like the ticket export). A status lasts until the ticket's next
change; the last one lasts until now. Bad rows are counted and listed like the export's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from procflow.tickets.load import (
    ReadOptions,
    bad_rows,
    flag,
    missing_status_columns,
    parse_times,
    read_raw,
    text_of,
)


@dataclass(frozen=True)
class StatusChanges:
    """Intervals in a pausing status (id, status, start, end; end null = still in it), the
    statuses that pause every SLA, and the file's bad rows."""

    intervals: pl.DataFrame
    bad: pl.DataFrame
    rows: int
    always: frozenset[str] = frozenset()

    def for_statuses(self, statuses: frozenset[str]) -> StatusChanges:
        """Only the intervals in one of ``statuses`` (lower case)."""
        kept = self.intervals.filter(pl.col("status").is_in(list(statuses)))
        return StatusChanges(kept, self.bad, self.rows, self.always)

    def placed_on(self, table: pl.DataFrame) -> StatusChanges:
        """The intervals of the tickets of ``table`` (by ``id``), each with its row there
        (``_i``) in place of the id."""
        placed = table.select("id").with_row_index("_i").join(self.intervals, on="id",
                                                               how="inner")
        return StatusChanges(placed.drop("id"), self.bad, self.rows, self.always)

    def within(self, rows: np.ndarray) -> StatusChanges:
        """For intervals placed on the rows of a table (``placed_on``): those of the rows of
        the mask ``rows``, placed on the table of those rows only."""
        index = self.intervals["_i"].to_numpy()
        keep = rows[index]
        renumbered = np.cumsum(rows) - 1
        kept = self.intervals.filter(pl.Series(keep)).with_columns(
            pl.Series("_i", renumbered[index[keep]], dtype=pl.UInt32))
        return StatusChanges(kept, self.bad, self.rows, self.always)


def load_pauses(path: Path, options: ReadOptions, pause_statuses: Iterable[str],
                step_statuses: Iterable[str] = ()) -> StatusChanges:
    """The intervals in ``pause_statuses`` (every SLA) or ``step_statuses`` (the SLAs that
    pause on the step they are mapped to)."""
    columns = options.columns
    wanted = [columns.column("id"), columns.column("status"), columns.column("at")]
    raw = read_raw(path, wanted)
    missing_status_columns(raw, wanted, path)
    frame = raw.select(text_of(wanted[0]).alias("id"),
                       text_of(wanted[1]).str.to_lowercase().alias("status"),
                       pl.col(wanted[2]).alias("at"))
    at, problem = parse_times(frame["at"], "at", options)
    at_text = frame["at"].cast(pl.Utf8).str.strip_chars()
    bad, bad_mask = bad_rows([
        problem,
        flag(frame, frame["id"].is_null() | (frame["id"] == ""), pl.lit("id: missing")),
        flag(frame, at_text.is_null() | (at_text == ""), pl.lit("at: missing"))], frame.height)
    good = frame.with_columns(at)
    if bad_mask is not None:
        good = good.filter(pl.Series(~bad_mask))
    always = frozenset(status.strip().lower() for status in pause_statuses)
    kept = always | {status.strip().lower() for status in step_statuses}
    good = good.sort("id", "at")
    following = pl.col("id").shift(-1) == pl.col("id")  # sorted: the ticket's next change
    intervals = (good.with_columns(pl.when(following).then(pl.col("at").shift(-1)).alias("end"))
                 .filter(pl.col("status").is_in(list(kept)))
                 .select("id", "status", pl.col("at").alias("start"), "end"))
    return StatusChanges(intervals, bad, frame.height, always)

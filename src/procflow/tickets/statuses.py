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

import polars as pl

from procflow.tickets.load import (
    ReadOptions,
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


def load_pauses(path: Path, options: ReadOptions, pause_statuses: Iterable[str],
                step_statuses: Iterable[str] = ()) -> StatusChanges:
    """The intervals in ``pause_statuses`` (every SLA) or ``step_statuses`` (the SLAs that
    pause on the step they are mapped to)."""
    columns = options.columns
    wanted = [columns.column("id"), columns.column("status"), columns.column("at")]
    raw = read_raw(path, wanted)
    missing_status_columns(raw, wanted, path)
    frame = raw.select(pl.col(wanted[0]).alias("id"), pl.col(wanted[1]).alias("status"),
                       pl.col(wanted[2]).alias("at")).with_row_index("row", offset=1)
    at, problem = parse_times(frame["at"], "at", options)
    parsed = frame.select(
        "row", text_of("id").alias("id"), text_of("status").str.to_lowercase().alias("status"),
        pl.lit(at).alias("at"),
        pl.concat_list([pl.lit(problem) if problem is not None
                        else pl.lit(None, dtype=pl.Utf8),
                        pl.when(text_of("id").is_null() | (text_of("id") == ""))
                        .then(pl.lit("id: missing")),
                        pl.when(text_of("at").is_null() | (text_of("at") == ""))
                        .then(pl.lit("at: missing"))]).list.drop_nulls().alias("problems"))
    bad_mask = pl.col("problems").list.len() > 0
    good = parsed.filter(~bad_mask).sort("id", "at")
    always = frozenset(status.strip().lower() for status in pause_statuses)
    kept = always | {status.strip().lower() for status in step_statuses}
    intervals = (good.with_columns(pl.col("at").shift(-1).over("id").alias("end"))
                 .filter(pl.col("status").is_in(list(kept)))
                 .select("id", "status", pl.col("at").alias("start"), "end"))
    return StatusChanges(intervals, parsed.filter(bad_mask).select("row", "problems"),
                         frame.height, always)

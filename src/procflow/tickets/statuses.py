"""The optional status-change file: when each ticket entered each status, turned into the
intervals during which its SLA clocks stop (``pause_statuses``, such as "Waiting for
customer").

One row per change: the ticket id, the new status and when it was set (columns ``id``,
``status``, ``at``, mapped like the ticket export). A status lasts until the ticket's next
change; the last one lasts until now. Bad rows are counted and listed like the export's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from procflow.tickets.load import ReadOptions, missing_status_columns, parse_times, read_raw, text_of


@dataclass(frozen=True)
class StatusChanges:
    """Pause intervals (id, start, end; end null = still paused) and the file's bad rows."""

    intervals: pl.DataFrame
    bad: pl.DataFrame
    rows: int


def load_pauses(path: Path, options: ReadOptions, pause_statuses: Iterable[str]) -> StatusChanges:
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
    paused = {status.strip().lower() for status in pause_statuses}
    intervals = (good.with_columns(pl.col("at").shift(-1).over("id").alias("end"))
                 .filter(pl.col("status").is_in(list(paused)))
                 .select("id", pl.col("at").alias("start"), "end"))
    return StatusChanges(intervals, parsed.filter(bad_mask).select("row", "problems"), frame.height)

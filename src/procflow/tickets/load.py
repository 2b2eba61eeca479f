"""Reading a ticket export into one typed table, with every bad row counted.

CSV (all columns read as text, so no value can make the reader fail), JSON Lines or Parquet,
by the file's suffix; only the mapped columns are read. Times become UTC epoch seconds: an
ISO 8601 time with an offset (or ``Z``) is taken as is, a naive one is read in the given
zone (a time in the spring-forward gap does not exist there: a bad row), and ``time_format``
(strftime codes) reads other forms such as Jira's ``03/Nov/26 2:22 PM``.

A bad row (no id, a duplicate id, a time that does not parse, resolved before created, an
unknown procedure or priority, a score out of range) is left out of every figure and listed
with its row number (1 = the first data row) and every problem it has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from procflow.errors import UsageError
from procflow.model import Procedure
from procflow.tickets.columns import REQUIRED, TIME_FIELDS, ColumnMap

SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet", ".pq": "parquet"}
#: Zendesk's good/bad satisfaction ratings, read on the 1-5 scale; "offered" is no answer
_CSAT_WORDS = {"good": 5.0, "bad": 1.0, "offered": None, "unoffered": None, "not offered": None}
_RANGES = {"csat": (1, 5), "nps": (0, 10), "reopened": (0, None), "contacts": (0, None)}
_ISO_AWARE = ("%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M%:z")
_ISO_NAIVE = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class ReadOptions:
    columns: ColumnMap
    timezone: str
    time_format: str | None = None
    procedure: str | None = None  # one procedure for every row
    priorities: Mapping[str, str] | None = None  # export value -> priority id


@dataclass(frozen=True)
class Tickets:
    """The good rows (``frame``) and the bad ones (``bad``: row, problems), of ``rows``."""

    frame: pl.DataFrame
    bad: pl.DataFrame
    rows: int
    fields: frozenset[str]  # the fields the export has


def file_kind(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError(f"{path}: cannot tell the format from the name; use a .csv, .tsv, "
                         ".jsonl, .ndjson or .parquet file")
    return kind


def read_raw(path: Path, wanted: list[str] | None = None) -> pl.DataFrame:
    """The export as read by polars (CSV as text), only the ``wanted`` columns present."""
    kind = file_kind(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        if kind in ("csv", "tsv"):
            separator = "\t" if kind == "tsv" else ","
            header = pl.read_csv(path, n_rows=0, separator=separator, infer_schema=False)
            present = [c for c in (wanted or header.columns) if c in header.columns]
            return pl.read_csv(path, columns=present or None, separator=separator,
                               infer_schema=False, encoding="utf8-lossy")
        if kind == "jsonl":
            frame = pl.read_ndjson(path, infer_schema_length=None)
        else:
            names = pl.read_parquet_schema(path)
            present = [c for c in (wanted or list(names)) if c in names]
            frame = pl.read_parquet(path, columns=present or None)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UsageError(f"{path}: cannot read it as {kind}: {first_line}") from None
    return frame.select([c for c in (wanted or frame.columns) if c in frame.columns])


def _missing_columns(frame: pl.DataFrame, columns: ColumnMap, procedure: str | None,
                     path: Path) -> None:
    needed = [name for name in REQUIRED] + ([] if procedure else ["procedure"])
    needed += [name for name in columns.explicit if name not in needed]
    absent = [f"{name} ('{columns.column(name)}')" for name in needed
              if columns.column(name) not in frame.columns]
    if absent:
        from procflow.findings import did_you_mean

        hints = "".join(did_you_mean(columns.column(name.split(" ")[0]), frame.columns)
                        for name in absent[:1])
        raise UsageError(f"{path}: no column for {', '.join(absent)}{hints}; map it with "
                         "--column FIELD=COLUMN or report.columns in procflow.yaml (columns "
                         f"found: {', '.join(frame.columns[:20])})")


def text_of(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Utf8).str.strip_chars()


def time_of(name: str, dtype: pl.DataType, options: ReadOptions) -> tuple[pl.Expr, pl.Expr]:
    """(epoch seconds or null, problem text or null) for the time column ``name``."""
    zone = options.timezone
    if isinstance(dtype, pl.Datetime):
        column = pl.col(name)
        if dtype.time_zone is None:
            column = column.dt.replace_time_zone(zone, ambiguous="earliest",
                                                 non_existent="null")
        seconds = column.dt.epoch("s")
        problem = pl.when(pl.col(name).is_not_null() & seconds.is_null()).then(
            pl.format("{}: a time that does not exist in {}", pl.lit(name), pl.lit(zone)))
        return seconds, problem
    raw = text_of(name)
    if options.time_format:
        parsed = raw.str.to_datetime(options.time_format, strict=False, time_unit="us")
        aware = "%z" in options.time_format or "%:z" in options.time_format
        naive = None if aware else parsed
        aware_value = parsed if aware else pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    else:
        iso = raw.str.replace(" ", "T", literal=True, n=1).str.replace(r"Z$", "+00:00")
        aware_value = pl.coalesce([iso.str.to_datetime(f, strict=False, time_unit="us",
                                                        time_zone="UTC") for f in _ISO_AWARE])
        naive = pl.coalesce([iso.str.to_datetime(f, strict=False, time_unit="us")
                             for f in _ISO_NAIVE])
    local = (naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
             .dt.convert_time_zone("UTC") if naive is not None
             else pl.lit(None, dtype=pl.Datetime("us", "UTC")))
    seconds = pl.coalesce([aware_value.dt.convert_time_zone("UTC"), local]).dt.epoch("s")
    given = raw.is_not_null() & (raw != "")
    gap = naive.is_not_null() & local.is_null() if naive is not None else pl.lit(False)
    problem = (pl.when(given & gap)
               .then(pl.format("{}: '{}' does not exist in {} (the clocks jump forward)",
                               pl.lit(name), raw, pl.lit(zone)))
               .when(given & seconds.is_null())
               .then(pl.format("{}: '{}' is not a time{}", pl.lit(name), raw,
                               pl.lit("" if options.time_format else
                                      " (ISO 8601 expected; see --time-format)"))))
    return pl.when(given).then(seconds), problem


def _number(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    if dtype.is_numeric():
        value = pl.col(name).cast(pl.Float64)
        raw = pl.col(name).cast(pl.Utf8)
    else:
        raw = text_of(name)
        lowered = raw.str.to_lowercase()
        value = raw.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        if name == "csat":
            value = pl.coalesce([value, lowered.replace_strict(
                _CSAT_WORDS, default=None, return_dtype=pl.Float64)])
    given = raw.is_not_null() & (raw != "")
    if name == "csat":
        given = given & ~raw.str.to_lowercase().is_in(
            [word for word, score in _CSAT_WORDS.items() if score is None])
    low, high = _RANGES.get(name, (None, None))
    out_of_range = value.is_nan() | value.is_infinite()
    if low is not None:
        out_of_range = out_of_range | (value < low)
    if high is not None:
        out_of_range = out_of_range | (value > high)
    bounds = f"{low}-{high}" if high is not None else f"at least {low}"
    problem = (pl.when(given & value.is_null())
               .then(pl.format("{}: '{}' is not a number", pl.lit(name), raw))
               .when(given & out_of_range)
               .then(pl.format("{}: {} is out of range ({})", pl.lit(name), raw, pl.lit(bounds))))
    return pl.when(given & ~out_of_range).then(value), problem


def _priority_table(procedures: Mapping[str, Procedure],
                    configured: Mapping[str, str]) -> pl.DataFrame:
    """(procedure, key, priority): each way an export may name a priority, lower-cased."""
    rows: list[tuple[str, str, str]] = []
    for procedure in procedures.values():
        ids = {priority.id for priority in procedure.priorities}
        for priority in procedure.priorities:
            rows += [(procedure.id, priority.id.lower(), priority.id),
                     (procedure.id, priority.name.strip().lower(), priority.id)]
        rows += [(procedure.id, key.strip().lower(), value)
                 for key, value in configured.items() if value in ids]
    frame = pl.DataFrame(rows, schema={"procedure": pl.Utf8, "_key": pl.Utf8,
                                       "_priority": pl.Utf8}, orient="row")
    return frame.unique(subset=["procedure", "_key"], keep="first")


def load_tickets(path: Path, procedures: Mapping[str, Procedure],
                 options: ReadOptions) -> Tickets:
    """Read, map, parse and check a ticket export (see the module docstring)."""
    columns = options.columns
    wanted = sorted({columns.column(name) for name in columns.columns})
    raw = read_raw(path, wanted)
    _missing_columns(raw, columns, options.procedure, path)
    renamed = {columns.column(name): name for name in columns.columns
               if columns.column(name) in raw.columns}
    fields = frozenset(renamed.values())
    frame = raw.select([pl.col(column).alias(name) for column, name in renamed.items()])
    frame = frame.with_row_index("row", offset=1)
    schema = frame.schema
    problems: list[pl.Expr] = []
    values: list[pl.Expr] = [pl.col("row"), text_of("id").alias("id")]
    problems.append(pl.when(text_of("id").is_null() | (text_of("id") == "")).then(
        pl.lit("id: missing")))
    if options.procedure:
        values.append(pl.lit(options.procedure).alias("procedure"))
    else:
        values.append(text_of("procedure").alias("procedure"))
    values.append(text_of("priority").alias("priority_text") if "priority" in fields
                  else pl.lit(None, dtype=pl.Utf8).alias("priority_text"))
    for name in TIME_FIELDS:
        if name in fields:
            seconds, problem = time_of(name, schema[name], options)
            values.append(seconds.alias(name))
            problems.append(problem)
        else:
            values.append(pl.lit(None, dtype=pl.Int64).alias(name))
    problems.append(pl.when(text_of("created").is_null() | (text_of("created") == "")).then(
        pl.lit("created: missing")))
    for name in ("first_response_minutes", "reopened", "contacts", "csat", "nps"):
        if name in fields:
            value, problem = _number(name, schema[name])
            values.append(value.alias(name))
            problems.append(problem)
        else:
            values.append(pl.lit(None, dtype=pl.Float64).alias(name))
    parsed = frame.select(*values, pl.concat_list(problems).alias("problems"))
    parsed = parsed.with_columns(
        pl.coalesce([pl.col("first_response"),
                     pl.col("created") + (pl.col("first_response_minutes") * 60).round()
                     .cast(pl.Int64)]).alias("first_response"))
    parsed = _check_relations(parsed, procedures, options)
    parsed = parsed.with_columns(pl.col("problems").list.drop_nulls())
    bad_mask = pl.col("problems").list.len() > 0
    bad = parsed.filter(bad_mask).select("row", "problems")
    good = parsed.filter(~bad_mask).drop("problems", "priority_text", "first_response_minutes")
    return Tickets(good, bad, frame.height, fields)


def _check_relations(parsed: pl.DataFrame, procedures: Mapping[str, Procedure],
                     options: ReadOptions) -> pl.DataFrame:
    """Problems between fields and against the procedures: order of times, the procedure
    and priority known, ids unique."""
    table = _priority_table(procedures, options.priorities or {})
    with_priority = parsed.with_columns(
        pl.col("priority_text").str.to_lowercase().alias("_key")).join(
        table, on=["procedure", "_key"], how="left", maintain_order="left")
    has_priorities = pl.col("procedure").is_in(
        [p.id for p in procedures.values() if p.priorities])
    checks = [
        pl.when(pl.col("procedure").is_null() | (pl.col("procedure") == ""))
        .then(pl.lit("procedure: missing"))
        .when(~pl.col("procedure").is_in(list(procedures)))
        .then(pl.format("procedure: '{}' is not among the procedures read",
                        pl.col("procedure"))),
        pl.when(pl.col("resolved") < pl.col("created"))
        .then(pl.lit("resolved before created")),
        pl.when(pl.col("first_response") < pl.col("created"))
        .then(pl.lit("first response before created")),
        pl.when(has_priorities & pl.col("priority_text").is_not_null()
                & (pl.col("priority_text") != "") & pl.col("_priority").is_null())
        .then(pl.format("priority: '{}' is not a priority of {}", pl.col("priority_text"),
                        pl.col("procedure"))),
        pl.when(has_priorities & (pl.col("priority_text").is_null()
                                  | (pl.col("priority_text") == "")))
        .then(pl.lit("priority: missing")),
        pl.when(pl.col("id").is_duplicated() & (pl.col("row") != pl.col("row").min().over("id")))
        .then(pl.format("id: '{}' repeats the ticket of row {}", pl.col("id"),
                        pl.col("row").min().over("id"))),
    ]
    return with_priority.with_columns(
        pl.concat_list([pl.col("problems"), pl.concat_list(checks)]).alias("problems"),
        pl.col("_priority").alias("priority")).drop("_key", "_priority")


def missing_status_columns(frame: pl.DataFrame, wanted: list[str], path: Path) -> None:
    absent = [name for name in wanted if name not in frame.columns]
    if absent:
        raise UsageError(f"{path}: no column {', '.join(repr(a) for a in absent)} in the status "
                         "file; map them with --column id=..., --column status=..., "
                         f"--column at=... (columns found: {', '.join(frame.columns[:20])})")

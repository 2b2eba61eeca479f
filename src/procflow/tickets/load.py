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

import functools
from collections.abc import Callable, Mapping
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
#: the ISO 8601 forms read without --time-format, with the kind of time each gives: "aware"
#: (an offset), "utc" (a Z) or "naive" (read in the zone); " " or "T" between date and time
_ISO_FORMATS = tuple(
    [(f"%Y-%m-%d{t}%H:%M:%S{f}%:z", "aware") for t in "T " for f in ("", "%.f")]
    + [(f"%Y-%m-%d{t}%H:%M%:z", "aware") for t in "T "]
    + [(f"%Y-%m-%d{t}%H:%M:%S{f}Z", "utc") for t in "T " for f in ("", "%.f")]
    + [(f"%Y-%m-%d{t}%H:%M:%S{f}", "naive") for t in "T " for f in ("", "%.f")]
    + [(f"%Y-%m-%d{t}%H:%M", "naive") for t in "T "] + [("%Y-%m-%d", "naive")])


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


def read_raw(path: Path, wanted: list[str]) -> pl.DataFrame:
    """The ``wanted`` columns the export has, read whole (``scan_raw``, collected): for the
    small status-change file."""
    scan, _ = scan_raw(path, wanted)
    try:
        return scan.collect()
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, file_kind(path), error) from None


def scan_raw(path: Path, wanted: list[str]) -> tuple[pl.LazyFrame, list[str]]:
    """The export as a lazy scan (CSV as text) of the ``wanted`` columns it has, and the names
    of all its columns: the rows are parsed while they stream, never held all as text."""
    kind = file_kind(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        if kind in ("csv", "tsv"):
            separator = "\t" if kind == "tsv" else ","
            names = pl.read_csv(path, n_rows=0, separator=separator, infer_schema=False).columns
            scan = pl.scan_csv(path, separator=separator, infer_schema=False,
                               encoding="utf8-lossy")
        elif kind == "jsonl":
            scan = pl.scan_ndjson(path, infer_schema_length=None)
            names = scan.collect_schema().names()
        else:
            scan = pl.scan_parquet(path)
            names = scan.collect_schema().names()
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, kind, error) from None
    return scan.select([c for c in wanted if c in names]), names


def _unreadable(path: Path, kind: str, error: Exception) -> UsageError:
    text = str(error).strip()
    return UsageError(f"{path}: cannot read it as {kind}: "
                      f"{text.splitlines()[0] if text else type(error).__name__}")


def _missing_columns(frame: pl.DataFrame | list[str], columns: ColumnMap,
                     procedure: str | None, path: Path) -> None:
    names = frame if isinstance(frame, list) else frame.columns
    needed = [name for name in REQUIRED] + ([] if procedure else ["procedure"])
    needed += [name for name in columns.explicit if name not in needed]
    absent = [f"{name} ('{columns.column(name)}')" for name in needed
              if columns.column(name) not in names]
    if absent:
        from procflow.findings import did_you_mean

        hints = "".join(did_you_mean(columns.column(name.split(" ")[0]), names)
                        for name in absent[:1])
        raise UsageError(f"{path}: no column for {', '.join(absent)}{hints}; map it with "
                         "--column FIELD=COLUMN or report.columns in procflow.yaml (columns "
                         f"found: {', '.join(names[:20])})")


def text_of(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Utf8).str.strip_chars()


def parse_times(column: pl.Series, name: str, options: ReadOptions
                ) -> tuple[pl.Series, pl.Series | None]:
    """(epoch seconds or null, problem text or null) for the time column ``name``.

    A format that does not match costs as much as one that does, so the format is chosen on
    a sample and the others are tried only on the few values it leaves unparsed."""
    zone = options.timezone
    if isinstance(column.dtype, pl.Datetime):
        moment = column
        if column.dtype.time_zone is None:
            moment = column.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        seconds = moment.dt.epoch("s")
        problem = flag(pl.DataFrame({"x": column}), column.is_not_null() & seconds.is_null(),
                       pl.lit(f"{name}: a time that does not exist in {zone}"))
        return seconds.alias(name), problem
    raw = column.cast(pl.Utf8).str.strip_chars()
    given = raw.is_not_null() & (raw != "")
    if options.time_format:
        aware = "%z" in options.time_format or "%:z" in options.time_format
        formats = [(options.time_format, "aware" if aware else "naive")]
    else:
        formats = list(_ISO_FORMATS)
    text = raw
    sample = text.filter(given).head(200)
    formats.sort(key=lambda item: -_parsed(sample, *item).count())
    fmt, kind = formats[0]
    parsed = _parsed(text, fmt, kind)  # the whole column in the likeliest format
    seconds = _utc_seconds(parsed, kind, zone).alias(name)
    gap = parsed.is_not_null() & seconds.is_null()
    todo = given & parsed.is_null()
    for fmt, kind in formats[1:]:  # the others, on what is left
        if not todo.any():
            break
        index = todo.arg_true()
        parsed = _parsed(text.gather(index), fmt, kind)
        found = _utc_seconds(parsed, kind, zone)
        seconds = seconds.scatter(index, found)
        gap = gap.scatter(index, parsed.is_not_null() & found.is_null())
        todo = given & seconds.is_null() & ~gap
    hint = "" if options.time_format else " (ISO 8601 expected; see --time-format)"
    context = pl.DataFrame({"raw": raw})
    gaps = flag(context, given & gap, pl.format(
        "{}: '{}' does not exist in {} (the clocks jump forward)", pl.lit(name),
        pl.col("raw"), pl.lit(zone)))
    unparsed = flag(context, given & seconds.is_null() & ~gap, pl.format(
        "{}: '{}' is not a time{}", pl.lit(name), pl.col("raw"), pl.lit(hint)))
    return seconds, merge_flags(len(raw), gaps, unparsed)


def flag(context: pl.DataFrame, mask: pl.Series, message: pl.Expr) -> pl.Series | None:
    """The problem text at each row of ``mask`` (``message`` is evaluated on those rows of
    ``context`` only: most rows are good), null elsewhere; None when no row is flagged."""
    mask = mask.fill_null(False)
    if not mask.any():
        return None
    index = mask.arg_true()
    texts = context.select(pl.all().gather(index)).select(message.alias("m"))["m"]
    return pl.repeat(None, context.height, dtype=pl.Utf8, eager=True).scatter(index, texts)


def merge_flags(height: int, *flags: pl.Series | None) -> pl.Series | None:
    """Flags of exclusive problems as one column (the first one set wins)."""
    present = [f for f in flags if f is not None]
    if not present:
        return None
    return pl.select(pl.coalesce(present)).to_series() if len(present) > 1 else present[0]


def _parsed(text: pl.Series, fmt: str, kind: str) -> pl.Series:
    return text.str.to_datetime(fmt, strict=False, time_unit="us",
                                time_zone="UTC" if kind == "aware" else None)


def _utc_seconds(parsed: pl.Series, kind: str, zone: str) -> pl.Series:
    if kind != "aware":
        parsed = parsed.dt.replace_time_zone("UTC" if kind == "utc" else zone,
                                             ambiguous="earliest", non_existent="null")
    return parsed.dt.epoch("s")


def parse_numbers(column: pl.Series, name: str) -> tuple[pl.Series, pl.Series | None]:
    """(value or null, problem text or null): numbers as written, ``,`` as the decimal
    mark too; Zendesk's good/bad for CSAT; out-of-range values are problems."""
    if column.dtype.is_numeric():
        value = column.cast(pl.Float64)
        raw = column.cast(pl.Utf8)
    else:
        raw = column.cast(pl.Utf8)
        value = raw.cast(pl.Float64, strict=False)
        failed = raw.is_not_null() & value.is_null()
        if failed.any():  # the slow way only for what the plain cast did not read
            index = failed.arg_true()
            text = raw.gather(index).str.strip_chars()
            fixed = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
            if name == "csat":
                words = text.str.to_lowercase().replace_strict(
                    _CSAT_WORDS, default=None, return_dtype=pl.Float64)
                fixed = pl.select(pl.coalesce([fixed, words])).to_series()
            value = value.scatter(index, fixed)
        raw = raw.str.strip_chars()
    no_answer = [word for word, score in _CSAT_WORDS.items() if score is None]
    given = raw.is_not_null() & (raw != "")
    if name == "csat":
        given = given & ~raw.str.to_lowercase().is_in(no_answer)
    low, high = _RANGES.get(name, (None, None))
    bounds = f"{low}-{high}" if high is not None else f"at least {low}"
    out_of_range = value.is_nan() | value.is_infinite()
    if low is not None:
        out_of_range = out_of_range | (value < low)
    if high is not None:
        out_of_range = out_of_range | (value > high)
    out_of_range = out_of_range.fill_null(False)
    context = pl.DataFrame({"raw": raw})
    problem = merge_flags(
        len(raw),
        flag(context, given & value.is_null(),
             pl.format("{}: '{}' is not a number", pl.lit(name), pl.col("raw"))),
        flag(context, given & out_of_range,
             pl.format("{}: {} is out of range ({})", pl.lit(name), pl.col("raw"),
                       pl.lit(bounds))))
    kept = pl.select(pl.when(pl.lit(given & ~out_of_range)).then(pl.lit(value))).to_series()
    return kept.alias(name), problem


def _priority_ids(table: pl.DataFrame, procedures: Mapping[str, Procedure],
                  configured: Mapping[str, str]) -> pl.Series:
    """Each row's priority id: the export's value matched, without regard to case, against
    the ids and names of its procedure's priorities and ``report.priorities``."""
    lowered = table["priority_text"].str.to_lowercase()
    context = pl.DataFrame({"procedure": table["procedure"], "key": lowered})
    result = pl.lit(None, dtype=pl.Utf8)
    for procedure in procedures.values():
        if not procedure.priorities:
            continue
        ids = {priority.id for priority in procedure.priorities}
        names: dict[str, str] = {key.strip().lower(): value for key, value in configured.items()
                                 if value in ids}
        for priority in procedure.priorities:
            names.setdefault(priority.name.strip().lower(), priority.id)
            names[priority.id.lower()] = priority.id
        result = pl.when(pl.col("procedure") == procedure.id).then(
            pl.col("key").replace_strict(names, default=None, return_dtype=pl.Utf8)
        ).otherwise(result)
    return context.select(result.alias("priority")).to_series()


_NUMBERS = ("first_response_minutes", "reopened", "contacts", "csat", "nps")


def _best_format(sample: pl.Series, options: ReadOptions) -> tuple[str, str]:
    """The time format (and its kind) that reads most of a sample of a column."""
    if options.time_format:
        aware = "%z" in options.time_format or "%:z" in options.time_format
        return options.time_format, "aware" if aware else "naive"
    text = sample.cast(pl.Utf8).str.strip_chars()
    text = text.filter(text.is_not_null() & (text != ""))
    return max(_ISO_FORMATS, key=lambda item: _parsed(text, *item).count())


def _fast_time(name: str, fmt: str, kind: str, zone: str) -> list[pl.Expr]:
    """Epoch seconds in the likeliest format, and the text of the rows it leaves unread."""
    raw = text_of(name)
    parsed = raw.str.to_datetime(fmt, strict=False, time_unit="us",
                                 time_zone="UTC" if kind == "aware" else None)
    if kind != "aware":
        parsed = parsed.dt.replace_time_zone("UTC" if kind == "utc" else zone,
                                             ambiguous="earliest", non_existent="null")
    seconds = parsed.dt.epoch("s")
    given = raw.is_not_null() & (raw != "")
    return [seconds.alias(name), pl.when(given & seconds.is_null()).then(raw)
            .alias(f"{name}__raw"), (~given).alias(f"{name}__empty")]


def _fast_number(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    """The number as a plain cast reads it, and the text of the rows to look at again (not
    read, or out of range)."""
    value = pl.col(name).cast(pl.Float64, strict=False)
    low, high = _RANGES.get(name, (None, None))
    odd = value.is_null() | value.is_nan() | value.is_infinite()
    if low is not None:
        odd = odd | (value < low)
    if high is not None:
        odd = odd | (value > high)
    raw = pl.col(name).cast(pl.Utf8)
    given = raw.is_not_null() & (raw.str.strip_chars() != "")
    return [value.alias(name), pl.when(given & odd).then(raw).alias(f"{name}__raw")]


def _finish(table: pl.DataFrame, name: str, parse: Callable[[pl.Series], tuple[
        pl.Series, pl.Series | None]]) -> tuple[pl.Series, pl.Series | None]:
    """The column with the rows the fast path left re-read by ``parse`` (all the slow
    forms and the problem texts), and their problems."""
    values = table[name]
    leftover = table[f"{name}__raw"]
    index = leftover.is_not_null().arg_true()
    if not len(index):
        return values, None
    fixed, problems = parse(leftover.gather(index))
    values = values.scatter(index, fixed.cast(values.dtype))
    if problems is None:
        return values, None
    return values, pl.repeat(None, table.height, dtype=pl.Utf8, eager=True).scatter(
        index, problems)


def load_tickets(path: Path, procedures: Mapping[str, Procedure],
                 options: ReadOptions) -> Tickets:
    """Read, map, parse and check a ticket export (see the module docstring)."""
    columns = options.columns
    wanted = sorted({columns.column(name) for name in columns.columns})
    scan, names = scan_raw(path, wanted)
    _missing_columns(names, columns, options.procedure, path)
    renamed = {columns.column(name): name for name in columns.columns
               if columns.column(name) in names}
    fields = frozenset(renamed.values())
    scan = scan.select([pl.col(column).alias(name) for column, name in renamed.items()])
    try:
        schema = scan.collect_schema()
        sample = scan.head(500).collect()
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, file_kind(path), error) from None
    exprs: list[pl.Expr] = [text_of("id").alias("id")]
    exprs.append(pl.lit(options.procedure, dtype=pl.Utf8).alias("procedure")
                 if options.procedure else text_of("procedure").alias("procedure"))
    exprs.append(text_of("priority").alias("priority_text") if "priority" in fields
                 else pl.lit(None, dtype=pl.Utf8).alias("priority_text"))
    typed_times = [name for name in TIME_FIELDS if name in fields
                   and isinstance(schema[name], pl.Datetime)]
    for name in TIME_FIELDS:
        if name in typed_times:
            exprs.append(pl.col(name))
        elif name in fields:
            exprs += _fast_time(name, *_best_format(sample[name], options), options.timezone)
        else:
            exprs.append(pl.lit(None, dtype=pl.Int64).alias(name))
    for name in _NUMBERS:
        exprs += (_fast_number(name, schema[name]) if name in fields
                  else [pl.lit(None, dtype=pl.Float64).alias(name)])
    try:
        table = scan.select(exprs).collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, file_kind(path), error) from None
    height = table.height
    table = table.with_columns(pl.int_range(1, height + 1, dtype=pl.UInt32).alias("row"))
    problems: list[pl.Series | None] = [
        flag(table, table["id"].is_null() | (table["id"] == ""), pl.lit("id: missing"))]
    for name in TIME_FIELDS:
        if name in typed_times:
            seconds, problem = parse_times(table[name], name, options)
            table = table.with_columns(seconds)
            problems.append(problem)
        elif name in fields:
            seconds, problem = _finish(
                table, name, functools.partial(parse_times, name=name, options=options))
            table = table.with_columns(seconds)
            problems.append(problem)
    if "created" in typed_times:
        problems.append(flag(table, table["created"].is_null(), pl.lit("created: missing")))
    else:
        problems.append(flag(table, table["created__empty"], pl.lit("created: missing")))
    for name in _NUMBERS:
        if name in fields:
            value, problem = _finish(table, name, functools.partial(parse_numbers, name=name))
            table = table.with_columns(value)
            problems.append(problem)
    table = table.select(pl.exclude("^.*__(raw|empty)$")).with_columns(
        pl.coalesce([pl.col("first_response"),
                     pl.col("created") + (pl.col("first_response_minutes") * 60).round()
                     .cast(pl.Int64)]).alias("first_response"))
    table, more = _check_relations(table, procedures, options)
    problems += more
    flags = [p for p in problems if p is not None]
    if flags:
        found = pl.DataFrame({f"p{i}": f for i, f in enumerate(flags)}).with_columns(
            table["row"])
        bad_mask = found.select(pl.any_horizontal(pl.exclude("row").is_not_null())).to_series()
        bad = found.filter(bad_mask).select(
            "row", pl.concat_list(pl.exclude("row")).list.drop_nulls().alias("problems"))
        good = table.filter(~bad_mask)
    else:
        bad = pl.DataFrame(schema={"row": pl.UInt32, "problems": pl.List(pl.Utf8)})
        good = table
    return Tickets(good.drop("priority_text", "first_response_minutes"), bad, height, fields)


def _check_relations(table: pl.DataFrame, procedures: Mapping[str, Procedure],
                     options: ReadOptions) -> tuple[pl.DataFrame, list[pl.Series | None]]:
    """The priority ids, and the problems between fields and against the procedures: the
    order of times, the procedure and priority known, ids unique."""
    table = table.with_columns(_priority_ids(table, procedures, options.priorities or {}))
    known = list(procedures)
    with_priorities = [p.id for p in procedures.values() if p.priorities]
    masks = table.select(
        no_procedure=pl.col("procedure").is_null() | (pl.col("procedure") == ""),
        unknown=~pl.col("procedure").is_in(known),
        resolved_early=(pl.col("resolved") < pl.col("created")).fill_null(False),
        answered_early=(pl.col("first_response") < pl.col("created")).fill_null(False),
        needs_priority=pl.col("procedure").is_in(with_priorities),
        no_priority=pl.col("priority_text").is_null() | (pl.col("priority_text") == ""),
        unknown_priority=pl.col("priority").is_null())
    repeated = _repeated(table["id"])
    return table, [
        merge_flags(table.height,
                    flag(table, masks["no_procedure"], pl.lit("procedure: missing")),
                    flag(table, masks["unknown"] & ~masks["no_procedure"], pl.format(
                        "procedure: '{}' is not among the procedures read",
                        pl.col("procedure")))),
        flag(table, masks["resolved_early"], pl.lit("resolved before created")),
        flag(table, masks["answered_early"], pl.lit("first response before created")),
        flag(table, masks["needs_priority"] & ~masks["no_priority"]
             & masks["unknown_priority"], pl.format(
                 "priority: '{}' is not a priority of {}", pl.col("priority_text"),
                 pl.col("procedure"))),
        flag(table, masks["needs_priority"] & masks["no_priority"],
             pl.lit("priority: missing")),
        _repeated_ids(table, repeated) if repeated is not None else None,
    ]


def _repeated(ids: pl.Series) -> pl.Series | None:
    """Which ids occur more than once, or None when all are distinct (decided on 64-bit
    hashes first: hashing strings is cheaper than comparing them, and collisions only add
    candidates that the exact check below drops)."""
    hashes = ids.hash()
    if hashes.n_unique() == len(hashes):
        return None
    candidates = hashes.is_duplicated()
    exact = pl.repeat(False, len(ids), eager=True).scatter(
        candidates.arg_true(), ids.filter(candidates).is_duplicated())
    return exact if exact.any() else None


def _repeated_ids(table: pl.DataFrame, repeated: pl.Series) -> pl.Series | None:
    """Each ticket id given again is a bad row that names the row of its first use."""
    rows = table.select("row", "id").filter(repeated).with_columns(
        pl.col("row").min().over("id").alias("first"))
    later = rows.filter(pl.col("row") != pl.col("first"))
    texts = later.select(pl.format("id: '{}' repeats the ticket of row {}", pl.col("id"),
                                   pl.col("first")))
    index = (later["row"].cast(pl.Int64) - 1)
    return pl.repeat(None, table.height, dtype=pl.Utf8, eager=True).scatter(
        index, texts.to_series())


def missing_status_columns(frame: pl.DataFrame, wanted: list[str], path: Path) -> None:
    absent = [name for name in wanted if name not in frame.columns]
    if absent:
        raise UsageError(f"{path}: no column {', '.join(repr(a) for a in absent)} in the status "
                         "file; map them with --column id=..., --column status=..., "
                         f"--column at=... (columns found: {', '.join(frame.columns[:20])})")

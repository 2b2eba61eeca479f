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

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from procflow.errors import UsageError
from procflow.model import Procedure
from procflow.tickets.blocks import blocks, read_block
from procflow.tickets.columns import REQUIRED, TIME_FIELDS, ColumnMap
from procflow.tickets.zones import ZoneOffsets

SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet", ".pq": "parquet"}
#: the text read for the sample of a CSV export (its first records)
_HEAD_BYTES = 2**16
#: the least share of a CSV export's text in the mapped columns for it to be streamed
STREAM_SHARE = 0.5
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
    """Every row read (``frame``), which of them are good (``good``; None: all), and the bad
    ones (``bad``: row, problems), of ``rows``. The bad rows stay in ``frame`` so that the
    table is not copied to drop a few: the report leaves them out where it copies a
    procedure's rows anyway."""

    frame: pl.DataFrame
    bad: pl.DataFrame
    rows: int
    fields: frozenset[str]  # the fields the export has
    good: pl.Series | None = None


def file_kind(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError(f"{path}: cannot tell the format from the name; use a .csv, .tsv, "
                         ".jsonl, .ndjson or .parquet file")
    return kind


def read_raw(path: Path, wanted: list[str]) -> pl.DataFrame:
    """The ``wanted`` columns the export has, read whole: for the small status-change file."""
    scan, _ = text_scan(path, wanted)
    try:
        return scan.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, file_kind(path), error) from None


def _separator(kind: str) -> str:
    return "\t" if kind == "tsv" else ","


def text_scan(path: Path, wanted: list[str]) -> tuple[pl.LazyFrame, list[str]]:
    """The export as a lazy scan of the ``wanted`` columns it has (CSV as text: no value can
    fail to parse), and the names of all its columns. Collected with the streaming engine,
    the rows are parsed a bounded stretch at a time, on every core."""
    kind = file_kind(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        if kind in ("csv", "tsv"):
            scan = pl.scan_csv(path, separator=_separator(kind),
                               infer_schema=False, encoding="utf8-lossy")
        elif kind == "jsonl":
            scan = pl.scan_ndjson(path, infer_schema_length=None)
        else:
            scan = pl.scan_parquet(path)
        names = scan.collect_schema().names()
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, kind, error) from None
    return scan.select([c for c in wanted if c in names]), names


def first_records(path: Path) -> pl.DataFrame | None:
    """A CSV export's first block of whole records, every column as text (None for JSON
    Lines and Parquet): the sample that picks the time format, and the measure of how wide
    the export is (``text_parts``). Read by ``blocks``: polars' ``head`` of a CSV scan maps
    and touches much of the file, as much memory again as the typed table."""
    kind = file_kind(path)
    if kind not in ("csv", "tsv"):
        return None
    try:
        return read_block(next(blocks(path, _HEAD_BYTES)), _separator(kind), None)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, kind, error) from None


def text_parts(path: Path, scan: pl.LazyFrame, first: pl.DataFrame | None
               ) -> Iterator[pl.LazyFrame]:
    """The export (``scan``, from ``text_scan``) in lazy frames of whole rows: the scan
    itself, unless a CSV file's scanned columns hold under ``STREAM_SHARE`` of the text of
    its first records (``first``, from ``first_records``). polars maps a file it scans, and
    the pages it touched count against the process: for a wide export (many columns not
    reported on) more than the typed table. Such a file is read a block of whole records at
    a time (``blocks``), one block of its text held at a time (measured on a 226 MB export
    of 300,000 tickets and 22 columns: 189 MiB at the peak by blocks, 332 MiB streamed)."""
    if first is None:
        return iter([scan])
    kept = scan.collect_schema().names()
    sizes = first.select(pl.all().str.len_bytes().sum()).row(0, named=True)
    total = sum(size or 0 for size in sizes.values())
    if not total or sum(sizes[c] or 0 for c in kept) >= STREAM_SHARE * total:
        return iter([scan])
    separator = _separator(file_kind(path))
    return (read_block(block, separator, kept).lazy() for block in blocks(path))


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
                ) -> tuple[pl.Series, Flags | None]:
    """(epoch seconds or null, the problems) for the time column ``name``.

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
    return seconds, merge_flags(gaps, unparsed)


@dataclass(frozen=True)
class Flags:
    """Problems of some rows: their positions (0-based) and one text each. Most rows are
    good, so only the flagged ones are held (a full column of mostly empty texts per kind of
    problem would cost more memory than the typed table)."""

    at: pl.Series  # UInt32 positions
    text: pl.Series  # Utf8

    def within(self, positions: pl.Series) -> Flags:
        """These flags, of a subset of rows, placed at the rows' ``positions`` in the whole."""
        return Flags(positions.gather(self.at), self.text)

    def dense(self, height: int) -> pl.Series:
        """The problem text at each of ``height`` rows, null where there is none."""
        return pl.repeat(None, height, dtype=pl.Utf8, eager=True).scatter(self.at, self.text)


def flag(context: pl.DataFrame, mask: pl.Series, message: pl.Expr) -> Flags | None:
    """The problem text of each row of ``mask`` (``message`` is evaluated on those rows of
    ``context`` only); None when no row is flagged."""
    mask = mask.fill_null(False)
    if not mask.any():
        return None
    index = mask.arg_true()
    texts = context.select(pl.all().gather(index)).with_columns(message.alias("m"))["m"]
    return Flags(index, texts)


def merge_flags(*flags: Flags | None) -> Flags | None:
    """Flags of exclusive problems as one (at a row flagged twice, the first one wins)."""
    present = [f for f in flags if f is not None]
    if not present:
        return None
    at, text = present[0].at, present[0].text
    for other in present[1:]:
        new = ~other.at.is_in(at.implode())
        at = pl.concat([at, other.at.filter(new)])
        text = pl.concat([text, other.text.filter(new)])
    return Flags(at, text)


def bad_rows(flags: list[Flags | None], height: int) -> tuple[pl.DataFrame, np.ndarray | None]:
    """The bad rows (row number from 1, every problem in the order of ``flags``) and a mask
    of them over ``height`` rows (None when all rows are good)."""
    present = [f for f in flags if f is not None and len(f.at)]
    if not present:
        return pl.DataFrame(schema={"row": pl.UInt32, "problems": pl.List(pl.Utf8)}), None
    found = pl.DataFrame({
        "at": pl.concat([f.at.cast(pl.UInt32) for f in present]),
        "kind": np.repeat(np.arange(len(present)), [len(f.at) for f in present]),
        "text": pl.concat([f.text.cast(pl.Utf8) for f in present]),
    }).drop_nulls("text").sort("at", "kind")
    mask = np.zeros(height, dtype=bool)
    mask[found["at"].to_numpy()] = True
    bad = found.group_by("at", maintain_order=True).agg(pl.col("text").alias("problems"))
    return bad.select((pl.col("at") + 1).alias("row"), "problems"), mask


def _parsed(text: pl.Series, fmt: str, kind: str) -> pl.Series:
    return text.str.to_datetime(fmt, strict=False, time_unit="us", cache=False,
                                time_zone="UTC" if kind == "aware" else None)


def _utc_seconds(parsed: pl.Series, kind: str, zone: str) -> pl.Series:
    if kind != "aware":
        parsed = parsed.dt.replace_time_zone("UTC" if kind == "utc" else zone,
                                             ambiguous="earliest", non_existent="null")
    return parsed.dt.epoch("s")


def parse_numbers(column: pl.Series, name: str) -> tuple[pl.Series, Flags | None]:
    """(value or null, the problems): numbers as written, ``,`` as the decimal
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
    the ids and names of its procedure's priorities and ``report.priorities``. An export
    has few distinct (procedure, priority) pairs: each is matched once, and every row takes
    its pair's answer by the pair's number (no join that would copy the text columns)."""
    # the categoricals' own codes (null: -1) make one number per (procedure, priority) pair
    codes = [table[name].to_physical().cast(pl.Int64).fill_null(-1).to_numpy()
             for name in ("procedure", "priority_text")]
    width = int(codes[1].max(initial=0)) + 2
    pair = (codes[0] + 1) * width + codes[1] + 1
    del codes
    pairs_series = pl.Series(pair)
    first = pairs_series.arg_unique().to_numpy()  # a row of each pair, in order of appearance
    order = np.argsort(pair[first])
    first, distinct_pairs = first[order], pair[first][order]
    pairs = pl.DataFrame({"procedure": table["procedure"].gather(first).cast(pl.Utf8),
                          "key": table["priority_text"].gather(first).cast(pl.Utf8)
                          .str.to_lowercase()})
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
    answers: pl.Series = pairs.with_columns(result.alias("priority"))["priority"]
    per_row: pl.Series = answers.cast(pl.Categorical).gather(np.searchsorted(distinct_pairs, pair))
    return per_row.alias("priority")


_NUMBERS = ("first_response_minutes", "reopened", "contacts", "csat", "nps")


def _best_format(sample: pl.Series, options: ReadOptions) -> tuple[str, str]:
    """The time format (and its kind) that reads most of a sample of a column."""
    if options.time_format:
        aware = "%z" in options.time_format or "%:z" in options.time_format
        return options.time_format, "aware" if aware else "naive"
    text = sample.cast(pl.Utf8).str.strip_chars()
    text = text.filter(text.is_not_null() & (text != ""))
    return max(_ISO_FORMATS, key=lambda item: _parsed(text, *item).count())


def _zone_table(sample: pl.Series, fmt: str, zone: str) -> ZoneOffsets:
    """The zone table for a column: from a year before its sample's earliest time (exports
    are mostly in order) to two years after today's."""
    years = _parsed(sample.cast(pl.Utf8).str.strip_chars(), fmt, "naive").dt.year()
    first = years.min()
    this_year = dt.date.today().year
    return ZoneOffsets.of(zone, int(first) - 1 if first is not None else this_year - 5,  # type: ignore[arg-type]
                          this_year + 2)


def _fast_time(name: str, fmt: str, zone: ZoneOffsets | None) -> tuple[pl.Expr, pl.Expr]:
    """Epoch seconds in the likeliest format (UTC, or local wall-clock seconds that
    ``zone.to_utc`` converts), and whether the row is left to ``parse_times``: a value it
    does not read or that the zone table cannot convert. The text is not stripped here: a
    value with spaces around it is left over, and ``parse_times`` reads it stripped."""
    raw = pl.col(name).cast(pl.Utf8)
    # no cache of parsed texts: an export's times are nearly all distinct, so the cache
    # is a hash table that costs as much as the parse itself
    parsed = raw.str.to_datetime(fmt, strict=False, time_unit="us", cache=False,
                                 time_zone=None if zone else "UTC")
    seconds = parsed.dt.epoch("s")
    unsure = seconds.is_null() | (zone.unsure(seconds) if zone else pl.lit(False))
    return seconds.alias(name), ((raw != "") & unsure).fill_null(False).alias(_odd(name))


def _fast_number(name: str) -> tuple[pl.Expr, pl.Expr]:
    """The number as a plain cast reads it, and whether the row is to be looked at again (not
    read, or out of range; ``parse_numbers`` tells blank text from a bad number)."""
    value = pl.col(name).cast(pl.Float64, strict=False)
    low, high = _RANGES.get(name, (None, None))
    odd = value.is_null() | value.is_nan() | value.is_infinite()
    if low is not None:
        odd = odd | (value < low)
    if high is not None:
        odd = odd | (value > high)
    raw = pl.col(name).cast(pl.Utf8)
    return value.alias(name), ((raw != "") & odd).fill_null(False).alias(_odd(name))


def _odd(name: str) -> str:
    return f"{name}__odd"


#: whether the fast path left any value of the row
_ANY_ODD = "__any_odd"


def _value(name: str) -> str:
    return f"{name}__value"


def _text(name: str) -> str:
    return f"{name}__text"


def _finish(table: pl.DataFrame, leftover: pl.DataFrame, name: str, parse: Callable[[
        pl.Series], tuple[pl.Series, Flags | None]]) -> tuple[pl.Series, Flags | None]:
    """The column with the rows the fast path left (``leftover``: their row numbers and
    texts) re-read by ``parse`` (all the slow forms and the problem texts), and their
    problems."""
    values = table[name]
    rows = leftover.filter(pl.col(_odd(name)))
    if rows.is_empty():
        return values, None
    index = rows["row"] - 1
    fixed, problems = parse(rows[_text(name)].alias(name))
    values = values.scatter(index, fixed.cast(values.dtype))
    return values, problems.within(index) if problems is not None else None


def load_tickets(path: Path, procedures: Mapping[str, Procedure],
                 options: ReadOptions) -> Tickets:
    """Read, map, parse and check a ticket export (see the module docstring).

    The export (``text_parts``: one scan, or a wide CSV file's blocks) goes through one lazy
    query, collected by the streaming engine, that keeps only the mapped columns, parses
    times and numbers and holds procedures and priorities as categoricals, so the raw text
    table is never built: of the text, only the values the fast path could not read are
    kept, for the exact (slow) parse and the problem messages."""
    columns = options.columns
    wanted = sorted({columns.column(name) for name in columns.columns})
    scan, names = text_scan(path, wanted)
    _missing_columns(names, columns, options.procedure, path)
    renamed = {columns.column(name): name for name in columns.columns
               if columns.column(name) in names}
    fields = frozenset(renamed.values())
    selection = [pl.col(column).alias(name) for column, name in renamed.items()]
    try:
        schema = scan.select(selection).collect_schema()
        first = first_records(path)
        sample = (scan.head(500).collect() if first is None else first.head(500)
                  ).select(selection)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, file_kind(path), error) from None
    exprs: list[pl.Expr] = [text_of("id").alias("id")]
    exprs.append(pl.lit(options.procedure, dtype=pl.Utf8).cast(pl.Categorical).alias("procedure")
                 if options.procedure
                 else text_of("procedure").cast(pl.Categorical).alias("procedure"))
    exprs.append(text_of("priority").cast(pl.Categorical).alias("priority_text")
                 if "priority" in fields
                 else pl.lit(None, dtype=pl.Categorical).alias("priority_text"))
    typed_times = [name for name in TIME_FIELDS if name in fields
                   and isinstance(schema[name], pl.Datetime)]
    zones: dict[str, ZoneOffsets | None] = {}
    reread: list[str] = []  # the columns the fast path may leave rows of
    odd: list[pl.Expr] = []
    for name in TIME_FIELDS:
        if name in typed_times:
            exprs.append(pl.col(name))
        elif name in fields:
            fmt, kind = _best_format(sample[name], options)
            zones[name] = (_zone_table(sample[name], fmt, options.timezone)
                           if kind == "naive" and options.timezone != "UTC" else None)
            fast, odd_expr = _fast_time(name, fmt, zones[name])
            exprs.append(fast)
            odd.append(odd_expr)
            reread.append(name)
        else:
            exprs.append(pl.lit(None, dtype=pl.Int64).alias(name))
    for name in _NUMBERS:
        if name in fields:
            fast, odd_expr = _fast_number(name)
            exprs.append(fast)
            odd.append(odd_expr)
            reread.append(name)
        elif name != "first_response_minutes":
            exprs.append(pl.lit(None, dtype=pl.Float64).alias(name))
    typed = [expr.meta.output_name() for expr in exprs]
    odd_names = [_odd(name) for name in reread]
    del sample
    # parsed once into temporary names beside the texts (the odd flags share the parse), then
    # of the text only the values left to the slow path are kept: as categoricals, whose null
    # costs 4 bytes a row where a null text costs 16
    def query(part: pl.LazyFrame, first_row: int) -> pl.LazyFrame:
        return (part.select(selection).with_row_index("row", offset=first_row)
                .with_columns(*(expr.alias(_value(name)) for expr, name in zip(
                    exprs, typed, strict=True)), *odd)
                .select("row", *(pl.col(_value(name)).alias(name) for name in typed),
                        *odd_names, pl.any_horizontal(odd_names or [pl.lit(False)]
                                                      ).alias(_ANY_ODD),
                        *(pl.when(pl.col(_odd(name))).then(pl.col(name).cast(pl.Utf8))
                          .cast(pl.Categorical).alias(_text(name)) for name in reread)))

    tables: list[pl.DataFrame] = []
    leftovers: list[pl.DataFrame] = []
    try:
        for part in text_parts(path, scan, first):
            parsed = query(part, 1 + sum(t.height for t in tables)).collect(engine="streaming")
            odd_rows = parsed[_ANY_ODD].arg_true()
            # taken Series by Series: a select over the whole frame (the streaming engine's
            # many chunks) was measured to raise the peak memory by half the typed table
            leftovers.append(pl.DataFrame(
                [parsed[name].gather(odd_rows) for name in ("row", *odd_names)]
                + [parsed[_text(name)].gather(odd_rows).cast(pl.Utf8) for name in reread]))
            tables.append(pl.DataFrame([parsed[name] for name in ("row", *typed)]))
            del parsed
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        raise _unreadable(path, file_kind(path), error) from None
    table = pl.concat(tables, rechunk=False)
    leftover = pl.concat(leftovers)
    del tables, leftovers
    height = table.height
    problems: list[Flags | None] = [
        flag(table, table["id"].is_null() | (table["id"] == ""), pl.lit("id: missing"))]
    for name in TIME_FIELDS:
        if name in typed_times:
            seconds, problem = parse_times(table[name], name, options)
        elif name in fields:
            zone = zones[name]
            if zone is not None:
                table = table.with_columns(zone.to_utc(table[name]))
            seconds, problem = _finish(
                table, leftover, name, functools.partial(parse_times, name=name, options=options))
        else:
            continue
        table = table.with_columns(seconds)
        problems.append(problem)
        if name == "created":  # no time and no problem with it: none was given
            flagged = problem.at if problem is not None else pl.Series([], dtype=pl.UInt32)
            missing = seconds.is_null().to_numpy().copy()
            missing[flagged.to_numpy()] = False
            problems.append(flag(table, pl.Series(missing), pl.lit("created: missing")))
    for name in _NUMBERS:
        if name in fields:
            value, problem = _finish(table, leftover, name,
                                     functools.partial(parse_numbers, name=name))
            table = table.with_columns(value)
            problems.append(problem)
    del leftover
    if "first_response_minutes" in fields:
        table = table.with_columns(pl.coalesce([
            pl.col("first_response"), pl.col("created") + (
                pl.col("first_response_minutes") * 60).round().cast(pl.Int64)
        ]).alias("first_response")).drop("first_response_minutes")
    table, more = _check_relations(table, procedures, options)
    problems += more
    bad, bad_mask = bad_rows(problems, height)
    table = table.drop("priority_text")
    good = None if bad_mask is None else pl.Series("good", ~bad_mask)
    return Tickets(table, bad, height, fields, good)


def _check_relations(table: pl.DataFrame, procedures: Mapping[str, Procedure],
                     options: ReadOptions) -> tuple[pl.DataFrame, list[Flags | None]]:
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
        merge_flags(flag(table, masks["no_procedure"], pl.lit("procedure: missing")),
                    flag(table, masks["unknown"] & ~masks["no_procedure"], pl.format(
                        "procedure: '{}' is not among the procedures read",
                        pl.col("procedure").cast(pl.Utf8)))),
        flag(table, masks["resolved_early"], pl.lit("resolved before created")),
        flag(table, masks["answered_early"], pl.lit("first response before created")),
        flag(table, masks["needs_priority"] & ~masks["no_priority"]
             & masks["unknown_priority"], pl.format(
                 "priority: '{}' is not a priority of {}", pl.col("priority_text").cast(pl.Utf8),
                 pl.col("procedure").cast(pl.Utf8))),
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


def _repeated_ids(table: pl.DataFrame, repeated: pl.Series) -> Flags | None:
    """Each ticket id given again is a bad row that names the row of its first use."""
    rows = table.select("row", "id").filter(repeated).with_columns(
        pl.col("row").min().over("id").alias("first"))
    later = rows.filter(pl.col("row") != pl.col("first"))
    texts = later.select(pl.format("id: '{}' repeats the ticket of row {}", pl.col("id"),
                                   pl.col("first")))
    return Flags(later["row"] - 1, texts.to_series())


def missing_status_columns(frame: pl.DataFrame, wanted: list[str], path: Path) -> None:
    absent = [name for name in wanted if name not in frame.columns]
    if absent:
        raise UsageError(f"{path}: no column {', '.join(repr(a) for a in absent)} in the status "
                         "file; map them with --column id=..., --column status=..., "
                         f"--column at=... (columns found: {', '.join(frame.columns[:20])})")

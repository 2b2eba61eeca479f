#!/usr/bin/env python3
"""Generate a realistic service-desk ticket export for ``procflow report``:

    python bench/gen_tickets.py OUT.csv --tickets 1000000 [--statuses OUT-statuses.csv]

Tickets of the bundled procedures (procedures/), created mostly in business hours on
weekdays (Europe/Warsaw, naive local times as most exports write them) over ``--months``
months; first responses and resolutions drawn from log-normal delays so that a share of them
breaches the SLAs; the last weeks still partly open; CSAT (1-5) and NPS (0-10) for a share of
the tickets, contacts until resolution and reopen counts; and ``--bad-share`` of bad rows
(unparseable times, resolved before created, unknown priorities). The format follows the
suffix: .csv, .jsonl or .parquet. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import polars as pl

#: procedure id -> (share of the tickets, priorities with their shares, typical seconds to
#: first response, typical seconds from first response to resolution)
PROCEDURES = {
    "complaint-handling": (0.45, {"p1": 0.2, "p2": 0.8}, 1.2 * 3600, 3 * 86_400),
    "vyrizeni-dotazu": (0.30, {}, 2 * 3600, 5 * 3600),
    "phone-request": (0.15, {}, 15, 8 * 60),
    "it-access-request": (0.10, {}, 2 * 3600, 2 * 86_400),
}
ZONE = "Europe/Warsaw"
HOUR = 3600


def _arrivals(rng: np.random.Generator, count: int, start: dt.date, months: int) -> np.ndarray:
    """Local naive times (epoch seconds as if UTC): 85% in Mon-Fri 8-16, the rest anytime."""
    days = (dt.date(start.year + (start.month - 1 + months) // 12,
                    (start.month - 1 + months) % 12 + 1, 1) - start).days
    base = int(dt.datetime.combine(start, dt.time()).replace(tzinfo=dt.timezone.utc).timestamp())
    weekdays = np.array([d for d in range(days) if (start + dt.timedelta(d)).weekday() < 5])
    business = rng.random(count) < 0.85
    day = np.where(business, rng.choice(weekdays, count), rng.integers(0, days, count))
    second = np.where(business, rng.integers(8 * HOUR, 16 * HOUR, count),
                      rng.integers(0, 24 * HOUR, count))
    return np.sort(base + day * 86_400 + second)


def _format(seconds: np.ndarray, missing: np.ndarray) -> pl.Series:
    times = pl.from_epoch(pl.Series(seconds), "s").dt.strftime("%Y-%m-%d %H:%M:%S")
    return pl.select(pl.when(pl.Series(~missing)).then(times)).to_series()


def generate(count: int, *, seed: int = 7, start: dt.date = dt.date(2026, 1, 1),
             months: int = 12, bad_share: float = 0.002, open_days: int = 10,
             procedure: str | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ticket table and its status changes ("Waiting for customer" pauses)."""
    rng = np.random.default_rng(seed)
    names = [procedure] if procedure else list(PROCEDURES)
    shares = np.array([PROCEDURES[name][0] for name in names])
    chosen = rng.choice(len(names), count, p=shares / shares.sum())
    procedure_ids = np.array(names)[chosen]
    priority = np.full(count, "", dtype=object)
    for index, name in enumerate(names):
        levels = PROCEDURES[name][1]
        if levels:
            mask = chosen == index
            priority[mask] = rng.choice(list(levels), int(mask.sum()), p=list(levels.values()))
    created = _arrivals(rng, count, start, months)
    rng.shuffle(created)
    to_first = np.array([PROCEDURES[name][2] for name in names])[chosen]
    to_resolve = np.array([PROCEDURES[name][3] for name in names])[chosen]
    first = created + (to_first * rng.lognormal(0, 1.0, count)).astype(np.int64)
    resolved = first + (to_resolve * rng.lognormal(0, 0.9, count)).astype(np.int64)
    end = created.max()
    recent = created > end - open_days * 86_400
    still_open = recent & (rng.random(count) < 0.5)
    unanswered = still_open & (rng.random(count) < 0.3)
    contacts = 1 + rng.geometric(0.55, count) - 1
    reopened = (rng.random(count) < 0.06).astype(np.int64)
    csat = np.where(rng.random(count) < 0.3,
                    rng.choice([1, 2, 3, 4, 5], count, p=[0.05, 0.05, 0.1, 0.3, 0.5]), 0)
    nps = np.where(rng.random(count) < 0.2, rng.choice(11, count,
                   p=[.02, .01, .02, .03, .04, .06, .07, .12, .18, .2, .25]), -1)
    frame = pl.DataFrame({
        "id": [f"T{number:07d}" for number in range(1, count + 1)],
        "procedure": procedure_ids,
        "priority": priority.astype(str),
        "created": _format(created, np.zeros(count, dtype=bool)),
        "first_response": _format(first, unanswered),
        "resolved": _format(resolved, still_open),
        "reopened": reopened,
        "contacts": np.where(still_open, 0, contacts),
        "csat": pl.Series(csat).replace(0, None),
        "nps": pl.Series(nps).replace(-1, None),
    })
    frame = _spoil(frame, rng, bad_share)
    waiting = rng.random(count) < 0.15  # a share waits for the customer once
    wait_start = first + (rng.random(count) * 4 * HOUR).astype(np.int64)
    wait_end = wait_start + (rng.lognormal(np.log(6 * HOUR), 0.8, count)).astype(np.int64)
    pick = np.flatnonzero(waiting & ~unanswered)
    statuses = pl.DataFrame({
        "id": np.concatenate([frame["id"].to_numpy()[pick]] * 2),
        "status": ["Waiting for customer"] * len(pick) + ["Open"] * len(pick),
        "at": pl.concat([_format(wait_start[pick], np.zeros(len(pick), dtype=bool)),
                         _format(wait_end[pick], np.zeros(len(pick), dtype=bool))]),
    }).sort("id", "at")
    return frame, statuses


def _spoil(frame: pl.DataFrame, rng: np.random.Generator, share: float) -> pl.DataFrame:
    """Make ``share`` of the rows bad in one of three ways a real export shows."""
    count = frame.height
    bad = rng.random(count) < share
    kind = rng.integers(0, 3, count)
    created = frame["created"]
    return frame.with_columns(
        pl.when(pl.Series(bad & (kind == 0))).then(pl.lit("31/13/2026 25:61"))
        .otherwise(created).alias("created"),
        pl.when(pl.Series(bad & (kind == 1))).then(pl.lit("2025-01-01 00:00:00"))
        .otherwise(pl.col("resolved")).alias("resolved"),
        pl.when(pl.Series(bad & (kind == 2)) & (pl.col("priority") != ""))
        .then(pl.lit("urgent!")).otherwise(pl.col("priority")).alias("priority"))


def write(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    elif path.suffix in (".jsonl", ".ndjson"):
        frame.write_ndjson(path)
    else:
        frame.write_csv(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 1, 1))
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--bad-share", type=float, default=0.002)
    parser.add_argument("--procedure", choices=list(PROCEDURES))
    parser.add_argument("--statuses", type=Path, help="also write the status changes here")
    args = parser.parse_args(argv)
    frame, statuses = generate(args.tickets, seed=args.seed, start=args.start,
                               months=args.months, bad_share=args.bad_share,
                               procedure=args.procedure)
    write(frame, args.output)
    if args.statuses:
        write(statuses, args.statuses)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""SLA clock benchmark: 100,000 due times on a business calendar with public holidays (hours
per weekday with a break, Polish holidays, Europe/Warsaw) for starts spread over 5 years,
through the library's ``compute_due``. Target: <= 1 s on one core.

usage: python bench/bench_sla.py [--count N]

Baselines measured in the same run, on the same starts: the same call on the 24x7 clock
(what the business calendar adds), and a bare loop of ``datetime + timedelta`` in the zone
(the least any due-time computation costs in Python). Also shown: a 52-week target against a
1-hour one (the walk is not linear in the target), and building the calendar's 5 years.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import zoneinfo
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table  # noqa: E402
from procflow.model import Calendar, Sla  # noqa: E402
from procflow.sla.calendar import WorkingTime  # noqa: E402
from procflow.sla.due import compute_due  # noqa: E402

CALENDAR = Calendar(id="back-office", timezone="Europe/Warsaw",
                    hours={"mon-thu": ["08:00-12:00", "12:30-16:30"], "fri": "08:00-14:00"},
                    holidays={"country": "PL", "add": ["2026-12-31"]},
                    exceptions={"2027-12-24": "08:00-12:00"})
TARGETS = ("4h", "8h", "2d", "1w", "P2DT4H")
FIRST, YEARS = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), 5


def starts(count: int) -> list[int]:
    rng = random.Random(14)
    span = int(dt.timedelta(days=365 * YEARS).total_seconds())
    first = int(FIRST.timestamp())
    return [first + rng.randrange(span) for _ in range(count)]


def timed(work: Callable[..., object], *args: object) -> float:
    begin = time.perf_counter()
    work(*args)
    return time.perf_counter() - begin


def due_times(slas: list[Sla], calendar: Calendar | None, instants: list[int]) -> None:
    for k, instant in enumerate(instants):
        compute_due(slas[k % len(slas)], calendar, instant)


def bare_loop(instants: list[int]) -> None:
    zone, step = zoneinfo.ZoneInfo("Europe/Warsaw"), dt.timedelta(hours=4)
    for instant in instants:
        (dt.datetime.fromtimestamp(instant, zone) + step).timestamp()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    count = parser.parse_args(argv).count
    instants = starts(count)
    business = [Sla(id="s", target=t, clock="business") for t in TARGETS]
    nonstop = [Sla(id="s", target=t) for t in TARGETS]

    build = timed(lambda: WorkingTime(CALENDAR)._build_years(2025, 2031))
    compute_due(business[0], CALENDAR, instants[0])  # build the cached engine's years once
    compute_due(business[0], CALENDAR, max(instants))
    measured = {"business": timed(due_times, business, CALENDAR, instants),
                "24x7": timed(due_times, nonstop, None, instants),
                "bare": timed(bare_loop, instants)}
    few = instants[:10_000]
    hour = timed(due_times, [Sla(id="s", target="1h", clock="business")], CALENDAR, few)
    year = timed(due_times, [Sla(id="s", target="52w", clock="business")], CALENDAR, few)
    rows = [("measure", "seconds", "ratio"),
            (f"{count:,} due times, business calendar ({', '.join(TARGETS)})",
             f"{measured['business']:.3f}", "1.00"),
            (f"{count:,} due times, 24x7 clock (same call)", f"{measured['24x7']:.3f}",
             f"{measured['business'] / measured['24x7']:.2f}x faster than business"),
            (f"{count:,} bare datetime + timedelta", f"{measured['bare']:.3f}",
             f"business costs {measured['business'] / measured['bare']:.1f}x"),
            ("10,000 due times of 52w vs 1h", f"{year:.3f} / {hour:.3f}",
             f"{year / hour:.2f}"),
            (f"building {YEARS + 2} years of the calendar (holidays included)", f"{build:.3f}",
             "")]
    print(table(rows))
    per_100k = measured["business"] * 100_000 / count
    verdict = "met" if per_100k <= 1.0 else "MISSED"
    print(f"\ntarget: 100,000 due times <= 1 s on one core: {per_100k:.3f} s ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

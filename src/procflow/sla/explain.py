"""What a due time was counted from: the timeline between start and due, and a calendar's days.

Both are lists of plain entries (dicts with ISO 8601 instants carrying their offset), shaped
for ``--format json`` and printed as lines by the CLI.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from procflow.sla.calendar import WorkingTime
from procflow.sla.due import Due, Interval

Entry = dict[str, Any]


def timeline(result: Due) -> list[Entry]:
    """Each stretch counted (``work`` on a business calendar, ``running`` on the 24x7
    clock), each pause, each day without working time, in time order."""
    entries: list[tuple[int, Entry]] = []
    start, end = result.start, result.due
    for low, high in result.pauses:
        if low < end:
            entries.append((low, {"kind": "pause", "from": result.iso(low),
                                  "to": result.iso(min(high, end))}))
    engine = result.engine
    if engine is None:
        counted = _outside_pauses([(start, end)], result.pauses)
    else:
        counted = _outside_pauses(engine.intervals_between(start, end), result.pauses)
        entries += _days_off(engine, start, end)
    kind = "work" if engine is not None else "running"  # working time, or 24x7
    entries += [(low, {"kind": kind, "from": result.iso(low), "to": result.iso(high),
                       "seconds": high - low}) for low, high in counted]
    entries.sort(key=lambda pair: pair[0])
    return [entry for _, entry in entries]


def _outside_pauses(spans: list[Interval], pauses: tuple[Interval, ...]) -> list[Interval]:
    """The parts of ``spans`` that no pause covers (both lists sorted)."""
    kept: list[Interval] = []
    for low, high in spans:
        for pause_low, pause_high in pauses:
            if pause_high <= low or pause_low >= high:
                continue
            if pause_low > low:
                kept.append((low, pause_low))
            low = max(low, pause_high)
            if low >= high:
                break
        if low < high:
            kept.append((low, high))
    return kept


def _days_off(engine: WorkingTime, start: int, end: int) -> list[tuple[int, Entry]]:
    """The local dates from start to due with no working time, and why."""
    first, last = engine.local(start)[0], engine.local(max(start, end - 1))[0]
    found = []
    day = first
    while day <= last:
        if not engine.ranges_on(day):
            found.append((engine.utc(day, 0), day_off_entry(engine, day)))
        day += dt.timedelta(days=1)
    return found


def day_off_entry(engine: WorkingTime, day: dt.date) -> Entry:
    """A date without working time: a holiday (with its name), an exception, or a day off."""
    if day in engine.calendar.exceptions:
        return {"kind": "closed", "date": day.isoformat()}
    is_holiday, name = engine.holiday(day)
    if is_holiday:
        return {"kind": "holiday", "date": day.isoformat(), "name": name}
    return {"kind": "day-off", "date": day.isoformat()}


def calendar_days(engine: WorkingTime, first: dt.date, last: dt.date) -> list[Entry]:
    """Every date from ``first`` to ``last``: its working hours and their length, or why it
    has none."""
    days = []
    day = first
    while day <= last:
        ranges = engine.ranges_on(day)
        if ranges:
            low, high = engine.utc(day, 0), engine.utc(day, 86400)
            seconds = sum(b - a for a, b in _spans(engine, day, ranges) if a < high and b > low)
            entry: Entry = {"kind": "work", "date": day.isoformat(),
                            "hours": [f"{_hhmm(a)}-{_hhmm(b)}" for a, b in ranges],
                            "seconds": seconds}
            if day in engine.calendar.exceptions:
                entry["exception"] = True
            days.append(entry)
        else:
            days.append(day_off_entry(engine, day))
        day += dt.timedelta(days=1)
    return days


def _spans(engine: WorkingTime, day: dt.date, ranges: list[tuple[int, int]]) -> list[Interval]:
    return [(engine.utc(day, a * 60), engine.utc(day, b * 60)) for a, b in ranges]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"

"""When an SLA is due, and when its warning is, for a case that starts at a given instant.

The clock semantics (docs/procedure-format.md, "SLA clocks", says the same for authors):

- On the ``calendar`` clock every second counts: ``d`` is 24 hours, ``w`` 7 days.
- On the ``business`` clock only the calendar's working time counts. A start outside working
  time (at night, on a holiday, in a break) counts from the next working moment. ``h``, ``m``
  and ``s`` are working time. ``d`` is a working day (``w`` five of them): N working days from
  a working moment end at the same local time on the N-th next date that has working time,
  kept within that date's hours (later than its end counts to its end: one working day from
  Wednesday 15:00 before a 08:00-12:00 half-day is due at 12:00 on the half-day). Days are
  counted first, then the hours: ``P2DT4H`` is two working days, then four working hours.
- The due time is the earliest moment at which the target's working time has passed: 8 working
  hours from Tuesday 08:00 on an 08:00-16:00 calendar are due Tuesday 16:00, not Wednesday.
- Pauses stop the clock: the due time moves on by exactly the working time paused.
- The warning (``warn_before``) is due when that much of the SLA's clock is left, read
  backwards from the due time in the same way.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from procflow.durations import Duration
from procflow.errors import UsageError
from procflow.model import Calendar, Sla
from procflow.sla.calendar import WorkingTime, working_time

Interval = tuple[int, int]


@dataclass(frozen=True)
class Due:
    """The answer for one case: instants are UTC epoch seconds."""

    sla: Sla
    calendar: Calendar | None  # the business calendar, or the calendar that gives the zone
    zone: zoneinfo.ZoneInfo
    start: int
    due: int
    warn: int | None
    counted: int  # the target's length on the clock (working seconds on a business clock)
    pauses: tuple[Interval, ...]  # merged, as given (clipped to the start)
    engine: WorkingTime | None  # None on the calendar clock

    def iso(self, instant: int) -> str:
        """An instant as ISO 8601 in the calendar's zone, with its offset."""
        return dt.datetime.fromtimestamp(instant, self.zone).isoformat()


class _Counter:
    """Counted seconds up to an instant, and back: working time, or every second."""

    def __init__(self, engine: WorkingTime | None) -> None:
        self.worked: Callable[[int], int] = engine.worked if engine else (lambda t: t)
        self.instant: Callable[[int], int] = engine.instant if engine else (lambda w: w)


def compute_due(sla: Sla, calendar: Calendar | None, start: int,
                pauses: Sequence[Interval] = (), language: str | None = None) -> Due:
    """The due and warning times of ``sla`` for a case started at ``start``.

    ``calendar`` is the SLA's calendar (required on the business clock; on the calendar clock
    it only gives the time zone). Raises ``CalendarError`` for a calendar that cannot count.
    """
    if sla.clock == "business" and calendar is None:
        raise UsageError(f"SLA '{sla.id}' runs on the business clock but has no calendar: name "
                         "one with calendar:, or set default_calendar in procflow.yaml")
    engine = working_time(calendar, language) if sla.clock == "business" and calendar else None
    zone = zoneinfo.ZoneInfo(calendar.timezone if calendar else "UTC")
    if engine is not None:
        engine.cover(start)
    counter = _Counter(engine)
    merged = merge_pauses(pauses, start)
    counted = target_seconds(sla.target, start, engine)
    due = run_clock(counter, start, counted, merged)
    warn = None
    if sla.warn_before is not None:
        lead = lead_seconds(sla.warn_before, due, engine)
        warn = run_clock(counter, start, max(0, counted - lead), merged)
    return Due(sla, calendar, zone, start, due, warn, counted, tuple(merged), engine)


def target_seconds(target: Duration, start: int, engine: WorkingTime | None) -> int:
    """The length of ``target`` from ``start`` on the clock: working seconds on a business
    calendar (whole working days first, then the hours), else plain seconds."""
    if engine is None:
        return target.total_seconds("calendar")
    moment = engine.next_working(start)
    days = target.days + 5 * target.weeks
    begin = engine.worked(moment)
    end = engine.shift_days(moment, days) if days else begin
    return end - begin + target.seconds


def lead_seconds(lead: Duration, due: int, engine: WorkingTime | None) -> int:
    """How much of the clock ``lead`` is, read backwards from ``due``."""
    if engine is None:
        return lead.total_seconds("calendar")
    days = lead.days + 5 * lead.weeks
    end = engine.worked(due)
    begin = engine.shift_days(due, -days) if days else end
    return max(0, end - begin + lead.seconds)


def run_clock(counter: _Counter, start: int, counted: int, pauses: Sequence[Interval]) -> int:
    """The earliest instant at which ``counted`` seconds have run from ``start``, the paused
    intervals not counting."""
    current, remaining = start, counted
    for pause_start, pause_end in pauses:
        if pause_end <= current:
            continue
        before_pause = counter.worked(max(pause_start, current)) - counter.worked(current)
        if before_pause >= remaining:
            break
        remaining -= before_pause
        current = pause_end
    return max(current, counter.instant(counter.worked(current) + remaining))


def merge_pauses(pauses: Sequence[Interval], start: int) -> list[Interval]:
    """The pauses in order, overlapping ones joined, the parts before ``start`` dropped."""
    merged: list[list[int]] = []
    for low, high in sorted(pauses):
        if high <= start:
            continue
        low = max(low, start)
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


def parse_instant(text: str, zone: zoneinfo.ZoneInfo) -> int:
    """An ISO 8601 date or date and time as an instant; without an offset it is read in
    ``zone``. Fractions of a second are dropped."""
    raw = text.strip()
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z")
                                           else raw)
    except ValueError:
        raise UsageError(f"'{text}' is not an ISO 8601 time: write it like "
                         "2026-12-23T15:30 or 2026-12-23T15:30+01:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return int(moment.timestamp())
    except (OverflowError, ValueError, OSError):
        raise UsageError(f"'{text}' is out of range") from None


def parse_pause(text: str, zone: zoneinfo.ZoneInfo) -> Interval:
    """``FROM/TO`` as an interval of instants."""
    low, slash, high = text.partition("/")
    if not slash:
        raise UsageError(f"pause '{text}': write FROM/TO, such as "
                         "2026-12-28T09:00/2026-12-29T12:00")
    interval = parse_instant(low, zone), parse_instant(high, zone)
    if interval[1] <= interval[0]:
        raise UsageError(f"pause '{text}' ends before it starts")
    return interval

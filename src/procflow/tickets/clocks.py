"""The clock each SLA runs on, as a ``WorkingClock`` over the span the tickets need.

A ``calendar`` clock (24x7) is one interval; a ``business`` clock is the working intervals of
the SLA's calendar (its own ``calendar`` or the project's default).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import numpy as np

from procflow.errors import UsageError
from procflow.model import Calendar, Sla
from procflow.project import Project
from procflow.tickets.worktime import WorkingClock

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Span:
    """The instants (UTC epoch seconds) a report needs its clocks to cover."""

    first: int
    last: int


def sla_calendar(sla: Sla, project: Project) -> Calendar | None:
    """The calendar a business-clock SLA counts on (None for a 24x7 SLA)."""
    if sla.clock != "business":
        return None
    calendar = project.calendar(sla.calendar)
    if calendar is None:
        raise UsageError(f"SLA '{sla.id}' runs on business hours but names no calendar the "
                         "project defines (set calendar: on the SLA or default_calendar: in "
                         "procflow.yaml)")
    return calendar


def calendar_clock(calendar: Calendar, span: Span) -> WorkingClock:
    """The working intervals of ``calendar`` from the day before ``span.first`` to well after
    ``span.last`` (targets of open tickets reach beyond the last ticket)."""
    zone = zoneinfo.ZoneInfo(calendar.timezone)
    start_hour, end_hour = calendar.hours.split("-")
    opens, closes = dt.time.fromisoformat(start_hour), _end_time(end_hour)
    day = dt.datetime.fromtimestamp(span.first, zone).date() - dt.timedelta(days=1)
    stop = dt.datetime.fromtimestamp(span.last, zone).date() + dt.timedelta(days=400)
    holidays = set(calendar.holidays)
    working = {_WEEKDAYS.index(name) for name in calendar.days}
    starts: list[int] = []
    ends: list[int] = []
    while day <= stop:  # one step per day of the span, not per ticket
        if day.weekday() in working and day not in holidays:
            starts.append(int(dt.datetime.combine(day, opens, zone).timestamp()))
            close_day = day + dt.timedelta(days=1) if closes is None else day
            ends.append(int(dt.datetime.combine(close_day, closes or dt.time(0), zone)
                            .timestamp()))
        day += dt.timedelta(days=1)
    return WorkingClock.from_intervals(np.array(starts, dtype=np.int64),
                                       np.array(ends, dtype=np.int64))


def _end_time(text: str) -> dt.time | None:
    """``24:00`` is midnight of the next day (None)."""
    return None if text == "24:00" else dt.time.fromisoformat(text)


def sla_clock(sla: Sla, project: Project, span: Span) -> WorkingClock:
    calendar = sla_calendar(sla, project)
    if calendar is None:
        return WorkingClock.always(span.first - 86_400, span.last + 400 * 86_400)
    return calendar_clock(calendar, span)


def target_seconds(sla: Sla, project: Project) -> int:
    """The SLA's target in seconds of its clock (working seconds on a business clock)."""
    calendar = sla_calendar(sla, project)
    if calendar is None:
        return sla.target.total_seconds("calendar")
    return sla.target.total_seconds("business", calendar.workday_seconds())

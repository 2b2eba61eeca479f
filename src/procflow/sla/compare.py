"""How a calendar's change moves the SLAs that run on it (for ``procflow diff``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from procflow.model import Calendar, PublicHolidays
from procflow.sla.calendar import CalendarError, WorkingTime

Effect = Literal["more", "less", "same", "mixed"]
#: the years compared when no date in either calendar names other years
YEARS_AHEAD = 4


def changed_parts(old: Calendar, new: Calendar) -> list[str]:
    """What differs between two versions of a calendar, in words."""
    parts = []
    if (old.hours, old.days) != (new.hours, new.days):
        parts.append("hours")
    if old.holidays != new.holidays:
        parts.append("holidays")
    if old.exceptions != new.exceptions:
        parts.append("exceptions")
    if old.timezone != new.timezone:
        parts.append("time zone")
    return parts


def working_time_effect(old: Calendar, new: Calendar, today: dt.date) -> Effect | None:
    """Whether ``new`` has more working time than ``old`` on every date (``more``), less
    (``less``), the same, or some of each (``mixed``), from ``today``'s year over the next few and
    every year either calendar names a date in. None when it cannot be decided (another time
    zone moves every working hour, or a calendar that cannot count)."""
    if old.timezone != new.timezone:
        return None
    try:
        engines = WorkingTime(old), WorkingTime(new)
    except CalendarError:
        return None
    this_year = today.year
    years = {this_year, this_year + YEARS_AHEAD} | _years(old) | _years(new)
    more = less = False
    day, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    while day <= last:
        before, after = (engine.ranges_on(day) for engine in engines)
        if before != after:
            more = more or not _covers(before, after)
            less = less or not _covers(after, before)
        day += dt.timedelta(days=1)
    return "mixed" if more and less else "more" if more else "less" if less else "same"


def _years(calendar: Calendar) -> set[int]:
    dates = list(calendar.exceptions)
    if isinstance(calendar.holidays, PublicHolidays):
        dates += calendar.holidays.add + calendar.holidays.remove
    else:
        dates += calendar.holidays
    return {day.year for day in dates}


def _covers(outer: list[tuple[int, int]], inner: list[tuple[int, int]]) -> bool:
    """Whether every minute of ``inner`` is in ``outer`` (both sorted, disjoint)."""
    return all(any(a <= low and high <= b for a, b in outer) for low, high in inner)

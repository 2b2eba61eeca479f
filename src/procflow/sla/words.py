"""A calendar and an SLA in words, for the pages: "Mon–Thu 8:00–16:30 with a break,
Fri 8:00–14:00; public holidays (Poland); time zone Europe/Warsaw", and worked examples
computed by the engine ("received Friday 15:30 → due Monday 11:30").

``labels`` is the page's ``procflow.render.i18n.Labels``; weekday and country names come from
CLDR through Babel, in ``labels.language``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from procflow.locales import locale_of
from procflow.model import WEEKDAYS, Calendar, PublicHolidays, Sla
from procflow.sla.calendar import CalendarError, calendar_problems
from procflow.sla.due import REFERENCE_WEEK, compute_due

#: the moments of the reference week the examples start at: Wednesday 10:00, Friday 15:30
EXAMPLE_STARTS = ((2, 10 * 3600), (4, 15 * 3600 + 30 * 60))


def _locale(labels: Any) -> Any:
    return locale_of(labels.language) or locale_of("en")


def _time(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def describe_calendar(calendar: Calendar, labels: Any) -> str:
    """The calendar's week, holidays, exceptions and zone in one line of the page's language."""
    locale = _locale(labels)
    short = locale.days["format"]["abbreviated"]
    week = calendar.week()
    groups: list[tuple[list[int], list[tuple[int, int]]]] = []
    for index, day in enumerate(WEEKDAYS):
        ranges = sorted(r for r in week[day] if r[0] < r[1])
        if not ranges:
            continue
        if groups and groups[-1][1] == ranges and groups[-1][0][-1] == index - 1:
            groups[-1][0].append(index)
        else:
            groups.append(([index], ranges))
    spans = []
    for days, ranges in groups:
        named = short[days[0]] if len(days) == 1 else f"{short[days[0]]}–{short[days[-1]]}"
        text = f"{named} {_time(ranges[0][0] * 60)}–{_time(ranges[-1][1] * 60)}"
        if len(ranges) > 1:
            text += " " + labels("with_break" if len(ranges) == 2 else "with_breaks")
        spans.append(text)
    parts = [", ".join(spans)]
    if isinstance(calendar.holidays, PublicHolidays):
        country = locale.territories.get(calendar.holidays.country, calendar.holidays.country)
        if calendar.holidays.subdivision:
            country += f", {calendar.holidays.subdivision}"
        parts.append(labels("public_holidays", country=country))
    elif calendar.holidays:
        parts.append(labels("listed_days_off", n=len(calendar.holidays)))
    if calendar.exceptions:
        parts.append(labels("calendar_exceptions", n=len(calendar.exceptions)))
    parts.append(labels("time_zone", zone=calendar.timezone))
    return "; ".join(parts)


def worked_examples(sla: Sla, calendar: Calendar | None, labels: Any) -> list[str]:
    """Two cases computed by the engine on a regular week (no holidays): received on
    Wednesday 10:00 and on Friday 15:30, each with its due time."""
    if sla.clock == "business" and (calendar is None or calendar_problems(calendar)):
        return []
    if calendar is not None and calendar_problems(calendar):
        calendar = None  # on the 24x7 clock the calendar only gives the zone
    locale = _locale(labels)
    wide = locale.days["format"]["wide"]
    found = []
    for weekday, seconds in EXAMPLE_STARTS:
        day = REFERENCE_WEEK + dt.timedelta(days=weekday)
        try:
            result = compute_due(sla, calendar, _instant(calendar, day, seconds),
                                 with_holidays=False)
        except CalendarError:
            return []
        due = dt.datetime.fromtimestamp(result.due, result.zone)
        later = (due.date() - day).days
        due_text = f"{wide[due.weekday()]} {_time(due.hour * 3600 + due.minute * 60 + due.second)}"
        if later >= 7:
            due_text += f" (+{later} d)"
        found.append(labels("sla_example", start=f"{wide[weekday]} {_time(seconds)}",
                            due=due_text))
    return found


def _instant(calendar: Calendar | None, day: dt.date, seconds: int) -> int:
    import zoneinfo

    zone = zoneinfo.ZoneInfo(calendar.timezone if calendar else "UTC")
    moment = dt.datetime.combine(day, dt.time(seconds // 3600, seconds % 3600 // 60), zone)
    return int(moment.timestamp())

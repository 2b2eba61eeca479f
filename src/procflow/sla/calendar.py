"""The working-time model of a calendar: working intervals as UTC instants, counted.

A ``WorkingTime`` is built year by year (local years of the calendar's zone) as a question
needs them: for each local date, the date's exception if it has one, else nothing on a holiday,
else the weekday's hours. Each local range becomes two UTC instants through ``zoneinfo``, so an
hour of work is an hour of real time across a DST change (a boundary written in the skipped
spring hour is read as the wall time it becomes, 02:30 -> 03:30; one in the repeated autumn hour
as its first occurrence). The table keeps, per interval, the working seconds counted before it:
``worked`` and ``instant`` are then one bisect each, so a 52-week target costs what a 1-hour one
does.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass, field

from procflow.errors import ProcflowError
from procflow.model import WEEKDAYS, Calendar, PublicHolidays, day_ranges

#: how far a computation may walk from the year it starts in (a bound on the work, and on a
#: calendar whose working time runs out)
MAX_YEARS = 200
_EPOCH = dt.date(1970, 1, 1).toordinal()


class CalendarError(ProcflowError):
    """A calendar that cannot count working time (no working time, bad ranges, unknown
    country), or a question beyond what it covers."""


@dataclass(frozen=True)
class Problem:
    """A fault of a calendar: the rule code that reports it, the message, and the path of the
    offending node inside the calendar's mapping."""

    code: str
    message: str
    path: tuple[str | int, ...]


def calendar_problems(calendar: Calendar) -> list[Problem]:
    """Everything that makes ``calendar`` unable to count working time as written."""
    return list(_problems(calendar.model_dump_json(exclude_unset=True)))


@functools.lru_cache(maxsize=256)
def _problems(key: str) -> tuple[Problem, ...]:
    return tuple(_find_problems(Calendar.model_validate_json(key)))


def _find_problems(calendar: Calendar) -> list[Problem]:
    found: list[Problem] = []
    what = f"calendar '{calendar.id}'"
    places: list[tuple[str, tuple[str | int, ...], str | list[str]]]
    if isinstance(calendar.hours, dict):
        places = [(f"hours of {key}", ("hours", key), value)
                  for key, value in calendar.hours.items()]
    else:
        places = [("hours", ("hours",), calendar.hours)]
    places += [(f"exception {day.isoformat()}", ("exceptions", day.isoformat()), value)
               for day, value in calendar.exceptions.items()]
    for label, path, value in places:
        found += _range_problems(what, label, path, value)
    if not any(start < end for ranges in calendar.week().values() for start, end in ranges):
        found.append(Problem("PF109", f"{what} has no working time in its week: every SLA on "
                             "it would never be due; give working hours to at least one day",
                             ("hours",)))
    if isinstance(calendar.holidays, PublicHolidays):
        message = _holiday_source_problem(calendar.holidays)
        if message is not None:
            field = "subdivision" if "subdivision" in message else "country"
            found.append(Problem("PF111", f"{what}: {message}", ("holidays", field)))
    return found


def _range_problems(what: str, label: str, path: tuple[str | int, ...],
                    value: str | list[str]) -> list[Problem]:
    """Reversed ranges and ranges that overlap, in one day's hours."""
    found: list[Problem] = []
    ranges = day_ranges(value)
    texts = [value] if isinstance(value, str) else value
    for index, (start, end) in enumerate(ranges):
        if end <= start:
            at = path if isinstance(value, str) else (*path, index)
            found.append(Problem("PF110", f"{what}: {label}: '{texts[index]}' ends before it "
                                 "starts; write the earlier time first (a range cannot cross "
                                 "midnight: end it at 24:00 and start the next day at 00:00)",
                                 at))
    ordered = sorted((r, k) for k, r in enumerate(ranges) if r[0] < r[1])
    for ((_, end), k1), ((start, _), k2) in zip(ordered, ordered[1:], strict=False):
        if start < end:
            found.append(Problem("PF110", f"{what}: {label}: '{texts[k1]}' and '{texts[k2]}' "
                                 "overlap; join them into one range or leave a break between "
                                 "them", (*path, k2)))
    return found


def _holiday_source_problem(source: PublicHolidays) -> str | None:
    """Why the ``holidays`` package cannot give this country's holidays, or None."""
    import holidays

    supported = holidays.list_supported_countries()
    if source.country not in supported:
        from procflow.findings import did_you_mean

        return (f"no public holidays known for country '{source.country}'"
                f"{did_you_mean(source.country, supported)}; use an ISO 3166-1 code such as "
                "PL, CZ or DE")
    subdivisions = supported[source.country]
    if source.subdivision is not None and source.subdivision not in subdivisions:
        listed = ", ".join(subdivisions[:30]) or "none"
        return (f"country {source.country} has no subdivision '{source.subdivision}' "
                f"(known: {listed})")
    return None


def holiday_language(country: str, language: str | None) -> str | None:
    """The ``holidays`` package's name for ``language`` (``en`` -> ``en_US``) if it has the
    country's holiday names in it, else the country's own language."""
    import holidays

    country_holidays = holidays.country_holidays(country)
    supported = country_holidays.supported_languages
    base = (language or "").replace("_", "-").split("-")[0].lower()
    for candidate in (language, base, f"{base}_US", f"{base}_GB"):
        if candidate in supported:
            return candidate
    return next((name for name in supported if name.split("_")[0] == base),
                country_holidays.default_language)


@dataclass
class IntervalTable:
    """Working intervals in order, as UTC epoch seconds, with the working seconds before each
    (the interface documented in ``procflow.sla``)."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    cumulative: list[int] = field(default_factory=list)


class WorkingTime:
    """The working time of one calendar, counted; extended a year at a time as needed."""

    def __init__(self, calendar: Calendar, language: str | None = None,
                 with_holidays: bool = True) -> None:
        problems = calendar_problems(calendar)
        if problems:
            raise CalendarError(problems[0].message)
        self.calendar = calendar
        self.zone = zoneinfo.ZoneInfo(calendar.timezone)
        self._utc_zone = calendar.timezone in ("UTC", "Etc/UTC")
        week = calendar.week()
        self._week = [sorted(week[day]) for day in WEEKDAYS]
        self._with_holidays = with_holidays
        self._language = language
        self._holiday_years: dict[int, dict[dt.date, str | None]] = {}
        self._reset()

    def _reset(self) -> None:
        self.table = IntervalTable()
        self._cum_ends: list[int] = []
        self._interval_day: list[int] = []  # the index in day_dates of each interval's date
        self.day_dates: list[dt.date] = []  # the local dates that have working time
        self._day_first: list[int] = []  # the first and last interval of each such date
        self._day_last: list[int] = []
        #: per interval, its local start in seconds after midnight; per working day, whether
        #: its UTC offset is one all day (then local times map to instants by adding)
        self._local_start: list[int] = []
        self._day_steady: list[bool] = []
        self._covered_from = 0  # instants from here on are in the built years, less one
        self.first_year = self.last_year = 0

    # ---- building --------------------------------------------------------------------

    def cover(self, instant: int) -> None:
        """Make sure the year of ``instant`` and the one before are built. Call it before a
        computation: building earlier years renumbers the counted seconds."""
        if self.first_year and instant >= self._covered_from:
            return
        year = self.local(instant)[0].year
        if not self.first_year:
            self._build_years(year - 1, year + 1)
        elif year - 1 < self.first_year:
            last = self.last_year
            self._reset()
            self._build_years(year - 1, max(last, year + 1))

    def _extend(self) -> None:
        """One more year at the end; the counted seconds so far stay valid."""
        if self.last_year - self.first_year >= MAX_YEARS or self.last_year >= 9998:
            raise CalendarError(f"calendar '{self.calendar.id}' has no working time left within "
                                f"{MAX_YEARS} years: the due time is out of reach")
        self._build_years(self.last_year + 1, self.last_year + 1)

    def _build_years(self, first: int, last: int) -> None:
        if not self.first_year:
            self.first_year = first
            self._covered_from = self.utc(dt.date(first + 1, 1, 1), 0)
        self.last_year = last
        table = self.table
        for year in range(first, last + 1):
            holidays = self._holidays(year)
            day = dt.date(year, 1, 1)
            while day.year == year:
                ranges = self.ranges_on(day, holidays)
                first_index = len(table.starts)
                for start_minute, end_minute in ranges:
                    start = self.utc(day, start_minute * 60)
                    end = self.utc(day, end_minute * 60)
                    if table.ends:
                        start = max(start, table.ends[-1])
                    if end <= start:
                        continue
                    counted = self._cum_ends[-1] if self._cum_ends else 0
                    table.starts.append(start)
                    self._local_start.append(start_minute * 60)
                    table.ends.append(end)
                    table.cumulative.append(counted)
                    self._cum_ends.append(counted + end - start)
                    self._interval_day.append(len(self.day_dates))
                if len(table.starts) > first_index:
                    self.day_dates.append(day)
                    self._day_first.append(first_index)
                    self._day_last.append(len(table.starts) - 1)
                    self._day_steady.append(self.utc(day, 0) + 86400 == self.utc(day, 86400))
                day += dt.timedelta(days=1)

    def ranges_on(self, day: dt.date, holidays: dict[dt.date, str | None] | None = None
                  ) -> list[tuple[int, int]]:
        """The working ranges of a local date, in minutes after midnight."""
        if day in self.calendar.exceptions:
            return sorted(r for r in day_ranges(self.calendar.exceptions[day]) if r[0] < r[1])
        if holidays is None:
            holidays = self._holidays(day.year)
        if day in holidays:
            return []
        return [r for r in self._week[day.weekday()] if r[0] < r[1]]

    def _holidays(self, year: int) -> dict[dt.date, str | None]:
        """The days off of ``year`` with their names (None: a date written without one)."""
        if year in self._holiday_years:
            return self._holiday_years[year]
        found = self._holiday_years[year] = {}
        if not self._with_holidays:
            return found
        source = self.calendar.holidays
        if isinstance(source, PublicHolidays):
            import holidays

            public = holidays.country_holidays(
                source.country, subdiv=source.subdivision, years=year,
                language=holiday_language(source.country, self._language))
            found.update({day: str(name) for day, name in public.items() if day.year == year})
            for day in source.remove:
                found.pop(day, None)
            dates = source.add
        else:
            dates = source
        found.update({day: None for day in dates if day.year == year})
        return found

    def holiday(self, day: dt.date) -> tuple[bool, str | None]:
        """Whether ``day`` is a day off by the holidays, and its name if it has one."""
        names = self._holidays(day.year)
        return day in names, names.get(day)

    # ---- instants and local time -------------------------------------------------------

    def utc(self, day: dt.date, seconds: int) -> int:
        """The instant of a local date and time (seconds after midnight, up to 86400)."""
        if seconds >= 86400:
            day, seconds = day + dt.timedelta(days=1), seconds - 86400
        if self._utc_zone:
            return (day.toordinal() - _EPOCH) * 86400 + seconds
        hour, rest = divmod(seconds, 3600)
        moment = dt.datetime(day.year, day.month, day.day, hour, rest // 60, rest % 60,
                             tzinfo=self.zone)
        return int(moment.timestamp())

    def local(self, instant: int) -> tuple[dt.date, int]:
        """The local date of an instant and its time of day in seconds."""
        if self._utc_zone:
            days, seconds = divmod(instant, 86400)
            return dt.date.fromordinal(days + _EPOCH), seconds
        moment = dt.datetime.fromtimestamp(instant, self.zone)
        return moment.date(), moment.hour * 3600 + moment.minute * 60 + moment.second

    # ---- counting ----------------------------------------------------------------------

    def worked(self, instant: int) -> int:
        """Working seconds from the start of the built range up to ``instant``."""
        table = self.table
        while not table.ends or instant > table.ends[-1]:
            self._extend()
        k = bisect.bisect_right(table.starts, instant) - 1
        if k < 0:
            return 0
        return table.cumulative[k] + min(instant, table.ends[k]) - table.starts[k]

    def instant(self, counted: int) -> int:
        """The earliest instant at which ``counted`` working seconds have passed."""
        while not self._cum_ends or counted > self._cum_ends[-1]:
            self._extend()
        k = bisect.bisect_left(self._cum_ends, counted)
        return self.table.starts[k] + counted - self.table.cumulative[k]

    def next_working(self, instant: int) -> int:
        """``instant`` if it is working time, else the start of the next working interval."""
        table = self.table
        while not table.ends or instant >= table.ends[-1]:
            self._extend()
        k = bisect.bisect_right(table.starts, instant) - 1
        if k >= 0 and instant < table.ends[k]:
            return instant
        return table.starts[k + 1]

    def shift_days(self, instant: int, days: int) -> int:
        """The working seconds counted at the same local time ``days`` working days after (or
        before, when negative) the working day of ``instant``, kept within that day's working
        time: a later time than the day's end counts to its end, an earlier one to its start.
        """
        table = self.table
        k = max(0, bisect.bisect_right(table.starts, instant) - 1)
        day = self._interval_day[k]
        target = day + days
        while target >= len(self.day_dates):
            self._extend()
        if target < 0:
            return 0
        first, last = self._day_first[target], self._day_last[target]
        if self._day_steady[day] and instant < table.ends[k]:
            time_of_day = self._local_start[k] + instant - table.starts[k]
        else:
            time_of_day = self.local(instant)[1]
        if self._day_steady[target]:
            moment = table.starts[first] - self._local_start[first] + time_of_day
        else:
            moment = self.utc(self.day_dates[target], time_of_day)
        return min(max(self.worked(moment), table.cumulative[first]), self._cum_ends[last])

    def intervals_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """The working intervals that overlap [start, end), clipped to it."""
        table = self.table
        k = max(0, bisect.bisect_right(table.starts, start) - 1)
        found = []
        while k < len(table.starts) and table.starts[k] < end:
            low, high = max(start, table.starts[k]), min(end, table.ends[k])
            if low < high:
                found.append((low, high))
            k += 1
        return found


@functools.lru_cache(maxsize=64)
def _engine(key: str, language: str | None, with_holidays: bool) -> WorkingTime:
    return WorkingTime(Calendar.model_validate_json(key), language, with_holidays)


#: the engines of calendar objects seen, by identity (a calendar is frozen): a due time for
#: a calendar asked again costs no serialisation of it
_SEEN: dict[tuple[int, str | None, bool], tuple[Calendar, WorkingTime]] = {}


def working_time(calendar: Calendar, language: str | None = None,
                 with_holidays: bool = True) -> WorkingTime:
    """The (cached) working-time model of ``calendar``; holiday names in ``language``."""
    key = (id(calendar), language, with_holidays)
    seen = _SEEN.get(key)
    if seen is not None and seen[0] is calendar:
        return seen[1]
    engine = _engine(calendar.model_dump_json(exclude_unset=True), language, with_holidays)
    if len(_SEEN) > 256:
        _SEEN.clear()
    _SEEN[key] = (calendar, engine)
    return engine


def working_intervals(calendar: Calendar, first: dt.date, last: dt.date) -> IntervalTable:
    """The working intervals of the local dates ``first`` to ``last`` (both included), with
    the working seconds counted from ``first`` before each (see ``procflow.sla``)."""
    engine = WorkingTime(calendar)
    engine._build_years(first.year, last.year)
    low = engine.utc(first, 0)
    high = engine.utc(last, 86400)
    table = engine.table
    begin = bisect.bisect_left(table.starts, low)
    stop = bisect.bisect_left(table.starts, high)
    base = table.cumulative[begin] if begin < stop else 0
    return IntervalTable(table.starts[begin:stop], table.ends[begin:stop],
                         [c - base for c in table.cumulative[begin:stop]])

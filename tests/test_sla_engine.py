"""The SLA clock engine: hand-written corners, and property tests against pandas'
CustomBusinessHour (an independent implementation of business-hour arithmetic)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procflow.model import Calendar, Sla
from procflow.sla.calendar import CalendarError, working_intervals, working_time
from procflow.sla.due import compute_due, parse_instant

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")
OFFICE = Calendar(id="office", timezone="Europe/Warsaw", hours={"mon-fri": "08:00-16:00"},
                  holidays={"country": "PL"})
BACK_OFFICE = Calendar(id="back-office", timezone="Europe/Warsaw",
                       hours={"mon-thu": ["08:00-12:00", "12:30-16:30"], "fri": "08:00-14:00"},
                       holidays={"country": "PL", "add": ["2026-12-31"]})
PRAGUE_DESK = Calendar(id="prague-desk", timezone="Europe/Prague", hours="07:00-17:00",
                       holidays={"country": "CZ", "remove": ["2026-12-24"]},
                       exceptions={"2026-12-24": "07:00-12:00"})
ROUND_THE_CLOCK = Calendar(id="nonstop", timezone="Europe/Warsaw", hours="00:00-24:00",
                           days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])


def due(calendar: Calendar | None, start: str, target: str, *, clock: str = "business",
        pauses: tuple[tuple[str, str], ...] = (), warn: str | None = None,
        language: str | None = None) -> tuple[str, str | None]:
    zone = zoneinfo.ZoneInfo(calendar.timezone if calendar else "UTC")
    sla = Sla(id="s", target=target, clock=clock, warn_before=warn)
    result = compute_due(sla, calendar, parse_instant(start, zone),
                         [(parse_instant(a, zone), parse_instant(b, zone)) for a, b in pauses],
                         language)
    return result.iso(result.due), result.iso(result.warn) if result.warn is not None else None


@pytest.mark.parametrize("calendar, start, target, expected", [
    # the README's example: Christmas Eve and two more public holidays, then a weekend
    (OFFICE, "2026-12-23T15:30", "4h", "2026-12-28T11:30:00+01:00"),
    # a start in the break counts from the end of the break
    (BACK_OFFICE, "2026-12-21T12:10", "1h", "2026-12-21T13:30:00+01:00"),
    # the morning runs into the break, which does not count
    (BACK_OFFICE, "2026-12-21T11:00", "2h", "2026-12-21T13:30:00+01:00"),
    # a start on a public holiday (New Year) counts from the next working morning
    (OFFICE, "2027-01-01T10:00", "1h", "2027-01-04T09:00:00+01:00"),
    # a start at night counts from the next working morning
    (OFFICE, "2026-12-22T23:00", "30m", "2026-12-23T08:30:00+01:00"),
    # the last working second ends at the end of the day; the next second is tomorrow's
    (OFFICE, "2026-12-22T15:59:59", "1s", "2026-12-22T16:00:00+01:00"),
    (OFFICE, "2026-12-22T16:00:00", "1s", "2026-12-23T08:00:01+01:00"),
    # exactly a day of work ends at the end of the day (the earliest moment it is done)
    (OFFICE, "2026-12-22T08:00", "8h", "2026-12-22T16:00:00+01:00"),
    # across New Year on the Czech calendar: 1 January, then a weekend
    (PRAGUE_DESK, "2026-12-31T15:00", "3h", "2027-01-04T08:00:00+01:00"),
    # a half-day on 24 December (an exception), then Christmas
    (PRAGUE_DESK, "2026-12-23T16:00", "3h", "2026-12-24T09:00:00+01:00"),
    (PRAGUE_DESK, "2026-12-23T16:00", "7h", "2026-12-28T08:00:00+01:00"),
    # one working day from 15:00 before the half-day ends with the half-day (12:00)
    (PRAGUE_DESK, "2026-12-23T15:00", "1d", "2026-12-24T12:00:00+01:00"),
    # working days: the same local time on the N-th next working date
    (OFFICE, "2026-12-21T10:15", "1d", "2026-12-22T10:15:00+01:00"),
    (OFFICE, "2026-12-23T15:30", "1d", "2026-12-28T15:30:00+01:00"),
    # 1w is five working days: 28, 29, 30, 31 December and (after New Year) 4 January
    (OFFICE, "2026-12-23T15:30", "1w", "2027-01-04T15:30:00+01:00"),
    # P2DT4H: two working days (to 29 Dec 15:30), then four working hours
    (OFFICE, "2026-12-23T15:30", "P2DT4H", "2026-12-30T11:30:00+01:00"),
    # a short Friday: 1 working day from Thursday 15:00 ends at Friday's end, 14:00
    (BACK_OFFICE, "2026-12-17T15:00", "1d", "2026-12-18T14:00:00+01:00"),
])
def test_hand_written_corners(calendar: Calendar, start: str, target: str,
                              expected: str) -> None:
    assert due(calendar, start, target)[0] == expected


def test_spring_dst_change_counts_real_hours() -> None:
    # Warsaw, 29 March 2026: 02:00 becomes 03:00. Four hours of a 24x7 working calendar from
    # 23:00 end at 04:00 local time, four real hours later.
    assert due(ROUND_THE_CLOCK, "2026-03-28T23:00", "4h")[0] == "2026-03-29T04:00:00+02:00"
    night = Calendar(id="night", timezone="Europe/Prague", hours="01:00-05:00",
                     days=["sun"])
    table = working_intervals(night, dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    # the skipped hour is no working time
    assert [b - a for a, b in zip(table.starts, table.ends, strict=True)] == [3 * 3600]
    # a start in the skipped hour is read as the wall time it becomes (02:30 -> 03:30)
    assert due(night, "2026-03-29T02:30", "30m")[0] == "2026-03-29T04:00:00+02:00"


def test_autumn_dst_change_counts_the_repeated_hour() -> None:
    # Prague, 25 October 2026: 03:00 becomes 02:00 again; that Sunday has 25 real hours.
    nonstop = ROUND_THE_CLOCK.model_copy(update={"timezone": "Europe/Prague"})
    table = working_intervals(nonstop, dt.date(2026, 10, 25), dt.date(2026, 10, 25))
    assert sum(b - a for a, b in zip(table.starts, table.ends, strict=True)) == 25 * 3600
    assert due(nonstop, "2026-10-25T01:30", "2h")[0] == "2026-10-25T02:30:00+01:00"
    # working days across the change keep the local time: 1d from Saturday 10:00 is Sunday 10:00
    assert due(nonstop, "2026-10-24T10:00", "1d")[0] == "2026-10-25T10:00:00+01:00"
    warsaw = ROUND_THE_CLOCK
    assert due(warsaw, "2026-10-24T12:00", "24h")[0] == "2026-10-25T11:00:00+01:00"


def test_pauses_move_the_due_time_by_the_working_time_paused() -> None:
    plain = due(BACK_OFFICE, "2026-12-21T09:00", "10h")[0]
    assert plain == "2026-12-22T11:00:00+01:00"
    # paused Monday 10:00-13:00: 2.5 working hours (the break does not count twice)
    paused = due(BACK_OFFICE, "2026-12-21T09:00", "10h",
                 pauses=(("2026-12-21T10:00", "2026-12-21T13:00"),))[0]
    assert paused == "2026-12-22T14:00:00+01:00"
    # a pause outside working time changes nothing; overlapping pauses count once
    night = due(BACK_OFFICE, "2026-12-21T09:00", "10h",
                pauses=(("2026-12-21T18:00", "2026-12-22T07:00"),))[0]
    assert night == plain
    twice = due(BACK_OFFICE, "2026-12-21T09:00", "10h",
                pauses=(("2026-12-21T10:00", "2026-12-21T13:00"),
                        ("2026-12-21T11:00", "2026-12-21T12:00")))[0]
    assert twice == paused
    # on the 24x7 clock a pause adds exactly its length
    assert due(None, "2026-12-21T09:00Z", "2h", clock="calendar",
               pauses=(("2026-12-21T09:30Z", "2026-12-21T10:00Z"),))[0] \
        == "2026-12-21T11:30:00+00:00"


def test_warning_time_is_read_backwards_on_the_clock() -> None:
    assert due(OFFICE, "2026-12-23T15:30", "4h", warn="1h") == \
        ("2026-12-28T11:30:00+01:00", "2026-12-28T10:30:00+01:00")
    # the warning 1h before a due time at 08:30 is the previous working day's last half hour
    assert due(OFFICE, "2026-12-22T15:00", "1h30m", warn="1h")[1] == "2026-12-22T15:30:00+01:00"
    assert due(OFFICE, "2026-12-21T10:00", "3d", warn="1d") == \
        ("2026-12-28T10:00:00+01:00", "2026-12-23T10:00:00+01:00")
    # a warning longer than the target is due at the start
    assert due(OFFICE, "2026-12-21T10:00", "1h", warn="2h")[1] == "2026-12-21T10:00:00+01:00"


def test_a_year_long_target_is_exact() -> None:
    # 52w = 260 working days; on a calendar without holidays that is a year of weekdays, and
    # the due time is the earliest moment with that much working time: the Friday's close
    plain = Calendar(id="plain", hours="09:00-17:00")
    assert due(plain, "2026-01-05T09:00", "52w")[0] == "2027-01-01T17:00:00+00:00"
    assert due(plain, "2026-01-05T10:00", "52w")[0] == "2027-01-04T10:00:00+00:00"
    assert due(OFFICE, "2026-12-23T15:30", "2080h")[0] == \
        due(OFFICE, "2026-12-23T15:30", "260d")[0].replace("15:30", "15:30")


def test_holiday_names_come_in_the_procedure_language() -> None:
    engine = working_time(OFFICE, "pl")
    assert engine.holiday(dt.date(2026, 12, 24)) == (True, "Wigilia Bożego Narodzenia")
    assert working_time(PRAGUE_DESK, "cs").holiday(dt.date(2026, 12, 25)) == \
        (True, "1. svátek vánoční")
    assert working_time(OFFICE, "en").holiday(dt.date(2026, 12, 25))[1] == "Christmas Day"
    # removed from the holidays: a working day
    assert working_time(PRAGUE_DESK).holiday(dt.date(2026, 12, 24))[0] is False


def test_interval_table_for_reports() -> None:
    table = working_intervals(BACK_OFFICE, dt.date(2026, 12, 21), dt.date(2026, 12, 27))
    # Mon-Wed two intervals each, then Christmas Eve, Christmas, a weekend
    assert len(table.starts) == 6
    assert table.cumulative == [0, 4 * 3600, 8 * 3600, 12 * 3600, 16 * 3600, 20 * 3600]
    assert all(a < b for a, b in zip(table.starts, table.ends, strict=True))
    assert dt.datetime.fromtimestamp(table.starts[0], WARSAW).isoformat() == \
        "2026-12-21T08:00:00+01:00"


def test_a_calendar_that_cannot_count_is_refused() -> None:
    closed = Calendar(id="closed", days=[])
    with pytest.raises(CalendarError, match="no working time"):
        working_time(closed)
    reversed_hours = Calendar(id="rev", hours="17:00-09:00")
    with pytest.raises(CalendarError, match="ends before it starts"):
        working_time(reversed_hours)
    with pytest.raises(CalendarError, match="no public holidays known for country 'XX'"):
        working_time(Calendar(id="x", holidays={"country": "XX"}))


def test_due_times_beyond_what_can_be_counted_are_refused() -> None:
    with pytest.raises(CalendarError, match="after the year 9999"):
        due(None, "2026-01-01T00:00Z", "999999999w", clock="calendar")
    with pytest.raises(CalendarError, match="out of reach"):
        due(OFFICE, "2026-01-01T00:00", "99999999w")


def test_the_old_calendar_form_means_the_same() -> None:
    old = Calendar(id="office", timezone="Europe/Warsaw", days=["mon", "tue", "wed"],
                   hours="08:00-16:00", holidays=["2026-12-23"])
    assert old.workday_seconds() == 8 * 3600
    assert due(old, "2026-12-22T15:00", "2h")[0] == "2026-12-28T09:00:00+01:00"


# ---- property tests against pandas ----------------------------------------------------

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@st.composite
def _setups(draw: Any) -> tuple[Any, ...]:
    weekdays = draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
    first = draw(st.integers(0, 20)) * 30  # a start between 00:00 and 10:00, on the half hour
    length = draw(st.integers(1, 12)) * 30
    ranges = [(first, first + length)]
    if draw(st.booleans()):  # a second range after a break
        brk = draw(st.integers(1, 6)) * 15
        second = first + length + brk
        # ending by 23:30: pandas cannot write 24:00 (and later is no time of day at all)
        ranges.append((second, min(second + draw(st.integers(1, 16)) * 30, 23 * 60 + 30)))
    holidays = draw(st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), max_size=40,
                             unique=True))
    start = draw(st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)))
    hours = draw(st.integers(1, 300))
    return sorted(weekdays), ranges, holidays, start.replace(microsecond=0), hours


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_setups())
def test_due_times_agree_with_pandas_custom_business_hour(setup: tuple[Any, ...]) -> None:
    import pandas as pd
    from pandas.tseries.offsets import CustomBusinessHour

    weekdays, ranges, holidays, start, hours = setup
    days = [("mon", "tue", "wed", "thu", "fri", "sat", "sun")[k] for k in weekdays]
    calendar = Calendar(id="c", days=days, hours=[f"{_hhmm(a)}-{_hhmm(b)}" for a, b in ranges],
                        holidays=holidays)
    offset = CustomBusinessHour(n=hours, weekmask=" ".join(_DAY_NAMES[k] for k in weekdays),
                                start=[_hhmm(a) for a, _ in ranges],
                                end=[_hhmm(b) for _, b in ranges],
                                holidays=[d.isoformat() for d in holidays])
    expected = (pd.Timestamp(start) + offset).to_pydatetime().replace(tzinfo=dt.timezone.utc)
    ours = compute_due(Sla(id="s", target=f"{hours}h", clock="business"), calendar,
                       int(start.replace(tzinfo=dt.timezone.utc).timestamp()))
    engine = working_time(calendar)
    theirs = int(expected.timestamp())
    # pandas lands on the next opening where this engine gives the close before it: the same
    # moment of working time. The engine's answer is the earliest instant of that moment.
    assert engine.worked(ours.due) == engine.worked(theirs)
    assert ours.due == engine.instant(engine.worked(theirs))
    assert ours.due - ours.start <= theirs - ours.start


# ---- property tests against a minute-by-minute walk (DST and pauses) -------------------

_BOUNDARIES = [m for m in range(0, 24 * 60 + 1, 30) if not 120 <= m < 180]  # not 02:00-03:00


@st.composite
def _dst_setups(draw: Any) -> tuple[Any, ...]:
    zone = draw(st.sampled_from(["Europe/Warsaw", "Europe/Prague", "America/New_York", "UTC"]))
    weekdays = draw(st.lists(st.sampled_from(list(_DAY_NAMES)), min_size=1, max_size=7,
                             unique=True))
    cuts = sorted(draw(st.lists(st.sampled_from(_BOUNDARIES), min_size=2, max_size=4,
                                unique=True)))
    ranges = [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts) - 1, 2)]
    around = draw(st.sampled_from([dt.datetime(2026, 3, 29), dt.datetime(2026, 10, 25),
                                   dt.datetime(2026, 3, 8), dt.datetime(2026, 11, 1)]))
    start = around + dt.timedelta(minutes=draw(st.integers(-3 * 1440, 1440)))
    holidays = draw(st.lists(st.dates(dt.date(2026, 3, 1), dt.date(2026, 11, 30)), max_size=3))
    minutes = draw(st.integers(1, 20 * 60))
    pauses = []
    for _ in range(draw(st.integers(0, 2))):
        low = start + dt.timedelta(minutes=draw(st.integers(-600, 3000)))
        pauses.append((low, low + dt.timedelta(minutes=draw(st.integers(1, 900)))))
    return zone, weekdays, ranges, start, holidays, minutes, pauses


def _walk(zone: zoneinfo.ZoneInfo, weekdays: list[str], ranges: list[tuple[int, int]],
          holidays: set[dt.date], start: int, minutes: int,
          pauses: list[tuple[int, int]]) -> int:
    """The due time found by walking real minutes and asking each one's local wall time."""
    moment, counted = start, 0
    while counted < minutes:
        local = dt.datetime.fromtimestamp(moment, zone)
        of_day = local.hour * 60 + local.minute
        working = (_DAY_NAMES[local.weekday()] in weekdays and local.date() not in holidays
                   and any(a <= of_day < b for a, b in ranges))
        if working and not any(low <= moment < high for low, high in pauses):
            counted += 1
        moment += 60
    return moment


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dst_setups())
def test_due_times_agree_with_a_minute_walk_across_dst_and_pauses(setup: tuple[Any, ...]
                                                                    ) -> None:
    zone_name, weekdays, ranges, start, holidays, minutes, pauses = setup
    zone = zoneinfo.ZoneInfo(zone_name)
    days = [name.lower() for name in weekdays]
    calendar = Calendar(id="c", timezone=zone_name, days=days, holidays=holidays,
                        hours=[f"{_hhmm(a)}-{_hhmm(b)}" for a, b in ranges])

    def instant(moment: dt.datetime) -> int:
        return int(moment.replace(tzinfo=zone).timestamp())

    paused = [(instant(low), instant(high)) for low, high in pauses]
    ours = compute_due(Sla(id="s", target=f"{minutes}m", clock="business"), calendar,
                       instant(start), paused)
    expected = _walk(zone, weekdays, ranges, set(holidays), instant(start), minutes, paused)
    # the walk stops right after the last minute it counts: the earliest moment, as here
    assert ours.due == expected


# --- many due times at once (the report's clocks) ------------------------------------------------------

_TARGETS = st.sampled_from(["1s", "30m", "4h", "8h", "1d", "2d", "1w", "P2DT4H", "P1DT30M",
                            "3w", "52w"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dst_setups(), _TARGETS, st.sampled_from(["business", "calendar"]),
       st.lists(st.integers(-200 * 86400, 200 * 86400), min_size=1, max_size=60))
def test_many_due_times_at_once_are_the_due_times_one_by_one(
        setup: tuple[Any, ...], target: str, clock: str, offsets: list[int]) -> None:
    """The arrays answer like ``compute_due`` for every start: across DST changes (those
    fall back to it), holidays, breaks and starts at night, on both clocks."""
    from procflow.tickets.clocks import due_times

    zone_name, weekdays, ranges, start, holidays, _, _ = setup
    calendar = Calendar(id="c", timezone=zone_name, days=[d.lower() for d in weekdays],
                        holidays=holidays, hours=[f"{_hhmm(a)}-{_hhmm(b)}" for a, b in ranges])
    first = int(start.replace(tzinfo=zoneinfo.ZoneInfo(zone_name)).timestamp())
    starts = [first + offset for offset in offsets]
    sla = Sla(id="s", target=target, clock=clock)
    assert due_times(sla, calendar, np.array(starts)).tolist() == [
        compute_due(sla, calendar, s).due for s in starts]


def test_many_due_times_of_the_christmas_example() -> None:
    from procflow.tickets.clocks import due_times

    start = parse_instant("2026-12-23T15:30", WARSAW)
    sla = Sla(id="first-response", target="4h", clock="business")
    [due_at] = due_times(sla, OFFICE, np.array([start])).tolist()  # 23 Dec 15:30 -> Christmas, a weekend
    assert due_at == parse_instant("2026-12-28T11:30", WARSAW)
    assert due_times(sla, OFFICE, np.array([], dtype=np.int64)).tolist() == []

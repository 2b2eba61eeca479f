"""``procflow report`` counts working time for a whole ticket table at once; every due time,
warning and met/breached verdict must agree, ticket by ticket, with what ``procflow sla due``
computes for one case (``procflow.sla.due.compute_due``, the function behind the command)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from procflow.model import Calendar, Sla
from procflow.sla.due import compute_due
from procflow.tickets.clocks import Pauses, SlaClock
from procflow.tickets.compute import Verdicts, sla_verdicts, ticket_pauses
from procflow.tickets.statuses import StatusChanges
from procflow.tickets.worktime import WorkingClock

OFFICE = Calendar(id="office", timezone="Europe/Warsaw", hours={"mon-fri": "08:00-16:00"},
                  holidays={"country": "PL"})
BACK_OFFICE = Calendar(id="back-office", timezone="Europe/Warsaw",
                       hours={"mon-thu": ["08:00-12:00", "12:30-16:30"], "fri": "08:00-14:00"},
                       holidays={"country": "PL", "add": ["2026-12-31"]},
                       exceptions={"2026-12-24": "08:00-12:00"})
PRAGUE_DESK = Calendar(id="prague-desk", timezone="Europe/Prague", hours="07:00-17:00",
                       holidays={"country": "CZ"})
START = int(dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc).timestamp())
YEAR = 365 * 86_400


def _tickets(count: int, seed: int) -> tuple[pl.DataFrame, StatusChanges]:
    """Random tickets over a year that crosses both DST changes and Christmas, some answered,
    some open, a share of them with one or two pauses (some overlapping, some still open)."""
    rng = np.random.default_rng(seed)
    created = START + rng.integers(0, YEAR, count)
    stop = created + rng.integers(0, 30 * 86_400, count)
    stop = np.where(rng.random(count) < 0.1, -1, stop)
    frame = pl.DataFrame({"id": [f"T{i}" for i in range(count)], "created": created,
                          "resolved": pl.Series(stop).replace(-1, None)})
    paused = np.flatnonzero(rng.random(count) < 0.4)
    starts = created[paused] + rng.integers(-3600, 5 * 86_400, len(paused))
    ends = starts + rng.integers(60, 3 * 86_400, len(paused))
    twice = paused[: len(paused) // 3]
    second = created[twice] + rng.integers(0, 6 * 86_400, len(twice))
    ends_all: list[int | None] = np.concatenate([ends, second + 7200]).tolist()
    ends_all[0] = None  # a pause still running
    intervals = pl.DataFrame({"id": [f"T{i}" for i in np.concatenate([paused, twice])],
                              "status": "waiting",
                              "start": np.concatenate([starts, second]), "end": ends_all},
                             schema={"id": pl.Utf8, "status": pl.Utf8, "start": pl.Int64,
                                     "end": pl.Int64})
    return frame, StatusChanges(intervals, pl.DataFrame(), 0, frozenset({"waiting"}))


def _engine_pauses(changes: StatusChanges, ticket: str, start: int, stop: int
                   ) -> list[tuple[int, int]]:
    rows = changes.intervals.filter(pl.col("id") == ticket)
    return [(s, min(e if e is not None else stop, stop)) for s, e in
            zip(rows["start"].to_list(), rows["end"].to_list(), strict=True) if min(
                e if e is not None else stop, stop) > max(s, start)]


@pytest.mark.parametrize("calendar, target, warn", [
    (OFFICE, "4h", "1h"),
    (OFFICE, "1d", "2h"),
    (BACK_OFFICE, "P2DT4H", "1d"),
    (BACK_OFFICE, "1w", None),
    (PRAGUE_DESK, "3d", "4h"),
    (None, "14d", "2d"),
])
def test_due_and_warn_agree_with_sla_due_ticket_by_ticket(
        calendar: Calendar | None, target: str, warn: str | None) -> None:
    sla = Sla(id="s", target=target, clock="business" if calendar else "calendar",
              calendar=calendar.id if calendar else None, warn_before=warn)
    frame, changes = _tickets(400, seed=len(target) * 7 + (3 if warn else 0))
    now = START + YEAR + 40 * 86_400
    placed = changes.placed_on(frame)
    verdicts = sla_verdicts(sla, calendar, frame, "resolved", placed, now, sla.warn_before)
    due, warned, stop, is_open = _due_and_warn(sla, calendar, frame, placed, now)
    created = frame["created"].to_list()
    for index, ticket in enumerate(frame["id"].to_list()):
        pauses = _engine_pauses(changes, ticket, created[index], int(stop[index]))
        expected = compute_due(sla, calendar, created[index], pauses)
        assert int(due[index]) == expected.due, (ticket, created[index], pauses)
        if warn:
            assert int(warned[index]) == expected.warn
        _assert_verdicts(verdicts, index, int(stop[index]), now, expected.due,
                         expected.warn if warn else expected.due)


def _due_and_warn(sla: Sla, calendar: Calendar | None, frame: pl.DataFrame,
                  changes: StatusChanges | None, now: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every ticket's due and warning times on the report's vectorised clock, its stop
    (now while open) and whether it is open."""
    created = frame["created"].to_numpy()
    is_open = frame["resolved"].is_null().to_numpy()
    stop = np.where(is_open, np.maximum(now, created), frame["resolved"].fill_null(0).to_numpy())
    clock = SlaClock(sla, calendar, int(created.min()), int(max(stop.max(), now)))
    pauses = ticket_pauses(changes, created, stop)
    counted = clock.counted(sla.target, created)
    due = clock.due(created, counted, pauses)
    warned = due
    if sla.warn_before is not None:
        lead = clock.lead(sla.warn_before, due)
        warned = clock.due(created, np.maximum(0, counted - lead), pauses)
    return due, warned, stop, is_open


def _assert_verdicts(verdicts: Verdicts, index: int, stop: int, now: int, due: int,
                     warn: int) -> None:
    """The report's verdicts on one ticket are those its due and warning times give."""
    is_open = bool(verdicts.is_open[index])
    assert bool(verdicts.met[index]) == (not is_open and stop <= due), index
    assert bool(verdicts.open_breached[index]) == (is_open and now > due), index
    assert bool(verdicts.due_soon[index]) == (is_open and now <= due and now >= warn), index


@pytest.mark.parametrize("now_after_due", [-1, 0, 1, 1800, 16 * 3600])
def test_a_ticket_that_stops_at_its_due_time_or_in_the_closed_hours_after_it(
        now_after_due: int) -> None:
    """The report judges closed tickets by working time, and only ties (exactly the target
    worked) by their due time: resolved at the closing time that is the due time is met,
    resolved in the evening after it is breached, though both worked exactly the target;
    an open ticket is judged at ``now`` the same way."""
    sla = Sla(id="s", target="4h", clock="business", calendar="office", warn_before="1h")
    zone = dt.timezone(dt.timedelta(hours=1))  # Warsaw in winter
    created = [int(dt.datetime(2026, 11, day, 12, 0, tzinfo=zone).timestamp())
               for day in (2, 3, 4, 5)]  # Monday to Thursday, due 16:00 the same day
    due = [c + 4 * 3600 for c in created]
    resolved: list[int | None] = [due[0], due[1] + now_after_due, due[2] + 1800, None]
    frame = pl.DataFrame({"id": ["a", "b", "c", "d"], "created": created,
                          "resolved": resolved}, schema={"id": pl.Utf8, "created": pl.Int64,
                                                         "resolved": pl.Int64})
    now = due[3] + now_after_due
    verdicts = sla_verdicts(sla, OFFICE, frame, "resolved", None, now, sla.warn_before)
    for index in range(4):
        expected = compute_due(sla, OFFICE, created[index], [])
        assert expected.due == due[index]
        stop = resolved[index] if resolved[index] is not None else now
        _assert_verdicts(verdicts, index, stop, now, expected.due, expected.warn)
    assert verdicts.met.tolist()[:3] == [True, now_after_due <= 0, False]
    assert bool(verdicts.open_breached[3]) == (now_after_due > 0)


def test_cumulative_working_time_matches_the_engine_at_every_instant() -> None:
    from procflow.sla.calendar import working_time

    engine = working_time(BACK_OFFICE)
    clock = SlaClock(Sla(id="s", target="1h", clock="business"), BACK_OFFICE, START,
                     START + YEAR).clock
    instants = np.random.default_rng(3).integers(START, START + YEAR, 2000)
    expected = [engine.worked(int(t)) for t in instants]
    assert clock.cumulative(instants).tolist() == expected


def test_working_clock_between_and_moment_are_inverse() -> None:
    clock = WorkingClock.from_intervals(np.array([0, 100, 300]), np.array([50, 200, 400]))
    assert clock.between(np.array([0, 25, 60]), np.array([50, 150, 350])).tolist() == \
        [50, 75, 150]
    assert clock.cumulative(np.array([-5, 75, 250, 1000])).tolist() == [0, 50, 150, 250]
    assert clock.moment(np.array([50, 51, 150])).tolist() == [50.0, 101.0, 200.0]
    assert np.isnan(clock.moment(np.array([251]))[0])


def test_minute_table_finds_the_interval_as_the_sorted_search_does() -> None:
    """A calendar's clock looks instants up in a table per minute; at every interval's
    edges, a second either side, before and after its span and at random, each instant's
    interval and working time must be what the sorted search gives."""
    clock = SlaClock(Sla(id="s", target="1h", clock="business"), BACK_OFFICE, START,
                     START + YEAR).clock
    assert clock._minute_table is not None  # the calendar's intervals start on whole minutes
    edges = np.concatenate([clock.starts, clock.ends])
    instants = np.concatenate([
        edges - 1, edges, edges + 1, edges + 59, edges + 60,
        np.random.default_rng(5).integers(START - YEAR, START + 3 * YEAR, 50_000),
        [-(2**40), 0, 2**40]]).astype(np.int64)
    searched = WorkingClock.from_intervals(clock.starts + 1, clock.ends + 1, clock.cum)
    assert searched._minute_table is None  # not on whole minutes: searched
    assert clock.started(instants).tolist() == \
        np.searchsorted(clock.starts, instants, side="right").tolist()
    assert clock.cumulative(instants).tolist() == \
        (searched.cumulative(instants + 1)).tolist()


def test_overlapping_pauses_are_merged_and_clipped() -> None:
    pauses = Pauses.merged(np.array([0, 0, 0, 1]), np.array([10, 15, 40, 5]),
                           np.array([20, 30, 50, 500]), np.array([0, 0]), np.array([45, 100]))
    assert list(zip(pauses.ticket.tolist(), pauses.start.tolist(), pauses.end.tolist(),
                    strict=True)) == \
        [(0, 10, 30), (0, 40, 45), (1, 5, 100)]


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "Australia/Lord_Howe", "America/Santiago",
                                  "America/St_Johns", "Asia/Kolkata"])
def test_zone_table_converts_naive_times_as_the_exact_conversion_does(zone: str) -> None:
    """The report converts naive times by a table of the zone's offsets; every second near
    each change of offset (gaps, folds, half-hour changes, changes at midnight), and random
    times, must come out as polars' exact ``replace_time_zone`` gives them. The hours the
    table leaves to the exact way are those where the conversion is not steady."""
    from procflow.tickets.zones import ZoneOffsets

    table = ZoneOffsets.of(zone, 2025, 2027)
    rng = np.random.default_rng(3)
    local = rng.integers(table.low - 86_400, table.high + 86_400, 200_000)
    near = (table.changing.to_numpy() * 3600)[:, None] + np.arange(-7200, 7200, 59)
    local = np.concatenate([local, near.ravel(), table.breaks - 1, table.breaks])
    series = pl.Series("t", local, dtype=pl.Int64)
    exact = pl.from_epoch(series, "s").dt.replace_time_zone(
        zone, ambiguous="earliest", non_existent="null").dt.epoch("s")
    unsure = pl.DataFrame({"t": series}).select(table.unsure(pl.col("t"))).to_series()
    sure = ~unsure.to_numpy()
    assert sure.mean() > 0.5
    converted = table.to_utc(series)
    assert converted.filter(pl.Series(sure)).to_list() == exact.filter(pl.Series(sure)).to_list()
    assert exact.filter(pl.Series(sure)).null_count() == 0  # every gap time goes the exact way


def test_bad_status_rows_are_listed_with_every_problem(tmp_path) -> None:
    from procflow.tickets.columns import column_map
    from procflow.tickets.load import ReadOptions
    from procflow.tickets.statuses import load_pauses

    path = tmp_path / "statuses.csv"
    path.write_text("id,status,at\nT1,Waiting,2026-11-02 10:00\n,Waiting,soon\n"
                    "T1,Open,2026-11-02 12:00\nT2,Waiting,\nT2,Waiting,2026-03-29 02:30\n",
                    encoding="utf-8")
    changes = load_pauses(path, ReadOptions(column_map(None, {}, {}), "Europe/Warsaw"),
                          ["waiting"])
    assert changes.bad.to_dicts() == [
        {"row": 2, "problems": ["at: 'soon' is not a time (ISO 8601 expected; see "
                                "--time-format)", "id: missing"]},
        {"row": 4, "problems": ["at: missing"]},
        {"row": 5, "problems": ["at: '2026-03-29 02:30' does not exist in Europe/Warsaw "
                                "(the clocks jump forward)"]}]
    start = int(dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone.utc).timestamp())
    assert changes.intervals.to_dicts() == [
        {"id": "T1", "status": "waiting", "start": start, "end": start + 7200}]


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/Santiago", "Asia/Beirut",
                                  "Australia/Lord_Howe", "UTC"])
def test_months_are_those_of_the_local_calendar_at_every_month_boundary(zone: str) -> None:
    """Tickets are grouped by the month of their creation in the report's zone; a second
    before and at each month's start (some zones change their clocks at midnight) must fall
    in the month polars' per-instant conversion gives."""
    from procflow.tickets.compute import local_midnight, months_of

    starts = [local_midnight(dt.date(2024 + k // 12, k % 12 + 1, 1), zone) for k in range(40)]
    instants = pl.Series("created", [t + d for t in starts for d in (-3601, -1, 0, 1, 3600)]
                         + [None], dtype=pl.Int64)
    exact = pl.from_epoch(instants, "s").dt.convert_time_zone(zone).dt.strftime("%Y-%m")
    assert months_of(instants, zone).to_list() == exact.to_list()


@pytest.mark.parametrize("seed", range(5))
def test_merged_pauses_match_a_plain_walk_in_any_order(seed: int) -> None:
    """Pauses given in any order, overlapping or touching, some reaching before the ticket's
    start or past its stop, come out merged per ticket as a plain walk merges them."""
    rng = np.random.default_rng(seed)
    tickets = 30
    low = rng.integers(-10**6, 10**6, tickets)  # before 1970 too
    high = low + rng.integers(0, 5000, tickets)
    count = 300
    ticket = rng.integers(0, tickets, count)
    start = low[ticket] + rng.integers(-500, 5000, count)
    end = start + rng.integers(0, 800, count)
    pauses = Pauses.merged(ticket, start, end, low, high)
    expected: list[tuple[int, int, int]] = []
    for t in range(tickets):
        spans = sorted((max(int(s), int(low[t])), min(int(e), int(high[t])))
                       for s, e, k in zip(start, end, ticket, strict=True) if k == t)
        for s, e in (span for span in spans if span[1] > span[0]):
            if expected and expected[-1][0] == t and s <= expected[-1][2]:
                expected[-1] = (t, expected[-1][1], max(expected[-1][2], e))
            else:
                expected.append((t, s, e))
    assert list(zip(pauses.ticket.tolist(), pauses.start.tolist(), pauses.end.tolist(),
                    strict=True)) == expected


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "Australia/Lord_Howe", "America/Santiago",
                                  "America/St_Johns", "Asia/Kolkata", "Pacific/Chatham"])
def test_zone_table_tells_local_times_as_the_exact_conversion_does(zone: str) -> None:
    """UTC instants to local wall-clock time by the zone table (the day targets of the
    report's SLAs): every instant it is sure of, random ones and every minute around each
    change of offset, as polars' exact ``convert_time_zone`` gives it."""
    from procflow.tickets.zones import ZoneOffsets

    table = ZoneOffsets.of(zone, 2025, 2027)
    rng = np.random.default_rng(5)
    utc = rng.integers(table.low - 2 * 86_400, table.high + 2 * 86_400, 200_000)
    near = (table.breaks - table.offsets)[:, None] + np.arange(-2 * 86_400, 2 * 86_400, 61)
    utc = np.concatenate([utc, near.ravel()])
    local, unsure = table.to_local(utc)
    exact = pl.from_epoch(pl.Series(utc), "s").dt.convert_time_zone(zone).dt.replace_time_zone(
        None).dt.epoch("s").to_numpy()
    assert (~unsure).mean() > 0.5
    assert (local[~unsure] == exact[~unsure]).all()

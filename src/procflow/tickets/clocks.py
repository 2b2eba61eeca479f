"""Each SLA's clock for a whole ticket table at once, on top of the SLA engine
(``procflow.sla``): the engine builds a calendar's working intervals (hours per weekday,
breaks, public holidays, exceptions, zone); this module turns them into numpy arrays and
answers for every ticket what ``procflow sla due`` answers for one case, with the same
semantics (``procflow.sla.due``): the target's length on the clock (``d`` is a working day
from the first working moment), the due time with pauses taken out, and the warning time.

What the engine lacks for a table, and this module adds on top of it: a vectorised
``shift_days`` (working days counted per ticket) and the due time with pauses as a fixed-point
iteration over all tickets (each round one sorted search; rounds = pauses per ticket + 1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from procflow.durations import Duration
from procflow.errors import UsageError
from procflow.model import Calendar, Sla
from procflow.project import Project
from procflow.tickets.worktime import Seconds, WorkingClock
from procflow.tickets.zones import ZoneOffsets

#: the 24x7 clock's single interval ends here (year 2100): far beyond any due time
_FOREVER = 4_102_444_800


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


@dataclass(frozen=True)
class Pauses:
    """Pause intervals of the tickets of one table: ``ticket`` indexes the table's rows;
    merged per ticket, clipped to its start and stop, in order."""

    ticket: np.ndarray
    start: Seconds
    end: Seconds

    @classmethod
    def empty(cls) -> Pauses:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none)

    def of(self, tickets: np.ndarray) -> Pauses:
        """The pauses of some tickets (ascending positions), placed on a table of those
        tickets only."""
        if not len(self.ticket) or not len(tickets):
            return Pauses.empty()
        place = np.searchsorted(tickets, self.ticket)
        keep = tickets[np.minimum(place, len(tickets) - 1)] == self.ticket
        return Pauses(place[keep], self.start[keep], self.end[keep])

    def rank(self) -> np.ndarray:
        """Each interval's place among its ticket's intervals (0 for the first)."""
        if not len(self.ticket):
            return np.zeros(0, dtype=np.int64)
        first = np.ones(len(self.ticket), dtype=bool)
        first[1:] = self.ticket[1:] != self.ticket[:-1]
        starts = np.flatnonzero(first)
        group = np.cumsum(first) - 1
        rank: np.ndarray = np.arange(len(self.ticket)) - starts[group]
        return rank

    @classmethod
    def merged(cls, ticket: np.ndarray, start: Seconds, end: Seconds, low: Seconds,
               high: Seconds) -> Pauses:
        """Clip each interval to its ticket's [low, high] and join overlapping ones."""
        if not len(ticket):
            return cls.empty()
        start = np.maximum(start, low[ticket])
        end = np.minimum(end, high[ticket])
        keep = end > start
        ticket, start, end = ticket[keep], start[keep], end[keep]
        if not len(ticket):
            return cls.empty()
        if len(ticket) > 1 and not _in_order(ticket, start):
            order = np.lexsort((start, ticket))
            ticket, start, end = ticket[order], start[order], end[order]
        # a new group starts where the ticket changes or the interval begins after the
        # running end of the group so far
        running = _running_max(ticket, end)
        new = np.ones(len(ticket), dtype=bool)
        new[1:] = (ticket[1:] != ticket[:-1]) | (start[1:] > running[:-1])
        first = np.flatnonzero(new)
        group_end = np.maximum.reduceat(end, first)
        return cls(ticket[first], start[first], group_end)


def _in_order(ticket: np.ndarray, start: np.ndarray) -> bool:
    """Whether the intervals are already sorted by ticket, then start."""
    same = ticket[1:] == ticket[:-1]
    return bool(np.all((ticket[1:] > ticket[:-1]) | (same & (start[1:] >= start[:-1]))))


def _running_max(ticket: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per ticket (sorted), the largest ``end`` so far: one running maximum over the whole
    array, with each ticket's values lifted above every earlier ticket's."""
    low = int(end.min())
    width = int(end.max()) - low + 1
    group = np.cumsum(np.concatenate(([0], ticket[1:] != ticket[:-1])))
    if int(group[-1]) * width >= 2**62:  # too wide to lift without overflow
        return pl.DataFrame({"t": ticket, "e": end}).select(
            pl.col("e").cum_max().over("t")).to_series().to_numpy()
    lift = group * width - low
    running: np.ndarray = np.maximum.accumulate(end + lift) - lift
    return running


class SlaClock:
    """The clock of one SLA over the instants a report needs."""

    def __init__(self, sla: Sla, calendar: Calendar | None, first: int, last: int) -> None:
        self.sla = sla
        self.calendar = calendar
        self._first, self._last = first, last
        self.clock = self._build(last)

    def _build(self, last: int) -> WorkingClock:
        if self.calendar is None:
            return WorkingClock.always(self._first - 86_400, _FOREVER)
        from procflow.sla.calendar import working_time

        engine = working_time(self.calendar)
        engine.cover(self._first)
        engine.worked(last)  # extends the engine's table up to ``last``
        table = engine.table
        clock = WorkingClock.from_intervals(np.array(table.starts, dtype=np.int64),
                                            np.array(table.ends, dtype=np.int64),
                                            np.array(table.cumulative, dtype=np.int64))
        self._days(clock)
        return clock

    def _days(self, clock: WorkingClock) -> None:
        """Which working day (local date) each interval belongs to, for ``d`` targets."""
        assert self.calendar is not None
        local = pl.from_epoch(pl.Series(clock.starts), "s").dt.convert_time_zone(
            self.calendar.timezone).dt.date()
        ordinals = local.cast(pl.Int64).to_numpy()
        dates, first_index, interval_day = np.unique(ordinals, return_index=True,
                                                     return_inverse=True)
        self._day_dates = dates  # days since 1970-01-01, sorted
        self._interval_day = interval_day
        self._day_first = first_index
        self._day_last = np.append(first_index[1:], len(ordinals)) - 1

    def ensure(self, instant: int) -> None:
        """Extend the clock so that it covers ``instant``."""
        if self.calendar is not None and instant > self.clock.last:
            self.clock = self._build(instant)

    def ensure_counted(self, counted: int) -> None:
        """Extend the clock until ``counted`` working seconds fit in it."""
        while self.calendar is not None and counted > self.clock.total:
            self.clock = self._build(self.clock.last + 366 * 86_400)

    # ---- the engine's arithmetic, vectorised ---------------------------------------------

    def _zone(self) -> ZoneOffsets:
        """The offsets of the calendar's zone over the years of this clock (and one more on
        each side), shared by every clock of the zone."""
        assert self.calendar is not None
        first, last = (dt.datetime.fromtimestamp(t, dt.timezone.utc).year
                       for t in (self.clock.first, self.clock.last))
        return ZoneOffsets.of(self.calendar.timezone, first - 1, last + 1)

    def _local_seconds(self, t: Seconds) -> Seconds:
        """Each instant's time of day (seconds) in the calendar's zone: by the zone's table,
        exactly (polars) for the few it cannot tell."""
        assert self.calendar is not None
        local, unsure = self._zone().to_local(t)
        odd = np.flatnonzero(unsure)
        if len(odd):
            moment = pl.from_epoch(pl.Series(t[odd]), "s").dt.convert_time_zone(
                self.calendar.timezone)
            local[odd] = pl.DataFrame({"m": moment}).select(
                pl.col("m").dt.replace_time_zone(None).dt.epoch("s")).to_series().to_numpy()
        seconds: Seconds = local % 86_400
        return seconds

    def _utc(self, day_ordinals: Seconds, seconds: Seconds) -> Seconds:
        """Instants of local dates and times of day (as the engine's ``utc``): by the zone's
        table, exactly for the few it cannot tell."""
        assert self.calendar is not None
        zone = self._zone()
        local = pl.Series(day_ordinals * 86_400 + seconds)
        unsure = pl.select(zone.unsure(pl.lit(local))).to_series().to_numpy()
        result: Seconds = zone.to_utc(local).to_numpy().copy()
        odd = np.flatnonzero(unsure)
        if len(odd):
            result[odd] = self._exact_utc(day_ordinals[odd], seconds[odd])
        return result

    def _exact_utc(self, day_ordinals: Seconds, seconds: Seconds) -> Seconds:
        """``_utc`` by polars' time-zone rules, and a time in the spring-forward gap as
        Python's zoneinfo reads it."""
        assert self.calendar is not None
        naive = pl.from_epoch(pl.Series(day_ordinals * 86_400 + seconds), "s")
        local = naive.dt.replace_time_zone(self.calendar.timezone, ambiguous="earliest",
                                           non_existent="null")
        result = local.dt.epoch("s").to_numpy(allow_copy=True)
        gaps = np.flatnonzero(local.is_null().to_numpy())
        if len(gaps):
            import zoneinfo

            zone = zoneinfo.ZoneInfo(self.calendar.timezone)
            result = result.astype(np.float64)
            for i in gaps:
                day = dt.date.fromordinal(int(day_ordinals[i]) + 719_163)
                moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=int(seconds[i]))
                result[i] = moment.replace(tzinfo=zone).timestamp()
        return result.astype(np.int64)

    def _next_working(self, t: Seconds) -> Seconds:
        clock = self.clock
        k = clock.started(t) - 1
        inside = (k >= 0) & (t < clock.ends[np.maximum(k, 0)])
        following = clock.starts[np.minimum(k + 1, len(clock.starts) - 1)]
        return np.where(inside, t, following)

    def _shift_days(self, t: Seconds, days: int | Seconds) -> Seconds:
        """Working seconds counted at the same local time ``days`` working days from the
        working day of ``t``, kept within that day's working time (engine: ``shift_days``)."""
        clock = self.clock
        k = np.maximum(clock.started(t) - 1, 0)
        target = self._interval_day[k] + days
        while target.max(initial=0) >= len(self._day_dates):
            self.clock = self._build(self.clock.last + 366 * 86_400)
            clock = self.clock
            k = np.maximum(clock.started(t) - 1, 0)
            target = self._interval_day[k] + days
        before = target < 0
        target = np.maximum(target, 0)
        moment = self._utc(self._day_dates[target], self._local_seconds(t))
        ends_cum = clock.cum + (clock.ends - clock.starts)
        low = clock.cum[self._day_first[target]]
        high = ends_cum[self._day_last[target]]
        return np.where(before, 0, np.minimum(np.maximum(clock.cumulative(moment), low), high))

    def counted(self, target: Duration, starts: Seconds) -> Seconds:
        """The target's length from each start on this clock (engine: ``target_seconds``)."""
        if self.calendar is None:
            return np.full(len(starts), target.total_seconds("calendar"), dtype=np.int64)
        days = target.days + 5 * target.weeks
        if not days:
            return np.full(len(starts), target.seconds, dtype=np.int64)
        self.ensure(int(starts.max(initial=0)) + 86_400 * 7 * (days // 5 + 2))
        moment = self._next_working(starts)
        return self._shift_days(moment, days) - self.clock.cumulative(moment) + target.seconds

    def lead(self, lead: Duration, dues: Seconds) -> Seconds:
        """How much of the clock ``lead`` is, read backwards from each due time."""
        if self.calendar is None:
            return np.full(len(dues), lead.total_seconds("calendar"), dtype=np.int64)
        days = lead.days + 5 * lead.weeks
        if not days:
            return np.full(len(dues), lead.seconds, dtype=np.int64)
        end = self.clock.cumulative(dues)
        lead_seconds: Seconds = np.maximum(0, end - self._shift_days(dues, -days) + lead.seconds)
        return lead_seconds

    def paused(self, pauses: Pauses, until: Seconds, count: int) -> Seconds:
        """Per ticket, the working seconds of its pauses before ``until`` (one per ticket)."""
        totals = np.zeros(count, dtype=np.int64)
        if len(pauses.ticket):
            upto = np.clip(until[pauses.ticket], pauses.start, pauses.end)
            worked = self.clock.cumulative(upto) - self.clock.cumulative(pauses.start)
            np.add.at(totals, pauses.ticket, worked)
        return totals

    def due(self, starts: Seconds, counted: Seconds, pauses: Pauses) -> Seconds:
        """The earliest instant at which ``counted`` seconds of the clock have run from each
        start, paused time not counting (engine: ``run_clock``). The engine walks a case's
        pauses in order; here the k-th pauses of all tickets are one step, so the steps are
        as many as the most pauses one ticket has, each over those pauses only."""
        current = starts.copy()
        remaining = counted.astype(np.int64).copy()
        if len(pauses.ticket):
            done = np.zeros(len(starts), dtype=bool)
            rank = pauses.rank()
            for step in range(int(rank.max()) + 1):
                at = np.flatnonzero(rank == step)
                ticket = pauses.ticket[at]
                begin, end = pauses.start[at], pauses.end[at]
                active = ~done[ticket] & (end > current[ticket])
                ticket, begin, end = ticket[active], begin[active], end[active]
                self.ensure(int(end.max(initial=0)))
                now = current[ticket]
                before = (self.clock.cumulative(np.maximum(begin, now))
                          - self.clock.cumulative(now))
                finished = before >= remaining[ticket]
                done[ticket[finished]] = True
                going = ticket[~finished]
                remaining[going] -= before[~finished]
                current[going] = end[~finished]
        clock = self.clock
        base = clock.cumulative(current)
        self.ensure_counted(int((base + remaining).max(initial=0)))
        if self.clock is not clock:  # extended: counted again on the new clock
            base = self.clock.cumulative(current)
        due = self._moment(base + remaining)
        result: Seconds = np.maximum(current, due)
        return result

    def _moment(self, counted: Seconds) -> Seconds:
        return self.clock.moment(counted).astype(np.int64)

    def worked_between(self, starts: Seconds, stops: Seconds, pauses: Pauses) -> Seconds:
        """Working seconds from start to stop, paused time not counting."""
        self.ensure(int(stops.max(initial=0)))
        return (self.clock.between(starts, stops)
                - self.paused(pauses, stops, len(starts)))


def due_times(sla: Sla, calendar: Calendar | None, starts: Seconds) -> Seconds:
    """The due time of ``sla`` for a case started at each of ``starts`` (UTC epoch seconds,
    no pauses), as the report computes it per ticket: ``compute_due`` for many at once."""
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    business = calendar if sla.clock == "business" else None  # as compute_due reads it
    clock = SlaClock(sla, business, int(starts.min()), int(starts.max()))
    return clock.due(starts, clock.counted(sla.target, starts), Pauses.empty())

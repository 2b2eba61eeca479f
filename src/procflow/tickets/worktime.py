"""Working time between timestamps, vectorised: cum(t2) - cum(t1).

A clock is a sorted list of working intervals ``[start, end)`` in UTC epoch seconds with the
cumulative working seconds before each start. ``cum(t)`` is then one sorted search per
timestamp (``numpy.searchsorted``), so a million tickets cost a few array passes, never a
Python loop per ticket. A calendar's intervals start on whole minutes: the search is then a
look-up in a table per minute of the clock's span (one read per timestamp instead of a
binary search's dozen steps, most of the SLA arithmetic's time). The inverse, ``moment(c)``, gives
the instant at which the clock has counted ``c`` seconds: the due time of a target.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Seconds = npt.NDArray[np.int64]
#: the longest span (minutes, about four years) looked up by a table per minute (4 bytes a
#: minute); a longer one, or one whose intervals do not all start on a whole minute, is
#: searched
MINUTE_TABLE_LIMIT = 2**21


@dataclass(frozen=True)
class WorkingClock:
    """The working intervals of one clock over a span of time."""

    starts: Seconds  # sorted, non-overlapping
    ends: Seconds
    cum: Seconds  # working seconds before each start

    @classmethod
    def from_intervals(cls, starts: Seconds, ends: Seconds,
                       cum: Seconds | None = None) -> WorkingClock:
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.asarray(ends, dtype=np.int64)
        if cum is None:
            cum = np.concatenate(([0], np.cumsum(ends - starts)[:-1])).astype(np.int64)
        return cls(starts, ends, np.asarray(cum, dtype=np.int64))

    @classmethod
    def always(cls, first: int, last: int) -> WorkingClock:
        """The 24x7 clock: one interval from ``first`` to ``last``."""
        return cls.from_intervals(np.array([first]), np.array([last]))

    @property
    def first(self) -> int:
        return int(self.starts[0]) if len(self.starts) else 0

    @property
    def last(self) -> int:
        return int(self.ends[-1]) if len(self.ends) else 0

    @property
    def total(self) -> int:
        return int(self.cum[-1] + self.ends[-1] - self.starts[-1]) if len(self.starts) else 0

    @functools.cached_property
    def _lookup(self) -> tuple[Seconds, Seconds, Seconds]:
        """(starts, cumulative, widths) behind a first interval of width 0 that starts
        before any instant: every instant then has an interval at or before it, and the
        reading below needs no special case (fewer passes over a million instants)."""
        before = np.array([-(2**62)], dtype=np.int64)
        zero = np.zeros(1, dtype=np.int64)
        return (np.concatenate([before, self.starts]), np.concatenate([zero, self.cum]),
                np.concatenate([zero, self.ends - self.starts]))

    @functools.cached_property
    def _minute_table(self) -> tuple[int, npt.NDArray[np.int32]] | None:
        """(the first minute of the table, the number of intervals started by the start of
        each minute from it), when every interval starts on a whole minute: then that number
        holds for every instant of the minute. None when the search is to be used."""
        starts = self.starts
        if not len(starts) or bool(np.any(starts % 60)):
            return None
        first = int(starts[0]) // 60 - 1  # a minute before any interval: nothing started
        count = int(starts[-1]) // 60 - first + 1  # the last: every interval started
        if count > MINUTE_TABLE_LIMIT:
            return None
        counts = np.zeros(count, dtype=np.int32)  # each interval counted from its minute on
        np.add.at(counts, starts // 60 - first, 1)
        return first, np.cumsum(counts, out=counts)

    def started(self, t: Seconds) -> npt.NDArray[np.integer]:
        """How many intervals start at or before each instant of ``t`` (``searchsorted(starts,
        t, side="right")``)."""
        table = self._minute_table
        if table is None:
            found: npt.NDArray[np.integer] = np.searchsorted(self.starts, t, side="right")
            return found
        first, counts = table
        minute = t // 60
        minute -= first
        np.clip(minute, 0, len(counts) - 1, out=minute)
        return counts[minute]

    def cumulative(self, t: npt.ArrayLike) -> Seconds:
        """Working seconds counted from the first interval up to each instant of ``t``."""
        t = np.asarray(t, dtype=np.int64)
        starts, cum, widths = self._lookup
        index = self.started(t)  # the interval at or before t, behind the one in front
        inside = np.clip(t - starts[index], 0, widths[index])
        counted: Seconds = cum[index] + inside
        return counted

    def between(self, t1: npt.ArrayLike, t2: npt.ArrayLike) -> Seconds:
        """Working seconds from ``t1`` to ``t2`` (negative when ``t2`` comes first)."""
        return self.cumulative(t2) - self.cumulative(t1)

    def moment(self, counted: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The first instant at which the clock has counted ``counted`` seconds (the end of
        a working interval when a target ends exactly there); NaN beyond the span."""
        counted = np.asarray(counted, dtype=np.int64)
        if not len(self.starts):
            return np.full(counted.shape, np.nan)
        ends_cum = self.cum + (self.ends - self.starts)
        index = np.searchsorted(ends_cum, counted, side="left")
        beyond = index >= len(self.starts)
        index = np.minimum(index, len(self.starts) - 1)
        at = self.starts[index] + np.maximum(counted - self.cum[index], 0)
        return np.where(beyond, np.nan, at.astype(np.float64))

"""Many due times of one SLA at once, as array operations over the counted working-time
table of ``calendar.WorkingTime`` (numpy): for N starts a handful of ``searchsorted`` passes
instead of N calls of ``compute_due``, with the same answers to the second.

numpy comes with the ``procflow[report]`` extra; without it ``due_times`` asks
``compute_due`` once per start. A start whose working day or target day has a DST change
(its local times do not map to instants by adding), or whose answer lies beyond the built
years, is also answered by ``compute_due``: the arrays only take the common case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from procflow.model import Calendar, Sla
from procflow.sla.calendar import working_time
from procflow.sla.due import compute_due

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]


def due_times(sla: Sla, calendar: Calendar | None, starts: Sequence[int]) -> list[int]:
    """The due time of ``sla`` for a case started at each of ``starts`` (UTC epoch seconds,
    no pauses): ``[compute_due(sla, calendar, s).due for s in starts]``, computed at once."""
    if not starts:
        return []
    try:
        import numpy as np
    except ImportError:
        return [compute_due(sla, calendar, start).due for start in starts]
    begin = np.asarray(starts, dtype=np.int64)
    # the earliest and the latest start, one at a time: they check the SLA and the calendar
    # (raising as compute_due does) and build the years the others need (due times only
    # grow with the start)
    compute_due(sla, calendar, int(begin.min()))
    compute_due(sla, calendar, int(begin.max()))
    if sla.clock != "business" or calendar is None:
        due = begin + sla.target.total_seconds("calendar")
        return [int(value) for value in due]
    due, exact = _business(sla, calendar, begin)
    answer = [int(value) for value in due]
    for k in np.flatnonzero(~exact):
        answer[k] = compute_due(sla, calendar, int(begin[k])).due
    return answer


def _business(sla: Sla, calendar: Calendar, begin: Ints) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """Due times on the business clock, and which of them the arrays settled (the others
    are left to ``compute_due``)."""
    import numpy as np

    engine = working_time(calendar)
    engine.cover(int(begin.min()))
    columns = engine.columns()
    starts, ends = np.asarray(columns.starts), np.asarray(columns.ends)
    before, after = np.asarray(columns.cumulative), np.asarray(columns.cum_ends)
    last = len(starts) - 1
    # the next working moment: the start itself inside an interval, else the next interval's
    k = np.searchsorted(starts, begin, side="right") - 1
    inside = (k >= 0) & (begin < ends[np.maximum(k, 0)])
    at = np.where(inside, k, k + 1)
    exact = at <= last
    at = np.minimum(at, last)
    moment = np.where(inside, begin, starts[at])
    counted = before[at] + moment - starts[at]  # worked(start)
    days = sla.target.days + 5 * sla.target.weeks
    if days:
        day_of = np.asarray(columns.interval_day)
        steady = np.asarray(columns.day_steady)
        local_start = np.asarray(columns.local_start)
        day = day_of[at]
        target = day + days
        exact &= target < len(steady)
        target = np.minimum(target, len(steady) - 1)
        exact &= steady[day] & steady[target]
        first = np.asarray(columns.day_first)[target]
        final = np.asarray(columns.day_last)[target]
        # the same local time on the target day (both days without a DST change)
        same_time = starts[first] - local_start[first] + local_start[at] + moment - starts[at]
        j = np.maximum(np.searchsorted(starts, same_time, side="right") - 1, 0)
        reached = before[j] + np.minimum(same_time, ends[j]) - starts[j]
        counted = np.clip(reached, before[first], after[final])
    counted = counted + sla.target.seconds
    exact &= counted <= after[-1]
    n = np.minimum(np.searchsorted(after, counted, side="left"), last)
    due = np.maximum(begin, starts[n] + counted - before[n])
    return due, exact

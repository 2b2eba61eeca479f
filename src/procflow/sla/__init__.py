"""SLA clocks: when a case is due, on a business calendar or around the clock.

- ``calendar``: the working-time model of a ``Calendar`` from procflow.yaml. Each local date
  gets its working intervals (the weekday's hours, or the date's exception, or none on a
  holiday), turned into UTC instants with ``zoneinfo``; one table per calendar holds them in
  order with the working seconds counted before each, so ``worked(t)`` (working seconds up to
  an instant) and ``instant(w)`` (its inverse) are a bisect each, whatever the target.
- ``due``: the due and warning times of an SLA for a case, with pause intervals taken out.
- ``explain``: the timeline that was counted, and a calendar's days listed.
- ``words``: a calendar and an SLA described in the page's language.

Instants are integer seconds since the epoch (UTC) throughout: the arithmetic is exact to the
second and never depends on the machine's zone.

The interface for reports that count working time for many timestamps at once::

    from procflow.sla.calendar import working_intervals
    table = working_intervals(calendar, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    table.starts      # list[int]: UTC epoch seconds where each working interval starts, sorted
    table.ends        # list[int]: where each ends (starts[k] < ends[k] <= starts[k + 1])
    table.cumulative  # list[int]: working seconds in the range before starts[k]

The working time between two instants a <= b is then ``worked(b) - worked(a)`` with
``worked(t) = cumulative[k] + min(t, ends[k]) - starts[k]`` for ``k`` the last interval with
``starts[k] <= t`` (0 before the first): a ``searchsorted`` over ``starts`` vectorises it.
"""

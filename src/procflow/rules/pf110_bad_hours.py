"""PF110: working hours that end before they start, or ranges of one day that overlap."""

from __future__ import annotations

from procflow.rules.base import CalendarRule


class BadHours(CalendarRule):
    """Finds hour ranges in a calendar of `procflow.yaml` (in `hours` or in `exceptions`)
    that end before they start (`"17:00-09:00"`, `"08:00-08:00"`), and ranges of the same day
    that overlap (`["08:00-12:30", "12:00-16:00"]`).

    **Why it matters:** a reversed range is usually a night shift written across midnight or
    a typo, and overlapping ranges are a break that was meant but not written. procflow
    will not guess which working time was meant: SLA clocks on such a calendar would count
    the wrong hours.

    **Fails:**

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - id: office
        timezone: Europe/Warsaw
        hours:
          mon-thu: ["08:00-12:30", "12:00-16:30"]
          fri: "14:00-08:00"
    ```

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: agent, name: Agent}]
    steps: [{id: intake, title: Take the call, role: agent}]
    ```

    **Passes:** the break between the ranges, and the earlier time first.

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - id: office
        timezone: Europe/Warsaw
        hours:
          mon-thu: ["08:00-12:00", "12:30-16:30"]
          fri: "08:00-14:00"
    ```

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: agent, name: Agent}]
    steps: [{id: intake, title: Take the call, role: agent}]
    ```
    """

    code = "PF110"
    summary = "working hours that end before they start, or overlap"


RULE = BadHours()

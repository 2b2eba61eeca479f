"""PF109: a calendar with no working time in its week."""

from __future__ import annotations

from procflow.rules.base import CalendarRule


class NoWorkingTime(CalendarRule):
    """Finds calendars in `procflow.yaml` whose regular week has no working time: no working
    days (`days: []`), or hours that are all empty (`[]`) or reversed.

    **Why it matters:** on such a calendar a business clock never moves, so every SLA that
    runs on it would never be due, and `procflow sla due` cannot answer.

    **Fails:**

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - id: office
        timezone: Europe/Warsaw
        hours: {mon-fri: []}
    default_calendar: office
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

    **Passes:** give at least one day working hours.

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - id: office
        timezone: Europe/Warsaw
        hours: {mon-fri: "08:00-16:00"}
    default_calendar: office
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

    code = "PF109"
    summary = "a calendar with no working time in its week"


RULE = NoWorkingTime()

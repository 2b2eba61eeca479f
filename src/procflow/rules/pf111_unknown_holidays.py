"""PF111: public holidays asked of a country or subdivision that the holidays package lacks."""

from __future__ import annotations

from procflow.rules.base import CalendarRule


class UnknownHolidays(CalendarRule):
    """Finds calendars whose `holidays: {country: ..., subdivision: ...}` names a country or
    a subdivision that the `holidays` package does not know (codes are ISO 3166-1 for
    countries, ISO 3166-2 without the country for subdivisions: `{country: DE, subdivision:
    BY}` is Bavaria).

    **Why it matters:** a calendar without its public holidays counts them as working days,
    so SLAs would fall due on a day nobody works.

    **Fails:**

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - id: office
        timezone: Europe/Berlin
        holidays: {country: DE, subdivision: BA}
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

    **Passes:**

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - id: office
        timezone: Europe/Berlin
        holidays: {country: DE, subdivision: BY}
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

    code = "PF111"
    summary = "public holidays of an unknown country or subdivision"


RULE = UnknownHolidays()

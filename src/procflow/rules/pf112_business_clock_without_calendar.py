"""PF112: an SLA on the business clock with no calendar to run on."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue
from procflow.rules.base import Rule, RuleContext, issue


class BusinessClockWithoutCalendar(Rule):
    """Finds SLAs with `clock: business` that name no `calendar` in a project whose
    `procflow.yaml` sets no `default_calendar` (or that has no `procflow.yaml`).

    **Why it matters:** a business clock counts the working hours of a calendar. Without one
    nobody can say when the SLA is due: not the team, not `procflow sla due`, not the
    service desk that must enforce it.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: agent, name: Agent}]
    steps: [{id: intake, title: Take the call, role: agent}]
    slas: [{id: answer, target: 4h, clock: business}]
    escalations: [{id: late, when: Not answered in time, sla: answer, to: agent}]
    ```

    **Passes:** a calendar in `procflow.yaml`, named by the SLA or as the default.

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - {id: office, timezone: Europe/Warsaw, hours: "08:00-16:00", holidays: {country: PL}}
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
    slas: [{id: answer, target: 4h, clock: business}]
    escalations: [{id: late, when: Not answered in time, sla: answer, to: agent}]
    ```
    """

    code = "PF112"
    summary = "an SLA on the business clock with no calendar"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        if ctx.project.config.default_calendar is not None:
            return
        for position, sla in enumerate(ctx.procedure.slas):
            if sla.clock == "business" and sla.calendar is None:
                yield issue(self.code, f"SLA '{sla.id}' runs on the business clock but names no "
                            "calendar, and procflow.yaml sets no default_calendar: add "
                            "calendar: <id>, or set default_calendar in procflow.yaml",
                            "slas", position, "clock")


RULE = BusinessClockWithoutCalendar()

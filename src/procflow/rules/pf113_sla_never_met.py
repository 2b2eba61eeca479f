"""PF113: a 24x7 SLA that the team's working hours cannot meet even at the best moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from procflow.durations import format_seconds, format_working
from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue
from procflow.rules.pf102_sla_unreachable import longest_work


class SlaNeverMet(Rule):
    """Finds SLAs on the `calendar` clock (24x7, such as a legal deadline) that name the
    `calendar` the team works on, where the work along the longest path cannot be done
    within the target even by a case that arrives at the best moment of a regular week
    (no holidays). The work is each step's `max_duration` read as working time of that
    calendar (as PF102 reads it on the business clock; steps in `pause` do not count); the
    time it takes is the wall-clock time from the best start until that much working time
    has passed.

    **Why it matters:** a 14-day deadline with 12 working days of steps can never be kept:
    nights and weekends pass while nobody works. PF102 does not see it, because on the 24x7
    clock 12 days fit in 14.

    **Fails:**

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - {id: office, timezone: Europe/Warsaw, hours: "08:00-16:00"}
    ```

    ```yaml
    procflow: 1
    id: complaint-handling
    title: Complaint handling
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: specialist, name: Complaints specialist}]
    steps:
      - {id: analyse, title: Analyse the complaint, role: specialist, max_duration: 10d}
      - {id: answer, title: Answer the customer, role: specialist, max_duration: 2d}
    slas:
      - {id: legal-deadline, target: 14d, calendar: office}
    escalations:
      - {id: late, when: Deadline at risk, sla: legal-deadline, to: specialist}
    ```

    **Passes:** steps that fit in the working days of 14 calendar days.

    ```yaml
    # file: procflow.yaml
    procflow: 1
    calendars:
      - {id: office, timezone: Europe/Warsaw, hours: "08:00-16:00"}
    ```

    ```yaml
    procflow: 1
    id: complaint-handling
    title: Complaint handling
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: specialist, name: Complaints specialist}]
    steps:
      - {id: analyse, title: Analyse the complaint, role: specialist, max_duration: 7d}
      - {id: answer, title: Answer the customer, role: specialist, max_duration: 2d}
    slas:
      - {id: legal-deadline, target: 14d, calendar: office}
    escalations:
      - {id: late, when: Deadline at risk, sla: legal-deadline, to: specialist}
    ```
    """

    code = "PF113"
    severity = Severity.WARNING
    summary = "a 24x7 SLA that the working hours cannot meet even at the best moment"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        from procflow.sla.calendar import calendar_problems
        from procflow.sla.due import fastest

        for position, sla in enumerate(ctx.procedure.slas):
            if sla.clock != "calendar" or sla.calendar is None:
                continue
            calendar = ctx.project.calendar(sla.calendar)
            if calendar is None or calendar_problems(calendar):
                continue  # PF005, PF109-PF111 report those
            workday = calendar.workday_seconds()
            path = longest_work(ctx, sla, "business", workday)
            if path is None or path[0] == 0:
                continue
            work, described = path
            best = fastest(calendar, work)
            target = sla.target.total_seconds("calendar")
            if best is not None and best[0] <= target:
                continue
            if best is None:
                how = "more time than the calendar has"
            else:
                when = dt.datetime.fromtimestamp(best[1], ctx_zone(calendar.timezone))
                how = f"at least {format_seconds(best[0])} (starting {when:%a %H:%M})"
            yield issue(self.code, f"SLA '{sla.id}' cannot be met even at the best moment of "
                        f"the week: max_duration along {described} adds up to "
                        f"{format_working(work)} of working time on calendar '{calendar.id}', "
                        f"which takes {how}, more than the target {sla.target}; raise the "
                        "target, shorten the steps or extend the working hours",
                        "slas", position, "target")


def ctx_zone(name: str) -> dt.tzinfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


RULE = SlaNeverMet()

"""PF102: an SLA whose target the steps' own time limits already exceed."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.durations import Clock, format_seconds
from procflow.findings import Issue, Severity
from procflow.model import Sla
from procflow.rules.base import Rule, RuleContext, issue


class SlaUnreachable(Rule):
    """Finds SLAs that the procedure cannot keep even when every step uses no more than its
    `max_duration`: the longest path from the SLA's start step to its stop step (both
    included; by default from the first step to any end) adds up to more than the target.

    Durations are read on the SLA's clock: on the `business` clock a day is the working day
    of the SLA's calendar (or the project's `default_calendar`) and a week five working
    days; on the `calendar` clock a day is 24 hours. Loops are not extra budget: the path
    is taken in the flow without the edges that send a case back (the edges that close a
    cycle in a depth-first walk from the first step, following `branches` and `next` in
    written order). Steps without `max_duration` count as zero.

    **Why it matters:** an SLA is a promise to the customer. If the steps' own limits add up
    to more than the promise, the team breaks it while doing everything by the book, and
    nobody notices until customers complain.

    **Fails:**

    ```yaml
    procflow: 1
    id: complaint-handling
    title: Complaint handling
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
      - {id: specialist, name: Complaints specialist}
    steps:
      - {id: register, title: Register the complaint, role: agent, max_duration: 1d}
      - {id: analyse, title: Analyse the complaint, role: specialist, max_duration: 10d}
      - {id: answer, title: Answer the customer, role: agent, max_duration: 5d}
    slas:
      - {id: resolution, name: Resolution, target: 14d}
    escalations:
      - {id: late, when: Not resolved in time, sla: resolution, to: specialist}
    ```

    **Passes:** the limits fit the target (1d + 10d + 3d = 14d).

    ```yaml
    procflow: 1
    id: complaint-handling
    title: Complaint handling
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
      - {id: specialist, name: Complaints specialist}
    steps:
      - {id: register, title: Register the complaint, role: agent, max_duration: 1d}
      - {id: analyse, title: Analyse the complaint, role: specialist, max_duration: 10d}
      - {id: answer, title: Answer the customer, role: agent, max_duration: 3d}
    slas:
      - {id: resolution, name: Resolution, target: 14d}
    escalations:
      - {id: late, when: Not resolved in time, sla: resolution, to: specialist}
    ```
    """

    code = "PF102"
    severity = Severity.WARNING
    summary = "the longest path from an SLA's start to its stop exceeds its target"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        flow = ctx.flow
        steps = ctx.procedure.steps
        for position, sla in enumerate(ctx.procedure.slas):
            workday = _workday_seconds(ctx, sla)
            if workday is None:
                continue  # no calendar for the business clock: PF005 reports it
            start = flow.index.get(sla.start) if sla.start is not None else 0
            if sla.stop is not None:
                stop = {flow.index[sla.stop]} if sla.stop in flow.index else set()
            else:
                stop = {k for k in range(len(steps)) if flow.is_end(k)}
            if start is None or not stop:
                continue  # an unknown start or stop step: PF005 reports it
            weight = [step.max_duration.total_seconds(sla.clock, workday)
                      if step.max_duration is not None else 0 for step in steps]
            longest = flow.longest_path(start, stop, weight)
            target = sla.target.total_seconds(sla.clock, workday)
            if longest is not None and longest > target:
                until = f"step '{sla.stop}'" if sla.stop is not None else "an end"
                yield issue(self.code, f"SLA '{sla.id}' cannot be kept: max_duration along "
                            f"the longest path from step '{steps[start].id}' to {until} adds up "
                            f"to {_spell(longest, sla.clock, workday)}, more than the target "
                            f"{sla.target}; raise the target or shorten the steps' max_duration",
                            "slas", position, "target")


def _workday_seconds(ctx: RuleContext, sla: Sla) -> int | None:
    """The length of a working day of the SLA's calendar (unused on the calendar clock)."""
    if sla.clock == "calendar":
        return 86400
    calendar = ctx.project.calendar(sla.calendar)
    return calendar.workday_seconds() if calendar is not None else None


def _spell(seconds: int, clock: Clock, workday: int) -> str:
    """A duration as people read it on the clock: working days of the calendar, or 24 h days."""
    if clock == "calendar":
        return format_seconds(seconds)
    days, rest = divmod(seconds, workday)
    text = (f"{days}d" if days else "") + (format_seconds(rest) if rest or not days else "")
    if not days:
        return f"{text} of working time"
    return f"{text} of working time ({format_seconds(workday)} working days)"


RULE = SlaUnreachable()

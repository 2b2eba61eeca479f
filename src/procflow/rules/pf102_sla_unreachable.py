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

    A step's `max_duration` has no clock of its own: it is read on the clock of the SLA
    being checked, like the target. On the `business` clock it is working time of the SLA's
    calendar (or the project's `default_calendar`): `h` working hours, `d` the calendar's
    average working day over its regular week (its total working hours divided by its working
    days), `w` five of them; on the `calendar` clock a day is 24 hours. Steps named in the
    SLA's `pause` do not count: the clock stops while they run. Loops are not extra budget: the path
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
        for position, sla in enumerate(ctx.procedure.slas):
            workday = _workday_seconds(ctx, sla)
            if not workday:
                continue  # no calendar (PF005, PF112), or one without working time (PF109)
            path = longest_work(ctx, sla, sla.clock, workday)
            if path is None:
                continue  # an unknown start or stop step: PF005 reports it
            longest, described = path
            target = sla.target.total_seconds(sla.clock, workday)
            if longest > target:
                yield issue(self.code, f"SLA '{sla.id}' cannot be kept: max_duration along "
                            f"{described} adds up to {_spell(longest, sla.clock, workday)}, more "
                            f"than the target {sla.target}; raise the target or shorten the "
                            "steps' max_duration", "slas", position, "target")


def longest_work(ctx: RuleContext, sla: Sla, clock: Clock, workday: int
                 ) -> tuple[int, str] | None:
    """The largest sum of ``max_duration`` (read on ``clock``, a day being ``workday``
    seconds) along a path from the SLA's start to its stop, the paused steps not counting;
    with the path in words. None when the start or stop step is unknown."""
    flow = ctx.flow
    steps = ctx.procedure.steps
    start = flow.index.get(sla.start) if sla.start is not None else 0
    if sla.stop is not None:
        stop = {flow.index[sla.stop]} if sla.stop in flow.index else set()
    else:
        stop = {k for k in range(len(steps)) if flow.is_end(k)}
    if start is None or not stop:
        return None
    paused = set(sla.pause)
    weight = [step.max_duration.total_seconds(clock, workday)
              if step.max_duration is not None and step.id not in paused else 0
              for step in steps]
    longest = flow.longest_path(start, stop, weight)
    if longest is None:
        return None
    until = f"step '{sla.stop}'" if sla.stop is not None else "an end"
    return longest, f"the longest path from step '{steps[start].id}' to {until}"


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

"""PF005: a reference to a role, step, priority, SLA, template or calendar that is not defined."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, did_you_mean
from procflow.rules.base import Rule, RuleContext, issue

#: where each kind of thing is defined, for the fix when no close name exists
DEFINE = {"role": "define it under roles: (or as a shared role in procflow.yaml)",
          "step": "define the step or point at an existing one",
          "template": "define it under templates:",
          "priority": "define it under priorities:",
          "SLA": "define it under slas:",
          "calendar": "define it under calendars: in procflow.yaml"}


class UnknownReference(Rule):
    """Finds references to things that are not defined: a step's `role`,
    `accountable`, `consulted` or `informed` that is neither a role of the procedure nor
    a shared role of `procflow.yaml`; a `next` or a branch's `next` that is not a step; a
    `template` that is not under `templates`; an SLA's `priority`, `calendar`,
    `start` or `stop` that is not defined (and an SLA on the `business` clock with no
    calendar and no `default_calendar` in `procflow.yaml`); an escalation's `sla`,
    `steps`, `to` or `notify` that is not defined. Each message suggests the closest
    defined name.

    **Why it matters:** a reference to nothing is a hole in the procedure: a step nobody
    owns, a decision that leads nowhere, a message that does not exist, an escalation that
    reaches no one. Most are typos, which the did-you-mean fixes.

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
      - {id: register, title: Register the complaint, role: agent}
      - {id: verify, title: Check the complaint, role: specialst}
      - {id: answer, title: Answer the customer, role: specialist}
    ```

    **Passes:** name a defined role.

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
      - {id: register, title: Register the complaint, role: agent}
      - {id: verify, title: Check the complaint, role: specialist}
      - {id: answer, title: Answer the customer, role: specialist}
    ```
    """

    code = "PF005"
    summary = "reference to an undefined role, step, priority, sla, template or calendar"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        defined = _defined(ctx)
        for ref in ctx.references:
            known = defined[ref.kind]
            if ref.name not in known:
                where = f" in {ref.field}" if ref.field else ""
                fix = did_you_mean(ref.name, known) or f"; {DEFINE[ref.kind]}"
                yield issue(self.code, f"{ref.owner}: unknown {ref.kind} '{ref.name}'{where}{fix}",
                            *ref.path)
        yield from self._business_clock(ctx, defined["calendar"])

    def _business_clock(self, ctx: RuleContext, calendars: set[str]) -> Iterable[Issue]:
        """SLAs on the business clock that name no calendar need a defined default one."""
        default = ctx.project.config.default_calendar
        if default in calendars:
            return
        for position, sla in enumerate(ctx.procedure.slas):
            if sla.clock != "business" or sla.calendar is not None:
                continue
            if default is None:
                yield issue(self.code, f"SLA '{sla.id}' runs on the business clock but names no "
                            "calendar, and procflow.yaml sets no default_calendar: add "
                            "calendar: <id>, or set default_calendar in procflow.yaml",
                            "slas", position, "clock")
            else:
                yield issue(self.code, f"SLA '{sla.id}' runs on the business clock of the "
                            f"default calendar '{default}', which procflow.yaml does not define "
                            f"under calendars:{did_you_mean(default, calendars)}",
                            "slas", position, "clock")


def _defined(ctx: RuleContext) -> dict[str, set[str]]:
    """The ids each kind of reference may name, by kind."""
    procedure = ctx.procedure
    return {"role": set(ctx.roles),
            "step": {step.id for step in procedure.steps},
            "template": {template.id for template in procedure.templates},
            "priority": {priority.id for priority in procedure.priorities},
            "SLA": {sla.id for sla in procedure.slas},
            "calendar": {calendar.id for calendar in ctx.project.config.calendars}}


RULE = UnknownReference()

"""PF005: a reference to a role, step, priority, SLA, template or calendar that is not defined."""

from __future__ import annotations

from typing import Collection, Iterable

from procflow.findings import Issue, YamlPath
from procflow.loader import did_you_mean
from procflow.model import Escalation, Sla, Step
from procflow.rules import Rule, RuleContext, issue

#: a reference: kind of thing, the name used, the names defined, the field (for the message),
#: and the path of the node
Ref = tuple[str, str, Collection[str], str | None, YamlPath]

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
        procedure = ctx.procedure
        roles = set(ctx.roles)
        steps = {step.id for step in procedure.steps}
        templates = {template.id for template in procedure.templates}
        for position, step in enumerate(procedure.steps):
            yield from self._step(step, ("steps", position), roles, steps, templates)
        for position, sla in enumerate(procedure.slas):
            yield from self._sla(ctx, sla, ("slas", position), steps)
        slas = {sla.id for sla in procedure.slas}
        for position, escalation in enumerate(procedure.escalations):
            yield from self._escalation(escalation, ("escalations", position), roles, steps,
                                        slas)

    def _step(self, step: Step, at: YamlPath, roles: set[str], steps: set[str],
              templates: set[str]) -> Iterable[Issue]:
        refs: list[Ref] = [("role", step.role, roles, None, (*at, "role"))]
        if step.accountable is not None:
            refs.append(("role", step.accountable, roles, "accountable", (*at, "accountable")))
        for field in ("consulted", "informed"):
            refs += [("role", role, roles, field, (*at, field, k))
                     for k, role in enumerate(getattr(step, field))]
        refs += [("step", branch.next, steps, f"branch '{branch.when}'",
                  (*at, "branches", k, "next")) for k, branch in enumerate(step.branches or ())]
        if step.next is not None:
            refs.append(("step", step.next, steps, "next", (*at, "next")))
        if step.template is not None:
            refs.append(("template", step.template, templates, None, (*at, "template")))
        return self._unknown(f"step '{step.id}'", refs)

    def _sla(self, ctx: RuleContext, sla: Sla, at: YamlPath, steps: set[str]
             ) -> Iterable[Issue]:
        owner = f"SLA '{sla.id}'"
        calendars = {calendar.id for calendar in ctx.project.config.calendars}
        refs: list[Ref] = [("step", step, steps, field, (*at, field))
                           for field, step in (("start", sla.start), ("stop", sla.stop))
                           if step is not None]
        if sla.priority is not None:
            priorities = {priority.id for priority in ctx.procedure.priorities}
            refs.append(("priority", sla.priority, priorities, None, (*at, "priority")))
        if sla.calendar is not None:
            refs.append(("calendar", sla.calendar, calendars, None, (*at, "calendar")))
        elif sla.clock == "business":
            default = ctx.project.config.default_calendar
            if default is None:
                yield issue(self.code, f"{owner} runs on the business clock but names no "
                            "calendar, and procflow.yaml sets no default_calendar: add "
                            "calendar: <id>, or set default_calendar in procflow.yaml",
                            *at, "clock")
            elif default not in calendars:
                yield issue(self.code, f"{owner} runs on the business clock of the default "
                            f"calendar '{default}', which procflow.yaml does not define under "
                            f"calendars:{did_you_mean(default, calendars)}", *at, "clock")
        yield from self._unknown(owner, refs)

    def _escalation(self, escalation: Escalation, at: YamlPath, roles: set[str],
                    steps: set[str], slas: set[str]) -> Iterable[Issue]:
        refs: list[Ref] = []
        if escalation.sla is not None:
            refs.append(("SLA", escalation.sla, slas, None, (*at, "sla")))
        refs += [("step", step, steps, "steps", (*at, "steps", k))
                 for k, step in enumerate(escalation.steps or ())]
        refs.append(("role", escalation.to, roles, "to", (*at, "to")))
        refs += [("role", role, roles, "notify", (*at, "notify", k))
                 for k, role in enumerate(escalation.notify)]
        return self._unknown(f"escalation '{escalation.id}'", refs)

    def _unknown(self, owner: str, refs: list[Ref]) -> Iterable[Issue]:
        """An issue for each reference to a name that is not defined: with a did-you-mean,
        or else with where to define it."""
        for kind, name, known, field, path in refs:
            if name not in known:
                where = f" in {field}" if field else ""
                fix = did_you_mean(name, known) or f"; {DEFINE[kind]}"
                yield issue(self.code, f"{owner}: unknown {kind} '{name}'{where}{fix}", *path)


RULE = UnknownReference()

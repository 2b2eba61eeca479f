"""Every reference a procedure makes from one of its parts to another, in written order.

The fields that name a role, a step, a template, a priority, an SLA or a calendar are listed
here once: PF005 checks that each reference names something defined, PF101 counts the roles
used, PF007 waits until the flow's own references resolve, and the rendered pages list the
roles in the order the procedure first uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from procflow.findings import YamlPath
from procflow.model import Escalation, Procedure, Role, Sla, Step


@dataclass(frozen=True)
class Reference:
    kind: str  # what it names: role, step, template, priority, SLA, calendar
    name: str  # the id it names
    owner: str  # what makes it, for messages: "step 'verify'"
    field: str | None  # the field, for messages (None: the kind already says it)
    path: YamlPath  # the node that holds the name

    @property
    def in_flow(self) -> bool:
        """A step's ``next`` or a branch's ``next``: an edge of the flow."""
        return self.kind == "step" and self.path[0] == "steps"


def references(procedure: Procedure) -> Iterator[Reference]:
    for position, step in enumerate(procedure.steps):
        yield from _step(step, ("steps", position))
    for position, sla in enumerate(procedure.slas):
        yield from _sla(sla, ("slas", position))
    for position, escalation in enumerate(procedure.escalations):
        yield from _escalation(escalation, ("escalations", position))


def _step(step: Step, at: YamlPath) -> Iterator[Reference]:
    owner = f"step '{step.id}'"
    yield Reference("role", step.role, owner, None, (*at, "role"))
    if step.accountable is not None:
        yield Reference("role", step.accountable, owner, "accountable", (*at, "accountable"))
    for field in ("consulted", "informed"):
        for k, role in enumerate(getattr(step, field)):
            yield Reference("role", role, owner, field, (*at, field, k))
    for k, branch in enumerate(step.branches or ()):
        yield Reference("step", branch.next, owner, f"branch '{branch.when}'",
                        (*at, "branches", k, "next"))
    if step.next is not None:
        yield Reference("step", step.next, owner, "next", (*at, "next"))
    if step.template is not None:
        yield Reference("template", step.template, owner, None, (*at, "template"))


def _sla(sla: Sla, at: YamlPath) -> Iterator[Reference]:
    owner = f"SLA '{sla.id}'"
    for field, step in (("start", sla.start), ("stop", sla.stop)):
        if step is not None:
            yield Reference("step", step, owner, field, (*at, field))
    if sla.priority is not None:
        yield Reference("priority", sla.priority, owner, None, (*at, "priority"))
    if sla.calendar is not None:
        yield Reference("calendar", sla.calendar, owner, None, (*at, "calendar"))


def _escalation(escalation: Escalation, at: YamlPath) -> Iterator[Reference]:
    owner = f"escalation '{escalation.id}'"
    if escalation.sla is not None:
        yield Reference("SLA", escalation.sla, owner, None, (*at, "sla"))
    for k, step in enumerate(escalation.steps or ()):
        yield Reference("step", step, owner, "steps", (*at, "steps", k))
    yield Reference("role", escalation.to, owner, "to", (*at, "to"))
    for k, role in enumerate(escalation.notify):
        yield Reference("role", role, owner, "notify", (*at, "notify", k))


def known_roles(procedure: Procedure, shared_roles: Iterable[Role]) -> dict[str, Role]:
    """Every role ``procedure`` may name, by id: its own roles, then the project's shared
    roles that an own role of the same id does not shadow."""
    known = {role.id: role for role in procedure.roles}
    for role in shared_roles:
        known.setdefault(role.id, role)
    return known


def used_roles(procedure: Procedure) -> list[str]:
    """The role ids the procedure's steps and escalations name, in first-use order."""
    return list(dict.fromkeys(ref.name for ref in references(procedure) if ref.kind == "role"))

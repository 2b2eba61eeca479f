"""PF004: an id given twice in one list, or a procedure role that redefines a shared role."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue
from procflow.rules.base import Rule, RuleContext, issue

#: the lists whose items have ids, and what one item is called in a message
LISTS = {"roles": "role", "priorities": "priority", "steps": "step", "slas": "SLA",
         "escalations": "escalation", "templates": "template", "kpis": "KPI"}


class DuplicateId(Rule):
    """Finds an id used twice in one list of a procedure (`roles`, `priorities`,
    `steps`, `slas`, `escalations`, `templates`, `kpis`), and a role of the
    procedure whose id is already a shared role in `procflow.yaml`. The finding points at
    the second occurrence and names the line of the first.

    **Why it matters:** references go by id (`next: verify`, `role: agent`,
    `sla: resolution`), so with two items of one id nobody can tell which one is meant;
    procflow would silently follow the first. A procedure role that reuses a shared role's id
    hides the shared definition for this procedure only, so the same id would mean different
    people in different procedures.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
      - {id: intake, title: Write down the request, role: agent}
    ```

    **Passes:** give every step its own id.

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
      - {id: record, title: Write down the request, role: agent}
    ```
    """

    code = "PF004"
    summary = ("duplicate id in a list (roles, steps, priorities, slas, escalations, templates, "
               "kpis)")

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        for name, noun in LISTS.items():
            first: dict[str, int] = {}
            for position, item in enumerate(getattr(ctx.procedure, name)):
                if item.id not in first:
                    first[item.id] = position
                    continue
                line = ctx.line_of((name, first[item.id], "id"))
                where = f"line {line}" if line else f"{name}[{first[item.id] + 1}]"
                yield issue(self.code, f"duplicate {noun} id '{item.id}' (first defined on "
                            f"{where}); ids must be unique among {name}: rename or remove one",
                            name, position, "id")
        yield from self._shadowed_shared_roles(ctx)

    def _shadowed_shared_roles(self, ctx: RuleContext) -> Iterable[Issue]:
        shared = [role.id for role in ctx.project.config.roles]
        reported: set[str] = set()
        for position, role in enumerate(ctx.procedure.roles):
            if role.id not in shared or role.id in reported:
                continue
            reported.add(role.id)
            line = ctx.line_of(("roles", shared.index(role.id), "id"), in_project=True)
            where = f" (line {line})" if line else ""
            yield issue(self.code, f"role '{role.id}' is already a shared role in procflow.yaml"
                        f"{where}: remove it here to use the shared one, or give this role "
                        "another id", "roles", position, "id")


RULE = DuplicateId()

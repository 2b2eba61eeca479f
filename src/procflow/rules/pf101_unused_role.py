"""PF101: a role of the procedure's own `roles` that nothing uses."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue


class UnusedRole(Rule):
    """Finds roles defined in the procedure's own `roles` that no step (`role`,
    `accountable`, `consulted`, `informed`) and no escalation (`to`, `notify`)
    uses. Shared roles of `procflow.yaml` are not checked: other procedures use them.

    **Why it matters:** a role in the list tells readers that these people take part in the
    procedure. If no step names them, either a step lost its owner to another role by mistake
    or the role is left over from an earlier version and misleads whoever is trained on it.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
      - {id: supervisor, name: Supervisor}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    **Passes:** give the role its part (here: accountable for the step), or remove it.

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
      - {id: supervisor, name: Supervisor}
    steps:
      - {id: intake, title: Take the call, role: agent, accountable: supervisor}
    ```
    """

    code = "PF101"
    severity = Severity.WARNING
    summary = "a role of the procedure's own roles that no step, escalation or RACI field uses"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        used = {ref.name for ref in ctx.references if ref.kind == "role"}
        for position, role in enumerate(ctx.procedure.roles):
            if role.id not in used:
                yield issue(self.code, f"role '{role.id}' is not used by any step or "
                            "escalation: make it a step's role (or accountable, consulted, "
                            "informed, an escalation's to or notify), or remove it",
                            "roles", position, "id")


RULE = UnusedRole()

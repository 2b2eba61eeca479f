"""PF006: a step that no path from the first step reaches."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue
from procflow.rules.base import Rule, RuleContext, issue


class UnreachableStep(Rule):
    """Finds steps that no path from the first step reaches.

    **Why it matters:** a step nobody can reach is dead text: the team never does it, yet
    readers think it is part of the procedure. Usually a `next` or a branch points at the
    wrong step, or a `next` or `end: true` above it cuts it off.

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
      - id: intake
        title: Take the call
        role: agent
        next: close
      - id: diagnose          # nothing leads here
        title: Diagnose
        role: agent
      - id: close
        title: Close the case
        role: agent
    ```

    **Passes:** drop `next: close` so `intake` is followed by `diagnose` (or send a
    branch to `diagnose`).

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - id: intake
        title: Take the call
        role: agent
      - id: diagnose
        title: Diagnose
        role: agent
      - id: close
        title: Close the case
        role: agent
    ```
    """

    code = "PF006"
    summary = "a step that cannot be reached from the start"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        for position, reached in enumerate(ctx.flow.reachable):
            if not reached:
                step = ctx.procedure.steps[position]
                yield issue(self.code, f"step '{step.id}' cannot be reached from the first step "
                            f"'{ctx.procedure.steps[0].id}'; point a next or a branch at it, or "
                            "remove it", "steps", position, "id")


RULE = UnreachableStep()

"""PF107: an active procedure with no review cycle."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue


class NoReview(Rule):
    """Finds procedures with `status: active` and no `review` (drafts and retired
    procedures are not checked).

    **Why it matters:** a procedure in use needs an owner who checks it on a cycle. Without a
    recorded review, nobody can tell whether it still describes how the team works, and
    PF104 cannot warn when it is overdue.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    status: active
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    **Passes:** record the last review and the cycle.

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    status: active
    owner: {name: Anna Nowak}
    review:
      last: 2026-10-15
      every: 26w
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```
    """

    code = "PF107"
    severity = Severity.WARNING
    summary = "an active procedure with no review"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        if ctx.procedure.status == "active" and ctx.procedure.review is None:
            yield issue(self.code, "active procedure without a review: add review: with last: "
                        "(the date of the last review, YYYY-MM-DD) and every: (the cycle, such "
                        "as 26w), so its owner checks it on a schedule", "status")


RULE = NoReview()

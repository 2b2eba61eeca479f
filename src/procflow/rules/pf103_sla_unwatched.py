"""PF103: an SLA that no escalation watches."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue


class SlaUnwatched(Rule):
    """Finds SLAs that no escalation names in its `sla:` field.

    **Why it matters:** an SLA without an escalation says what the customer was promised but
    not what happens when the promise is about to be broken, nor who takes over. Clear
    escalation criteria are what make a response time a commitment rather than a wish.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
      - {id: team-lead, name: Team lead}
    steps:
      - {id: intake, title: Take the call, role: agent, accountable: team-lead}
    slas:
      - {id: answer, name: Answer the request, target: 4h}
    ```

    **Passes:** an escalation watches the SLA.

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
      - {id: team-lead, name: Team lead}
    steps:
      - {id: intake, title: Take the call, role: agent}
    slas:
      - {id: answer, name: Answer the request, target: 4h}
    escalations:
      - {id: late-answer, when: No answer within 4 hours, sla: answer, to: team-lead}
    ```
    """

    code = "PF103"
    severity = Severity.WARNING
    summary = "an SLA that no escalation watches"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        watched = {escalation.sla for escalation in ctx.procedure.escalations}
        for position, sla in enumerate(ctx.procedure.slas):
            if sla.id not in watched:
                yield issue(self.code, f"SLA '{sla.id}' has no escalation: nobody takes over "
                            f"when it is breached; add an escalation with sla: {sla.id} and "
                            "to: <role>", "slas", position, "id")


RULE = SlaUnwatched()

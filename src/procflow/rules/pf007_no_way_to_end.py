"""PF007: a step from which no end of the procedure can be reached."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue
from procflow.rules.base import Rule, RuleContext, issue


class NoWayToEnd(Rule):
    """Finds steps from which no end can be reached: every path from them goes round a loop
    for ever. A step ends the procedure when it has `end: true`, or when it is the last
    step of the list and has neither `next` nor `branches`.

    Loops are allowed (a case may be sent back for more information), but each loop needs a
    way out. While a `next` or a branch names an unknown step, PF007 waits: PF005 reports
    the broken reference, and until it is fixed nobody knows where the flow was meant to go.

    **Why it matters:** a case that enters such a loop can never be closed, so the customer
    never hears the outcome and the case never leaves the team's queue.

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
        branches:
          - {when: Simple request, next: close}
          - {when: Information missing, next: ask}
      - {id: ask, title: Ask the customer, role: agent, next: check}
      - {id: check, title: Check the answer, role: agent, next: ask}
      - {id: close, title: Close the case, role: agent}
    ```

    **Passes:** a decision leads out of the loop.

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
        branches:
          - {when: Simple request, next: close}
          - {when: Information missing, next: ask}
      - {id: ask, title: Ask the customer, role: agent, next: check}
      - id: check
        title: Is the information complete?
        role: agent
        branches:
          - {when: Still missing, next: ask}
          - {when: Complete, next: close}
      - {id: close, title: Close the case, role: agent}
    ```
    """

    code = "PF007"
    summary = "a step from which no end can be reached"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        steps = ctx.procedure.steps
        if any(ref.in_flow and ref.name not in ctx.flow.index for ref in ctx.references):
            return  # PF005 reports the broken reference; the flow is not known until it is fixed
        for position, ends in enumerate(ctx.flow.reaches_end):
            if not ends:
                yield issue(self.code, f"step '{steps[position].id}': no end can be reached "
                            "from here, every path loops back; lead a next or a branch out of "
                            "the loop to a step that ends (end: true, or the last step)",
                            "steps", position, "id")


RULE = NoWayToEnd()

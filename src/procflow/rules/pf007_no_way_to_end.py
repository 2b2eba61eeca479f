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
    way out. A step whose `next` or branch names an unknown step (PF005 reports it), or whose
    way on has a schema error (PF003), counts as one that may end: nobody knows where it was
    meant to go, and the rest of the flow is still checked in the same run.

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
        # a step whose way on is not known may well end: a next or branch naming an unknown
        # step (PF005 reports it), or flow fields the schema check had to repair (PF003)
        open_ended = {int(ref.path[1]) for ref in ctx.references
                      if ref.in_flow and ref.name not in ctx.flow.index}
        if ctx.document is not None:
            open_ended |= {int(path[1]) for path in ctx.document.tainted
                           if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int)
                           and (len(path) == 2 or path[2] in ("next", "branches", "end"))}
        for position, ends in enumerate(ctx.flow.can_end(open_ended)):
            if not ends:
                yield issue(self.code, f"step '{steps[position].id}': no end can be reached "
                            "from here, every path loops back; lead a next or a branch out of "
                            "the loop to a step that ends (end: true, or the last step)",
                            "steps", position, "id")


RULE = NoWayToEnd()

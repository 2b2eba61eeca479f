"""PF105: a step too long to use as a checklist."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue

MAX_CHECKLIST_ITEMS = 7
MAX_INSTRUCTION_CHARACTERS = 600


class LongStep(Rule):
    """Finds steps with more than 7 `checklist` items, or with `instructions` longer
    than 600 characters.

    **Why it matters:** a procedure is used during a call or while a customer waits. Short
    checklists get followed; long documents get skimmed, and the item that matters is the one
    that is skipped. A step that needs more is usually two steps, or needs a link to a
    knowledge-base article rather than the article itself.

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
        checklist: [Greet within 30 seconds, Give your name, Ask for the customer number,
                    Confirm the address, Confirm the phone number, Confirm the e-mail,
                    Ask about the request, Repeat the request, Agree on the next contact]
    ```

    **Passes:** split the step.

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - id: identify
        title: Greet and identify the customer
        role: agent
        checklist: [Greet within 30 seconds, Give your name, Ask for the customer number,
                    Confirm the contact details]
      - id: request
        title: Take down the request
        role: agent
        checklist: [Ask about the request, Repeat the request, Agree on the next contact]
    ```
    """

    code = "PF105"
    severity = Severity.WARNING
    summary = ("a step too long to use as a checklist: more than 7 checklist items or "
               "instructions over 600 characters")

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        for position, step in enumerate(ctx.procedure.steps):
            if len(step.checklist) > MAX_CHECKLIST_ITEMS:
                yield issue(self.code, f"step '{step.id}' has {len(step.checklist)} checklist "
                            f"items, more than {MAX_CHECKLIST_ITEMS}: split the step, or keep "
                            "the items that are easy to forget", "steps", position, "checklist")
            if step.instructions is not None and \
                    len(step.instructions) > MAX_INSTRUCTION_CHARACTERS:
                yield issue(self.code, f"step '{step.id}' has {len(step.instructions)} "
                            f"characters of instructions, more than "
                            f"{MAX_INSTRUCTION_CHARACTERS}: split the step, or link to the "
                            "details in your knowledge base", "steps", position, "instructions")


RULE = LongStep()

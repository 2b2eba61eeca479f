"""PF108: a message template that no step uses."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue


class UnusedTemplate(Rule):
    """Finds message templates of `templates` that no step names in its `template` field.

    **Why it matters:** a template is a promise of what customers are told. When the only
    step that sent it is removed or points at another template, customers silently stop
    getting that message (a receipt, a decision letter) while the template still sits in the
    file and looks in use. Only the owner knows which is right, so procflow does not fix it:
    either a step should send it again, or it is obsolete and can go.

    **Fails:**

    ```yaml
    procflow: 1
    id: complaint
    title: Complaint
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: agent, name: Agent}]
    steps:
      - {id: register, title: Register the complaint, role: agent}
    templates:
      - {id: acknowledgement, channel: email, body: We received your complaint.}
    ```

    **Passes:** the step that should send it names it (or the template is removed).

    ```yaml
    procflow: 1
    id: complaint
    title: Complaint
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles: [{id: agent, name: Agent}]
    steps:
      - {id: register, title: Register the complaint, role: agent, template: acknowledgement}
    templates:
      - {id: acknowledgement, channel: email, body: We received your complaint.}
    ```
    """

    code = "PF108"
    severity = Severity.WARNING
    summary = "a message template that no step uses"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        used = {step.template for step in ctx.procedure.steps}
        for position, template in enumerate(ctx.procedure.templates):
            if template.id not in used:
                yield issue(self.code, f"template '{template.id}' is not sent by any step, so "
                            "customers never receive it: name it in the template field of "
                            "the step that should send it, or remove it",
                            "templates", position, "id")


RULE = UnusedTemplate()

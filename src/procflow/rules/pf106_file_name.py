"""PF106: the file is not named after the procedure id."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity
from procflow.rules.base import Rule, RuleContext, issue


class FileName(Rule):
    """Finds procedure files not named `<id>.yaml` or `<id>.yml`.

    **Why it matters:** people find a procedure by its id: in `related`, in links from the
    rendered catalog, in `procflow diff` output and in review requests. When the file name
    tells the same name, the file is found without searching, and two files cannot quietly
    describe one procedure.

    **Fails:**

    ```yaml
    # file: procedures/phone.yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    **Passes:** the file is `procedures/phone-request.yaml` (rename it with `git mv` so
    its history follows).

    ```yaml
    # file: procedures/phone-request.yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```
    """

    code = "PF106"
    severity = Severity.WARNING
    summary = "file name is not <id>.yaml / <id>.yml"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        procedure_id = ctx.procedure.id
        name = ctx.file.name
        if name not in (f"{procedure_id}.yaml", f"{procedure_id}.yml"):
            suffix = ctx.file.suffix if ctx.file.suffix in (".yaml", ".yml") else ".yaml"
            yield issue(self.code, f"file name '{name}' does not match the procedure id "
                        f"'{procedure_id}': rename the file to '{procedure_id}{suffix}' (or "
                        "change the id)", "id")


RULE = FileName()

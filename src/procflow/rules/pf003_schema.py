"""PF003: the file does not follow the format (found by the loader; documentation here)."""

from __future__ import annotations

from procflow.rules.base import LoadRule


class Schema(LoadRule):
    """Finds what the procedure format does not allow: a missing required field, a value of
    the wrong type, an unknown field (with a did-you-mean), an id that is not a slug, a
    duration without a unit, a version that is not `MAJOR.MINOR.PATCH`, and values that
    YAML changed behind the author's back: unquoted `NO`, `on`, `1.10`, `012` or
    `1:30` where text is expected (YAML 1.1 reads them as a boolean, a number or a time)
    are reported with the advice to quote them.

    **Why it matters:** an unknown field is usually a typo, and a typo that is ignored is a
    rule nobody follows (`max_duraton: 10m` would leave the step without a limit). Ids are
    slugs (lowercase letters, digits, single hyphens) because other fields, file names and
    links refer to them. A duration needs a unit because a bare `30` could be seconds,
    minutes or days.

    PF003 cannot be disabled.

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
        max_duraton: 10m
    ```

    **Passes:** spell the field as the format does (`procflow schema` gives editors
    completion for every field).

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
        max_duration: 10m
    ```
    """

    code = "PF003"
    summary = ("schema: missing field, wrong type, unknown field, bad slug, bad duration, "
               "bad version")


RULE = Schema()

"""PF002: unsafe or abusive YAML (found by the loader; this module carries its documentation)."""

from __future__ import annotations

from procflow.rules.base import LoadRule


class UnsafeYaml(LoadRule):
    """Finds YAML that is valid but unsafe or misleading: a key given twice in one mapping,
    a tag such as `!!python/object/apply` (or any tag other than the plain data types),
    aliases that expand beyond a bound (an "alias bomb"), nesting deeper than a bound, files
    larger than a bound, and procedures with more roles, steps or branches than a bound.

    **Why it matters:** with a duplicate key most YAML readers silently keep the last value,
    so a reviewer reads one thing and the tools use another; the finding names both lines.
    Tags can make a YAML library build objects or run commands; procflow reads plain data
    only and never constructs anything from a tag. The bounds keep a hostile or broken file
    from exhausting memory or time in CI. They are set under `limits:` in `procflow.yaml`
    (`max_bytes`, default 2,000,000; `max_depth`, default 50; `max_alias_nodes`,
    default 10,000; `max_roles`, default 200; `max_steps`, default 1,000; `max_branches`,
    default 50: far above real procedures, whose render cost grows with roles x steps).
    Aliases are counted twice: the nodes they repeat count against `max_alias_nodes`, and
    the characters they repeat, added to the file's own size, against `max_bytes` (one long
    text repeated thousands of times has few nodes but would make a rendered page or a
    report of hundreds of megabytes). Whatever `max_bytes` says, aliases add at most
    2,000,000 characters: a pull request that raises the limit in `procflow.yaml` still
    cannot turn a small file into a huge page.

    PF002 cannot be disabled.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    title: Phone requests
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    **Passes:** keep one `title`.

    ```yaml
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

    code = "PF002"
    summary = ("unsafe or abusive YAML: duplicate key, alias expansion beyond a bound, "
               "unknown tags, file too large, nesting too deep")


RULE = UnsafeYaml()

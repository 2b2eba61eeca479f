"""PF001: the file is not YAML (found by the loader; this module carries its documentation)."""

from __future__ import annotations

from procflow.rules.base import LoadRule


class NotYaml(LoadRule):
    """Finds files that are not YAML procflow can read: a syntax error, a tab in the
    indentation, bytes that are not UTF-8, an empty file, or a document that is not a mapping
    (a list, a single value, several documents).

    **Why it matters:** nothing else can be checked until the file reads as one YAML mapping,
    and other tools (the editor, git hosts, the team's reviewers) would read it differently or
    not at all. The finding says in plain words what went wrong and points where it went
    wrong, which is often not where the parser noticed: where an unclosed quote or bracket
    opened, the line whose indentation matches no level above (with the column it should
    start at), a missing space after `-` or `:`, a `: ` inside a plain value (quote it), text
    after a closing quote. The last three are marked fixable: `procflow fix` repairs them.
    The YAML parser stops at the first syntax error, so a file that does not parse is the
    one case where fixing one problem can reveal the next.

    PF001 cannot be disabled: a file that does not load cannot be checked.

    **Fails:**

    ```yaml
    procflow: 1
    id: phone-request
    title: "Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    **Passes:** close the quote.

    ```yaml
    procflow: 1
    id: phone-request
    title: "Phone request"
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```
    """

    code = "PF001"
    summary = "not YAML: syntax error, tab indentation, not UTF-8, empty file, not a mapping"


RULE = NotYaml()

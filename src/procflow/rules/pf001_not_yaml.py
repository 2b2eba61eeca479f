"""PF001: the file is not YAML (found by the loader; this module carries its documentation)."""

from __future__ import annotations

from procflow.rules.base import LoadRule


class NotYaml(LoadRule):
    """Finds files that are not YAML procflow can read: a syntax error, a tab in the
    indentation, bytes that are not UTF-8, an empty file, or a document that is not a mapping
    (a list, a single value, several documents).

    **Why it matters:** nothing else can be checked until the file reads as one YAML mapping,
    and other tools (the editor, git hosts, the team's reviewers) would read it differently or
    not at all. The finding points at the line and column where reading stopped; the cause is
    often on that line or the one above it (an unclosed quote, a missing colon).

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

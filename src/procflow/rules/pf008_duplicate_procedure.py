"""PF008: two procedure files with the same procedure id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from procflow.findings import Issue
from procflow.rules.base import TreeEntry, TreeRule, entries_by_id, issue


class DuplicateProcedure(TreeRule):
    """Finds procedure files that share an `id` with another file in the tree. Every file
    involved gets the finding, naming the others, so a pre-commit run on any one of them
    reports it.

    The tree is every procedure given to `procflow validate` plus, when a `procflow.yaml`
    is found, every procedure in the project's `procedures/` folder.

    **Why it matters:** procedures refer to each other by id (`related`), the rendered
    catalog and `procflow diff` match procedures by id, and two files of one id would
    overwrite each other's pages. Usually a file was copied as a starting point and its id
    was not changed.

    **Fails:**

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

    ```yaml
    # file: procedures/archive/phone-request.yaml
    procflow: 1
    id: phone-request
    title: Phone request (2024)
    version: "0.9.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Answer the phone, role: agent}
    ```

    **Passes:** give each procedure its own id, and name its file after it.

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

    ```yaml
    # file: procedures/archive/phone-request-2024.yaml
    procflow: 1
    id: phone-request-2024
    title: Phone request (2024)
    version: "0.9.0"
    status: retired
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Answer the phone, role: agent}
    ```
    """

    code = "PF008"
    summary = "two files with the same procedure id"

    def check_tree(self, entries: Sequence[TreeEntry]) -> Iterable[tuple[int, Issue]]:
        for procedure_id, indexes in entries_by_id(entries).items():
            if len(indexes) < 2:
                continue
            for index in indexes:
                # the first three others only: thousands of files of one id stay linear
                others = [entries[k].file for k in indexes[:4] if k != index][:3]
                more = len(indexes) - 1 - len(others)
                shown = ", ".join(others) + (f" and {more} more" if more else "")
                yield index, issue(self.code, f"procedure id '{procedure_id}' is also the id of "
                                   f"{shown}; ids must be unique in the tree: change one of them "
                                   "(and its file name)", "id")


RULE = DuplicateProcedure()

"""PF009: `related` names a procedure that is not in the tree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from procflow.findings import Issue, Suggester, did_you_mean, excerpt
from procflow.rules.base import TreeEntry, TreeRule, entries_by_id, issue


class UnknownRelated(TreeRule):
    """Finds ids in `related` that no procedure in the tree has.

    The tree is every procedure given to `procflow validate` plus, when a `procflow.yaml`
    is found, every procedure in the project's `procedures/` folder, so checking a single
    changed file (as pre-commit does) still finds its related procedures.

    **Why it matters:** `related` becomes links in the rendered procedures; a link to a
    procedure that does not exist (renamed, retired and deleted, or mistyped) sends the reader
    nowhere at the moment they need the next procedure.

    **Fails:**

    ```yaml
    # file: procedures/phone-request.yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    related: [complaint-handlng]
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    ```yaml
    # file: procedures/complaint-handling.yaml
    procflow: 1
    id: complaint-handling
    title: Complaint handling
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: register, title: Register the complaint, role: agent}
    ```

    **Passes:** name the procedure by its id.

    ```yaml
    # file: procedures/phone-request.yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    related: [complaint-handling]
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    ```yaml
    # file: procedures/complaint-handling.yaml
    procflow: 1
    id: complaint-handling
    title: Complaint handling
    version: "1.0.0"
    owner: {name: Anna Nowak}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: register, title: Register the complaint, role: agent}
    ```
    """

    code = "PF009"
    summary = "related names a procedure that is not in the tree"

    def check_tree(self, entries: Sequence[TreeEntry]) -> Iterable[tuple[int, Issue]]:
        known = entries_by_id(entries)
        suggester = Suggester(known)  # indexed once: thousands of unknown ids stay linear
        for index, entry in enumerate(entries):
            for k, related in enumerate(entry.related):
                if related not in known:
                    hint = did_you_mean(related, suggester)
                    fix = hint or ("; check the id, or add that procedure to the tree (or "
                                   "remove it from related)")
                    yield index, issue(self.code, f"related procedure '{excerpt(related)}' is not in "
                                       f"the tree{fix}", "related", k)


RULE = UnknownRelated()

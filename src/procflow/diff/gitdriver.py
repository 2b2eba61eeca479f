"""procflow as git's external diff program (``diff.procflow.command``), so ``git diff`` and
``git log -p --ext-diff`` show the semantic diff of procedure files.

git calls it with 7 arguments (path old-file old-hex old-mode new-file new-hex new-mode), 9
for a rename (plus new-path and a "similarity index..." text), 1 for an unmerged path; a side
that does not exist is ``/dev/null``. git treats any exit status but 0 as fatal, so this
never fails: a file that does not load gets its diagnostics and a plain line diff instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from rich.text import Text

from procflow.diff.output.text import procedure
from procflow.diff.tree import Source, diff_sources, read_bounded
from procflow.errors import LoadFailed
from procflow.findings import printable
from procflow.yamlsafe import Limits

NULL = "/dev/null"


def driver_text(args: list[str], today: dt.date) -> Text:
    """What to show for one file git asks about (``today``: as for ``diff_sources``)."""
    if len(args) == 1:
        return Text(f"procflow: {printable(args[0])} is unmerged; resolve the conflict to see "
                    "its diff\n")
    if len(args) not in (7, 9):
        return Text(f"procflow git-diff-driver: git passes 7 or 9 arguments, got {len(args)}; "
                    "set it up with git config diff.procflow.command "
                    "'procflow git-diff-driver'\n")
    path, old_file, old_hex, _, new_file, new_hex = args[:6]
    new_path = args[7] if len(args) == 9 else path
    out = Text(f"procflow diff a/{printable(path)} b/{printable(new_path)}\n", style="bold")
    if len(args) == 9 and args[8].strip():
        out.append(printable(args[8].rstrip("\n")) + "\n", style="dim")
    if old_hex == new_hex and old_file != NULL and new_file != NULL:
        out.append("no content change\n")
        return out
    old = _source(old_file, f"a/{path}", path)
    new = _source(new_file, f"b/{new_path}", new_path)
    try:
        report = diff_sources(old, new, today=today, as_one=True)
    except LoadFailed as failure:
        out.append("".join(f"{finding}\n" for finding in failure.findings))
        out.append(_line_diff(old_file, new_file, path, new_path))
        return out
    for diff in report.changed:
        procedure(out, diff)
    if report.is_empty:
        out.append("no semantic change (formatting, order or comments only)\n")
    return out


def _source(file: str, label: str, repo_path: str) -> list[Source]:
    if file == NULL:
        return []
    return [Source("", label, Path(repo_path), label, path=Path(file))]


def _line_diff(old_file: str, new_file: str, path: str, new_path: str) -> str:
    def lines(file: str) -> list[str]:
        if file == NULL:
            return []
        data = read_bounded(Path(file), Limits().max_bytes)
        if data is None:
            return ["(not shown: unreadable or over the size bound)\n"]
        return data.decode("utf-8", errors="replace").splitlines(keepends=True)

    diff = difflib.unified_diff(lines(old_file), lines(new_file), f"a/{path}", f"b/{new_path}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in diff)

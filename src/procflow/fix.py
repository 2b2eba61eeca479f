"""``procflow fix``: apply the mechanical fixes in place, touching only the bytes that change.

A finding can carry a ``Fix`` (procflow.edits): the quotes around a value YAML 1.1 would
read as a boolean or a number, ``1h30m`` for ``1.5h``, ``"1.0.0"`` for ``version: 1.0``,
an ISO date written the one way it can be read, the one field or step name a typo was
close to, a missing space after ``-`` or ``:``, the quotes around a value with ``: ``. The
file is checked, its fixes applied, and checked again (a fixed syntax error can reveal
schema errors that have fixes of their own), a few rounds at most. Comments, order and
formatting stay; the write is atomic (procflow.safe_write: a temporary file in the same
folder, then a rename), and a symbolic link is never written through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from procflow.edits import apply
from procflow.findings import Finding

#: check-and-fix rounds for one file (each round applies every fix that does not overlap)
_ROUNDS = 5
_BOM = b"\xef\xbb\xbf"


@dataclass
class FileFix:
    """What fixing one file did (or would do): its text before and after, the findings the
    fixes repaired, and those that remain."""

    path: Path
    before: str
    after: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    #: why the file was left alone although it has fixes (a symbolic link)
    skipped: str | None = None

    @property
    def changed(self) -> bool:
        return self.after != self.before


def fix_files(paths: Sequence[Path], *, today: dt.date, write: bool = True) -> list[FileFix]:
    """Fix every procedure the paths name; with ``write=False`` only say what would change."""
    from procflow.procedures import discover
    from procflow.safe_write import write_text

    results = []
    for path in discover(paths):
        result = fix_file(path, today=today)
        if write and result.changed and result.skipped is None:
            # whole or not at all, mode kept, never through a link (procflow.safe_write)
            write_text(path, ("\ufeff" if _has_bom(path) else "") + result.after,
                       root=path.parent)
        results.append(result)
    return results


def fix_file(path: Path, *, today: dt.date) -> FileFix:
    """The fixed text of one file, computed in memory (nothing is written here)."""
    from procflow.lint import check_file
    from procflow.loader import read_text
    from procflow.project import project_for

    text, problems = read_text(path, project_for(path).limits)
    if text is None:
        return FileFix(path, "", "", remaining=problems)
    result = FileFix(path, text, text)
    for _ in range(_ROUNDS):
        findings = check_file(path, today, raw=result.after.encode("utf-8")).findings
        result.remaining = sorted(findings)
        fixable = [f for f in findings if f.fix is not None]
        if not fixable:
            break
        after, applied = apply(result.after, [f.fix for f in fixable if f.fix is not None])
        if after == result.after:
            break
        applied_ids = {id(fix) for fix in applied}
        result.fixed += [f for f in fixable if id(f.fix) in applied_ids]
        result.after = after
    if result.changed and path.is_symlink():
        result.skipped = "a symbolic link: fix the file it points to"
    return result


def unified_diff(result: FileFix, shown: str) -> str:
    """What fixing the file changes, as a unified diff (``--diff``)."""
    import difflib

    return "".join(difflib.unified_diff(result.before.splitlines(keepends=True),
                                        result.after.splitlines(keepends=True),
                                        f"a/{shown}", f"b/{shown}"))


def _has_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(3) == _BOM

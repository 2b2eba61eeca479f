"""The sentences every report shares: the summary line of a procedure, the names of its
parts (in the order of the format), the run's totals, and a line diff of long text."""

from __future__ import annotations

import difflib
import re

from procflow.diff.changes import BUMP_RANK, Change, DiffReport, ProcedureDiff
from procflow.diff.values import is_long
from procflow.diff.version import bump
from procflow.findings import count_noun

#: a change's ``part`` -> its heading, in the order of the format
PART_TITLES = {"procedure": "Procedure", "roles": "Roles", "priorities": "Priorities",
               "steps": "Steps", "slas": "SLAs", "escalations": "Escalations",
               "templates": "Templates", "kpis": "KPIs"}
NO_CHANGES = "No semantic changes."


def versions(diff: ProcedureDiff) -> str:
    if diff.old_version and diff.new_version and diff.old_version != diff.new_version:
        return f"{diff.old_version} → {diff.new_version}"
    return diff.new_version or diff.old_version or ""


def bump_done(diff: ProcedureDiff) -> bool | None:
    """Whether the new version already has the bump the changes need (None: nothing to bump,
    an added or removed procedure or no change)."""
    if diff.status != "changed" or diff.impact is None:
        return None
    got = bump(diff.old_version or "0.0.0", diff.new_version or "0.0.0")
    return got is not None and BUMP_RANK[got] >= BUMP_RANK[diff.required_bump]


def verdict(diff: ProcedureDiff) -> str:
    """``breaking — major bump 0.1.0 → 1.0.0 ✓``; ``breaking — needs a major version
    (1.4.2 → 1.5.0 is minor)``; ``added (notable)``; ``no content change``."""
    if diff.status in ("added", "removed"):
        return f"{diff.status} ({diff.impact})"
    if diff.impact is None:
        return "no content change" if diff.status == "changed" else "unchanged"
    old, new = diff.old_version or "", diff.new_version or ""
    got = bump(old or "0.0.0", new or "0.0.0")
    if bump_done(diff):
        return f"{diff.impact} — {got} bump {old} → {new} ✓"
    said = ("the version did not change" if got == "none"
            else f"{old} → {new} goes down" if got is None else f"{old} → {new} is {got}")
    return f"{diff.impact} — needs a {diff.required_bump} version ({said})"


def needs(diff: ProcedureDiff) -> str:
    """The bump column of a summary table: ``major ✓``, ``major`` (missing), ``—``."""
    done = bump_done(diff)
    if done is None:
        return "—"
    return f"{diff.required_bump} ✓" if done else f"{diff.required_bump} (missing)"


def summary(diff: ProcedureDiff) -> str:
    """One line: ``complaint-handling: breaking — needs a major version (1.4.2 → 1.5.0 is
    minor); 9 changes; affects agent, specialist, team-lead``."""
    shown = "" if "→" in verdict(diff) or not versions(diff) else f" {versions(diff)}"
    parts = [f"{diff.id}{shown}: {verdict(diff)}"]
    if diff.changes:
        parts.append(count_noun(len(diff.changes), "change"))
    if diff.affected_roles:
        parts.append("affects " + ", ".join(diff.affected_roles))
    return "; ".join(parts)


def grouped(diff: ProcedureDiff) -> list[tuple[str, list[Change]]]:
    """The changes grouped by part, in the order of the format."""
    groups: dict[str, list[Change]] = {}
    for change in diff.changes:
        groups.setdefault(change.part, []).append(change)
    return [(title, groups[name]) for name, title in PART_TITLES.items() if name in groups]


def totals(report: DiffReport) -> str:
    counts = report.counts()
    said = ", ".join(f"{counts[s]} {s}" for s in ("changed", "added", "removed", "unchanged"))
    return f"{count_noun(len(report.procedures), 'procedure')}: {said}"


def text_diff(change: Change) -> list[str]:
    """For a long or multi-line text that changed: its lines, ``-`` old, ``+`` new."""
    old, new = change.old, change.new
    if change.kind != "changed" or not (isinstance(old, str) and isinstance(new, str)
                                        and (is_long(old) or is_long(new))):
        return []
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), n=1, lineterm="")
    return [line for line in lines if not line.startswith(("---", "+++", "@@"))]


#: the short texts whose edits are shown word by word: titles, subjects, conditions and
#: escalation criteria, checklist items
_WORDED = re.compile(r"\.(title|subject|when|name)$|\.checklist\[\d+\]$")


def word_diff(change: Change) -> list[tuple[str, str]]:
    """For an edited short text: its words as runs of ``=`` kept, ``-`` removed and ``+``
    added (empty for anything else)."""
    old, new = change.old, change.new
    if change.kind != "changed" or not (isinstance(old, str) and isinstance(new, str)) \
            or is_long(old) or is_long(new) or not _WORDED.search(change.path):
        return []
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return out

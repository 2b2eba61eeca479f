"""The sentences every report shares: the summary line of a procedure, the names of its
parts (in the order of the format), the run's totals, and a line diff of long text."""

from __future__ import annotations

import difflib

from procflow.diff.changes import Change, DiffReport, ProcedureDiff
from procflow.diff.values import is_long

#: a change's ``part`` -> its heading, in the order of the format
PART_TITLES = {"procedure": "Procedure", "roles": "Roles", "priorities": "Priorities",
               "steps": "Steps", "slas": "SLAs", "escalations": "Escalations",
               "templates": "Templates", "kpis": "KPIs"}
NO_CHANGES = "No semantic changes."


def versions(diff: ProcedureDiff) -> str:
    if diff.old_version and diff.new_version and diff.old_version != diff.new_version:
        return f"{diff.old_version} → {diff.new_version}"
    return diff.new_version or diff.old_version or ""


def verdict(diff: ProcedureDiff) -> str:
    """``breaking, needs a major version``; ``added``; ``no content change``."""
    if diff.status in ("added", "removed"):
        return f"{diff.status} ({diff.impact})"
    if diff.impact is None:
        return "no content change" if diff.status == "changed" else "unchanged"
    return f"{diff.impact}, needs a {diff.required_bump} version"


def summary(diff: ProcedureDiff) -> str:
    """One line: ``complaint-handling 1.4.2 → 1.5.0: breaking, needs a major version;
    9 changes; affects agent, specialist, team-lead``."""
    parts = [f"{diff.id} {versions(diff)}: {verdict(diff)}"]
    if diff.changes:
        count = len(diff.changes)
        parts.append(f"{count} change{'s' if count != 1 else ''}")
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
    return f"{len(report.procedures)} procedure(s): {said}"


def text_diff(change: Change) -> list[str]:
    """For a long or multi-line text that changed: its lines, ``-`` old, ``+`` new."""
    old, new = change.old, change.new
    if change.kind != "changed" or not (isinstance(old, str) and isinstance(new, str)
                                        and (is_long(old) or is_long(new))):
        return []
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), n=1, lineterm="")
    return [line for line in lines if not line.startswith(("---", "+++", "@@"))]

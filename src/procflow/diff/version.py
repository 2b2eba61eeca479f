"""The version policy behind ``--check-version``: a changed procedure's version must go up by
at least its ``required_bump`` (major for breaking, minor for notable, patch for cosmetic
changes), and never down."""

from __future__ import annotations

from procflow.diff.changes import BUMP_RANK, DiffReport, ProcedureDiff
from procflow.findings import count_noun


def _parts(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def bump(old: str, new: str) -> str | None:
    """The bump from ``old`` to ``new``: major, minor, patch or none; None when it went down."""
    a, b = _parts(old), _parts(new)
    if b < a:
        return None
    for name, i in (("major", 0), ("minor", 1), ("patch", 2)):
        if b[i] != a[i]:
            return name
    return "none"


def next_version(old: str, needed: str) -> str:
    major, minor, patch = _parts(old)
    if needed == "major":
        return f"{major + 1}.0.0"
    if needed == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def version_problems(report: DiffReport) -> list[str]:
    """One message per changed procedure whose version does not follow its changes."""
    return [message for diff in report.procedures if (message := problem(diff))]


def problem(diff: ProcedureDiff) -> str | None:
    if diff.status != "changed" or not diff.old_version or not diff.new_version:
        return None
    got = bump(diff.old_version, diff.new_version)
    needed = diff.required_bump
    where = f"{diff.id} ({diff.file})"
    if got is None:
        return (f"{where}: version went down from {diff.old_version} to {diff.new_version}; "
                "a version only goes up")
    if BUMP_RANK[got] >= BUMP_RANK[needed]:
        return None
    worst = [c for c in diff.changes if c.impact == diff.impact]
    more = count_noun(len(worst) - 1, f"more {diff.impact} change")
    reason = worst[0].message + (f" (and {more})" if len(worst) > 1 else "")
    did = ("the version did not change" if got == "none"
           else f"{diff.old_version} → {diff.new_version} is only a {got} bump")
    return (f"{where}: needs a {needed} version bump (to {next_version(diff.old_version, needed)}"
            f" or later) because of a {diff.impact} change: {reason}; {did}")

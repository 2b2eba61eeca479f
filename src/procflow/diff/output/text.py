"""The terminal report: a summary line per procedure, then its changes grouped by part,
each led by its impact in words (colour, on a terminal, only repeats what the words say).
User text goes in as plain ``Text`` spans, never as rich markup, with control characters
(an ANSI escape in a title) shown as escapes."""

from __future__ import annotations

from rich.text import Text

from procflow.diff.changes import DiffReport, ProcedureDiff
from procflow.diff.output.wording import NO_CHANGES, grouped, summary, text_diff, totals
from procflow.findings import printable

STYLES = {"breaking": "bold red", "notable": "yellow", "cosmetic": "dim"}


def text_report(report: DiffReport) -> Text:
    out = Text()
    for diff in report.changed:
        procedure(out, diff)
    if report.is_empty:
        out.append(f"{NO_CHANGES} ")
    out.append(totals(report) + "\n", style="dim")
    return out


def procedure(out: Text, diff: ProcedureDiff) -> None:
    out.append(summary(diff) + "\n", style=f"bold {STYLES.get(diff.impact or '', '')}".strip())
    for title, changes in grouped(diff):
        out.append(f"  {title}\n", style="bold")
        for change in changes:
            out.append("    ")
            out.append(f"{change.impact:<9}", style=STYLES[change.impact])
            out.append(f" {printable(change.message)}")
            out.append(f"  {change.path}\n", style="dim")
            for line in text_diff(change):
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
                out.append(f"        {printable(line)}\n", style=style)
    out.append("\n")

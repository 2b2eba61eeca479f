"""The Markdown report, for a pull-request comment: a summary table, then the changes of
each procedure (folded in ``<details>`` when long). User text goes through the Markdown
escaping of ``procflow.markup.markdown`` (safe in a table cell, no raw HTML), flattened to
one line, with ``@`` broken so a changed owner handle pings nobody."""

from __future__ import annotations

import html

from procflow.diff.changes import Change, DiffReport, ProcedureDiff
from procflow.diff.output.wording import (
    NO_CHANGES,
    grouped,
    needs,
    text_diff,
    totals,
    verdict,
    versions,
    word_diff,
)
from procflow.markup.markdown import code_span, escape, fence

FOLD_FROM = 10
ICONS = {"breaking": "🔴", "notable": "🟡", "cosmetic": "⚪"}


def md(text: object) -> str:
    """User text, safe inside a Markdown table cell or paragraph, mentioning nobody."""
    return escape(" ".join(str(text).split())).replace("@", "@\u200b")


def markdown_report(report: DiffReport) -> str:
    lines = ["## procflow diff", "", md(totals(report)), ""]
    if report.is_empty:
        return "\n".join(lines + [NO_CHANGES, ""])
    lines += ["| Procedure | Version | Impact | Needs | Changes | Affects |",
              "| --- | --- | --- | --- | --- | --- |"]
    for diff in report.changed:
        impact = f"{ICONS.get(diff.impact or '', '')} {diff.impact or 'none'}".strip()
        lines.append(f"| {code_span(diff.id)} | {md(versions(diff))} | {impact} | "
                     f"{needs(diff)} | {len(diff.changes)} | "
                     f"{md(', '.join(diff.affected_roles))} |")
    for diff in report.changed:
        lines += [""] + procedure(diff)
    return "\n".join(lines) + "\n"


def procedure(diff: ProcedureDiff) -> list[str]:
    lines = [f"### {code_span(diff.id)} {md(versions(diff))}", "",
             f"**{md(verdict(diff))}** · {code_span(diff.file)}", ""]
    if not diff.changes:
        return lines
    body: list[str] = []
    for title, changes in grouped(diff):
        body += [f"**{title}**", "", "| Impact | Change | Path |", "| --- | --- | --- |"]
        body += [row(change) for change in changes]
        body.append("")
        for change in changes:
            body += words(change) + long_text(change)
    if len(diff.changes) >= FOLD_FROM:
        return lines + [f"<details><summary>{len(diff.changes)} changes</summary>", "",
                        *body, "</details>", ""]
    return lines + body


def row(change: Change) -> str:
    return (f"| {ICONS[change.impact]} {change.impact} | {md(change.message)} | "
            f"{code_span(change.path)} |")


def words(change: Change) -> list[str]:
    """An edited short text word by word: ~~removed~~ and **added** words."""
    runs = word_diff(change)
    if not runs:
        return []
    shown = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
    return [f"- {code_span(change.path)}: "
            + " ".join(shown[op].format(md(text)) for op, text in runs), ""]


def long_text(change: Change) -> list[str]:
    diff_lines = text_diff(change)
    if not diff_lines:
        return []
    return [f"<details><summary>{html.escape(change.path)}: text</summary>", "",
            fence("\n".join(diff_lines), "diff"), "", "</details>", ""]

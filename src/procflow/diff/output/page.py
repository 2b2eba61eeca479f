"""The html report: one self-contained page (inline CSS and SVG, no script, nothing fetched,
a Content-Security-Policy that forbids both, everything in a ``main`` landmark)
a reviewer can open from CI artifacts. Per procedure: the change diagram beside the list of
changes. Every piece of user text is HTML-escaped; the SVG comes from Graphviz, which
escapes the labels it is given."""

from __future__ import annotations

from html import escape

from procflow.diff.changes import Change, DiffReport, ProcedureDiff
from procflow.diff.output.diagram import svg
from procflow.diff.output.wording import (
    NO_CHANGES,
    grouped,
    summary,
    text_diff,
    totals,
    word_diff,
)
from procflow.errors import EnvironmentProblem

#: above this many steps the report lists the changes without a diagram
MAX_STEPS = 300

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;color:#1f2933;margin:24px;max-width:1600px}
h1{font-size:20px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #cbd2d9}
.proc{display:grid;grid-template-columns:minmax(0,3fr) minmax(320px,2fr);gap:24px}
.diagram svg{max-width:100%;height:auto}.note{color:#52606d}
ul{padding-left:18px}li{margin:2px 0}code{font-size:12px;color:#52606d}
.breaking{color:#b42318;font-weight:600}.notable{color:#8d6708}.cosmetic{color:#52606d}
.legend span{margin-right:14px}.added{color:#2f8132}.removed{color:#52606d}
ins{background:#e3f9e5;text-decoration:none}del{background:#fde8e8;color:#8a1c1c}
pre{background:#f5f7fa;padding:6px;white-space:pre-wrap}
"""
#: as on the procedure pages: fit small screens; nothing loaded, no script (it has none)
HEAD = ('<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'; img-src data:">',
        '<meta name="generator" content="procflow">')
LEGEND = ('<p class="legend"><span class="added">■ added step</span>'
          '<span class="notable">■ changed step</span>'
          '<span class="removed">▢ removed step (ghost, dashed)</span></p>')


def html_report(report: DiffReport) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', *HEAD,
             "<title>procflow diff</title>", f"<style>{STYLE}</style></head><body><main>",
             "<h1>procflow diff</h1>", f"<p>{escape(totals(report))}</p>"]
    if report.is_empty:
        parts.append(f"<p>{NO_CHANGES}</p>")
    for diff in report.changed:
        parts.append(section(diff))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def section(diff: ProcedureDiff) -> str:
    head = (f'<h2 id="{escape(diff.id)}">{escape(summary(diff))}</h2>'
            f'<p class="note">{escape(diff.file)}</p>')
    return f'{head}<div class="proc"><div class="diagram">{picture(diff)}</div>' \
           f"<div>{changes(diff)}</div></div>"


def picture(diff: ProcedureDiff) -> str:
    if diff.new is None:
        return '<p class="note">Removed: no diagram.</p>'
    if len(diff.new.steps) > MAX_STEPS:
        return f'<p class="note">No diagram: more than {MAX_STEPS} steps.</p>'
    try:
        return LEGEND + svg(diff)
    except EnvironmentProblem as problem:
        return f'<p class="note">No diagram: {escape(str(problem))}</p>'


def words(change: Change) -> str:
    """An edited short text word by word, in ``del`` and ``ins``."""
    runs = word_diff(change)
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    shown = " ".join(tags[op].format(escape(text)) for op, text in runs)
    return f'<p class="words">{shown}</p>' if runs else ""


def changes(diff: ProcedureDiff) -> str:
    if not diff.changes:
        return f'<p class="note">{escape(diff.status)}: no list of changes.</p>'
    out = []
    for title, items in grouped(diff):
        out.append(f"<h3>{escape(title)}</h3><ul>")
        for change in items:
            lines = "\n".join(text_diff(change))
            extra = f"<pre>{escape(lines)}</pre>" if lines else words(change)
            out.append(f'<li><span class="{change.impact}">{change.impact}</span> '
                       f"{escape(change.message)} <code>{escape(change.path)}</code>{extra}</li>")
        out.append("</ul>")
    return "".join(out)

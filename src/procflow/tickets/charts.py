"""The report's charts as inline SVG, drawn by matplotlib (offline, no browser script).

Each chart is one ``<svg role="img">`` named by a ``<title>`` and sized by its viewBox; the
same figures stand in a table beside it for screen readers and for copying. Colours are the
Okabe-Ito palette (told apart with colour blindness) and lines also differ by marker. Ids
inside each SVG get a prefix of their own so that several charts share a page safely, and
the output is byte-for-byte stable (fixed hash salt, no date).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from markupsafe import Markup, escape

from procflow.tickets.compute import ProcedureResult

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
TEXT = "#1b1b1b"
_ID = re.compile(r'\bid="([^"]+)"')


@functools.cache
def _style() -> None:
    """procflow's chart style, set once per process."""
    import matplotlib

    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "procflow", "font.family": "DejaVu Sans",
        "font.size": 10, "text.color": TEXT, "axes.labelcolor": TEXT, "xtick.color": TEXT,
        "ytick.color": TEXT, "axes.edgecolor": "#555555", "axes.spines.top": False,
        "axes.spines.right": False})


def _figure(width: float, height: float, margins: tuple[float, float, float, float]) -> Any:
    """A matplotlib figure drawn straight to SVG (no pyplot, no GUI backend: faster to
    import and nothing global to close), with fixed margins (left, right, bottom, top in
    inches): an automatic layout draws every chart twice more."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    _style()
    figure = Figure(figsize=(width, height))
    FigureCanvasSVG(figure)
    left, right, bottom, top = margins
    figure.subplots_adjust(left=left / width, right=1 - right / width,
                           bottom=bottom / height, top=1 - top / height)
    return figure


def _svg(figure: Any, prefix: str, title: str) -> Markup:
    """The figure as inline SVG: no prolog, ids made unique, ``role="img"`` and a title."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    ids = set(_ID.findall(text))
    for name in sorted(ids, key=len, reverse=True):
        text = (text.replace(f'id="{name}"', f'id="{prefix}-{name}"')
                .replace(f"#{name})", f"#{prefix}-{name})")
                .replace(f'href="#{name}"', f'href="#{prefix}-{name}"'))
    title_id = f"{prefix}-title"
    head_end = text.index(">") + 1
    opening = text[:head_end].replace("<svg", f'<svg role="img" aria-labelledby="{title_id}"', 1)
    opening = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    return Markup(f'{opening}<title id="{title_id}">{escape(title)}</title>'
                  f'{text[head_end:]}')


def compliance_chart(result: ProcedureResult, months: Sequence[str], prefix: str) -> Markup | None:
    """Compliance per month of each SLA, with its target as a dashed line."""
    if not result.slas or not months:
        return None
    figure = _figure(7.5, 3.6, (0.7, 0.15, 0.85, 0.15))
    axes = figure.subplots()
    x = np.arange(len(months))
    for index, sla in enumerate(result.slas):
        values = [sla.by_month[m].compliance if m in sla.by_month else None for m in months]
        series = np.array([np.nan if v is None else v for v in values], dtype=float)
        colour = PALETTE[index % len(PALETTE)]
        axes.plot(x, series, marker=MARKERS[index % len(MARKERS)], color=colour,
                  label=f"{sla.sla.id} (target {sla.compliance_target.text})")
        if sla.compliance_target.unit == "percent":
            axes.axhline(sla.compliance_target.value, color=colour, linestyle="--",
                         linewidth=1)
    axes.set_xticks(x, months, rotation=45, ha="right")
    axes.set_ylabel("met, % of decided tickets")
    low = min([sla.compliance_target.value for sla in result.slas] + [
        c.compliance for sla in result.slas for c in sla.by_month.values()
        if c.compliance is not None], default=0)
    axes.set_ylim(max(0, min(low, 100) - 5), 101)
    axes.legend(loc="lower left", fontsize=8, frameon=False)
    return _svg(figure, prefix, f"{result.procedure.title}: SLA compliance per month "
                "against the target (dashed)")


def response_chart(result: ProcedureResult, prefix: str) -> Markup | None:
    """How long first responses took in working time, with the SLA targets marked."""
    hours = result.first_response_hours
    if not len(hours):
        return None
    figure = _figure(7.5, 3.0, (0.7, 0.15, 0.6, 0.15))
    axes = figure.subplots()
    targets = [target for _, target in result.response_targets]
    top = float(np.quantile(hours, 0.98))
    top = max([top] + [t * 1.5 for t in targets]) or 1.0
    # one filled step outline, not 40 bar artists: the same picture, drawn far faster
    counts, edges = np.histogram(np.clip(hours, 0, top), bins=40, range=(0, top))
    axes.stairs(counts, edges, fill=True, color=PALETTE[0])
    for index, (sla_id, target) in enumerate(result.response_targets):
        axes.axvline(target, color=PALETTE[(index + 1) % len(PALETTE)], linestyle="--",
                     linewidth=1.5, label=f"{sla_id}: {target:g} h")
    axes.set_xlabel("working hours to first response (the last bar holds the slowest 2%)")
    axes.set_ylabel("tickets")
    if result.response_targets:
        axes.legend(fontsize=8, frameon=False, loc="upper right")  # "best" costs a search
    return _svg(figure, prefix, f"{result.procedure.title}: distribution of the working time "
                "to first response, SLA targets dashed")


def breaches_chart(result: ProcedureResult, prefix: str) -> Markup | None:
    """Breached tickets (closed late, or open and already late) per priority, for a
    procedure with priorities."""
    rows: dict[str, list[int]] = {}
    for sla in result.slas:
        for month in sla.months:
            key = month.priority or "no priority"
            counts = rows.setdefault(key, [0, 0])
            counts[0] += month.counts.breached
            counts[1] += month.counts.open_breached
    if len(rows) < 2 or not any(sum(v) for v in rows.values()):
        return None  # one priority (or none): the SLA tables say it all
    labels = sorted(rows)
    figure = _figure(7.5, 1.2 + 0.45 * len(labels), (1.2, 0.15, 0.6, 0.1))
    axes = figure.subplots()
    closed = np.array([rows[k][0] for k in labels])
    still_open = np.array([rows[k][1] for k in labels])
    y = np.arange(len(labels))
    axes.barh(y, closed, color=PALETTE[1], label="closed late")
    axes.barh(y, still_open, left=closed, color=PALETTE[4], hatch="//",
              label="open and already late")
    axes.set_yticks(y, labels)
    axes.set_xlabel("SLA breaches (all SLAs of the procedure)")
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    return _svg(figure, prefix, f"{result.procedure.title}: SLA breaches by priority")

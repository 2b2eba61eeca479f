"""The report's charts as inline SVG, drawn by pygal (offline, no browser script).

Each chart is one ``<svg role="img">`` named by a ``<title>`` and sized by its viewBox; the
same figures stand in a table beside it for screen readers and for copying. Colours are the
Okabe-Ito palette (told apart with colour blindness); lines also differ by marker and the
second kind of bar by a hatch. pygal's tree is trimmed before it is written: no script (its
tooltips need one, and the page's Content-Security-Policy runs none), no comment (one holds
the date), no tooltip data; its ids get the chart's own prefix, so several charts share a page
safely and the output is byte-for-byte stable.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any
from xml.etree import ElementTree

import numpy as np
from markupsafe import Markup

from procflow.tickets.compute import ProcedureResult

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: the marker of the n-th line, drawn in place of pygal's dots (all circles)
MARKERS = ("circle", "square", "triangle", "diamond")
TEXT = "#1b1b1b"
DASHED = {"dasharray": "7,4", "width": 1.5}
WIDTH = 750
MARGIN = 12
LEGEND_COLUMNS, LEGEND_FONT, LEGEND_BOX = 2, 13, 12
_DROPPED = {"script", "desc"}


@functools.cache
def _pygal() -> Any:
    """pygal, writing through the standard library's ElementTree even where lxml is
    installed: the same bytes everywhere, and no lxml import."""
    import pygal
    from pygal.etree import etree

    etree.to_etree()
    return pygal


def _style(colours: Sequence[str]) -> Any:
    from pygal.style import Style

    return Style(
        background="#ffffff", plot_background="#ffffff", foreground=TEXT,
        foreground_strong=TEXT, foreground_subtle="#c8c8c8", colors=tuple(colours),
        guide_stroke_color="#b0b0b0", major_guide_stroke_color="#b0b0b0",
        guide_stroke_dasharray="1,3", major_guide_stroke_dasharray="1,3",
        font_family='"DejaVu Sans", Verdana, sans-serif', label_font_size=13,
        major_label_font_size=13, legend_font_size=LEGEND_FONT, title_font_size=14,
        value_font_size=12, opacity="1", opacity_hover="1", stroke_opacity="1",
        stroke_opacity_hover="1", stroke_width_hover="1", transition="none")


def _marker(dot: ElementTree.Element, shape: str) -> None:
    """Turn one of pygal's circles into ``shape`` about the same centre."""
    if shape == "circle":
        return
    x, y, r = (float(dot.attrib.pop(name)) for name in ("cx", "cy", "r"))
    r *= 1.15
    outline = {
        "square": f"M{x - r:.2f} {y - r:.2f}h{2 * r:.2f}v{2 * r:.2f}h{-2 * r:.2f}z",
        "triangle": f"M{x:.2f} {y - 1.2 * r:.2f}L{x + 1.1 * r:.2f} {y + 0.8 * r:.2f}"
                    f"H{x - 1.1 * r:.2f}z",
        "diamond": f"M{x:.2f} {y - 1.3 * r:.2f}L{x + 1.1 * r:.2f} {y:.2f}L{x:.2f} "
                   f"{y + 1.3 * r:.2f}L{x - 1.1 * r:.2f} {y:.2f}z",
    }[shape]
    dot.tag = "path"
    dot.set("d", outline)


def _series_of(element: ElementTree.Element) -> int | None:
    for name in element.get("class", "").split():
        if name.startswith("serie-") and name[6:].isdigit():
            return int(name[6:])
    return None


def _trim(prefix: str, title: str, markers: dict[int, str],
          hatched: dict[int, str]) -> Callable[[ElementTree.Element], ElementTree.Element]:
    """pygal's tree made fit for the page: named, no script, comment or tooltip data, ids
    unique to the chart, markers and hatches drawn (series number -> shape or pattern id)."""

    def trim(root: ElementTree.Element) -> ElementTree.Element:
        name = root.find("title")  # pygal writes one ("Pygal" for a chart without a title)
        if name is None:
            name = ElementTree.SubElement(root, "title")
        name.text = title
        name.set("id", "title")  # prefixed below, with pygal's own ids
        root.remove(name)
        root.insert(0, name)
        pygal_attributes = dict(root.attrib)  # (xmlns, id, class, viewBox) after the role
        root.attrib.clear()
        root.attrib.update({"role": "img", "aria-labelledby": f"{prefix}-title",
                            **pygal_attributes})
        for parent in root.iter():
            for child in list(parent):
                if not isinstance(child.tag, str) or child.tag in _DROPPED:
                    parent.remove(child)  # comments and processing instructions too
            if parent is not root and parent.get("id"):
                parent.set("id", f"{prefix}-{parent.get('id')}")
            series = _series_of(parent)
            if series in markers:
                for dot in parent.iter("circle"):
                    _marker(dot, markers[series])
            if series in hatched:
                for bar in parent.iter("rect"):
                    bar.set("fill", f"url(#{hatched[series]})")
        return root

    return trim


def _svg(chart: Any, prefix: str, title: str, *, markers: dict[int, str] | None = None,
         hatched: dict[int, str] | None = None) -> Markup:
    """The chart as inline SVG (the chart's id is ``chart-PREFIX``; its CSS is scoped to it)."""
    chart.uuid = prefix
    chart.add_xml_filter(_trim(prefix, title, markers or {}, hatched or {}))
    return Markup(ElementTree.tostring(chart.render_tree(), encoding="unicode"))


def _count_ticks(top: float) -> list[int]:
    """Whole numbers from 0 past ``top`` in a round step (1, 2 or 5 times a power of ten),
    about six of them: ticket counts have no tenths."""
    rough = max(top / 6, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(f * power for f in (1, 2, 5, 10) if f * power >= rough)
    last = max(math.ceil(top / step), 1) * step
    return list(range(0, last + 1, step))


def _config(height: int, colours: Sequence[str], entries: int, **options: Any
            ) -> dict[str, Any]:
    """pygal's options for a chart whose plot and axes are ``height`` high, with one series
    per colour and a legend of ``entries`` (two a row) below it.

    pygal reserves legend rows for every series, untitled ones too, and rounds the rows
    down (3 entries in 2 columns: one row, the third entry drawn outside the chart); the
    bottom margin makes up the difference."""
    rows, reserved = math.ceil(entries / LEGEND_COLUMNS), len(colours) // LEGEND_COLUMNS
    row = 1.5 * max(LEGEND_FONT, LEGEND_BOX)
    return dict(style=_style(colours), width=WIDTH, height=round(height + row * rows),
                js=[], explicit_size=False, disable_xml_declaration=True,
                legend_at_bottom=True, legend_at_bottom_columns=LEGEND_COLUMNS,
                legend_box_size=LEGEND_BOX, truncate_label=-1,
                margin=MARGIN, margin_bottom=MARGIN + row * (rows - reserved), **options)


def compliance_chart(result: ProcedureResult, months: Sequence[str], prefix: str) -> Markup | None:
    """Compliance per month of each SLA, with its target as a dashed line of its colour."""
    if not result.slas or not months:
        return None
    low = min([sla.compliance_target.value for sla in result.slas] + [
        c.compliance for sla in result.slas for c in sla.by_month.values()
        if c.compliance is not None], default=0)
    colours = [PALETTE[index % len(PALETTE)] for index in range(len(result.slas))
               for _ in range(2)]  # each SLA, then its target line
    chart = _pygal().Line(**_config(
        360, colours, len(result.slas), x_label_rotation=-45,
        y_title="met, % of decided tickets",
        range=(max(0, math.floor(min(low, 100)) - 5), 101), allow_interruptions=True,
        dots_size=4, stroke_style={"width": 2}, value_formatter=lambda v: f"{v:g}%"))
    chart.x_labels = list(months)
    markers = {}
    for index, sla in enumerate(result.slas):
        values = [sla.by_month[m].compliance if m in sla.by_month else None for m in months]
        markers[2 * index] = MARKERS[index % len(MARKERS)]
        chart.add(f"{sla.sla.id} (target {sla.compliance_target.text})", values)
        target = ([sla.compliance_target.value] * len(months)
                  if sla.compliance_target.unit == "percent" else [None] * len(months))
        chart.add(None, target, show_dots=False, stroke_style=DASHED)  # no legend entry
    return _svg(chart, prefix, f"{result.procedure.title}: SLA compliance per month "
                "against the target (dashed)", markers=markers)


def response_chart(result: ProcedureResult, prefix: str) -> Markup | None:
    """How long first responses took in working time, with the SLA targets marked."""
    hours = result.first_response_hours
    if not len(hours):
        return None
    targets = [target for _, target in result.response_targets]
    top = float(np.quantile(hours, 0.98))
    top = max([top] + [t * 1.5 for t in targets]) or 1.0
    counts, edges = np.histogram(np.clip(hours, 0, top), bins=40, range=(0, top))
    ticks = _count_ticks(int(counts.max()))
    colours = [PALETTE[index % len(PALETTE)] for index in range(len(targets) + 1)]
    chart = _pygal().XY(**_config(
        320, colours, len(colours), x_title="working hours to first response (the last bar "
        "holds the slowest 2%)", y_title="tickets", xrange=(0, top), range=(0, ticks[-1]),
        y_labels=ticks,
        show_dots=False, stroke_style={"width": 1}, show_x_guides=False,
        x_value_formatter=lambda v: f"{v:g}", value_formatter=lambda v: f"{v:g}"))
    # the histogram as one filled step outline: the same picture as 40 bars, far lighter
    steps = zip(np.repeat(edges, 2)[1:-1].tolist(), np.repeat(counts, 2).tolist(), strict=True)
    chart.add("tickets", [(0.0, 0), *steps, (top, 0)], fill=True)
    for sla_id, target in result.response_targets:
        chart.add(f"{sla_id}: {target:g} h", [(target, 0), (target, ticks[-1])],
                  stroke_style={**DASHED, "width": 2})
    return _svg(chart, prefix, f"{result.procedure.title}: distribution of the working time "
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
    hatch = f"{prefix}-hatch"  # the pattern's id once _trim has prefixed it
    chart = _pygal().HorizontalStackedBar(**_config(
        90 + 45 * len(labels), (PALETTE[1], PALETTE[4]), 2, x_title="SLA breaches (all "
        "SLAs of the procedure)", show_x_guides=True, show_y_guides=False,
        y_labels=_count_ticks(max(sum(v) for v in rows.values())),
        value_formatter=lambda v: f"{v:g}", defs=[
            '<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{PALETTE[4]}"/>'
            f'<rect width="3" height="8" fill="{TEXT}"/></pattern>']))
    chart.x_labels = labels
    chart.add("closed late", [rows[k][0] for k in labels])
    chart.add("open and already late", [rows[k][1] for k in labels])
    return _svg(chart, prefix, f"{result.procedure.title}: SLA breaches by priority",
                hatched={1: hatch})

"""The DOT text of a swimlane diagram: escaping, colours, styles, and every position from
``layout`` (``to_dot``, ``dot_of``).

Graphviz clusters do not keep lanes in order (see ``shared/research/anchors-render.md``), so
every node, lane and edge gets its position in ``layout.py`` and the DOT asks Graphviz only to
draw them (``layout=nop2``, the in-process twin of ``neato -n2``). Lanes are columns in
declared order, the flow runs top to bottom.

Must not: call Graphviz (``engine.py`` does), know about pages or files. User text only ever
reaches DOT inside labels built from escaped fragments. The output depends only on the
arguments, so golden files can snapshot it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence

from procflow.durations import Duration
from procflow.model import Procedure, Role
from procflow.render.diagram import Diagram, build
from procflow.render.layout import (
    ARROW,
    SMALL_PT,
    TITLE_PT,
    Box,
    Layout,
    Line,
    Route,
    beyond_font,
)

FONT = "DejaVu Sans"


def text_beyond_font(diagram: Diagram) -> str | None:
    """The first text of ``diagram`` with a character ``FONT`` has no glyph for (emoji,
    Chinese...), if any: a PNG shows those as empty boxes unless another font has them."""
    texts = [*diagram.lanes, *(t for shape in diagram.shapes for t in (shape.text, shape.note)),
             *(link.label for link in diagram.links)]
    return next((text for text in texts if beyond_font(text)), None)


INK, MUTED, LANE_LINE = "#1f2933", "#52606d", "#9aa5b1"  # text contrast >= 7:1 on white
LANE_FILLS = ("#f5f7fa", "#ffffff")
_COLORS = {  # fill, outline
    "start": ("#e3f9e5", "#2f8132"), "end": ("#e4e7eb", "#1f2933"),
    "step": ("#ffffff", "#3e4c59"), "decision": ("#fffbea", "#8d6708"),
    "escalation": ("#fff4e5", "#b44d12"),
}
_MARK_STYLE = {  # fill, outline, pen width, extra style
    "added": ("#e3f9e5", "#2f8132", 2.2, ""),
    "changed": ("#fffbea", "#b7791f", 2.2, ""),
    "removed": ("#f5f7fa", "#7b8794", 1.2, "dashed"),
}

_LINK_STYLE = {  # colour, label colour, style of the links that are not plain flow
    "escalation": (_COLORS["escalation"][1], _COLORS["escalation"][1], "dashed"),
    "ghost": ("#7b8794", MUTED, "dashed"),  # a link of the old version only (diff view)
}


def _num(value: float) -> str:
    """A coordinate, to a tenth of a point."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


#: what ``_num`` drops or rewrites in a list of numbers with one decimal each
_POINT_ZERO = re.compile(r"\.0(?=[ ,]|$)")
_MINUS_ZERO = re.compile(r"(?<![0-9.])-0(?=[ ,]|$)")


def _h(text: str, limit: int | None = None) -> str:
    """A fragment of an HTML-like label or of a quoted DOT string: entities for what DOT or
    XML would read as syntax, and every backslash doubled, because Graphviz expands \\N, \\G,
    \\E... in both after decoding entities, and reads a doubled backslash as one. With a
    ``limit``, at most that many characters after escaping (then an ellipsis): Graphviz
    refuses a string over 16,384 characters, and 3,000 quotes escape to 18,000."""
    escaped = html.escape(text, quote=True).replace("\\", "\\\\")
    if limit is None or len(escaped) <= limit:
        return escaped
    out, used = [], 0
    for char in text:
        piece = html.escape(char, quote=True).replace("\\", "\\\\")
        if used + len(piece) > limit - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


#: the most characters of a label (all its lines) and of a tooltip after escaping
LABEL_LIMIT = 6_000
TOOLTIP_LIMIT = 2_000
MAX_LINES = 60


_STYLES = {"plain": "{}", "bold": "<B>{}</B>",
           "small": f'<FONT POINT-SIZE="{_num(SMALL_PT)}" COLOR="{MUTED}">{{}}</FONT>'}


def _label(lines: list[Line]) -> str:
    """An HTML-like label: the lines centred, each escaped and in its style, one table row
    each: Graphviz sets the lines of a <BR/> label one font size apart, so descenders touch
    the next line; table rows are ``layout.LINE`` font sizes high, which keeps them clear.
    At most ``MAX_LINES`` lines of ``LABEL_LIMIT`` characters in all (after escaping), so
    the label stays under Graphviz's 16,384-character bound."""
    if not lines:
        return "< >"
    lines = lines[:MAX_LINES]
    each = LABEL_LIMIT // len(lines)
    rows = "".join(f"<TR><TD>{_STYLES[style].format(_h(text, each))}</TD></TR>"
                   for text, style in lines)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" '
            f'CELLPADDING="0">{rows}</TABLE>>')


def _attrs(**values: str | None) -> str:
    """A DOT attribute list; values starting with "<" are HTML-like labels, others are quoted
    (every value here is generated or already passed through ``_h``)."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        parts.append(f"{key}={value}" if value.startswith("<") else f'{key}="{value}"')
    return "[" + ", ".join(parts) + "]"


def to_dot(procedure: Procedure, *, shared_roles: Sequence[Role] = (),
           duration_text: Callable[[Duration], str] = str, words: Mapping[str, str] | None = None,
           marks: Mapping[str, str] | None = None) -> str:
    """The swimlane diagram of ``procedure`` as DOT text, with every position computed.

    - ``shared_roles``: the project's shared roles (lanes: the procedure's own roles in
      declared order, then the shared roles that its steps or escalations name).
    - ``duration_text``: puts a time limit into words in the procedure's language.
    - ``words``: the words drawn, ``start``, ``end`` and ``escalation`` (default English).
    - ``marks``: step id -> ``added`` | ``changed`` | ``removed``, for a diff view. Added and
      changed steps are filled and outlined in colour; removed steps are drawn as grey,
      dashed ghosts. Marks apply to the steps of ``procedure``: to show a removed step, pass
      a procedure that still has it (such as the old version) and mark it ``removed``. Ids that
      are not steps of ``procedure`` are ignored. The SVG classes of a node are ``step`` or
      ``decision`` plus the mark, so a page can style them further.

    Render it with ``engine.draw`` (or ``dot -Tsvg``: the graph says ``layout=nop2``).
    """
    diagram = build(procedure, shared_roles=shared_roles, duration_text=duration_text,
                    words=words, marks=marks)
    return dot_of(diagram, procedure.id)


def dot_of(diagram: Diagram, procedure_id: str) -> str:
    """The DOT text of a ``build`` result (``to_dot`` in two steps, for a caller that also
    draws the same diagram in Mermaid). SVG ids start with ``pf-<procedure_id>``."""
    return _Writer(Layout(diagram), f"pf-{procedure_id}").text()


class _Writer:
    """The DOT text of a laid-out diagram. Defaults are those of a plain step and a flow
    edge; other shapes and edges say only how they differ."""

    def __init__(self, layout: Layout, prefix: str) -> None:
        self.layout = layout
        self.prefix = prefix
        self.height = layout.height

    def xy(self, x: float, y: float) -> str:
        """A point in Graphviz's coordinates, where y grows upwards."""
        return f"{_num(x)},{_num(self.height - y)}"

    def points(self, points: Sequence[tuple[float, float]]) -> str:
        """``xy`` of many points, blank-separated: formatted at once and then shortened as
        ``_num`` does (an edge has dozens of points, and this is most of the DOT text)."""
        text = " ".join([f"{x:.1f},{self.height - y:.1f}" for x, y in points])
        return _MINUS_ZERO.sub("0", _POINT_ZERO.sub("", text))

    def text(self) -> str:
        layout = self.layout
        fill, stroke = _COLORS["step"]
        out = [
            "digraph procedure {",
            "  graph " + _attrs(layout="nop2", id=self.prefix, pad="0.1",
                                bb=f"0,0,{_num(layout.width)},{_num(self.height)}",
                                fontname=FONT, fontsize=_num(TITLE_PT), fontcolor=INK,
                                outputorder="edgesfirst") + ";",
            "  node " + _attrs(fontname=FONT, fontsize=_num(TITLE_PT), fontcolor=INK,
                               fixedsize="shape", shape="box", style="rounded,filled",
                               fillcolor=fill, color=stroke, penwidth="1.2",
                               **{"class": "step"}) + ";",
            "  edge " + _attrs(fontname=FONT, fontsize=_num(SMALL_PT), fontcolor=INK,
                               color=MUTED, arrowsize=_num(ARROW / 10),
                               penwidth="1.2", **{"class": "flow"}) + ";",
        ]
        for lane in range(layout.lanes):
            out.extend(self.lane(lane))
        for k, route in enumerate(layout.routes):
            out.append(self.edge(k, route))
        out.append("}")
        return "\n".join(out) + "\n"

    def lane(self, lane: int) -> list[str]:
        layout = self.layout
        x0, x1 = layout.lane_span(lane)
        attrs = _attrs(
            label=_label([(line, "bold") for line in layout.header_lines[lane]]),
            bb=f"{_num(x0)},0,{_num(x1)},{_num(self.height)}",
            lp=self.xy((x0 + x1) / 2, layout.header_h / 2), labelloc="t",
            id=f"{self.prefix}-lane{lane + 1}", **{"class": "lane"}, style="filled",
            color=LANE_LINE, fillcolor=LANE_FILLS[lane % 2], penwidth="1")
        lines = [f"  subgraph cluster_lane{lane + 1} {{", f"    graph {attrs};"]
        for box in layout.boxes:
            if box.shape.lane == lane:
                lines.append("    " + self.node(box))
        lines.append("  }")
        return lines

    def node(self, box: Box) -> str:
        shape = box.shape
        kind = shape.kind
        look: dict[str, str | None] = {}
        if kind != "step":
            fill, stroke = _COLORS[kind]
            look = {"class": kind, "fillcolor": fill, "color": stroke,
                    "shape": {"decision": "diamond", "escalation": "box"}.get(kind, "ellipse"),
                    "style": "rounded,dashed,filled" if kind == "escalation" else "filled",
                    "peripheries": "2" if kind == "end" else None}
        if shape.mark in _MARK_STYLE and kind in ("step", "decision"):
            fill, stroke, width, extra = _MARK_STYLE[shape.mark]
            style = "rounded,filled" if kind == "step" else "filled"
            look.update({"class": f"{kind} {shape.mark}", "fillcolor": fill, "color": stroke,
                         "penwidth": _num(width), "style": f"{style},{extra}" if extra else style,
                         "fontcolor": MUTED if shape.mark == "removed" else None})
        attrs = _attrs(id=f"{self.prefix}-{shape.name}", **look,
                       width=f"{box.w / 72:.4f}", height=f"{box.h / 72:.4f}",
                       pos=self.xy(box.x, box.y), label=_label(box.lines),
                       tooltip=_h(box.whole, TOOLTIP_LIMIT) if box.whole else None)
        return f"{shape.name} {attrs};"

    def edge(self, k: int, route: Route) -> str:
        layout = self.layout
        link = layout.links[k]
        spline, end = layout.spline(route)
        kind = "loop" if k in layout.loops and link.kind != "ghost" else link.kind
        color, fontcolor, style = _LINK_STYLE.get(kind, (None, None, None))
        centre = layout.label_centre(route)
        attrs = _attrs(
            id=f"{self.prefix}-l{k + 1}", **{"class": kind if kind != "flow" else None},
            color=color, fontcolor=fontcolor, style=style,
            pos=f"e,{self.xy(*end)} " + self.points(spline),
            label=_label([(line, "plain") for line in route.label_lines]) if centre else None,
            lp=self.xy(*centre) if centre else None)
        source, target = layout.boxes[link.source], layout.boxes[link.target]
        return f"  {source.shape.name} -> {target.shape.name} {attrs};"

"""A counter of what makes a swimlane diagram hard to read, measured on the SVG Graphviz draws
(issue 11, item 1): node boxes, edge paths flattened from their Béziers, label text boxes from
DejaVu Sans advance widths (``layout.text_width``), lane rectangles. It reads only the SVG, so
it measures procflow's own layout and Graphviz ``dot``'s (``dot_svg``) the same way.

    counts = count(svg_bytes)      # a Counts, one number per kind of fault

Used by tests/test_layout_quality.py (the goals) and bench/bench_layout.py (the figures and
the ratio of edge crossings against ``dot``).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, fields
from itertools import combinations

from procflow.render.layout import text_width

SVG = "{http://www.w3.org/2000/svg}"
ASCENT, DESCENT = 0.76, 0.24  # DejaVu Sans, in ems: tops of "d", "l"; bottoms of "g", "p"
Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
Segment = tuple[Point, Point]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass
class Text:
    text: str
    box: Rect
    size: float


@dataclass
class Node:
    name: str
    kind: str
    box: Rect
    outline: list[Point]  # a polygon (a diamond's corners), or [] for a box or an ellipse
    ellipse: bool
    texts: list[Text]


@dataclass
class Edge:
    source: str
    target: str
    segments: list[Segment]
    box: Rect
    label: list[Text]


@dataclass
class Counts:
    """One diagram's faults. The goal of every field but ``crossings``, ``smallest_text`` and
    ``empty_lane_share`` is zero."""

    node_overlaps: int = 0
    edges_through_nodes: int = 0
    crossings: int = 0
    shared_corridors: int = 0
    labels_across_lane_borders: int = 0
    labels_over_nodes: int = 0
    labels_over_labels: int = 0
    labels_over_edges: int = 0
    labels_cut: int = 0
    text_overflows: int = 0
    lines_touching: int = 0  # text lines inside a box whose descenders meet the next line
    edges_on_lane_borders: int = 0
    smallest_text: float = 0.0  # points, at the SVG's natural size
    empty_lane_share: float = 0.0  # of the width, lanes with no node

    FAULTS = ("node_overlaps", "edges_through_nodes", "shared_corridors",
              "labels_across_lane_borders", "labels_over_nodes", "labels_over_labels",
              "labels_over_edges", "labels_cut", "text_overflows", "lines_touching",
              "edges_on_lane_borders")

    def faults(self) -> dict[str, int]:
        """The kinds whose goal is zero and that are not."""
        return {name: getattr(self, name) for name in self.FAULTS if getattr(self, name)}

    def __add__(self, other: Counts) -> Counts:
        total = Counts()
        for f in fields(Counts):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if f.name == "smallest_text":
                value = min(a, b) if a and b else a or b
            elif f.name == "empty_lane_share":
                value = max(a, b)
            else:
                value = a + b
            setattr(total, f.name, value)
        return total


@dataclass
class Geometry:
    lanes: list[Rect] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)


# --- reading the SVG -----------------------------------------------------------------------


def read(svg: bytes | str) -> Geometry:
    root = ET.fromstring(svg)
    geometry = Geometry()
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        title = group.findtext(f"{SVG}title") or ""
        if "cluster" in classes:
            polygon = group.find(f"{SVG}polygon")
            if polygon is not None:
                geometry.lanes.append(_bounds(_points(polygon.get("points", ""))))
        elif "node" in classes:
            geometry.nodes[title] = _node(group, title, classes)
        elif "edge" in classes:
            source, _, target = title.partition("->")
            segments: list[Segment] = []
            for path in group.findall(f"{SVG}path"):
                segments += _flatten(path.get("d", ""))
            points = [p for s in segments for p in s]
            geometry.edges.append(Edge(source, target, segments, _bounds(points),
                                       _texts(group)))
    geometry.lanes.sort()
    return geometry


def _points(text: str) -> list[Point]:
    values = [float(v) for v in _NUMBER.findall(text)]
    return list(zip(values[0::2], values[1::2]))


def _bounds(points: list[Point]) -> Rect:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys)) if points else (0.0, 0.0, 0.0, 0.0)


def _flatten(d: str) -> list[Segment]:
    """Graphviz writes ``M p C c1 c2 p c1 c2 p ...``: each cubic flattened to a line when it is
    straight, else to 8 pieces."""
    points = _points(d)
    segments: list[Segment] = []
    for k in range(0, len(points) - 3, 3):
        p0, c1, c2, p3 = points[k:k + 4]
        if _off_line(c1, p0, p3) < 0.05 and _off_line(c2, p0, p3) < 0.05:
            segments.append((p0, p3))
            continue
        previous = p0
        for step in range(1, 9):
            t = step / 8
            u = 1 - t
            point = (u ** 3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t ** 3 * p3[0],
                     u ** 3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t ** 3 * p3[1])
            segments.append((previous, point))
            previous = point
    return [s for s in segments if math.dist(*s) > 1e-6]


def _off_line(p: Point, a: Point, b: Point) -> float:
    length = math.dist(a, b)
    if length < 1e-9:
        return math.dist(p, a)
    return abs((b[0] - a[0]) * (a[1] - p[1]) - (a[0] - p[0]) * (b[1] - a[1])) / length


def _texts(group: ET.Element) -> list[Text]:
    found = []
    for element in group.iter(f"{SVG}text"):
        content = "".join(element.itertext())
        if not content.strip():
            continue
        size = float(element.get("font-size", "14"))
        width = text_width(content, size, element.get("font-weight") == "bold")
        x, y = float(element.get("x", "0")), float(element.get("y", "0"))
        anchor = element.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        found.append(Text(content, (left, y - ASCENT * size, left + width, y + DESCENT * size),
                          size))
    return found


def _node(group: ET.Element, name: str, classes: list[str]) -> Node:
    kind = next((c for c in classes if c != "node"), "node")
    points: list[Point] = []
    outline: list[Point] = []
    ellipse = False
    for shape in group.iter():  # a node with a tooltip nests its shapes in <a>
        if shape.tag == f"{SVG}polygon":
            outline = _points(shape.get("points", ""))
            points += outline
        elif shape.tag == f"{SVG}path":
            points += _points(shape.get("d", ""))
        elif shape.tag == f"{SVG}ellipse":
            ellipse = True
            cx, cy = float(shape.get("cx", "0")), float(shape.get("cy", "0"))
            rx, ry = float(shape.get("rx", "0")), float(shape.get("ry", "0"))
            points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    box = _bounds(points)
    if kind != "decision":
        outline = []
    return Node(name, kind, box, outline, ellipse, _texts(group))


# --- geometry ------------------------------------------------------------------------------


def _overlap(a: Rect, b: Rect, margin: float = 0.0) -> bool:
    return (a[0] < b[2] - margin and b[0] < a[2] - margin and a[1] < b[3] - margin
            and b[1] < a[3] - margin)


def _grow(r: Rect, by: float) -> Rect:
    return (r[0] - by, r[1] - by, r[2] + by, r[3] + by)


def _inside(p: Point, r: Rect) -> bool:
    return r[0] <= p[0] <= r[2] and r[1] <= p[1] <= r[3]


def _segment_meets_rect(s: Segment, r: Rect) -> bool:
    """Liang-Barsky: whether the segment has a point strictly inside the rectangle."""
    (x0, y0), (x1, y1) = s
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - r[0]), (dx, r[2] - x0), (-dy, y0 - r[1]), (dy, r[3] - y0)):
        if abs(p) < 1e-12:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


def _intersection(a: Segment, b: Segment) -> Point | None:
    """Where two segments cross at an angle (parallel ones never do here)."""
    (x1, y1), (x2, y2) = a
    (x3, y3), (x4, y4) = b
    den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    length = math.dist(*a) * math.dist(*b)
    if abs(den) < 1e-9 * max(length, 1e-9) or abs(den) / length < 0.02:  # parallel
        return None
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
    u = -((x1 - x2) * (y1 - y3) - (y1 - y2) * (x1 - x3)) / den
    if 0 <= t <= 1 and 0 <= u <= 1:
        return x1 + t * (x2 - x1), y1 + t * (y2 - y1)
    return None


def _shared_run(a: Segment, b: Segment, gap: float = 2.5) -> float:
    """How long two nearly parallel segments run within ``gap`` of each other."""
    da = (a[1][0] - a[0][0], a[1][1] - a[0][1])
    la = math.hypot(*da)
    db = (b[1][0] - b[0][0], b[1][1] - b[0][1])
    lb = math.hypot(*db)
    if la < 1e-9 or lb < 1e-9 or abs(da[0] * db[1] - da[1] * db[0]) / (la * lb) > 0.05:
        return 0.0
    if _off_line(b[0], *a) > gap or _off_line(b[1], *a) > gap:
        return 0.0
    ux, uy = da[0] / la, da[1] / la
    t0 = (b[0][0] - a[0][0]) * ux + (b[0][1] - a[0][1]) * uy
    t1 = (b[1][0] - a[0][0]) * ux + (b[1][1] - a[0][1]) * uy
    return max(0.0, min(la, max(t0, t1)) - max(0.0, min(t0, t1)))


def _text_inside(node: Node, box: Rect) -> bool:
    corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
    if node.outline:
        return all(_in_polygon(p, node.outline) for p in corners)
    if node.ellipse:
        cx, cy = (node.box[0] + node.box[2]) / 2, (node.box[1] + node.box[3]) / 2
        rx, ry = (node.box[2] - node.box[0]) / 2, (node.box[3] - node.box[1]) / 2
        return all(((p[0] - cx) / rx) ** 2 + ((p[1] - cy) / ry) ** 2 <= 1.0 for p in corners)
    return all(_inside(p, _grow(node.box, 0.5)) for p in corners)


def _in_polygon(p: Point, polygon: list[Point]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > p[1]) != (y2 > p[1]) and p[0] < x1 + (p[1] - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _union(texts: list[Text]) -> Rect | None:
    if not texts:
        return None
    return (min(t.box[0] for t in texts), min(t.box[1] for t in texts),
            max(t.box[2] for t in texts), max(t.box[3] for t in texts))


# --- counting ------------------------------------------------------------------------------


def count(svg: bytes | str) -> Counts:
    """The faults of one diagram drawn as SVG."""
    return count_geometry(read(svg))


def count_geometry(g: Geometry) -> Counts:
    c = Counts()
    nodes = list(g.nodes.values())
    c.node_overlaps = sum(_overlap(a.box, b.box, 0.5) for a, b in combinations(nodes, 2))
    for edge in g.edges:
        for node in nodes:
            if node.name in (edge.source, edge.target) or not _overlap(edge.box, node.box):
                continue
            inner = _grow(node.box, -1.0)
            if any(_segment_meets_rect(s, inner) for s in edge.segments):
                c.edges_through_nodes += 1
    for a, b in combinations(g.edges, 2):
        if not _overlap(_grow(a.box, 3), _grow(b.box, 3)):
            continue
        ends = [g.nodes[n].box for n in {a.source, a.target} & {b.source, b.target}
                if n in g.nodes]
        near = [_grow(box, 6.0) for box in ends]
        points: list[Point] = []
        shared = 0.0
        for sa in a.segments:
            for sb in b.segments:
                p = _intersection(sa, sb)
                if p is not None and not any(_inside(p, r) for r in near) \
                        and all(math.dist(p, q) > 1.0 for q in points):
                    points.append(p)
                run = _shared_run(sa, sb)
                if run and not any(_inside(sa[0], r) and _inside(sa[1], r) for r in near):
                    shared += run
        c.crossings += len(points)
        c.shared_corridors += shared > 4.0
    borders = sorted({x for lane in g.lanes for x in (lane[0], lane[2])})[1:-1]
    labels = [(edge, _union(edge.label)) for edge in g.edges]
    for edge, box in labels:
        if box is None:
            continue
        c.labels_across_lane_borders += any(box[0] < x < box[2] for x in borders)
        c.labels_over_nodes += sum(_overlap(box, node.box, 0.5) for node in nodes)
        c.labels_over_edges += sum(
            1 for other in g.edges if other is not edge and _overlap(box, other.box)
            and any(_segment_meets_rect(s, box) for s in other.segments))
        c.labels_cut += any(t.text.rstrip().endswith("\u2026") for t in edge.label)
    placed = [box for _, box in labels if box is not None]
    c.labels_over_labels = sum(_overlap(a, b, 0.5) for a, b in combinations(placed, 2))
    for node in nodes:
        c.text_overflows += sum(not _text_inside(node, t.box) for t in node.texts)
        lines = sorted(node.texts, key=lambda t: t.box[1])
        c.lines_touching += sum(upper.box[3] > lower.box[1] for upper, lower
                                in zip(lines, lines[1:]))
    vertical_borders = [x for x in borders]
    for edge in g.edges:
        run = sum(math.dist(*s) for s in edge.segments
                  if abs(s[0][0] - s[1][0]) < 0.5
                  and any(abs(s[0][0] - x) < 4.0 for x in vertical_borders))
        c.edges_on_lane_borders += run > 12.0
    sizes = [t.size for node in nodes for t in node.texts] + \
        [t.size for edge in g.edges for t in edge.label]
    c.smallest_text = min(sizes) if sizes else 0.0
    width = (max(lane[2] for lane in g.lanes) - min(lane[0] for lane in g.lanes)) \
        if g.lanes else 0.0
    empty = sum(lane[2] - lane[0] for lane in g.lanes
                if not any(_inside(((n.box[0] + n.box[2]) / 2, (n.box[1] + n.box[3]) / 2), lane)
                           for n in nodes))
    c.empty_lane_share = empty / width if width else 0.0
    return c


# --- Graphviz dot, for comparison ----------------------------------------------------------


def dot_svg(diagram: object) -> bytes:
    """``diagram`` (a ``render.diagram.Diagram``) laid out by Graphviz ``dot`` with one cluster
    per lane in declared order, the same node sizes and labels as procflow's layout: the
    baseline for edge crossings. Drawn by the pygraphviz-bundled engine."""
    import pygraphviz

    from procflow.render.layout import Layout

    layout = Layout(diagram)  # type: ignore[arg-type]
    lines = ["digraph g {", '  graph [rankdir=TB, newrank=true, fontname="DejaVu Sans"];',
             '  node [fontname="DejaVu Sans", fontsize=10, fixedsize=true, shape=box];',
             '  edge [fontname="DejaVu Sans", fontsize=8];']
    for lane in range(layout.lanes):
        lines.append(f'  subgraph cluster_lane{lane + 1} {{ graph [label="lane {lane + 1}", '
                     'class="lane"];')
        for box in layout.boxes:
            if box.shape.lane == lane:
                shape = {"decision": "diamond", "start": "ellipse", "end": "ellipse"}.get(
                    box.shape.kind, "box")
                label = "\\n".join(_dot_escape(text) for text, _ in box.lines) or " "
                lines.append(f'    {box.shape.name} [class="{box.shape.kind}", shape={shape}, '
                             f'width={box.w / 72:.3f}, height={box.h / 72:.3f}, '
                             f'label="{label}"];')
        lines.append("  }")
    for route in layout.routes:
        link = layout.links[route.link]
        label = _dot_escape("\n".join(route.label_lines)).replace("\n", "\\n")
        s, t = layout.boxes[link.source].shape.name, layout.boxes[link.target].shape.name
        lines.append(f'  {s} -> {t} [label="{label}"];' if label else f"  {s} -> {t};")
    lines.append("}")
    graph = pygraphviz.AGraph(string="\n".join(lines))
    return bytes(graph.draw(format="svg", prog="dot"))


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')

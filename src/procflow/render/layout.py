"""Where everything of a swimlane diagram goes, in points (y grows downwards).

Owns: measuring and wrapping text (DejaVu Sans advance widths), the size of every box, ranks
(rows), the grid of lane columns, orthogonal routes through the channels between rows and the
gaps between columns, the tracks of edges that run side by side, where edge labels go, and the
cubic B-spline of every route. Input: a ``diagram.Diagram`` whose text is already
``diagram.clean``; output: a ``Layout``. Must not: know DOT or colours (``dot_writer.py``
writes the DOT from a ``Layout``). Why procflow lays diagrams out itself: see ``dot_writer.py``.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

from procflow.render.diagram import Diagram, Link, Shape

Style = Literal["plain", "bold", "small"]
Line = tuple[str, Style]  # a line of a label and how it is drawn

# Whole points (Graphviz reads POINT-SIZE as an integer); 9 pt is 12 CSS px at the SVG's
# natural size, the least a page shows (issue 11).
TITLE_PT, SMALL_PT = 10.0, 9.0
LINE = 1.25  # line height, in font sizes: Graphviz's table rows (see dot_writer._label)
BOX_W = 124.0  # width of steps, decisions and escalations, and of a column
PAD = 8.0
COL_GAP = 24.0  # least space between two columns
TRACK = 7.0  # distance between edges that run side by side
RADIUS = 6.0  # corner radius of edges
ARROW = 8.0  # arrowsize 0.8
LABEL_W = 116.0  # widest edge label
MARGIN = 12.0
MAX_TITLE_LINES = 5
MAX_NOTE_LINES = 6  # an escalation's action
DIAMOND_TEXT = 0.6  # the width of a diamond's text, as a share of the diamond's
MAX_HEADER_LINES = 4
NARROW_W = 64.0  # the least width of a lane with no box
MAX_LABEL_LINES = 40  # edge labels are wrapped, not cut (the model bounds their length)
SEARCH_BUDGET = 360  # links the crossing search may lay out again for one diagram
SEARCH_LINKS = 40  # the most links of a diagram that gets the search
ROUTES_TRIED = 3  # other routes it tries for one link
BORDER_CLEAR = 6.0  # least distance of an edge running along a gap from the lane border there


# --- text: measuring, wrapping -------------------------------------------------------------

# Advance widths of DejaVu Sans for " " to "~", in hundredths of an em (read from the font).
_ASCII_EM = (
    32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86,
    75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63,
    62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64,
    34, 64, 84)
# ... and of letters and signs that are not an ASCII letter with accents.
_OTHER_EM = {
    "ł": 28, "Ł": 56, "đ": 64, "Đ": 78, "ø": 61, "Ø": 79, "ß": 63, "æ": 98, "Æ": 97, "œ": 102,
    "Œ": 107, "ı": 28, "€": 64, "≤": 84, "≥": 84, "…": 100, "–": 50, "—": 100, "„": 52,
    "“": 52, "”": 52, "‘": 32, "’": 32, "«": 61, "»": 61, "•": 59, "×": 84, "°": 50, "§": 50,
    "\u00a0": 32}


@functools.cache
def _em(ch: str) -> float:
    """The advance width of ``ch`` in ems: DejaVu Sans's for ASCII, for letters made of an
    ASCII letter and accents (Polish, Czech) and for the other letters and signs above, a wide
    guess for anything else."""
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII_EM[code - 32] / 100
    if ch in _OTHER_EM:
        return _OTHER_EM[ch] / 100
    if unicodedata.combining(ch):
        return 0.0
    base = unicodedata.normalize("NFD", ch)[0]
    if 32 <= ord(base) < 127:
        return _ASCII_EM[ord(base) - 32] / 100
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.8


def beyond_font(text: str) -> bool:
    """Whether ``text`` has characters DejaVu Sans has no glyph for: wide ones (emoji, CJK)
    and those past U+1F000 (most emoji). A PNG draws them as empty boxes unless some other
    installed font has them; an SVG leaves the choice to the reader's browser."""
    return any(ord(ch) >= 0x1F000 or unicodedata.east_asian_width(ch) in "WF"
               for ch in text if ord(ch) > 0x2000)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate of the width in points of ``text`` in DejaVu Sans (bold is ~10% wider)."""
    return sum(map(_em, text)) * size * (1.12 if bold else 1.0)


def wrap(text: str, width: float, size: float, max_lines: int,
         bold: bool = False) -> tuple[list[str], bool]:
    """Greedy word wrap of ``text`` (cleaned: one line, single spaces) to ``width`` points;
    words too long for a line are cut. Returns the lines and whether text was left out (the
    last line then ends with …)."""
    lines: list[str] = []
    line, line_w = "", 0.0
    space = text_width(" ", size, bold)
    for word in text.split(" "):
        word_w = text_width(word, size, bold)
        if line and line_w + space + word_w <= width:
            line, line_w = f"{line} {word}", line_w + space + word_w
            continue
        if line:
            lines.append(line)
        line, line_w = "", 0.0
        if word_w <= width:
            line, line_w = word, word_w
            continue
        for ch in word:
            ch_w = text_width(ch, size, bold)
            if line and line_w + ch_w > width:
                lines.append(line)
                line, line_w = "", 0.0
            line, line_w = line + ch, line_w + ch_w
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines, False
    last = lines[max_lines - 1]
    while last and text_width(last + " \u2026", size, bold) > width:
        last = last[:-1]
    return lines[:max_lines - 1] + [last.rstrip() + " \u2026"], True


# --- boxes ---------------------------------------------------------------------------------


@dataclass
class Box:
    """A shape's size, text and place."""

    shape: Shape
    w: float
    h: float
    lines: list[Line]  # the text drawn
    whole: str | None  # the whole text, when the lines had to leave some out
    rank: int = 0
    col: int = 0
    x: float = 0.0
    y: float = 0.0  # centre
    exits: dict[int, float] = field(default_factory=dict)  # link index -> x, left to right
    entries: dict[int, float] = field(default_factory=dict)

    def bottom(self, x: float) -> float:
        return self.y + self.h / 2 * self._reach(x)

    def top(self, x: float) -> float:
        return self.y - self.h / 2 * self._reach(x)

    def _reach(self, x: float) -> float:
        """How far the outline lies below (or above) the centre at ``x``, as a share of h/2."""
        u = min(abs(x - self.x) / (self.w / 2), 1.0)
        if self.shape.kind == "decision":
            return 1 - u
        if self.shape.kind in ("start", "end"):
            return math.sqrt(1 - u * u)
        return 1.0


def _box(shape: Shape) -> Box:
    inner = BOX_W - 2 * PAD
    if shape.kind in ("start", "end"):
        word = shape.text or "\u00a0"
        return Box(shape, max(64.0, text_width(word, TITLE_PT, True) + 28), 28.0,
                   [(word, "bold")], None)
    if shape.kind == "escalation":
        head, _ = wrap(shape.text, inner, TITLE_PT, 1, bold=True)
        notes, cut = wrap(shape.note, inner, SMALL_PT, MAX_NOTE_LINES)
        h = (len(head) * TITLE_PT + len(notes) * SMALL_PT) * LINE + 2 * PAD
        return Box(shape, BOX_W, max(h, 36.0), [(line, "bold") for line in head]
                   + [(line, "small") for line in notes], shape.note if cut else None)
    decision = shape.kind == "decision"
    width = BOX_W * DIAMOND_TEXT if decision else inner
    titles, cut = wrap(shape.text, width, TITLE_PT,  # a diamond holds fewer words a line
                       MAX_TITLE_LINES + (2 if decision else 0))
    lines: list[Line] = [(line, "plain") for line in titles]
    notes, _ = wrap(shape.note, width, SMALL_PT, 3)
    lines += [(line, "small") for line in notes]
    if decision:
        h = _diamond_height(lines)
    else:
        h = max((len(titles) * TITLE_PT + len(notes) * SMALL_PT) * LINE + 2 * PAD, 36.0)
    return Box(shape, BOX_W, h, lines, shape.text if cut else None)


def _narrow(name: str) -> float:
    """The width of a lane with no box: its name's longest word, at least NARROW_W."""
    longest = max((text_width(word, TITLE_PT, True) for word in name.split(" ")), default=0.0)
    return min(BOX_W, max(NARROW_W, longest + 2 * PAD + 8 - COL_GAP))  # + half a gap a side


def _size(style: Style) -> float:
    return SMALL_PT if style == "small" else TITLE_PT


def _diamond_height(lines: list[Line]) -> float:
    """The least height of a diamond BOX_W wide that holds these centred lines."""
    total = sum(_size(style) * LINE for _, style in lines)
    y = -total / 2
    half = 12.0
    for text, style in lines:
        size = _size(style)
        far = max(abs(y), abs(y + size * LINE))
        inside = 1 - (text_width(text, size) + 10) / BOX_W
        half = max(half, far / max(inside, 0.15))
        y += size * LINE
    return 2 * half + 6


# --- ranks, grid, routes -------------------------------------------------------------------


@dataclass
class Route:
    """A link's path in grid terms. "down": one turn in a channel, the vertical part running
    through empty cells of the target's column (``through="target"``) or the source's; "via":
    down to the channel below the source, along a column gap, into the channel above the
    target (loops, and long edges with no free column)."""

    link: int
    kind: Literal["down", "via"]
    turn: int  # the channel of the first turn (channel c lies below row c)
    back: int = 0  # "via": the channel of the second turn
    gap: int = 0  # "via": the column gap (gap g lies left of column g)
    through: Literal["target", "source"] = "target"
    gap_track: int = 0
    tracks: tuple[int, int] = (0, 0)
    label_lines: list[str] = field(default_factory=list)
    # where the label lies: band, channel, x, y within the band, width, height; or "rows",
    # the first row, x, the last row, width, height
    label_box: tuple[str, int, float, float, float, float] | None = None


def _ranks(count: int, links: list[Link]) -> tuple[list[int], set[int]]:
    """Longest-path layers over the links that do not loop back. A cycle that the flow's
    loop-back edges leave (only among steps the start cannot reach) is cut here, at its first
    shape. Returns the rank of every shape and the indexes of the links drawn as loops."""
    loops = {k for k, link in enumerate(links) if link.kind == "loop"}
    ghosts = {k for k, link in enumerate(links) if link.kind == "ghost"}
    skip = loops | ghosts  # ghost links (a diff's old version) do not move the live flow
    incoming = [0] * count
    out: list[list[int]] = [[] for _ in range(count)]
    into: list[list[int]] = [[] for _ in range(count)]
    for k, link in enumerate(links):
        if k not in skip:
            incoming[link.target] += 1
            out[link.source].append(k)
            into[link.target].append(k)
    rank = [0] * count
    done = [False] * count
    ready = [i for i in range(count) if incoming[i] == 0]
    heapq.heapify(ready)
    for _ in range(count):
        if not ready:
            stuck = next(i for i in range(count) if not done[i] and incoming[i] > 0)
            for k in into[stuck]:
                if not done[links[k].source] and k not in skip:
                    loops.add(k)
                    out[links[k].source].remove(k)
            incoming[stuck] = 0
            ready = [stuck]
        node = heapq.heappop(ready)
        done[node] = True
        for k in out[node]:
            target = links[k].target
            rank[target] = max(rank[target], rank[node] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                heapq.heappush(ready, target)
    if ghosts:
        loops |= _ghost_ranks(rank, links, ghosts)
    return rank, loops


def _ghost_ranks(rank: list[int], links: list[Link], ghosts: set[int]) -> set[int]:
    """Rows for the shapes only ghost links touch: one below their lowest placed
    predecessor (a chain of ghosts in order, a cycle of them cut where it is stuck). Returns
    the ghost links that do not point downwards, to be routed like loops."""
    live = {end for k, link in enumerate(links) if k not in ghosts
            for end in (link.source, link.target)} | {0}
    into: dict[int, list[int]] = {}
    for k in ghosts:
        if links[k].target not in live:
            into.setdefault(links[k].target, []).append(links[k].source)
    waiting = sorted(into)
    placed = set(live)
    while waiting:
        ready = [g for g in waiting if all(s in placed for s in into[g])] or waiting[:1]
        for shape in ready:
            sources = [rank[s] for s in into[shape] if s in placed]
            rank[shape] = max(sources) + 1 if sources else 0
            placed.add(shape)
        waiting = [g for g in waiting if g not in placed]
    return {k for k in ghosts if rank[links[k].target] <= rank[links[k].source]}



def _turning_runs(sketch: list[Sketch]) -> list[tuple[bool, float, Run]]:
    """The middle segments of a sketch as runs: whether vertical, the line they lie on, and
    the sides their neighbouring segments go on to (-1: towards smaller coordinates)."""
    out = []
    for before, (p, q), after in zip(sketch, sketch[1:], sketch[2:], strict=False):
        vertical = p[0] == q[0]
        axis = 0 if vertical else 1  # the coordinate the neighbours move along
        along = 1 - axis
        ends = ((p[along], -1 if before[0][axis] < before[1][axis] else 1),
                (q[along], -1 if after[1][axis] < after[0][axis] else 1))
        out.append((vertical, p[axis], Run(min(p[along], q[along]), max(p[along], q[along]),
                                           ends)))
    return out


def _escalation_ranks(boxes: list[Box], links: list[Link], ranks: list[int]) -> None:
    """Rows for the escalation boxes (those only escalation links reach), so that they do
    not push the flow down: below every step they watch, in a row no step of its lane takes,
    where the box adds the least height, preferably with rows between that are tall enough
    for the label (it then lies beside the edge there, not in a channel of the flow); the
    highest such row."""
    into: dict[int, list[Link]] = {}
    for link in links:
        into.setdefault(link.target, []).append(link)
    flow = [i for i, box in enumerate(boxes) if box.shape.kind != "escalation"]
    rows = max((ranks[i] for i in flow), default=0) + 1
    row_h = [0.0] * rows
    taken = set()
    for i in flow:
        row_h[ranks[i]] = max(row_h[ranks[i]], boxes[i].h)
        taken.add((boxes[i].shape.lane, ranks[i]))
    for i, box in enumerate(boxes):
        if box.shape.kind != "escalation" or {link.kind for link in into.get(i, [])} \
                != {"escalation"}:
            continue
        lowest = max(ranks[link.source] + 1 for link in into[i])
        if lowest >= rows:
            continue
        labelled = next((link for link in into[i] if link.label), into[i][0])
        # beside an edge down the middle of a column a label has half of it and of a gap
        lines, _ = wrap(labelled.label, (BOX_W + COL_GAP) / 2 - 9, SMALL_PT, MAX_LABEL_LINES)
        label_h = len(lines) * SMALL_PT * LINE + 2 if labelled.label else 0.0

        def cost(r: int, lane: int = box.shape.lane, h: float = box.h,
                 above: int = ranks[labelled.source], label_h: float = label_h
                 ) -> tuple[bool, float, bool, int]:
            between = [row_h[q] for q in range(max(above + 1, r - 4), r)]  # as _label_beside
            beside = sum(between) + 28.0 * (len(between) - 1) - 4 >= label_h
            return (lane, r) in taken, max(0.0, h - row_h[r]), not beside, r

        rank = min(range(lowest, rows), key=cost)
        ranks[i] = rank
        row_h[rank] = max(row_h[rank], box.h)


class Layout:
    """Places boxes in a grid (a column per lane, more where a lane has several boxes in one
    row; a row per rank), routes every link orthogonally through the free channels between
    rows and the gaps between columns, and places edge labels where no line crosses them."""

    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.links = diagram.links
        self.boxes = [_box(shape) for shape in diagram.shapes]
        ranks, self.loops = _ranks(len(self.boxes), self.links)
        _escalation_ranks(self.boxes, self.links, ranks)
        self.rows = max(ranks) + 1
        self.cells: dict[tuple[int, int], list[int]] = {}  # (lane, rank) -> boxes
        for index, box in enumerate(self.boxes):
            box.rank = ranks[index]
            self.cells.setdefault((box.shape.lane, box.rank), []).append(index)
        self.lanes = len(diagram.lanes)
        self.lane_cols = [1] * self.lanes
        for (lane, _), members in self.cells.items():
            self.lane_cols[lane] = max(self.lane_cols[lane], len(members))
        self.lane_first = [0, *accumulate(self.lane_cols)][:-1]
        self.cols = sum(self.lane_cols)
        default = [0] * len(self.boxes)
        for (lane, _), members in self.cells.items():
            for k, index in enumerate(members):
                default[index] = self.lane_first[lane] + k
        self.chosen: dict[int, Route] = {}  # link -> a route the search settled on
        self._arrange(default)
        # a search for fewer crossings, where one crossing matters: larger diagrams have
        # few for their size already, and the search's cost grows with the square of it
        if len(self.links) <= SEARCH_LINKS and self.crossing_count():
            self._search(default)

    def _search(self, default: list[int]) -> None:
        """Fewer crossings, measured on the laid-out routes: other columns for the boxes
        (``_reorderings``), then, for each link that crosses, its next few routes. Keeps the
        best arrangement found. Bounded by ``SEARCH_BUDGET`` routed links, without labels
        (they move lines apart, never across one another)."""
        best, best_columns = self.crossing_count(), default
        best_chosen: dict[int, Route] = {}
        tries = max(2, SEARCH_BUDGET // max(len(self.links), 1))
        seen = [default]
        for columns in self._reorderings(default):
            if columns in seen:
                continue
            seen.append(columns)
            tries -= 1
            self._arrange(columns, labels=False)
            crossings = self.crossing_count()
            if crossings < best:
                best, best_columns = crossings, columns
                if not best:
                    break
        if best:
            self._arrange(best_columns, labels=False)
            routes = {route.link: route for route in self.routes}
            for k in sorted({k for pair in self._crossing_pairs() for k in pair}):
                for route in self._candidates(k)[:ROUTES_TRIED]:
                    if route == routes[k] or tries <= 0:
                        continue
                    tries -= 1
                    self.chosen = {**best_chosen, k: route}
                    self._arrange(best_columns, labels=False)
                    crossings = self.crossing_count()
                    if crossings < best:
                        best, best_chosen = crossings, dict(self.chosen)
                        break
                if not best or tries <= 0:
                    break
        self.chosen = best_chosen
        self._arrange(best_columns)

    def _arrange(self, columns: list[int], labels: bool = True) -> None:
        """Everything that follows from the column of every box: routes, ports, tracks,
        x and y of everything, labels (``labels=False``: none, for counting crossings)."""
        self.occupied: set[tuple[int, int]] = set()
        for index, box in enumerate(self.boxes):
            box.col = columns[index]
            box.exits.clear()
            box.entries.clear()
            self.occupied.add((box.col, box.rank))
        placed: list[Route] = []
        # placed segments, sorted (a search looks at a range of them): across (y, x from,
        # x to), along (x, y from, y to)
        self.runs: tuple[list[Span], list[Span]] = ([], [])
        # placed runs that turn at both ends, by direction (vertical?) and line
        self.lines: dict[tuple[bool, float], list[Run]] = {}
        for k in sorted(range(len(self.links)), key=self._reach):  # short links first
            placed.append(self._route(k))
            sketch = self._sketch(placed[-1])
            for segment in sketch:
                (x0, y0), (x1, y1) = _ordered(segment)
                if x0 == x1:
                    bisect.insort(self.runs[1], (x0, y0, y1))
                else:
                    bisect.insort(self.runs[0], (y0, x0, x1))
            for vertical, at, run in _turning_runs(sketch):
                self.lines.setdefault((vertical, at), []).append(run)
        self.routes = sorted(placed, key=lambda route: route.link)
        self._ports()
        self._gap_tracks()
        self._columns()
        self._channel_tracks()
        self.band_h: dict[tuple[str, int], float] = {}
        if labels:
            self._labels()
        self._rows()

    def _reorderings(self, start: list[int]) -> Iterator[list[int]]:
        """Other columns for the boxes of each lane, from barycentre sweeps (down, then up,
        twice): each box goes towards the mean column of the boxes it links to in the rows
        already swept, boxes of one lane and row keep distinct columns of their lane."""
        neighbours: list[list[int]] = [[] for _ in self.boxes]
        for link in self.links:
            neighbours[link.source].append(link.target)
            neighbours[link.target].append(link.source)
        columns = list(start)
        for downwards in (True, False, True, False):
            rows = range(1, self.rows) if downwards else range(self.rows - 2, -1, -1)
            for rank in rows:
                for (lane, row), members in self.cells.items():
                    if row != rank:
                        continue
                    wanted = {}
                    for index in members:
                        swept = [columns[n] for n in neighbours[index]
                                 if (self.boxes[n].rank < rank) == downwards
                                 and self.boxes[n].rank != rank]
                        wanted[index] = sum(swept) / len(swept) if swept else columns[index]
                    order = sorted(members, key=lambda i: (wanted[i], columns[i]))
                    first, count = self.lane_first[lane], self.lane_cols[lane]
                    previous = -1
                    for k, index in enumerate(order):
                        place = min(round(wanted[index]) - first, count - (len(order) - k))
                        previous = max(previous + 1, place)
                        columns[index] = first + previous
            yield list(columns)

    def crossing_count(self) -> int:
        """How many times two routes cross, away from the boxes they share (the measure the
        search minimises; tests/layout_counter.py counts the same on the SVG)."""
        return len(self._crossing_pairs())

    def _crossing_pairs(self) -> list[tuple[int, int]]:
        """The links of each crossing (a pair once per crossing): every horizontal part of a
        route against the vertical parts of others within its x range (sorted by x)."""
        across: list[tuple[float, float, float, int]] = []  # y, x from, x to, route
        along: list[tuple[float, float, float, int]] = []  # x, y from, y to, route
        for index, route in enumerate(self.routes):
            link = self.links[route.link]
            exit_x, entry_x, gap_x = self._xs(route)
            top = self.boxes[link.source].bottom(exit_x)
            bottom = self.boxes[link.target].top(entry_x)
            y1 = self._track_y(route.turn, route.tracks[0])
            if route.kind == "down" and abs(exit_x - entry_x) < 0.01:
                along.append((exit_x, top, bottom, index))
                continue
            along.append((exit_x, min(top, y1), max(top, y1), index))
            if route.kind == "down":
                across.append((y1, min(exit_x, entry_x), max(exit_x, entry_x), index))
                along.append((entry_x, min(y1, bottom), max(y1, bottom), index))
                continue
            y2 = self._track_y(route.back, route.tracks[1])
            across.append((y1, min(exit_x, gap_x), max(exit_x, gap_x), index))
            along.append((gap_x, min(y1, y2), max(y1, y2), index))
            across.append((y2, min(gap_x, entry_x), max(gap_x, entry_x), index))
            along.append((entry_x, min(y2, bottom), max(y2, bottom), index))
        along.sort()
        xs = [x for x, *_ in along]
        pairs = []
        for y, x0, x1, a in across:  # ends that touch a line count too: corners are round
            for x, y0, y1, b in along[bisect.bisect_left(xs, x0 - 1):bisect.bisect_right(xs,
                                                                                  x1 + 1)]:
                if a == b or not y0 - 1 <= y <= y1 + 1:
                    continue
                link_a, link_b = self.links[self.routes[a].link], self.links[self.routes[b].link]
                shared = {link_a.source, link_a.target} & {link_b.source, link_b.target}
                if not any(abs(x - self.boxes[i].x) < self.boxes[i].w / 2 + 6
                           and abs(y - self.boxes[i].y) < self.boxes[i].h / 2 + 6
                           for i in shared):
                    pairs.append((min(self.routes[a].link, self.routes[b].link),
                                  max(self.routes[a].link, self.routes[b].link)))
        return pairs

    def _candidates(self, k: int) -> list[Route]:
        """The routes of a link that pass no box, in order of preference: straight down
        (along the target's column, then the source's), then along the nearest column gap.
        A link from one row to the next has only its first."""
        link = self.links[k]
        s, t = self.boxes[link.source], self.boxes[link.target]
        candidates = []
        if k not in self.loops and t.rank > s.rank:
            between = range(s.rank + 1, t.rank)
            if all((t.col, r) not in self.occupied for r in between):
                candidates.append(Route(k, "down", s.rank, through="target"))
            if all((s.col, r) not in self.occupied for r in between):
                candidates.append(Route(k, "down", t.rank - 1, through="source"))
            if candidates and t.rank == s.rank + 1:
                return candidates[:1]
        return candidates + sorted(
            (Route(k, "via", s.rank, t.rank - 1, gap) for gap in range(self.cols + 1)),
            key=lambda r: (abs(s.col + 0.5 - r.gap) + abs(t.col + 0.5 - r.gap)))

    def _route(self, k: int) -> Route:
        """The route of a link: the one chosen for it (``self.chosen``), or the first of its
        candidates that crosses no route already placed (sketched on the grid), else the one
        that crosses the fewest."""
        if k in self.chosen:
            return self.chosen[k]
        candidates = self._candidates(k)
        if len(candidates) == 1:
            return candidates[0]
        best: tuple[int, Route] | None = None
        for route in candidates:
            crossed = self._crossed(route)
            if best is None or crossed < best[0]:
                best = (crossed, route)
            if crossed == 0:
                break
        assert best is not None
        return best[1]

    def _crossed(self, route: Route) -> int:
        """How many placed routes the sketch of ``route`` crosses: where it cuts across
        them, and where it runs beside one along a channel or gap such that no order of
        their tracks keeps them apart (see ``_ordered_tracks``)."""
        across, along = self.runs
        count = 0
        sketch = self._sketch(route)
        for segment in sketch:
            (x0, y0), (x1, y1) = _ordered(segment)
            if y0 == y1:  # across: count the placed runs along the columns that it cuts
                count += _spanning(along, x0, x1, y0)
            elif x0 == x1:
                count += _spanning(across, y0, y1, x0)
        for vertical, at, run in _turning_runs(sketch):
            for other in self.lines.get((vertical, at), ()):
                if run.low < other.high and other.low < run.high:
                    first = _leaves_inside(run, other, -1) or _leaves_inside(other, run, 1)
                    second = _leaves_inside(other, run, -1) or _leaves_inside(run, other, 1)
                    count += first and second
        return count

    def _reach(self, k: int) -> tuple[bool, bool, int]:
        """Links in the order they are routed: from one row to the next first (their route
        is fixed), then flow before escalations, short ones first."""
        link = self.links[k]
        s, t = self.boxes[link.source], self.boxes[link.target]
        return (k in self.loops or t.rank != s.rank + 1, link.kind == "escalation",
                abs(t.rank - s.rank) + abs(t.col - s.col))

    def _sketch(self, route: Route) -> list[Sketch]:
        """A route as segments on the grid: x in columns (gap g at g - 0.5), y in rows
        (channel c at c + 0.5)."""
        link = self.links[route.link]
        s, t = self.boxes[link.source], self.boxes[link.target]
        turn = route.turn + 0.5
        if route.kind == "down":
            return [((s.col, s.rank), (s.col, turn)), ((s.col, turn), (t.col, turn)),
                    ((t.col, turn), (t.col, t.rank))]
        gap, back = route.gap - 0.5, route.back + 0.5
        return [((s.col, s.rank), (s.col, turn)), ((s.col, turn), (gap, turn)),
                ((gap, turn), (gap, back)), ((gap, back), (t.col, back)),
                ((t.col, back), (t.col, t.rank))]

    def _ports(self) -> None:
        """Exits (bottom) and entries (top) of every box, ordered by where the other end
        lies so the edges of one box do not cross each other, then spread along the outline
        (a diamond is entered at its top corner)."""
        for k, link in enumerate(self.links):
            self.boxes[link.source].exits[k] = self._far_col(k, link.target)
            self.boxes[link.target].entries[k] = self._far_col(k, link.source)
        for box in self.boxes:
            for ports, spread in ((box.exits, 0.7), (box.entries, 0.6)):
                if box.shape.kind == "decision":
                    spread = 1.0 if ports is box.exits else 0.3  # near the corner
                order = sorted(ports, key=lambda k: (ports[k], k))
                ports.clear()
                for i, k in enumerate(order):
                    ports[k] = ((i + 1) / (len(order) + 1) - 0.5) * box.w * spread

    def _far_col(self, k: int, other: int) -> float:
        """Where the edge heads when it leaves (or comes from when it enters) a box: a long
        "down" edge runs straight along one column, so it comes from (heads for) there."""
        route = self.routes[k]
        if route.kind == "via":
            return route.gap - 0.5
        link = self.links[k]
        straight = link.target if route.through == "target" else link.source
        s, t = self.boxes[link.source], self.boxes[link.target]
        return float(self.boxes[straight if t.rank > s.rank + 1 else other].col)

    def _gap_tracks(self) -> None:
        by_gap: dict[int, list[Route]] = {}
        for route in self.routes:
            if route.kind == "via":
                by_gap.setdefault(route.gap, []).append(route)
        self.gap_count = [0] * (self.cols + 1)
        for gap, routes in by_gap.items():
            routes.sort(key=lambda r: (min(r.turn, r.back), max(r.turn, r.back), r.link))
            runs = []
            for r in routes:
                link = self.links[r.link]
                source, target = self.boxes[link.source].col, self.boxes[link.target].col
                runs.append(Run(min(r.turn, r.back), max(r.turn, r.back),
                                ((r.turn, -1 if source < gap else 1),
                                 (r.back, -1 if target < gap else 1))))
            tracks = _ordered_tracks(runs)
            for route, track in zip(routes, tracks, strict=True):
                route.gap_track = track
            self.gap_count[gap] = max(tracks) + 1

    def _columns(self) -> None:
        """x of every column and gap centre; ports become absolute."""
        self.borders = set(self.lane_first[1:])  # gaps where a lane border runs
        widths = [max(COL_GAP, (n + 1) * TRACK + (2 * BORDER_CLEAR if gap in self.borders else 0))
                  for gap, n in enumerate(self.gap_count)]
        widths[0] = max(MARGIN, (self.gap_count[0] + 1) * TRACK)
        widths[-1] = max(MARGIN, (self.gap_count[-1] + 1) * TRACK)
        x = 0.0
        self.gap_x: list[float] = []
        self.col_x: list[float] = []
        used = {box.shape.lane for box in self.boxes}
        for col in range(self.cols):
            lane = next(lane for lane in reversed(range(self.lanes))
                        if self.lane_first[lane] <= col)
            # a lane with no box (a role that is only consulted or informed) is drawn narrow
            col_w = BOX_W if lane in used else _narrow(self.diagram.lanes[lane])
            self.gap_x.append(x + widths[col] / 2)
            x += widths[col]
            self.col_x.append(x + col_w / 2)
            x += col_w
        self.gap_x.append(x + widths[-1] / 2)
        self.width = x + widths[-1]
        for box in self.boxes:
            box.x = self.col_x[box.col]
            for ports in (box.exits, box.entries):
                for k in ports:
                    ports[k] += box.x

    def _xs(self, route: Route) -> tuple[float, float, float]:
        """x of the exit, of the entry, and of the gap track (the entry for "down")."""
        link = self.links[route.link]
        exit_x = self.boxes[link.source].exits[route.link]
        entry_x = self.boxes[link.target].entries[route.link]
        if route.kind == "down":
            return exit_x, entry_x, entry_x
        n = self.gap_count[route.gap]
        offset = (route.gap_track - (n - 1) / 2) * TRACK
        if route.gap in self.borders:  # keep clear of the lane border drawn at the centre
            offset += BORDER_CLEAR if offset >= 0 else -BORDER_CLEAR
        return exit_x, entry_x, self.gap_x[route.gap] + offset

    def _channel_tracks(self) -> None:
        """Tracks of the horizontal runs in each channel: runs that overlap differ."""
        # (route, which run, x where it comes in, from which side, x where it goes on, side)
        runs: dict[int, list[tuple[Route, int, float, int, float, int]]] = {}
        for route in self.routes:
            exit_x, entry_x, gap_x = self._xs(route)
            if route.kind == "down":
                runs.setdefault(route.turn, []).append((route, 0, exit_x, -1, entry_x, 1))
            else:
                up = -1 if route.back < route.turn else 1  # the gap part goes up: a loop
                runs.setdefault(route.turn, []).append((route, 0, exit_x, -1, gap_x, up))
                runs.setdefault(route.back, []).append((route, 1, gap_x, -up, entry_x, 1))
        self.channel_count: dict[int, int] = {}
        for channel, items in runs.items():
            items.sort(key=lambda i: (min(i[2], i[4]), max(i[2], i[4]), i[0].link, i[1]))
            tracks = _ordered_tracks([Run(min(a, b) - TRACK / 2, max(a, b) + TRACK / 2,
                                          ((a, a_side), (b, b_side)))
                                      for _, _, a, a_side, b, b_side in items])
            for (route, which, *_), track in zip(items, tracks, strict=True):
                route.tracks = (track, route.tracks[1]) if which == 0 else (route.tracks[0],
                                                                            track)
            self.channel_count[channel] = max(tracks) + 1

    def _crossings(self) -> dict[tuple[str, int], list[float]]:
        """x of the vertical lines crossing each label band: ("exit", c) lies above the
        tracks of channel c, ("entry", c) below them."""
        cross: dict[tuple[str, int], list[float]] = {}

        def add(band: str, channels: range, x: float) -> None:
            for channel in channels:
                cross.setdefault((band, channel), []).append(x)

        for route in self.routes:
            link = self.links[route.link]
            s, t = self.boxes[link.source].rank, self.boxes[link.target].rank
            exit_x, entry_x, gap_x = self._xs(route)
            add("exit", range(s, s + 1), exit_x)
            add("entry", range(t - 1, t), entry_x)
            if route.kind == "down":
                x = entry_x if route.through == "target" else exit_x
                add("exit", range(s + 1, t), x)
                add("entry", range(s, t - 1), x)
            else:
                low, high = sorted((route.turn, route.back))
                add("exit", range(low + 1, high + 1), gap_x)
                add("entry", range(low, high), gap_x)
        return cross

    def _labels(self) -> None:
        """Each edge label goes beside its edge, near the source (exit band) or near the
        target (entry band), whichever has more room free of crossing lines; labels that meet
        in a band are stacked. The label of an escalation or a loop goes beside the edge's
        vertical part, across the rows it passes, when they have room: there it does not
        make a channel of the flow taller (nor push the first step away from Start)."""
        cross = self._crossings()
        placed: dict[tuple[str, int], list[tuple[float, float, float, float]]] = {}
        self.row_h = [0.0] * self.rows
        for box in self.boxes:
            self.row_h[box.rank] = max(self.row_h[box.rank], box.h)
        labelled = [route for route in self.routes if self.links[route.link].label]
        beside = [route for route in labelled if self.links[route.link].kind == "escalation"
                  or route.link in self.loops]
        for route in labelled:
            if route not in beside:
                self._band_label(route, cross, placed)
        spans: list[tuple[int, int, float, float]] = []  # rows and x of labels beside edges
        if beside:
            self._lines_by_row()
        for route in beside:
            if not self._label_beside(route, placed, spans):
                self._band_label(route, cross, placed)
        self.band_h.update({key: max(y + h for _, y, _, h in boxes) + 2
                            for key, boxes in placed.items()})

    def _band_label(self, route: Route, cross: dict[tuple[str, int], list[float]],
                    placed: dict[tuple[str, int], list[tuple[float, float, float, float]]]
                    ) -> None:
        link = self.links[route.link]
        exit_x, entry_x, _ = self._xs(route)
        need = min(text_width(link.label, SMALL_PT) + 4, LABEL_W)
        options = []
        for band, channel, x in (("exit", self.boxes[link.source].rank, exit_x),
                                 ("entry", self.boxes[link.target].rank - 1, entry_x)):
            others = cross.get((band, channel), [])
            lane_left, lane_right = self.lane_at(x)  # a label stays in its lane
            left = max([c for c in others if c < x - 0.5] + [lane_left]) + 5
            right = min([c for c in others if c > x + 0.5] + [lane_right]) - 5
            prefer = (band == "entry") == (link.kind == "escalation")
            for room, side in ((right - x - 4, 1), (x - 4 - left, -1)):
                options.append((min(room, need), prefer, side, band, channel, x, room))
        _, _, side, band, channel, x, room = max(options)
        lines, _ = wrap(link.label, max(min(room, LABEL_W), 40.0), SMALL_PT, MAX_LABEL_LINES)
        w = max(text_width(line, SMALL_PT) for line in lines) + 4
        h = len(lines) * SMALL_PT * LINE + 2
        lane_left, lane_right = self.lane_at(x)
        lx = min(max(x + 4 if side > 0 else x - 4 - w, lane_left + 2), lane_right - w - 2)
        ly = 0.0
        taken = placed.setdefault((band, channel), [])
        for px, py, pw, ph in sorted(taken, key=lambda p: p[1]):
            if px < lx + w and lx < px + pw and py < ly + h and ly < py + ph:
                ly = py + ph + 2
        taken.append((lx, ly, w, h))
        route.label_box = (band, channel, lx, ly, w, h)
        route.label_lines = lines

    def _label_beside(self, route: Route,
                      placed: dict[tuple[str, int], list[tuple[float, float, float, float]]],
                      spans: list[tuple[int, int, float, float]]) -> bool:
        """Place the label of a route beside its vertical part, across the fewest rows (and
        the channels between them) that it passes and that have room for it, nearest to the
        target first, clear of boxes, other lines and labels."""
        link = self.links[route.link]
        s, t = self.boxes[link.source], self.boxes[link.target]
        exit_x, entry_x, gap_x = self._xs(route)
        if route.kind == "down":
            x = entry_x if route.through == "target" else exit_x
            passed = list(range(t.rank - 1, s.rank, -1))
        else:
            x = gap_x
            low, high = sorted((route.turn, route.back))
            passed = list(range(low + 1, high + 1))
            if route.back > route.turn:
                passed.reverse()
        for length in range(1, min(len(passed), 4) + 1):
            for first in range(len(passed) - length + 1):
                rows = passed[first:first + length]
                top, bottom = min(rows), max(rows)
                left, right = self.lane_at(x)
                blocks: list[tuple[float, float]] = []  # x ranges the label must keep off
                for row in rows:
                    blocks += self.box_spans.get(row, [])
                    blocks += [(c, c) for c, k in self.verticals.get(row, [])
                               if k != route.link and c != x]
                for channel in range(top, bottom):
                    blocks += [(a, b) for a, b, k in self.across.get(channel, [])
                               if k != route.link]
                    for band in ("exit", "entry"):
                        blocks += [(px, px + pw) for px, _, pw, _ in placed.get((band, channel),
                                                                                [])]
                blocks += [(a, b) for r0, r1, a, b in spans if r0 <= bottom and top <= r1]
                if any(a < x - 0.5 and x + 0.5 < b for a, b in blocks):
                    continue  # something lies across the edge here
                left = max([b for a, b in blocks if b <= x + 0.5] + [left]) + 5
                right = min([a for a, b in blocks if a >= x - 0.5] + [right]) - 5
                height = sum(self.row_h[r] for r in rows) + 28.0 * (length - 1) - 4
                for room, side in sorted(((right - x - 4, 1), (x - 4 - left, -1)),
                                         reverse=True):
                    if room < 40:
                        continue
                    lines, _ = wrap(link.label, min(room, LABEL_W), SMALL_PT,
                                    MAX_LABEL_LINES)
                    w = max(text_width(line, SMALL_PT) for line in lines) + 4
                    h = len(lines) * SMALL_PT * LINE + 2
                    if h > height:
                        continue
                    lx = x + 4 if side > 0 else x - 4 - w
                    spans.append((top, bottom, lx, lx + w))
                    route.label_box = ("rows", top, lx, float(bottom), w, h)
                    route.label_lines = lines
                    return True
        return False

    def _lines_by_row(self) -> None:
        """What a label beside an edge must keep off: the x span of the boxes of each row,
        the x of the vertical parts of routes passing each row, the x span of the horizontal
        runs in each channel (with their links)."""
        self.box_spans: dict[int, list[tuple[float, float]]] = {}
        for box in self.boxes:
            self.box_spans.setdefault(box.rank, []).append((box.x - box.w / 2,
                                                            box.x + box.w / 2))
        self.verticals: dict[int, list[tuple[float, int]]] = {}
        self.across: dict[int, list[tuple[float, float, int]]] = {}
        for route in self.routes:
            link = self.links[route.link]
            s, t = self.boxes[link.source].rank, self.boxes[link.target].rank
            exit_x, entry_x, gap_x = self._xs(route)
            if route.kind == "down":
                x = entry_x if route.through == "target" else exit_x
                passed = range(s + 1, t)
                runs = [(route.turn, exit_x, entry_x)]
            else:
                x = gap_x
                passed = range(min(route.turn, route.back) + 1, max(route.turn, route.back) + 1)
                runs = [(route.turn, exit_x, gap_x), (route.back, gap_x, entry_x)]
            for row in passed:
                self.verticals.setdefault(row, []).append((x, route.link))
            for channel, a, b in runs:
                self.across.setdefault(channel, []).append((min(a, b), max(a, b), route.link))

    def _rows(self) -> None:
        """y of every channel and row, top to bottom (a header with the lane names first);
        then the y of every box, centred in its row."""
        self.header_lines: list[list[str]] = []
        for lane, name in enumerate(self.diagram.lanes):
            left, right = self.lane_span(lane)
            lines, _ = wrap(name, right - left - 2 * PAD, TITLE_PT, MAX_HEADER_LINES, bold=True)
            self.header_lines.append(lines or ["\u00a0"])
        self.header_h = max(len(lines) for lines in self.header_lines) * TITLE_PT * LINE + 20
        row_h = [0.0] * self.rows
        for box in self.boxes:
            row_h[box.rank] = max(row_h[box.rank], box.h)
        y = self.header_h
        self.channel_top: dict[int, float] = {}
        self.row_top: list[float] = []
        for channel in range(-1, self.rows):
            self.channel_top[channel] = y
            y += self._channel_h(channel)
            if channel + 1 < self.rows:
                self.row_top.append(y)
                y += row_h[channel + 1]
        self.height = y
        for box in self.boxes:
            box.y = self.row_top[box.rank] + row_h[box.rank] / 2

    def lane_at(self, x: float) -> tuple[float, float]:
        """The left and right border of the lane ``x`` lies in."""
        for lane in range(self.lanes):
            left, right = self.lane_span(lane)
            if x < right:
                return left, right
        return self.lane_span(self.lanes - 1)

    def lane_span(self, lane: int) -> tuple[float, float]:
        first = self.lane_first[lane]
        last = first + self.lane_cols[lane]
        return (0.0 if first == 0 else self.gap_x[first],
                self.width if last == self.cols else self.gap_x[last])

    def _channel_h(self, channel: int) -> float:
        tracks = self.channel_count.get(channel, 0)
        exit_h = self.band_h.get(("exit", channel), 0.0)
        entry_h = self.band_h.get(("entry", channel), 0.0)
        if channel == self.rows - 1:
            return MARGIN + exit_h + tracks * TRACK
        return max(28.0, 6 + exit_h + max(tracks - 1, 0) * TRACK + 4 + entry_h
                   + ARROW + RADIUS + 2)

    def _track_y(self, channel: int, track: int) -> float:
        return self.channel_top[channel] + 6 + self.band_h.get(("exit", channel), 0.0) \
            + track * TRACK

    def _band_y(self, band: str, channel: int) -> float:
        if band == "exit":
            return self.channel_top[channel] + 6
        return self._track_y(channel, max(self.channel_count.get(channel, 1) - 1, 0)) + 4

    def _polyline(self, route: Route) -> list[tuple[float, float]]:
        link = self.links[route.link]
        s, t = self.boxes[link.source], self.boxes[link.target]
        exit_x, entry_x, gap_x = self._xs(route)
        y1 = self._track_y(route.turn, route.tracks[0])
        if route.kind == "down":
            points = [(exit_x, s.bottom(exit_x)), (exit_x, y1), (entry_x, y1),
                      (entry_x, t.top(entry_x))]
        else:
            y2 = self._track_y(route.back, route.tracks[1])
            points = [(exit_x, s.bottom(exit_x)), (exit_x, y1), (gap_x, y1), (gap_x, y2),
                      (entry_x, y2), (entry_x, t.top(entry_x))]
        return _simplify(points)

    def spline(self, route: Route) -> tuple[list[tuple[float, float]], tuple[float, float]]:
        """The route as a cubic B-spline that stops short of the arrowhead, and the point of
        the arrowhead."""
        points = self._polyline(route)
        return _bezier(points), points[-1]

    def label_centre(self, route: Route) -> tuple[float, float] | None:
        if route.label_box is None:
            return None
        band, channel, x, y, w, h = route.label_box
        if band == "rows":  # across rows ``channel`` to ``y``: in the middle of them
            last = int(y)
            return x + w / 2, (self.row_top[channel] + self.row_top[last]
                               + self.row_h[last]) / 2
        return x + w / 2, self._band_y(band, channel) + y + h / 2


Sketch = tuple[tuple[float, float], tuple[float, float]]


Span = tuple[float, float, float]  # a segment: the line it lies on, from, to


def _spanning(spans: list[Span], low: float, high: float, at: float) -> int:
    """How many of ``spans`` (sorted) lie on a line strictly between ``low`` and ``high``
    and pass ``at`` strictly inside their ends."""
    first = bisect.bisect_right(spans, (low, math.inf, math.inf))
    last = bisect.bisect_left(spans, (high, -math.inf, -math.inf))
    return sum(1 for _, start, end in spans[first:last] if start < at < end)


def _ordered(segment: Sketch) -> Sketch:
    """The segment from its smaller end to its larger."""
    return (segment[0], segment[1]) if segment[0] <= segment[1] else (segment[1], segment[0])


@dataclass(frozen=True)
class Run:
    """A straight run of edges along a channel (x) or a gap (channel numbers), and where
    other parts of its edge attach: at a position, on side -1 (above or left: lower tracks)
    or 1 (below or right)."""

    low: float
    high: float
    ends: tuple[tuple[float, int], ...]


def _ordered_tracks(runs: list[Run]) -> list[int]:
    """Tracks (0 = nearest side -1) of runs that lie side by side, given in a default order:
    overlapping runs differ, and a run whose edge leaves towards side -1 at a point inside
    another run's span goes on an earlier track than that run (else its edge would cross
    the other run), and the other way round for side 1. Where two runs ask for both, one
    crossing is unavoidable and the default order decides."""
    count = len(runs)
    before: list[set[int]] = [set() for _ in runs]  # before[b]: runs that must precede b
    overlaps: list[list[int]] = [[] for _ in runs]
    for a in range(count):
        for b in range(a + 1, count):
            ra, rb = runs[a], runs[b]
            if ra.high < rb.low or rb.high < ra.low:
                continue
            overlaps[a].append(b)
            overlaps[b].append(a)
            a_first = _leaves_inside(ra, rb, -1) or _leaves_inside(rb, ra, 1)
            b_first = _leaves_inside(rb, ra, -1) or _leaves_inside(ra, rb, 1)
            if a_first and not b_first:
                before[b].add(a)
            elif b_first and not a_first:
                before[a].add(b)
    tracks = [-1] * count
    waiting = set(range(count))
    while waiting:
        ready = [k for k in waiting if not before[k] & waiting]
        k = min(ready) if ready else min(waiting, key=lambda j: (len(before[j] & waiting), j))
        least = max((tracks[j] + 1 for j in before[k] if tracks[j] >= 0), default=0)
        taken = {tracks[j] for j in overlaps[k]}
        while least in taken:
            least += 1
        tracks[k] = least
        waiting.discard(k)
    return tracks


def _leaves_inside(run: Run, other: Run, side: int) -> bool:
    """Whether ``run``'s edge goes on towards ``side`` at a point strictly inside ``other``."""
    return any(s == side and other.low < at < other.high for at, s in run.ends)


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Without repeated points and without middle points of straight runs."""
    out: list[tuple[float, float]] = []
    for p in points:
        if out and math.dist(out[-1], p) < 0.01:
            continue
        if len(out) >= 2 and abs((out[-1][0] - out[-2][0]) * (p[1] - out[-1][1])
                                 - (out[-1][1] - out[-2][1]) * (p[0] - out[-1][0])) < 0.01:
            out[-1] = p
            continue
        out.append(p)
    return out


def _bezier(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The orthogonal polyline as one cubic B-spline (3n+1 points) with rounded corners,
    ending an arrowhead's length before the last point."""
    *head, end = points
    last = head[-1]
    length = math.dist(last, end)
    cut = min(ARROW, length - 0.5)
    points = head + [(end[0] - (end[0] - last[0]) / length * cut,
                      end[1] - (end[1] - last[1]) / length * cut)]
    out = [points[0]]

    def line_to(q: tuple[float, float]) -> None:
        p = out[-1]
        if math.dist(p, q) >= 0.01:
            out.extend([(p[0] + (q[0] - p[0]) / 3, p[1] + (q[1] - p[1]) / 3),
                        (p[0] + 2 * (q[0] - p[0]) / 3, p[1] + 2 * (q[1] - p[1]) / 3), q])

    for a, b, c in zip(points, points[1:], points[2:], strict=False):  # overlapping triples
        len_in, len_out = math.dist(a, b), math.dist(b, c)
        r = min(RADIUS, len_in / 2, len_out / 2)
        din = ((b[0] - a[0]) / len_in, (b[1] - a[1]) / len_in)
        dout = ((c[0] - b[0]) / len_out, (c[1] - b[1]) / len_out)
        start = (b[0] - din[0] * r, b[1] - din[1] * r)
        finish = (b[0] + dout[0] * r, b[1] + dout[1] * r)
        line_to(start)
        k = 0.5523 * r  # a quarter circle as one cubic
        out.extend([(start[0] + din[0] * k, start[1] + din[1] * k),
                    (finish[0] - dout[0] * k, finish[1] - dout[1] * k), finish])
    line_to(points[-1])
    return out



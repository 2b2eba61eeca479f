"""The layout, measured (issue 11, item 1): on the bundled procedures, examples/, the hostile
corpus and 200 diagrams of the generated corpus, the SVG has no overlap of any kind, no label
across a lane border or cut short, no text outside its box, no line touching the next, no edge
along a lane border or sharing a corridor, text of at least 9 pt (12 CSS px at natural size),
per diagram no more edge crossings than Graphviz ``dot`` with one cluster per lane, and no
band between Start and the first step. The counter itself is tests/layout_counter.py; first it
is shown to find each fault on a drawing that has it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layout_counter import Counts, count, dot_svg, read
from procflow.procedures import load_procedure
from procflow.project import project_for
from procflow.render import diagram, diagram_words, dot_writer, engine
from procflow.render.environment import source, templates

ROOT = Path(__file__).resolve().parents[1]
GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
NAMED = sorted((ROOT / "procedures").glob("*.yaml")) \
    + sorted((ROOT / "examples").rglob("procedures/*.yaml")) \
    + sorted((ROOT / "tests" / "data" / "hostile").glob("*.yaml"))

pytestmark = pytest.mark.skipif(not engine.available(), reason="no pygraphviz")


def build(path: Path) -> diagram.Diagram:
    labels = templates(source(None)).labels("en")
    procedure = load_procedure(path).model
    assert procedure is not None
    return diagram.build(procedure, shared_roles=tuple(project_for(path).shared_roles.values()),
                         duration_text=labels.duration, words=diagram_words(labels))


def measure(path: Path) -> Counts:
    return count(engine.draw(dot_writer.dot_of(build(path), "m"), "svg"))


BAD = """<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">
<g class="cluster lane"><polygon points="0,0 0,-300 100,-300 100,0 0,0"/></g>
<g class="cluster lane"><polygon points="100,0 100,-300 200,-300 200,0 100,0"/></g>
<g class="node step"><title>a</title><polygon points="10,-250 90,-250 90,-280 10,-280 10,-250"/>
<text text-anchor="middle" x="50" y="-262" font-size="10">A title far too long for its box</text>
<text text-anchor="middle" x="50" y="-256" font-size="8">≤ 1 day</text></g>
<g class="node step"><title>b</title><polygon points="20,-240 80,-240 80,-270 20,-270 20,-240"/></g>
<g class="node step"><title>c</title><polygon points="110,-20 190,-20 190,-50 110,-50 110,-20"/></g>
<g class="edge flow"><title>a&#45;&gt;c</title><path d="M50,-250C50,-200 50,-150 50,-100 60,-100 100,-100 150,-100 150,-80 150,-60 150,-50"/>
<text text-anchor="start" x="60" y="-120" font-size="8">a label across the border…</text></g>
<g class="edge flow"><title>b&#45;&gt;c</title><path d="M20,-150C60,-150 120,-150 180,-150 180,-100 180,-80 180,-50"/></g>
<g class="edge flow"><title>c&#45;&gt;a</title><path d="M100,-10C100,-100 100,-200 100,-290"/></g>
</g></svg>"""


def test_the_counter_finds_each_fault_on_a_drawing_that_has_it() -> None:
    found = count(BAD)
    assert found.node_overlaps == 1  # a and b
    assert found.crossings >= 1  # a->c and b->c
    assert found.labels_across_lane_borders == 1 and found.labels_cut == 1
    assert found.text_overflows >= 1 and found.lines_touching == 1
    assert found.edges_on_lane_borders == 1  # c->a runs along x = 100
    assert found.edges_through_nodes >= 1  # b->c runs through a
    assert found.smallest_text == 8.0
    assert found.empty_lane_share == 0.0


@pytest.mark.parametrize("path", NAMED, ids=lambda p: p.stem)
def test_named_procedures_have_none_of_the_faults(path: Path) -> None:
    found = measure(path)
    assert found.faults() == {}
    assert found.smallest_text >= 9.0


@pytest.mark.parametrize("path", NAMED, ids=lambda p: p.stem)
def test_each_diagram_has_no_more_crossings_than_dot_with_a_cluster_per_lane(
        path: Path) -> None:
    """Per diagram, procflow's layout crosses edges no more often than Graphviz ``dot`` laying
    out the same graph (same node sizes and labels, one cluster per lane in the same order),
    both counted on the SVG by the same counter. When written: 6 crossings in all (5 in
    hostile-long) against dot's 12 to 14 (dot varies between runs: 6 to 9 on hostile-long)."""
    drawn = build(path)
    ours = count(engine.draw(dot_writer.dot_of(drawn, "m"), "svg")).crossings
    assert ours <= count(dot_svg(drawn)).crossings


def _vertical_gaps(path: Path) -> tuple[float, list[float]]:
    """In the SVG: the gap between Start and the first step, and the gaps between two boxes
    of one lane that a flow edge joins (the smallest of those is two rows' distance)."""
    drawn = build(path)
    nodes = read(engine.draw(dot_writer.dot_of(drawn, "m"), "svg")).nodes

    def gap(upper: str, lower: str) -> float:
        return nodes[lower].box[1] - nodes[upper].box[3]

    steps = []
    for link in drawn.links:
        upper, lower = drawn.shapes[link.source], drawn.shapes[link.target]
        if link.kind == "flow" and upper.lane == lower.lane and upper.kind != "start" \
                and lower.kind in ("step", "decision") and 0 < gap(upper.name, lower.name):
            steps.append(gap(upper.name, lower.name))
    return gap("s0", "s1"), steps


@pytest.mark.parametrize("path", NAMED, ids=lambda p: p.stem)
def test_escalations_do_not_push_the_first_step_away_from_start(path: Path) -> None:
    """Escalation boxes (and their labels) sit beside the flow, below the steps they watch,
    so the first step follows Start as closely as two consecutive steps follow each other
    (issue 11: "a large empty band lies between Start and the first step"). Before, the
    gap was 120 to 200 pt on most bundled procedures, against 28 pt between two steps."""
    start, steps = _vertical_gaps(path)
    assert start <= 1.75 * min(steps, default=28.0), (start, steps)


@pytest.mark.slow
@pytest.mark.skipif(not GEN_CORPUS.exists(), reason=f"no corpus generator at {GEN_CORPUS}")
def test_200_generated_diagrams_have_none_of_the_faults_and_no_more_crossings_than_dot(
        tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GEN_CORPUS), str(tmp_path), "--procedures", "200",
                    "--steps", "25"], check=True)
    ours = theirs = 0
    for path in [*NAMED, *sorted(tmp_path.glob("*.yaml"))]:
        found = measure(path)
        assert found.faults() == {}, path.name
        assert found.smallest_text >= 9.0
        dot = count(dot_svg(build(path))).crossings
        assert found.crossings <= dot, path.name
        ours, theirs = ours + found.crossings, theirs + dot
    assert ours < theirs, (ours, theirs)  # 23 against 418 when written

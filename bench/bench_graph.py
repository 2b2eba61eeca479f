#!/usr/bin/env python3
"""Diagram engine benchmark: time per diagram drawn in-process (procflow.render.engine) against
one `dot -Tsvg` process per diagram, on the same DOT, in the same run.

usage: python bench/bench_graph.py [--corpus DIR] [--procedures N]

DIR defaults to a corpus written by shared/bench/gen_corpus.py (40-step procedures) in a
temporary folder; the procedures/ samples are measured too. Also shown, for the choice of
layout: the same diagrams with Graphviz routing the edges itself (`neato -n2`,
`splines=true`, as the second pass of a dot + neato two-pass layout would). And, for what the
goal can reach, two floors: the same nodes and edges at the same places with no text, lane or
style ("bare"), and bare with straight edges ("bare, straight"), drawn in-process and set
against the same `dot` process on the real diagram: the most any in-process Graphviz could gain
even if text, lanes and styles cost nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from procflow.procedures import discover, load_procedure
from procflow.project import project_for
from procflow.render import diagram, dot_writer, engine

ROOT = Path(__file__).resolve().parents[1]
GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def per_item(work: Callable[[str], object], items: Sequence[str]) -> float:
    """Milliseconds per item."""
    start = time.perf_counter()
    for item in items:
        work(item)
    return (time.perf_counter() - start) / len(items) * 1000


def dot_process(dot: str) -> None:
    subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True)


def graphviz_routes(dot: str) -> None:
    """Our positions, but Graphviz routes every edge (splines around the nodes)."""
    unrouted = re.sub(r' pos="e,[^"]*",?', "", dot).replace('layout="nop2"',
                                                            'layout="nop2", splines="true"')
    engine.draw(unrouted, "svg")


def bare(dot: str) -> str:
    """The nodes and edges of ``dot`` at their places, with no label, lane, style or id."""
    box = re.search(r' bb="([^"]*)"', dot)
    lines = [f'digraph {{ graph [layout=nop2, bb="{box[1] if box else ""}"];']
    for line in dot.splitlines():
        edge = re.match(r'\s+(\w+) -> (\w+) \[.*pos="([^"]*)"', line)
        node = re.match(r'\s+(\w+) \[.*pos="([^"]*)"', line)
        if edge:
            lines.append(f'{edge[1]} -> {edge[2]} [pos="{edge[3]}"];')
        elif node:
            lines.append(f'{node[1]} [pos="{node[2]}", label=""];')
    return "\n".join(lines) + "}\n"


def straight(dot: str) -> str:
    """``bare(dot)`` with straight edges: the least Graphviz can be asked to draw."""
    return re.sub(r' \[pos="e,[^"]*"\]', "", bare(dot)).replace("layout=nop2",
                                                                "layout=nop2, splines=line")


def engine_ms(dots: list[str]) -> float:
    engine.draw(dots[0], "svg")  # the first drawing loads fonts and plugins
    return per_item(lambda d: engine.draw(d, "svg"), dots)


def measure(name: str, paths: list[Path], has_dot: bool) -> list[list[str]]:
    """Rows: the diagrams as procflow draws them, then the two floors. Every ratio divides
    the time of one `dot -Tsvg` process on the real DOT by the row's in-process time."""
    models = [(load_procedure(p).model, list(project_for(p).shared_roles.values()))
              for p in paths]
    models = [(m, shared) for m, shared in models if m is not None]
    steps = f"{sum(len(m.steps) for m, _ in models) / len(models):.0f}"
    start = time.perf_counter()
    dots = [dot_writer.to_dot(m, shared_roles=shared) for m, shared in models]
    to_dot = (time.perf_counter() - start) / len(dots) * 1000
    process = per_item(dot_process, dots) if has_dot else None
    rows = []
    for label, drawn, extra in (
            (name, dots, [f"{to_dot:.2f}"]),
            (f"{name} bare", [bare(d) for d in dots], [""]),
            (f"{name} bare, straight", [straight(d) for d in dots], [""])):
        inside = engine_ms(drawn)
        ratio = f"{process / inside:.1f}x" if process else "n/a"
        rows.append([label, f"{len(dots)}", steps, *extra, f"{inside:.2f}",
                     f"{process:.2f}" if process else "n/a", ratio])
    rows[0].append(f"{per_item(graphviz_routes, dots[:20]):.2f}")
    return [row + [""] * (len(rows[0]) - len(row)) for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--procedures", type=int, default=200)
    args = parser.parse_args(argv)
    if not engine.available():
        print(engine.INSTALL_HINT, file=sys.stderr)
        return 2
    has_dot = shutil.which("dot") is not None
    if not has_dot:
        print("`dot` is not installed, so there is no subprocess baseline; install Graphviz "
              "(apt-get install -y graphviz) to compare.", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run([sys.executable, str(GEN_CORPUS), str(corpus), "--procedures",
                            str(args.procedures)], check=True, capture_output=True)
        sets = [("corpus", discover([corpus])[:args.procedures]),
                ("procedures/", discover([ROOT / "procedures"]))]
        header = ["set", "diagrams", "steps", "to_dot ms", "engine svg ms",
                  "dot -Tsvg process ms", "process / engine", "Graphviz-routed ms"]
        rows = [header] + [row for name, paths in sets if paths
                           for row in measure(name, paths, has_dot)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for k, row in enumerate(rows):
        print(" | ".join(cell.rjust(w) if k else cell.ljust(w) for cell, w in zip(row, widths)))
        if k == 0:
            print("-+-".join("-" * w for w in widths))
    print("\nengine: the wheel's Graphviz in-process (procflow.render.engine), layout=nop2 "
          "(positions and edge routes computed by procflow); Graphviz-routed: the same positions "
          "with splines=true, on 20 diagrams. bare: the same nodes and edges at the same places with "
          "no text, lane or style; bare, straight: bare with straight edges. A bare row's ratio "
          "sets the `dot` process on the real diagram against drawing only that: the most an "
          "in-process Graphviz could gain if text, lanes and styles cost nothing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

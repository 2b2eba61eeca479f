"""How readable the diagrams are, counted on the SVG (issue 11, item 1):

    python bench/bench_layout.py [--procedures N]

For the bundled procedures, examples/, the hostile corpus (one row each) and N diagrams of the
generated corpus (one row in all), the faults tests/layout_counter.py counts, and the edge
crossings of the same graphs laid out by Graphviz ``dot`` with one cluster per lane, measured
with the same counter in the same run: the ratio procflow / dot (goal: below 1.0).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from _common import ROOT, corpus, table  # noqa: E402
from layout_counter import Counts, count, dot_svg  # noqa: E402


def measure(path: Path) -> tuple[Counts, Counts]:
    from procflow.procedures import load_procedure
    from procflow.project import project_for
    from procflow.render import diagram, diagram_words, dot_writer, engine
    from procflow.render.environment import source, templates

    labels = templates(source(None)).labels("en")
    procedure = load_procedure(path).model
    drawn = diagram.build(procedure, shared_roles=tuple(project_for(path).shared_roles.values()),
                          duration_text=labels.duration, words=diagram_words(labels))
    ours = count(engine.draw(dot_writer.dot_of(drawn, procedure.id), "svg"))
    return ours, count(dot_svg(drawn))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=200)
    parser.add_argument("--corpus", type=Path,
                        default=Path(tempfile.gettempdir()) / "procflow-corpus")
    args = parser.parse_args()
    named = sorted((ROOT / "procedures").glob("*.yaml")) \
        + sorted((ROOT / "examples").rglob("procedures/*.yaml")) \
        + sorted((ROOT / "tests" / "data" / "hostile").glob("*.yaml"))
    generated = sorted(corpus(args.corpus).glob("*.yaml"))[:args.procedures]
    rows = [("diagram", "faults (goal: none)", "smallest pt", "empty lanes",
             "crossings", "dot crossings")]
    total, total_dot = Counts(), Counts()

    def row(name: str, ours: Counts, theirs: Counts) -> None:
        faults = ", ".join(f"{k} {v}" for k, v in ours.faults().items()) or "none"
        rows.append((name, faults, f"{ours.smallest_text:g}", f"{ours.empty_lane_share:.0%}",
                     str(ours.crossings), str(theirs.crossings)))

    for path in named:
        ours, theirs = measure(path)
        row(path.stem, ours, theirs)
        total, total_dot = total + ours, total_dot + theirs
    gen, gen_dot = Counts(), Counts()
    for path in generated:
        ours, theirs = measure(path)
        gen, gen_dot = gen + ours, gen_dot + theirs
    row(f"generated corpus ({len(generated)})", gen, gen_dot)
    total, total_dot = total + gen, total_dot + gen_dot
    row("all", total, total_dot)
    print(table(rows))
    ratio = total.crossings / max(total_dot.crossings, 1)
    print(f"\nedge crossings, procflow / dot with a cluster per lane: {total.crossings} / "
          f"{total_dot.crossings} = {ratio:.2f} (goal: below 1.0)")


if __name__ == "__main__":
    main()

"""Benchmark of ``procflow render`` on the 1,000-procedure corpus (issue 3, item 10).

    python bench/bench_render.py [--corpus DIR] [--repeats N]

Renders md + html + svg through the CLI into a fresh folder (cold), with the automatic worker
count and with --jobs 1, and two cold renders that leave parts out (``--format dot``: the
check and the layout; ``--format svg``: those and Graphviz's drawing, no pages); then again
into the same folder with nothing changed, and after changing one procedure (the incremental
render of issue 11: each of these right after a validate, ratio to it); and times ``procflow
validate`` on the same corpus in the same run: it prints procedures per second and each
ratio to validate (goals: cold <= 5x, nothing changed <= 1.3x, one changed <= 1.5x). Each
time is the median of N runs. The diagram engine alone (in-process against a ``dot`` process
per diagram) is measured by bench/bench_graph.py.

Then, to show where the time goes, the same work in one process on one core, stage by stage,
on the first 200 procedures, against validating the same files the same way (``lint.check_file``):
milliseconds per procedure and each stage's multiple of validating. A render loads and checks
each file once, as validate does, and renders the procedure it loaded: its stages are that
check and the three after it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROCFLOW, best_of, corpus, run, table  # noqa: E402

TODAY = ["--today", "2026-11-22"]
#: the cold renders timed: the goal's (md, html and svg), the same on one core, and two that
#: leave parts out, to show in the CLI's own terms what each part costs: "dot" checks each
#: file and lays its diagram out (no drawing, no pages), "svg" adds Graphviz's drawing
COLD_RUNS = (("procflow render, cold (automatic)", "md,html,svg", []),
             ("procflow render, cold --jobs 1", "md,html,svg", ["--jobs", "1"]),
             ("  part: --format dot (check + layout; no drawing, no pages)", "dot", []),
             ("  part: --format svg (check + layout + Graphviz; no pages)", "svg", []))


def fresh(command: list[str], out: Path) -> float:
    """Seconds of one cold run: into an emptied output folder."""
    shutil.rmtree(out, ignore_errors=True)
    return run(command)[0]
STAGE_SAMPLE = 200


def stages(files: list[Path]) -> list[tuple[str, ...]]:
    """Milliseconds per procedure of each stage of rendering, in this process, and of
    validating, with each stage's multiple of validating."""
    from procflow.lint import check_file
    from procflow.markup.svg import inline_svg
    from procflow.procedures import load_procedure
    from procflow.render import diagram, diagram_words, dot_writer, engine, mermaid
    from procflow.render.environment import source, templates
    from procflow.render.pages import procedure_page

    today = dt.date(2026, 11, 22)
    compiled = templates(source(None))
    labels = compiled.labels("en")
    models = [load_procedure(path).model for path in files]
    diagrams = [diagram.build(m, duration_text=labels.duration, words=diagram_words(labels))
                for m in models]
    dots = [dot_writer.dot_of(d, m.id) for d, m in zip(diagrams, models, strict=True)]
    svgs = [engine.draw(dot, "svg") for dot in dots]

    def pages(k: int) -> None:
        view = procedure_page(models[k], shared_roles=(), labels=labels, ext="md", today=today)
        view.mermaid = mermaid.mermaid_of(diagrams[k])
        compiled.render("procedure.md.j2", page=view)
        html = dataclasses.replace(view, ext="html", mermaid=None)
        html.svg = inline_svg(svgs[k], models[k].id, "diagram")
        compiled.render("procedure.html.j2", page=html)

    work: list[tuple[str, Callable[[int], object]]] = [
        ("validate (load + rules; render does the same, once)",
         lambda k: check_file(files[k], today)),
        ("render: layout + DOT", lambda k: dot_writer.dot_of(diagram.build(
            models[k], duration_text=labels.duration, words=diagram_words(labels)), models[k].id)),
        ("render: Graphviz draw (svg)", lambda k: engine.draw(dots[k], "svg")),
        ("render: md + html pages", pages),
    ]
    timed = []
    for name, step in work:
        step(0)  # warm: imports, compiled templates, fonts
        start = time.perf_counter()
        for k in range(len(files)):
            step(k)
        timed.append((name, (time.perf_counter() - start) / len(files) * 1000))
    base = timed[0][1]
    rows = [("stage (one core)", "ms/procedure", "multiple of validate")]
    rows += [(name, f"{ms:.2f}", f"{ms / base:.1f}") for name, ms in timed]
    total = sum(ms for _, ms in timed)
    rows.append(("render: all stages above", f"{total:.2f}", f"{total / base:.1f}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(tempfile.gettempdir()) / "procflow-corpus")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = corpus(args.corpus)
    count = len(list(folder.glob("*.yaml")))
    print(f"corpus: {count} procedures in {folder}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    validate = best_of(args.repeats, [*PROCFLOW, "validate", str(folder), *TODAY])
    rows = [("measure", "seconds", "procedures/s", "ratio to validate", "goal"),
            ("procflow validate", f"{validate:.2f}", f"{count / validate:.0f}", "1.0", "")]
    for label, formats, jobs in COLD_RUNS:
        with tempfile.TemporaryDirectory() as out:
            command = [*PROCFLOW, "render", str(folder), "--output", out, "--format",
                       formats, *TODAY, *jobs]
            seconds = statistics.median(fresh(command, Path(out)) for _ in range(args.repeats))
            if not (Path(out) / "index.md").exists():
                sys.exit(f"{' '.join(command)} failed; run it to see why")
        goal = "<= 5.0" if label == COLD_RUNS[0][0] else ""
        rows.append((label, f"{seconds:.2f}", f"{count / seconds:.0f}",
                     f"{seconds / validate:.1f}", goal))
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "procedures"
        shutil.copytree(folder, tree)
        out = Path(scratch) / "site"
        command = [*PROCFLOW, "render", str(tree), "--output", str(out), "--format",
                   "md,html,svg", *TODAY]
        run(command)
        one = sorted(tree.glob("*.yaml"))[count // 2]
        original = one.read_text(encoding="utf-8")
        # each incremental run right after a validate of the same tree, and the median of the
        # ratios: a shared machine's load changes between the cold runs and these
        rounds: list[tuple[float, float, float]] = []
        for k in range(args.repeats):
            again = run([*PROCFLOW, "validate", str(tree), *TODAY])[0]
            unchanged = run(command)[0]
            one.write_text(original.replace("purpose: ", f"purpose: Change {k}. ", 1),
                           encoding="utf-8")
            rounds.append((again, unchanged, run(command)[0]))
        for label, column, goal in (("render again, nothing changed", 1, "<= 1.3"),
                                    ("render again, one procedure changed", 2, "<= 1.5")):
            seconds = statistics.median(times[column] for times in rounds)
            ratio = statistics.median(times[column] / times[0] for times in rounds)
            rows.append((f"{label} (ratio to a validate just before)", f"{seconds:.2f}",
                         f"{count / seconds:.0f}", f"{ratio:.2f}", goal))
    print(table(rows))
    print(f"\nwhere the time goes, first {STAGE_SAMPLE} procedures:")
    print(table(stages(sorted(folder.glob("*.yaml"))[:STAGE_SAMPLE])))


if __name__ == "__main__":
    main()

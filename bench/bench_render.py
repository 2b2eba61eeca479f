"""Benchmark of procflow render, side by side with procflow validate in the same run.

    python bench/bench_render.py [--corpus DIR] [--repeat N]

Renders md + html + svg for the 1,000-procedure corpus (made with
../shared/bench/gen_corpus.py when DIR does not exist yet) through the CLI, once in one process
(--jobs 1) and once with the automatic worker count, and times `procflow validate DIR` on the
same corpus: it prints procedures per second and the ratio render / validate (goal: <= 3x).
Then it times the diagram engine (in-process pygraphviz) per diagram against one `dot -Tsvg`
process per diagram (goal: >= 10x faster), when a `dot` binary is on PATH.
Wall-clock times, the median of --repeat runs; the machine's load is printed with them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
DIAGRAMS = 50


def timed(args: list[str], repeat: int) -> float:
    """Median wall time of running ``args`` (which must succeed or report findings)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return statistics.median(times)


def procflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "procflow", *args]


def render_times(corpus: Path, repeat: int) -> dict[str, float]:
    results = {}
    for label, jobs in (("render, 1 process", ["--jobs", "1"]), ("render, automatic", [])):
        with tempfile.TemporaryDirectory() as out:
            results[label] = timed(procflow("render", str(corpus), "--output", out, "--format",
                                            "md,html,svg", *jobs), repeat)
    return results


def engine_times(corpus: Path) -> tuple[float, float | None]:
    """Seconds per diagram: in-process engine, and one ``dot`` process each (None: no dot)."""
    from procflow.loader import load_procedures
    from procflow.render import engine, graph

    documents = load_procedures(sorted(corpus.glob("*.yaml"))[:DIAGRAMS])
    dots = [graph.to_dot(document.model) for document in documents]
    engine.draw(dots[0], "svg")  # the first drawing of a process loads the plugins
    start = time.perf_counter()
    for dot in dots:
        engine.draw(dot, "svg")
    in_process = (time.perf_counter() - start) / len(dots)
    binary = shutil.which("dot")
    if binary is None:
        return in_process, None
    start = time.perf_counter()
    for dot in dots:
        subprocess.run([binary, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True,
                       check=True)
    return in_process, (time.perf_counter() - start) / len(dots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    options = parser.parse_args()
    corpus: Path = options.corpus
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(GENERATOR), str(corpus)], check=True)
    count = len(list(corpus.glob("*.yaml")))
    print(f"corpus: {count} procedures in {corpus}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}")
    validate = timed(procflow("validate", str(corpus)), max(options.repeat, 3))
    print(f"{'validate':28} {validate:7.2f} s  {count / validate:7.0f} procedures/s")
    for label, seconds in render_times(corpus, options.repeat).items():
        print(f"{label:28} {seconds:7.2f} s  {count / seconds:7.0f} procedures/s  "
              f"{seconds / validate:5.1f}x validate (goal <= 3x)")
    in_process, per_process = engine_times(corpus)
    line = f"diagram engine, in-process   {in_process * 1000:7.2f} ms per diagram"
    if per_process is None:
        line += "; no `dot` binary on PATH to compare (apt-get install graphviz)"
    else:
        line += (f"; one `dot -Tsvg` process each {per_process * 1000:.2f} ms: "
                 f"{per_process / in_process:.1f}x faster in-process (goal >= 10x)")
    print(line)


if __name__ == "__main__":
    main()

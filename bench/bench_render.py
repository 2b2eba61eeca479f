"""Benchmark of ``procflow render`` on the 1,000-procedure corpus (issue 3, item 10).

    python bench/bench_render.py [--corpus DIR] [--repeats N]

Renders md + html + svg through the CLI into a fresh folder, with the automatic worker count
and with --jobs 1, and times ``procflow validate`` on the same corpus in the same run: it prints
procedures per second and the ratio render / validate (goal: <= 3x). Each time is the median
of N runs. The diagram engine alone (in-process against a ``dot`` process per diagram) is
measured by bench/bench_graph.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROCFLOW, best_of, corpus, table  # noqa: E402

TODAY = ["--today", "2026-11-22"]


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
    for label, jobs in (("procflow render (automatic)", []),
                        ("procflow render --jobs 1", ["--jobs", "1"])):
        with tempfile.TemporaryDirectory() as out:
            command = [*PROCFLOW, "render", str(folder), "--output", out, "--format",
                       "md,html,svg", *TODAY, *jobs]
            seconds = best_of(args.repeats, command)
            if not (Path(out) / "index.html").exists():
                sys.exit(f"{' '.join(command)} failed; run it to see why")
        rows.append((label, f"{seconds:.2f}", f"{count / seconds:.0f}",
                     f"{seconds / validate:.1f}", "<= 3.0" if not jobs else ""))
    print(table(rows))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Every benchmark, one after the other, in one command:

    python bench/run.py [--quick]

Runs bench_validate, bench_render, bench_diff, bench_graph, bench_layout, bench_startup,
bench_sla and bench_report with the same Python, each printing its ratios against a baseline measured in the same run. ``--quick`` asks each for
fewer repeats (a smoke run, not figures to quote). Exit code: the first failing benchmark's.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {  # script: arguments for --quick
    "bench_validate.py": ["--repeats", "1"],
    "bench_render.py": ["--repeats", "1"],
    "bench_diff.py": ["--repeats", "1"],
    "bench_graph.py": ["--procedures", "50"],
    "bench_layout.py": ["--procedures", "50"],
    "bench_startup.py": ["--repeats", "3"],
    "bench_sla.py": ["--count", "20000"],
    "bench_report.py": ["--repeats", "1", "--tickets", "200000"],
}


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    for script, quick_args in BENCHMARKS.items():
        print(f"\n=== {script} ===", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / script), *(quick_args if quick else [])])
        print(f"({script}: {time.perf_counter() - start:.0f} s)", flush=True)
        if done.returncode:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Benchmark of ``procflow diff`` (issue 4, item 8; goals of issue 12, item 7).

    python bench/bench_diff.py [--repeats N] [--sizes 500,1000,2000,4000] [--corpus DIR]

Measured side by side in one run, N runs each:
- one procedure at 500, 1,000, 2,000 and 4,000 steps (``gen_corpus.py --steps``) against a
  mutated copy (steps retitled, reassigned, inserted, removed, moved and renamed, an SLA
  tightened, the file rewritten in another YAML style): the in-process diff (load both +
  compare, the flow comparison included) as a ratio to only loading the two files, least CPU
  time of N. Goal: <= 1.5x at every size (neither the matching nor the flow comparison grows
  quadratically).
- the 1,000-procedure corpus against a copy in which 50 files changed:
  ``procflow diff OLD NEW --format json`` as a ratio to ``procflow validate`` on the corpus,
  whole commands run in turn, median of N, in wall time and in CPU time of all their
  processes (the goal is read on CPU time: wall time on a busy shared machine moved it by
  a third from run to run). Goal: <= 1.0x (diffing costs no more than
  validating).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import GEN_CORPUS, PROCFLOW, PYTHON, corpus, run, table


def mutate(data: dict[str, Any], seed: int = 1) -> dict[str, Any]:
    """A new version with about 2% of the steps touched in every way the diff knows."""
    rng = random.Random(seed)
    steps = data["steps"]
    n = len(steps)
    for step in steps[1::50]:
        step["title"] += " (updated)"
    for step in steps[7::100]:
        step["role"] = "role-5"
    targets = {b["next"] for s in steps for b in s.get("branches", [])}
    removable = [i for i in range(1, n - 1) if steps[i]["id"] not in targets
                 and "branches" not in steps[i]]
    for i in sorted(rng.sample(removable, max(1, n // 200)), reverse=True):
        del steps[i]
    for k in range(max(1, n // 200)):
        at = rng.randrange(1, len(steps) - 1)
        steps.insert(at, {"id": f"new-step-{k}", "title": "Inserted step", "role": "role-1"})
    for _ in range(3):
        i, j = rng.randrange(1, len(steps) - 1), rng.randrange(1, len(steps) - 1)
        steps.insert(j, steps.pop(i))
    for step in steps[3:len(steps) - 1:max(1, n // 3)]:
        if step["id"] not in targets and "branches" not in step:
            step["id"] += "-renamed"
    data["slas"][1]["target"] = "1h"
    return data


def fastest(repeats: int, function: Callable[[], object]) -> float:
    """The least CPU time of this process over N runs: the work is in-process and on one
    core, so CPU time leaves out what other work on a shared machine takes from it (wall
    time there moved ratios by 2x from run to run)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def one_procedure(size: int, folder: Path, repeats: int) -> tuple[str, ...]:
    from procflow.diff.tree import diff_sources, path_sources
    from procflow.procedures import load_procedure

    out = folder / f"steps-{size}"
    subprocess.run([PYTHON, str(GEN_CORPUS), str(out), "--procedures", "1", "--steps",
                    str(size)], check=True)
    # its own project file: outside a repository the search stops at the file's folder
    (out / "procflow.yaml").write_bytes((folder / "procflow.yaml").read_bytes())
    old = next(out.glob("procedure-*.yaml"))
    new = folder / f"new-{size}.yaml"
    data = mutate(yaml.safe_load(old.read_text(encoding="utf-8")))
    new.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")

    def diff() -> Any:
        return diff_sources(*path_sources(old, new)[:2], today=dt.date(2026, 12, 1), as_one=True)

    changes = len(diff().procedures[0].changes)
    load = fastest(repeats, lambda: (load_procedure(old), load_procedure(new)))
    compared = fastest(repeats, diff)
    return (f"one procedure, {size} steps ({changes} changes)", f"{load:.3f}",
            f"{compared:.3f}", f"{compared / load:.2f}", "<= 1.5")


def whole_tree(folder: Path, base: Path, repeats: int) -> list[tuple[str, ...]]:
    new = folder / "tree-new"
    shutil.copytree(base, new, ignore=shutil.ignore_patterns(".*"))
    for path in sorted(new.glob("*.yaml"))[::20]:  # 50 of 1,000
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("target: 40h", "target: 30h", 1)
                        .replace("    role: role-1\n", "    role: role-2\n", 1), encoding="utf-8")
    today = ["--today", "2026-11-22"]
    commands = {"validate": [*PROCFLOW, "validate", str(base), *today],
                "diff": [*PROCFLOW, "diff", str(base), str(new), "--format", "json"]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):  # interleaved, so a busy moment slows both alike
        for name, command in commands.items():
            before = _children_cpu()
            times[name].append(run(command)[0])
            cpu[name].append(_children_cpu() - before)
    validate, diffed = (statistics.median(times[name]) for name in commands)
    validate_cpu, diffed_cpu = (statistics.median(cpu[name]) for name in commands)
    return [("procflow validate, 1,000 files (baseline), wall", "", f"{validate:.3f}", "1.00",
             ""),
            ("procflow diff OLD NEW -f json, 50 of 1,000 changed, wall", "", f"{diffed:.3f}",
             f"{diffed / validate:.2f}", "report"),
            ("procflow validate, 1,000 files (baseline), CPU", "", f"{validate_cpu:.3f}",
             "1.00", ""),
            ("procflow diff OLD NEW -f json, 50 of 1,000 changed, CPU", "", f"{diffed_cpu:.3f}",
             f"{diffed_cpu / validate_cpu:.2f}", "<= 1.0")]


def _children_cpu() -> float:
    """CPU seconds of the finished child processes and theirs (the workers of both commands):
    what a command costs, whatever else the shared machine runs meanwhile."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="500,1000,2000,4000")
    parser.add_argument("--corpus", type=Path,
                        default=Path(tempfile.gettempdir()) / "procflow-corpus")
    args = parser.parse_args()
    rows = [("measure", "load s", "seconds", "ratio", "goal")]
    with tempfile.TemporaryDirectory(prefix="procflow-bench-diff-") as scratch:
        folder = Path(scratch)
        # the 4,000-step file is over the default bounds of one procedure file (2 MB, 1,000
        # steps)
        (folder / "procflow.yaml").write_text(
            "procflow: 1\nlimits: {max_bytes: 20000000, max_steps: 10000}\n")
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(one_procedure(size, folder, args.repeats))
        rows += whole_tree(folder, corpus(args.corpus), args.repeats)
    print(table(rows))
    print(f"one procedure: (load both + diff) / load both, in-process CPU time, least of "
          f"{args.repeats}; tree: whole commands, wall time, median of {args.repeats}")


if __name__ == "__main__":
    main()

"""Benchmark of ``procflow validate`` on the 1,000-procedure corpus (issue 2, item 10).

    python bench/bench_validate.py [--corpus DIR] [--repeats N]

Measured side by side in one run, each as the median of N runs:
- ``procflow validate`` against a plain Python loop that only parses the same files with
  ``yaml.CSafeLoader`` (goal: ratio <= 1.0; both use the machine's cores as they see fit);
- peak memory of the whole ``procflow validate`` process tree (goal: < 300 MB);
- ``check-jsonschema`` with procflow's own schema on the same files (the peer: ratio reported);
- ``procflow --version`` and ``procflow --help`` against ``python -c "import typer"``
  (goal: within 1.3x);
- the tree rules at scale (issue 16): one file with 1,000 .. 8,000 unknown ``related`` ids
  and 3,000 procedures with 2 stale references each; the time per finding must stay flat
  (goal: the 8,000 run within 2x of 8 times the 1,000 run: linear, not quadratic).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROCFLOW, PYTHON, best_of, compile_procflow, corpus, run, table  # noqa: E402

PLAIN_LOOP = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "procflow-corpus")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    folder = corpus(args.corpus)
    compile_procflow()
    n = args.repeats
    today = ["--today", "2026-11-22"]

    plain = best_of(n, [PYTHON, "-c", PLAIN_LOOP, str(folder)])
    validate = best_of(n, [*PROCFLOW, "validate", str(folder), *today])
    validate_one_core = best_of(n, [*PROCFLOW, "validate", str(folder), "--jobs", "1", *today])
    _, code, peak_mib = run([*PROCFLOW, "validate", str(folder), *today], measure_memory=True)
    rows = [("measure", "seconds", "ratio", "goal"),
            ("plain CSafeLoader parse loop (baseline)", f"{plain:.2f}", "1.00", ""),
            ("procflow validate (2 processes)", f"{validate:.2f}", f"{validate / plain:.2f}", "<= 0.7"),
            ("procflow validate --jobs 1", f"{validate_one_core:.2f}",
             f"{validate_one_core / plain:.2f}", "")]
    checker = shutil.which("check-jsonschema") or str(Path(PYTHON).parent / "check-jsonschema")
    if Path(checker).exists():
        with tempfile.TemporaryDirectory() as scratch:
            schema = Path(scratch) / "procedure.schema.json"
            with schema.open("w") as handle:
                subprocess.run([*PROCFLOW, "schema"], stdout=handle, check=True)
            files = sorted(str(p) for p in folder.glob("*.yaml"))
            peer = best_of(max(1, n // 2), [checker, "--schemafile", str(schema), *files])
        rows.append(("check-jsonschema, procflow's schema (peer)", f"{peer:.2f}",
                     f"{validate / peer:.2f}", "validate/peer"))
    else:
        rows.append(("check-jsonschema (peer)", "missing", "-", "pip install check-jsonschema"))
    typer_import = best_of(n * 3, [PYTHON, "-c", "import typer"])
    version = best_of(n * 3, [*PROCFLOW, "--version"])
    help_ = best_of(n * 3, [*PROCFLOW, "--help"])
    rows += [("python -c 'import typer' (baseline)", f"{typer_import:.3f}", "1.00", ""),
             ("procflow --version", f"{version:.3f}", f"{version / typer_import:.2f}", "<= 1.3"),
             ("procflow --help", f"{help_:.3f}", f"{help_ / typer_import:.2f}", "<= 1.3")]
    print(f"corpus: {folder} ({len(list(folder.glob('*.yaml')))} files), median of {n} runs")
    print(table(rows))
    print(f"peak memory of procflow validate (all processes): {peak_mib} MiB (goal < 300); "
          f"exit code {code}")
    print(table(tree_rule_rows(max(1, n // 2))))


PROCEDURE = """procflow: 1
id: {id}
title: T
version: "1.0.0"
owner: {{name: A}}
related: [{related}]
roles: [{{id: a, name: A}}]
steps: [{{id: s, title: S, role: a}}]
"""


def tree_rule_rows(n: int) -> list[tuple[str, ...]]:
    """PF009 at scale: time per finding as the number of findings grows."""
    rows: list[tuple[str, ...]] = [
        ("tree rules (PF009)", "seconds", "per 1,000 findings", "goal")]
    with tempfile.TemporaryDirectory() as scratch:
        base = None
        for count in (1000, 2000, 4000, 8000):
            folder = Path(scratch) / f"unknown-{count}"
            folder.mkdir()
            related = ", ".join(f"missing-procedure-{k}" for k in range(count))
            (folder / "p.yaml").write_text(PROCEDURE.format(id="p", related=related))
            seconds = best_of(n, [*PROCFLOW, "validate", str(folder), "--jobs", "1"])
            per = seconds / count * 1000
            base = base or per
            rows.append((f"one file, {count:,} unknown related ids", f"{seconds:.2f}",
                         f"{per:.3f} ({per / base:.2f}x)", "flat (<= 2x)"))
        folder = Path(scratch) / "stale"
        folder.mkdir()
        for k in range(3000):
            (folder / f"procedure-{k}.yaml").write_text(PROCEDURE.format(
                id=f"procedure-{k}", related=f"procedure-{k}-old, procedur-{k + 1}"))
        seconds = best_of(n, [*PROCFLOW, "validate", str(folder)])
        rows.append(("3,000 procedures, 2 stale references each", f"{seconds:.2f}",
                     f"{seconds / 6:.3f}", "linear"))
    return rows


if __name__ == "__main__":
    main()

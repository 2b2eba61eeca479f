"""Benchmark of ``procflow validate`` on the 1,000-procedure corpus (issue 2, item 10).

    python bench/bench_validate.py [--corpus DIR] [--repeats N] [--tree-only]

Measured side by side in one run, each as the median of N runs:
- ``procflow validate`` against a plain Python loop that only parses the same files with
  ``yaml.CSafeLoader`` (goal: ratio <= 1.0; both use the machine's cores as they see fit);
- peak memory of the whole ``procflow validate`` process tree (goal: < 300 MB);
- ``check-jsonschema`` with procflow's own schema on the same files (the peer: ratio reported);
- ``procflow --version`` and ``procflow --help`` against ``python -c "import typer"``
  (goal: within 1.3x);
- the tree rules at scale (issue 16, item 6; alone with ``--tree-only``): one file with 1,000
  .. 8,000 unknown ``related`` ids, 750 .. 3,000 procedures with 2 stale references each
  (PF009's did-you-mean), 750 .. 3,000 files of one id (PF008); the time per unit, start-up
  taken off, must stay flat (goal: within 2x of the smallest size: linear, not quadratic).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
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
    parser.add_argument("--tree-only", action="store_true",
                        help="only the PF008/PF009 scaling shapes (issue 16, item 6)")
    args = parser.parse_args()
    if args.tree_only:
        compile_procflow()
        print(table(tree_rule_rows(args.repeats)))
        return
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


def _write_tree(folder: Path, files: dict[str, tuple[str, str]]) -> Path:
    """``files``: file stem -> (procedure id, related ids) written as procedures."""
    folder.mkdir()
    for stem, (procedure_id, related) in files.items():
        (folder / f"{stem}.yaml").write_text(PROCEDURE.format(id=procedure_id, related=related))
    return folder


def tree_rule_rows(n: int) -> list[tuple[str, ...]]:
    """PF008 and PF009 at scale (issue 16, item 6): each shape at 1x, 2x, 4x (8x) its size.
    The time of a one-file tree (start-up, one parse) is measured in the same run and taken
    off, so each row shows the cost of the findings alone, per unit of size, as a ratio to
    the smallest size: flat (<= 2x) is linear; quadratic work doubles the ratio with each
    doubling of the size (before: 2.9 s for 1,000 ids, 257 s for 8,000, 11x per id)."""
    rows: list[tuple[str, ...]] = [
        ("tree rules at scale", "seconds", "ms per unit", "ratio to 1x", "goal")]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        base_folder = _write_tree(root / "base", {"p": ("p", "")})
        base = best_of(n, [*PROCFLOW, "validate", str(base_folder), "--jobs", "1"])
        rows.append(("one file, no findings (start-up, taken off below)", f"{base:.2f}", "",
                     "", ""))

        def shape(label: str, unit: str, sizes: tuple[int, ...],
                  files: Callable[[int], dict[str, tuple[str, str]]], *args: str) -> None:
            first = None
            for size in sizes:
                folder = _write_tree(root / f"{label}-{size}", files(size))
                seconds = best_of(n, [*PROCFLOW, "validate", str(folder), *args])
                per = max(seconds - base, 0.0) / size * 1000
                first = first or per
                rows.append((f"{label}: {size:,} {unit}", f"{seconds:.2f}", f"{per:.3f}",
                             f"{per / first:.2f}x", "<= 2x"))

        shape("PF009, one file", "unknown related ids", (1000, 2000, 4000, 8000),
              lambda size: {"p": ("p", ", ".join(f"missing-procedure-{k}"
                                                  for k in range(size)))}, "--jobs", "1")
        shape("PF009, stale references", "procedures (2 each)", (750, 1500, 3000),
              lambda size: {f"procedure-{k}": (f"procedure-{k}",
                                               f"procedure-{k}-old, procedur-{k + 1}")
                            for k in range(size)})
        shape("PF008, one id", "files", (750, 1500, 3000),
              lambda size: {f"copy-{k}": ("same", "") for k in range(size)})
    return rows


if __name__ == "__main__":
    main()

"""Benchmark of ``procflow validate`` on a handful of files, as pre-commit runs it (issue 10,
item 4): start-up dominates, so it is compared with the peers a team would otherwise run on
every commit.

    python bench/bench_startup.py [--repeats N]

Measured side by side in one run, each the median of N runs, on the bundled procedures/:
- ``yamllint -d relaxed procedures/`` (goal: procflow within 0.8x of it);
- ``check-jsonschema`` with procflow's own schema on the same files (goal: within 0.5x);
- ``python -c "import procflow.cli"`` and a bare ``python -c pass``, to show how much of
  procflow's time is importing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROCFLOW, PYTHON, ROOT, best_of, table  # noqa: E402


def _tool(name: str) -> str | None:
    """A peer's console script: beside this Python first, then on PATH."""
    beside = Path(PYTHON).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    n = args.repeats
    folder = ROOT / "procedures"
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    validate = best_of(n, [*PROCFLOW, "validate", str(folder), "--today", "2026-11-25"])
    rows = [("measure", "seconds", "procflow/peer", "goal"),
            (f"procflow validate procedures/ ({len(files)} files)", f"{validate:.3f}", "", "")]
    yamllint = _tool("yamllint")
    if yamllint:
        peer = best_of(n, [yamllint, "-d", "relaxed", str(folder)])
        rows.append(("yamllint -d relaxed procedures/", f"{peer:.3f}", f"{validate / peer:.2f}",
                     "<= 0.8"))
    else:
        rows.append(("yamllint (peer)", "missing", "-", "pip install yamllint"))
    checker = _tool("check-jsonschema")
    if checker:
        with tempfile.TemporaryDirectory() as scratch:
            schema = Path(scratch) / "procedure.schema.json"
            with schema.open("w") as handle:
                subprocess.run([*PROCFLOW, "schema"], stdout=handle, check=True)
            peer = best_of(n, [checker, "--schemafile", str(schema), *files])
        rows.append(("check-jsonschema, procflow's schema", f"{peer:.3f}",
                     f"{validate / peer:.2f}", "<= 0.5"))
    else:
        rows.append(("check-jsonschema (peer)", "missing", "-", "pip install check-jsonschema"))
    imports = best_of(n, [PYTHON, "-c", "import procflow.cli"])
    bare = best_of(n, [PYTHON, "-c", "pass"])
    rows += [("python -c 'import procflow.cli'", f"{imports:.3f}", "", ""),
             ("python -c pass", f"{bare:.3f}", "", "")]
    print(f"median of {n} runs")
    print(table(rows))


if __name__ == "__main__":
    main()

"""Benchmark of ``procflow validate`` on a handful of files, as pre-commit runs it (issue 10,
item 4): start-up dominates, so it is compared with the peers a team would otherwise run on
every commit.

    python bench/bench_startup.py [--repeats N]

Measured in one run, interleaved (each round runs every command once), each the median of N
rounds, on the bundled procedures/, as wall time and as the CPU time of the process (the
ratio that the other users of a shared machine disturb least):
- ``yamllint -d relaxed procedures/`` (goal: procflow within 0.8x of it);
- ``check-jsonschema`` with procflow's own schema on the same files (goal: within 0.5x);
- ``procflow --help`` against ``python -c "import typer"`` (goal: within 1.3x);
- where procflow's time goes: the CPU time of importing each layer a validate run needs,
  each measured in its own interpreter (``python -c pass``, ``import typer``, ``import
  pydantic``, the models, the lint engine with its rules) and what the run adds on top.

procflow's modules are byte-compiled first, as an installed procflow is.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROCFLOW, PYTHON, ROOT, compile_procflow, interleaved, load, table  # noqa: E402

#: the layers a validate run imports, each on top of the one before
LAYERS = [("python start (python -c pass)", "pass"),
          ("typer (the CLI framework)", "import typer"),
          ("pydantic", "import typer, pydantic.main"),
          ("procflow's models (model.py) and yamlsafe",
           "import typer, pydantic.main, procflow.model"),
          ("the lint engine, loader and rules", "import typer, procflow.lint"),
          ("the command: option parsing, the check, the report", None)]


def _tool(name: str) -> str | None:
    """A peer's console script: beside this Python first, then on PATH."""
    beside = Path(PYTHON).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    compile_procflow()
    folder = ROOT / "procedures"
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    validate = [*PROCFLOW, "validate", str(folder), "--today", "2026-11-25"]
    commands = {"validate": validate}
    yamllint, checker = _tool("yamllint"), _tool("check-jsonschema")
    scratch = tempfile.TemporaryDirectory()
    if yamllint:
        commands["yamllint"] = [yamllint, "-d", "relaxed", str(folder)]
    if checker:
        schema = Path(scratch.name) / "procedure.schema.json"
        with schema.open("w") as handle:
            subprocess.run([*PROCFLOW, "schema"], stdout=handle, check=True)
        commands["check-jsonschema"] = [checker, "--schemafile", str(schema), *files]
    commands["help"] = [*PROCFLOW, "--help"]
    for label, code in LAYERS:
        if code is not None:
            commands[label] = [PYTHON, "-c", code]
    before = load()
    measured = dict(zip(commands, interleaved(args.repeats, list(commands.values())),
                        strict=True))
    scratch.cleanup()

    wall, cpu = measured["validate"]
    rows = [("measure", "wall s", "CPU s", "procflow/peer wall", "CPU", "goal"),
            (f"procflow validate procedures/ ({len(files)} files)", f"{wall:.3f}", f"{cpu:.3f}",
             "", "", "")]
    for name, label, goal, missing in (
            ("yamllint", "yamllint -d relaxed procedures/", "<= 0.8", "pip install yamllint"),
            ("check-jsonschema", "check-jsonschema, procflow's schema", "<= 0.5",
             "pip install check-jsonschema")):
        if name in measured:
            peer_wall, peer_cpu = measured[name]
            rows.append((label, f"{peer_wall:.3f}", f"{peer_cpu:.3f}", f"{wall / peer_wall:.2f}",
                         f"{cpu / peer_cpu:.2f}", goal))
        else:
            rows.append((label, "missing", "", "", "", missing))
    help_wall, help_cpu = measured["help"]
    typer_wall, typer_cpu = measured[LAYERS[1][0]]
    rows += [("procflow --help", f"{help_wall:.3f}", f"{help_cpu:.3f}", "", "", ""),
             ("python -c 'import typer' (peer of --help)", f"{typer_wall:.3f}",
              f"{typer_cpu:.3f}", f"{help_wall / typer_wall:.2f}", f"{help_cpu / typer_cpu:.2f}",
              "<= 1.3")]
    print(f"median of {args.repeats} interleaved rounds; before: {before}; after: {load()}")
    print(table(rows))

    print("\nwhere the CPU time of procflow validate goes (each layer: what importing it adds)")
    parts = [("layer", "CPU s", "share")]
    previous = 0.0
    for label, code in LAYERS:
        total = measured[label][1] if code is not None else cpu
        parts.append((label, f"{total - previous:.3f}", f"{(total - previous) / cpu:.0%}"))
        previous = total
    parts.append(("procflow validate, in all", f"{cpu:.3f}", "100%"))
    print(table(parts))


if __name__ == "__main__":
    main()

"""Shared helpers for the benchmarks: the corpus, timing and peak memory of a command.

Every benchmark prints ratios against a baseline measured in the same run, because this
machine is shared and noisy: an absolute time alone means little.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
PYTHON = sys.executable
_SCRIPT = Path(PYTHON).parent / "procflow"
#: how a user runs procflow: the console script next to this Python, else ``python -m``
PROCFLOW = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "procflow"]


def corpus(folder: Path, procedures: int = 1000, steps: int = 40) -> Path:
    """Write (once) the deterministic corpus of ``gen_corpus.py`` into ``folder``."""
    marker = folder / f".done-{procedures}-{steps}"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        generator = GEN_CORPUS if GEN_CORPUS.exists() else ROOT / "bench" / "gen_corpus.py"
        subprocess.run([PYTHON, str(generator), str(folder), "--procedures", str(procedures),
                        "--steps", str(steps)], check=True)
        marker.touch()
    return folder


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run(command: list[str], *, measure_memory: bool = False) -> tuple[float, int, int]:
    """Run a command; return (wall seconds, exit code, peak RSS of its process tree in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    if measure_memory:
        def watch() -> None:
            nonlocal peak
            while process.poll() is None:
                peak = max(peak, _tree_rss_kib(process.pid))
                time.sleep(0.01)
        watcher = threading.Thread(target=watch)
        watcher.start()
    code = process.wait()
    elapsed = time.perf_counter() - start
    if measure_memory:
        watcher.join()
    return elapsed, code, peak // 1024


def compile_procflow() -> None:
    """Byte-compile procflow's modules, as installing the package does: with an editable
    checkout and ``PYTHONDONTWRITEBYTECODE`` set, every run would otherwise compile them
    from source, a cost no installed procflow (nor its peers here) pays."""
    package = subprocess.run([PYTHON, "-c", "import procflow, os; print(os.path.dirname("
                              "procflow.__file__))"], capture_output=True, text=True,
                             check=True).stdout.strip()
    subprocess.run([PYTHON, "-m", "compileall", "-q", package], check=True)


def load() -> str:
    """The machine's load, to print beside figures measured on a shared machine."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def interleaved(repeats: int, commands: list[list[str]]) -> list[tuple[float, float]]:
    """Each command's median (wall seconds, CPU seconds of the process) over ``repeats``
    rounds that run every command once in turn, so a burst of load on a shared machine
    falls on all of them alike. CPU time (user + system, children included) is what
    the command itself costs; wall time adds the waiting for a core."""
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(repeats):
        for index, command in enumerate(commands):
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(process.pid, 0)
            walls[index].append(time.perf_counter() - start)
            cpus[index].append(usage.ru_utime + usage.ru_stime)
    return [(statistics.median(wall), statistics.median(cpu)) for wall, cpu in zip(walls, cpus, strict=True)]


def best_of(repeats: int, command: list[str]) -> float:
    """The median wall time of a command over ``repeats`` runs."""
    return statistics.median(run(command)[0] for _ in range(repeats))


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)

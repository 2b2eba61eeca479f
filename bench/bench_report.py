"""Benchmark of ``procflow report`` (issue 15, item 5).

    python bench/bench_report.py [--tickets 1000000] [--repeats 3] [--folder DIR]

Measured side by side in one run, on exports written by ``gen_tickets.py`` for the bundled
procedures (procedures/), the status-change file included:

- the report on TICKETS tickets (read, parse, check, every SLA on its calendar with the
  pauses of the status file, KPIs, JSON written) as a ratio to polars only reading the same
  two CSV files (``pl.read_csv``), both timed inside their process, median of N. Goal: <= 3x.
- peak memory of the report's process, less that of a process that only imported the same
  modules (median of N), as a ratio to "the loaded table": the size
  (``DataFrame.estimated_size``) of the ticket table that polars reads eagerly with
  ``pl.read_csv`` and its own type inference, the same read that times the baseline.
  Goal: <= 2x.
- ``procflow report`` end to end (the whole command, HTML with its charts) on 10,000 tickets,
  median of N, procflow's modules byte-compiled first as an installed procflow's are (with
  PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise compile them from source
  in every run). Goal: < 2 s. Beside it, a process that only imports what that command
  imports (procflow's CLI, polars, numpy, pygal, jinja2): the floor under any work.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROCFLOW, PYTHON, ROOT, compile_procflow, load, run, table

PROCEDURES = ROOT / "procedures"
IMPORTS = ("import polars, numpy; import procflow.tickets.compute, procflow.tickets.load, "
           "procflow.tickets.output, procflow.cli")
#: what the 10,000-ticket HTML command imports before it reads a byte: its floor
CHART_IMPORTS = (IMPORTS + "; import jinja2, pygal; "
                 "import procflow.cli.app")
READ = """
import json, sys, time
import polars as pl
start = time.perf_counter()
frame = pl.read_csv(sys.argv[1])
statuses = pl.read_csv(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": frame.estimated_size()}))
"""
REPORT = """
import json, sys, time
from pathlib import Path
from procflow.tickets.run import ReportRequest, build, writer
request = ReportRequest(tickets=Path(sys.argv[1]), paths=[Path(sys.argv[2])],
                        statuses=Path(sys.argv[3]), pause_statuses=["Waiting for customer"],
                        today="2027-01-01", output_format="json", output=Path(sys.argv[4]))
start = time.perf_counter()
report, bad = build(request)
with open(sys.argv[4], "w", encoding="utf-8") as out:
    writer("json")(report, out)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def _generate(folder: Path, count: int) -> tuple[Path, Path]:
    tickets, statuses = folder / f"tickets-{count}.csv", folder / f"statuses-{count}.csv"
    if not tickets.exists():
        subprocess.run([PYTHON, str(ROOT / "bench" / "gen_tickets.py"), str(tickets),
                        "--tickets", str(count), "--statuses", str(statuses)], check=True)
    return tickets, statuses


def _cpu_of(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of all its threads) of a command: on a shared machine the
    CPU time says what the work costs, the wall time also how busy the others were."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode:  # a figure of a failed command would mean nothing
        raise SystemExit(f"benchmark command failed ({done.returncode}): {' '.join(command)}\n"
                         f"{done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _timed(script: str, *args: str) -> tuple[dict[str, float], int]:
    """Run a measuring script; its printed JSON (with the CPU seconds of the run added) and
    the peak RSS of its process (MiB)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(script)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([PYTHON, handle.name, *args], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _, code, peak = run([PYTHON, handle.name, *args], measure_memory=True)
    Path(handle.name).unlink()
    if out.returncode or code:
        raise SystemExit(f"benchmark script failed: {out.stderr[-2000:]}")
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    measured["process_cpu"] = ((after.ru_utime - before.ru_utime)
                               + (after.ru_stime - before.ru_stime))
    return measured, peak


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path,
                        default=Path(tempfile.gettempdir()) / "procflow-bench-report")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    compile_procflow()  # as an installed procflow is: its modules already byte-compiled
    big, big_statuses = _generate(args.folder, args.tickets)
    small, small_statuses = _generate(args.folder, 10_000)
    out = args.folder / "report.json"

    reads, reports, read_cpus, report_cpus = [], [], [], []
    read_peaks, report_peaks = [], []
    for _ in range(args.repeats):  # in turn, so that both see the same machine load
        read, peak = _timed(READ, str(big), str(big_statuses))
        reads.append(read["seconds"])
        read_cpus.append(read["process_cpu"])
        read_peaks.append(peak)
        report, peak = _timed(REPORT, str(big), str(PROCEDURES), str(big_statuses), str(out))
        reports.append(report["seconds"])
        report_cpus.append(report["process_cpu"])
        report_peaks.append(peak)
    # polars' threads and allocator make a peak vary from run to run: the median of N
    read_peak, report_peak = statistics.median(read_peaks), statistics.median(report_peaks)
    _, _, idle_peak = run([PYTHON, "-c", IMPORTS], measure_memory=True)
    loaded_mib = read["bytes"] / 2**20
    html = args.folder / "report.html"
    ends = [_cpu_of([*PROCFLOW, "report", str(small), str(PROCEDURES), "--statuses",
                     str(small_statuses), "--pause-status", "Waiting for customer", "--today",
                     "2027-01-01", "--format", "html", "--output", str(html)])
            for _ in range(args.repeats)]

    floors = [_cpu_of([PYTHON, "-c", CHART_IMPORTS]) for _ in range(args.repeats)]
    floor_s, floor_cpu = (statistics.median(f[0] for f in floors),
                          statistics.median(f[1] for f in floors))
    read_s, report_s = statistics.median(reads), statistics.median(reports)
    end_s, end_cpu = statistics.median(e[0] for e in ends), statistics.median(e[1] for e in ends)
    read_cpu, report_cpu = statistics.median(read_cpus), statistics.median(report_cpus)
    memory_ratio = (report_peak - idle_peak) / loaded_mib
    rows = [("measure", "value", "baseline", "ratio", "goal", "ok"),
            (f"report, {args.tickets:,} tickets", f"{report_s:.2f} s",
             f"read {read_s:.2f} s", f"{report_s / read_s:.2f}x", "<= 3x",
             "yes" if report_s <= 3 * read_s else "NO"),
            ("report peak memory over imports", f"{report_peak - idle_peak:.0f} MiB",
             f"table {loaded_mib:.0f} MiB", f"{memory_ratio:.2f}x", "<= 2x",
             "yes" if memory_ratio <= 2 else "NO"),
            ("(read peak memory over imports)", f"{read_peak - idle_peak:.0f} MiB",
             f"table {loaded_mib:.0f} MiB", f"{(read_peak - idle_peak) / loaded_mib:.2f}x",
             "", ""),
            ("(CPU seconds, whole processes)", f"{report_cpu:.2f} s",
             f"read {read_cpu:.2f} s", f"{report_cpu / read_cpu:.2f}x", "", ""),
            ("procflow report, 10,000 tickets, html", f"{end_s:.2f} s", "", "", "< 2 s",
             "yes" if end_s < 2 else "NO"),
            ("(its CPU seconds)", f"{end_cpu:.2f} s",
             f"imports alone {floor_cpu:.2f} s", f"{end_cpu / floor_cpu:.2f}x", "", ""),
            ("(imports alone: procflow, polars, numpy, pygal, jinja2)",
             f"{floor_s:.2f} s", "", "", "", "")]
    print(table(rows))
    print(f"machine: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

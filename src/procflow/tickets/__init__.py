"""``procflow report``: are a procedure's SLAs and KPIs kept, judged from the service desk's
ticket export.

The pipeline, one module per concern:

- ``columns``: which column of the export holds which field (presets, procflow.yaml, options);
- ``load``: reading CSV, JSON Lines or Parquet with polars' streaming engine (``blocks``:
  a CSV file's first whole records, for the sample that picks the time format, and a wide
  CSV file read a block of whole records at a time), parsing times in a zone (``zones``: a
  zone's offsets as a table), and every bad row counted with its row number;
- ``statuses``: the optional status-change file, turned into pause intervals per ticket;
- ``clocks`` and ``worktime``: the working time of each SLA's clock, vectorised;
- ``targets``: the KPI target forms the report can check;
- ``compute``: compliance and KPI values per procedure, SLA, priority and month;
- ``output``, ``html`` and ``charts``: text, json, md and a self-contained HTML page with SVG
  charts;
- ``run``: from the command's options to a written report and an exit code.

polars, numpy and pygal come with the optional extra ``procflow[report]``;
``require_extra`` turns their absence into a one-line instruction (exit 2).
"""

from __future__ import annotations

import os

from procflow.errors import EnvironmentProblem

# polars allocates with jemalloc, which by default keeps freed pages for a while: over an
# export streamed through the engine, many batches' worth of freed memory. Given back at
# once, the report's peak stays near its table, at the price of faulting pages in again
# (measured: a quarter of the report's time; any delay at all, even 1 ms, kept a peak of
# 2.2-2.4 times the table). Read when polars is first loaded, so set before it is; a value
# the user set is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")

EXTRA_HINT = "pip install 'procflow[report]'"


def require_extra() -> None:
    """Raise a one-line instruction when the packages of ``procflow[report]`` are missing."""
    import importlib.util

    missing = [name for name in ("polars", "numpy", "pygal")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise EnvironmentProblem(f"procflow report needs {', '.join(missing)}: install the "
                                 f"report extra with {EXTRA_HINT}")

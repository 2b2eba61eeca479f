"""The report as one self-contained HTML page: inline CSS and SVG charts, nothing loaded
from anywhere (the Content-Security-Policy forbids it), every figure also in a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from procflow.findings import count_noun
from procflow.tickets.charts import breaches_chart, compliance_chart, response_chart
from procflow.tickets.compute import Report, format_value
from procflow.tickets.output import (
    bad_row_summary,
    percent,
    period_text,
    sla_rows,
    target_text,
    verdict,
)


def render_html(report: Report) -> str:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    procedures: list[dict[str, Any]] = []
    for index, result in enumerate(report.procedures):
        prefix = f"c{index}"
        procedures.append({
            "result": result,
            "anchor": f"p-{result.procedure.id}",
            "compliance": compliance_chart(result, report.months, f"{prefix}a"),
            "response": response_chart(result, f"{prefix}b"),
            "breaches": breaches_chart(result, f"{prefix}c"),
        })
    template = environment.get_template("report.html.j2")
    return template.render(
        report=report, procedures=procedures, summary=period_text(report),
        bad=[("ticket export", report.bad.height, bad_row_summary(report.bad)),
             ("status file", report.status_bad.height, bad_row_summary(report.status_bad))],
        sla_rows=sla_rows, percent=percent, verdict=verdict, target_text=target_text,
        format_value=format_value, count_noun=count_noun)


def write_html(report: Report, stream: TextIO) -> None:
    stream.write(render_html(report))

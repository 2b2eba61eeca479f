"""The report as JSON (a stable shape for scripts), text (rich tables) and Markdown.

JSON shape (documented in the README, "Is the procedure kept?"; fields are only ever added):

    {"report": 1, "source", "timezone", "now", "period": {"from", "to", "months"},
     "tickets": {"rows", "used", "bad"}, "status_changes": {"rows", "bad"} | null,
     "procedures": [{"id", "title", "file", "tickets",
        "slas": [{"id", "name", "measure", "priority", "target", "target_seconds", "clock",
                  "calendar", "compliance_target", "met_target", "total": COUNTS,
                  "months": [{"month", "priority", ...COUNTS}]}],
        "kpis": [{"id", "name", "measure", "target", "unit", "value", "met", "problem",
                  "months": [{"month", "value", "met"}]}],
        "missed": [text], "review_now": [text]}],
     "bad_rows": [{"row", "problems": [text]}], "bad_status_rows": [...],
     "warnings": [text], "missed": [text]}

COUNTS = {"in_scope", "met", "breached", "open", "open_breached", "open_due_soon",
"compliance"} (compliance in percent, null when no ticket is decided yet).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import Any, TextIO

import polars as pl

from procflow.findings import count_noun
from procflow.tickets.compute import Counts, KpiResult, Report, SlaResult, format_value

#: bad rows listed by row number in text, md and html (json lists them all)
SHOWN_BAD_ROWS = 20


def iso(instant: int, zone: str) -> str:
    import zoneinfo

    return dt.datetime.fromtimestamp(instant, zoneinfo.ZoneInfo(zone)).isoformat()


def _bad_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{"row": row, "problems": problems} for row, problems in frame.iter_rows()]


def _kind(problem: str) -> str:
    """A problem without its value, for counting kinds: "created: 'x' is not a time" ->
    "created: '…' is not a time"."""
    import re

    return re.sub(r"'[^']*'", "'…'", problem)


def bad_row_summary(frame: pl.DataFrame) -> list[tuple[str, int, list[int]]]:
    """(kind of problem, how many rows, the first row numbers) per kind, most frequent first."""
    rows: dict[str, list[int]] = {}
    counts: Counter[str] = Counter()
    for row, problems in frame.iter_rows():
        for kind in {_kind(problem) for problem in problems}:
            counts[kind] += 1
            listed = rows.setdefault(kind, [])
            if len(listed) < SHOWN_BAD_ROWS:
                listed.append(row)
    return [(kind, count, rows[kind]) for kind, count in counts.most_common()]


def _sla_json(result: SlaResult) -> dict[str, Any]:
    sla = result.sla
    return {"id": sla.id, "name": sla.name, "measure": result.measure, "priority": sla.priority,
            "target": str(sla.target), "target_seconds": result.target_seconds,
            "clock": sla.clock, "calendar": result.calendar,
            "compliance_target": result.compliance_target.text,
            "met_target": result.met_target, "total": result.total.as_dict(),
            "months": [{"month": m.month, "priority": m.priority, **m.counts.as_dict()}
                       for m in result.months]}


def _kpi_json(result: KpiResult) -> dict[str, Any]:
    target = result.target
    return {"id": result.kpi.id, "name": result.kpi.name, "measure": result.measure,
            "target": result.kpi.target, "unit": target.unit if target else None,
            "value": _round(result.value), "met": result.met, "problem": result.problem,
            "months": [{"month": month, "value": _round(value), "met": met}
                       for month, value, met in result.months]}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def as_json(report: Report) -> dict[str, Any]:
    return {
        "report": 1,
        "source": report.source,
        "timezone": report.timezone,
        "now": iso(report.now, report.timezone),
        "period": {"from": report.period.start, "to": report.period.end,
                   "months": report.months},
        "tickets": {"rows": report.rows, "used": report.used, "bad": report.bad.height},
        "status_changes": ({"rows": report.status_rows, "bad": report.status_bad.height}
                           if report.status_rows else None),
        "procedures": [{
            "id": result.procedure.id, "title": result.procedure.title, "file": result.file,
            "tickets": result.tickets,
            "slas": [_sla_json(sla) for sla in result.slas],
            "kpis": [_kpi_json(kpi) for kpi in result.kpis],
            "missed": result.missed, "review_now": result.missed_last_month,
        } for result in report.procedures],
        "bad_rows": _bad_rows(report.bad),
        "bad_status_rows": _bad_rows(report.status_bad),
        "warnings": report.warnings,
        "missed": report.missed,
    }


def write_json(report: Report, stream: TextIO) -> None:
    json.dump(as_json(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "–"}[met]


def target_text(result: SlaResult) -> str:
    return f"{result.sla.target} ({'working time' if result.calendar else '24x7'})"


def sla_rows(result: SlaResult) -> list[tuple[str, Counts, bool | None]]:
    """(label, counts, whether the compliance met the target) for the period and each
    month."""
    rows = [("whole period", result.total)]
    rows += [(month, counts) for month, counts in sorted(result.by_month.items())]
    return [(label, counts, None if counts.compliance is None
             else result.compliance_target.met(counts.compliance)) for label, counts in rows]


def sla_title(result: SlaResult, escape: Callable[[str], str]) -> str:
    """"SLA id: target (clock), measure, priority p", user text through ``escape``."""
    priority = f", priority {escape(result.sla.priority)}" if result.sla.priority else ""
    return (f"SLA {escape(result.sla.id)}: {escape(target_text(result))}, "
            f"{result.measure.replace('_', ' ')}{priority}")


def bad_row_lines(frame: pl.DataFrame, escape: Callable[[str], str]) -> list[str]:
    """One line per kind of problem: "kind: count (rows 1, 2 and 3 more)"."""
    lines = []
    for kind, count, rows in bad_row_summary(frame):
        more = f" and {count - len(rows)} more" if count > len(rows) else ""
        lines.append(f"{escape(kind)}: {count} (rows {', '.join(map(str, rows))}{more})")
    return lines


def period_text(report: Report) -> str:
    if report.months:
        span = f"{report.months[0]} to {report.months[-1]}"
    else:
        span = "no tickets in the period"
    return (f"{report.source}: {report.used} tickets used of {report.rows} rows "
            f"({report.bad.height} bad), {span}; open tickets judged at "
            f"{iso(report.now, report.timezone)}")


def write_text(report: Report, stream: TextIO) -> None:
    from rich.markup import escape
    from rich.table import Table

    from procflow.findings import printable
    from procflow.markup import terminal

    def shown(text: object) -> str:  # inert for rich markup, emoji codes and the terminal
        return escape(printable(str(text)))

    console = terminal.console(stream, width=120)
    console.print(shown(period_text(report)))
    for result in report.procedures:
        console.print(f"\n[bold]{shown(result.procedure.title)}[/bold] "
                      f"({shown(result.procedure.id)}), {result.tickets} tickets")
        for sla in result.slas:
            table = Table(title=f"{sla_title(sla, shown)}; target "
                          f"{shown(sla.compliance_target.text)}", title_justify="left")
            for column in ("period", "in scope", "met", "breached", "open", "open breached",
                           "due soon", "compliance", ""):
                table.add_column(column, justify="left" if column == "period" else "right")
            for label, counts, met in sla_rows(sla):
                style = "red" if met is False else None
                table.add_row(label, str(counts.in_scope), str(counts.met),
                              str(counts.breached), str(counts.open), str(counts.open_breached),
                              str(counts.open_due_soon), percent(counts.compliance),
                              verdict(met), style=style)
            console.print(table)
        if result.kpis:
            table = Table(title="KPIs", title_justify="left")
            for column in ("KPI", "measure", "value", "target", ""):
                table.add_column(column)
            for kpi in result.kpis:
                table.add_row(shown(kpi.kpi.name), shown(kpi.measure or "–"),
                              format_value(kpi.value, kpi.measure),
                              shown(kpi.kpi.target or "–"),
                              shown(kpi.problem) if kpi.problem else verdict(kpi.met),
                              style="red" if kpi.met is False else None)
            console.print(table)
    _text_bad_rows(console, report, shown)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {shown(warning)}")
    missed = report.missed
    console.print(f"\n{count_noun(len(missed), 'target')} missed" + (": " + shown("; ".join(missed))
                                                          if missed else "."),
                  style="bold red" if missed else "green")


def _text_bad_rows(console: Any, report: Report, shown: Any) -> None:
    for label, frame in (("ticket export", report.bad), ("status file", report.status_bad)):
        if frame.height:
            console.print(f"\n[bold]{count_noun(frame.height, 'bad row')} in the {label}[/bold] "
                          "(left out of every figure; --format json lists them all):")
            for line in bad_row_lines(frame, shown):
                console.print(f"  {line}")


def _kpi_verdict(kpi: KpiResult) -> str:
    from procflow.markup.markdown import escape

    if kpi.problem:
        return escape(kpi.problem)
    return "**MISSED**" if kpi.met is False else verdict(kpi.met)


def write_markdown(report: Report, stream: TextIO) -> None:
    from procflow.markup.markdown import escape

    lines = ["# Are the procedures kept?", "", escape(period_text(report)), ""]
    for result in report.procedures:
        lines += [f"## {escape(result.procedure.title)} ({escape(result.procedure.id)})", "",
                  f"{result.tickets} tickets.", ""]
        for sla in result.slas:
            lines += [f"### {sla_title(sla, escape)}", "",
                      f"Compliance target {escape(sla.compliance_target.text)}.", "",
                      "| Period | In scope | Met | Breached | Open | Open, breached | "
                      "Due soon | Compliance | |",
                      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
            for label, counts, met in sla_rows(sla):
                lines.append(f"| {label} | {counts.in_scope} | {counts.met} | {counts.breached} "
                             f"| {counts.open} | {counts.open_breached} | "
                             f"{counts.open_due_soon} | {percent(counts.compliance)} | "
                             f"{'**MISSED**' if met is False else verdict(met)} |")
            lines.append("")
        if result.kpis:
            lines += ["### KPIs", "", "| KPI | Measure | Value | Target | |",
                      "| --- | --- | ---: | --- | --- |"]
            lines += [f"| {escape(k.kpi.name)} | {escape(k.measure or '–')} | "
                      f"{format_value(k.value, k.measure)} | {escape(k.kpi.target or '–')} | "
                      f"{_kpi_verdict(k)} |" for k in result.kpis]
            lines.append("")
    for label, frame in (("ticket export", report.bad), ("status file", report.status_bad)):
        if frame.height:
            lines += [f"## {count_noun(frame.height, 'bad row')} in the {label}", ""]
            lines += [f"- {line}" for line in bad_row_lines(frame, escape)]
            lines.append("")
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {escape(w)}" for w in report.warnings] + [""]
    missed = report.missed
    lines += [f"**{count_noun(len(missed), 'target')} missed.**" if missed else "All targets met.",
              ""]
    stream.write("\n".join(lines))


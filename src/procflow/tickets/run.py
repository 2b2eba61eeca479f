"""From the command's options to a written report and an exit code (``procflow report``)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from procflow.errors import UsageError
from procflow.model import Procedure, TicketReportSettings
from procflow.project import Project
from procflow.tickets.compute import Report

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class ReportRequest:
    tickets: Path
    paths: list[Path] = field(default_factory=list)
    preset: str | None = None
    columns: list[str] = field(default_factory=list)
    procedure: str | None = None
    timezone: str | None = None
    time_format: str | None = None
    statuses: Path | None = None
    pause_statuses: list[str] = field(default_factory=list)
    period: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    today: str | None = None
    fail_under: float | None = None
    output_format: str = "text"
    output: Path | None = None


def _zone(name: str, where: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"{where}: unknown time zone '{name}' (use an IANA name such as "
                         "Europe/Warsaw)") from None
    return name


def _day(text: str, option: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"{option} '{text}' is not a date; write YYYY-MM-DD") from None


def period_of(request: ReportRequest) -> tuple[str | None, str | None]:
    """The first and last day (YYYY-MM-DD, in the report's zone) of --period or --from/--to."""
    if request.period and (request.date_from or request.date_to):
        raise UsageError("--period and --from/--to exclude each other; give one")
    if request.period:
        match = _MONTH.match(request.period)
        if not match:
            raise UsageError(f"--period '{request.period}' is not a month; write YYYY-MM, "
                             "such as 2026-11")
        year, month = int(match[1]), int(match[2])
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return f"{year:04d}-{month:02d}-01", (following - dt.timedelta(days=1)).isoformat()
    start = _day(request.date_from, "--from") if request.date_from else None
    end = _day(request.date_to, "--to") if request.date_to else None
    if start and end and end < start:
        raise UsageError(f"--to {end} comes before --from {start}")
    return start, end


def moment_of(text: str | None, zone: str) -> int:
    if text is None:
        return int(dt.datetime.now(dt.timezone.utc).timestamp())
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today '{text}' is not a date or time; write YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return int(moment.timestamp())


def _settings(project: Project) -> TicketReportSettings:
    return project.config.report


def _default_zone(project: Project, settings: TicketReportSettings) -> str:
    if settings.timezone:
        return _zone(settings.timezone, "report.timezone in procflow.yaml")
    calendar = project.calendar(None)
    return calendar.timezone if calendar else "UTC"


def _procedures(paths: list[Path]) -> tuple[list[tuple[Procedure, str]], Project]:
    from procflow.procedures import load_procedures
    from procflow.project import project_for

    documents = load_procedures(paths)
    if not documents:
        raise UsageError("no procedure files found; name the files or folders to read")
    project = project_for(documents[0].path)
    if project.findings and project.path is not None:
        from procflow.errors import LoadFailed

        raise LoadFailed(f"{project.path.name} does not load; run procflow validate for "
                         "details", project.findings)
    return [(d.model, d.display) for d in documents if d.model is not None], project


def exit_code(report: Report, bad: int, request: ReportRequest, strict: bool) -> int:
    """1 when --fail-under finds a missed target or --strict finds bad rows, else 0."""
    failing = request.fail_under is not None and bool(report.missed)
    return 1 if failing or (strict and bad) else 0


def writer(output_format: str) -> Callable[[Report, TextIO], None]:
    """The reporter of a format (the HTML one, with its charts, imported only when asked)."""
    from procflow.tickets.output import write_json, write_markdown, write_text

    if output_format == "html":
        from procflow.tickets.html import write_html

        return write_html
    return {"text": write_text, "json": write_json, "md": write_markdown}[output_format]


def review_now(tickets: Path, paths: list[Path], today: dt.date
               ) -> tuple[dict[str, list[str]], int]:
    """For ``procflow review --tickets``: the procedures whose SLAs missed their target in
    the last month of the export (judged at the start of ``today``), with what they missed;
    and the number of bad rows left out."""
    report, bad = build(ReportRequest(tickets=tickets, paths=paths,
                                      today=today.isoformat()))
    return report.review_now(), bad


def build(request: ReportRequest) -> tuple[Report, int]:
    """The report of a request, and how many bad rows its inputs had."""
    from procflow.tickets.columns import PRESET_TIME_FORMATS, column_map, parse_column_options
    from procflow.tickets.compute import Period, build_report
    from procflow.tickets.load import ReadOptions, load_tickets
    from procflow.tickets.statuses import load_pauses
    from procflow.tickets.targets import Target, TargetError

    procedures, project = _procedures(request.paths)
    settings = _settings(project)
    by_id = {procedure.id: procedure for procedure, _ in procedures}
    one = request.procedure or settings.procedure
    if one and one not in by_id:
        from procflow.findings import did_you_mean

        raise UsageError(f"--procedure '{one}' is not among the procedures read"
                         f"{did_you_mean(one, by_id)}")
    zone = (_zone(request.timezone, "--timezone") if request.timezone
            else _default_zone(project, settings))
    preset = request.preset or settings.preset
    columns = column_map(preset, settings.columns, parse_column_options(request.columns))
    options = ReadOptions(columns, zone,
                          request.time_format or settings.time_format
                          or PRESET_TIME_FORMATS.get(preset or ""),
                          one, settings.priorities)
    start, end = period_of(request)
    now = moment_of(request.today, zone)
    try:
        default_target = Target.parse(f">= {request.fail_under}%" if request.fail_under
                                      is not None else settings.compliance_target)
    except TargetError as error:
        raise UsageError(f"report.compliance_target in procflow.yaml: {error}") from None
    if default_target.unit != "percent":
        raise UsageError(f"report.compliance_target '{default_target.text}' must be a share, "
                         "such as >= 95%")
    tickets = load_tickets(request.tickets, by_id, options)
    changes = None
    if request.statuses:
        changes = load_pauses(request.statuses, options,
                              [*settings.pause_statuses, *request.pause_statuses],
                              settings.statuses)
    report = build_report(tickets, changes, procedures, project, settings,
                          source=request.tickets.name, timezone=zone, now=now,
                          period=Period(start, end), default_target=default_target)
    return report, tickets.bad.height + (changes.bad.height if changes else 0)

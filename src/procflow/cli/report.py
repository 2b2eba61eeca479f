"""``procflow report``: SLA and KPI compliance of procedures from a ticket export.

Parses options, reads the procedures and the project's ``report:`` settings, and hands the
rest to ``procflow.tickets`` (polars, numpy, pygal: the ``procflow[report]`` extra).
Only typer is imported at the top (start-up time of ``procflow --help``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from procflow.cli.app import command, emit, say
from procflow.cli.options import Paths, format_option, output_option

FORMATS = ("text", "json", "md", "html")  # procflow.tickets.run's writers, without importing it


@command()
def report(
    tickets: Path = typer.Argument(
        ..., help="The ticket export: .csv, .tsv, .jsonl/.ndjson or .parquet, one row per "
        "ticket.", show_default=False),
    paths: Paths = None,
    preset: str | None = typer.Option(
        None, "--preset", help="Column names of a helpdesk's export: zendesk, freshdesk or "
        "jira (default: report.preset in procflow.yaml). Example: --preset zendesk"),
    columns: list[str] = typer.Option(
        [], "--column", metavar="FIELD=COLUMN", help="The export's column for a field "
        "(repeatable; wins over the preset and procflow.yaml). Example: --column "
        "created='Created at'"),
    procedure: str | None = typer.Option(
        None, "--procedure", help="Every ticket belongs to this procedure (no procedure "
        "column needed). Example: --procedure complaint-handling"),
    timezone: str | None = typer.Option(
        None, "--timezone", help="The zone of times written without an offset, and of the "
        "months (default: report.timezone, else the default calendar's zone, else UTC). "
        "Example: --timezone Europe/Warsaw"),
    time_format: str | None = typer.Option(
        None, "--time-format", help="strftime codes for times that are not ISO 8601 (the "
        "jira preset sets Jira's). Example: --time-format '%d.%m.%Y %H:%M'"),
    statuses: Path | None = typer.Option(
        None, "--statuses", help="A file of status changes (id, status, at) whose pause "
        "statuses stop the SLA clocks. Example: --statuses status-changes.csv"),
    pause_statuses: list[str] = typer.Option(
        [], "--pause-status", help="A status that stops every SLA clock (repeatable; adds to "
        "report.pause_statuses). Example: --pause-status 'Waiting for customer'"),
    period: str | None = typer.Option(
        None, "--period", metavar="YYYY-MM", help="Report one month (tickets created in it). "
        "Example: --period 2026-11"),
    date_from: str | None = typer.Option(
        None, "--from", metavar="YYYY-MM-DD", help="Report tickets created on or after this "
        "date. Example: --from 2026-09-01"),
    date_to: str | None = typer.Option(
        None, "--to", metavar="YYYY-MM-DD", help="Report tickets created on or before this "
        "date. Example: --to 2026-11-30"),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="The moment open tickets are judged at: a "
        "date (its first moment) or a date and time, YYYY-MM-DDTHH:MM (default: now). "
        "Example: --today 2026-12-01"),
    fail_under: float | None = typer.Option(
        None, "--fail-under", metavar="PERCENT", help="Exit 1 when an SLA's compliance is "
        "under PERCENT (or under its own KPI target) or a KPI misses its target, for a "
        "scheduled CI job. Example: --fail-under 95"),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 1 when the export or the status file has bad rows. "
        "Example: --strict"),
    output_format: str = format_option(
        FORMATS, "text", help="text for people, json for scripts, md for a wiki page or a pull "
        "request comment, html for one page with charts. Example: --format html"),
    output: Path | None = output_option(
        "The file to write the report to, whole, instead of standard output. "
        "Example: --output report.html"),
) -> None:
    """Are the procedures kept? SLA compliance and KPI values per procedure, SLA, priority
    and month, from the service desk's ticket export, on each SLA's calendar.

    Bad rows are counted and listed by row number, never dropped in silence.

    Example: procflow report tickets.csv procedures/ --period 2026-11 --format html -o report.html
    """
    from procflow.tickets import require_extra

    require_extra()
    from procflow.findings import count_noun
    from procflow.tickets.run import ReportRequest, build, exit_code, writer

    request = ReportRequest(
        tickets=tickets, paths=list(paths or []), preset=preset, columns=list(columns),
        procedure=procedure, timezone=timezone, time_format=time_format, statuses=statuses,
        pause_statuses=list(pause_statuses), period=period, date_from=date_from,
        date_to=date_to, today=today, fail_under=fail_under, output_format=output_format,
        output=output)
    result, bad = build(request)
    emit(writer(output_format), result, output, fmt=output_format)
    if bad:
        say(f"procflow report: {count_noun(bad, 'bad row')} left out (see the report)")
    raise typer.Exit(exit_code(result, bad, request, strict))

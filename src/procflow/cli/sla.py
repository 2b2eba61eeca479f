"""procflow sla: when is a case due (``due``), how that was counted (``explain``), and what a
calendar's working time is (``calendar``). The library is ``procflow.sla``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from procflow.cli.app import app, command
from procflow.cli.options import format_option

if TYPE_CHECKING:
    from procflow.sla.due import Due
    from procflow.sla.lookup import SlaCase

sla_app = typer.Typer(
    name="sla", no_args_is_help=True, rich_markup_mode=None,
    help="SLA clocks: when a case is due, how that was counted, a calendar's working time.\n\n"
    "Example: procflow sla due procedures/complaint-handling.yaml first-response-p1 "
    "--start 2026-12-23T15:30")
app.add_typer(sla_app)


_PATH = typer.Argument(..., metavar="PATH", help="The procedure file.", dir_okay=False)
_SLA = typer.Argument(..., metavar="SLA", help="The id of one of its SLAs.")
_START = typer.Option(..., "--start", metavar="TIMESTAMP",
                      help="When the case started, ISO 8601; without an offset it is read in "
                      "the calendar's zone. Example: --start 2026-12-23T15:30")
_PRIORITY = typer.Option(None, "--priority", metavar="P",
                         help="The case's priority: the SLA must apply to it. "
                         "Example: --priority p1")
_PAUSE = typer.Option(None, "--pause", metavar="FROM/TO",
                      help="A time the clock was paused (repeatable). "
                      "Example: --pause 2026-12-28T09:00/2026-12-29T12:00")
_FORMAT = format_option(("text", "json"), "text",
                        help="text for people, json for scripts. Example: --format json")


def _case(path: Path, sla: str, priority: str | None) -> SlaCase:
    from procflow.sla.lookup import find_sla

    return find_sla(path, sla, priority)


def _echo(text: str) -> None:
    from procflow.findings import printable

    typer.echo(printable(text))


def _json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@command("due", group=sla_app)
def due(path: Path = _PATH, sla: str = _SLA, start: str = _START,
        priority: str | None = _PRIORITY, pause: list[str] | None = _PAUSE,
        output_format: str = _FORMAT) -> None:
    """Print when an SLA is due (and its warning) for a case started at --start, with the
    paused times taken out.

    Example: procflow sla due procedures/complaint-handling.yaml first-response-p1
    --start 2026-12-23T15:30
    """
    from procflow.sla.lookup import due_for, due_json

    case = _case(path, sla, priority)
    result = due_for(case, start, pause or [])
    if output_format == "json":
        _json(due_json(case, result))
        return
    for line in _summary(case, result):
        _echo(line)


def _summary(case: SlaCase, result: Due) -> list[str]:
    clock = f"the {case.sla.clock} clock"
    if case.calendar is not None:
        clock += f", calendar {case.calendar.id} ({case.calendar.timezone})"
    lines = [f"{case.procedure.id} / {case.sla.id}: {case.sla.target} on {clock}",
             f"start  {_when(result, result.start)}",
             f"due    {_when(result, result.due)}   ({_target(case, result)})"]
    if result.warn is not None:
        lines.append(f"warn   {_when(result, result.warn)}   ({case.sla.warn_before} before)")
    return lines


def _target(case: SlaCase, result: Due) -> str:
    """The target as written, and in working time when it counts working days."""
    target = case.sla.target
    if result.engine is None:
        return str(target)
    if target.days or target.weeks:
        return f"{target} = {_spent(result.counted, result)}"
    return f"{target} of working time"


def _spent(seconds: int, result: Due | None) -> str:
    """Working time in hours (a working day has no fixed length), else compact."""
    from procflow.durations import format_seconds, format_working

    if result is None or result.engine is not None:
        return f"{format_working(seconds)} of working time"
    return format_seconds(seconds)


def _when(result: Due, instant: int) -> str:
    import datetime as dt

    moment = dt.datetime.fromtimestamp(instant, result.zone)
    return f"{moment:%a %Y-%m-%d %H:%M:%S}{_offset(moment)}"


def _offset(moment: Any) -> str:
    text = moment.strftime("%z")
    return f" {text[:3]}:{text[3:]}" if text else ""


@command("explain", group=sla_app)
def explain(path: Path = _PATH, sla: str = _SLA, start: str = _START,
            priority: str | None = _PRIORITY, pause: list[str] | None = _PAUSE,
            output_format: str = _FORMAT) -> None:
    """Print the timeline counted for the due time: each working interval, each holiday
    (named in the procedure's language), day off and pause skipped.

    Example: procflow sla explain procedures/complaint-handling.yaml first-response-p1
    --start 2026-12-23T15:30
    """
    from procflow.sla.explain import timeline
    from procflow.sla.lookup import due_for, due_json

    case = _case(path, sla, priority)
    result = due_for(case, start, pause or [])
    entries = timeline(result)
    if output_format == "json":
        _json({**due_json(case, result), "timeline": entries})
        return
    summary = _summary(case, result)
    _echo(summary[0])
    _echo(summary[1])
    counted = 0
    for entry in entries:
        if entry["kind"] in ("work", "running"):
            counted += entry["seconds"]
        _echo("  " + _timeline_line(entry, counted, result))
    for line in summary[2:]:
        _echo(line)


def _timeline_line(entry: dict[str, Any], counted: int, result: Due | None = None) -> str:
    import datetime as dt


    kind = entry["kind"]
    if kind in ("work", "running", "pause"):
        low = dt.datetime.fromisoformat(entry["from"])
        high = dt.datetime.fromisoformat(entry["to"])
        span = f"{low:%a %Y-%m-%d %H:%M}-{high:%H:%M}" if low.date() == high.date() else \
            f"{low:%a %Y-%m-%d %H:%M} - {high:%a %Y-%m-%d %H:%M}"
        if kind == "pause":
            return f"pause    {span}   not counted"
        length = _spent(entry["seconds"], result).split(" ")[0]
        return (f"{kind:<8} {span}   {length:>8}   ({_spent(counted, result)} so far)")
    day = dt.date.fromisoformat(entry["date"])
    if kind == "holiday":
        return f"holiday  {day:%a %Y-%m-%d}   {entry['name'] or 'listed day off'}"
    if kind == "closed":
        return f"closed   {day:%a %Y-%m-%d}   exception in the calendar"
    return f"day off  {day:%a %Y-%m-%d}"


@command("calendar", group=sla_app)
def calendar(
    calendar_id: str | None = typer.Argument(
        None, metavar="CAL", help="A calendar id from procflow.yaml (default: its "
        "default_calendar)."),
    first: str = typer.Option(..., "--from", metavar="DATE",
                              help="The first date listed. Example: --from 2026-12-21"),
    last: str = typer.Option(..., "--to", metavar="DATE",
                             help="The last date listed. Example: --to 2027-01-03"),
    language: str | None = typer.Option(
        None, "--language", metavar="LANG", help="The language of holiday names (default: "
        "procflow.yaml's language, else en). Example: --language pl"),
    output_format: str = _FORMAT,
) -> None:
    """List a calendar's working hours and days off (holidays by name) between two dates,
    from the procflow.yaml of the current folder.

    Example: procflow sla calendar office --from 2026-12-21 --to 2027-01-03
    """
    from procflow.durations import format_working
    from procflow.project import project_for
    from procflow.sla.calendar import working_time
    from procflow.sla.explain import calendar_days
    from procflow.sla.lookup import check_span, find_calendar, parse_day

    found = find_calendar(calendar_id, Path.cwd())
    day_first, day_last = parse_day(first, "--from"), parse_day(last, "--to")
    check_span(day_first, day_last)
    engine = working_time(found, language or project_for(Path.cwd()).config.language or "en")
    days = calendar_days(engine, day_first, day_last)
    total = sum(entry.get("seconds", 0) for entry in days)
    if output_format == "json":
        _json({"calendar": found.id, "timezone": found.timezone, "from": first, "to": last,
               "working_seconds": total, "days": days})
        return
    import datetime as dt

    _echo(f"calendar {found.id} ({found.timezone}), {day_first} to {day_last}")
    for entry in days:
        day = dt.date.fromisoformat(entry["date"])
        if entry["kind"] == "work":
            note = "   (exception)" if entry.get("exception") else ""
            _echo(f"  {day:%a %Y-%m-%d}  {', '.join(entry['hours']):<28} "
                  f"{format_working(entry['seconds']):>6}{note}")
        else:
            _echo("  " + _timeline_line(entry, 0))
    _echo(f"working time: {format_working(total)}")

"""From command-line words to an SLA and its calendar: the library side of ``procflow sla``."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procflow.errors import LoadFailed, UsageError
from procflow.model import Calendar, Procedure, Sla
from procflow.project import Project, project_for
from procflow.sla.due import Due, compute_due, parse_instant, parse_pause

#: the longest span ``procflow sla calendar`` lists
MAX_LISTED_DAYS = 3700


@dataclass(frozen=True)
class SlaCase:
    procedure: Procedure
    sla: Sla
    calendar: Calendar | None
    language: str


def _project(where: Path) -> Project:
    project = project_for(where)
    if project.findings and project.path is not None:
        raise LoadFailed(f"{project.path.name} does not load; run procflow validate for "
                         "details", project.findings)
    return project


def find_sla(path: Path, sla_id: str, priority: str | None = None) -> SlaCase:
    """The SLA ``sla_id`` of the procedure in ``path``, with the calendar it runs on."""
    from procflow.loader import did_you_mean, load_procedures

    if not path.is_file():
        raise UsageError(f"no such procedure file: {path}")
    procedure: Procedure = load_procedures([path])[0].model
    project = _project(path)
    slas = {sla.id: sla for sla in procedure.slas}
    sla = slas.get(sla_id)
    if sla is None:
        known = ", ".join(slas) or "none"
        raise UsageError(f"procedure '{procedure.id}' has no SLA '{sla_id}'"
                         f"{did_you_mean(sla_id, slas)} (its SLAs: {known})")
    if priority is not None and sla.priority not in (None, priority):
        others = [s.id for s in procedure.slas if s.priority == priority]
        hint = f"; for {priority}: {', '.join(others)}" if others else ""
        raise UsageError(f"SLA '{sla.id}' applies to priority '{sla.priority}', not "
                         f"'{priority}'{hint}")
    calendar = project.calendar(sla.calendar)
    if sla.calendar is not None and calendar is None:
        raise UsageError(f"SLA '{sla.id}' names calendar '{sla.calendar}', which procflow.yaml "
                         "does not define")
    language = procedure.language or project.config.language or "en"
    return SlaCase(procedure, sla, calendar, language)


def find_calendar(calendar_id: str | None, where: Path) -> Calendar:
    """A calendar of the project around ``where`` (None: its default calendar)."""
    from procflow.loader import did_you_mean

    project = _project(where)
    calendar = project.calendar(calendar_id)
    if calendar is None:
        known = [c.id for c in project.config.calendars]
        place = f"in {project.path}" if project.path else "(no procflow.yaml found)"
        raise UsageError(f"no calendar '{calendar_id or 'default'}' {place}"
                         f"{did_you_mean(calendar_id or '', known)}; calendars: "
                         f"{', '.join(known) or 'none'}")
    return calendar


def due_for(case: SlaCase, start: str, pauses: Sequence[str] = ()) -> Due:
    """The due time for a case of ``case`` that starts at ``start`` (ISO 8601 text)."""
    zone = zoneinfo.ZoneInfo(case.calendar.timezone if case.calendar else "UTC")
    return compute_due(case.sla, case.calendar, parse_instant(start, zone),
                       [parse_pause(text, zone) for text in pauses], case.language)


def due_json(case: SlaCase, result: Due) -> dict[str, Any]:
    """The JSON object of ``procflow sla due --format json`` (the shape in issue 14)."""
    return {"procedure": case.procedure.id, "sla": case.sla.id,
            "start": result.iso(result.start), "due": result.iso(result.due),
            "warn": result.iso(result.warn) if result.warn is not None else None,
            "clock": case.sla.clock,
            "calendar": case.calendar.id if case.calendar else None,
            "timezone": str(result.zone), "working_seconds": result.counted}


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} '{text}' is not a date; write YYYY-MM-DD") from None


def check_span(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise UsageError(f"--to {last} comes before --from {first}")
    if (last - first).days >= MAX_LISTED_DAYS:
        raise UsageError(f"at most {MAX_LISTED_DAYS} days at a time: shorten --from/--to")

"""Which column of a ticket export holds which field.

Fields (procflow's names): ``id``, ``procedure``, ``priority``, ``created``,
``first_response`` (a time) or ``first_response_minutes`` (minutes after ``created``, as
Zendesk exports it), ``resolved``, ``reopened``, ``contacts``, ``csat`` (1-5), ``nps`` (0-10).

A mapping is built from, in order: the preset's column names, ``report.columns`` in
procflow.yaml, then ``--column FIELD=NAME`` options (later ones win). Without a preset, a
field's column is the field's own name.

The preset column names are those of the vendors' CSV exports (sources in the README,
"Is the procedure kept?").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from procflow.errors import UsageError

FIELDS = ("id", "procedure", "priority", "created", "first_response", "first_response_minutes",
          "resolved", "reopened", "contacts", "csat", "nps")
TIME_FIELDS = ("created", "first_response", "resolved")
#: the columns of the status-change file (ticket id, status, when it was set)
STATUS_FIELDS = ("status", "at")
REQUIRED = ("id", "created")

#: Zendesk Support's ticket CSV export; "First reply time in minutes" is a duration there
ZENDESK = {"id": "Id", "priority": "Priority", "created": "Created at",
           "first_response_minutes": "First reply time in minutes", "resolved": "Solved at",
           "reopened": "Reopens", "csat": "Satisfaction Score"}
#: Freshdesk's ticket export ("Customer interactions" counts the customer's replies). Not
#: confirmed by a Freshdesk help page (none listing the columns was found): these are the
#: headers Freshdesk's export code gives them (README, "Is the procedure kept?")
FRESHDESK = {"id": "Ticket ID", "priority": "Priority", "created": "Created time",
             "first_response": "Initial response time", "resolved": "Resolved time",
             "contacts": "Customer interactions"}
#: Jira Service Management's CSV export (Jira's default date format, e.g. 03/Nov/26 2:22 PM)
JIRA = {"id": "Issue key", "priority": "Priority", "created": "Created",
        "first_response": "Custom field ([CHART] Date of First Response)",
        "resolved": "Resolved", "csat": "Satisfaction rating"}
PRESETS: dict[str, dict[str, str]] = {"zendesk": ZENDESK, "freshdesk": FRESHDESK, "jira": JIRA}
PRESET_TIME_FORMATS = {"jira": "%d/%b/%y %I:%M %p"}


@dataclass(frozen=True)
class ColumnMap:
    """Field -> column name, and which fields the user asked for explicitly."""

    columns: dict[str, str]
    explicit: frozenset[str] = field(default_factory=frozenset)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


def parse_column_options(options: Iterable[str]) -> dict[str, str]:
    """``["created=Created at", ...]`` -> ``{"created": "Created at"}``, checked."""
    mapping: dict[str, str] = {}
    for option in options:
        name, sep, column = option.partition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise UsageError(f"--column '{option}': write FIELD=COLUMN, for example "
                             "--column created='Created at'")
        check_field(name, "--column")
        mapping[name] = column.strip()
    return mapping


def check_field(name: str, where: str) -> None:
    known = FIELDS + STATUS_FIELDS
    if name not in known:
        from procflow.findings import did_you_mean

        raise UsageError(f"{where}: unknown field '{name}'{did_you_mean(name, known)}; the "
                         f"fields are {', '.join(known)}")


def column_map(preset: str | None, configured: Mapping[str, str],
               options: Mapping[str, str]) -> ColumnMap:
    if preset is not None and preset not in PRESETS:
        raise UsageError(f"unknown preset '{preset}': use one of {', '.join(PRESETS)}")
    for name in configured:
        check_field(name, "report.columns in procflow.yaml")
    columns = {name: name for name in FIELDS + STATUS_FIELDS}
    columns.update(PRESETS.get(preset or "", {}))
    columns.update(configured)
    columns.update(options)
    return ColumnMap(columns, frozenset(configured) | frozenset(options))

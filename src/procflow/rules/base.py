"""What a rule is: the ``Rule`` classes, the context a per-file rule sees, the entries a tree
rule sees, and how a project's ``rules:`` settings set a rule's severity. Rule modules import
from here; the registry of all rules is the package (``procflow.rules.all_rules``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from procflow.findings import Issue, Severity, YamlPath

if TYPE_CHECKING:
    from procflow.flow import Flow
    from procflow.loader import Document
    from procflow.model import Procedure, Role, RuleSettings
    from procflow.project import Project
    from procflow.references import Reference


@dataclass
class RuleContext:
    """What a per-file rule may look at: the procedure, its project, its file name, today, and
    the loaded file (the engine passes it, for positions)."""

    procedure: Procedure
    project: Project
    file: Path
    today: dt.date
    document: Document[Any] | None = None

    @cached_property
    def flow(self) -> Flow:
        from procflow.flow import Flow

        return Flow(self.procedure)

    @cached_property
    def references(self) -> list[Reference]:
        """Every reference the procedure makes to a role, step, template, priority, SLA or
        calendar, in written order."""
        from procflow.references import references

        return list(references(self.procedure))

    def line_of(self, node: YamlPath, *, in_project: bool = False) -> int | None:
        """The line of a node of this file (or of ``procflow.yaml``), for a message that names
        where something was first defined; None when the text is not at hand."""
        document = self._project_document if in_project else self.document
        if document is None or document.text is None:
            return None
        return document.position(node)[0]

    @cached_property
    def _project_document(self) -> Document[Any] | None:
        """``procflow.yaml`` read again: only a finding that names one of its lines asks."""
        from procflow.loader import read_document

        path = self.project.path
        return read_document(path, self.project.limits) if path is not None else None

    @cached_property
    def roles(self) -> dict[str, Role]:
        """Every role the procedure may use: its own, then the project's shared roles."""
        from procflow.references import known_roles

        return known_roles(self.procedure, self.project.shared_roles.values())


@dataclass(frozen=True)
class TreeEntry:
    """What a tree rule knows of one procedure file."""

    file: str
    procedure_id: str | None
    related: tuple[str, ...]


class Rule:
    code: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str]

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        return ()


class LoadRule(Rule):
    """A rule that the loader applies (PF001-PF003): documentation and severity only."""


class ProjectRule(Rule):
    """A rule about ``procflow.yaml`` itself (its calendars, PF109-PF111): run once per
    project file, its issues placed in that file."""

    def check_project(self, project: Project) -> Iterable[Issue]:
        return ()


class CalendarRule(ProjectRule):
    """A rule on the calendars of ``procflow.yaml`` (PF109-PF111): the SLA engine finds every
    fault of a calendar once (``sla.calendar.calendar_problems``), each with its rule code;
    a calendar rule reports those with its own code, placed at the calendar's node."""

    def check_project(self, project: Project) -> Iterable[Issue]:
        from procflow.sla.calendar import calendar_problems

        for index, calendar in enumerate(project.config.calendars):
            for problem in calendar_problems(calendar):
                if problem.code == self.code:
                    yield Issue(self.code, problem.message,
                                ("calendars", index, *problem.path))


class TreeRule(Rule):
    def check_tree(self, entries: Sequence[TreeEntry]) -> Iterable[tuple[int, Issue]]:
        """Yield (index of the entry, issue) pairs."""
        return ()


def entries_by_id(entries: Sequence[TreeEntry]) -> dict[str, list[int]]:
    """Each procedure id in the tree, with the indexes of the entries (files) that have it."""
    found: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.procedure_id is not None:
            found.setdefault(entry.procedure_id, []).append(index)
    return found


def issue(code: str, message: str, *path: str | int) -> Issue:
    """Shorthand for rules: ``issue("PF005", "...", "steps", 3, "role")``."""
    return Issue(code, message, path)


def configured_severity(rule: Rule, settings: RuleSettings) -> Severity | None:
    """The severity ``rule`` reports with under a project's ``rules:`` settings (``disable``,
    ``severity``), or None when it is disabled. The load rules (PF001-PF003) are always on and
    always keep their own severity: a file that does not load cannot be checked at all."""
    if isinstance(rule, LoadRule):
        return rule.severity
    if rule.code in settings.disable:
        return None
    configured = settings.severity.get(rule.code)
    return Severity(configured) if configured else rule.severity

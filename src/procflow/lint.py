"""The lint engine: load every procedure, run the enabled rules, place and rank the findings.

``validate(paths)`` is the library entry behind ``procflow validate``. Files are checked
independently (in two processes when there are many), then the tree rules (PF008, PF009) see
every procedure at once, including the rest of the project's ``procedures/`` folder so that a
pre-commit run on a few files still resolves ``related``. The project's ``rules:`` settings
(disable, severity) are applied here, not in the rules.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procflow.findings import Finding, Severity, capped
from procflow.loader import Document, load_document, read_document
from procflow.model import Procedure
from procflow.parallel import map_in_processes
from procflow.procedures import discover
from procflow.project import Project, distinct_projects, project_for
from procflow.rules import (
    LoadRule,
    ProjectRule,
    Rule,
    RuleContext,
    TreeEntry,
    TreeRule,
    all_rules,
    configured_severity,
)
from procflow.yamlsafe import YamlFailure, parse


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0 clean (warnings allowed unless strict), 1 when the check found problems."""
        return 1 if self.errors or (strict and self.warnings) else 0


@dataclass(frozen=True)
class Outcome:
    """One file checked: its findings (loading and per-file rules) and its entry for the
    tree rules."""

    findings: list[Finding]
    entry: TreeEntry


def validate(paths: Sequence[Path], *, today: dt.date, jobs: int | None = None
             ) -> ValidationResult:
    """Check the procedures that ``paths`` name (files or folders; none: the project's
    ``procedures/``). Never raises for bad input; raises ``UsageError`` for a missing path."""
    unreadable: list[Finding] = []
    files = discover(paths, unreadable)
    outcomes = map_in_processes(check_file, [(path, today) for path in files], jobs)
    return validation_result(files, outcomes, unreadable)


def validation_result(files: list[Path], outcomes: Sequence[Outcome],
                      unreadable: Sequence[Finding] = ()) -> ValidationResult:
    """The result of checking ``files``, from each file's ``Outcome`` (``check_file``, run
    wherever the caller likes: ``render`` runs it in the workers that then render the file):
    adds the tree rules across files and the project files' own findings, then caps them."""
    projects = [project_for(path) for path in files]  # each file's project, resolved once
    result = ValidationResult(files=len(files), findings=list(unreadable))
    for outcome in outcomes:
        result.findings += outcome.findings
    result.findings += _tree_findings(files, projects, [o.entry for o in outcomes])
    for project in distinct_projects(projects):  # problems in the procflow.yaml files themselves
        result.findings += project.findings
        if not project.findings:
            result.findings += project_rule_findings(project)
    result.findings = capped(result.findings)
    return result


def check_file(path: Path, today: dt.date, raw: bytes | None = None) -> Outcome:
    """Load one file (or ``raw``, the bytes it would hold) and run every per-file rule."""
    return check_document(path, today, raw)[0]


def check_document(path: Path, today: dt.date, raw: bytes | None = None
                   ) -> tuple[Outcome, Document[Procedure]]:
    """``check_file``, and the document it loaded (its ``model`` None unless the file loads
    and validates), for a caller that goes on with the model (``render``)."""
    project = project_for(path)
    document = load_document(path, Procedure, project.limits, raw=raw, salvage=True)
    findings = list(document.findings)  # PF001-PF003: always on, always errors
    procedure = document.checked_model  # with schema errors: its valid part (no cascades)
    if procedure is not None:
        context = RuleContext(procedure, project, path, today, document)
        for rule in _file_rules():
            severity = configured_severity(rule, project.config.rules)
            if severity is not None:
                findings += [document.finding(issue, severity) for issue in rule.check(context)
                             if not document.is_cascade(issue)]
    document.release_text()
    return Outcome(findings, _entry(document)), document


def _entry(document: Document[Procedure]) -> TreeEntry:
    data = document.data if isinstance(document.data, dict) else {}
    procedure_id = data.get("id") if isinstance(data.get("id"), str) else None
    related = data.get("related")
    related_ids = (tuple(r for r in related if isinstance(r, str))
                   if isinstance(related, list) else ())
    return TreeEntry(document.display, procedure_id, related_ids)


@functools.cache
def _file_rules() -> tuple[Rule, ...]:
    skipped = (LoadRule, TreeRule, ProjectRule)
    return tuple(r for r in all_rules() if not isinstance(r, skipped))


def _tree_findings(files: list[Path], projects: list[Project], entries: list[TreeEntry]
                   ) -> list[Finding]:
    """PF008 and PF009 over the given files plus the rest of their projects' procedures.
    Each file with findings is read once to place them all."""
    given = len(entries)
    all_entries = entries + _project_entries(files, projects)
    documents: dict[int, Document[Any]] = {}
    findings: list[Finding] = []
    for rule in all_rules():
        if not isinstance(rule, TreeRule):
            continue
        for index, issue in rule.check_tree(all_entries):
            if index >= given:
                continue  # a file not asked about: its own run reports it
            severity = configured_severity(rule, projects[index].config.rules)
            if severity is None:
                continue
            if index not in documents:
                documents[index] = read_document(files[index], projects[index].limits)
            findings.append(documents[index].finding(issue, severity))
    return findings


def _project_entries(files: list[Path], projects: list[Project]) -> list[TreeEntry]:
    """Tree entries of the project procedures that were not given, read cheaply."""
    given = {path.resolve() for path in files}
    extra: list[TreeEntry] = []
    for project in distinct_projects(projects):
        folder = project.procedures_dir
        if folder is None or not folder.is_dir():
            continue
        for path in discover([folder], []):
            resolved = path.resolve()
            if resolved not in given:
                given.add(resolved)
                extra.append(_entry(_read_only(path, project)))
    return extra


def _read_only(path: Path, project: Project) -> Document[Procedure]:
    """A document with its data but no model: enough for a tree entry, and cheap."""
    document = read_document(path, project.limits)
    if document.text is not None:
        try:
            document.data = parse(document.text, project.limits)[0]
        except YamlFailure:
            pass
    return document


def project_rule_findings(project: Project) -> list[Finding]:
    """The project rules (PF109-PF111: its calendars) on a loaded ``procflow.yaml``."""
    if project.path is None:
        return []
    document: Document[Any] | None = None
    found: list[Finding] = []
    for rule in all_rules():
        severity = configured_severity(rule, project.config.rules)
        if not isinstance(rule, ProjectRule) or severity is None:
            continue
        for issue in rule.check_project(project):
            document = document or read_document(project.path, project.limits)
            found.append(document.finding(issue, severity))
    return found


__all__ = ["Outcome", "ValidationResult", "check_document", "check_file", "validate",
           "validation_result"]

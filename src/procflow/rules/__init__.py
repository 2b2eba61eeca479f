"""The rule registry: every rule of the format, one small module each.

A rule is a class with a ``code``, a default ``severity``, a one-line ``summary`` and a
docstring that is its user documentation (what it finds, why it matters, a failing and a
passing example; ``docs/rules/`` is generated from it). ``check`` yields ``Issue``s and does
nothing else: no printing, no file reads, no severity (the engine in ``procflow.lint`` stamps
severity from the project's ``rules:`` settings and places each issue at its line and column).

Rules PF001-PF003 are found while loading (``procflow.loader``); their classes here carry the
documentation and the default severity. Tree rules (PF008, PF009) see every procedure at once.
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
    from procflow.model import Procedure, Role
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
        known = {role.id: role for role in self.procedure.roles}
        for role_id, role in self.project.shared_roles.items():
            known.setdefault(role_id, role)
        return known


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


def all_rules() -> list[Rule]:
    """Every rule, in code order. Adding a rule is adding its module and one line here."""
    from procflow.rules import (
        pf001_not_yaml,
        pf002_unsafe_yaml,
        pf003_schema,
        pf004_duplicate_id,
        pf005_unknown_reference,
        pf006_unreachable_step,
        pf007_no_way_to_end,
        pf008_duplicate_procedure,
        pf009_unknown_related,
        pf101_unused_role,
        pf102_sla_unreachable,
        pf103_sla_unwatched,
        pf104_review_overdue,
        pf105_long_step,
        pf106_file_name,
        pf107_no_review,
        pf108_unused_template,
    )

    modules = [pf001_not_yaml, pf002_unsafe_yaml, pf003_schema, pf004_duplicate_id,
               pf005_unknown_reference, pf006_unreachable_step, pf007_no_way_to_end,
               pf008_duplicate_procedure, pf009_unknown_related, pf101_unused_role,
               pf102_sla_unreachable, pf103_sla_unwatched, pf104_review_overdue,
               pf105_long_step, pf106_file_name, pf107_no_review, pf108_unused_template]
    return [module.RULE for module in modules]


def rules_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in all_rules()}

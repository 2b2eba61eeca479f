"""Loading procedure files: read safely, parse with positions on demand, validate with the
pydantic models, and map every error back to the YAML node it is about (PF001-PF003).

``load_document`` never raises for bad input: a file that does not load is a value with
findings, so one broken file never stops the others from being checked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from procflow.edits import Edit, Fix, line_starts
from procflow.findings import Finding, Issue, Severity, YamlPath, display_path, excerpt
from procflow.roots import link_outside, outside_message
from procflow.schema_errors import schema_issues
from procflow.yamlsafe import Limits, Located, NodePos, YamlFailure, locate, parse

M = TypeVar("M", bound=BaseModel)


@dataclass
class Document(Generic[M]):
    """One loaded file: its data, its model if it validated, and the findings of loading.

    Positions are computed only when something needs them (``position``), so a clean file
    costs one fast parse.
    """

    path: Path
    text: str | None = None
    data: Any = None
    model: M | None = None
    findings: list[Finding] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    #: how diagnostics name the file, when not by its path (``REV:path`` for a git blob)
    label: str | None = None
    #: when the model did not validate: the salvaged one the rules may still check, and the
    #: nodes the salvage changed (procflow.salvage)
    salvaged: M | None = None
    tainted: tuple[YamlPath, ...] = ()
    _positions: dict[YamlPath, NodePos] | None = None

    @functools.cached_property
    def display(self) -> str:
        return self.label or display_path(self.path)

    def position(self, path: YamlPath, at: str = "value") -> tuple[int, int, str | None]:
        if self.text is None:
            return 1, 1, None
        if self._positions is None:
            try:
                self._positions = parse(self.text, self.limits, index=True)[1] or {}
            except YamlFailure:
                self._positions = {}
        return locate(self._positions, path, at)

    @property
    def checked_model(self) -> M | None:
        """The model the rules check: the valid one, else the salvaged one."""
        return self.model if self.model is not None else self.salvaged

    def is_cascade(self, issue: Issue) -> bool:
        """Whether a rule's issue is about a node the salvage changed (a consequence of a
        schema error, not a finding of its own)."""
        from procflow.salvage import is_tainted

        return bool(self.tainted) and is_tainted(issue.path, self.tainted)

    def finding(self, issue: Issue, severity: Severity = Severity.ERROR) -> Finding:
        line, column, raw = self.position(issue.path, issue.at)
        fix = None
        if issue.replacement is not None:
            fix = self._replace(issue, line, column, raw)
        return Finding(self.display, line, column, issue.code, issue.message, severity, fix)

    def _replace(self, issue: Issue, line: int, column: int, raw: str | None) -> Fix | None:
        """The fix that writes ``issue.replacement`` over the node's text, when that text
        is on one line and can be told apart exactly (a plain or quoted scalar, a key)."""
        assert issue.replacement is not None and self.text is not None
        starts = line_starts(self.text)
        if line > len(starts):
            return None
        start = starts[line - 1] + column - 1
        row_end = self.text.find("\n", start)
        row = self.text[start: row_end if row_end >= 0 else len(self.text)]
        if issue.at == "key":
            old = str(issue.path[-1]) if issue.path else None
        elif raw is not None:
            old = raw
        else:
            old = _quoted_prefix(row)
        if not old or not row.startswith(old) or (issue.at == "key" and not issue.path):
            return None
        end = column + len(old)
        return Fix(f"replace {old} with {issue.replacement}",
                   (Edit(line, column, line, end, issue.replacement),))

    def parse_finding(self, problem: Located) -> Finding:
        """A finding of the YAML layer, which already knows the position."""
        return Finding(self.display, problem.line, problem.column, problem.issue.code,
                       problem.issue.message, fix=problem.fix)

    def release_text(self) -> None:
        """Drop the source text and positions once no more findings will be placed."""
        self.text = None
        self._positions = None


def _quoted_prefix(row: str) -> str | None:
    """The quoted scalar a line starts with (``"a \\" b"``, ``'it''s'``), or None."""
    if not row or row[0] not in "\"'":
        return None
    quote, position = row[0], 1
    while position < len(row):
        char = row[position]
        if quote == '"' and char == "\\":
            position += 2
            continue
        if char == quote:
            if quote == "'" and row[position + 1: position + 2] == "'":
                position += 2
                continue
            return row[: position + 1]
        position += 1
    return None


def read_text(path: Path, limits: Limits, *, raw: bytes | None = None, shown: str | None = None
              ) -> tuple[str | None, list[Finding]]:
    """The text of a file (or of ``raw`` bytes already read, such as a git blob), within the
    size bound and decoded as UTF-8; otherwise the finding that says why not. A file that is
    a symbolic link out of its repository or project is not read at all."""
    shown = shown or display_path(path)
    try:
        if raw is None:
            escaped = link_outside(path)
            if escaped is not None:  # never read: it may be ~/.git-credentials
                return None, [Finding(shown, 1, 1, "PF001", outside_message(escaped))]
            size = path.stat().st_size
            if size <= limits.max_bytes:
                with path.open("rb") as handle:  # bounded: the file may grow after stat
                    raw = handle.read(limits.max_bytes + 1)
                size = len(raw)
        else:
            size = len(raw)
        if raw is None or size > limits.max_bytes:
            return None, [Finding(shown, 1, 1, "PF002", f"file is {size:,} bytes, over the bound "
                                  f"of {limits.max_bytes:,} (limits.max_bytes in procflow.yaml)")]
    except OSError as error:
        return None, [Finding(shown, 1, 1, "PF001", f"cannot read the file: {error.strerror}")]
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a BOM: error positions must count from here
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start:error.start].decode("utf-8", "replace")) + 1  # characters
        return None, [Finding(shown, line, column, "PF001",
                              f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; "
                              "save the file as UTF-8")]


def read_document(path: Path, limits: Limits) -> Document[Any]:
    """A document with the file's text (None when it cannot be read) and nothing parsed yet:
    enough to place findings on its lines."""
    return Document(path, text=read_text(path, limits)[0], limits=limits)


def load_document(path: Path, model: type[M], limits: Limits, *, raw: bytes | None = None,
                  label: str | None = None, salvage: bool = False) -> Document[M]:
    """Read, parse and validate one file (or ``raw`` bytes that came from ``path``, named
    ``label`` in diagnostics); every problem becomes a positioned finding. With ``salvage``,
    a file with schema errors also gets the salvaged model its rules can still check."""
    document: Document[M] = Document(path, limits=limits, label=label)
    text, findings = read_text(path, limits, raw=raw, shown=document.display)
    if text is None:
        document.findings = findings
        return document
    document.text = text
    try:
        data, _, problems = parse(text, limits)
    except YamlFailure as failure:
        located = failure.located
        if failure.syntax is not None:  # in plain words, where it went wrong
            from procflow.yamlerrors import explain

            located = [explain(text, failure.syntax)]
        document.findings = [document.parse_finding(p) for p in located]
        return document
    document.findings = [document.parse_finding(p) for p in problems]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the value '{excerpt(data)}'"
        document.findings.append(Finding(document.display, 1, 1, "PF001", f"the file holds {kind}"
                                         "; a procedure is a mapping (procflow: 1, id: ..., ...)"))
        return document
    document.data = data
    bounds = _format_issues(text, data) + _count_issues(data, limits)
    try:
        document.model = model.model_validate(data)
    except ValidationError as error:
        document.findings += [document.finding(issue)
                              for issue in schema_issues(error, model, document)]
        if salvage:
            from procflow.salvage import salvage as salvaged

            document.salvaged, document.tainted = salvaged(model, data,
                                                           error.errors(include_url=False))
    if bounds:
        document.model = None
        document.findings += [document.finding(issue) for issue in bounds]
    document.findings.sort()
    return document


_VERSION_LINE = re.compile(r"^procflow:[ \t]*([^\s#]+)", re.MULTILINE)


def _format_issues(text: str, data: dict[Any, Any]) -> list[Issue]:
    """``procflow:`` must be the integer 1 as written: pydantic takes ``yes``, ``true`` and
    ``1.0`` as 1, and YAML reads ``0x1``, ``+1`` and ``01`` as 1."""
    value = data.get("procflow")
    if value != 1 or isinstance(value, str):
        return []  # a wrong value: the schema says so
    spelled = _VERSION_LINE.search(text)
    if type(value) is int and (spelled is None or spelled.group(1) == "1"):
        return []
    shown = excerpt(spelled.group(1) if spelled else value)
    return [Issue("PF003", f"procflow: write the format version as the number 1 (not {shown})",
                  ("procflow",))]


def _count_issues(data: dict[Any, Any], limits: Limits) -> list[Issue]:
    """PF002 for a procedure with more roles, steps or branches than ``limits`` allow: the
    cost of checking and rendering grows with roles x steps."""
    issues = []
    for name, bound, setting in (("roles", limits.max_roles, "max_roles"),
                                 ("steps", limits.max_steps, "max_steps")):
        items = data.get(name)
        if isinstance(items, list) and len(items) > bound:
            issues.append(Issue("PF002", f"{len(items):,} {name}, over the bound of {bound:,} "
                                f"(limits.{setting} in procflow.yaml)", (name,)))
    steps = data.get("steps")
    for index, step in enumerate(steps[:limits.max_steps] if isinstance(steps, list) else []):
        branches = step.get("branches") if isinstance(step, dict) else None
        if isinstance(branches, list) and len(branches) > limits.max_branches:
            issues.append(Issue("PF002", f"{len(branches):,} branches, over the bound of "
                                f"{limits.max_branches:,} (limits.max_branches in procflow.yaml)",
                                ("steps", index, "branches")))
    return issues

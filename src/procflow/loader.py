"""Loading procedure files: read safely, parse with positions on demand, validate with the
pydantic models, and map every error back to the YAML node it is about (PF001-PF003).

``load_document`` never raises for bad input: a file that does not load is a value with
findings, so one broken file never stops the others from being checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from procflow.findings import (
    MAX_FINDINGS_PER_FILE,
    Finding,
    Issue,
    Severity,
    YamlPath,
    did_you_mean,
    display_path,
    excerpt,
)
from procflow.model import suggest_slug
from procflow.roots import link_outside, outside_message
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

    def finding(self, issue: Issue, severity: Severity = Severity.ERROR) -> Finding:
        line, column, _ = self.position(issue.path, issue.at)
        return Finding(self.display, line, column, issue.code, issue.message, severity)

    def parse_finding(self, problem: Located) -> Finding:
        """A finding of the YAML layer, which already knows the position."""
        return Finding(self.display, problem.line, problem.column, problem.issue.code,
                       problem.issue.message)

    def release_text(self) -> None:
        """Drop the source text and positions once no more findings will be placed."""
        self.text = None
        self._positions = None


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
        return None, [Finding(shown, line, column, "PF001", f"not UTF-8: byte 0x{raw[error.start]:02x} "
                              "cannot be decoded; save the file as UTF-8")]


def read_document(path: Path, limits: Limits) -> Document[Any]:
    """A document with the file's text (None when it cannot be read) and nothing parsed yet:
    enough to place findings on its lines."""
    return Document(path, text=read_text(path, limits)[0], limits=limits)


def load_document(path: Path, model: type[M], limits: Limits, *, raw: bytes | None = None,
                  label: str | None = None) -> Document[M]:
    """Read, parse and validate one file (or ``raw`` bytes that came from ``path``, named
    ``label`` in diagnostics); every problem becomes a positioned finding."""
    document: Document[M] = Document(path, limits=limits, label=label)
    text, findings = read_text(path, limits, raw=raw, shown=document.display)
    if text is None:
        document.findings = findings
        return document
    document.text = text
    try:
        data, _, problems = parse(text, limits)
    except YamlFailure as failure:
        document.findings = [document.parse_finding(p) for p in failure.located]
        return document
    document.findings = [document.parse_finding(p) for p in problems]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the value {_Quoted(excerpt(data))!r}"
        document.findings.append(Finding(document.display, 1, 1, "PF001", f"the file holds {kind}"
                                         "; a procedure is a mapping (procflow: 1, id: ..., ...)"))
        return document
    document.data = data
    try:
        document.model = model.model_validate(data)
    except ValidationError as error:
        document.findings += [document.finding(issue) for issue in schema_issues(error, model, document)]
    document.findings.sort()
    return document


# --- pydantic errors -> issues at YAML nodes ------------------------------------------------

_YAML_TYPES = {bool: "a boolean", int: "a number", float: "a number", dt.date: "a date",
               dt.datetime: "a date and time", type(None): "empty (null)"}


def schema_issues(error: ValidationError, model: type[BaseModel], document: Document[Any]
                  ) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[tuple[YamlPath, str]] = set()
    errors = error.errors(include_url=False)
    for count, item in enumerate(errors):
        if len(issues) > MAX_FINDINGS_PER_FILE:  # the rest are only counted (lint caps them)
            issues.append(Issue("PF003", f"… and {len(errors) - count:,} more problems of the "
                                "schema in this file", ()))
            break
        loc = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
        if isinstance(item.get("input"), str):  # messages quote an excerpt only
            item = {**item, "input": _Quoted(excerpt(item["input"]))}
        issue = _issue_for(item, loc, model, document)
        if (issue.path, issue.message) not in seen:
            seen.add((issue.path, issue.message))
            issues.append(issue)
    return issues


class _Quoted(str):
    """A value already cut to a printable excerpt, quoted in messages as it is."""

    def __repr__(self) -> str:
        return f"'{self}'"


def _where(loc: YamlPath, data: Any = None) -> str:
    """A readable address of a node: ``steps[verify].max_duration`` (by id where the list
    item has one, else its 1-based position)."""
    parts: list[str] = []
    node = data
    for part in loc:
        child = None
        if isinstance(part, int):
            child = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            item_id = child.get("id") if isinstance(child, dict) else None
            label = excerpt(item_id) if isinstance(item_id, str) and item_id else str(part + 1)
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label}]"]
        else:
            child = node.get(part) if isinstance(node, dict) else None
            parts.append(excerpt(str(part)))
        node = child
    return ".".join(parts) or "the file"


def _issue_for(item: Any, loc: YamlPath, model: type[BaseModel], document: Document[Any]) -> Issue:
    kind = item["type"]
    data = document.data
    name = excerpt(str(loc[-1])) if loc else ""
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        hint = did_you_mean(name, allowed)
        where = _where(loc[:-1], data)
        return Issue("PF003", f"unknown field '{name}' in {where}{hint}", loc, "key")
    if kind == "missing":
        return Issue("PF003", f"{_where(loc[:-1], data)}: missing required field '{name}'", loc[:-1])
    value = item.get("input")
    _, _, raw = document.position(loc)
    raw = excerpt(raw) if raw is not None else None
    if type(value) in _YAML_TYPES and raw is not None \
            and kind in ("string_type", "list_type", "dict_type", "model_type"):
        if raw == "":
            return Issue("PF003", f"{_where(loc, data)}: the value is missing", loc)
        return Issue("PF003", f"{_where(loc, data)}: YAML reads {raw} as {_YAML_TYPES[type(value)]} "
                     f"here, but text is expected; quote it: \"{raw}\"", loc)
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        options = [option.strip(" '") for option in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), options)
        return Issue("PF003", f"{_where(loc, data)}: '{value}' is not one of {expected}{hint}", loc)
    if kind == "string_pattern_mismatch":
        return Issue("PF003", _pattern_message(loc, name, value, data), loc)
    if kind == "value_error":
        message = str(item.get("ctx", {}).get("error", item["msg"]))
        return Issue("PF003", f"{_where(loc, data)}: {message}", loc)
    if kind == "too_short" and name == "branches":
        return Issue("PF003", f"{_where(loc, data)}: a decision needs at least two branches "
                     "(for one way on, use next:)", loc)
    return Issue("PF003", f"{_where(loc, data)}: {item['msg'].lower()[:1]}{item['msg'][1:]}"
                 + (f" (got {excerpt(value)})" if not isinstance(value, (dict, list)) else ""), loc)


def _pattern_message(loc: YamlPath, name: str, value: Any, data: Any) -> str:
    where = _where(loc, data)
    if name == "version":
        return (f"{where}: '{value}' is not a version: write MAJOR.MINOR.PATCH in quotes, "
                f'such as "1.0.0"')
    if name == "handle":
        return f"{where}: '{value}' is not a git host handle such as @user or @org/team"
    if name == "hours":
        return f"{where}: '{value}' is not a working-hours range such as \"08:00-16:00\""
    if name == "disable" or (len(loc) > 1 and loc[-2] in ("disable", "severity")):
        return f"{where}: '{value}' is not a rule code such as PF104"
    suggestion = suggest_slug(str(value))
    hint = f" (for example '{suggestion}')" if suggestion and suggestion != value else ""
    return (f"{where}: '{value}' is not a valid id: use lowercase letters, digits and single "
            f"hyphens, at most 64 characters{hint}")


def _allowed_fields(model: type[BaseModel], loc: YamlPath) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        current = _inner_model(current, part)
        if current is None:
            return []
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _inner_model(current: Any, part: Any) -> Any:
    if isinstance(part, int):
        return _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        info = current.model_fields.get(part)
        return _unwrap(info.annotation) if info else None
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, Annotated and list around a model class."""
    while True:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not args:
            return annotation
        annotation = args[0]

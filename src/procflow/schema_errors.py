"""Schema errors (PF003) in plain words: pydantic's errors turned into issues at YAML nodes,
each saying what to write instead, with the corrected text when there is exactly one.

The loader calls ``schema_issues``; the corrected text of an issue (``Issue.replacement``)
is what ``procflow fix`` writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from procflow import corrections
from procflow.findings import MAX_FINDINGS_PER_FILE, Issue, YamlPath, did_you_mean, excerpt
from procflow.model import suggest_slug


class Document(Protocol):
    """What the messages need of a loaded file (procflow.loader.Document): its data, and
    the position and raw text of a node."""

    data: Any

    def position(self, path: YamlPath, at: str = "value") -> tuple[int, int, str | None]: ...


_YAML_TYPES = {bool: "a boolean", int: "a number", float: "a number", dt.date: "a date",
               dt.datetime: "a date and time", type(None): "empty (null)"}
#: the format versions this procflow reads
FORMAT_VERSIONS = (1,)


def schema_issues(error: ValidationError, model: type[BaseModel], document: Document
                  ) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[tuple[YamlPath, str]] = set()
    # a file without the format's marker may be any YAML (a translation, a CI file): it
    # gets the messages, but nothing in it is ever rewritten
    marked = isinstance(document.data, dict) and "procflow" in document.data
    errors = error.errors(include_url=False)
    for count, item in enumerate(errors):
        if len(issues) > MAX_FINDINGS_PER_FILE:  # the rest are only counted (lint caps them)
            issues.append(Issue("PF003", f"… and {len(errors) - count:,} more problems of the "
                                "schema in this file", ()))
            break
        loc = error_path(item)
        issue = _issue_for(item, loc, model, document)
        if issue.replacement is not None and not marked:
            issue = dataclasses.replace(issue, replacement=None)
        if (issue.path, issue.message) not in seen:
            seen.add((issue.path, issue.message))
            issues.append(issue)
    return issues


def error_path(item: Any) -> YamlPath:
    """The YAML path of a pydantic error (its ``loc`` without validator names)."""
    return tuple(part for part in item["loc"] if isinstance(part, (str, int)))


def where(loc: YamlPath, data: Any = None) -> str:
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


def _issue_for(item: Any, loc: YamlPath, model: type[BaseModel], document: Document) -> Issue:
    kind = item["type"]
    data = document.data
    name = str(loc[-1]) if loc else ""
    value = item.get("input")
    if kind == "extra_forbidden":
        return _unknown_field(name, loc, model, data)
    if kind == "missing":
        return Issue("PF003", f"{where(loc[:-1], data)}: missing required field '{name}'",
                     loc[:-1])
    _, _, raw = document.position(loc)
    place = where(loc, data)
    if name == "procflow" and len(loc) == 1:
        return _format_version(value, raw, loc)
    if name == "version" and kind in ("string_type", "string_pattern_mismatch"):
        fixed = corrections.version(value, raw)
        if fixed is not None:
            return Issue("PF003", f"{place}: a version is MAJOR.MINOR.PATCH in quotes; write "
                         f'"{fixed}"', loc, replacement=f'"{fixed}"')
    if kind in ("list_type", "dict_type", "model_type") and raw != "":
        of_text = kind == "list_type" and model_at(model, (*loc, 0)) is None
        shape = _wrong_shape(kind, value, place, raw if of_text else None)
        if shape is not None:
            return Issue("PF003", shape[0], loc, replacement=shape[1])
    if type(value) in _YAML_TYPES and raw is not None \
            and kind in ("string_type", "list_type", "dict_type", "model_type"):
        if raw == "":
            return Issue("PF003", f"{place}: the value is missing", loc)
        quoted = '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return Issue("PF003", f"{place}: YAML reads {excerpt(raw)} as "
                     f"{_YAML_TYPES[type(value)]} here, but text is expected; quote it: "
                     f"{excerpt(quoted)}", loc, replacement=quoted)
    if kind.startswith("date_"):
        return _date(value, place, loc)
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        options = [option.strip(" '") for option in expected.replace(" or ", ",").split(",")]
        fixed = corrections.close_match(str(value), options)
        hint = did_you_mean(str(value), options)
        return Issue("PF003", f"{place}: '{excerpt(value)}' is not one of {expected}{hint}", loc,
                     replacement=fixed)
    if kind == "string_pattern_mismatch" or (kind == "string_too_long" and name == "language"):
        return Issue("PF003", _pattern_message(loc, name, value, data), loc)
    if kind == "value_error":
        return _value_error(item, value, place, loc)
    if kind == "too_short" and name == "branches":
        return Issue("PF003", f"{place}: a decision needs at least two branches "
                     "(for one way on, use next:)", loc)
    message = item["msg"]
    return Issue("PF003", f"{place}: {message.lower()[:1]}{message[1:]}"
                 + (f" (got {excerpt(value)})" if not isinstance(value, (dict, list)) else ""),
                 loc)


def _unknown_field(name: str, loc: YamlPath, model: type[BaseModel], data: Any) -> Issue:
    allowed = _allowed_fields(model, loc[:-1])
    place = where(loc[:-1], data)
    typo = corrections.close_match(name, allowed)
    if typo is not None:
        return Issue("PF003", f"unknown field '{excerpt(name)}' in {place} (did you mean "
                     f"'{typo}'?)", loc, "key", replacement=typo)
    word = name.lower()
    meant = corrections.SYNONYMS.get(word) \
        or corrections.SYNONYMS.get(corrections.close_match(word, corrections.SYNONYMS) or "")
    if meant in allowed:
        hint = f"; for this, the format has '{meant}'"
    else:
        hint = did_you_mean(name, allowed)
    fields = f"; allowed here: {', '.join(allowed)}" if allowed else ""
    return Issue("PF003", f"unknown field '{excerpt(name)}' in {place}{hint}{fields}", loc, "key")


def _format_version(value: Any, raw: str | None, loc: YamlPath) -> Issue:
    readable = " or ".join(str(v) for v in FORMAT_VERSIONS)
    if isinstance(value, str) and value.strip() in {str(v) for v in FORMAT_VERSIONS}:
        return Issue("PF003", f"procflow: the format version is a number, not text; write "
                     f"procflow: {value.strip()}", loc, replacement=value.strip())
    return Issue("PF003", f"procflow: '{excerpt(raw if raw is not None else value)}' is not a "
                 f"format version this procflow reads (it reads {readable}: procflow: "
                 f"{FORMAT_VERSIONS[-1]}); a file for a newer format needs a newer procflow", loc)


def _wrong_shape(kind: str, value: Any, place: str, raw: str | None
                 ) -> tuple[str, str | None] | None:
    """A mapping where a list is expected, text where a list is expected, a list where a
    mapping is expected: the message and, when sure, the corrected text."""
    if kind == "list_type" and isinstance(value, dict):
        return (f"{place} is a list, but holds a mapping: start each item with '- ' (one "
                "item a line)", None)
    if kind == "list_type" and isinstance(value, str):
        if raw is None:  # a list of mappings (steps, roles ...), or text that was quoted
            return f"{place} is a list: write one '- ' item a line", None
        fixed = corrections.flow_list(value)
        return (f"{place} is a list: write {excerpt(fixed or '[a, b]')}, or one '- ' item a "
                "line", fixed)
    if kind in ("dict_type", "model_type") and isinstance(value, list):
        return (f"{place} is a mapping of fields (field: value), not a list: remove the '- ' "
                "before its fields", None)
    return None


def _date(value: Any, place: str, loc: YamlPath) -> Issue:
    fixed, readings = corrections.date(value)
    if fixed is not None:
        return Issue("PF003", f"{place}: dates are written YYYY-MM-DD; write {fixed}", loc,
                     replacement=fixed)
    if readings:
        return Issue("PF003", f"{place}: dates are written YYYY-MM-DD; '{excerpt(value)}' could "
                     f"be {' or '.join(readings)}: write the one you mean", loc)
    return Issue("PF003", f"{place}: '{excerpt(value)}' is not a date; dates are written "
                 "YYYY-MM-DD, such as 2026-03-12", loc)


def _value_error(item: Any, value: Any, place: str, loc: YamlPath) -> Issue:
    from procflow.durations import DurationError

    error = item.get("ctx", {}).get("error")
    if isinstance(error, DurationError):
        fixed = corrections.duration(value)
        if fixed is not None:
            return Issue("PF003", f"{place}: '{excerpt(value)}' is not how procflow writes a "
                         f"duration; write {fixed}", loc, replacement=fixed)
    return Issue("PF003", f"{place}: {error if error is not None else item['msg']}", loc)


def _pattern_message(loc: YamlPath, name: str, value: Any, data: Any) -> str:
    place = where(loc, data)
    text = excerpt(value)
    if name == "version":
        return (f"{place}: '{text}' is not a version: write MAJOR.MINOR.PATCH in quotes, "
                f'such as "1.0.0"')
    if name == "handle":
        return f"{place}: '{text}' is not a git host handle such as @user or @org/team"
    if name == "hours":
        return f"{place}: '{text}' is not a working-hours range such as \"08:00-16:00\""
    if name == "language":  # a tag names label catalogues (i18n/<tag>.yaml): never a path
        return (f"{place}: '{text}' is not a language tag such as en, pl or pt-BR (letters, "
                "digits and hyphens, at most 35 characters)")
    if name == "disable" or (len(loc) > 1 and loc[-2] in ("disable", "severity")):
        return f"{place}: '{text}' is not a rule code such as PF104"
    suggestion = suggest_slug(str(value))
    hint = f" (for example '{suggestion}')" if suggestion and suggestion != value else ""
    return (f"{place}: '{text}' is not a valid id: use lowercase letters, digits and single "
            f"hyphens, at most 64 characters{hint}")


def _allowed_fields(model: type[BaseModel], loc: YamlPath) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model``."""
    current = model_at(model, loc)
    return list(current.model_fields) if current is not None else []


def model_at(model: type[BaseModel], loc: YamlPath) -> type[BaseModel] | None:
    """The model class of the node at ``loc`` inside ``model`` (None: not a model)."""
    current: Any = model
    for part in loc:
        current = _inner(current, part)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner(current: Any, part: Any) -> Any:
    if isinstance(part, int):
        return unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        info = current.model_fields.get(part)
        return unwrap(info.annotation) if info else None
    return None


def unwrap(annotation: Any) -> Any:
    """Strip Optional, Annotated and list around a model class (or down to the innermost
    type, when there is none)."""
    while True:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not args:
            return annotation
        annotation = args[0]

"""Safe, exact YAML parsing: libyaml events turned into plain Python data, with bounds.

This module owns the YAML layer and nothing above it: it never builds Python objects from
tags, it bounds size, nesting depth and alias expansion (so hostile files fail fast in small
memory, never with a ``RecursionError``), it reports duplicate keys, and on request it keeps
the position of every node (a map from each node's path to its position) so later errors can point at a line and column.

Scalars resolve the way PyYAML resolves them (YAML 1.1: ``NO`` is a boolean, ``012`` an octal
number), and the index keeps the raw text of plain scalars so the schema layer can tell the
author to quote a value that YAML changed behind their back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from procflow.findings import Issue, YamlPath

#: line and column (1-based) of a node's key and value, and the raw text of a plain scalar
NodePos = tuple[int, int, int, int, "str | None"]


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one file may cause; configurable under ``limits:`` in procflow.yaml."""

    max_bytes: int = 2_000_000
    max_depth: int = 50
    max_alias_nodes: int = 10_000


@dataclass(frozen=True)
class Located:
    """An issue with its position already known (the YAML layer knows it from the parser)."""

    issue: Issue
    line: int
    column: int


class YamlFailure(Exception):
    """The file cannot be turned into data; ``located`` says where and why."""

    def __init__(self, located: list[Located]) -> None:
        super().__init__(located[0].issue.message)
        self.located = located


_TEXT_TAGS = {"!", "tag:yaml.org,2002:str"}
_CONTAINER_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_IMPLICIT = Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = SafeConstructor()
_CONVERT = {
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}
#: explicit tags allowed on a scalar: text, and the plain types YAML itself resolves
_SCALAR_TAGS = _TEXT_TAGS | set(_CONVERT)


def _resolve_plain(value: str) -> Any:
    """The Python value of a plain (unquoted) scalar, as YAML 1.1 reads it."""
    for tag, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):
            if tag in _CONVERT:
                try:
                    return _CONVERT[tag](ScalarNode(tag, value))
                except (ValueError, TypeError, OverflowError):
                    return value
            return value  # merge '<<', value '=' and yaml tags stay text
    return value


def _scalar(event: Any) -> Any:
    """Quoted, block and ``!!str`` scalars are text; plain ones resolve as YAML 1.1 does."""
    if event.tag in _TEXT_TAGS or (event.tag is None and (event.style or not event.implicit[0])):
        return event.value
    return _resolve_plain(event.value)


def _located(code: str, message: str, mark: Any) -> Located:
    return Located(Issue(code, message), mark.line + 1, mark.column + 1)


def _mark_of_index(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_failure(text: str, error: yaml.YAMLError) -> Located:
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _mark_of_index(text, error.position)
        char = error.character
        what = "a NUL byte" if char in (0, "\x00") else f"the control character {char!r}"
        return Located(
            Issue("PF001", f"not YAML text: {what} (binary data or a broken file?)"), line, column
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    if "maximum nesting depth" in problem:  # libyaml's own bound (1,000 levels) came first
        return Located(Issue("PF002", "nesting deeper than the YAML parser allows "
                             "(an abusive file?)"), line, column)
    lines = text.splitlines()
    row = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = row[: len(row) - len(row.lstrip())]
    if "\t" in indent or "tab" in problem or row[column - 1: column] == "\t":
        tab_col = row.find("\t")
        message = "tab character in indentation: YAML indents with spaces; replace the tab"
        return Located(Issue("PF001", message), line, (tab_col + 1) if tab_col >= 0 else column)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Located(Issue("PF001", message), line, column)


class _Frame:
    """A mapping or sequence being built: its container, where it starts, its size in nodes
    (for the alias bound), and for a mapping the pending key and the line of each key."""

    __slots__ = ("container", "start", "key", "key_mark", "count", "anchor", "is_map", "keys")

    def __init__(self, event: Any, is_map: bool) -> None:
        self.container: Any = {} if is_map else []
        self.start = event.start_mark
        self.key: str | None = None
        self.key_mark: Any = None
        self.count = 1
        self.anchor: str | None = event.anchor
        self.is_map = is_map
        self.keys: dict[str, int] = {}


def parse(text: str, limits: Limits = Limits(), *, index: bool = False
          ) -> tuple[Any, dict[YamlPath, NodePos] | None, list[Located]]:
    """Turn YAML text into data.

    Returns ``(data, positions, problems)``: ``positions`` when ``index`` is asked for,
    ``problems`` the non-fatal ones (duplicate keys). Raises ``YamlFailure`` when the text
    cannot be turned into data at all.
    """
    if len(text) > limits.max_bytes:
        raise YamlFailure([Located(Issue(
            "PF002", f"file is larger than the bound of {limits.max_bytes:,} bytes "
            "(limits.max_bytes in procflow.yaml)"), 1, 1)])
    try:
        return _build(text, limits, index)
    except yaml.YAMLError as error:
        raise YamlFailure([_syntax_failure(text, error)]) from None


def _build(text: str, limits: Limits, want_index: bool
           ) -> tuple[Any, dict[YamlPath, NodePos] | None, list[Located]]:
    parser = CParser(text)
    positions: dict[YamlPath, NodePos] | None = {} if want_index else None
    problems: list[Located] = []
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    path: list[Any] = []
    root: Any = None
    documents = 0
    expanded = 0
    ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
    MappingStartEvent, SequenceStartEvent = yaml.MappingStartEvent, yaml.SequenceStartEvent
    MappingEndEvent, SequenceEndEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def place(value: Any, mark: Any, raw: str | None, size: int) -> None:
        nonlocal root
        if not stack:
            root = value
            if positions is not None:
                positions[()] = (mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1, raw)
            return
        frame = stack[-1]
        frame.count += size
        if frame.is_map:
            key = frame.key
            assert key is not None
            if key in frame.container:
                first = frame.keys[key]
                problems.append(_located(
                    "PF002", f"duplicate key '{key}' (first defined on line {first}); "
                    "YAML would silently keep only the last one", frame.key_mark))
            else:
                frame.container[key] = value
                frame.keys[key] = frame.key_mark.line + 1
            if positions is not None:
                positions.setdefault(tuple(path), (frame.key_mark.line + 1, frame.key_mark.column + 1,
                                                   mark.line + 1, mark.column + 1, raw))
                path.pop()
            frame.key = None
        else:
            if positions is not None:
                positions[tuple(path)] = (mark.line + 1, mark.column + 1,
                                          mark.line + 1, mark.column + 1, raw)
                path[-1] += 1
            frame.container.append(value)

    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is ScalarEvent:
            if stack and stack[-1].is_map and stack[-1].key is None:
                frame = stack[-1]
                if event.tag is not None and event.tag not in _TEXT_TAGS:
                    raise YamlFailure([_located("PF002", f"tag {event.tag} is not allowed on a key",
                                                event.start_mark)])
                frame.key = event.value
                frame.key_mark = event.start_mark
                frame.count += 1
                if positions is not None:
                    path.append(event.value)
                continue
            if event.tag is not None and event.tag not in _SCALAR_TAGS:
                raise YamlFailure([_unknown_tag(event)])
            value = _scalar(event)
            raw = event.value if (positions is not None and not event.style) else None
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            place(value, event.start_mark, raw, 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag not in _CONTAINER_TAGS:
                raise YamlFailure([_unknown_tag(event)])
            if stack and stack[-1].is_map and stack[-1].key is None:
                raise YamlFailure([_located("PF001", "a key must be plain text, not a mapping "
                                                     "or a list", event.start_mark)])
            if len(stack) >= limits.max_depth:
                raise YamlFailure([_located(
                    "PF002", f"nesting deeper than the bound of {limits.max_depth} levels "
                    "(limits.max_depth in procflow.yaml)", event.start_mark)])
            is_map = kind is MappingStartEvent
            stack.append(_Frame(event, is_map))
            if positions is not None and not is_map:
                path.append(0)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            container = frame.container
            if positions is not None and not frame.is_map:
                path.pop()
            if frame.is_map and "<<" in container:
                _merge(container)
            if frame.anchor is not None:
                anchors[frame.anchor] = (container, frame.count)
            place(container, frame.start, None, frame.count)
        elif kind is AliasEvent:
            if stack and stack[-1].is_map and stack[-1].key is None:
                raise YamlFailure([_located("PF001", "an alias cannot be a key", event.start_mark)])
            if event.anchor not in anchors:
                raise YamlFailure([_located("PF001", f"unknown alias *{event.anchor}",
                                            event.start_mark)])
            value, size = anchors[event.anchor]
            expanded += size
            if expanded > limits.max_alias_nodes:
                raise YamlFailure([_located(
                    "PF002", f"aliases expand to more than {limits.max_alias_nodes:,} nodes "
                    "(an alias bomb?); limits.max_alias_nodes in procflow.yaml", event.start_mark)])
            place(value, event.start_mark, None, size)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlFailure([_located("PF001", "more than one YAML document in the file; "
                                                     "keep one procedure per file",
                                            event.start_mark)])
        elif kind is yaml.StreamEndEvent:
            break
    if documents == 0:
        raise YamlFailure([Located(Issue("PF001", "empty file: a procedure is a YAML mapping "
                                                  "with procflow, id, title, ... "), 1, 1)])
    return root, positions, problems


def _merge(mapping: dict[str, Any]) -> None:
    merged = mapping.pop("<<")
    sources = merged if isinstance(merged, list) else [merged]
    for source in sources:
        if isinstance(source, dict):
            for key, value in source.items():
                mapping.setdefault(key, value)


def _unknown_tag(event: Any) -> Located:
    tag = str(event.tag).replace("tag:yaml.org,2002:", "!!", 1)
    return _located(
        "PF002", f"tag {tag} is not allowed: procflow reads plain data only "
        "(remove the tag, or quote the value)", event.start_mark)


def locate(positions: dict[YamlPath, NodePos], path: YamlPath, at: str = "value"
           ) -> tuple[int, int, str | None]:
    """Line, column and raw text of the node at ``path``, or of its nearest ancestor
    (a missing field points at the mapping that lacks it)."""
    probe = tuple(path)
    exact = True
    while probe not in positions and probe:
        probe = probe[:-1]
        exact = False
    found = positions.get(probe)
    if found is None:
        return 1, 1, None
    key_line, key_col, line, col, raw = found
    if at == "key" and exact:
        return key_line, key_col, raw
    if not exact and not probe:
        return 1, 1, None
    return line, col, raw if exact else None

"""Safe, exact YAML parsing: libyaml events turned into plain Python data, with bounds.

This module owns the YAML layer and nothing above it: it never builds Python objects from
tags, it bounds size, nesting depth and alias expansion, in nodes and in characters (so hostile
files fail fast in small memory, never with a ``RecursionError``, and cannot make a rendered
page or a report huge), it reports duplicate keys, and on request it keeps the position of
every node (a map from each node's path to its position) so later errors can point at a line
and column.

Scalars resolve the way PyYAML resolves them (YAML 1.1: ``NO`` is a boolean, ``012`` an octal
number), and the index keeps the raw text of plain scalars so the schema layer can tell the
author to quote a value that YAML changed behind their back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import yaml
from yaml._yaml import CParser
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from procflow.edits import Fix
from procflow.findings import Issue, PathPart, YamlPath

#: line and column (1-based) of a node's key and value, and the raw text of a plain scalar
NodePos = tuple[int, int, int, int, "str | None"]


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one file may cause; configurable under ``limits:`` in procflow.yaml."""

    max_bytes: int = 2_000_000
    max_depth: int = 50
    max_alias_nodes: int = 10_000
    #: counts of a procedure's items (render costs grow with roles x steps); checked by the loader
    max_roles: int = 200
    max_steps: int = 1_000
    max_branches: int = 50


@dataclass(frozen=True)
class Located:
    """An issue with its position already known (the YAML layer knows it from the parser)."""

    issue: Issue
    line: int
    column: int
    fix: Fix | None = None


class YamlFailure(Exception):
    """The file cannot be turned into data; ``located`` says where and why. For a plain
    syntax error, ``syntax`` is libyaml's error, for the loader to explain in plain words
    (procflow.yamlerrors: it reads the lines around it, which this layer does not)."""

    def __init__(self, located: list[Located], syntax: yaml.MarkedYAMLError | None = None
                 ) -> None:
        super().__init__(located[0].issue.message)
        self.located = located
        self.syntax = syntax


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


def _scalar(event: ScalarEvent) -> Any:
    """Quoted, block and ``!!str`` scalars are text; plain ones resolve as YAML 1.1 does."""
    if event.tag in _TEXT_TAGS or (event.tag is None and (event.style or not event.implicit[0])):
        return event.value
    return _resolve_plain(event.value)


class _Mark(Protocol):
    """Where an event starts (0-based), from either the C or the Python parser."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


def _line_column(mark: _Mark | None) -> tuple[int, int]:
    """The 1-based line and column of a mark (libyaml marks every event; without a mark,
    the start of the file)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _located(code: str, message: str, mark: _Mark | None) -> Located:
    return Located(Issue(code, message), *_line_column(mark))


def _node_pos(key: _Mark | None, value: _Mark | None, raw: str | None) -> NodePos:
    """The position record of a node whose key (in a list: the item itself) is at ``key``."""
    if key is None or value is None:
        return 1, 1, 1, 1, raw
    return key.line + 1, key.column + 1, value.line + 1, value.column + 1, raw


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


def _ignore(event: Event) -> None:
    """The events that carry nothing to build (stream start, document end)."""


class _Frame:
    """A mapping or sequence being built: its container, where it starts, its size in nodes
    and characters (for the alias bounds), and for a mapping the pending key and the line of
    each key."""

    __slots__ = ("container", "start", "key", "key_mark", "count", "chars", "anchor", "is_map",
                 "keys")

    def __init__(self, event: CollectionStartEvent, is_map: bool) -> None:
        self.container: Any = {} if is_map else []
        self.start = event.start_mark
        self.key: str | None = None
        self.key_mark: _Mark | None = None
        self.count = 1
        self.chars = 0
        self.anchor = event.anchor
        self.is_map = is_map
        self.keys: dict[str, _Mark | None] = {}


#: what an anchor stands for: its value, and its size in nodes and in characters
_Anchored = tuple[Any, int, int]

#: the most characters aliases may add to a file, whatever ``limits.max_bytes`` says: the
#: project file may come from the same pull request as the procedure, and a raised
#: ``max_bytes`` must not turn a 56 KB file into a rendered page of hundreds of megabytes
MAX_ALIAS_CHARS = Limits.max_bytes


class _Builder:
    """Plain data from libyaml events, one method per event kind.

    ``stack`` holds the containers being built; ``path`` the address of the current node
    (kept only when positions are wanted). Aliases add the size of what they stand for to
    ``expanded_nodes`` and ``expanded_chars``, so an alias bomb stops at its bound before it
    costs memory downstream (a rendered page, a JSON report).
    """

    __slots__ = ("limits", "char_budget", "positions", "problems", "anchors", "stack", "path",
                 "root", "documents", "expanded_nodes", "expanded_chars")

    def __init__(self, text: str, limits: Limits, want_index: bool) -> None:
        self.limits = limits
        #: characters aliases may add: the file's own size counts against ``max_bytes`` too,
        #: and never more than ``MAX_ALIAS_CHARS``
        self.char_budget = min(limits.max_bytes - len(text), MAX_ALIAS_CHARS)
        self.positions: dict[YamlPath, NodePos] | None = {} if want_index else None
        self.problems: list[Located] = []
        self.anchors: dict[str, _Anchored] = {}
        self.stack: list[_Frame] = []
        self.path: list[PathPart] = []
        self.root: Any = None
        self.documents = 0
        self.expanded_nodes = 0
        self.expanded_chars = 0

    def build(self, parser: CParser) -> tuple[Any, dict[YamlPath, NodePos] | None, list[Located]]:
        handlers: dict[type[Event], Callable[[Any], None]] = {
            ScalarEvent: self.scalar,
            AliasEvent: self.alias,
            MappingStartEvent: self.mapping_start,
            SequenceStartEvent: self.sequence_start,
            MappingEndEvent: self.collection_end,
            SequenceEndEvent: self.collection_end,
            DocumentStartEvent: self.document_start,
            DocumentEndEvent: _ignore,
            StreamStartEvent: _ignore,
        }
        next_event = parser.get_event
        event = next_event()
        while event is not None and type(event) is not StreamEndEvent:
            handlers[type(event)](event)
            event = next_event()
        if self.documents == 0:
            raise YamlFailure([Located(Issue("PF001", "empty file: a procedure is a YAML mapping "
                                                      "with procflow, id, title, ... "), 1, 1)])
        return self.root, self.positions, self.problems

    def _expects_key(self) -> bool:
        """Whether the next node is a mapping's key (which must be plain text)."""
        return bool(self.stack) and self.stack[-1].is_map and self.stack[-1].key is None

    def scalar(self, event: ScalarEvent) -> None:
        stack = self.stack  # the hottest method: the key test is written out, not called
        if stack and stack[-1].is_map and stack[-1].key is None:
            self.key(stack[-1], event)
            return
        if event.tag is not None and event.tag not in _SCALAR_TAGS:
            raise YamlFailure([_unknown_tag(event)])
        value = _scalar(event)
        size = len(event.value)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, size)
        raw = event.value if (self.positions is not None and not event.style) else None
        self.place(value, event.start_mark, raw, 1, size)

    def key(self, frame: _Frame, event: ScalarEvent) -> None:
        if event.tag is not None and event.tag not in _TEXT_TAGS:
            raise YamlFailure([_located("PF002", f"tag {event.tag} is not allowed on a key",
                                        event.start_mark)])
        frame.key = event.value
        frame.key_mark = event.start_mark
        frame.count += 1
        frame.chars += len(event.value)
        if self.positions is not None:
            self.path.append(event.value)

    def mapping_start(self, event: MappingStartEvent) -> None:
        self._open(event, is_map=True)

    def sequence_start(self, event: SequenceStartEvent) -> None:
        self._open(event, is_map=False)
        if self.positions is not None:
            self.path.append(0)

    def _open(self, event: CollectionStartEvent, is_map: bool) -> None:
        if event.tag not in _CONTAINER_TAGS:
            raise YamlFailure([_unknown_tag(event)])
        if self._expects_key():
            raise YamlFailure([_located("PF001", "a key must be plain text, not a mapping "
                                                 "or a list", event.start_mark)])
        if len(self.stack) >= self.limits.max_depth:
            raise YamlFailure([_located(
                "PF002", f"nesting deeper than the bound of {self.limits.max_depth} levels "
                "(limits.max_depth in procflow.yaml)", event.start_mark)])
        self.stack.append(_Frame(event, is_map))

    def collection_end(self, event: CollectionEndEvent) -> None:
        frame = self.stack.pop()
        container = frame.container
        if frame.is_map:
            if "<<" in container:
                _merge(container)
        elif self.positions is not None:
            self.path.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (container, frame.count, frame.chars)
        self.place(container, frame.start, None, frame.count, frame.chars)

    def alias(self, event: AliasEvent) -> None:
        if self._expects_key():
            raise YamlFailure([_located("PF001", "an alias cannot be a key", event.start_mark)])
        anchor = event.anchor
        if anchor is None or anchor not in self.anchors:
            raise YamlFailure([_located("PF001", f"unknown alias *{anchor}", event.start_mark)])
        value, nodes, chars = self.anchors[anchor]
        self.expanded_nodes += nodes
        if self.expanded_nodes > self.limits.max_alias_nodes:
            raise YamlFailure([_located(
                "PF002", f"aliases expand to more than {self.limits.max_alias_nodes:,} nodes "
                "(an alias bomb?); limits.max_alias_nodes in procflow.yaml", event.start_mark)])
        self.expanded_chars += chars
        if self.expanded_chars > self.char_budget:
            raise YamlFailure([self._too_many_chars(event)])
        self.place(value, event.start_mark, None, nodes, chars)

    def _too_many_chars(self, event: AliasEvent) -> Located:
        if self.char_budget == MAX_ALIAS_CHARS:  # the fixed ceiling, not the setting, stopped it
            return _located("PF002", f"aliases repeat more than {MAX_ALIAS_CHARS:,} characters "
                            "(an alias bomb?); write the text out, or repeat less",
                            event.start_mark)
        return _located("PF002", f"aliases expand the file beyond {self.limits.max_bytes:,} "
                        "characters (an alias bomb?); limits.max_bytes in procflow.yaml",
                        event.start_mark)

    def document_start(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlFailure([_located("PF001", "more than one YAML document in the file; "
                                                 "keep one procedure per file", event.start_mark)])

    def place(self, value: Any, mark: _Mark | None, raw: str | None, nodes: int, chars: int
              ) -> None:
        """Put a finished node into its parent (or make it the root), recording its position."""
        positions = self.positions
        if not self.stack:
            self.root = value
            if positions is not None:
                positions[()] = _node_pos(mark, mark, raw)
            return
        frame = self.stack[-1]
        frame.count += nodes
        frame.chars += chars
        if not frame.is_map:
            if positions is not None:
                positions[tuple(self.path)] = _node_pos(mark, mark, raw)
            frame.container.append(value)
            if positions is not None:
                self.path[-1] = len(frame.container)  # the slot of the next item
            return
        key = frame.key
        assert key is not None  # a value in a mapping always follows its key
        if key in frame.container:
            first, _ = _line_column(frame.keys[key])
            self.problems.append(_located(
                "PF002", f"duplicate key '{key}' (first defined on line {first}); "
                "YAML would silently keep only the last one", frame.key_mark))
        else:
            frame.container[key] = value
            frame.keys[key] = frame.key_mark
        if positions is not None:
            positions.setdefault(tuple(self.path), _node_pos(frame.key_mark, mark, raw))
            self.path.pop()
        frame.key = None


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
        return _Builder(text, limits, index).build(CParser(text))
    except yaml.YAMLError as error:
        located = _syntax_failure(text, error)
        plain = located.issue.message.startswith("YAML syntax error")
        syntax = error if plain and isinstance(error, yaml.MarkedYAMLError) else None
        raise YamlFailure([located], syntax) from None


def _merge(mapping: dict[str, Any]) -> None:
    merged = mapping.pop("<<")
    sources = merged if isinstance(merged, list) else [merged]
    for source in sources:
        if isinstance(source, dict):
            for key, value in source.items():
                mapping.setdefault(key, value)


def _unknown_tag(event: ScalarEvent | CollectionStartEvent) -> Located:
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

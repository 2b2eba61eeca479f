"""Findings (diagnostics) and severities: small immutable records, sorted before output.

A rule reports an ``Issue`` (a code, a message and the path of the YAML node it is about);
the lint engine turns it into a ``Finding`` with the file, the 1-based line and column and
the configured severity. Nothing here reads files or prints.
"""

from __future__ import annotations

import difflib
import enum
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

PathPart = Union[str, int]
YamlPath = tuple[PathPart, ...]
#: control characters (C0, DEL, C1), line and paragraph separators, bidi controls (which
#: reorder what a reviewer sees: "Trojan Source") and zero-width characters (which hide text)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      "\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff]")
#: the most of a value a message quotes
EXCERPT = 80
#: the longest message a finding keeps (a last guard for anything that quotes too much)
MAX_MESSAGE = 1000


def printable(text: str) -> str:
    """``text`` on one line and inert in a terminal or CI log: control characters (a newline
    that would start a fake ``::error`` workflow command, an ANSI escape), bidi controls and
    zero-width characters shown as escapes (``\\x1b``, ``\\u202e``). Lone surrogates (from
    file names that are not UTF-8) become ``\\udcxx`` escapes so any encoding can print them."""
    shown = _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)
    if shown.isascii():
        return shown
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A short, printable excerpt of a value for a message: at most ``limit`` characters of
    its text, then an ellipsis; never the whole of a value that may hold a secret."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an integer of thousands of digits
        text = "(a number too long to show)"
    short = text[:limit] + ("…" if len(text) > limit else "")
    return printable(short)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Issue:
    """What a rule found, before it is placed in a file and given a severity.

    ``path`` addresses the YAML node (``("steps", 2, "role")``); ``at`` says whether the
    position is the node's value (default) or its key (for an unknown field).
    """

    code: str
    message: str
    path: YamlPath = ()
    at: Literal["value", "key"] = "value"


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", self.message[:MAX_MESSAGE] + "…")

    def __str__(self) -> str:
        return (f"{printable(self.file)}:{self.line}:{self.column}: {self.severity.value} "
                f"{self.code} {printable(self.message)}")

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


#: the most findings shown for one file; the rest are counted in one last finding
MAX_FINDINGS_PER_FILE = 200


def capped(findings: list[Finding]) -> list[Finding]:
    """``findings`` (sorted) with at most ``MAX_FINDINGS_PER_FILE`` per file, each file's
    rest summed up in one "… and N more" finding (190,000 unknown keys make 201 lines)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    if all(len(group) <= MAX_FINDINGS_PER_FILE for group in by_file.values()):
        return sorted(findings)
    out: list[Finding] = []
    for group in by_file.values():
        group.sort()
        kept, rest = group[:MAX_FINDINGS_PER_FILE], group[MAX_FINDINGS_PER_FILE:]
        out += kept
        if rest:
            worst = (Severity.ERROR if any(f.severity is Severity.ERROR for f in rest)
                     else Severity.WARNING)
            out.append(Finding(rest[0].file, rest[0].line, rest[0].column, rest[0].code,
                               f"… and {len(rest):,} more findings in this file (only the "
                               f"first {MAX_FINDINGS_PER_FILE} are shown)", worst))
    return sorted(out)


# --- naming things in diagnostics ---------------------------------------------------------


def display_path(path: Path) -> str:
    """The path as diagnostics and reports show it: relative to the working folder when below
    it, and printable (a name that is not UTF-8, or holds a newline or an escape, shows its
    odd characters as escapes), so every output format and encoding can carry it."""
    try:
        relative = os.path.relpath(path)
    except (ValueError, OSError):  # another drive, or no working folder
        return printable(os.fsdecode(path))
    return printable(os.fsdecode(path) if relative.startswith("..") else relative)


#: did-you-mean compares a name with at most this many candidates, and no longer names
DID_YOU_MEAN_CANDIDATES = 300
DID_YOU_MEAN_LENGTH = 100


def did_you_mean(name: str, options: Iterable[str] | Suggester) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``options``, or an empty string. Bounded:
    a long name gets no suggestion, and a long list of options is narrowed first
    (``Suggester``), so thousands of unknown names cost linear time."""
    suggester = options if isinstance(options, Suggester) else Suggester(options)
    close = suggester.closest(name)
    return f" (did you mean '{excerpt(close)}'?)" if close else ""


class Suggester:
    """The options of a did-you-mean, indexed by their first and last two characters: a
    typo seldom changes both ends, and a look-up compares at most
    ``DID_YOU_MEAN_CANDIDATES`` options with difflib."""

    def __init__(self, options: Iterable[str]) -> None:
        self.options = list(dict.fromkeys(options))
        self.by_end: dict[str, list[str]] = {}
        if len(self.options) > DID_YOU_MEAN_CANDIDATES:
            for option in self.options:
                for key in {"<" + option[:2], ">" + option[-2:]}:
                    self.by_end.setdefault(key, []).append(option)

    def closest(self, name: str) -> str | None:
        if len(name) > DID_YOU_MEAN_LENGTH:
            return None
        if self.by_end:
            candidates = list(dict.fromkeys(self.by_end.get("<" + name[:2], [])[:DID_YOU_MEAN_CANDIDATES]
                                            + self.by_end.get(">" + name[-2:], [])[:DID_YOU_MEAN_CANDIDATES]))
        else:
            candidates = self.options
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return close[0] if close else None

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


# --- naming things in diagnostics ---------------------------------------------------------


def display_path(path: Path) -> str:
    """The path as diagnostics show it: relative to the working folder when below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``options``, or an empty string."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

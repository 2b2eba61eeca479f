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
from typing import Literal

from procflow.edits import Fix

PathPart = str | int
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


def _encodable(text: str) -> str:
    """``text`` with lone surrogates as ``\\udcxx`` escapes, which every encoding can write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


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
    ``replacement``, when the right text is beyond doubt, is the YAML text that repairs the
    node (``"1.0.0"`` with its quotes, ``1h30m``): ``procflow fix`` writes it there.
    """

    code: str
    message: str
    path: YamlPath = ()
    at: Literal["value", "key"] = "value"
    replacement: str | None = None


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    #: the edits that repair it, when ``procflow fix`` can (procflow.edits)
    fix: Fix | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return (f"{printable(self.file)}:{self.line}:{self.column}: {self.severity.value} "
                f"{self.code} {printable(self.message)}")

    def __post_init__(self) -> None:
        # A message is text for people, shown in every format (JSON and SARIF too, which
        # escape C0 controls but not bidi or zero-width characters): it passes the printable
        # filter once, here, whatever a rule quoted (PF106 quotes the file name).
        message = printable(self.message)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + "…"
        if message is not self.message:
            object.__setattr__(self, "message", message)
        # A file name that is not UTF-8 carries lone surrogates into the file and the message
        # (PF106 quotes the name): escape them here, once, so no output format can fail on them.
        for name in ("file", "message"):
            text = getattr(self, name)
            if not text.isascii():
                object.__setattr__(self, name, _encodable(text))

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
    rest summed up in one last "… and N more" finding (190,000 unknown keys make 201 lines;
    a summary the loader made already counts what it did not place)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    if all(len(group) <= MAX_FINDINGS_PER_FILE and not any(map(_is_summary, group))
           for group in by_file.values()):
        return sorted(findings)
    out: list[Finding] = []
    for group in by_file.values():
        regular = sorted(f for f in group if not _is_summary(f))
        kept = regular[:MAX_FINDINGS_PER_FILE]
        rest = regular[MAX_FINDINGS_PER_FILE:] + [f for f in group if _is_summary(f)]
        out += kept
        if rest:
            worst = (Severity.ERROR if any(f.severity is Severity.ERROR for f in rest)
                     else Severity.WARNING)
            at = kept[-1] if kept else rest[0]
            more = sum(_counted(finding) for finding in rest)
            out.append(Finding(at.file, at.line, at.column, rest[0].code,
                               f"… and {more:,} more findings in this file (only the first "
                               f"{MAX_FINDINGS_PER_FILE} are shown)", worst))
    return sorted(out)


_MORE = re.compile(r"^… and ([\d,]+) more")


def _is_summary(finding: Finding) -> bool:
    return finding.message.startswith("… and ")


def _counted(finding: Finding) -> int:
    """How many findings one stands for: a summary made earlier ("… and N more") N."""
    match = _MORE.match(finding.message)
    return int(match.group(1).replace(",", "")) if match else 1


# --- naming things in diagnostics ---------------------------------------------------------


def count_noun(count: int, word: str) -> str:
    """``1 file``, ``2 files``: counts in procflow's own English messages (the pages, which
    speak the procedure's language, take their plurals from Babel in render.i18n)."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def display_path(path: Path) -> str:
    """The path as diagnostics and reports show it: relative to the working folder when below
    it, and printable (a name that is not UTF-8, or holds a newline or an escape, shows its
    odd characters as escapes), so every output format and encoding can carry it."""
    try:
        relative = os.path.relpath(path)
    except (ValueError, OSError):  # another drive, or no working folder
        return printable(os.fsdecode(path))
    return printable(os.fsdecode(path) if relative.startswith("..") else relative)


#: did-you-mean compares a name with at most this many options, and no longer names
DID_YOU_MEAN_CANDIDATES = 60
DID_YOU_MEAN_LENGTH = 100


def did_you_mean(name: str, options: Iterable[str] | Suggester) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``options``, or an empty string. Bounded:
    a long name gets no suggestion, and a long list of options is narrowed first
    (``Suggester``), so thousands of unknown names cost linear time."""
    suggester = options if isinstance(options, Suggester) else Suggester(options)
    close = suggester.closest(name)
    return f" (did you mean '{excerpt(close)}'?)" if close else ""


class Suggester:
    """The options of a did-you-mean, indexed by their first or last two characters and
    their length: a typo seldom changes both ends or the length by more than two, and a
    look-up compares at most ``DID_YOU_MEAN_CANDIDATES`` options with difflib (whose cost
    grows fast on many near-identical ids)."""

    _PER_KEY = DID_YOU_MEAN_CANDIDATES // 10  # 2 ends x 5 lengths

    def __init__(self, options: Iterable[str]) -> None:
        self.options = list(dict.fromkeys(options))
        self.index: dict[tuple[str, int], list[str]] = {}
        if len(self.options) > DID_YOU_MEAN_CANDIDATES:
            for option in self.options:
                for key in {("<" + option[:2], len(option)), (">" + option[-2:], len(option))}:
                    self.index.setdefault(key, []).append(option)

    def closest(self, name: str) -> str | None:
        if len(name) > DID_YOU_MEAN_LENGTH:
            return None
        candidates = self.options
        if self.index:
            found: dict[str, None] = {}
            for length in range(len(name) - 2, len(name) + 3):
                for end in ("<" + name[:2], ">" + name[-2:]):
                    found.update(dict.fromkeys(self.index.get((end, length), [])[:self._PER_KEY]))
            candidates = list(found)
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return close[0] if close else None

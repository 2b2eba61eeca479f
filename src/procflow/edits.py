"""Text edits that repair a finding: where they apply and what they write.

A ``Fix`` is what ``procflow fix`` applies and what SARIF output carries (``fixes``): a few
replacements of exact character ranges, so a fix touches only the bytes that change and
keeps comments, order and formatting. Lines and columns are 1-based and count characters,
like the findings; an edit's end is exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A repair of one finding: what it does, in words, and the edits that do it."""

    description: str
    edits: tuple[Edit, ...]


def line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts (index 0 is line 1)."""
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def apply(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    """``text`` with as many of ``fixes`` applied as do not overlap an earlier one (in the
    order given), and the fixes applied. Edits are applied from the end of the text, so the
    offsets of the others stay true."""
    starts = line_starts(text)
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, str]] = []
    applied: list[Fix] = []
    for fix in fixes:
        spans = [(offset(starts, e.line, e.column), offset(starts, e.end_line, e.end_column),
                  e.text) for e in fix.edits]
        if any(_overlap(begin, stop, start, end) for begin, stop, _ in spans
               for start, end in taken):
            continue
        taken += [(begin, stop) for begin, stop, _ in spans]
        chosen += spans
        applied.append(fix)
    for begin, stop, replacement in sorted(chosen, reverse=True):
        text = text[:begin] + replacement + text[stop:]
    return text, applied


def _overlap(begin: int, stop: int, start: int, end: int) -> bool:
    """Whether two ranges share a character, or are insertions at one place."""
    return (begin < end and start < stop) or begin == start

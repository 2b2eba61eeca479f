"""``--format text``: ``file:line:col``, severity, code, message, then the source line with a
caret under the column. Colour only on a terminal; rich honours ``NO_COLOR``."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from procflow.findings import Finding, count_noun, printable
from procflow.lint import ValidationResult
from procflow.roots import link_outside

_STYLE = {"error": "bold red", "warning": "yellow"}


def _source_lines(file: str) -> tuple[str, ...]:
    if link_outside(Path(file)) is not None:  # its findings say why; never quote it
        return ()
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):  # a pipe would block: nothing to quote
            return ()
        with open(file, encoding="utf-8-sig", errors="replace") as handle:
            return tuple(handle.read(2_000_000).splitlines())
    except OSError:
        return ()


#: the most of a source line shown around a finding's column, before and after it
_WINDOW = 60


def _snippet(finding: Finding, lines: tuple[str, ...]) -> tuple[str, str] | None:
    """The finding's source line and a caret under its column, from the file's ``lines``:
    a short window of the line around the column (a long line may hold a secret, and the
    caret must stay under the column that libyaml named, however far along the line)."""
    if not 0 < finding.line <= len(lines):
        return None
    line = lines[finding.line - 1].replace("\t", " ")
    at = min(max(finding.column - 1, 0), len(line))
    start = max(at - _WINDOW, 0)
    before = ("…" if start else "") + printable(line[start:at])
    after = printable(line[at:at + _WINDOW]) + ("…" if len(line) > at + _WINDOW else "")
    gutter = f"{finding.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * len(before) + "^"
    return gutter + before + after, caret


def summary(result: ValidationResult) -> str:
    if not result.findings:
        return f"All good: {count_noun(result.files, 'file')} checked, no problems."
    fixable = sum(1 for finding in result.findings if finding.fix is not None)
    repair = f" {fixable} of them marked fixable: procflow fix repairs those." if fixable else ""
    return (f"{count_noun(result.errors, 'error')}, {count_noun(result.warnings, 'warning')} in "
            f"{count_noun(result.files, 'file')}.{repair}")


def plain_lines(result: ValidationResult) -> Iterator[str]:
    for finding in result.findings:
        yield str(finding)
    yield summary(result)


def report(result: ValidationResult, stream: TextIO) -> None:
    from procflow.markup.terminal import line_writer

    write = line_writer(stream)
    shown: str | None = None  # the file whose lines are at hand (findings come sorted by file)
    lines: tuple[str, ...] = ()
    for finding in result.findings:
        if finding.file != shown:
            shown, lines = finding.file, _source_lines(finding.file)
        style = _STYLE[finding.severity.value]
        write([(f"{printable(finding.file)}:{finding.line}:{finding.column}", "bold"),
               (": ", ""), (finding.severity.value, style), (" ", ""),
               (finding.code, "cyan"), (" ", ""), (printable(finding.message), ""),
               *([(" ", ""), ("[fixable]", "dim")] if finding.fix is not None else [])], None)
        snippet = _snippet(finding, lines)
        if snippet:
            write([(snippet[0], "")], "dim")
            write([(snippet[1], "")], style)
    write([(summary(result), "")], "bold" if result.findings else "green")

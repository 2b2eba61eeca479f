"""``--format github``: GitHub Actions workflow commands, then the plain lines.

GitHub shows at most 10 error and 10 warning annotations per step, so the plain report
follows the annotations and nothing is lost in the log.
"""

from __future__ import annotations

from typing import TextIO

from procflow.findings import printable
from procflow.lint import ValidationResult
from procflow.report.text import plain_lines


def escape_data(text: str) -> str:
    """Text inert in a workflow command: control, bidi and zero-width characters shown as
    escapes (no ESC, BEL or OSC sequence reaches the log), then GitHub's own escapes."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: ValidationResult, stream: TextIO) -> None:
    for finding in result.findings:
        properties = ",".join([
            f"file={escape_property(finding.file)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={escape_property(f'procflow {finding.code}')}",
        ])
        stream.write(f"::{finding.severity.value} {properties}::{escape_data(finding.message)}\n")
    for line in plain_lines(result):
        stream.write(line + "\n")

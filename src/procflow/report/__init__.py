"""Reporters: one per output format of ``procflow validate``, chosen by name from ``FORMATS``.

A reporter turns a ``ValidationResult`` into text on a stream; reporters are the only code
that writes findings to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from procflow.lint import ValidationResult

Reporter = Callable[[ValidationResult, TextIO], None]


def _text(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report.text import report

    report(result, stream)


def _json(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report.json_report import report

    report(result, stream)


def _github(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report.github import report

    report(result, stream)


def _sarif(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report.sarif import report

    report(result, stream)


FORMATS: dict[str, Reporter] = {"text": _text, "json": _json, "github": _github, "sarif": _sarif}

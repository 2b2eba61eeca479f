"""Reporters: one per output format of ``procflow validate``, chosen by name from ``FORMATS``.

A reporter turns a ``ValidationResult`` into text on a stream; reporters are the only code
that writes findings to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from procflow.lint import ValidationResult
from procflow.report import github, json_report, sarif, text

Reporter = Callable[[ValidationResult, TextIO], None]

FORMATS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_report.report,
    "github": github.report,
    "sarif": sarif.report,
}

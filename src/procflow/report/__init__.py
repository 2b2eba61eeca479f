"""Reporters: one per output format of ``procflow validate``, chosen by name from ``FORMATS``.

A reporter turns a ``ValidationResult`` into text on a stream; reporters are the only code
that writes findings to the terminal. Each format's module is imported when it writes, so a
run loads only the one it was asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from procflow.lint import ValidationResult

Reporter = Callable[[ValidationResult, TextIO], None]


def _reporter(module: str) -> Reporter:
    """The ``report`` function of ``procflow.report.<module>``, imported at its first call."""

    def report(result: ValidationResult, stream: TextIO) -> None:
        chosen: Reporter = importlib.import_module(f"procflow.report.{module}").report
        chosen(result, stream)

    report.__qualname__ = f"{module}.report"
    return report


FORMATS: dict[str, Reporter] = {
    "text": _reporter("text"),
    "json": _reporter("json_report"),
    "github": _reporter("github"),
    "sarif": _reporter("sarif"),
}

"""Reporters: one per output format of ``procflow validate``, chosen by name from ``FORMATS``.

Like every reporter (diff's in ``procflow.diff.output``, review's in ``procflow.review``), a
reporter writes a result to a stream: ``reporter(result, stream)``; reporters are the only
code that writes findings to the terminal. Each format's module is imported when it writes,
so a run loads only the one it was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from procflow.lint import ValidationResult

Reporter = Callable[[ValidationResult, TextIO], None]


def _text(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report import text

    text.report(result, stream)


def _json(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report import json_report

    json_report.report(result, stream)


def _github(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report import github

    github.report(result, stream)


def _sarif(result: ValidationResult, stream: TextIO) -> None:
    from procflow.report import sarif

    sarif.report(result, stream)


FORMATS: dict[str, Reporter] = {"text": _text, "json": _json, "github": _github,
                                "sarif": _sarif}

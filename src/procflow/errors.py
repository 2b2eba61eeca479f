"""The exceptions the library raises for the CLI to turn into one-line messages and exit codes.

Each carries what the user needs to fix the problem; none of them is a bug (a bug is any other
exception, which the CLI reports as an internal error, exit 3).
"""

from __future__ import annotations

from collections.abc import Sequence


class ProcflowError(Exception):
    """A problem with how procflow was called or with its environment: exit code 2."""

    exit_code = 2


class UsageError(ProcflowError):
    """Bad arguments: no such file, a bad option value, an unknown revision."""


class EnvironmentProblem(ProcflowError):
    """Something this machine lacks, such as a diagram engine."""


class LoadFailed(ProcflowError):
    """An input that must load (for render or diff) does not; ``findings`` say why."""

    def __init__(self, message: str, findings: Sequence[object]) -> None:
        super().__init__(message)
        self.findings = list(findings)

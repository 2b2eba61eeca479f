"""Command-line entry point: the typer app with every command registered.

The commands live one module each beside this file; they parse options, call the library
core and map the result to an exit code (see ``procflow.cli.app.command`` for the error
policy: a ``ProcflowError`` is exit 2, any other exception a bug, exit 3).
"""

from __future__ import annotations

from procflow.cli import (  # noqa: F401  (importing registers them)
    diff,
    render,
    report,
    rules,
    sla,
    tools,
    validate,
)
from procflow.cli.app import app
from procflow.entry import main

__all__ = ["app", "main"]

"""Command-line interface: the typer app with every command registered.

The commands live one module each beside this file; they parse options (the shared ones are
declared once in ``options``), call the library core and map the result to an exit code (see
``procflow.cli.app.command`` for the error policy: a ``ProcflowError`` is exit 2, any other
exception a bug, exit 3). The console script is ``procflow.__main__:main``.
"""

from __future__ import annotations

# Importing a command module registers its commands; --help lists them in this order.
# isort: off
from procflow.cli import validate, fix, render, diff, review, rules  # noqa: F401
from procflow.cli import codeowners, scaffold, schema, sla, report  # noqa: F401
# isort: on
from procflow.cli.app import app

__all__ = ["app"]

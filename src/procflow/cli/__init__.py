"""Command-line interface: the typer app (``procflow.cli.app``) and one module per command.

The commands live one module each beside this file; they parse options (the shared ones are
declared once in ``options``), call the library core and map the result to an exit code (see
``procflow.cli.app.command`` for the error policy: a ``ProcflowError`` is exit 2, any other
exception a bug, exit 3). A command's module is imported when the command is used: the table
``procflow.cli.app.COMMANDS`` names each command's module and summary, in --help order. The
console script is ``procflow.__main__:main``.
"""

from __future__ import annotations

from procflow.cli.app import app

__all__ = ["app"]

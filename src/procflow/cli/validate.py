"""``procflow validate``: check procedure files; exit 1 when errors (or, with --strict,
warnings) are found."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from procflow.cli.app import command, parse_today


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@command()
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Procedure files or folders (default: the project's procedures/ folder).",
        show_default=False),
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--format", "-f",
        help="text for people, json for scripts, github for Actions annotations, sarif for "
        "code scanning. Example: --format github"),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too. Example: --strict"),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="The date to check review due dates against (PF104). Example: --today 2026-12-01"),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1,
        help="Processes to use for many files (default: up to 2). Example: --jobs 1"),
) -> None:
    """Check procedures: YAML safety, the schema, references, the flow and good practice.

    Example: procflow validate procedures/ --format github --strict
    """
    import sys

    from procflow.lint import validate as run_validation
    from procflow.report import FORMATS

    result = run_validation(paths or [], today=parse_today(today), jobs=jobs)
    FORMATS[output_format.value](result, sys.stdout)
    raise typer.Exit(result.exit_code(strict))

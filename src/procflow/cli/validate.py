"""``procflow validate``: check procedure files; exit 1 when errors (or, with --strict,
warnings) are found."""

from __future__ import annotations

import typer

from procflow.cli.app import command, emit
from procflow.cli.options import Jobs, Paths, Today, format_option

FORMATS = ("text", "json", "github", "sarif")  # procflow.report.FORMATS, without importing it


@command()
def validate(
    today: Today,
    paths: Paths = None,
    output_format: str = format_option(
        FORMATS, "text", help="text for people, json for scripts, github for Actions "
        "annotations, sarif for code scanning. Example: --format github"),
    strict: bool = typer.Option(
        False, "--strict", help="Fail (exit 1) on warnings too. Example: --strict"),
    jobs: Jobs = None,
    fix: bool = typer.Option(
        False, "--fix", help="First apply the mechanical fixes in place (as procflow fix "
        "does), then report what is left. Example: --fix"),
) -> None:
    """Check procedures: YAML safety, the schema, references, the flow and good practice.

    Example: procflow validate procedures/ --format github --strict
    """
    from procflow.lint import validate as run_validation
    from procflow.report import FORMATS as REPORTERS

    if fix:
        from procflow.fix import fix_files

        fix_files(paths or [], today=today)
    result = run_validation(paths or [], today=today, jobs=jobs)
    emit(REPORTERS[output_format], result, fmt=output_format)
    raise typer.Exit(result.exit_code(strict))

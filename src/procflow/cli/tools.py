"""The commands that fit procflow into a team's tools: ``schema`` (editors), ``init`` and
``new`` (scaffolding), ``codeowners`` (review routing) and ``review`` (review reminders).

Each one parses options and calls the library (``procflow.schema``, ``procflow.scaffold``,
``procflow.codeowners``, ``procflow.review``), imported inside the function.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from procflow.cli.app import command, parse_today


class Starter(str, Enum):
    """The starters in ``procflow/starters/`` (a test keeps this list in sync)."""

    blank = "blank"
    complaint = "complaint"
    internal_request = "internal-request"
    phone_request = "phone-request"


class ReviewFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


def _say(message: str) -> None:
    """Narration on stderr, with control characters from file names or YAML made inert."""
    from procflow.findings import printable

    typer.echo(printable(message), err=True)


def _shown(path: Path) -> str:
    from procflow.findings import display_path

    return display_path(path)


@command()
def schema(
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False,
        help="Write the schema to this file instead of printing it. "
        "Example: --output schema/procedure.schema.json"),
) -> None:
    """Print the JSON Schema (draft 2020-12) of a procedure file, for editor completion.

    Point the editor at it with a first line such as
    '# yaml-language-server: $schema=../schema/procedure.schema.json'.

    Example: procflow schema --output schema/procedure.schema.json
    """
    from procflow.safe_write import write_text
    from procflow.schema import schema_text

    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    write_text(output, text)
    _say(f"wrote {_shown(output)}")


@command()
def init(
    folder: Path = typer.Argument(
        Path("."), metavar="DIR",
        help="The repository folder to set up (default: the current folder). Example: my-team"),
    gitlab: bool = typer.Option(
        False, "--gitlab", help="Also write a GitLab CI pipeline (.gitlab-ci.yml). "
        "Example: procflow init --gitlab"),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="The last-review date for the starter procedure. Example: --today 2026-12-01"),
) -> None:
    """Set up procflow in a repository: procflow.yaml, procedures/ with a starter procedure,
    a pre-commit config and a GitHub Actions workflow. Existing files are never overwritten:
    they are listed as skipped.

    Example: procflow init --gitlab
    """
    from procflow.scaffold import init_project

    outcomes = init_project(folder, gitlab=gitlab, today=parse_today(today))
    for outcome in outcomes:
        if outcome.skipped:
            _say(f"skipped {_shown(outcome.path)}: {outcome.skipped}")
        else:
            _say(f"created {_shown(outcome.path)}")
    _say("next: pre-commit install; procflow new my-procedure --from complaint; procflow validate")


@command()
def new(
    procedure_id: str = typer.Argument(
        ..., metavar="ID", help="The new procedure's id: lowercase letters, digits and hyphens. "
        "Example: complaint-handling"),
    starter: Starter = typer.Option(
        Starter.blank, "--from", help="The starter to copy. Example: --from complaint"),
    folder: Path | None = typer.Option(
        None, "--dir", file_okay=False,
        help="The folder to write into (default: the project's procedures/ folder). "
        "Example: --dir procedures/sales"),
    title: str | None = typer.Option(
        None, "--title", help="The title (default: made from the id). "
        "Example: --title 'Complaint handling'"),
    handle: str | None = typer.Option(
        None, "--handle", help="The owner's git host user or team, for CODEOWNERS. "
        "Example: --handle @acme/cs-quality"),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="The last-review date to write. Example: --today 2026-12-01"),
) -> None:
    """Write procedures/ID.yaml from a starter: version 0.1.0, status draft, a review date,
    and the owner from git config user.name and user.email.

    Starters: blank, phone-request, complaint, internal-request.

    Example: procflow new complaint-handling --from complaint --handle @acme/cs-quality
    """
    from procflow.scaffold import new_procedure

    path, hints = new_procedure(procedure_id, folder or _procedures_dir(), starter=starter.value,
                                title=title, handle=handle, today=parse_today(today))
    _say(f"created {_shown(path)}")
    for hint in hints:
        _say(f"note: {hint}")


def _procedures_dir() -> Path:
    from procflow.project import project_for

    return project_for(Path.cwd()).procedures_dir or Path("procedures")


@command()
def codeowners(
    write: bool = typer.Option(
        False, "--write", help="Update the CODEOWNERS file in place instead of printing the "
        "block. Example: procflow codeowners --write"),
    file: Path | None = typer.Argument(
        None, metavar="FILE", dir_okay=False, show_default=False,
        help="With --write: the CODEOWNERS file (default: the existing one in .github/, the "
        "root, docs/ or .gitlab/, else .github/CODEOWNERS). Example: docs/CODEOWNERS"),
    folder: Path | None = typer.Option(
        None, "--dir", file_okay=False,
        help="The procedures folder (default: the project's procedures/ folder). "
        "Example: --dir procedures"),
) -> None:
    """Print, or with --write update, the CODEOWNERS block that makes each procedure's owner
    (owner.handle) the reviewer of changes to its file. Only the lines between the
    '# BEGIN procflow' and '# END procflow' markers change. Procedures without a handle are
    listed on stderr.

    Example: procflow codeowners --write .github/CODEOWNERS
    """
    from procflow import codeowners as owners
    from procflow.errors import UsageError
    from procflow.procedures import load_procedures

    if file is not None and not write:
        raise UsageError("a CODEOWNERS FILE is only used with --write; "
                         f"run: procflow codeowners --write {file}")
    procedures_dir = folder or _procedures_dir()
    documents = load_procedures([procedures_dir])
    root = owners.repository_root(procedures_dir)
    result = owners.block(((d.model, d.path) for d in documents if d.model), root)
    for shown, name in result.missing:
        _say(f"no owner.handle, so no CODEOWNERS line: {shown} (owner {name})")
    if not write:
        typer.echo(result.text, nl=False)
        return
    target = file or owners.default_file(root)
    changed = owners.update(target, result.text, root)
    _say(f"updated {_shown(target)}" if changed else f"{_shown(target)} is up to date")


@command()
def review(
    paths: list[Path] = typer.Argument(
        None, help="Procedure files or folders (default: the project's procedures/ folder). "
        "Example: procedures/", show_default=False),
    within: int = typer.Option(
        30, "--within", min=0, metavar="DAYS",
        help="Also list reviews due within this many days. Example: --within 60"),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD",
        help="The date to count from instead of today. Example: --today 2026-12-01"),
    output_format: ReviewFormat = typer.Option(
        ReviewFormat.text, "--format", "-f",
        help="text for people, md for an issue or a wiki page, json for scripts. "
        "Example: --format md"),
    fail_overdue: bool = typer.Option(
        False, "--fail-overdue", help="Exit 1 when any review is overdue, for a scheduled CI "
        "job. Example: procflow review --fail-overdue"),
) -> None:
    """List procedures whose periodic review is overdue or due soon (review.last +
    review.every), and active ones with no review date, grouped by owner.

    Example: procflow review --within 30 --format md --fail-overdue
    """
    import datetime as dt
    import sys

    from procflow import review as reviews
    from procflow.procedures import load_procedures

    documents = load_procedures(paths or [])
    result = reviews.schedule(((d.model, d.display) for d in documents if d.model),
                              parse_today(today) or dt.date.today(), within)
    reviews.FORMATS[output_format.value](result, sys.stdout)
    if fail_overdue and result.overdue:
        raise typer.Exit(1)

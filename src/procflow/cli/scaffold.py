"""``procflow init`` and ``procflow new``: set up a repository, start a procedure from a
starter (the library side is ``procflow.scaffold``)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from procflow.cli.app import command, say
from procflow.cli.options import Today, deprecated, output_option


class Starter(str, Enum):
    """The starters in ``procflow/starters/`` (a test keeps this list in sync)."""

    blank = "blank"
    complaint = "complaint"
    internal_request = "internal-request"
    phone_request = "phone-request"


class CiHost(str, Enum):
    github = "github"
    gitlab = "gitlab"
    both = "both"


@command()
def init(
    today: Today,
    folder: Path = typer.Argument(
        Path("."), metavar="DIR",
        help="The repository folder to set up (default: the current folder). Example: my-team"),
    ci: CiHost = typer.Option(
        "github", "--ci", help="The CI to write: github (.github/workflows/procflow.yml), "
        "gitlab (.gitlab-ci.yml) or both. Example: --ci gitlab"),
    gitlab: bool = deprecated(
        "--gitlab", "--ci both (or --ci gitlab for GitLab only)", "--ci both", default=False),
    install: str | None = typer.Option(
        None, "--install", metavar="SPEC", show_default=False,
        help="What the written CI installs procflow from: a requirement, a git URL at a "
        "revision or a path (default: what installed this procflow, when pip recorded it, "
        "else procflow==<this version>). Example: --install "
        "'git+https://github.com/acme/procflow@v0.1.0'"),
) -> None:
    """Set up procflow in a repository: procflow.yaml, procedures/ with a starter procedure,
    a pre-commit config and a CI workflow (--ci). Existing files are never overwritten:
    they are listed as skipped.

    Example: procflow init --ci both
    """
    from procflow.findings import display_path
    from procflow.scaffold import init_project

    outcomes = init_project(folder, ci="both" if gitlab else ci.value, today=today,
                            install=install)
    for outcome in outcomes:
        if outcome.skipped:
            say(f"skipped {display_path(outcome.path)}: {outcome.skipped}")
        else:
            say(f"created {display_path(outcome.path)}")
    say("next: pre-commit install; procflow new my-procedure --from complaint; procflow validate")


@command()
def new(
    today: Today,
    procedure_id: str = typer.Argument(
        ..., metavar="ID", help="The new procedure's id: lowercase letters, digits and hyphens. "
        "Example: complaint-handling"),
    starter: Starter = typer.Option(
        Starter.blank, "--from", help="The starter to copy. Example: --from complaint"),
    output: Path | None = output_option(
        "The folder to write ID.yaml into (default: the project's procedures/ folder). "
        "Example: -o procedures/sales", folder=True),
    title: str | None = typer.Option(
        None, "--title", help="The title (default: made from the id). "
        "Example: --title 'Complaint handling'"),
    handle: str | None = typer.Option(
        None, "--handle", help="The owner's git host user or team, for CODEOWNERS. "
        "Example: --handle @acme/cs-quality"),
    old_dir: Path | None = deprecated("--dir", "-o/--output", "-o procedures/sales",
                                      file_okay=False, metavar="DIR"),
) -> None:
    """Write procedures/ID.yaml from a starter: version 0.1.0, status draft, a review date,
    and the owner from git config user.name and user.email.

    Starters: blank, phone-request, complaint, internal-request.

    Example: procflow new complaint-handling --from complaint --handle @acme/cs-quality
    """
    from procflow.errors import UsageError
    from procflow.findings import display_path
    from procflow.procedures import default_folder
    from procflow.scaffold import new_procedure

    if output is not None and old_dir is not None:
        raise UsageError("give the folder once, with -o/--output (--dir is its old spelling)")
    folder = output or old_dir or default_folder(Path.cwd())
    path, hints = new_procedure(procedure_id, folder,
                                starter=starter.value,
                                title=title, handle=handle, today=today)
    say(f"created {display_path(path)}")
    for hint in hints:
        say(f"note: {hint}")

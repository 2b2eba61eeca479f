"""``procflow diff``: what a change to procedures means, and ``procflow git-diff-driver``,
the same as git's external diff program. Parses options, calls ``procflow.diff``, writes
the report, maps the result to an exit code. Only typer is imported at the top."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from procflow.cli.app import command, emit
from procflow.cli.completion import git_revisions
from procflow.cli.options import Today, format_option, output_option, real_today

if TYPE_CHECKING:
    from procflow.diff.changes import DiffReport


FORMATS = ("text", "md", "json", "html")  # procflow.diff.output.FORMATS, without importing it


@command("diff")
def diff(
    today: Today,
    paths: list[Path] | None = typer.Argument(
        None, metavar="OLD NEW | PATH", show_default=False,
        help="Two files or two folders to compare (procedures paired by id); with --base, "
             "the files or folders to limit the diff to. Example: old/ new/"),
    base: str | None = typer.Option(
        None, "--base", metavar="REV", autocompletion=git_revisions,
        help="Compare the procedures at git revision REV with the working tree (or --head). "
             "Example: --base origin/main"),
    head: str | None = typer.Option(
        None, "--head", metavar="REV2", autocompletion=git_revisions,
        help="With --base: compare with revision REV2, not the working tree. Example: --head HEAD"),
    fmt: str = format_option(FORMATS, "text", help="text, md (pull-request comment), json or "
                             "html (a page with the change diagram). Example: --format md"),
    output: Path | None = output_option(
        "The file to write the report to, whole, instead of standard output. "
        "Example: --format html -o diff.html"),
    exit_code: bool = typer.Option(
        False, "--exit-code",
        help="Exit 1 when the diff is not empty. Example: procflow diff --base HEAD --exit-code"),
    check_version: bool = typer.Option(
        False, "--check-version",
        help="Exit 1 when a changed procedure's version bump is smaller than its changes "
             "need (major for breaking, minor for notable, patch for cosmetic). "
             "Example: --base origin/main --check-version"),
) -> None:
    """Show what a change to procedures means: steps, roles, SLAs, escalations, who is
    affected, and the version bump it needs.

    Example: procflow diff --base origin/main --format md procedures/ (or two files or
    folders: procflow diff old.yaml new.yaml)

    Exit codes: 0 done; 1 with --exit-code a diff that is not empty, or with
    --check-version a version that does not follow its changes; 2 usage error, unknown git
    revision or a file that does not load (diagnostics on stderr).
    """
    from procflow.diff.output import FORMATS as REPORTERS
    from procflow.diff.version import version_problems
    from procflow.errors import UsageError
    from procflow.findings import printable

    if head is not None and base is None:
        raise UsageError("--head needs --base (procflow diff --base REV --head REV2)")
    # a side that does not load raises LoadFailed: the command wrapper prints its findings
    report = _report(paths or [], base, head, today, keep_models=fmt == "html")
    problems = version_problems(report) if check_version else []
    emit(REPORTERS[fmt], report, output, fmt=fmt)
    for problem in problems:
        typer.echo(printable(f"procflow: {problem}"), err=True)
    failed = (exit_code and not report.is_empty) or bool(problems)
    raise typer.Exit(1 if failed else 0)


def _report(paths: list[Path], base: str | None, head: str | None, today: dt.date,
            keep_models: bool) -> DiffReport:
    from procflow.diff import diff_paths, diff_revisions
    from procflow.errors import UsageError

    if base is not None:
        return diff_revisions(base, head, paths, Path.cwd(), today=today,
                              keep_models=keep_models)
    if len(paths) != 2:
        raise UsageError("give OLD and NEW (two files or two folders), or --base REV "
                         "[--head REV2] [PATH...]")
    return diff_paths(paths[0], paths[1], today=today, keep_models=keep_models)


@command("git-diff-driver", hidden=True, context_settings={
    "ignore_unknown_options": True, "allow_interspersed_args": False, "help_option_names": []})
def git_diff_driver(ctx: typer.Context, args: list[str] | None = typer.Argument(
        None, help="What git passes: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE. "
        "Example: git config diff.procflow.command 'procflow git-diff-driver'")) -> None:
    """git's external diff program for procedure files (see the README); always exits 0.

    Example: git config diff.procflow.command 'procflow git-diff-driver'
    """
    import os
    import sys

    if args in (["--help"], ["-h"]):  # git passes seven arguments, never these alone
        typer.echo(ctx.get_help())
        raise typer.Exit(0)

    from rich.text import Text

    from procflow.markup.terminal import console

    try:
        from procflow.diff.gitdriver import driver_text

        shown = driver_text(args or [], real_today())  # git passes no options
    except Exception as error:  # noqa: BLE001  git treats any exit but 0 as fatal
        from procflow.findings import excerpt

        shown = Text(f"procflow: could not diff {excerpt(' '.join(args or []), 200)}: "
                     f"{excerpt(str(error), 300)}\n")
    pager = bool(os.environ.get("GIT_PAGER_IN_USE"))
    console(sys.stdout, terminal=pager or None).print(shown, end="")
    raise typer.Exit(0)

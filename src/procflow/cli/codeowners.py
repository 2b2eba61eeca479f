"""``procflow codeowners``: the CODEOWNERS block that routes each procedure's changes to its
owner (the library side is ``procflow.codeowners``)."""

from __future__ import annotations

from pathlib import Path

import typer

from procflow.cli.app import command, say


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
    from procflow.findings import display_path
    from procflow.procedures import default_folder, load_procedures

    if file is not None and not write:
        raise UsageError("a CODEOWNERS FILE is only used with --write; "
                         f"run: procflow codeowners --write {file}")
    procedures_dir = folder or default_folder(Path.cwd())
    documents = load_procedures([procedures_dir])
    root = owners.repository_root(procedures_dir)
    result = owners.block(((d.model, d.path) for d in documents if d.model), root)
    for shown, name in result.missing:
        say(f"no owner.handle, so no CODEOWNERS line: {shown} (owner {name})")
    if not write:
        typer.echo(result.text, nl=False)
        return
    target = file or owners.default_file(root)
    changed = owners.update(target, result.text, root)
    say(f"updated {display_path(target)}" if changed else f"{display_path(target)} is up to date")

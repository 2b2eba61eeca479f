"""``procflow codeowners``: the CODEOWNERS block that routes each procedure's changes to its
owner (the library side is ``procflow.codeowners``)."""

from __future__ import annotations

from pathlib import Path

import typer

from procflow.cli.app import command, say
from procflow.cli.options import Paths, deprecated, output_option

#: the one name git hosts read a CODEOWNERS file by (GitHub and GitLab alike)
CODEOWNERS = "CODEOWNERS"


@command()
def codeowners(
    paths: Paths = None,
    output: Path | None = output_option(
        "The CODEOWNERS file to update in place, between its procflow markers (implies "
        "--write). Example: -o docs/CODEOWNERS"),
    write: bool = typer.Option(
        False, "--write", help="Update the CODEOWNERS file in place instead of printing the "
        "block: -o, else the existing one in .github/, the root, docs/ or .gitlab/, else "
        ".github/CODEOWNERS. Example: procflow codeowners --write"),
    old_dir: Path | None = deprecated(
        "--dir", "PATHS (procflow codeowners procedures/)", "procflow codeowners procedures/",
        file_okay=False, metavar="DIR"),
) -> None:
    """Print, or with --write (or -o FILE) update, the CODEOWNERS block that makes each
    procedure's owner (owner.handle) the reviewer of changes to its file. Only the lines
    between the '# BEGIN procflow' and '# END procflow' markers change. Procedures without a
    handle are listed on stderr.

    Example: procflow codeowners procedures/ --write
    """
    from procflow import codeowners as owners
    from procflow.findings import display_path
    from procflow.procedures import load_procedures

    given = [*(paths or []), *([old_dir] if old_dir else [])]
    procedures, old_file = _old_file_argument(given)
    if old_file is not None:
        output = _from_old_file(old_file, output, write)
    target = _checked_target(output)
    documents = load_procedures(procedures)
    root = owners.repository_root(procedures[0] if procedures else Path.cwd())
    result = owners.block(((d.model, d.path) for d in documents if d.model), root)
    for shown, name in result.missing:
        say(f"no owner.handle, so no CODEOWNERS line: {shown} (owner {name})")
    if target is None and not write:
        typer.echo(result.text, nl=False)
        return
    target = target or owners.default_file(root)
    changed = owners.update(target, result.text, root)
    say(f"updated {display_path(target)}" if changed else f"{display_path(target)} is up to date")


def _old_file_argument(paths: list[Path]) -> tuple[list[Path], Path | None]:
    """Split the old spelling ``codeowners --write FILE`` off the procedure PATHS.

    A positional is the old CODEOWNERS FILE when it is named CODEOWNERS and is not a folder:
    git hosts read no other name, and a procedure file is always *.yaml or *.yml, so the rule
    can never take a procedure for the CODEOWNERS file. Every other positional is a PATH."""
    old = [path for path in paths if path.name == CODEOWNERS and not path.is_dir()]
    if len(old) > 1:
        from procflow.errors import UsageError

        raise UsageError("more than one CODEOWNERS file given; name the one to update with "
                         "-o/--output")
    return [path for path in paths if path not in old], (old[0] if old else None)


def _from_old_file(old_file: Path, output: Path | None, write: bool) -> Path:
    """The old positional FILE, read as -o FILE (it only ever counted with --write)."""
    from procflow.errors import UsageError

    if output is not None:
        raise UsageError(f"two CODEOWNERS files given ({old_file} and -o {output}); "
                         "name one with -o/--output")
    if not write:
        raise UsageError("a CODEOWNERS file is named with -o/--output; "
                         f"run: procflow codeowners -o {old_file}")
    say(f"procflow: note: a CODEOWNERS FILE argument is deprecated; use -o/--output {old_file}")
    return old_file


def _checked_target(output: Path | None) -> Path | None:
    """-o as given, refused when it names a procedure file: the block never overwrites one."""
    from procflow.errors import UsageError
    from procflow.procedures import PROCEDURE_SUFFIXES

    if output is not None and output.name.endswith(PROCEDURE_SUFFIXES):
        raise UsageError(f"-o {output} names a YAML file, not a CODEOWNERS file; procedures "
                         f"are PATHS (procflow codeowners {output} --write), the CODEOWNERS "
                         "file is -o")
    return output

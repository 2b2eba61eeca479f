"""The options several commands share, each declared once: the procedure ``PATHS``,
``--today``, ``--jobs``, ``-f/--format``, ``-o/--output`` and the hidden old spellings kept
working (``deprecated``).

Each is decided here, at the CLI boundary: ``--today`` is parsed and defaulted to the real
date in one place, so the library always receives a ``datetime.date``; ``--jobs`` is checked
once; ``--format`` reads a comma list the same way in every command. Commands use the fixed
ones as type annotations (``paths: Paths = None``, ``today: Today``) and the ones whose help
says what they are in that command as defaults (``output: Path | None = output_option(...)``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from procflow.cli.completion import Choices, format_names


def _date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


#: the procedure files or folders a command reads
Paths = Annotated[list[Path] | None, typer.Argument(
    show_default=False,
    help="Procedure files or folders (default: the project's procedures/ folder). "
    "Example: procedures/")]

def real_today() -> dt.date:
    """The real date: the default of ``--today``, and the date of a run that takes no
    options (git's diff driver)."""
    return dt.date.today()


#: the date a run takes as today: review due dates, overdue flags, dates written by new/init,
#: the year from which diff compares a changed calendar's working time
Today = Annotated[dt.date, typer.Option(
    "--today", metavar="YYYY-MM-DD", parser=_date, default_factory=real_today,
    show_default=False,
    help="Take this date as today (review due dates, overdue flags, the review date a new "
    "procedure gets, the year from which diff compares a changed calendar); default: the real "
    "date. Example: --today 2026-12-01")]

def _capped_jobs(value: int | None) -> int | None:
    """--jobs, at most twice the cores (``--jobs 300`` would start 300 processes), with a
    note when it is lowered."""
    from procflow.parallel import max_jobs

    if value is not None and value > max_jobs():
        typer.echo(f"procflow: note: --jobs {value} is more than twice this machine's cores; "
                   f"using {max_jobs()}", err=True)
        return max_jobs()
    return value


#: worker processes for runs over many procedures
Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, show_default=False, callback=_capped_jobs,
    help="Processes to use for many procedures (default: up to 2, only when there are many; "
    "at most twice the cores). Example: --jobs 1")]


def _names(choices: Choices) -> tuple[str, ...]:
    return tuple(choices() if callable(choices) else choices)


class FormatList(tuple[str, ...]):
    """The formats a comma-list ``--format`` names (render's), in the order given. A class of
    its own: typer would read a ``tuple`` annotation as an option taking several values."""


def parse_formats(value: str | Sequence[str], choices: Choices, many: bool) -> FormatList:
    """``-f md,html`` -> ``("md", "html")``: names trimmed, lowercased, repeats and empty items
    dropped (so ``-f json,`` is ``json``); an unknown name, an empty list or, where the command
    writes one format, a list of two is a usage error (exit 2)."""
    if not isinstance(value, str):  # already parsed (a default given as a tuple)
        return FormatList(value)
    known = _names(choices)
    listed = ", ".join(f"'{name}'" for name in known)
    names = tuple(dict.fromkeys(item.strip().lower() for item in value.split(",")
                                if item.strip()))
    for name in names:
        if name not in known:  # worded as click words a bad choice: app adds a did-you-mean
            raise typer.BadParameter(f"'{name}' is not one of {listed}")
    if not names:
        raise typer.BadParameter(f"no format named; choose from {listed}")
    if len(names) > 1 and not many:
        raise typer.BadParameter(f"'{value}' names {len(names)} formats and this command "
                                 f"writes one; choose one of {listed}")
    return FormatList(names)


def format_option(choices: Choices, default: str, help: str, *, many: bool = False,
                  metavar: str | None = None) -> Any:
    """``-f/--format`` of a command: one of ``choices`` (a comma list of one, ``-f json,``,
    is that one), or with ``many`` a comma list of them (render). The value the command gets
    is the name (a ``str``), or with ``many`` a ``FormatList``. ``help`` says what each format
    is for and ends with an example; ``metavar`` is needed when ``choices`` is a function."""

    def parse(value: str | Sequence[str]) -> str | FormatList:
        names = parse_formats(value, choices, many)
        return names if many else names[0]

    shown = metavar or "<" + ("," if many else "|").join(_names(choices)) + ">"
    return typer.Option(default, "--format", "-f", parser=parse, metavar=shown,
                        autocompletion=format_names(choices, many), help=help)


def output_option(help: str, *, folder: bool = False, required: bool = False) -> Any:
    """``-o/--output``: the file (or with ``folder`` the folder) a command writes; ``help``
    says what it is in that command and ends with an example. A file option given a folder,
    or a folder option given a file, is a usage error before anything runs."""
    return typer.Option(... if required else None, "--output", "-o", show_default=False,
                        metavar="DIR" if folder else "FILE", file_okay=not folder,
                        dir_okay=folder, help=help)


def deprecated(old: str, new: str, example: str, *, default: Any = None, **option: Any) -> Any:
    """An old spelling ``old`` that keeps working, hidden from --help: when used it prints a
    one-line note on stderr naming the spelling to use, ``new``. The command decides what the
    value means (usually: as if ``new`` had been given)."""

    def note(value: Any) -> Any:
        if value:
            typer.echo(f"procflow: note: {old} is deprecated; use {new}", err=True)
        return value

    return typer.Option(default, old, hidden=True, callback=note, show_default=False,
                        help=f"Deprecated: use {new}. Example: {example}", **option)

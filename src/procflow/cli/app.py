"""The typer application and the options every command shares.

Only typer is imported at the top of the CLI modules; each command imports the library core
inside its function, so ``procflow --help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import typer
import typer.core

from procflow import __version__

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")
#: click's ClickException (usage errors): typer >= 0.2x vendors click and no longer installs
#: the click package, so it is taken from typer's own exception classes
_CLICK_ERROR: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException")
_state: dict[str, bool] = {}

_CHOICE = re.compile(r"^(?:Value error, )?'(?P<value>.*)' is not one of (?P<choices>.*?)\.?$",
                     re.DOTALL)


def clean_choice_message(message: str) -> str:
    """typer (through pydantic) words a bad choice ``Value error, 'xml' is not one of 'text',
    ...``: without the prefix, with a did-you-mean (``--from complaints`` -> complaint)."""
    from procflow.findings import did_you_mean

    match = _CHOICE.match(message)
    if match is None:
        return message.removeprefix("Value error, ")
    choices = re.findall(r"'([^']*)'", match["choices"])
    return (f"'{match['value']}' is not one of {match['choices']}"
            f"{did_you_mean(match['value'], choices)}")


class _Group(typer.core.TyperGroup):
    """procflow's command group: bad option values explained in plain words."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as error:
            error.message = clean_choice_message(error.message)
            raise


app = typer.Typer(
    name="procflow",
    cls=_Group,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich formatting would triple start-up time
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"procflow {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool | None = typer.Option(
        None, "--version", callback=_print_version, is_eager=True,
        help="Print procflow's version and exit."),
    traceback: bool = typer.Option(
        False, "--traceback", help="On an internal error (exit 3), show the Python traceback."),
) -> None:
    """Validate, render and diff customer-service procedures kept as YAML in git.

    Example: procflow validate procedures/ && procflow render procedures/ --output site

    Exit codes: 0 success, 1 the check found what it looks for, 2 usage or environment
    error, 3 internal error.
    """
    _state["traceback"] = traceback


def command(*args: Any, group: typer.Typer | None = None, **kwargs: Any) -> Callable[[F], F]:
    """``app.command`` (or ``group.command`` for a sub-command) with procflow's error policy
    around the function.

    A ``ProcflowError`` becomes one line on stderr and its exit code (2); any other exception
    is a bug: one line and exit 3, or the traceback with ``--traceback``.
    """

    def register(function: F) -> F:
        @functools.wraps(function)
        def guarded(*f_args: Any, **f_kwargs: Any) -> Any:
            from procflow.errors import ProcflowError
            from procflow.findings import excerpt, printable

            try:
                return function(*f_args, **f_kwargs)
            except (typer.Exit, typer.Abort, _CLICK_ERROR):
                raise
            except ProcflowError as error:
                for finding in getattr(error, "findings", ()):
                    typer.echo(printable(str(finding)), err=True)
                typer.echo(printable(f"procflow: {error}"), err=True)
                raise typer.Exit(error.exit_code) from None
            except BrokenPipeError:  # the reader went away (procflow ... | head): stop quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(141) from None
            except Exception as error:  # noqa: BLE001  the one place a bug becomes exit 3
                if _state.get("traceback"):
                    raise
                typer.echo(printable(f"procflow: internal error ({type(error).__name__}: "
                                     f"{excerpt(str(error), 300)}); this is a bug in procflow. "
                                     "Run again with --traceback and report it."), err=True)
                raise typer.Exit(3) from None

        (group or app).command(*args, **kwargs)(guarded)
        return function

    return register


def emit(reporter: Callable[[R, TextIO], None], result: R, output: Path | None = None) -> None:
    """Write ``result`` with ``reporter`` to stdout, or to the file ``output`` whole
    (``safe_write``: a temporary file renamed into place, so a reader never sees half)."""
    if output is None:
        reporter(result, sys.stdout)
        return
    import io

    from procflow.safe_write import write_text

    buffer = io.StringIO()
    reporter(result, buffer)
    write_text(output, buffer.getvalue())


def say(message: str) -> None:
    """Narration on stderr (what was written, skipped, noted), with control characters from
    file names or YAML made inert."""
    from procflow.findings import printable

    typer.echo(printable(message), err=True)

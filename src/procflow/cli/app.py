"""The typer application, its table of commands and the error policy every command shares.

Start-up is most of a pre-commit run, so nothing is imported before it is needed: the group
knows each command's name and summary from ``COMMANDS`` and imports a command's module only
when that command runs, completes or shows its own --help; each command imports the library
core inside its function.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple, TextIO, TypeVar

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


class Entry(NamedTuple):
    """A command as the group lists it before its module is imported."""

    module: str  #: the module under procflow.cli that registers it
    summary: str  #: the first sentence of its help: all that ``procflow --help`` shows of it
    hidden: bool = False


#: every command in --help order; tests/test_cli_startup.py checks it against the modules
COMMANDS: dict[str, Entry] = {
    "validate": Entry("validate", "Check procedures: YAML safety, the schema, references, the "
                      "flow and good practice."),
    "fix": Entry("fix", "Fix what can be fixed mechanically, in place, keeping comments and "
                 "formatting."),
    "render": Entry("render", "Render procedures to Markdown (for wikis), HTML checklists and "
                    "swimlane diagrams."),
    "diff": Entry("diff", "Show what a change to procedures means: steps, roles, SLAs, "
                  "escalations, who is affected, and the version bump it needs."),
    "git-diff-driver": Entry("diff", "git's external diff program for procedure files (see "
                             "the README); always exits 0.", hidden=True),
    "review": Entry("review", "List procedures whose periodic review is overdue or due soon "
                    "(review.last + review.every), and active ones with no review date, "
                    "grouped by owner."),
    "rules": Entry("rules", "List every rule (code, severity in this project, what it finds), "
                   "or print one rule's page."),
    "codeowners": Entry("codeowners", "Print, or with --write (or -o FILE) update, the "
                        "CODEOWNERS block that makes each procedure's owner (owner.handle) the "
                        "reviewer of changes to its file."),
    "init": Entry("scaffold", "Set up procflow in a repository: procflow.yaml, procedures/ "
                  "with a starter procedure, a pre-commit config and a CI workflow (--ci)."),
    "new": Entry("scaffold", "Write procedures/ID.yaml from a starter: version 0.1.0, status "
                 "draft, a review date, and the owner from git config user.name and "
                 "user.email."),
    "schema": Entry("schema", "Print the JSON Schema (draft 2020-12) of a procedure file, for "
                    "editor completion."),
    "report": Entry("report", "Are the procedures kept? SLA compliance and KPI values per "
                    "procedure, SLA, priority and month, from the service desk's ticket "
                    "export, on each SLA's calendar."),
    "sla": Entry("sla", "SLA clocks: when a case is due, how that was counted, a calendar's "
                 "working time."),
}


class _LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name, in ``COMMANDS`` order, each built on first access.

    Reading a name imports its module (which registers it on ``app``) and builds its click
    command, so typer's parameter machinery runs for the one command a run uses. Inside
    ``summaries()`` a command not yet built is a stand-in with its name, summary and hidden
    flag: enough for the command list of --help and for completing command names.
    """

    def __init__(self, built: dict[str, Any]) -> None:
        self._built = dict(built)
        self._extra = [name for name in built if name not in COMMANDS]
        self._summarising = False

    @contextlib.contextmanager
    def summaries(self) -> Iterator[None]:
        self._summarising = True
        try:
            yield
        finally:
            self._summarising = False

    def __getitem__(self, name: str) -> Any:
        if name in self._built:
            return self._built[name]
        entry = COMMANDS.get(name)
        if entry is None:
            raise KeyError(name)
        if self._summarising:
            return typer.core.TyperCommand(name, help=entry.summary, hidden=entry.hidden,
                                           rich_markup_mode=None)
        importlib.import_module(f"procflow.cli.{entry.module}")
        self._built.update(_build_registered(exclude=self._built))
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in COMMANDS and name not in self._extra:
            self._extra.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("procflow's commands cannot be removed")

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from self._extra

    def __len__(self) -> int:
        return len(COMMANDS) + len(self._extra)


def _build_registered(exclude: dict[str, Any]) -> dict[str, Any]:
    """The click commands and groups registered on ``app`` and not in ``exclude``, by name
    (the same typer calls ``typer.main.get_command`` makes for each)."""
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    built: dict[str, Any] = {}
    for info in app.registered_commands:
        name = info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]
        if name not in exclude:
            built[name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=short, rich_markup_mode=markup)
    for group_info in app.registered_groups:
        group = typer.main.get_group_from_info(
            group_info, pretty_exceptions_short=short, rich_markup_mode=markup,
            suggest_commands=app.suggest_commands)
        if group.name and group.name not in exclude:
            built[group.name] = group
    return built


class _Group(typer.core.TyperGroup):
    """procflow's command group: commands loaded when used (``COMMANDS``), bad option values
    explained in plain words."""

    def __init__(self, *, commands: dict[str, Any] | None = None, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _LazyCommands(commands or {})

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with self.commands.summaries():  # type: ignore[attr-defined]
            super().format_commands(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        with self.commands.summaries():  # type: ignore[attr-defined]
            return super().shell_complete(ctx, incomplete)

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
                silence_stdout()
                raise typer.Exit(141) from None
            except Exception as error:  # noqa: BLE001  the one place a bug becomes exit 3
                fault = machine_fault(error)
                if fault is not None:  # a full disk or a failing device: not a bug
                    typer.echo(f"procflow: {fault}", err=True)
                    raise typer.Exit(2) from None
                if _state.get("traceback"):
                    raise
                typer.echo(printable(f"procflow: internal error ({type(error).__name__}: "
                                     f"{excerpt(str(error), 300)}); this is a bug in procflow. "
                                     "Run again with --traceback and report it."), err=True)
                raise typer.Exit(3) from None

        (group or app).command(*args, **kwargs)(guarded)
        return function

    return register


#: errors of the machine, not of procflow: a full disk or quota, a failing device, a
#: read-only file system (``procflow validate > /dev/full``)
_MACHINE_FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS})


def machine_fault(error: BaseException) -> str | None:
    """One line for an ``OSError`` that is the machine's fault, writing standard output or
    a file; None for any other error (a bug: exit 3). Standard output is then pointed at
    /dev/null, so the exit does not fail a second time flushing it."""
    from procflow.findings import printable

    if not isinstance(error, OSError) or error.errno not in _MACHINE_FAULTS:
        return None
    silence_stdout()
    where = printable(os.fsdecode(error.filename)) if error.filename else "the output"
    return f"cannot write {where}: {error.strerror}"


def silence_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit cannot fail again on a
    reader that went away or a full disk."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def emit(reporter: Callable[[R, TextIO], None], result: R, output: Path | None = None, *,
         fmt: str = "text") -> None:
    """Write ``result`` with ``reporter`` to stdout, or to the file ``output`` whole
    (``safe_write``: a temporary file renamed into place, so a reader never sees half).
    Only ``text`` is for the terminal and follows its locale; every other format (JSON,
    SARIF, GitHub annotations, Markdown, HTML) is a file format read as UTF-8, so it is
    written as UTF-8 on stdout too, whatever the locale."""
    if output is None:
        if fmt != "text" and (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            with contextlib.suppress(AttributeError, ValueError):  # not a text file: as is
                sys.stdout.reconfigure(encoding="utf-8",  # type: ignore[union-attr]
                                       errors=sys.stdout.errors)
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

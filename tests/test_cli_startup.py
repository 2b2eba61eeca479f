"""Start-up stays fast (issue 10): ``procflow --help`` and a plain ``procflow validate`` import
only what they use, and the group's table of commands (``procflow.cli.app.COMMANDS``), which
lets it list commands without importing them, agrees with the commands themselves.

The import checks run procflow in a fresh interpreter and read which modules it imported
(``sys.modules`` at exit), so a new top-level import of a heavy library on these paths
fails here rather than slowly rotting the pre-commit run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import typer
from tests.conftest import TODAY, VALID

from procflow.cli.app import COMMANDS, app

#: libraries and procflow parts that a run must not import unless it uses them
HEAVY = ("rich", "jinja2", "pygraphviz", "polars", "pyarrow", "holidays", "babel",
         "multiprocessing", "concurrent.futures", "procflow.render", "procflow.diff",
         "procflow.tickets", "procflow.review", "procflow.scaffold", "procflow.codeowners")
#: what --help needs none of: the library core, pydantic and YAML
NOT_FOR_HELP = (*HEAVY, "pydantic", "pydantic_core", "yaml", "procflow.model",
                "procflow.lint", "procflow.loader")
COMMAND_MODULES = sorted({f"procflow.cli.{entry.module}" for entry in COMMANDS.values()})


def _run(*args: str, env: dict[str, str] | None = None, preload: tuple[str, ...] = (),
         modules_to: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``procflow ARGS`` in a fresh interpreter (named ``procflow``, as the console script),
    after importing ``preload``; stdout is a pipe, not a terminal. With ``modules_to``, the
    names of the modules imported by the end of the run are written to that file."""
    script = ("import atexit, sys; "
              + (f"atexit.register(lambda: open({str(modules_to)!r}, 'w').write("
                 "'\\n'.join(sorted(sys.modules)))); " if modules_to else "")
              + f"sys.argv = ['procflow', *{list(args)!r}]; "
              + "".join(f"import {module}; " for module in preload)
              + "from procflow.__main__ import main; main()")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False, env=env if env is not None else _plain_env())


def _plain_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items()
            if key not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}


def _imported(*args: str, env: dict[str, str] | None = None
              ) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules a fresh ``procflow ARGS`` has imported when it exits."""
    with tempfile.TemporaryDirectory() as scratch:
        listing = Path(scratch) / "modules"
        done = _run(*args, env=env, modules_to=listing)
        return set(listing.read_text().split()), done


def _offending(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names
                  if any(name == heavy or name.startswith(f"{heavy}.") for heavy in forbidden))


def test_help_imports_no_command_and_no_library() -> None:
    names, done = _imported("--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "procflow.cli.app" in names  # the measurement works
    assert _offending(names, (*NOT_FOR_HELP, *COMMAND_MODULES)) == []


def test_validate_of_a_valid_project_imports_only_what_it_uses() -> None:
    names, done = _imported("validate", str(VALID / "procedures"), "--today", TODAY)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "procflow.lint" in names and "procflow.cli.validate" in names
    other_commands = tuple(module for module in COMMAND_MODULES
                           if module not in ("procflow.cli.validate", "procflow.cli.options"))
    assert _offending(names, (*HEAVY, *other_commands)) == []
    # only the chosen report format is imported
    assert _offending(names, ("procflow.report.sarif", "procflow.report.json_report",
                              "procflow.report.github")) == []


def test_colour_asked_for_still_comes_without_a_terminal() -> None:
    """Only output that rich would leave plain skips rich: FORCE_COLOR still colours."""
    args = ("validate", str(VALID / "procedures"), "--today", "2027-06-01")
    plain = _run(*args)
    assert "PF104" in plain.stdout and "\x1b[" not in plain.stdout
    forced = _run(*args, env={**_plain_env(), "FORCE_COLOR": "1"})
    assert "PF104" in forced.stdout and "\x1b[" in forced.stdout


def _all_commands() -> dict[str, Any]:
    for module in COMMAND_MODULES:
        __import__(module)
    return dict(typer.main.get_command(app).commands.items())  # type: ignore[attr-defined]


def test_the_table_names_every_command_in_order_with_its_module() -> None:
    commands = _all_commands()
    assert list(commands) == list(COMMANDS)
    for name, command in commands.items():
        entry = COMMANDS[name]
        assert command.hidden == entry.hidden, name
        callbacks = [command.callback] if command.callback else [
            sub.callback for sub in command.commands.values()]
        assert {callback.__module__ for callback in callbacks} == {
            f"procflow.cli.{entry.module}"}, name


@pytest.mark.parametrize("width", [10, 30, 45, 52, 61, 80, 120, 400])
def test_each_summary_shortens_like_the_command_help(width: int) -> None:
    """--help and shell completion show a summary cut to the terminal's width: the table's
    must cut exactly like the command's own help, at every width."""
    stand_in = typer.core.TyperCommand
    for name, command in _all_commands().items():
        summary = stand_in(name, help=COMMANDS[name].summary).get_short_help_str(width)
        assert summary == command.get_short_help_str(width), name


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_help_lists_the_same_commands_as_with_every_module_loaded(columns: str) -> None:
    env = {**_plain_env(), "COLUMNS": columns}
    lazy = _run("--help", env=env)
    loaded = _run("--help", env=env, preload=tuple(COMMAND_MODULES))
    assert lazy.returncode == loaded.returncode == 0, lazy.stderr + loaded.stderr
    assert lazy.stdout == loaded.stdout
    assert "  sla " in lazy.stdout and "git-diff-driver" not in lazy.stdout


def test_command_names_complete_with_their_summaries_without_loading_them() -> None:
    env = {**_plain_env(), "_PROCFLOW_COMPLETE": "complete_zsh",
           "_TYPER_COMPLETE_ARGS": "procflow r"}
    names, done = _imported(env=env)
    assert '"render":"Render procedures to Markdown' in done.stdout, done.stdout
    assert '"review":' in done.stdout and '"rules":' in done.stdout
    assert '"report":' in done.stdout and '"validate"' not in done.stdout
    assert _offending(names, (*COMMAND_MODULES, "procflow.model", "procflow.lint")) == []

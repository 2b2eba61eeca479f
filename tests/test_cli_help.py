"""Polish every command shares: help with an example for each command and option, the same
option names for the same things, ``--version`` and shell completion."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import typer

from procflow import __version__
from procflow.cli import app

# typer may vendor its own click, so its objects are inspected by attribute, not by class
ROOT: Any = typer.main.get_command(app)
#: the commands users see (hidden ones, such as git's diff driver, are plumbing)
COMMANDS = sorted((name, command) for name, command in ROOT.commands.items()
                  if not command.hidden)
#: one name per concept across commands (the name on the left, never one of its synonyms)
#: (hidden options are old spellings kept working, with a deprecation note: not counted)
SYNONYMS = {"--output": {"--out", "--output-dir", "--outdir", "--destination", "--dir",
                         "--directory", "--folder"},
            "--format": {"--fmt", "--output-format", "--style"},
            "--today": {"--date", "--now", "--as-of"}}
#: the short form of an option, where it has one, is the same in every command
SHORT = {"--format": "-f", "--output": "-o"}


def _params(command: Any) -> list[Any]:
    return [p for p in command.params if p.name != "help"]


def _long_name(param: Any) -> str:
    return max(param.opts, key=len)


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name: str, command: Any) -> None:
    assert command.help, f"procflow {name} has no help"
    assert f"Example: procflow {name}" in command.help, f"procflow {name}: help has no example"


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_option_and_argument_has_help_and_options_an_example(
        name: str, command: Any) -> None:
    missing = [p.name for p in _params(command) if not getattr(p, "help", None)]
    assert missing == [], f"procflow {name}: no help for {missing}"
    no_example = [_long_name(p) for p in _params(command)
                  if p.param_type_name == "option" and "Example" not in (p.help or "")]
    assert no_example == [], f"procflow {name}: option help without an Example: {no_example}"


def test_option_names_are_consistent_across_commands() -> None:
    used: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for _, command in COMMANDS:
        for param in _params(command):
            if param.param_type_name == "option" and not param.hidden:
                used[_long_name(param)].add(tuple(sorted(param.opts + param.secondary_opts)))
    synonyms = {name: sorted(set(used) & others) for name, others in SYNONYMS.items()}
    assert {name: found for name, found in synonyms.items() if found} == {}
    for name, short in SHORT.items():
        assert all(short in forms for forms in used.get(name, ())), (name, used[name])
    different = {name: forms for name, forms in used.items() if len(forms) > 1}
    assert different == {}, f"one option name, different spellings: {different}"


def test_today_is_the_same_date_option_everywhere() -> None:
    metavars = {command.name: param.metavar for _, command in COMMANDS
                for param in _params(command) if "--today" in param.opts}
    assert {"validate", "review", "new"} <= set(metavars)
    assert set(metavars.values()) == {"YYYY-MM-DD"}


def test_version(cli) -> None:
    assert cli("--version", expect=0).stdout.strip() == f"procflow {__version__}"


def test_shell_completion_is_offered(cli) -> None:
    text = cli("--help", expect=0).stdout
    assert "--install-completion" in text and "--show-completion" in text


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_help_renders_for_every_command(cli, name: str) -> None:
    for flag in ("--help", "-h"):
        assert "Example: procflow" in cli(name, flag, expect=0).stdout

"""The README's command reference is checked against the commands' own --help."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from procflow.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, list[str]]:
    group = typer.main.get_command(app)
    found: dict[str, list[str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if command.hidden:
            continue
        options = [opt for param in command.params for opt in getattr(param, "opts", [])
                   if opt.startswith("--") and opt != "--help"]
        found[name] = options
    return found


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in _commands() if f"procflow {name}" not in README]
    assert not missing, f"README has no section or example for: {missing}"


def test_every_option_is_in_the_readme() -> None:
    missing = [f"procflow {name} {option}" for name, options in _commands().items()
               for option in options if not re.search(re.escape(option) + r"\b", README)]
    assert not missing, f"README does not mention these options: {missing}"


def test_every_rule_is_in_the_readme() -> None:
    from procflow.rules import all_rules

    missing = [rule.code for rule in all_rules() if f"| {rule.code} |" not in README]
    assert not missing

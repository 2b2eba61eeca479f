"""Shared fixtures and helpers: the CLI runner, the valid sample project in
``tests/data/valid``, and ``pair_off`` for data-driven cases that match expected items
against actual ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pytest
from typer.testing import CliRunner, Result

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
#: the valid samples are clean on this date (their reviews are not yet due)
TODAY = "2026-06-01"

RunCli = Callable[..., Result]
E = TypeVar("E")
A = TypeVar("A")


def pair_off(expected: Iterable[E], actual: Iterable[A], matches: Callable[[E, A], bool]
             ) -> tuple[list[E], list[A]]:
    """Pair each expected item with the first still unpaired actual item it ``matches``.

    Returns ``(missing, unmatched)``: the expected items that found no partner and the
    actual items left over. Both empty means the two agree one to one.
    """
    unmatched = list(actual)
    missing: list[E] = []
    for wanted in expected:
        hit = next((k for k, item in enumerate(unmatched) if matches(wanted, item)), None)
        if hit is None:
            missing.append(wanted)
        else:
            del unmatched[hit]
    return missing, unmatched


@pytest.fixture
def cli() -> RunCli:
    """``cli(*args, expect=None, env=None)``: run procflow in-process through typer's runner.

    stdout, stderr and any exception are printed, so pytest shows them when a test fails;
    ``expect`` asserts the exit code with that output in the message.
    """
    from procflow.cli import app

    runner = CliRunner()

    def run_cli(*args: str, expect: int | None = None,
                env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(app, [str(arg) for arg in args], env=env)
        shown = (f"$ procflow {' '.join(map(str, args))}\nexit code: {result.exit_code}\n"
                 f"--- stdout ---\n{result.stdout}--- stderr ---\n{result.stderr}"
                 f"--- exception ---\n{result.exception!r}")
        print(shown)
        if expect is not None:
            assert result.exit_code == expect, shown
        return result

    return run_cli


@pytest.fixture
def valid_project(tmp_path: Path) -> Path:
    """A writable copy of ``tests/data/valid`` (a procflow.yaml and its procedures/)."""
    project = tmp_path / "project"
    shutil.copytree(VALID, project)
    return project

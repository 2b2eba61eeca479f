"""Shared fixtures: the CLI runner and the valid sample project in ``tests/data/valid``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
#: the valid samples are clean on this date (their reviews are not yet due)
TODAY = "2026-06-01"

RunCli = Callable[..., Result]


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

"""The static checks CI runs with the tests: ``ruff check`` (style and likely bugs) and
``mypy --strict`` (types) over the library, with the settings in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)


def test_ruff_finds_nothing_in_src() -> None:
    pytest.importorskip("ruff", reason="ruff is not installed (pip install -e '.[test]')")
    done = run_tool("ruff", "check", "src")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_passes_on_src() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr

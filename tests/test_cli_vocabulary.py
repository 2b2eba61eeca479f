"""Options read the same across commands: bad choices explained plainly with a did-you-mean,
and every command (even git's diff driver) prints its help."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli


def test_a_bad_choice_reads_cleanly_with_a_suggestion(cli: RunCli, tmp_path: Path) -> None:
    result = cli("new", "x", "--from", "complaints", "--dir", tmp_path, expect=2)
    assert "'complaints' is not one of 'blank', 'complaint'" in result.stderr
    assert "(did you mean 'complaint'?)" in result.stderr
    assert "Value error" not in result.stderr
    result = cli("validate", tmp_path, "--format", "xml", expect=2)
    assert "Invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json'" \
        in result.stderr and "Value error" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_git_diff_driver_prints_its_help(cli: RunCli) -> None:
    result = cli("git-diff-driver", "--help", expect=0)
    assert result.stdout.startswith("Usage: procflow git-diff-driver")
    assert "git's external diff program" in result.stdout and "unmerged" not in result.stdout

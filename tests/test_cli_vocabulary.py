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


def _complete(words: str, cwd: Path) -> list[str]:
    """What bash completion offers for the last word of ``words`` (typer's protocol)."""
    import os
    import subprocess
    import sys

    count = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(count),
           "_PROCFLOW_COMPLETE": "complete_bash"}
    script = "import sys; from procflow.cli import app; sys.argv = ['procflow']; app()"
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False).stdout.split()


def test_shell_completion_offers_codes_formats_and_git_names(tmp_path: Path) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
                       cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("commit", "-q", "--allow-empty", "-m", "start")
    git("tag", "v1.0")
    git("branch", "feature")
    assert _complete("procflow diff --base ", tmp_path) == ["HEAD", "feature", "main", "v1.0"]
    assert _complete("procflow diff --base --head fe", tmp_path) == ["feature"]
    assert _complete("procflow render -f md,h", tmp_path) == ["md,html"]
    assert _complete("procflow rules PF10", tmp_path)[:2] == ["PF101", "PF102"]
    assert "complaint" in _complete("procflow new x --from c", tmp_path)

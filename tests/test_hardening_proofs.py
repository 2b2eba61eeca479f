"""Further proofs for issue 16, items 9 to 24 (tests/test_hardening.py has the first ones):
hostile repositories built in ``tmp_path``, real git, procflow run in a subprocess where the
defect lives in the process itself (its output streams, its locale). Each test is bounded in
time and memory and fails if its defect comes back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.test_hardening import procedure


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdout: object = None
        ) -> subprocess.CompletedProcess[bytes]:
    """procflow as a user runs it: its own process, its own streams."""
    return subprocess.run([sys.executable, "-c", "from procflow.__main__ import main; main()",
                           *args], cwd=cwd, env={**os.environ, **(env or {})}, timeout=120,
                          check=False, stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "procflow.yaml").write_text("procflow: 1\n", encoding="utf-8")
    (root / "procedures").mkdir()
    (root / "procedures" / "returns.yaml").write_text(procedure("returns", handle="@acme/r"),
                                                      encoding="utf-8")
    monkeypatch.chdir(root)
    return root


# --- 20: environment faults are one line and exit 2 ----------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [["validate"], ["validate", "--format", "json"], ["--help"],
                                  ["render", "--help"], ["schema"], ["review"], ["--version"]])
def test_a_full_stdout_is_one_line_exit_2(repo: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(*args, cwd=repo, stdout=full)
    errors = done.stderr.decode()
    assert done.returncode == 2, errors
    assert errors.count("\n") == 1 and "No space left on device" in errors
    assert "Traceback" not in errors and "internal error" not in errors


def _lock(folder: Path) -> bool:
    """Make ``folder`` unwritable, even for root (an immutable folder) where that is allowed."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        return True
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i", str(folder)], capture_output=True,
                          check=False).returncode == 0


def _unlock(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    folder.chmod(0o700)


@pytest.mark.parametrize("args", [["new", "fresh"], ["init"], ["init", "sub"]])
def test_new_and_init_in_an_unwritable_folder_are_one_line_exit_2(repo: Path,
                                                                  args: list[str]) -> None:
    locked = repo / "procedures" if args[0] == "new" else repo
    if not _lock(locked):
        pytest.skip("no way to make a folder unwritable for this user")
    try:
        done = run(*args, cwd=repo)
    finally:
        _unlock(locked)
    errors = done.stderr.decode()
    assert done.returncode == 2, errors
    assert errors.startswith("procflow: cannot write") and errors.count("\n") == 1


# --- 22: a project file that cannot be read is not skipped ---------------------------------


@pytest.mark.parametrize("kind", ["folder", "pipe", "dangling link"])
def test_a_project_file_that_is_not_a_file_stops_render_and_fails_validate(
        cli, repo: Path, kind: str) -> None:
    project = repo / "procflow.yaml"
    project.unlink()
    if kind == "folder":
        project.mkdir()
    elif kind == "pipe":
        os.mkfifo(project)
    else:
        project.symlink_to(repo / "nowhere.yaml")
    from procflow.project import load_project
    from procflow.roots import _project_between

    load_project.cache_clear()
    _project_between.cache_clear()
    for fmt in ("text", "json"):  # a pipe must not block the text report's source lines
        result = cli("validate", "--format", fmt, expect=1)
        assert "procflow.yaml" in result.stdout and "PF001" in result.stdout
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "procflow.yaml" in result.stderr and "has problems" in result.stderr
    assert not (repo / "site").exists()

"""The ``procflow-validate`` pre-commit hook, for real: pre-commit installs procflow from a
git repository holding this working tree, then checks procedures in a second repository,
through ``pre-commit try-repo`` and through an actual ``git commit``.

``try-repo`` on a checkout with uncommitted changes clones it and commits only the tracked
changes, so new files would be missing; the hook repository is therefore a fresh commit of
the working tree (``pyproject.toml``, ``README.md``, ``src/``, ``.pre-commit-hooks.yaml``).
Needs git and network access to PyPI (pre-commit builds the hook's virtualenv).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
HOOK_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src",
              "templates")
IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}

PROCEDURE = """procflow: 1
id: {id}
title: {id}
version: "1.0.0"
owner: {{name: Anna}}
related: [{related}]
roles: [{{id: agent, name: Agent}}]
steps: [{{id: answer, title: Answer, role: {role}}}]
"""

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(home),
            "GIT_CONFIG_GLOBAL": str(home / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = run("git", *args, cwd=cwd, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pre_commit", *args, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository with this working tree committed; returns it and its commit."""
    target = tmp_path_factory.mktemp("procflow-hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in HOOK_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, target / name)
    git("init", "-q", cwd=target, env=env)
    git("add", ".", cwd=target, env=env)
    git("commit", "-q", "-m", "procflow working tree", cwd=target, env=env)
    return target, git("rev-parse", "HEAD", cwd=target, env=env)


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str]) -> Path:
    """A repository with two procedures that name each other in ``related``."""
    git("init", "-q", str(tmp_path), cwd=tmp_path, env=env)
    (tmp_path / "procflow.yaml").write_text("procflow: 1\n", encoding="utf-8")
    procedures = tmp_path / "procedures"
    procedures.mkdir()
    for pid, related in (("intake", "returns"), ("returns", "intake")):
        (procedures / f"{pid}.yaml").write_text(
            PROCEDURE.format(id=pid, related=related, role="agent"), encoding="utf-8")
    return tmp_path


def write_bad(project: Path) -> Path:
    path = project / "procedures" / "bad.yaml"
    path.write_text(PROCEDURE.format(id="bad", related="", role="agnet"), encoding="utf-8")
    return path


def test_try_repo_fails_a_bad_procedure_and_passes_a_good_one(
        hook_repo: tuple[Path, str], project: Path, env: dict[str, str]) -> None:
    write_bad(project)
    git("add", ".", cwd=project, env=env)
    bad = pre_commit("try-repo", str(hook_repo[0]), "procflow-validate", "--files",
                     "procedures/bad.yaml", cwd=project, env=env)
    output = bad.stdout + bad.stderr
    assert bad.returncode == 1, output
    assert "procedures/bad.yaml:8:" in output and "PF005" in output and "agnet" in output

    # Only intake.yaml is passed; its `related: [returns]` resolves from disk.
    good = pre_commit("try-repo", str(hook_repo[0]), "procflow-validate", "--files",
                      "procedures/intake.yaml", cwd=project, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_the_installed_hook_blocks_a_commit_with_a_bad_procedure(
        hook_repo: tuple[Path, str], project: Path, env: dict[str, str]) -> None:
    repo, rev = hook_repo
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: procflow-validate\n",
        encoding="utf-8")
    installed = pre_commit("install", cwd=project, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    git("add", ".", cwd=project, env=env)
    git("commit", "-q", "-m", "good procedures", cwd=project, env=env)
    head = git("rev-parse", "HEAD", cwd=project, env=env)

    write_bad(project)
    git("add", "procedures/bad.yaml", cwd=project, env=env)
    refused = run("git", "commit", "-m", "bad procedure", cwd=project, env=env)
    assert refused.returncode != 0
    assert "PF005" in refused.stdout + refused.stderr
    assert git("rev-parse", "HEAD", cwd=project, env=env) == head

"""The CI that ``procflow init`` writes works on day one: its steps (install, validate, render,
diff) run in a local shell, the install step pointed at this checkout with ``--install``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from procflow.scaffold import default_install

REPO = Path(__file__).resolve().parent.parent


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
                          cwd=folder, check=True, capture_output=True, text=True).stdout


def _run_steps(steps: list[dict[str, object]], folder: Path, env: dict[str, str],
               skip: tuple[str, ...] = ()) -> list[str]:
    """Run every ``run:`` step as the runner would (bash, stop on the first failure); returns
    the names of the steps run."""
    ran = []
    for step in steps:
        if "run" not in step or step.get("name") in skip:
            continue
        result = subprocess.run(["bash", "-e", "-c", str(step["run"])], cwd=folder, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (step, result.stdout, result.stderr)
        ran.append(str(step.get("name") or step["run"]))
    return ran


def test_the_written_github_workflow_runs_its_steps(cli, tmp_path: Path) -> None:
    project = tmp_path / "team"
    cli("init", project, "--install", str(REPO), "--today", "2026-06-01", expect=0)
    workflow = yaml.safe_load((project / ".github/workflows/procflow.yml").read_text("utf-8"))
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "start")
    base = _git(project, "rev-parse", "HEAD").strip()
    venv = tmp_path / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(venv), "BASE_SHA": base, "GITHUB_STEP_SUMMARY": str(summary)}
    ran = _run_steps(workflow["jobs"]["validate"]["steps"], project, env)
    assert ran[0] == f'pip install "{REPO}"'
    assert ran[1:] == ["Validate the procedures", "Render the procedures site"]
    assert (project / "site" / "phone-request.html").exists()
    procedure = project / "procedures" / "phone-request.yaml"
    text = procedure.read_text(encoding="utf-8")
    procedure.write_text(text.replace('version: "0.1.0"', 'version: "0.2.0"').replace(
        "title: ", "title: Changed ", 1), encoding="utf-8")
    _git(project, "commit", "-q", "-am", "change")
    ran = _run_steps(workflow["jobs"]["changes"]["steps"], project, env,
                     skip=("Comment on the pull request",))  # the git host's API
    assert ran[1:] == ["Describe the change", "Check the version bumps"]
    assert "phone-request" in summary.read_text(encoding="utf-8")


def test_install_defaults_to_what_installed_this_procflow_and_refuses_odd_text(
        cli, tmp_path: Path) -> None:
    cli("init", tmp_path / "a", expect=0)
    written = (tmp_path / "a" / ".github/workflows/procflow.yml").read_text(encoding="utf-8")
    assert f'pip install "{default_install()}"' in written
    assert default_install() in (str(REPO), "procflow==0.1.0") or "git+" in default_install()
    cli("init", tmp_path / "b", "--gitlab", "--install", "procflow==0.1.0", expect=0)
    assert 'pip install "procflow==0.1.0"' in (tmp_path / "b" / ".gitlab-ci.yml").read_text(
        encoding="utf-8")
    result = cli("init", tmp_path / "c", "--install", 'x" ; rm -rf ~', expect=2)
    assert "--install" in result.stderr and not (tmp_path / "c").exists()


def test_ci_chooses_the_host_and_gitlab_stays_a_deprecated_alias(cli, tmp_path: Path) -> None:
    def written(folder: Path) -> set[str]:
        return {name for name in (".github/workflows/procflow.yml", ".gitlab-ci.yml")
                if (folder / name).exists()}

    cli("init", tmp_path / "gl", "--ci", "gitlab", expect=0)
    assert written(tmp_path / "gl") == {".gitlab-ci.yml"}
    cli("init", tmp_path / "gh", expect=0)
    assert written(tmp_path / "gh") == {".github/workflows/procflow.yml"}
    cli("init", tmp_path / "both", "--ci", "both", expect=0)
    assert written(tmp_path / "both") == {".github/workflows/procflow.yml", ".gitlab-ci.yml"}
    old = cli("init", tmp_path / "old", "--gitlab", expect=0)
    assert written(tmp_path / "old") == written(tmp_path / "both")
    assert "--gitlab is deprecated" in old.stderr
    assert "--gitlab" not in cli("init", "--help", expect=0).stdout
    bad = cli("init", tmp_path / "x", "--ci", "jenkins", expect=2)
    assert "'jenkins' is not one of 'github', 'gitlab', 'both'" in bad.stderr

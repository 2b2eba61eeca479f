"""``procflow init``: a project that validates, CI files the hosts accept, nothing overwritten;
and the example repository carries exactly the CI and pre-commit files init writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from procflow import __version__

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "team"
TODAY = "2026-11-20"
WRITTEN = ["procflow.yaml", ".pre-commit-config.yaml", ".github/workflows/procflow.yml",
           "procedures/phone-request.yaml"]


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Validate a CI file against check-jsonschema's vendored schema (offline)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           str(path)], capture_output=True, text=True)


def test_init_writes_a_project_that_validates(cli, tmp_path: Path) -> None:
    root = tmp_path / "team"
    result = cli("init", root, "--today", TODAY, expect=0)
    for relative in WRITTEN:
        assert (root / relative).is_file(), relative
        assert f"created {root / relative}" in result.stderr
    assert not (root / ".gitlab-ci.yml").exists()
    cli("validate", "--strict", "--today", TODAY, root / "procedures", expect=0)


def test_init_defaults_to_the_current_folder(cli, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cli("init", expect=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".github", ".pre-commit-config.yaml", "procedures", "procflow.yaml"]


def test_init_never_overwrites_and_says_what_it_skipped(cli, tmp_path: Path) -> None:
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / "ours.yaml").write_text("# our procedure\n", encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = cli("init", tmp_path, expect=0)
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"
    assert "skipped" in result.stderr
    assert ".pre-commit-config.yaml: it already exists" in result.stderr
    assert "procedures already holds procedures" in result.stderr
    assert not (tmp_path / "procedures" / "phone-request.yaml").exists()
    assert (tmp_path / "procflow.yaml").is_file()

    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = cli("init", tmp_path, "--gitlab", expect=0)
    assert "created" in again.stderr and ".gitlab-ci.yml" in again.stderr
    assert again.stderr.count("skipped") == 4
    assert {p: p.read_bytes() for p in before} == before


def test_init_refuses_a_file_as_the_folder(cli, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert "is a file" in cli("init", tmp_path / "file", expect=2).stderr


def test_github_workflow_validates_on_push_and_comments_on_pull_requests(
        cli, tmp_path: Path) -> None:
    cli("init", tmp_path, "--install", f"procflow=={__version__}", expect=0)
    path = tmp_path / ".github" / "workflows" / "procflow.yml"
    checked = _check_jsonschema("vendor.github-workflows", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    runs = "\n".join(steps)
    assert f'pip install "procflow=={__version__}"' in runs
    assert "procflow validate --format github" in runs
    assert "procflow render procedures --output site" in runs
    assert 'procflow diff --base "$BASE_SHA" --format md' in runs
    assert 'procflow diff --base "$BASE_SHA" --check-version' in runs
    assert "gh pr comment" in runs
    assert workflow["jobs"]["changes"]["if"] == "github.event_name == 'pull_request'"
    uploads = [step for step in workflow["jobs"]["validate"]["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "site"


def test_gitlab_pipeline_is_written_on_request_and_valid(cli, tmp_path: Path) -> None:
    cli("init", tmp_path, "--gitlab", expect=0)
    path = tmp_path / ".gitlab-ci.yml"
    checked = _check_jsonschema("vendor.gitlab-ci", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = path.read_text(encoding="utf-8")
    assert 'procflow diff --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format md' in text
    assert "--check-version" in text and "procflow render procedures --output site" in text


def test_pre_commit_config_uses_the_hook_this_repository_offers(cli, tmp_path: Path) -> None:
    cli("init", tmp_path, expect=0)
    config = tmp_path / ".pre-commit-config.yaml"
    checked = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(config)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    repo = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]
    assert repo["rev"] == f"v{__version__}"
    assert [hook["id"] for hook in repo["hooks"]] == [hooks[0]["id"]] == ["procflow-validate"]


def test_example_repository_carries_what_init_writes(cli, tmp_path: Path) -> None:
    cli("init", tmp_path, "--install", f"procflow=={__version__}", expect=0)
    for relative in (".pre-commit-config.yaml", ".github/workflows/procflow.yml"):
        assert (EXAMPLE / relative).read_bytes() == (tmp_path / relative).read_bytes(), (
            f"examples/team/{relative} differs from what procflow init writes; copy it over")


def test_example_repository_validates(cli) -> None:
    cli("validate", "--strict", "--today", TODAY, EXAMPLE / "procedures", expect=0)

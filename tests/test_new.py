"""``procflow new ID``: a procedure from a starter, owned by the git user, that validates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from procflow.cli.scaffold import Starter
from procflow.scaffold import starters

TODAY = "2026-11-20"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty procflow project in a git repository whose user is Anna Nowak."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for key, value in (("user.name", "Anna Nowak"), ("user.email", "anna@example.com")):
        subprocess.run(["git", "config", key, value], cwd=root, check=True)
    (root / "procflow.yaml").write_text("procflow: 1\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_cli_offers_exactly_the_packaged_starters() -> None:
    assert [starter.value for starter in Starter] == starters()
    assert set(starters()) >= {"blank", "phone-request", "complaint", "internal-request"}


@pytest.mark.parametrize("starter", starters())
def test_each_starter_gives_a_clean_procedure(cli, project: Path, starter: str) -> None:
    result = cli("new", "my-procedure", "--from", starter, "--today", TODAY, expect=0)
    path = project / "procedures" / "my-procedure.yaml"
    assert "created procedures/my-procedure.yaml" in result.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == "my-procedure"
    assert data["title"] == "My procedure"
    assert data["version"] == "0.1.0"
    assert data["status"] == "draft"
    assert data["owner"] == {"name": "Anna Nowak", "email": "anna@example.com"}
    assert str(data["review"]["last"]) == TODAY
    cli("validate", "--strict", "--today", TODAY, path, expect=0)


@pytest.mark.parametrize("flag", ["-o", "--output"])
def test_title_handle_and_output_folder_are_written_as_given(cli, project: Path,
                                                             flag: str) -> None:
    title = 'Reklamacje: "NO" # not a comment'
    result = cli("new", "claims", "--title", title, "--handle", "@acme/cs-quality", flag, "sops",
                 "--today", TODAY, expect=0)
    data = yaml.safe_load((project / "sops" / "claims.yaml").read_text(encoding="utf-8"))
    assert data["title"] == title
    assert data["owner"]["handle"] == "@acme/cs-quality"
    assert "deprecated" not in result.stderr


def test_the_old_dir_option_still_works_with_a_deprecation_note(cli, project: Path) -> None:
    result = cli("new", "claims", "--dir", "sops", "--today", TODAY, expect=0)
    assert (project / "sops" / "claims.yaml").is_file()
    assert "procflow: note: --dir is deprecated; use -o/--output\n" in result.stderr
    assert "--dir" not in cli("new", "--help", expect=0).stdout


def test_the_folder_given_twice_is_a_usage_error(cli, project: Path) -> None:
    result = cli("new", "claims", "--dir", "a", "-o", "b", "--today", TODAY, expect=2)
    assert "give the folder once" in result.stderr
    assert not (project / "a").exists() and not (project / "b").exists()


def test_output_must_be_a_folder(cli, project: Path) -> None:
    (project / "taken").write_text("x\n", encoding="utf-8")
    assert "is a file" in cli("new", "claims", "-o", "taken", expect=2).stderr
    assert (project / "taken").read_text(encoding="utf-8") == "x\n"


def test_without_a_git_identity_the_owner_is_a_placeholder_with_a_note(
        cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no git at all
    result = cli("new", "intake", "--today", TODAY, expect=0)
    assert "git config user.name is not set" in result.stderr
    data = yaml.safe_load((project / "procedures" / "intake.yaml").read_text(encoding="utf-8"))
    assert data["owner"] == {"name": "Procedure owner"}
    cli("validate", "--strict", "--today", TODAY, "procedures", expect=0)


@pytest.mark.parametrize("existing", ["intake.yaml", "intake.yml"])
def test_an_existing_file_is_refused_and_kept(cli, project: Path, existing: str) -> None:
    path = project / "procedures" / existing
    path.parent.mkdir()
    path.write_text("keep me\n", encoding="utf-8")
    result = cli("new", "intake", expect=2)
    assert f"procedures/{existing} already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == "keep me\n"
    assert [p.name for p in path.parent.iterdir()] == [existing]


@pytest.mark.parametrize("bad_id, suggestion", [
    ("Complaint Handling", "complaint-handling"),
    ("claims_2026", "claims-2026"),
    ("trailing-", "trailing"),
    ("x" * 65, None),
])
def test_a_bad_id_is_refused_with_a_suggestion(cli, project: Path, bad_id: str,
                                               suggestion: str | None) -> None:
    result = cli("new", bad_id, expect=2)
    assert "is not a valid procedure id" in result.stderr
    if suggestion:
        assert f"such as '{suggestion}'" in result.stderr
    assert not (project / "procedures").exists()


def test_unknown_starter_and_bad_handle_are_usage_errors(cli, project: Path) -> None:
    assert "complaint" in cli("new", "x", "--from", "compliant", expect=2).stderr
    assert "not a git host handle" in cli("new", "x", "--handle", "acme", expect=2).stderr
    assert not (project / "procedures").exists()

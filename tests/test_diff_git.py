"""``procflow diff --base REV [--head REV2] [PATH...]`` on a real temporary git repository,
and procflow as git's external diff program (7 and 9 arguments, ``/dev/null`` sides,
always exit 0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from procflow.project import forget_loaded_projects

CASES = Path(__file__).parent / "diff_cases"
BASE = (CASES / "base.yaml").read_text(encoding="utf-8")
PHONE = (CASES / "folders" / "old" / "phone-intake.yaml").read_text(encoding="utf-8")
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env={**os.environ, **ENV, "HOME": str(repo.parent)}, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two commits: the second tightens an SLA and renames phone-intake.yaml (git mv)."""
    root = tmp_path / "repo"
    (root / "procedures").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "procedures" / "complaint-handling.yaml").write_text(BASE, encoding="utf-8")
    (root / "procedures" / "phone-intake.yaml").write_text(PHONE, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    (root / "procedures" / "complaint-handling.yaml").write_text(
        BASE.replace("target: 14d", "target: 7d"), encoding="utf-8")
    git(root, "mv", "procedures/phone-intake.yaml", "procedures/intake-by-phone.yaml")
    git(root, "commit", "-qam", "second")
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path))
    return root


def by_id(stdout: str) -> dict[str, dict]:
    return {p["id"]: p for p in json.loads(stdout)["procedures"]}


def test_two_revisions(cli, repo: Path) -> None:
    found = by_id(cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-f", "json", expect=0).stdout)
    assert found["complaint-handling"]["status"] == "changed"
    assert [c["path"] for c in found["complaint-handling"]["changes"]] == ["slas[resolution].target"]
    assert found["complaint-handling"]["file"] == "procedures/complaint-handling.yaml"


def test_a_renamed_file_is_followed(cli, repo: Path) -> None:
    found = by_id(cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-f", "json").stdout)
    assert found["phone-intake"]["status"] == "unchanged"
    assert found["phone-intake"]["old_file"] == "procedures/phone-intake.yaml"
    assert found["phone-intake"]["file"] == "procedures/intake-by-phone.yaml"


def test_base_against_the_working_tree(cli, repo: Path) -> None:
    cli("diff", "--base", "HEAD", "--exit-code", expect=0)
    path = repo / "procedures" / "complaint-handling.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: agent\n    end: true",
                                                            "role: specialist\n    end: true"))
    out = cli("diff", "--base", "HEAD", "--exit-code", expect=1).stdout
    assert "step 'close' role changed from 'agent' to 'specialist'" in out
    assert git(repo, "status", "--porcelain") == " M procedures/complaint-handling.yaml\n"


def test_from_a_subfolder_and_limited_to_a_path(cli, repo: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "procedures")
    assert set(by_id(cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-f", "json",
                         expect=0).stdout)) == {"complaint-handling", "phone-intake"}
    only = by_id(cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-f", "json",
                     "complaint-handling.yaml", expect=0).stdout)
    assert set(only) == {"complaint-handling"}


@pytest.mark.parametrize("option", ["--base=--output=x", "--base=-p", "--head=--output=x"])
def test_a_revision_that_looks_like_an_option_is_refused(cli, repo: Path, option: str) -> None:
    args = [option] if option.startswith("--base") else ["--base", "HEAD", option]
    result = cli("diff", *args, "--format", "json", expect=2)
    assert result.stdout == "" and "refusing revision" in result.stderr
    assert not (repo / "x").exists() and not Path("x").exists()
    assert git(repo, "status", "--porcelain") == ""


def test_unknown_revision(cli, repo: Path) -> None:
    result = cli("diff", "--base", "no-such-branch", expect=2)
    assert result.stderr.count("\n") == 1 and "unknown revision 'no-such-branch'" in result.stderr


def test_outside_a_repository(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = cli("diff", "--base", "HEAD", expect=2)
    assert result.stderr.count("\n") == 1 and "not inside a git repository" in result.stderr


def test_a_file_that_does_not_load_at_a_revision(cli, repo: Path) -> None:
    (repo / "procedures" / "complaint-handling.yaml").write_text("id: [unclosed\n")
    git(repo, "commit", "-qam", "broken")
    result = cli("diff", "--base", "HEAD~1", "--head", "HEAD", expect=2)
    assert "HEAD:procedures/complaint-handling.yaml:" in result.stderr and "PF001" in result.stderr


# --- the project file (calendars) read at each revision ------------------------------------

CALENDARS = CASES / "calendar-changed"
#: what the calendar-changed case reports: its calendars' hours, holidays and zone changed
CALENDAR_CHANGES = {"slas[answer].calendar": ("breaking", "tightened"),
                    "slas[resolve].calendar": ("breaking", "loosened"),
                    "slas[callback].calendar": ("breaking", None),
                    "slas[shift].calendar": ("breaking", None),
                    "slas[named].calendar": ("cosmetic", None)}


@pytest.fixture
def calendar_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One commit with the old calendars and a procedure on them; the second changes only
    procflow.yaml (office hours longer, a company day off, Prague's calendar moved to
    Warsaw's zone, earlier shifts, the same hours written per weekday)."""
    root = tmp_path / "repo"
    (root / "procedures").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "procflow.yaml").write_bytes((CALENDARS / "old" / "procflow.yaml").read_bytes())
    (root / "procedures" / "service.yaml").write_bytes(
        (CALENDARS / "old" / "service.yaml").read_bytes())
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    (root / "procflow.yaml").write_bytes((CALENDARS / "new" / "procflow.yaml").read_bytes())
    git(root, "commit", "-qam", "calendars only")
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path))
    return root


def calendar_changes(stdout: str) -> dict[str, tuple[str, str | None]]:
    [service] = json.loads(stdout)["procedures"]
    assert service["id"] == "service" and service["status"] == "changed"
    return {c["path"]: (c["impact"], c.get("direction")) for c in service["changes"]}


def test_a_commit_that_changes_only_the_calendars(cli, calendar_repo: Path) -> None:
    out = cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-f", "json", expect=0).stdout
    assert calendar_changes(out) == CALENDAR_CHANGES
    back = cli("diff", "--base", "HEAD", "--head", "HEAD~1", "-f", "json", expect=0).stdout
    swap = {"tightened": "loosened", "loosened": "tightened", None: None}
    assert calendar_changes(back) == {path: (impact, swap[direction])
                                      for path, (impact, direction) in CALENDAR_CHANGES.items()}
    text = cli("diff", "--base", "HEAD~1", "--head", "HEAD", expect=0).stdout
    assert "its calendar 'office' changed" in text and "tightened" in text
    assert cli("diff", "--base", "HEAD", "--head", "HEAD", "--exit-code", expect=0)


def test_calendars_of_the_working_tree_against_a_revision(cli, calendar_repo: Path) -> None:
    out = cli("diff", "--base", "HEAD~1", "-f", "json", expect=0).stdout
    assert calendar_changes(out) == CALENDAR_CHANGES
    (calendar_repo / "procflow.yaml").write_bytes(
        (CALENDARS / "old" / "procflow.yaml").read_bytes())  # back as it was, uncommitted
    forget_loaded_projects()  # one process per command for a user; here, one for all
    assert cli("diff", "--base", "HEAD~1", "--exit-code", expect=0)
    assert calendar_changes(cli("diff", "--base", "HEAD", "-f", "json").stdout) == {
        path: (impact, {"tightened": "loosened", "loosened": "tightened"}.get(direction or ""))
        for path, (impact, direction) in CALENDAR_CHANGES.items()}


def test_each_revision_has_its_own_project_folder(cli, calendar_repo: Path) -> None:
    """A project file added below the procedures' folder governs them from that commit on."""
    nested = calendar_repo / "procedures" / "procflow.yaml"
    nested.write_text("procflow: 1\ncalendars:\n  - {id: office, timezone: Europe/Warsaw, "
                      "hours: '08:00-20:00'}\ndefault_calendar: office\n", encoding="utf-8")
    git(calendar_repo, "add", ".")
    git(calendar_repo, "commit", "-qm", "a project file for the procedures' folder")
    found = calendar_changes(cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-f", "json",
                                 expect=0).stdout)
    assert found["slas[answer].calendar"] == ("breaking", "tightened")  # 8-18 -> 8-20


@pytest.mark.parametrize("broken", ["procflow: 1\ncalendars: [{id: office, hours: 25:00}\n",
                                    "procflow: 1\ncalendars: {id: office}\n"])
def test_a_broken_project_file_at_a_revision(cli, calendar_repo: Path, broken: str) -> None:
    (calendar_repo / "procflow.yaml").write_text(broken, encoding="utf-8")
    git(calendar_repo, "commit", "-qam", "broken project file")
    result = cli("diff", "--base", "HEAD~1", "--head", "HEAD", expect=2)
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert "project file (procflow.yaml) at HEAD has problems" in result.stderr
    assert "HEAD:procflow.yaml:" in result.stderr
    # the same file in the working tree (uncommitted) also stops the diff
    git(calendar_repo, "reset", "-q", "--hard", "HEAD~1")
    (calendar_repo / "procflow.yaml").write_text(broken, encoding="utf-8")
    forget_loaded_projects()
    result = cli("diff", "--base", "HEAD", expect=2)
    assert "procflow.yaml has problems" in result.stderr and "Traceback" not in result.stderr


def test_a_hostile_project_file_at_a_revision_is_not_read(cli, calendar_repo: Path,
                                                          tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("procflow: 1\ncalendars: [{id: office, hours: '00:00-23:59'}]\n")
    (calendar_repo / "procflow.yaml").unlink()
    (calendar_repo / "procflow.yaml").symlink_to(secret)
    git(calendar_repo, "add", "-A")
    git(calendar_repo, "commit", "-qm", "a link out of the repository")
    result = cli("diff", "--base", "HEAD~1", "--head", "HEAD", expect=2)
    assert "HEAD:procflow.yaml:1:1" in result.stderr and "outside the repository" in result.stderr
    (calendar_repo / "procflow.yaml").unlink()
    (calendar_repo / "procflow.yaml").write_bytes(b"procflow: 1\n# " + b"x" * 3_000_000 + b"\n")
    git(calendar_repo, "add", "-A")
    git(calendar_repo, "commit", "-qm", "a huge project file")
    result = cli("diff", "--base", "HEAD~2", "--head", "HEAD", expect=2)
    assert "over the bound" in result.stderr and "HEAD:procflow.yaml" in result.stderr


# --- the git diff driver ---------------------------------------------------------------------


def test_driver_with_seven_arguments(cli, repo: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(BASE, encoding="utf-8")
    new = repo / "procedures" / "complaint-handling.yaml"
    result = cli("git-diff-driver", "procedures/complaint-handling.yaml", old, "1" * 40, "100644",
                 new, "2" * 40, "100644", expect=0)
    assert result.stdout.startswith("procflow diff a/procedures/complaint-handling.yaml "
                                    "b/procedures/complaint-handling.yaml\n")
    assert "SLA 'resolution' target tightened from 14d to 7d" in result.stdout


def test_driver_with_nine_arguments_and_dev_null(cli, repo: Path) -> None:
    new = repo / "procedures" / "intake-by-phone.yaml"
    renamed = cli("git-diff-driver", "procedures/phone-intake.yaml", new, "1" * 40, "100644", new,
                  "2" * 40, "100644", "procedures/intake-by-phone.yaml",
                  "similarity index 100%\nrename from procedures/phone-intake.yaml\n"
                  "rename to procedures/intake-by-phone.yaml\n", expect=0).stdout
    assert "b/procedures/intake-by-phone.yaml" in renamed and "rename from" in renamed
    assert "no semantic change" in renamed
    added = cli("git-diff-driver", "procedures/intake-by-phone.yaml", "/dev/null", ".", ".", new,
                "2" * 40, "100644", expect=0).stdout
    assert "phone-intake 1.0.0: added (notable)" in added


def test_driver_never_fails(cli, repo: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    new = repo / "procedures" / "complaint-handling.yaml"
    out = cli("git-diff-driver", "procedures/x.yaml", broken, "1" * 40, "100644", new, "2" * 40,
              "100644", expect=0).stdout
    assert "PF001" in out and "+procflow: 1" in out  # diagnostics, then a plain line diff
    assert "7 or 9 arguments" in cli("git-diff-driver", "a", "b", expect=0).stdout
    assert "unmerged" in cli("git-diff-driver", "procedures/x.yaml", expect=0).stdout


def test_driver_colour_only_under_git_pager_and_never_with_no_color(cli, repo: Path) -> None:
    new = repo / "procedures" / "complaint-handling.yaml"
    args = ("git-diff-driver", "p.yaml", "/dev/null", ".", ".", new, "2" * 40, "100644")
    assert "\x1b[" in cli(*args, env={"GIT_PAGER_IN_USE": "true"}, expect=0).stdout
    assert "\x1b[" not in cli(*args, env={"GIT_PAGER_IN_USE": "true", "NO_COLOR": "1"},
                              expect=0).stdout


def test_git_diff_uses_the_driver(repo: Path) -> None:
    """The documented setup, end to end: git itself calls procflow (with 7 and 9 arguments)."""
    (repo / ".gitattributes").write_text("procedures/**/*.yaml diff=procflow\n")
    git(repo, "config", "diff.procflow.command",
        f"{sys.executable} -m procflow git-diff-driver")
    out = git(repo, "diff", "-M", "HEAD~1", "HEAD")
    assert "SLA 'resolution' target tightened from 14d to 7d" in out
    assert "b/procedures/intake-by-phone.yaml" in out and "rename from" in out
    assert "@@" not in out  # no line diff: procflow's view replaced it

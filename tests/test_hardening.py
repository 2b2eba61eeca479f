"""Hostile repositories built in ``tmp_path`` (issue 16): symbolic links out of the tree,
planted targets for writes, planted project files, unreadable folders. Each test is one
defect of the adversarial run; each holds within seconds and small memory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from procflow.codeowners import BEGIN

SECRET = "https://x-access-token:ghp_SECRETSECRET@github.com"


def procedure(name: str, *, handle: str | None = None, extra: str = "") -> str:
    handle_line = f'\n  handle: "{handle}"' if handle else ""
    return f"""procflow: 1
id: {name}
title: T
version: "1.0.0"
owner:
  name: Anna{handle_line}
roles: [{{id: agent, name: Agent}}]
steps: [{{id: s, title: S, role: agent}}]
{extra}"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (``.git`` folder) with a project file and one procedure with a handle."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "procflow.yaml").write_text("procflow: 1\n", encoding="utf-8")
    (root / "procedures").mkdir()
    (root / "procedures" / "returns.yaml").write_text(procedure("returns", handle="@acme/r"),
                                                      encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the repository that must never be written or quoted."""
    secret = tmp_path / "home" / ".bashrc"
    secret.parent.mkdir()
    secret.write_text(f"token: '{SECRET}'\n", encoding="utf-8")
    return secret


# --- 1: writes through symbolic links -------------------------------------------------------


def test_codeowners_write_refuses_a_codeowners_file_that_is_a_link(cli, repo: Path,
                                                                   outside: Path) -> None:
    (repo / ".github").mkdir()
    (repo / ".github" / "CODEOWNERS").symlink_to(outside)
    result = cli("codeowners", "--write", expect=2)
    assert "symbolic link" in result.stderr
    assert outside.read_text(encoding="utf-8") == f"token: '{SECRET}'\n"


def test_codeowners_write_refuses_a_dangling_link(cli, repo: Path, tmp_path: Path) -> None:
    (repo / "CODEOWNERS").symlink_to(tmp_path / "nowhere")
    cli("codeowners", "--write", "CODEOWNERS", expect=2)
    assert not (tmp_path / "nowhere").exists()


def test_codeowners_write_refuses_a_linked_folder_out_of_the_repository(
        cli, repo: Path, outside: Path) -> None:
    (repo / ".github").symlink_to(outside.parent)
    result = cli("codeowners", "--write", expect=2)
    assert "outside" in result.stderr
    assert sorted(os.listdir(outside.parent)) == [".bashrc"]


def test_codeowners_write_replaces_the_file_whole_and_keeps_its_mode(cli, repo: Path) -> None:
    target = repo / ".github" / "CODEOWNERS"
    target.parent.mkdir()
    target.write_text("* @acme/admins\n", encoding="utf-8")
    target.chmod(0o640)
    cli("codeowners", "--write", expect=0)
    assert target.read_text(encoding="utf-8").startswith("* @acme/admins\n\n" + BEGIN)
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(target.parent)) == ["CODEOWNERS"]  # no scratch file left


def test_init_refuses_a_linked_github_folder(cli, tmp_path: Path, outside: Path) -> None:
    project = tmp_path / "new-project"
    project.mkdir()
    (project / ".github").symlink_to(outside.parent)
    result = cli("init", project, expect=2)
    assert "outside" in result.stderr
    assert sorted(os.listdir(outside.parent)) == [".bashrc"]


def test_new_refuses_a_dangling_link_at_the_target(cli, repo: Path, tmp_path: Path) -> None:
    (repo / "procedures" / "fresh.yaml").symlink_to(tmp_path / "planted.yaml")
    cli("new", "fresh", expect=2)
    assert not (tmp_path / "planted.yaml").exists()


def test_init_in_an_unwritable_folder_is_one_line_exit_2(cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = cli("init", locked, expect=2)
    finally:
        locked.chmod(0o700)
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [("schema", "-o"), ("diff", "-o")])
def test_output_file_replaces_a_planted_link_instead_of_writing_through_it(
        cli, repo: Path, outside: Path, command: tuple[str, str]) -> None:
    (repo / "out.txt").symlink_to(outside)
    (repo / "other").mkdir()
    shutil.copy(repo / "procedures" / "returns.yaml", repo / "other" / "returns.yaml")
    args = ["procedures", "other"] if command[0] == "diff" else []
    cli(command[0], *args, command[1], "out.txt", expect=0)
    assert outside.read_text(encoding="utf-8") == f"token: '{SECRET}'\n"
    assert not (repo / "out.txt").is_symlink()
    assert [n for n in os.listdir(repo) if "tmp" in n] == []


# --- 2: procedure files that are links out of the repository --------------------------------


@pytest.fixture
def linked_secret(repo: Path, outside: Path) -> Path:
    link = repo / "procedures" / "x.yaml"
    link.symlink_to(outside)
    return link


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_validate_reports_a_link_out_of_the_repository_without_reading_it(
        cli, linked_secret: Path, fmt: str) -> None:
    result = cli("validate", "--format", fmt, expect=1)
    assert "symbolic link to a file outside the repository; not read" in result.stdout
    assert "ghp_" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", [["render", "-o", "site"], ["review"], ["codeowners"],
                                     ["diff", "procedures", "procedures"]])
def test_every_command_refuses_the_link_without_quoting_it(cli, linked_secret: Path,
                                                           command: list[str]) -> None:
    result = cli(*command, expect=2)
    assert "symbolic link to a file outside the repository" in result.stderr
    assert "ghp_" not in result.stdout + result.stderr


def test_a_link_inside_the_repository_is_read(cli, repo: Path) -> None:
    (repo / "shared").mkdir()
    (repo / "shared" / "intake.yaml").write_text(procedure("intake"), encoding="utf-8")
    (repo / "procedures" / "intake.yaml").symlink_to(repo / "shared" / "intake.yaml")
    assert "2 files checked" in cli("validate", expect=0).stdout


def test_a_long_value_is_quoted_short_and_printable(cli, repo: Path) -> None:
    value = "\x1b]52;c;" + "A" * 5000
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns").replace("title: T", f"title: {{a: 1}}\nstatus: \"{value}\""),
        encoding="utf-8")
    result = cli("validate", "--format", "json", expect=1)
    messages = [line for line in result.stdout.splitlines() if '"message"' in line]
    assert messages and all(len(line) < 400 for line in messages), messages
    assert "\x1b" not in result.stdout and "\\u001b" not in result.stdout


# --- 3 and 22: planted project files, unreadable folders ------------------------------------


def test_a_project_file_in_a_shared_parent_is_not_used(cli, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "procflow.yaml").write_text("procflow: 1\ntemplates: /\n", encoding="utf-8")
    mine = tmp_path / "shared" / "mine"
    mine.mkdir(parents=True)
    (mine / "p.yaml").write_text(procedure("p"), encoding="utf-8")
    monkeypatch.chdir(mine)
    from procflow.project import find_project_file

    assert find_project_file(mine / "p.yaml") is None
    cli("render", "p.yaml", "-o", "site", "--format", "md", expect=0)


def test_an_unreadable_sub_folder_is_a_finding_not_all_good(cli, repo: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    locked = repo / "procedures" / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    try:
        result = cli("validate", expect=1)
        render = cli("render", "-o", "site", expect=2)
    finally:
        locked.chmod(0o700)
    assert "cannot read the folder" in result.stdout
    assert "All good" not in result.stdout
    assert "cannot be read" in render.stderr


def test_a_submodule_is_not_walked(cli, repo: Path) -> None:
    sub = repo / "procedures" / "vendor"
    sub.mkdir()
    (sub / ".git").write_text("gitdir: ../../.git/modules/vendor\n", encoding="utf-8")
    (sub / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    assert "1 file checked" in cli("validate", expect=0).stdout


# --- 4 and 5: terminal, CI-log and Markdown injection through names and values -------------

HOSTILE_NAME = "x\n::error file=a::owned\n# Heading <img src=x>\u202e\u200b\x1b[2J"


def test_a_file_name_with_a_newline_starts_no_workflow_command(cli, repo: Path) -> None:
    (repo / "procedures" / f"{HOSTILE_NAME}.yaml").write_text("a: [\n", encoding="utf-8")
    for command in (["render", "-o", "site"], ["review"], ["validate", "--format", "github"]):
        result = cli(*command)
        assert result.exit_code in (1, 2)
        lines = (result.stdout + result.stderr).splitlines()
        assert not [line for line in lines if line.startswith("::error file=a")], lines
        for char in "\x1b\u202e\u200b":
            assert char not in result.stdout + result.stderr


def test_the_printable_filter_covers_bidi_and_zero_width_characters() -> None:
    from procflow.findings import printable

    hostile = "a\u202eb\u2066c\u200ed\u061ce\u200bf\u2060g\ufeffh\x07i\x9bj"
    assert printable(hostile).isprintable() and printable(hostile).isascii()


def test_diff_markdown_keeps_a_file_name_with_newlines_in_its_code_span(cli, repo: Path) -> None:
    old, new = repo / "old", repo / "new"
    for side, title in ((old, "T"), (new, "Changed")):
        side.mkdir()
        (side / f"{HOSTILE_NAME}.yaml").write_text(
            procedure("returns").replace("title: T", f"title: {title}"), encoding="utf-8")
    report = cli("diff", "old", "new", "--format", "md", expect=0).stdout
    assert not [line for line in report.splitlines() if line.startswith(("# Heading", "::"))]
    assert "\x1b" not in report
    # the whole name stays in one code span, where <img> is literal text
    assert "`new/x\\n::error file=a::owned\\n# Heading <img src=x>\\u202e" in report


def test_code_span_escapes_a_pipe_for_table_cells() -> None:
    from procflow.markup.markdown import code_span

    assert "|" not in code_span("a|b").replace("\\|", "")
    assert code_span("a\nb") == "`a\\nb`"


# --- 3: templates -----------------------------------------------------------------------------


def test_a_template_override_cannot_run_python(cli, repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (repo / "templates").mkdir()
    (repo / "templates" / "procedure.md.j2").write_text(
        "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}\n",
        encoding="utf-8")
    (repo / "procflow.yaml").write_text("procflow: 1\ntemplates: templates\n", encoding="utf-8")
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "template" in result.stderr and "unsafe" in result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("folder", ["/", "/etc", "../.."])
def test_templates_must_stay_inside_the_project(cli, repo: Path, folder: str) -> None:
    (repo / "procflow.yaml").write_text(f"procflow: 1\ntemplates: {folder}\n", encoding="utf-8")
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "templates: must name a folder inside the project" in result.stderr
    assert "templates: must name a folder inside the project" in cli("validate", expect=1).stdout


@pytest.mark.parametrize("content", ["procflow: 1\nlimits: {max_bytes: -1}\n", "a: [\n"])
def test_render_stops_on_a_broken_project_file(cli, repo: Path, content: str) -> None:
    (repo / "procflow.yaml").write_text(content, encoding="utf-8")
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "procflow.yaml" in result.stderr and ("PF003" in result.stderr
                                                  or "PF001" in result.stderr)
    assert not (repo / "site").exists()


# --- 12, 14, 15, 21: diff against git revisions ----------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, "HOME": str(root.parent)}, check=True)
    return done.stdout


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "g"
    (root / "procedures").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "procedures" / "returns.yaml").write_text(procedure("returns"), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    monkeypatch.chdir(root)
    return root


def test_diff_base_refuses_a_committed_link_out_of_the_repository(cli, git_repo: Path,
                                                                 outside: Path) -> None:
    (git_repo / "procedures" / "x.yaml").symlink_to(outside)
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "link")
    for args in (["--base", "HEAD~1", "--head", "HEAD"], ["--base", "HEAD"]):
        result = cli("diff", *args, expect=2)
        assert "symbolic link to a file outside the repository" in result.stderr
        assert "ghp_" not in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_diff_head_follows_a_committed_link_inside_the_revision(cli, git_repo: Path) -> None:
    (git_repo / "shared").mkdir()
    (git_repo / "shared" / "intake.yaml").write_text(procedure("intake"), encoding="utf-8")
    (git_repo / "procedures" / "intake.yaml").symlink_to("../shared/intake.yaml")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "link")
    result = cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", expect=0)
    assert '"intake"' in result.stdout


def test_diff_base_checks_blob_sizes_before_reading(cli, git_repo: Path) -> None:
    (git_repo / "procflow.yaml").write_text("procflow: 1\nlimits: {max_bytes: 1000}\n",
                                            encoding="utf-8")
    (git_repo / "procedures" / "big.yaml").write_text(procedure("big") + "#" * 5000 + "\n",
                                                     encoding="utf-8")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "big")
    result = cli("diff", "--base", "HEAD~1", "--head", "HEAD", expect=2)
    assert "over the bound of 1,000 bytes" in result.stderr


def test_diff_reports_two_files_with_one_id_on_one_side(cli, git_repo: Path) -> None:
    (git_repo / "procedures" / "copy.yaml").write_text(procedure("returns"), encoding="utf-8")
    result = cli("diff", "--base", "HEAD", expect=2)
    assert "PF008" in result.stderr and "copy.yaml" in result.stderr


def test_diff_in_a_partial_clone_without_its_promisor_exits_2_with_gits_message(
        cli, git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(git_repo, "config", "uploadpack.allowfilter", "true")
    (git_repo / "procedures" / "returns.yaml").write_text(procedure("returns", extra="tags: [x]\n"),
                                                         encoding="utf-8")
    git(git_repo, "commit", "-qam", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-local", "--filter=blob:none", "--no-checkout",
        str(git_repo), str(clone))
    git(clone, "remote", "set-url", "origin", str(tmp_path / "gone"))
    monkeypatch.chdir(clone)
    result = cli("diff", "--base", "HEAD~1", "--head", "HEAD", expect=2)
    assert "git failed" in result.stderr and "Traceback" not in result.stderr


def test_the_git_diff_driver_stops_on_an_endless_file(cli, tmp_path: Path) -> None:
    import subprocess
    import sys

    old = tmp_path / "old.yaml"
    old.write_text(procedure("returns"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from procflow.__main__ import main; main()", "git-diff-driver",
         "procedures/r.yaml", str(old), "a" * 40, "100644", "/dev/zero", "b" * 40, "100644"],
        capture_output=True, timeout=60, check=False)
    assert done.returncode == 0
    assert b"over the bound" in done.stdout or b"PF002" in done.stdout


# --- 6, 8, 11: bounded work ----------------------------------------------------------------


def test_findings_are_capped_per_file(cli, repo: Path) -> None:
    keys = "".join(f"unknown-key-{k}: 1\n" for k in range(2_000))
    (repo / "procedures" / "returns.yaml").write_text(procedure("returns") + keys,
                                                      encoding="utf-8")
    result = cli("validate", "--format", "json", expect=1)
    import json

    findings = json.loads(result.stdout)["diagnostics"]
    assert len(findings) == 201
    assert "… and 1,800 more findings" in findings[-1]["message"]


def test_did_you_mean_among_thousands_of_ids_still_finds_a_typo() -> None:
    from procflow.findings import Suggester, did_you_mean

    ids = [f"procedure-{k}" for k in range(5_000)] + ["complaint-handling"]
    suggester = Suggester(ids)
    assert did_you_mean("complaint-handlng", suggester) == " (did you mean 'complaint-handling'?)"
    assert did_you_mean("x" * 5_000, suggester) == ""


def test_many_unknown_related_ids_read_the_file_once(repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import procflow.lint as lint

    related = ", ".join(f"missing-{k}" for k in range(300))
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns", extra=f"related: [{related}]\n"), encoding="utf-8")
    reads: list[Path] = []
    real = lint.read_document
    monkeypatch.setattr(lint, "read_document", lambda p, limits: reads.append(p) or real(p, limits))
    import datetime as dt

    result = lint.validate([repo / "procedures"], today=dt.date(2026, 6, 1))
    assert sum(f.code == "PF009" for f in result.findings) == 201  # 200, then "… and 100 more"
    assert "… and 100 more" in result.findings[-1].message
    assert len(reads) == 1


@pytest.mark.parametrize(("extra", "setting"), [
    ("roles:\n" + "".join(f"  - {{id: r{k}, name: R}}\n" for k in range(201)), "max_roles"),
    ("steps:\n" + "".join(f"  - {{id: s{k}, title: S, role: agent}}\n" for k in range(1001)),
     "max_steps"),
])
def test_counts_over_the_limits_are_pf002(cli, repo: Path, extra: str, setting: str) -> None:
    text = procedure("returns").replace("roles: [{id: agent, name: Agent}]\n", "") \
        .replace("steps: [{id: s, title: S, role: agent}]\n", "")
    if setting == "max_roles":
        text += extra + "steps: [{id: s, title: S, role: r0}]\n"
    else:
        text += "roles: [{id: agent, name: Agent}]\n" + extra
    (repo / "procedures" / "returns.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", expect=1)
    assert "PF002" in result.stdout and f"limits.{setting}" in result.stdout
    cli("render", "-o", "site", "--format", "md", expect=2)
    (repo / "procflow.yaml").write_text(f"procflow: 1\nlimits: {{{setting}: 2000}}\n",
                                        encoding="utf-8")
    from procflow.project import forget_loaded_projects

    forget_loaded_projects()  # the same process read the old project file
    assert "PF002" not in cli("validate").stdout


def test_too_many_branches_are_pf002(cli, repo: Path) -> None:
    branches = "".join(f"      - {{when: w{k}, next: s}}\n" for k in range(51))
    text = procedure("returns").replace(
        "steps: [{id: s, title: S, role: agent}]\n",
        f"steps:\n  - id: d\n    title: D\n    role: agent\n    branches:\n{branches}"
        "  - {id: s, title: S, role: agent, end: true}\n")
    (repo / "procedures" / "returns.yaml").write_text(text, encoding="utf-8")
    assert "limits.max_branches" in cli("validate", expect=1).stdout


# --- 13: long labels --------------------------------------------------------------------------


def test_a_long_title_of_quotes_renders_with_a_bounded_label(cli, repo: Path) -> None:
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns").replace("title: S", "title: '" + '"' * 3000 + "x" * 16_000 + "'"),
        encoding="utf-8")
    cli("validate", expect=0)
    cli("render", "-o", "site", "--format", "svg,dot", expect=0)
    dot = (repo / "site" / "returns.dot").read_text(encoding="utf-8")
    assert max(len(line) for line in dot.splitlines()) < 16_384
    assert (repo / "site" / "returns.svg").stat().st_size > 0


# --- 16, 17, 19, 23, 24: fields and ids ------------------------------------------------------


@pytest.mark.parametrize("project", [
    "procflow: 1\nlanguage: ../../x\n",
    "procflow: 1\nlanguage: " + "a" * 300 + "\n",
    "procflow: 1\nlimits: {max_bytes: 9223372036854775808}\n",
    "procflow: yes\n", "procflow: 1.0\n", "procflow: 0x1\n",
])
def test_bad_project_settings_are_pf003_not_a_crash(cli, repo: Path, project: str) -> None:
    (repo / "procflow.yaml").write_text(project, encoding="utf-8")
    result = cli("validate", expect=1)
    assert "PF003" in result.stdout and "Traceback" not in result.stdout + result.stderr
    cli("render", "-o", "site", "--format", "md", expect=2)


def test_a_procedures_language_tag_is_bounded(cli, repo: Path) -> None:
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns", extra="language: en" + "-abcdefgh" * 10 + "\n"), encoding="utf-8")
    assert "PF003" in cli("validate", expect=1).stdout


def test_a_quoted_format_version_says_so(cli, repo: Path) -> None:
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns").replace("procflow: 1", 'procflow: "1"'), encoding="utf-8")
    out = cli("validate", expect=1).stdout
    assert "not text; write procflow: 1" in out and "did you mean" not in out


@pytest.mark.parametrize("reserved", ["procflow", "index"])
def test_new_refuses_reserved_ids(cli, repo: Path, reserved: str) -> None:
    assert "reserved" in cli("new", reserved, expect=2).stderr
    assert not (repo / "procedures" / f"{reserved}.yaml").exists()


def test_owner_handles_are_ascii(cli, repo: Path) -> None:
    (repo / "procedures" / "returns.yaml").write_text(procedure("returns", handle="@ａｃｍｅ"),
                                                      encoding="utf-8")
    assert "PF003" in cli("validate", expect=1).stdout


def test_jobs_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from procflow import parallel

    started: list[int] = []

    class Pool:
        def __init__(self, workers: int, **_: object) -> None:
            started.append(workers)

        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *_: object) -> None:
            return None

        def map(self, function, *columns, chunksize: int = 1):  # noqa: ANN001, ANN201
            return map(function, *columns)

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    assert parallel.map_in_processes(abs, [(-k,) for k in range(100)], jobs=300) == list(range(100))
    assert started == [parallel.max_jobs()]


# --- 10: output encodings -------------------------------------------------------------------


def run_procflow(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "from procflow.__main__ import main; main()",
                           *args], cwd=cwd, capture_output=True, timeout=120, check=False,
                          env={**os.environ, **env})
    return done.returncode, (done.stdout + done.stderr).decode("latin-1")


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"},
                                 {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}])
def test_no_character_crashes_a_run_under_a_narrow_locale(repo: Path, env: dict[str, str]) -> None:
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns", extra="zgłoszenie: 1\n"), encoding="utf-8")
    (repo / "old").mkdir()
    (repo / "old" / "returns.yaml").write_text(
        procedure("returns").replace("title: S", "title: Przyjęcie → zgłoszenia"),
        encoding="utf-8")
    (repo / "new").mkdir()
    (repo / "new" / "returns.yaml").write_text(
        procedure("returns").replace("title: S", "title: Przyjęcie ← zgłoszenia"),
        encoding="utf-8")
    for args, expected in ((["validate"], 1), (["validate", "--format", "github"], 1),
                           (["review"], 2), (["diff", "old", "new"], 0),
                           (["diff", "old", "new", "--format", "md"], 0)):
        code, out = run_procflow(*args, cwd=repo, env=env)
        assert code == expected, (args, out)
        assert "internal error" not in out and "Traceback" not in out


@pytest.fixture
def odd_name(repo: Path) -> Path:
    name = os.fsdecode(b"r\xe9clamation.yaml")
    try:
        path = repo / "procedures" / name
        path.write_text(procedure("returns", extra="unknown: 1\n"), encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses names that are not UTF-8")
    (repo / "procedures" / "returns.yaml").unlink()
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(cli, odd_name: Path, fmt: str) -> None:
    out = cli("validate", "--format", fmt, expect=1).stdout
    assert "udce9clamation.yaml" in out  # the odd byte as an escape, whatever the format


@pytest.mark.parametrize("fmt", ["json", "md", "html", "text"])
def test_diff_writes_a_report_for_a_file_name_that_is_not_utf8(cli, odd_name: Path,
                                                               repo: Path, fmt: str) -> None:
    (repo / "new").mkdir()
    shutil.copy(odd_name, repo / "new" / "returns.yaml")
    (repo / "new" / "returns.yaml").write_text(procedure("returns"), encoding="utf-8")
    odd_name.write_text(procedure("returns"), encoding="utf-8")
    (repo / "new" / "returns.yaml").write_text(
        procedure("returns").replace("title: T", "title: U"), encoding="utf-8")
    cli("diff", "procedures", "new", "--format", fmt, "-o", f"report.{fmt}", expect=0)
    assert (repo / f"report.{fmt}").read_text(encoding="utf-8")


@pytest.fixture
def locked(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """procedures/locked, a folder that cannot be listed (root reads every folder, so the
    refusal is simulated where the walk lists it)."""
    folder = repo / "procedures" / "locked"
    folder.mkdir()
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if os.fspath(path).endswith("locked"):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied",
                                  os.fspath(path))  # type: ignore[arg-type]
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    return folder


def test_an_unlistable_sub_folder_is_a_finding_even_for_root(cli, locked: Path) -> None:
    (locked / "hidden.yaml").write_text("a: [\n", encoding="utf-8")
    result = cli("validate", expect=1)
    assert "cannot read the folder: Permission denied" in result.stdout
    assert "All good" not in result.stdout


def test_init_where_a_folder_cannot_be_made_is_one_line_exit_2(cli, tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / ".github").write_text("a file where a folder must go\n", encoding="utf-8")
    result = cli("init", project, expect=2)
    assert "cannot write" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_jobs_over_the_cap_are_lowered_with_a_note(cli, repo: Path) -> None:
    result = cli("validate", "--jobs", "300", expect=0)
    assert "note: --jobs 300" in result.stderr


# --- 13 and 20: the right diagnosis for the engine and the environment ------------------------


def test_graphviz_refusing_a_graph_is_not_called_a_missing_engine() -> None:
    from procflow.errors import EnvironmentProblem
    from procflow.render import engine

    if not engine.available():
        pytest.skip("no diagram engine here")
    with pytest.raises(EnvironmentProblem) as raised:
        engine.draw('digraph { a [label="' + "x" * 20_000 + '"] }', "svg")
    assert "pip install" not in str(raised.value) and "refused" in str(raised.value)


def test_closed_stdout_is_one_line_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "from procflow.__main__ import main; main()",
                           "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=60, check=False, close_fds=True,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1 and "Traceback" not in done.stderr.decode()


def test_a_deleted_working_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    gone = tmp_path / "gone"
    gone.mkdir()
    done = subprocess.run(
        ["sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec "$0" -c '
         '"from procflow.__main__ import main; main()" validate', sys.executable],
        capture_output=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert b"working folder no longer exists" in done.stderr


@pytest.mark.parametrize("kind", ["template", "catalogue"])
def test_a_template_or_catalogue_linked_out_of_the_folder_is_not_read(
        cli, repo: Path, outside: Path, kind: str) -> None:
    templates = repo / "templates"
    (templates / "i18n").mkdir(parents=True)
    if kind == "template":
        (templates / "procedure.md.j2").write_text('{% include "secret.j2" %}\n',
                                                   encoding="utf-8")
        (templates / "secret.j2").symlink_to(outside)
    else:
        (templates / "i18n" / "en.yaml").symlink_to(outside)
    (repo / "procflow.yaml").write_text("procflow: 1\ntemplates: templates\n", encoding="utf-8")
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "symbolic link out of the templates folder" in result.stderr
    assert "ghp_" not in result.stdout + result.stderr
    assert not list((repo / "site").glob("*.md")) if (repo / "site").exists() else True


def test_an_alias_bomb_in_a_label_catalogue_is_exit_2_in_small_memory(cli, repo: Path) -> None:
    import tracemalloc

    laughs = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10))
    (repo / "templates" / "i18n").mkdir(parents=True)
    (repo / "templates" / "i18n" / "en.yaml").write_text(laughs, encoding="utf-8")
    (repo / "procflow.yaml").write_text("procflow: 1\ntemplates: templates\n", encoding="utf-8")
    tracemalloc.start()
    try:
        result = cli("render", "-o", "site", "--format", "md", expect=2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "label catalogue" in result.stderr and "alias" in result.stderr
    assert peak < 50_000_000


def test_the_sandbox_remembers_jinjas_verdicts_and_still_refuses_twice() -> None:
    """Rendering remembers the sandbox's verdict per type and attribute (issue 11, speed):
    the verdicts are jinja's own, and an unsafe attribute stays unsafe on every look-up."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from procflow.render.environment import _Sandbox

    ours, theirs = _Sandbox(), ImmutableSandboxedEnvironment()
    objects = [[], {}, set(), "text", 1, len, lambda: 0, type, ImmutableSandboxedEnvironment]
    names = ["append", "update", "add", "pop", "upper", "real", "__class__", "__globals__",
             "mro", "__init__", "_private", "__code__", "items", "format"]
    for _ in range(2):
        for obj in objects:
            for name in names:
                value = getattr(obj, name, None)
                assert ours.is_safe_attribute(obj, name, value) \
                    == theirs.is_safe_attribute(obj, name, value), (obj, name)
    for _ in range(2):  # the second time the verdicts come from memory
        with pytest.raises(SecurityError):
            ours.from_string("{{ items.append(1) }}").render(items=[])
        # str.format stays wrapped by the sandbox: no way to a private attribute through it
        assert ours.from_string("{{ text.format(text) }}").render(text="{0.__class__}") == ""
        assert ours.from_string("{{ text.upper() }}").render(text="a") == "A"


def test_the_sandbox_remembers_which_calls_are_plain_and_still_refuses_twice() -> None:
    """Calls of a view's methods and of the labels skip the sandbox's checks once they passed
    them (issue 11, speed): a method marked unsafe (or ``alters_data``) is refused on every
    call, one that asks for jinja's context still gets it, and loop variables never reach
    the method."""
    from jinja2 import pass_context
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import unsafe

    from procflow.render.environment import _Sandbox

    class View:
        def plain(self, n: int, **extra: object) -> str:
            return f"plain {n} {sorted(extra)}"

        @unsafe
        def dangerous(self) -> str:
            return "ran"

        def alters(self) -> str:
            return "ran"

        alters.alters_data = True  # type: ignore[attr-defined]

        @pass_context
        def with_context(self, context: object) -> str:
            return type(context).__name__

    sandbox = _Sandbox()
    loop = "{% for n in [1, 2] %}{{ view.plain(n) }};{% endfor %}"
    for _ in range(3):  # the second and third time the verdicts come from memory
        assert sandbox.from_string(loop).render(view=View()) == "plain 1 [];plain 2 [];"
        assert sandbox.from_string("{{ view.with_context() }}").render(view=View()) == "Context"
        for name in ("dangerous", "alters"):
            with pytest.raises(SecurityError):
                sandbox.from_string(f"{{{{ view.{name}() }}}}").render(view=View())

"""Further proofs for issue 16, items 9 to 24 (tests/test_hardening.py has the first ones):
hostile repositories built in ``tmp_path``, real git, procflow run in a subprocess where the
defect lives in the process itself (its output streams, its locale). Each test is bounded in
time and memory and fails if its defect comes back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.test_hardening import (  # noqa: F401 (repo, git_repo, locked: fixtures)
    git,
    git_repo,
    locked,
    procedure,
    repo,
)


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdout: object = None
        ) -> subprocess.CompletedProcess[bytes]:
    """procflow as a user runs it: its own process, its own streams."""
    return subprocess.run([sys.executable, "-c", "from procflow.__main__ import main; main()",
                           *args], cwd=cwd, env={**os.environ, **(env or {})}, timeout=120,
                          check=False, stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE)


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
    from procflow.project import forget_loaded_projects
    from procflow.roots import _project_between

    forget_loaded_projects()
    _project_between.cache_clear()
    for fmt in ("text", "json"):  # a pipe must not block the text report's source lines
        result = cli("validate", "--format", fmt, expect=1)
        assert "procflow.yaml" in result.stdout and "PF001" in result.stdout
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "procflow.yaml" in result.stderr and "has problems" in result.stderr
    assert not (repo / "site").exists()


# --- 10: output encodings -------------------------------------------------------------------

NARROW = [{"PYTHONIOENCODING": "latin-1"}, {"PYTHONIOENCODING": "ascii"},
          {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}]


@pytest.fixture
def odd_repo(repo: Path) -> Path:
    """A procedure whose file name is not UTF-8 and whose text holds characters no narrow
    locale has (ł, →, an emoji beyond U+FFFF), and the same procedure changed in new/."""
    try:
        name = repo / "procedures" / os.fsdecode(b"r\xe9clamation.yaml")
        name.write_text("", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses names that are not UTF-8")
    text = procedure("returns").replace("title: T", "title: Zgłoszenie → zwrot 😀")
    name.write_text(text + "x😀ł: 1\n", encoding="utf-8")
    (repo / "procedures" / "returns.yaml").unlink()
    (repo / "old").mkdir()
    (repo / "new").mkdir()
    (repo / "old" / name.name).write_text(text, encoding="utf-8")
    (repo / "new" / name.name).write_text(text.replace("zwrot", "zwroty"), encoding="utf-8")
    return repo


@pytest.mark.parametrize("env", NARROW)
def test_machine_formats_stay_valid_json_under_a_narrow_locale(odd_repo: Path,
                                                               env: dict[str, str]) -> None:
    for args, code in ((["validate", "--format", "json"], 1),
                       (["validate", "--format", "sarif"], 1),
                       (["diff", "old", "new", "--format", "json"], 0)):
        done = run(*args, cwd=odd_repo, env=env)
        assert done.returncode == code, (args, done.stderr)
        document = json.loads(done.stdout.decode("utf-8"))  # UTF-8 whatever the locale
        shown = json.dumps(document, ensure_ascii=False)
        assert "udce9clamation.yaml" in shown  # the odd byte as an escape, not a crash
        assert "😀" in shown  # beyond U+FFFF: a surrogate pair, a valid JSON escape


@pytest.mark.parametrize("env", NARROW)
@pytest.mark.parametrize("args", [["validate"], ["validate", "--format", "github"],
                                  ["diff", "old", "new"], ["diff", "old", "new", "--format", "md"],
                                  ["diff", "old", "new", "--format", "html"]])
def test_no_character_or_file_name_crashes_a_run_under_a_narrow_locale(
        odd_repo: Path, env: dict[str, str], args: list[str]) -> None:
    done = run(*args, cwd=odd_repo, env=env)
    shown = (done.stdout + done.stderr).decode("latin-1")
    assert done.returncode == (1 if args[0] == "validate" else 0), shown
    assert "Traceback" not in shown and "internal error" not in shown
    assert "udce9clamation.yaml" in shown or args[-1] in ("md", "html", "new")


@pytest.mark.parametrize("env", NARROW)
def test_review_shows_titles_it_cannot_encode_under_a_narrow_locale(
        repo: Path, env: dict[str, str]) -> None:
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns", extra="review: {last: 2025-01-01, every: 26w}\n")
        .replace("title: T", "title: Zgłoszenie → zwrot"), encoding="utf-8")
    for fmt in ("text", "md", "json"):
        done = run("review", "--format", fmt, "--today", "2026-06-01", cwd=repo, env=env)
        assert done.returncode == 0, done.stderr
        if fmt == "md":
            assert "Zgłoszenie → zwrot" in done.stdout.decode("utf-8")  # a file format: UTF-8
        if fmt == "json":
            assert json.loads(done.stdout)["procedures"][0]["title"] == "Zgłoszenie → zwrot"


# --- 11: many unknown keys ------------------------------------------------------------------


def test_messages_are_built_only_for_the_findings_shown(repo: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of unknown keys: the capped findings get their message and did-you-mean,
    the rest are only counted (the issue's 190,000 keys took 170 s)."""
    import datetime as dt

    from procflow import lint, schema_errors

    keys = "".join(f"unknown-key-{k}: 1\n" for k in range(5_000))
    (repo / "procedures" / "returns.yaml").write_text(procedure("returns") + keys,
                                                      encoding="utf-8")
    built: list[object] = []
    real = schema_errors._issue_for
    monkeypatch.setattr(schema_errors, "_issue_for",
                        lambda *args: built.append(args) or real(*args))
    result = lint.validate([repo / "procedures"], today=dt.date(2026, 6, 1))
    assert len(result.findings) == 201 and "4,800 more" in result.findings[-1].message
    assert len(built) <= 202


# --- 12: diff reads nothing over the size bound ---------------------------------------------


def test_diff_never_reads_a_file_or_blob_over_the_bound(cli, git_repo: Path) -> None:
    import tracemalloc

    root = git_repo
    big = procedure("big").encode() + b"#" * 1023 + b"\n"
    with open(root / "procedures" / "big.yaml", "wb") as stream:
        stream.write(big)
        for _ in range(30 * 1024):  # 30 MB, over the default bound of 2 MB
            stream.write(b"#" * 1023 + b"\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "big")
    for args in (["--base", "HEAD~1"], ["--base", "HEAD~1", "--head", "HEAD"]):
        tracemalloc.start()
        try:
            result = cli("diff", *args, expect=2)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert "over the bound of 2,000,000" in result.stderr
        assert peak < 10_000_000, (args, peak)  # the 30 MB were never read


# --- 14: a partial clone whose promisor remote is gone ----------------------------------------


def test_a_partial_clone_without_its_promisor_is_exit_2_with_gits_message(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    origin = tmp_path / "origin"
    (origin / "procedures").mkdir(parents=True)
    git(origin, "init", "-q", "-b", "main")
    git(origin, "config", "uploadpack.allowfilter", "true")
    for tags in ("", "tags: [x]\n"):
        (origin / "procedures" / "returns.yaml").write_text(procedure("returns", extra=tags),
                                                            encoding="utf-8")
        git(origin, "add", ".")
        git(origin, "commit", "-qm", "change")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", origin.as_uri(), str(clone))
    git(clone, "remote", "set-url", "origin", (tmp_path / "gone").as_uri())
    monkeypatch.chdir(clone)
    for args in (["--base", "HEAD~1"], ["--base", "HEAD~1", "--head", "HEAD"]):
        result = cli("diff", *args, "--format", "json", expect=2)
        assert "git failed" in result.stderr and "promisor remote" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


# --- 16: language tags ----------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["../../x", "en_US", "a" * 300, "en/../../labels"])
def test_a_bad_language_tag_is_called_one(cli, repo: Path, tag: str) -> None:
    (repo / "procflow.yaml").write_text(f'procflow: 1\nlanguage: "{tag}"\n', encoding="utf-8")
    out = cli("validate", expect=1).stdout
    assert "is not a language tag such as en, pl or pt-BR" in out and "valid id" not in out
    (repo / "procflow.yaml").write_text("procflow: 1\n", encoding="utf-8")
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns", extra=f'language: "{tag}"\n'), encoding="utf-8")
    from procflow.project import forget_loaded_projects

    forget_loaded_projects()
    assert "is not a language tag" in cli("validate", expect=1).stdout


# --- 18: no write through a planted link at a scratch name ------------------------------------


@pytest.mark.parametrize("command", [["diff", "procedures", "other"], ["schema"]])
def test_links_planted_at_scratch_names_are_never_written_through(
        cli, repo: Path, tmp_path: Path, command: list[str]) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep\n", encoding="utf-8")
    (repo / "other").mkdir()
    (repo / "other" / "returns.yaml").write_text(procedure("returns").replace("title: T",
                                                                              "title: U"),
                                                 encoding="utf-8")
    planted = [".report.md.procflow-tmp", ".report.md.tmp", "report.md.tmp", "report.md~",
               ".report.md.swp"]
    for name in planted:
        (repo / name).symlink_to(victim)
    cli(*command, "-o", "report.md", expect=0)
    assert victim.read_text(encoding="utf-8") == "keep\n"
    assert not (repo / "report.md").is_symlink() and (repo / "report.md").stat().st_size
    assert sorted(n for n in os.listdir(repo) if "report" in n) == sorted([*planted, "report.md"])


# --- 21: duplicate ids on one side, submodules ----------------------------------------------


def test_two_files_with_one_id_are_reported_on_the_revision_side(cli, git_repo: Path) -> None:
    (git_repo / "procedures" / "copy.yaml").write_text(procedure("returns"), encoding="utf-8")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "copy")
    for args in (["--base", "HEAD~1", "--head", "HEAD"], ["--base", "HEAD"]):
        result = cli("diff", *args, expect=2)
        assert "PF008" in result.stderr and "HEAD:procedures/copy.yaml" in result.stderr


def test_two_files_with_one_id_are_reported_between_folders(cli, repo: Path) -> None:
    (repo / "old").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (repo / "old" / name).write_text(procedure("returns"), encoding="utf-8")
    for args in (["old", "procedures"], ["procedures", "old"]):
        result = cli("diff", *args, "--format", "json", expect=2)
        assert "PF008" in result.stderr and "old/b.yaml" in result.stderr
        assert result.stdout == ""


def test_a_real_submodule_is_walked_on_neither_side(cli, git_repo: Path, tmp_path: Path) -> None:
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    git(vendor, "init", "-q", "-b", "main")
    (vendor / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    (vendor / "other.yaml").write_text(procedure("other"), encoding="utf-8")
    git(vendor, "add", ".")
    git(vendor, "commit", "-qm", "vendor")
    git(git_repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(vendor),
        "procedures/vendor")
    git(git_repo, "commit", "-qm", "submodule")
    assert (git_repo / "procedures" / "vendor" / "broken.yaml").exists()
    for args in (["--base", "HEAD~1"], ["--base", "HEAD~1", "--head", "HEAD"],
                 ["--base", "HEAD"]):
        result = cli("diff", *args, "--format", "json", expect=0)
        assert [p["id"] for p in json.loads(result.stdout)["procedures"]] == ["returns"]


# --- 23 and 24: the format version, handles -------------------------------------------------


@pytest.mark.parametrize("version", ["yes", "true", "on", "1.0", "0x1", "01", "+1"])
def test_only_the_number_1_is_format_version_1(cli, repo: Path, version: str) -> None:
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns").replace("procflow: 1", f"procflow: {version}"), encoding="utf-8")
    out = cli("validate", expect=1).stdout
    assert "PF003" in out and "write the format version as the number 1" in out
    (repo / "procedures" / "returns.yaml").write_text(procedure("returns"), encoding="utf-8")
    (repo / "procflow.yaml").write_text(f"procflow: {version}\n", encoding="utf-8")
    from procflow.project import forget_loaded_projects

    forget_loaded_projects()
    assert "procflow.yaml" in cli("validate", expect=1).stdout
    cli("render", "-o", "site", "--format", "md", expect=2)


@pytest.mark.parametrize("handle", ["@acme\\u200b", "@\\u0430cme", "@acme/r\\n", "@acme\\u202e",
                                    "@acme/t\\u00ebam", "@\\uff41cme"])
def test_handles_with_invisible_or_look_alike_characters_are_refused(cli, repo: Path,
                                                                     handle: str) -> None:
    (repo / "procedures" / "returns.yaml").write_text(procedure("returns", handle=handle),
                                                      encoding="utf-8")
    assert "is not a git host handle" in cli("validate", expect=1).stdout
    result = cli("codeowners", expect=2)
    assert "@acme" not in result.stdout


# --- 22: an unreadable sub-folder is never skipped silently -----------------------------------


def test_an_unlistable_sub_folder_stops_render_and_diff(cli, repo: Path, locked: Path) -> None:
    (locked / "hidden.yaml").write_text(procedure("hidden"), encoding="utf-8")
    (repo / "old").mkdir()
    (repo / "old" / "returns.yaml").write_text(procedure("returns"), encoding="utf-8")
    result = cli("render", "-o", "site", "--format", "md", expect=2)
    assert "locked" in result.stderr and not (repo / "site").exists()
    result = cli("diff", "old", "procedures", expect=2)
    assert "locked" in result.stderr and "cannot read the folder" in result.stderr


# --- 15: symbolically linked procedures in diff --base / --head -------------------------------


def test_odd_links_are_findings_on_both_sides_of_a_diff(cli, git_repo: Path) -> None:
    """Absolute and relative links out of the repository, a dangling link and a loop: a
    PF001 finding each, on the revision side and the working-tree side, never exit 3 and
    never the target's text."""
    procedures = git_repo / "procedures"
    (procedures / "abs.yaml").symlink_to("/etc/passwd")
    (procedures / "rel.yaml").symlink_to("../../../../../../../../etc/hostname")
    (procedures / "dangling.yaml").symlink_to("nowhere.yaml")
    (procedures / "loop1.yaml").symlink_to("loop2.yaml")
    (procedures / "loop2.yaml").symlink_to("loop1.yaml")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-qm", "links")
    for args in (["--base", "HEAD~1", "--head", "HEAD"], ["--base", "HEAD~1"]):
        result = cli("diff", *args, expect=2)
        for name in ("abs", "rel", "dangling", "loop1", "loop2"):
            assert f"procedures/{name}.yaml:1:1: error PF001" in result.stderr, name
        assert "root:" not in result.stdout + result.stderr


@pytest.mark.parametrize("content", ["procflow: 1\nlimits: {max_bytes: -1}\n", "a: [\n"])
@pytest.mark.parametrize("command", [["review"], ["codeowners"], ["review", "--format", "json"]])
def test_review_and_codeowners_stop_on_a_broken_project_file(cli, repo: Path, content: str,
                                                             command: list[str]) -> None:
    (repo / "procflow.yaml").write_text(content, encoding="utf-8")
    from procflow.project import forget_loaded_projects

    forget_loaded_projects()
    result = cli(*command, expect=2)
    assert "procflow.yaml" in result.stderr and "has problems" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("reserved", ["index", "procflow"])
def test_validate_reports_a_reserved_procedure_id(cli, tmp_path, reserved) -> None:
    """``render`` cannot write a procedure called index (the catalog) or procflow (the
    project file): validate says so before a render fails on it."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "p.yaml").write_text(
        f"procflow: 1\nid: {reserved}\ntitle: T\nversion: \"1.0.0\"\nowner: {{name: A}}\n"
        "roles:\n  - {id: agent, name: Agent}\nsteps:\n  - {id: s, title: S, role: agent}\n",
        encoding="utf-8")
    result = cli("validate", folder, expect=1)
    assert f"p.yaml:2:5: error PF003 id: the id '{reserved}' is reserved" in result.stdout


@pytest.mark.parametrize("args", [["validate", "--format", "json"],
                                  ["validate", "--format", "sarif"],
                                  ["validate", "--format", "github"],
                                  ["review", "--format", "json"]])
def test_file_formats_on_stdout_are_utf8_whatever_the_locale(repo: Path,
                                                             args: list[str]) -> None:
    """JSON, SARIF and annotations are read as UTF-8 by their consumers: a Latin-1 locale
    must not turn 'é' into the single byte 0xE9. The text report follows the locale."""
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns", extra="review: {last: 2025-01-01, every: 26w}\n").replace(
            "title: T", "title: Réclamation"), encoding="utf-8")
    if args[0] == "validate":  # an unknown key named in the finding
        (repo / "procedures" / "bad.yaml").write_text(procedure("bad") + "café: 1\n",
                                                      encoding="utf-8")
    done = run(*args, cwd=repo, env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode in (0, 1), done.stderr
    assert "é" in done.stdout.decode("utf-8")  # strict: fails on a Latin-1 byte
    if args[0] == "validate":
        text = run("validate", cwd=repo, env={"PYTHONIOENCODING": "latin-1"})
        assert "é".encode("latin-1") in text.stdout  # the terminal's own encoding

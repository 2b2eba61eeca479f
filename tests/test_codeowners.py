"""``procflow codeowners``: a marked CODEOWNERS block naming each procedure's owner handle;
the rest of the file is kept and a second run changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from procflow.codeowners import BEGIN, END, merge

HUMAN_RULES = "# Our rules\n* @acme/admins\n/docs/ @acme/writers\n"


def _procedure(folder: Path, name: str, handle: str | None, owner: str = "Anna Nowak") -> None:
    handle_line = f'\n  handle: "{handle}"' if handle else ""
    (folder / f"{name}.yaml").write_text(f"""procflow: 1
id: {name.replace(' ', '-')}
title: T
version: "1.0.0"
owner:
  name: {owner}{handle_line}
roles: [{{id: agent, name: Agent}}]
steps: [{{id: s, title: S, role: agent}}]
""", encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with three procedures: two with handles, one without."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "procflow.yaml").write_text("procflow: 1\n", encoding="utf-8")
    procedures = tmp_path / "procedures"
    procedures.mkdir()
    _procedure(procedures, "returns", "@acme/returns")
    _procedure(procedures, "complaints", "@anna")
    _procedure(procedures, "intake", None, owner="Jan Kos")
    monkeypatch.chdir(tmp_path)
    return tmp_path


EXPECTED = f"""{BEGIN}
/procedures/complaints.yaml @anna
/procedures/returns.yaml @acme/returns
{END}
"""


def test_prints_the_block_and_lists_procedures_without_a_handle(cli, repo: Path) -> None:
    result = cli("codeowners", expect=0)
    assert result.stdout == EXPECTED
    assert "procedures/intake.yaml (owner Jan Kos)" in result.stderr
    assert not (repo / ".github").exists()


def test_write_creates_github_codeowners_and_is_idempotent(cli, repo: Path) -> None:
    assert "updated .github/CODEOWNERS" in cli("codeowners", "--write", expect=0).stderr
    target = repo / ".github" / "CODEOWNERS"
    assert target.read_text(encoding="utf-8") == EXPECTED
    assert "is up to date" in cli("codeowners", "--write", expect=0).stderr
    assert target.read_text(encoding="utf-8") == EXPECTED


def test_write_keeps_the_rest_of_an_existing_file_and_replaces_only_the_block(
        cli, repo: Path) -> None:
    target = repo / "CODEOWNERS"
    target.write_text(HUMAN_RULES, encoding="utf-8")
    cli("codeowners", "--write", expect=0)  # found at the root, so no .github/CODEOWNERS
    assert not (repo / ".github").exists()
    first = target.read_text(encoding="utf-8")
    assert first == HUMAN_RULES + "\n" + EXPECTED

    target.write_text(first + "/later/ @acme/later\n", encoding="utf-8")
    _procedure(repo / "procedures", "returns", "@acme/refunds")
    cli("codeowners", "--write", expect=0)
    assert target.read_text(encoding="utf-8") == (
        HUMAN_RULES + "\n" + EXPECTED.replace("@acme/returns", "@acme/refunds")
        + "/later/ @acme/later\n")


@pytest.mark.parametrize("args", [["-o", "docs/CODEOWNERS"], ["--output", "docs/CODEOWNERS"],
                                  ["--write", "-o", "docs/CODEOWNERS"]])
def test_output_names_the_file_to_update(cli, repo: Path, args: list[str]) -> None:
    result = cli("codeowners", *args, expect=0)
    assert (repo / "docs" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    assert result.stdout == "" and "deprecated" not in result.stderr
    assert not (repo / ".github").exists()


def test_the_old_file_argument_still_works_with_a_deprecation_note(cli, repo: Path) -> None:
    result = cli("codeowners", "--write", "docs/CODEOWNERS", expect=0)
    assert (repo / "docs" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    assert ("procflow: note: a CODEOWNERS FILE argument is deprecated; use -o/--output "
            "docs/CODEOWNERS\n") in result.stderr


def test_the_old_file_argument_without_write_is_still_a_usage_error(cli, repo: Path) -> None:
    result = cli("codeowners", "CODEOWNERS", expect=2)
    assert "run: procflow codeowners -o CODEOWNERS" in result.stderr
    assert not (repo / "CODEOWNERS").exists() and not (repo / ".github").exists()


def test_procedure_paths_limit_the_block_and_are_never_written_over(cli, repo: Path) -> None:
    """The old spelling ``--write FILE`` given a procedure: now a PATH, so the procedure is
    read, not written; the block lists only it."""
    returns = repo / "procedures" / "returns.yaml"
    before = returns.read_bytes()
    result = cli("codeowners", "--write", "procedures/returns.yaml", expect=0)
    assert returns.read_bytes() == before
    assert (repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == (
        f"{BEGIN}\n/procedures/returns.yaml @acme/returns\n{END}\n")
    assert "deprecated" not in result.stderr


@pytest.mark.parametrize("target", ["procedures/returns.yaml", "procflow.yaml", "x.yml"])
def test_output_refuses_a_yaml_file(cli, repo: Path, target: str) -> None:
    before = (repo / "procedures" / "returns.yaml").read_bytes()
    result = cli("codeowners", "-o", target, expect=2)
    assert "names a YAML file, not a CODEOWNERS file" in result.stderr
    assert (repo / "procedures" / "returns.yaml").read_bytes() == before
    assert not (repo / "x.yml").exists()


def test_output_refuses_a_folder_and_two_files(cli, repo: Path) -> None:
    (repo / "docs").mkdir()
    assert "is a directory" in cli("codeowners", "-o", "docs", expect=2).stderr
    result = cli("codeowners", "--write", "CODEOWNERS", "-o", "docs/CODEOWNERS", expect=2)
    assert "two CODEOWNERS files given" in result.stderr
    assert not (repo / "docs" / "CODEOWNERS").exists() and not (repo / "CODEOWNERS").exists()


def test_paths_are_relative_to_the_repository_root_and_escaped(cli, repo: Path,
                                                               monkeypatch) -> None:
    _procedure(repo / "procedures", "night shift", "@acme/night")
    monkeypatch.chdir(repo / "procedures")
    result = cli("codeowners", ".", expect=0)
    assert "/procedures/night\\ shift.yaml @acme/night\n" in result.stdout
    assert "deprecated" not in result.stderr


def test_the_old_dir_option_still_works_with_a_deprecation_note(cli, repo: Path,
                                                                monkeypatch) -> None:
    monkeypatch.chdir(repo / "procedures")
    result = cli("codeowners", "--dir", ".", expect=0)
    assert result.stdout == EXPECTED
    assert ("procflow: note: --dir is deprecated; use PATHS (procflow codeowners procedures/)\n"
            in result.stderr)


@pytest.mark.parametrize("broken", [
    f"{BEGIN}\n/x @a\n",                       # no end
    f"{END}\n{BEGIN}\n",                       # wrong order
    f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n",       # two blocks
])
def test_a_broken_block_is_refused_and_the_file_kept(cli, repo: Path, broken: str) -> None:
    target = repo / ".github" / "CODEOWNERS"
    target.parent.mkdir()
    target.write_text(broken, encoding="utf-8")
    assert "broken procflow block" in cli("codeowners", "--write", expect=2).stderr
    assert target.read_text(encoding="utf-8") == broken


def test_a_procedure_that_does_not_load_stops_the_run(cli, repo: Path) -> None:
    (repo / "procedures" / "broken.yaml").write_text("procflow: 1\nid: [\n", encoding="utf-8")
    assert "not load" in cli("codeowners", "--write", expect=2).stderr
    assert not (repo / ".github").exists()


def test_merge_appends_after_text_without_a_final_newline() -> None:
    assert merge("* @a", "B\n") == "* @a\n\nB\n"
    assert merge("", "B\n") == "B\n"


def test_both_old_spellings_together_still_work(cli, repo: Path) -> None:
    result = cli("codeowners", "--dir", "procedures", "--write", "docs/CODEOWNERS", expect=0)
    assert (repo / "docs" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    assert "--dir is deprecated" in result.stderr
    assert "a CODEOWNERS FILE argument is deprecated" in result.stderr


def test_an_old_file_argument_with_another_name_is_read_never_written(cli, repo: Path) -> None:
    """Only a file named CODEOWNERS is taken for the old FILE argument: any other name is a
    procedure PATH, so a file that is not a procedure stops the run and is left as it was."""
    owners = repo / "owners.txt"
    owners.write_text("* @acme/admins\n", encoding="utf-8")
    assert "not load" in cli("codeowners", "--write", "owners.txt", expect=2).stderr
    assert owners.read_text(encoding="utf-8") == "* @acme/admins\n"
    assert not (repo / ".github").exists()

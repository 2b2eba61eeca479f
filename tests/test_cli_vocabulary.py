"""Options read the same across commands: bad choices explained plainly with a did-you-mean,
and every command (even git's diff driver) prints its help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import RunCli


def test_a_bad_choice_reads_cleanly_with_a_suggestion(cli: RunCli, tmp_path: Path) -> None:
    result = cli("new", "x", "--from", "complaints", "-o", tmp_path, expect=2)
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
    assert _complete("procflow validate -f s", tmp_path) == ["sarif"]
    assert _complete("procflow sla due -f ", tmp_path) == ["text", "json"]
    assert _complete("procflow rules PF10", tmp_path)[:2] == ["PF101", "PF102"]
    assert "complaint" in _complete("procflow new x --from c", tmp_path)


ROOT = Path(__file__).resolve().parents[1]
DESK = ROOT / "examples" / "service-desk"
COMPLAINT = str(DESK / "procedures" / "complaint.yaml")
#: a run of each command that writes one format, the format added at the end
ONE_FORMAT_RUNS = {
    "validate": ["validate", COMPLAINT, "--today", "2026-12-01"],
    "review": ["review", str(ROOT / "procedures"), "--today", "2026-12-01"],
    "diff": ["diff", COMPLAINT, COMPLAINT],
    "sla due": ["sla", "due", COMPLAINT, "first-response", "--start", "2026-12-23T15:30"],
    "sla explain": ["sla", "explain", COMPLAINT, "first-response", "--start", "2026-12-23T15:30"],
    "sla calendar": ["sla", "calendar", "office", "--from", "2026-12-21", "--to", "2026-12-27"],
    "report": ["report", str(ROOT / "examples" / "tickets" / "tickets.csv"),
               str(ROOT / "procedures"), "--today", "2026-12-01"],
}


def _commands() -> dict[str, Any]:
    """Every command and sub-command by its full name (``sla due``)."""
    import typer

    from procflow.cli import app

    found: dict[str, Any] = {}

    def walk(group: Any, prefix: str) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, f"{prefix}{name} ")
            else:
                found[prefix + name] = command

    walk(typer.main.get_command(app), "")
    return found


def _option(command: Any, name: str) -> Any:
    return next((p for p in command.params if name in getattr(p, "opts", ())), None)


@pytest.mark.parametrize("name", sorted(ONE_FORMAT_RUNS))
def test_format_takes_a_comma_list_of_one_everywhere(cli: RunCli, name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DESK)  # sla calendar reads the procflow.yaml of the working folder
    args = ONE_FORMAT_RUNS[name]
    plain = cli(*args, "-f", "json")
    assert plain.exit_code in (0, 1) and plain.stdout.lstrip().startswith("{")
    for spelling in ("json,", "JSON", " json , json", "json,,"):
        again = cli(*args, "--format", spelling)
        assert (again.exit_code, again.stdout) == (plain.exit_code, plain.stdout), spelling


@pytest.mark.parametrize("name", sorted(ONE_FORMAT_RUNS))
def test_two_formats_where_one_is_written_is_a_clean_usage_error(
        cli: RunCli, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DESK)
    result = cli(*ONE_FORMAT_RUNS[name], "-f", "json,text", expect=2)
    assert result.stdout == ""
    assert ("Invalid value for '--format' / '-f': 'json,text' names 2 formats and this "
            "command writes one; choose one of 'text', ") in result.stderr
    assert "Traceback" not in result.stderr
    empty = cli(*ONE_FORMAT_RUNS[name], "-f", ",", expect=2)
    assert "no format named; choose from 'text'" in empty.stderr
    typo = cli(*ONE_FORMAT_RUNS[name], "-f", "jsno", expect=2)
    assert "'jsno' is not one of 'text', " in typo.stderr
    assert "(did you mean 'json'?)" in typo.stderr and "Value error" not in typo.stderr


def test_render_keeps_its_comma_list(cli: RunCli, tmp_path: Path) -> None:
    cli("render", COMPLAINT, "-o", tmp_path / "a", "-f", "md,", expect=0)
    assert sorted(p.name for p in (tmp_path / "a").glob("complaint.*")) == ["complaint.md"]
    cli("render", COMPLAINT, "-o", tmp_path / "b", "-f", "MD, dot,md", expect=0)
    assert sorted(p.name for p in (tmp_path / "b").glob("complaint.*")) == [
        "complaint.dot", "complaint.md"]
    result = cli("render", COMPLAINT, "-o", tmp_path / "c", "-f", "md,htm", expect=2)
    assert ("Invalid value for '--format' / '-f': 'htm' is not one of 'md', 'html', 'svg', "
            "'png', 'dot' (did you mean 'html'?)") in result.stderr
    assert not (tmp_path / "c").exists()


def test_every_format_option_is_the_shared_one_and_names_the_library_formats() -> None:
    """Each command's names are its library's reporters (the CLI keeps its own list so that
    --help does not import the library)."""
    from procflow import render, report, review
    from procflow.cli import diff, validate
    from procflow.cli import report as report_cli
    from procflow.cli import review as review_cli
    from procflow.diff import output
    from procflow.tickets.run import writer

    assert validate.FORMATS == tuple(report.FORMATS)
    assert diff.FORMATS == tuple(output.FORMATS)
    assert review_cli.FORMATS == tuple(review.FORMATS)
    assert all(callable(writer(name)) for name in report_cli.FORMATS)
    with_format = {name: _option(command, "--format") for name, command in _commands().items()}
    with_format = {name: param for name, param in with_format.items() if param is not None}
    assert {"validate", "render", "diff", "review", "report", "sla due", "sla explain",
            "sla calendar"} == set(with_format)
    for name, param in with_format.items():
        assert sorted(param.opts) == ["--format", "-f"], name
    assert with_format["validate"].metavar == "<text|json|github|sarif>"
    assert with_format["render"].metavar == "LIST" and "md, html, svg, png, dot" in (
        with_format["render"].help)
    assert set(render.FORMATS) == {"md", "html", "svg", "png", "dot"}


def test_output_says_whether_it_is_a_file_or_a_folder() -> None:
    outputs = {name: _option(command, "--output") for name, command in _commands().items()}
    kinds = {name: param.metavar for name, param in outputs.items() if param is not None}
    assert kinds == {"render": "DIR", "new": "DIR", "diff": "FILE", "schema": "FILE",
                     "report": "FILE", "codeowners": "FILE"}
    for name, command in _commands().items():
        param = _option(command, "--output")
        if param is not None:
            assert "-o" in param.opts, name
            what = "folder" if kinds[name] == "DIR" else "file"
            assert param.help.startswith("The ") and what in param.help.split(".")[0], name


@pytest.mark.parametrize("name, old", [("new", "--dir"), ("codeowners", "--dir"),
                                       ("init", "--gitlab")])
def test_old_spellings_are_hidden_from_help(cli: RunCli, name: str, old: str) -> None:
    assert _option(_commands()[name], old).hidden
    assert old not in cli(name, "--help", expect=0).stdout


@pytest.mark.parametrize("args", [["diff", COMPLAINT, COMPLAINT], ["schema"],
                                  ["report", str(ROOT / "examples" / "tickets" / "tickets.csv")]])
def test_a_file_output_given_a_folder_is_a_usage_error(cli: RunCli, tmp_path: Path,
                                                       args: list[str]) -> None:
    result = cli(*args, "-o", tmp_path, expect=2)
    assert "Invalid value for '--output' / '-o'" in result.stderr and "is a directory" in (
        result.stderr)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["render", COMPLAINT], ["new", "claims"]])
def test_a_folder_output_given_a_file_is_a_usage_error(cli: RunCli, tmp_path: Path,
                                                       args: list[str]) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep\n", encoding="utf-8")
    result = cli(*args, "-o", taken, expect=2)
    assert "Invalid value for '--output' / '-o'" in result.stderr and "is a file" in (
        result.stderr)
    assert taken.read_text(encoding="utf-8") == "keep\n"

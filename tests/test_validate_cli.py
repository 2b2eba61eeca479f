"""``procflow validate`` through the CLI: exit codes, options, project settings, cross-file
rules, and the error policy (usage errors exit 2, bugs exit 3 without a traceback)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, VALID

from procflow import __version__

LATER = "2027-06-01"  # both reviewed samples are overdue by then (PF104 warnings)


def codes(result) -> list[tuple[str, str]]:
    """(file name, code) of every diagnostic of a ``--format json`` run."""
    return [(Path(d["file"]).name, d["code"]) for d in json.loads(result.stdout)["diagnostics"]]


def add_settings(project: Path, settings: str) -> None:
    with (project / "procflow.yaml").open("a", encoding="utf-8") as handle:
        handle.write(settings)


# --- exit codes -----------------------------------------------------------------------------

def test_clean_procedures_exit_0(cli) -> None:
    result = cli("validate", VALID / "procedures", "--today", TODAY, expect=0)
    assert result.stdout == "All good: 3 files checked, no problems.\n"
    assert result.stderr == ""


def test_warnings_exit_0_and_strict_makes_them_fail(cli) -> None:
    result = cli("validate", VALID / "procedures", "--today", LATER, "--format", "json", expect=0)
    assert codes(result) == [("complaint-handling.yaml", "PF104"), ("phone-intake.yaml", "PF104")]
    assert json.loads(result.stdout)["summary"] == {"files": 3, "errors": 0, "warnings": 2}
    cli("validate", VALID / "procedures", "--today", LATER, "--strict", expect=1)
    cli("validate", VALID / "procedures", "--today", TODAY, "--strict", expect=0)


def test_errors_exit_1(cli, valid_project: Path) -> None:
    path = valid_project / "procedures" / "it-access.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: it-support", "role: it-suport"),
                    encoding="utf-8")
    result = cli("validate", path, "--today", TODAY, "--format", "json", expect=1)
    diagnostics = json.loads(result.stdout)["diagnostics"]
    assert [(d["code"], d["line"], d["severity"]) for d in diagnostics] == [
        ("PF101", 15, "warning"), ("PF005", 23, "error")]  # it-support is now unused
    diagnostic = diagnostics[1]
    assert "did you mean 'it-support'?" in diagnostic["message"]


@pytest.mark.parametrize("args, says", [
    (["validate", "no/such/file.yaml"], "no such file or folder: no/such/file.yaml"),
    (["validate", "--no-such-option"], "No such option"),
    (["validate", str(VALID), "--today", "2026-13-01"], "'--today'"),
    (["validate", str(VALID), "--today", "tomorrow"], "YYYY-MM-DD"),
    (["validate", str(VALID), "--format", "xml"], "'--format'"),
    (["no-such-command"], "No such command"),
])
def test_usage_errors_exit_2_with_a_message_and_no_traceback(cli, args, says) -> None:
    result = cli(*args, expect=2)
    assert says in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_path_is_one_line(cli) -> None:
    result = cli("validate", "no/such/file.yaml", expect=2)
    assert result.stderr == "procflow: no such file or folder: no/such/file.yaml\n"


def test_no_path_checks_the_project_procedures_folder(cli, valid_project, monkeypatch) -> None:
    monkeypatch.chdir(valid_project / "procedures")
    result = cli("validate", "--today", TODAY, expect=0)
    assert "3 files checked" in result.stdout


def test_no_path_and_no_procedures_folder_exits_2(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "no PATH given" in cli("validate", expect=2).stderr


def _break_a_rule(monkeypatch) -> None:
    from procflow.rules.pf006_unreachable_step import UnreachableStep

    def check(self, ctx):
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(UnreachableStep, "check", check)


def test_internal_error_exits_3_with_one_line(cli, monkeypatch) -> None:
    _break_a_rule(monkeypatch)
    result = cli("validate", VALID / "procedures", "--today", TODAY, expect=3)
    assert result.stderr.count("\n") == 1 and "internal error" in result.stderr
    assert "rule exploded" in result.stderr and "--traceback" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_traceback_option_shows_the_exception(tmp_path) -> None:
    script = (
        "import sys\n"
        "from procflow.rules.pf006_unreachable_step import UnreachableStep\n"
        "def check(self, ctx): raise RuntimeError('rule exploded')\n"
        "UnreachableStep.check = check\n"
        "from procflow.__main__ import main\n"
        "sys.argv[0] = 'procflow'\n"
        "main()\n")
    args = [str(VALID / "procedures"), "--today", TODAY]
    shown = subprocess.run([sys.executable, "-c", script, "--traceback", "validate", *args],
                           capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" in shown.stderr and "RuntimeError: rule exploded" in shown.stderr
    assert shown.returncode != 0
    hidden = subprocess.run([sys.executable, "-c", script, "validate", *args],
                            capture_output=True, text=True, timeout=120, check=False)
    assert hidden.returncode == 3 and "Traceback" not in hidden.stderr


# --- version and help -----------------------------------------------------------------------

def test_version(cli) -> None:
    assert cli("--version", expect=0).stdout == f"procflow {__version__}\n"


def test_python_m_procflow_version() -> None:
    done = subprocess.run([sys.executable, "-m", "procflow", "--version"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout) == (0, f"procflow {__version__}\n")


def test_help_lists_the_commands_and_options(cli) -> None:
    out = cli("--help", expect=0).stdout
    for word in ("validate", "--version", "--traceback"):
        assert word in out
    assert cli("-h", expect=0).stdout == out


def test_validate_help_shows_every_option_with_an_example(cli) -> None:
    out = cli("validate", "--help", expect=0).stdout
    for option in ("--format", "--strict", "--today", "--jobs"):
        assert option in out
    assert "Example" in out


# --- options and settings -------------------------------------------------------------------

def test_today_decides_review_overdue(cli) -> None:
    path = VALID / "procedures" / "phone-intake.yaml"  # review due on 2026-08-30
    on_time = cli("validate", path, "--today", "2026-08-30", "--format", "json", expect=0)
    late = cli("validate", path, "--today", "2026-08-31", "--format", "json", expect=0)
    assert codes(on_time) == [] and codes(late) == [("phone-intake.yaml", "PF104")]
    assert "2026-08-30" in json.loads(late.stdout)["diagnostics"][0]["message"]


def test_rules_can_be_disabled_in_procflow_yaml(cli, valid_project: Path) -> None:
    add_settings(valid_project, "rules:\n  disable: [PF104]\n")
    result = cli("validate", valid_project / "procedures", "--today", LATER, "--strict",
                 "--format", "json", expect=0)
    assert codes(result) == []


def test_severity_can_be_raised_in_procflow_yaml(cli, valid_project: Path) -> None:
    add_settings(valid_project, "rules:\n  severity: {PF104: error}\n")
    result = cli("validate", valid_project / "procedures", "--today", LATER, "--format", "json",
                 expect=1)
    assert {d["severity"] for d in json.loads(result.stdout)["diagnostics"]} == {"error"}


def test_severity_can_be_lowered_in_procflow_yaml(cli, valid_project: Path) -> None:
    add_settings(valid_project, "rules:\n  severity: {PF009: warning}\n")
    path = valid_project / "procedures" / "complaint-handling.yaml"
    (valid_project / "procedures" / "phone-intake.yaml").unlink()
    result = cli("validate", path, "--today", TODAY, "--format", "json", expect=0)
    assert [(d["code"], d["severity"]) for d in json.loads(result.stdout)["diagnostics"]] == [
        ("PF009", "warning")]


def test_load_errors_cannot_be_disabled(cli, valid_project: Path) -> None:
    add_settings(valid_project, "rules:\n  disable: [PF003]\n")
    path = valid_project / "procedures" / "it-access.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Nadanie", "titel: Nadanie"),
                    encoding="utf-8")
    result = cli("validate", path, "--format", "json", "--today", TODAY, expect=1)
    messages = [d["message"] for d in json.loads(result.stdout)["diagnostics"]]
    assert codes(result) == [("it-access.yaml", "PF003")] * 2
    assert any("unknown field 'titel'" in m for m in messages)


def test_broken_project_file_is_reported(cli, valid_project: Path) -> None:
    add_settings(valid_project, "rules:\n  disabel: [PF104]\n")
    result = cli("validate", valid_project / "procedures", "--today", TODAY, "--format", "json",
                 expect=1)
    diagnostics = json.loads(result.stdout)["diagnostics"]
    project_file = [d for d in diagnostics if Path(d["file"]).name == "procflow.yaml"]
    assert [(d["code"], d["line"]) for d in project_file] == [("PF003", 16)]
    assert "did you mean 'disable'?" in project_file[0]["message"]


def test_one_file_of_a_project_still_sees_the_other_procedures(cli, valid_project) -> None:
    procedures = valid_project / "procedures"
    complaint = procedures / "complaint-handling.yaml"  # related: [phone-intake]
    cli("validate", complaint, "--today", TODAY, expect=0)
    (procedures / "phone-intake.yaml").unlink()
    result = cli("validate", complaint, "--today", TODAY, "--format", "json", expect=1)
    assert codes(result) == [("complaint-handling.yaml", "PF009")]


def test_duplicate_id_elsewhere_in_the_project_is_found_from_one_file(cli, valid_project,
                                                                      monkeypatch) -> None:
    monkeypatch.chdir(valid_project)
    procedures = Path("procedures")
    (procedures / "archive").mkdir()
    shutil.copy(procedures / "phone-intake.yaml", procedures / "archive" / "phone-intake.yaml")
    result = cli("validate", procedures / "phone-intake.yaml", "--today", TODAY,
                 "--format", "json", expect=1)
    diagnostics = json.loads(result.stdout)["diagnostics"]
    assert [(d["file"], d["code"]) for d in diagnostics] == [
        ("procedures/phone-intake.yaml", "PF008")]
    assert "archive" in diagnostics[0]["message"]


def test_many_files_in_parallel_give_the_same_report(cli, tmp_path: Path) -> None:
    source = (VALID / "procedures" / "it-access.yaml").read_text(encoding="utf-8")
    for number in range(60):
        text = source.replace("id: it-access", f"id: access-{number}")
        if number % 7 == 0:
            text = text.replace("role: it-support", "role: nobody")
        (tmp_path / f"access-{number}.yaml").write_text(text, encoding="utf-8")
    parallel = cli("validate", tmp_path, "--format", "json", "--jobs", "2", expect=1)
    serial = cli("validate", tmp_path, "--format", "json", "--jobs", "1", expect=1)
    assert parallel.stdout == serial.stdout
    assert json.loads(serial.stdout)["summary"]["files"] == 60
    unknown = [d for d in json.loads(serial.stdout)["diagnostics"] if "'nobody'" in d["message"]]
    assert len(unknown) == 9

"""``procflow sla due|explain|calendar`` on the example service desk, the SLA table of the
pages, and the help of the sub-commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "service-desk"
COMPLAINT = "procedures/complaint.yaml"


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/service-desk as the working folder."""
    (tmp_path / ".git").mkdir()
    root = tmp_path / "desk"
    shutil.copytree(EXAMPLE, root)
    monkeypatch.chdir(root)
    return root


def test_due_json_has_the_documented_shape(cli, desk: Path) -> None:
    result = cli("sla", "due", COMPLAINT, "first-response", "--start", "2026-12-23T15:30",
                 "--format", "json", expect=0)
    assert json.loads(result.stdout) == {
        "procedure": "complaint", "sla": "first-response",
        "start": "2026-12-23T15:30:00+01:00", "due": "2026-12-28T11:30:00+01:00",
        "warn": "2026-12-28T10:30:00+01:00", "clock": "business", "calendar": "office",
        "timezone": "Europe/Warsaw", "working_seconds": 14400}


def test_due_with_pauses_and_an_offset(cli, desk: Path) -> None:
    # 15:30 in UTC is 16:30 in Warsaw: the back office's Wednesday has ended
    result = cli("sla", "due", COMPLAINT, "resolution", "--start", "2026-12-23T15:30Z",
                 "--pause", "2026-12-28T09:00/2026-12-29T12:00", "-f", "json", expect=0)
    data = json.loads(result.stdout)
    assert data["start"] == "2026-12-23T16:30:00+01:00"
    assert data["due"] == "2027-01-13T11:00:00+01:00"
    text = cli("sla", "due", COMPLAINT, "legal-deadline", "--start", "2026-12-23T15:30",
               expect=0).stdout
    # 24x7 with no calendar named: the default calendar gives the zone, 14 days are 14 x 24 h
    assert "due    Wed 2027-01-06 15:30:00 +01:00   (14d)" in text


def test_explain_walks_past_christmas(cli, desk: Path) -> None:
    text = cli("sla", "explain", COMPLAINT, "first-response", "--start", "2026-12-23T15:30",
               expect=0).stdout
    lines = [line.split() for line in text.splitlines()]
    assert ["work", "Wed", "2026-12-23", "15:30-16:00", "30m"] == lines[2][:5]
    assert "Wigilia Bożego Narodzenia" in text and "Boże Narodzenie (drugi dzień)" in text
    assert ["day", "off", "Sun", "2026-12-27"] == lines[6]
    assert ["work", "Mon", "2026-12-28", "08:00-11:30", "3h30m"] == lines[7][:5]
    assert text.splitlines()[-2].startswith("due    Mon 2026-12-28 11:30:00 +01:00")
    data = json.loads(cli("sla", "explain", COMPLAINT, "first-response", "--start",
                          "2026-12-23T15:30", "--format", "json", expect=0).stdout)
    kinds = [entry["kind"] for entry in data["timeline"]]
    assert kinds == ["work", "holiday", "holiday", "holiday", "day-off", "work"]
    assert sum(e["seconds"] for e in data["timeline"] if e["kind"] == "work") == 14400


def test_calendar_lists_working_time_and_days_off(cli, desk: Path) -> None:
    text = cli("sla", "calendar", "prague-desk", "--from", "2026-12-23", "--to", "2026-12-27",
               expect=0).stdout
    assert "Thu 2026-12-24  07:00-12:00" in text and "(exception)" in text
    assert "1. svátek vánoční" in text  # no Polish names for Czech holidays: Czech ones
    data = json.loads(cli("sla", "calendar", "--from", "2026-12-24", "--to", "2026-12-26",
                          "--language", "en", "-f", "json", expect=0).stdout)
    assert data["calendar"] == "office"  # the default calendar
    assert [d["kind"] for d in data["days"]] == ["holiday", "holiday", "holiday"]
    assert data["days"][1]["name"] == "Christmas Day"


@pytest.mark.parametrize("args, message", [
    (("due", COMPLAINT, "resolutoin", "--start", "2026-12-23"), "did you mean 'resolution'"),
    (("due", COMPLAINT, "resolution", "--start", "23/12/2026"), "is not an ISO 8601 time"),
    (("due", COMPLAINT, "resolution", "--start", "2026-12-23", "--pause", "2026-12-24"),
     "write FROM/TO"),
    (("due", COMPLAINT, "resolution", "--start", "2026-12-23", "--pause",
      "2026-12-24/2026-12-23"), "ends before it starts"),
    (("due", "procedures/nope.yaml", "resolution", "--start", "2026-12-23"),
     "no such procedure file"),
    (("calendar", "offce", "--from", "2026-12-23", "--to", "2026-12-24"),
     "did you mean 'office'"),
    (("calendar", "office", "--from", "2026-12-23", "--to", "2026-12-01"), "comes before"),
    (("calendar", "office", "--from", "2000-01-01", "--to", "2030-01-01"), "at most 3700"),
    (("calendar", "office", "--from", "0001-01-01", "--to", "0001-01-02"), "years 1900 to"),
    (("due", COMPLAINT, "resolution", "--start", "0001-01-01"), "years 1900 to 9000"),
    (("due", COMPLAINT, "legal-deadline", "--start", "9000-01-01", "--pause",
      "9000-01-02/9999-12-31"), "years 1900 to 9000"),
])
def test_bad_input_is_one_line_and_exit_2(cli, desk: Path, args: tuple[str, ...],
                                          message: str) -> None:
    result = cli("sla", *args, expect=2)
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_a_calendar_that_cannot_count_is_a_usage_error(cli, desk: Path) -> None:
    project = desk / "procflow.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace(
        '"08:00-14:00"', '"14:00-08:00"'), encoding="utf-8")
    result = cli("sla", "due", COMPLAINT, "resolution", "--start", "2026-12-23", expect=2)
    assert "'14:00-08:00' ends before it starts" in result.stderr
    # and validate reports it, in procflow.yaml, as PF110
    result = cli("validate", "--format", "json", expect=1)
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["file"], d["code"]) for d in found] == [("procflow.yaml", "PF110")]


def test_priority_must_match_the_sla(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     ) -> None:
    repo = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repo)
    result = cli("sla", "due", "procedures/complaint-handling.yaml", "first-response-p1",
                 "--start", "2026-12-23T15:30", "--priority", "p2", expect=2)
    assert "applies to priority 'p1', not 'p2'; for p2: first-response-p2" in result.stderr
    cli("sla", "due", "procedures/complaint-handling.yaml", "first-response-p1",
        "--start", "2026-12-23T15:30", "--priority", "p1", expect=0)


def test_business_clock_without_calendar_is_a_usage_error(cli, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    (tmp_path / ".git").mkdir()
    source = repo_case("pf112-business-clock-without-calendar.yaml")
    (tmp_path / "p.yaml").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("sla", "due", "p.yaml", "answer", "--start", "2026-12-23", expect=2)
    assert "runs on the business clock but has no calendar" in result.stderr


def repo_case(name: str) -> str:
    return (Path(__file__).parent / "rules" / "cases" / name).read_text(encoding="utf-8")


def test_sla_subcommands_have_help_with_examples() -> None:
    from procflow.cli import app

    group: Any = typer.main.get_command(app).commands["sla"]  # type: ignore[attr-defined]
    assert "Example: procflow sla" in group.help
    for name, command in group.commands.items():
        assert f"Example: procflow sla {name}" in command.help
        for param in command.params:
            assert param.help, (name, param.name)
            if param.param_type_name == "option" and param.name != "help":
                assert "Example" in param.help, (name, param.name)


def test_pages_show_the_calendar_in_words_and_worked_examples(cli, desk: Path) -> None:
    cli("render", "procedures", "--output", "site", "--format", "md,html", expect=0)
    page = (desk / "site" / "complaint.md").read_text(encoding="utf-8")
    assert ("godziny pracy (Kalendarz: back-office): pon.–czw. 8:00–16:30 z przerwą, "
            "pt. 8:00–14:00; święta państwowe (Polska); strefa czasowa Europe/Warsaw") in page
    assert "zgłoszenie: piątek 15:30 → termin: poniedziałek 11:30" in page
    assert "ostrzeżenie przed przekroczeniem SLA Pierwsza odpowiedź" in page  # at: warning
    html = (desk / "site" / "complaint.html").read_text(encoding="utf-8")
    assert "<th scope=\"col\">Przykłady</th>" in html
    assert "zgłoszenie: środa 10:00 → termin: środa 14:00" in html
    for language, words, example in (
            ("en", "Mon–Fri 8:00–16:00; public holidays (Poland)",
             "received Friday 15:30 → due Monday 11:30"),
            ("cs", "po–pá 8:00–16:00; státní svátky (Polsko)",
             "přijato: pátek 15:30 → termín: pondělí 11:30")):
        source = desk / COMPLAINT
        source.write_text(source.read_text(encoding="utf-8").replace(
            "status: active", f"status: active\nlanguage: {language}"), encoding="utf-8")
        cli("render", "procedures", "--output", f"site-{language}", "--format", "md", expect=0)
        page = (desk / f"site-{language}" / "complaint.md").read_text(encoding="utf-8")
        assert words in page and example in page, page
        source.write_text(source.read_text(encoding="utf-8").replace(
            f"\nlanguage: {language}", ""), encoding="utf-8")


def test_the_readme_christmas_example_is_what_the_command_prints(cli, desk: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    command = "$ procflow sla explain procedures/complaint.yaml first-response --start " \
              "2026-12-23T15:30\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    result = cli("sla", "explain", COMPLAINT, "first-response", "--start", "2026-12-23T15:30",
                 expect=0)
    assert result.stdout == shown

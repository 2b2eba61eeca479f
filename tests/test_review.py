"""``procflow review``: overdue and upcoming reviews grouped by owner, as text, md or json;
``--fail-overdue`` turns an overdue review into exit 1 for a scheduled CI job."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TODAY = "2026-12-01"


def _procedure(folder: Path, pid: str, owner: str, *, last: str | None = None,
               every: str = "4w", status: str = "active", title: str = "T") -> None:
    review = f"review: {{last: {last}, every: {every}}}\n" if last else ""
    (folder / f"{pid}.yaml").write_text(f"""procflow: 1
id: {pid}
title: "{title}"
version: "1.0.0"
status: {status}
owner: {owner if owner.startswith("{") else "{name: " + owner + "}"}
{review}roles: [{{id: agent, name: Agent}}]
steps: [{{id: s, title: S, role: agent}}]
""", encoding="utf-8")


@pytest.fixture
def procedures(tmp_path: Path) -> Path:
    folder = tmp_path / "procedures"
    folder.mkdir()
    # due = last + 4w (28 days)
    _procedure(folder, "late", "Anna", last="2026-10-01")             # due 10-29: overdue
    _procedure(folder, "due-today", "Anna", last="2026-11-03")        # due 12-01: due today
    _procedure(folder, "soon", "Jan", last="2026-11-30")              # due 12-28: in 27 days
    _procedure(folder, "edge", "Jan", last="2026-12-03")              # due 12-31: in 30 days
    _procedure(folder, "later", "Jan", last="2026-12-04")             # due 2027-01-01: not listed
    _procedure(folder, "no-date", "Ola")                              # active, no review
    _procedure(folder, "draft", "Ola", status="draft")                # draft without review: fine
    _procedure(folder, "gone", "Ola", last="2020-01-01", status="retired")  # retired: left out
    return folder


def test_json_lists_overdue_due_and_unscheduled_only(cli, procedures: Path) -> None:
    result = cli("review", procedures, "--today", TODAY, "--format", "json", expect=0)
    report = json.loads(result.stdout)
    states = {item["id"]: (item["state"], item["due"], item["days_left"])
              for item in report["procedures"]}
    assert states == {
        "late": ("overdue", "2026-10-29", -33),
        "due-today": ("due", "2026-12-01", 0),
        "soon": ("due", "2026-12-28", 27),
        "edge": ("due", "2026-12-31", 30),
        "no-date": ("unscheduled", None, None),
    }
    assert report["summary"] == {"overdue": 1, "due": 3, "unscheduled": 1}
    assert report["today"] == TODAY and report["within_days"] == 30
    first = report["procedures"][0]
    assert first["owner"] == {"name": "Anna", "email": None, "handle": None}
    assert first["file"].endswith("procedures/late.yaml")
    assert (first["last_review"], first["every"]) == ("2026-10-01", "4w")


def test_within_widens_the_window(cli, procedures: Path) -> None:
    narrow = json.loads(cli("review", procedures, "--today", TODAY, "-f", "json", "--within",
                            "0", expect=0).stdout)
    wide = json.loads(cli("review", procedures, "--today", TODAY, "-f", "json", "--within",
                          "31", expect=0).stdout)
    assert [i["id"] for i in narrow["procedures"]] == ["late", "due-today", "no-date"]
    assert "later" in [i["id"] for i in wide["procedures"]]


def test_text_groups_by_owner_in_due_order(cli, procedures: Path) -> None:
    lines = cli("review", procedures, "--today", TODAY, expect=0).stdout.splitlines()
    owners = [line for line in lines if line and not line.startswith(" ")]
    assert owners[:3] == ["Anna", "Jan", "Ola"]
    anna = lines[lines.index("Anna") + 1: lines.index("Jan")]
    assert "OVERDUE" in anna[0] and "late" in anna[0] and "(33 days ago)" in anna[0]
    assert "due-today" in anna[1] and "(today)" in anna[1]
    jan = lines[lines.index("Jan") + 1: lines.index("Ola")]
    assert ["soon" in jan[0], "edge" in jan[1], len(jan)] == [True, True, 2]
    assert "no review" in lines[lines.index("Ola") + 1]
    assert lines[-1].startswith("1 overdue, 3 due within 30 days, 1 active without")


def test_markdown_has_a_section_per_owner_and_escapes_text(cli, procedures: Path) -> None:
    _procedure(procedures, "pipes", "Anna", last="2026-10-02", title="A | B *bold*")
    text = cli("review", procedures, "--today", TODAY, "--format", "md", expect=0).stdout
    assert text.startswith("# Procedure reviews\n")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Anna", "## Jan", "## Ola"]
    assert "| OVERDUE | A \\| B \\*bold\\* (pipes) | 1.0.0 |" in text


def test_text_shows_owner_names_as_written_and_inert(cli, procedures: Path) -> None:
    _procedure(procedures, "odd", '"Ola :thumbs_up: [b]x[/b] \\e[31m"', last="2026-10-02")
    text = cli("review", procedures, "--today", TODAY, expect=0).stdout
    assert "Ola :thumbs_up: [b]x[/b] \\x1b[31m" in text
    assert "\x1b" not in text


def test_fail_overdue_exits_1_only_when_something_is_overdue(cli, procedures: Path) -> None:
    cli("review", procedures, "--today", TODAY, expect=0)
    cli("review", procedures, "--today", TODAY, "--fail-overdue", expect=1)
    cli("review", procedures, "--today", "2026-10-28", "--fail-overdue", expect=0)


def test_nothing_due_says_so(cli, procedures: Path) -> None:
    result = cli("review", procedures / "later.yaml", "--today", TODAY, expect=0)
    assert result.stdout.strip() == ("0 overdue, 0 due within 30 days, 0 active without a "
                                     "review date (today 2026-12-01).")


def test_bad_input_is_a_usage_error(cli, procedures: Path) -> None:
    assert "YYYY-MM-DD" in cli("review", procedures, "--today", "1.12.2026", expect=2).stderr
    cli("review", procedures / "missing.yaml", expect=2)
    (procedures / "broken.yaml").write_text("id: [", encoding="utf-8")
    assert "not load" in cli("review", procedures, expect=2).stderr


def test_one_group_per_person_with_or_without_a_handle(cli, tmp_path: Path) -> None:
    folder = tmp_path / "procedures"
    folder.mkdir()
    _procedure(folder, "a", "{name: Anna, email: anna@example.com, handle: '@anna'}",
               last="2026-10-01")
    _procedure(folder, "b", "{name: Anna, email: Anna@Example.com}", last="2026-10-02")
    _procedure(folder, "c", "{name: Anna, email: anna@example.com, handle: '@anna'}",
               last="2026-10-03")
    _procedure(folder, "d", "{name: Anna, email: other@example.com}", last="2026-10-04")
    text = cli("review", folder, "--today", TODAY, expect=0).stdout.splitlines()
    owners = [line for line in text if line and not line.startswith(" ")][:-1]
    assert owners == ["Anna <anna@example.com> @anna", "Anna <other@example.com>"]
    markdown = cli("review", folder, "--today", TODAY, "-f", "md", expect=0).stdout
    assert markdown.count("## Anna") == 2

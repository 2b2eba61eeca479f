"""``procflow diff OLD NEW`` through the CLI: every format, every exit code, diagnostics for a
side that does not load, escaping of user text, and the version policy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "diff_cases"
BASE = CASES / "base.yaml"
TIGHTER = CASES / "sla-tightened" / "new.yaml"
SAME = CASES / "reformatted" / "new.yaml"
FOLDERS = CASES / "folders"


def edited(tmp_path: Path, name: str, *edits: tuple[str, str], source: Path = BASE) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def test_text_summary_line_and_groups(cli) -> None:
    out = cli("diff", BASE, TIGHTER, expect=0).stdout
    assert out.splitlines()[0] == ("complaint-handling 1.3.0: breaking — needs a major version "
                                   "(the version did not change); 1 change; affects agent, "
                                   "specialist")
    assert "  SLAs\n    breaking  SLA 'resolution' target tightened from 14d to 7d" in out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal


@pytest.mark.parametrize(("version", "line"), [
    ("2.0.0", "complaint-handling: breaking — major bump 1.3.0 → 2.0.0 ✓; 1 change"),
    ("1.4.0", "complaint-handling: breaking — needs a major version (1.3.0 → 1.4.0 is minor); "
              "1 change"),
])
def test_the_summary_says_whether_the_bump_is_done(cli, tmp_path: Path, version: str,
                                                   line: str) -> None:
    new = edited(tmp_path, "new.yaml", ("target: 14d", "target: 7d"),
                 ('version: "1.3.0"', f'version: "{version}"'))
    out = cli("diff", BASE, new, expect=0).stdout
    assert out.splitlines()[0].startswith(line)
    md = cli("diff", BASE, new, "-f", "md", expect=0).stdout
    assert ("| major ✓ |" in md) == (version == "2.0.0")


def test_added_and_removed_procedures_need_no_bump(cli) -> None:
    out = cli("diff", FOLDERS / "old", FOLDERS / "new", "-f", "md", expect=0).stdout
    added = next(line for line in out.splitlines() if line.startswith("| `callback`"))
    removed = next(line for line in out.splitlines() if line.startswith("| `phone-intake`"))
    assert "| — |" in added and "| — |" in removed
    assert "needs" not in cli("diff", FOLDERS / "old", FOLDERS / "new", expect=0).stdout.split(
        "complaint-handling")[0]


def test_an_edited_checklist_item_is_one_change_with_a_word_diff(cli, tmp_path: Path) -> None:
    new = edited(tmp_path, "new.yaml", ("- Priorytet nadany", "- Priorytet nadany (pilny / zwykły)"))
    data = json.loads(cli("diff", BASE, new, "-f", "json", expect=0).stdout)
    [change] = data["procedures"][0]["changes"]
    assert (change["path"], change["kind"]) == ("steps[register].checklist[2]", "changed")
    md = cli("diff", BASE, new, "-f", "md", expect=0).stdout
    assert "- `steps[register].checklist[2]`: Priorytet nadany **(pilny / zwykły)**" in md
    page = cli("diff", BASE, new, "-f", "html", expect=0).stdout
    assert "Priorytet nadany <ins>(pilny / zwykły)</ins>" in page


def test_text_for_no_change_and_totals(cli) -> None:
    out = cli("diff", BASE, SAME, expect=0).stdout
    assert out.startswith("No semantic changes.")
    assert "1 unchanged" in out


def test_json_has_the_spec_shape(cli) -> None:
    data = json.loads(cli("diff", BASE, TIGHTER, "--format", "json", expect=0).stdout)
    [procedure] = data["procedures"]
    assert {"id", "file", "status", "old_version", "new_version", "impact", "required_bump",
            "affected_roles", "changes"} <= procedure.keys()
    assert procedure["status"] == "changed" and procedure["required_bump"] == "major"
    assert procedure["changes"] == [{
        "path": "slas[resolution].target", "kind": "changed", "impact": "breaking",
        "old": "14d", "new": "7d", "direction": "tightened",
        "message": "SLA 'resolution' target tightened from 14d to 7d",
        "roles": ["agent", "specialist"]}]


def test_json_for_folders_lists_added_removed_and_unchanged(cli) -> None:
    data = json.loads(cli("diff", FOLDERS / "old", FOLDERS / "new", "-f", "json",
                          expect=0).stdout)
    assert {p["id"]: p["status"] for p in data["procedures"]} == {
        "callback": "added", "complaint-handling": "changed", "password-reset": "unchanged",
        "phone-intake": "removed"}
    moved = next(p for p in data["procedures"] if p["id"] == "complaint-handling")
    assert moved["file"].endswith("archive/complaint-handling.yaml")
    assert moved["old_file"].endswith("old/complaint-handling.yaml")


def test_markdown_table_and_escaped_user_text(cli, tmp_path: Path) -> None:
    new = edited(tmp_path, "new.yaml", ("title: Rekompensata", 'title: "A | <b>bold</b> *x* @team"'),
                 ("target: 14d", "target: 7d"))
    out = cli("diff", BASE, new, "--format", "md", expect=0).stdout
    assert "| Procedure | Version | Impact | Needs | Changes | Affects |" in out
    assert ("| `complaint-handling` | 1.3.0 | 🔴 breaking | major (missing) | 2 | agent, "
            "specialist |") in out
    assert "<b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "A \\| &lt;b&gt;" in out and "\\*x\\*" in out
    assert "@team" not in out  # no mention ping in a PR comment


def test_markdown_folds_a_long_list(cli, tmp_path: Path) -> None:
    steps = "".join(f"  - id: extra-{i}\n    title: Extra {i}\n    role: agent\n" for i in range(12))
    new = edited(tmp_path, "new.yaml", ("slas:  ", steps + "\nslas:  "))
    out = cli("diff", BASE, new, "-f", "md", expect=0).stdout
    assert "<details><summary>12 changes</summary>" in out


def test_html_page_with_marked_diagram(cli, tmp_path: Path) -> None:
    new = edited(tmp_path, "new.yaml",
                 ("  - id: resolve\n    title: Rekompensata\n    role: specialist\n", ""),
                 ("next: resolve", "next: close"), ("title: Odrzucenie z uzasadnieniem",
                                                    "title: Odrzucenie <script>x</script>"),
                 ("    role: agent\n    end: true\n",
                  ("    role: agent\n    next: survey\n  - id: survey\n    title: Ankieta\n"
                   "    role: agent\n")))
    page = tmp_path / "diff.html"
    result = cli("diff", BASE, new, "--format", "html", "--output", page, expect=0)
    assert result.stdout == ""
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert '<svg role="img" aria-label="Changes to Obsługa reklamacji"' in html  # named
    assert "<script" not in html and "&lt;script&gt;" in html
    for mark in ("added", "changed", "removed"):
        assert f'class="node step {mark}"' in html or f'class="node decision {mark}"' in html
    head = html.split("<svg", 1)[0]
    assert "http:" not in head and "https:" not in head  # self-contained: nothing fetched


def test_exit_code_option(cli) -> None:
    cli("diff", BASE, TIGHTER, "--exit-code", expect=1)
    cli("diff", BASE, SAME, "--exit-code", expect=0)


@pytest.mark.parametrize("version, code", [("2.0.0", 0), ("1.4.0", 1), ("1.3.0", 1)])
def test_check_version(cli, tmp_path: Path, version: str, code: int) -> None:
    new = edited(tmp_path, "new.yaml", ('version: "1.3.0"', f'version: "{version}"'),
                 source=TIGHTER)
    result = cli("diff", BASE, new, "--check-version", expect=code)
    if code:
        assert "needs a major version bump (to 2.0.0 or later)" in result.stderr
        assert "SLA 'resolution' target tightened from 14d to 7d" in result.stderr
        assert ("did not change" if version == "1.3.0" else "only a minor bump") in result.stderr


def test_check_version_refuses_a_version_that_went_down(cli, tmp_path: Path) -> None:
    new = edited(tmp_path, "new.yaml", ('version: "1.3.0"', 'version: "1.2.9"'))
    assert "went down" in cli("diff", BASE, new, "--check-version", expect=1).stderr


def test_a_side_that_does_not_load_gets_validate_diagnostics(cli, tmp_path: Path) -> None:
    broken = edited(tmp_path, "broken.yaml", ("target: 14d", "target: 14"),
                    ("    role: agent\n    end: true", "    role: agent\n    ned: true"))
    result = cli("diff", BASE, broken, "--format", "json", expect=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(line.endswith("'14' has no unit: add a unit: 30s, 15m, 4h, 2d, 1w (or ISO 8601 "
                             "such as PT4H, P2D)") and ": error PF003 " in line for line in lines)
    assert any(":73:5: error PF003 unknown field 'ned'" in line for line in lines)
    assert lines[-1].startswith("procflow: 1 file does not load")
    assert len(lines) == 3  # each diagnostic once, then the one-line summary


@pytest.mark.parametrize("args, says", [
    (["only-one.yaml"], "give OLD and NEW"),
    (["missing.yaml", "other.yaml"], "no such file or folder"),
    (["--head", "HEAD"], "--head needs --base"),
])
def test_usage_errors(cli, args: list[str], says: str) -> None:
    result = cli("diff", *args, expect=2)
    assert says in result.stderr and result.stdout == ""


def test_a_file_and_a_folder_do_not_mix(cli) -> None:
    assert "two files or two folders" in cli("diff", BASE, FOLDERS / "new", expect=2).stderr


def test_control_characters_in_user_text_stay_inert(cli, tmp_path: Path) -> None:
    new = edited(tmp_path, "new.yaml", ("title: Rekompensata", 'title: "\\e[2J wiped"'))
    out = cli("diff", BASE, new, expect=0).stdout
    assert "\x1b" not in out and "\\x1b[2J wiped" in out


def test_unknown_format_is_a_usage_error(cli) -> None:
    cli("diff", BASE, SAME, "--format", "yaml", expect=2)


def test_output_file_is_written_whole(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    cli("diff", BASE, TIGHTER, "-f", "md", "-o", target, expect=0)
    assert target.read_text(encoding="utf-8").startswith("## procflow diff")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_folder_with_a_broken_file_reports_it(cli, tmp_path: Path) -> None:
    shutil.copytree(FOLDERS / "new", tmp_path / "new")
    (tmp_path / "new" / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = cli("diff", FOLDERS / "old", tmp_path / "new", expect=2)
    assert "bad.yaml:" in result.stderr and "PF001" in result.stderr


def test_today_sets_the_years_a_changed_calendar_is_compared_over(cli, tmp_path: Path) -> None:
    """A calendar whose Polish holidays are written out for 2026-2030 only is the same as
    `holidays: {country: PL}` in the years from a 2026 --today (2026-2030), and has more
    working time once --today moves the years compared past 2030: the date comes from the
    command line, not from the clock inside the library."""
    import holidays

    written = sorted(str(day) for day in holidays.country_holidays("PL", years=range(2026, 2031)))
    office = "{id: office, timezone: Europe/Warsaw, hours: \"08:00-16:00\", holidays: %s}"
    procedure = ("procflow: 1\nid: service\ntitle: Service\nversion: \"1.0.0\"\n"
                 "owner: {name: A}\nroles: [{id: agent, name: Agent}]\n"
                 "steps: [{id: intake, title: Take it, role: agent}]\n"
                 "slas: [{id: answer, target: 4h, clock: business}]\n")
    for side, calendar in (("old", "{country: PL}"), ("new", f"[{', '.join(written)}]")):
        (tmp_path / side / ".git").mkdir(parents=True)
        (tmp_path / side / "procflow.yaml").write_text(
            f"procflow: 1\ncalendars: [{office % calendar}]\ndefault_calendar: office\n",
            encoding="utf-8")
        (tmp_path / side / "service.yaml").write_text(procedure, encoding="utf-8")

    def answer_change(today: str) -> dict[str, object]:
        result = cli("diff", tmp_path / "old" / "service.yaml", tmp_path / "new" / "service.yaml",
                     "--format", "json", "--today", today, expect=0)
        [change] = json.loads(result.stdout)["procedures"][0]["changes"]
        return change

    assert answer_change("2026-06-01")["impact"] == "cosmetic"  # the same working time
    later = answer_change("2031-06-01")
    assert (later["impact"], later["direction"]) == ("breaking", "tightened")
    cli("diff", BASE, SAME, "--today", "June", expect=2)

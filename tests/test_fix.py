"""``procflow fix`` (issue 10, item 3): every fixable slip is fixed so that validate no longer
reports it, only the bytes that change are touched, writes are atomic, and what cannot be
fixed is left alone. SARIF carries the fixes; the text report marks them."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from procflow.errors import UsageError
from procflow.fix import fix_file, fix_files
from procflow.lint import validate
from test_one_run import CLEAN, TODAY

#: name -> (line of CLEAN replaced, the slip written there, the line fix must write)
FIXABLE: dict[str, tuple[int, str, str]] = {
    "yaml 1.1 boolean as text": (3, "title: yes", 'title: "yes"'),
    "version as a number": (4, "version: 1.0", 'version: "1.0.0"'),
    "short version text": (4, 'version: "1.2"', 'version: "1.2.0"'),
    "format version as text": (1, 'procflow: "1"', "procflow: 1"),
    "status misspelt": (5, "status: activ", "status: active"),
    "date day first": (7, "review: {last: 13/06/2026, every: 26w}",
                       "review: {last: 2026-06-13, every: 26w}"),
    "duration with a fraction": (17, "  - {id: check, title: Check the account, role: agent, "
                                     "max_duration: 1.5h}",
                                 "  - {id: check, title: Check the account, role: agent, "
                                 "max_duration: 1h30m}"),
    "duration in words": (17, "  - {id: check, title: Check the account, role: agent, "
                              "max_duration: 30 mins}",
                          "  - {id: check, title: Check the account, role: agent, "
                          "max_duration: 30m}"),
    "misspelt field": (19, "    titel: Decide", "    title: Decide"),
    "misspelt role": (16, "  - {id: intake, title: Take the call, role: agnt}",
                      "  - {id: intake, title: Take the call, role: agent}"),
    "misspelt step in next": (24, "  - {id: answer-call, title: Answer, role: agent, next: clse}",
                              "  - {id: answer-call, title: Answer, role: agent, next: close}"),
    "text where a list is expected": (25, "  - {id: handover, title: Hand over, role: lead, "
                                          "checklist: Write notes}",
                                      "  - {id: handover, title: Hand over, role: lead, "
                                      "checklist: [Write notes]}"),
    "a ': ' in a plain value": (3, "title: Phone request: all channels",
                                'title: "Phone request: all channels"'),
    "no space after ':'": (20, "    role:agent", "    role: agent"),
    "no space after '-'": (22, "      -{when: Simple, next: answer-call}",
                           "      - {when: Simple, next: answer-call}"),
}


def write(folder: Path, lines: dict[int, str]) -> Path:
    (folder / ".git").mkdir(exist_ok=True)  # no procflow.yaml from outside
    text = CLEAN.splitlines()
    for line, written in lines.items():
        text[line - 1] = written
    path = folder / "one-run.yaml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", FIXABLE)
def test_fix_then_validate_reports_nothing(tmp_path: Path, name: str) -> None:
    line, slip, fixed = FIXABLE[name]
    path = write(tmp_path, {line: slip})
    before = validate([path], today=TODAY).findings
    assert any(f.fix is not None for f in before), [str(f) for f in before]
    [result] = fix_files([path], today=TODAY)
    assert result.fixed and not result.remaining
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[line - 1] == fixed
    # only that line changed: comments, order and formatting stay
    assert lines[:line - 1] + lines[line:] == (CLEAN.splitlines()[:line - 1]
                                               + CLEAN.splitlines()[line:])
    assert validate([path], today=TODAY).findings == []


def test_several_slips_fixed_in_one_run_keeping_comments(tmp_path: Path) -> None:
    path = write(tmp_path, {3: "title: Phone request: all channels   # what the team says",
                            4: "version: 1.0", 16: "  - {id: intake, title: Take the call, "
                            "role: agnt}  # first", 19: "    titel: Decide"})
    [result] = fix_files([path], today=TODAY)
    assert len(result.fixed) == 4 and not result.remaining
    text = path.read_text(encoding="utf-8")
    assert 'title: "Phone request: all channels"   # what the team says\n' in text
    assert "role: agent}  # first\n" in text
    assert validate([path], today=TODAY).findings == []


def test_ambiguous_values_are_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, {7: "review: {last: 03/06/2026, every: 26w}",
                            17: "  - {id: check, title: Check the account, role: agent, "
                                "max_duration: 0.5d}"})
    original = path.read_bytes()
    [result] = fix_files([path], today=TODAY)
    assert not result.fixed and len(result.remaining) == 2
    assert path.read_bytes() == original
    messages = " ".join(f.message for f in result.remaining)
    assert "2026-03-06 or 2026-06-03" in messages


def test_a_syntax_error_it_cannot_fix_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = write(tmp_path, {3: 'title: "Phone request', 4: "version: 1.0"})
    original = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    [result] = fix_files([path], today=TODAY)
    assert not result.changed and [f.code for f in result.remaining] == ["PF001"]
    assert path.read_bytes() == original and path.stat().st_mtime_ns == stamp


def test_diff_shows_the_change_and_writes_nothing(cli, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, {4: "version: 1.0"})
    original = path.read_bytes()
    out = cli("fix", "one-run.yaml", "--diff", "--today", "2026-11-25", expect=0).stdout
    assert '-version: 1.0\n+version: "1.0.0"\n' in out and "would fix 1 finding" in out
    assert path.read_bytes() == original
    out = cli("fix", "one-run.yaml", "--today", "2026-11-25", expect=0).stdout
    assert "fixed one-run.yaml:4:10: PF003" in out
    assert b'version: "1.0.0"' in path.read_bytes()


def test_fix_exits_1_when_errors_are_left(cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {4: "version: 1.0", 16: "  - {id: intake, title: Take the call, role: xyz}"})
    out = cli("fix", "one-run.yaml", "--today", "2026-11-25", expect=1).stdout
    assert "PF005" in out and "1 error left to fix by hand" in out


def test_validate_fix_fixes_then_reports(cli, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, {4: "version: 1.0"})
    cli("validate", "one-run.yaml", "--fix", "--today", "2026-11-25", expect=0)
    assert b'version: "1.0.0"' in path.read_bytes()


def test_a_failed_write_leaves_the_old_file_and_no_scrap(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, {4: "version: 1.0"})
    original = path.read_bytes()

    def full_disk(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UsageError, match="No space left"):
        fix_files([path], today=TODAY)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "one-run.yaml"]


def test_a_symbolic_link_is_not_written_through(tmp_path: Path) -> None:
    target = write(tmp_path, {4: "version: 1.0"})
    original = target.read_bytes()
    link = tmp_path / "procedures" / "one-run.yaml"
    link.parent.mkdir()
    link.symlink_to(target)
    [result] = fix_files([link], today=TODAY)
    assert result.skipped is not None and "symbolic link" in result.skipped
    assert link.is_symlink() and target.read_bytes() == original


def test_mode_byte_order_mark_and_line_ends_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, {4: "version: 1.0"})
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    path.chmod(0o640)
    fix_files([path], today=TODAY)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b'version: "1.0.0"\r\n' in data
    assert data.count(b"\r\n") == text.count("\r\n") and (path.stat().st_mode & 0o777) == 0o640


def test_fix_file_computes_without_writing(tmp_path: Path) -> None:
    path = write(tmp_path, {4: "version: 1.0"})
    original = path.read_bytes()
    result = fix_file(path, today=dt.date(2026, 11, 25))
    assert result.changed and path.read_bytes() == original


def test_sarif_carries_the_fix_and_text_marks_it(cli, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {4: "version: 1.0", 16: "  - {id: intake, title: Take the call, role: xyz}"})
    sarif = json.loads(cli("validate", "one-run.yaml", "--format", "sarif", "--today",
                           "2026-11-25", expect=1).stdout)
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    by_code = {r["ruleId"]: r for r in run["results"]}
    assert "fixes" not in by_code["PF005"]  # no close name: nothing to fix mechanically
    [change] = by_code["PF003"]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "one-run.yaml"
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 4, "startColumn": 10, "endLine": 4, "endColumn": 13},
        "insertedContent": {"text": '"1.0.0"'}}]
    text = cli("validate", "one-run.yaml", "--today", "2026-11-25", expect=1,
               env={"NO_COLOR": "1"}).stdout
    version_line = next(line for line in text.splitlines() if ":4:10:" in line)
    role_line = next(line for line in text.splitlines() if ":16:" in line and "PF005" in line)
    assert version_line.endswith("[fixable]") and "[fixable]" not in role_line
    assert "1 of them marked fixable: procflow fix repairs those." in text


def test_yaml_that_is_not_a_procedure_is_never_rewritten(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    other = tmp_path / "labels.yaml"  # no procflow: key, e.g. a translation file
    other.write_text("title: yes\nsteps: Etapy\nversion: 1.0\n", encoding="utf-8")
    original = other.read_bytes()
    [result] = fix_files([other], today=TODAY)
    assert not result.fixed and result.remaining and other.read_bytes() == original

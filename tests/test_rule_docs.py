"""Every rule is documented, its documented examples are true, and docs/rules/ is current."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from procflow.lint import validate
from procflow.rule_pages import REGENERATE, pages
from procflow.rules import Rule, all_rules
from procflow.rules.docs import Example, rule_doc

DOCS = Path(__file__).parents[1] / "docs" / "rules"
TODAY = dt.date(2026, 11, 25)  # the date the PF104 example is written for
RULES = all_rules()


def _check(examples: tuple[Example, ...], tmp_path: Path) -> list[str]:
    """Write the example files into a fresh project and validate them; the findings."""
    (tmp_path / ".git").mkdir()
    files = []
    for example in examples:
        path = tmp_path / example.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example.text, encoding="utf-8")
        if path.name != "procflow.yaml":
            files.append(path)
    return [f"{f.code} {f.line}:{f.column} {f.message}"
            for f in validate(files, today=TODAY, jobs=1).findings]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_is_documented(rule: Rule) -> None:
    doc = rule_doc(rule)
    assert rule.summary and doc.text.split("\n\n")[0], "a summary and a first paragraph"
    assert "**Why it matters:**" in doc.text
    assert doc.fails, "a failing example (a yaml block under **Fails:**)"
    assert doc.passes, "a passing example (a yaml block under **Passes:**)"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_failing_example_fails(rule: Rule, tmp_path: Path) -> None:
    findings = _check(rule_doc(rule).fails, tmp_path)
    assert any(finding.startswith(rule.code + " ") for finding in findings), findings


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_passing_example_is_clean(rule: Rule, tmp_path: Path) -> None:
    assert _check(rule_doc(rule).passes, tmp_path) == []


def test_docs_folder_is_generated_from_the_rules() -> None:
    expected = pages()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, (f"docs/rules/ is out of date (changed: {stale}, not "
                                     f"generated: {extra}); regenerate it with: {REGENERATE}")



def test_the_regenerate_command_writes_the_docs_folder(tmp_path: Path) -> None:
    """The command the pages and the README name, run as a user runs it, writes exactly the
    pages of docs/rules/."""
    command = REGENERATE.split()
    assert command[:2] == ["python", "-m"] and command[3:] == ["docs/rules"]
    done = subprocess.run([sys.executable, "-m", command[2], str(tmp_path / "rules")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    written = {path.name: path.read_text(encoding="utf-8")
               for path in (tmp_path / "rules").glob("*.md")}
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    assert written == on_disk
    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert REGENERATE in readme


def test_cli_lists_every_rule(cli) -> None:
    result = cli("rules", expect=0)
    listed = [line.split()[:2] for line in result.stdout.splitlines()]
    assert listed == [[rule.code, rule.severity.value] for rule in RULES]


def test_cli_lists_the_severities_the_project_sets(cli, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "procflow.yaml").write_text(
        "procflow: 1\nrules:\n  disable: [PF105, PF001]\n  severity: {PF104: error, PF003: "
        "warning}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("rules", expect=0)
    shown = dict(line.split()[:2] for line in result.stdout.splitlines())
    # PF001-PF003 cannot be turned off or down: a file that does not load cannot be checked
    assert {code: shown[code] for code in ("PF001", "PF003", "PF104", "PF105", "PF106")} == {
        "PF001": "error", "PF003": "error", "PF104": "error", "PF105": "off",
        "PF106": "warning"}
    assert "procflow.yaml" in result.stderr


def test_cli_prints_one_rules_documentation(cli) -> None:
    result = cli("rules", "pf102", expect=0)
    assert result.stdout.startswith("PF102: the longest path from an SLA's start")
    assert "**Fails:**" in result.stdout and "disable: [PF102]" in result.stdout


def test_cli_unknown_rule_is_a_usage_error(cli) -> None:
    result = cli("rules", "PF1O7", expect=2)
    assert result.stdout == ""
    assert "no rule 'PF1O7' (did you mean 'PF107'?)" in result.stderr

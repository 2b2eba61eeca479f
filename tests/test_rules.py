"""The rules, through the engine: invalid-file cases as data, and the graph rules on size.

A case is a YAML file in ``tests/rules/cases/`` (or a folder there: a small project with a
``procflow.yaml`` and ``procedures/``). Its expectations are comments inside it:

    # expect: PF005 12                      code and line
    # expect: PF005 12:9 did you mean       code, line:column, and text the message contains
    # expect: clean                         no findings at all
    (a case's procflow.yaml may have expect lines too: the calendar rules report there)
    # today: 2026-11-25                     the date for PF104 (default: 2026-11-25)

Adding a case is adding a file. A failing case prints the findings as expect lines.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import pair_off

from procflow.findings import Finding
from procflow.lint import validate

CASES = Path(__file__).parent / "rules" / "cases"
DEFAULT_TODAY = dt.date(2026, 11, 25)
SUFFIXES = (".yaml", ".yml")
_EXPECT = re.compile(rb"^# expect: (?:(clean)|(PF\d{3}) (\d+)(?::(\d+))?(?: (.+))?)\s*$")
_TODAY = re.compile(rb"^# today: (\d{4}-\d{2}-\d{2})\s*$")


@dataclass(frozen=True)
class Expect:
    code: str
    line: int
    column: int | None
    text: str | None

    def matches(self, finding: Finding) -> bool:
        return (finding.code, finding.line) == (self.code, self.line) \
            and self.column in (None, finding.column) \
            and (self.text is None or self.text in finding.message)


def _expectations(raw: bytes) -> tuple[list[Expect] | None, dt.date | None]:
    """The expectations of one case file (None: it has none, which is a broken case)."""
    expects: list[Expect] | None = None
    today = None
    for line in raw.splitlines():
        if (found := _EXPECT.match(line)) is not None:
            expects = expects or []
            if not found.group(1):
                code, row, column, text = (g.decode() if g else None for g in found.groups()[1:])
                assert code is not None and row is not None
                expects.append(Expect(code, int(row), int(column) if column else None, text))
        elif (day := _TODAY.match(line)) is not None:
            today = dt.date.fromisoformat(day.group(1).decode())
    return expects, today


def _cases() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if path.is_dir() or path.suffix in SUFFIXES)


def _procedure_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and p.name != "procflow.yaml")


def _checked_project_files(root: Path) -> list[Path]:
    """The project files of a case that carry expectations (the calendar rules report there)."""
    return sorted(p for p in root.rglob("procflow.yaml")
                  if _expectations(p.read_bytes())[0] is not None)


def _as_expect_lines(findings: list[Finding]) -> str:
    return "\n".join(f"# expect: {f.code} {f.line}:{f.column}   ({f.severity}) {f.message}"
                     for f in findings) or "# expect: clean"


@pytest.mark.parametrize("case", _cases(), ids=lambda path: path.name)
def test_case(case: Path, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # stop the project search here: no procflow.yaml from outside
    root = tmp_path / "case"
    if case.is_dir():
        shutil.copytree(case, root)
    else:
        root.mkdir()
        (root / case.name).write_bytes(case.read_bytes())
    files = _procedure_files(root)
    assert files, f"{case.name}: no procedure file in the case"
    wanted: dict[Path, list[Expect]] = {}
    today = None
    checked = files + _checked_project_files(root)
    for path in checked:
        expects, day = _expectations(path.read_bytes())
        assert expects is not None, f"{path.relative_to(root)} has no '# expect:' line"
        wanted[path.resolve()] = expects
        today = day or today

    result = validate(files, today=today or DEFAULT_TODAY, jobs=1)

    for path in checked:
        got = [f for f in result.findings if Path(f.file).resolve() == path.resolve()]
        missing, unmatched = pair_off(wanted[path.resolve()], got, Expect.matches)
        assert not missing and not unmatched, (
            f"{case.name}/{path.relative_to(root)}: the findings differ from the expectations."
            f"\nmissing: {missing}\nactual findings:\n{_as_expect_lines(got)}")
    assert not [f for f in result.findings if Path(f.file).resolve() not in wanted], \
        f"findings outside the case's procedure files: {result.findings}"


def test_every_rule_has_a_failing_and_a_clean_case() -> None:
    from procflow.rules import all_rules

    failing: Counter[str] = Counter()
    clean: set[str] = set()
    for case in _cases():
        texts = [p.read_bytes() for p in (_procedure_files(case) + _checked_project_files(case)
                                          if case.is_dir() else [case])]
        for raw in texts:
            expects, _ = _expectations(raw)
            failing.update(expect.code for expect in expects or [])
        prefix = case.name.split("-")[0].upper()
        if all(_expectations(raw)[0] == [] for raw in texts):
            clean.add(prefix)
    codes = [rule.code for rule in all_rules()]
    assert [code for code in codes if not failing[code]] == []
    assert [code for code in codes if code not in clean] == []


# --- the graph rules on a large procedure -------------------------------------------------


def _big_procedure(steps: int, *, with_end: bool = True) -> dict[str, object]:
    """A chain of ``steps`` steps of 1m each where every third step is a decision: on to the
    next step, skip one, or back to the step at half its position (a loop)."""
    listed: list[dict[str, object]] = []
    for i in range(steps):
        step: dict[str, object] = {"id": f"s{i}", "title": f"Step {i}", "role": "agent",
                                   "max_duration": "1m"}
        if i % 3 == 0 and i + 2 < steps:
            step["branches"] = [{"when": "on", "next": f"s{i + 1}"},
                                {"when": "skip", "next": f"s{i + 2}"},
                                {"when": "back", "next": f"s{i // 2}"}]
        listed.append(step)
    if not with_end:
        listed[-1]["next"] = "s0"
    return {"procflow": 1, "id": "big", "title": "Big", "version": "1.0.0",
            "owner": {"name": "Anna Nowak"}, "roles": [{"id": "agent", "name": "Agent"}],
            "steps": listed, "slas": [{"id": "all", "target": f"{steps - 1}m"}],
            "escalations": [{"id": "late", "when": "Late", "sla": "all", "to": "agent"}]}


def _run_file_rules(data: dict[str, object]) -> list[str]:
    from procflow.model import Procedure
    from procflow.project import DEFAULT_PROJECT
    from procflow.rules import LoadRule, RuleContext, TreeRule, all_rules

    context = RuleContext(Procedure.model_validate(data), DEFAULT_PROJECT, Path("big.yaml"),
                          DEFAULT_TODAY)
    return [issue.message for rule in all_rules() if not isinstance(rule, (LoadRule, TreeRule))
            for issue in rule.check(context)]


def test_graph_rules_on_2000_steps_with_branches_and_loops() -> None:
    # Loops are no budget: the longest path is the chain itself, 2,000 steps of 1m.
    assert _run_file_rules(_big_procedure(2000)) == [
        "SLA 'all' cannot be kept: max_duration along the longest path from step 's0' to an "
        "end adds up to 1d9h20m, more than the target 1999m; raise the target or shorten the "
        "steps' max_duration"]


def test_no_way_to_end_on_2000_steps() -> None:
    messages = _run_file_rules(_big_procedure(2000, with_end=False))
    assert sum("no end can be reached" in message for message in messages) == 2000


def test_default_severities_follow_the_format() -> None:
    from procflow.rules import all_rules

    codes = {rule.code: rule.severity.value for rule in all_rules()}
    assert codes == {**{f"PF00{n}": "error" for n in range(1, 10)},
                     **{f"PF10{n}": "warning" for n in range(1, 9)},
                     # the calendar rules are errors: such a calendar cannot count time
                     "PF109": "error", "PF110": "error", "PF111": "error", "PF112": "error",
                     "PF113": "warning", "PF114": "warning"}

"""Every layer in one run (issue 10, item 1): a file with several independent mistakes gets
exactly the findings each mistake gets alone, so one run shows them all, with no cascades.

Each mistake replaces one line of a clean procedure, so the lines of the others stay put;
two mistakes on the same line are not independent and are never combined. Compared: the
code and the line of every finding.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procflow.lint import validate

TODAY = dt.date(2026, 11, 25)
CLEAN = """\
procflow: 1
id: one-run
title: Phone request
version: "1.0.0"
status: active
owner: {name: Anna Nowak}
review: {last: 2026-06-01, every: 26w}
roles:
  - {id: agent, name: Agent}
  - {id: lead, name: Team lead}
slas:
  - {id: answer, target: 1d}
escalations:
  - {id: late, when: SLA missed, sla: answer, to: lead}
steps:
  - {id: intake, title: Take the call, role: agent}
  - {id: check, title: Check the account, role: agent, max_duration: 1h}
  - id: decide
    title: Decide
    role: agent
    branches:
      - {when: Simple, next: answer-call}
      - {when: Complex, next: handover}
  - {id: answer-call, title: Answer, role: agent, next: close}
  - {id: handover, title: Hand over, role: lead, checklist: [Write notes, Call back]}
  - {id: close, title: Close the case, role: agent}
"""

#: name -> (line replaced, the line written instead, the findings it gets alone)
MISTAKES: dict[str, tuple[int, str, set[tuple[str, int]]]] = {
    "yaml-1.1 boolean as text": (3, "title: yes", {("PF003", 3)}),
    "version as a number": (4, "version: 1.0", {("PF003", 4)}),
    "misspelt top-level field": (4, 'versio: "1.0.0"', {("PF003", 4), ("PF003", 1)}),
    "status not one of the values": (5, "status: activ", {("PF003", 5)}),
    "mapping written as a list": (6, "owner: [Anna Nowak]", {("PF003", 6)}),
    "review overdue": (7, "review: {last: 2020-01-01, every: 26w}", {("PF104", 7)}),
    "date not ISO": (7, "review: {last: 01/06/2026, every: 26w}", {("PF003", 7)}),
    "duration with a fraction": (7, "review: {last: 2026-06-01, every: 1.5w}", {("PF003", 7)}),
    "unknown field on a role": (9, "  - {id: agent, name: Agent, nmae: x}", {("PF003", 9)}),
    "role renamed: unused and unknown": (10, "  - {id: lead2, name: Team lead}",
                                         {("PF101", 10), ("PF005", 14), ("PF005", 25)}),
    "unknown SLA in an escalation": (14, "  - {id: late, when: SLA missed, sla: answr, to: lead}",
                                     {("PF005", 14), ("PF103", 12)}),
    "unknown role on a step": (16, "  - {id: intake, title: Take the call, role: agnt}",
                               {("PF005", 16)}),
    "duration in words": (17, "  - {id: check, title: Check the account, role: agent, "
                              "max_duration: 90 min}", {("PF003", 17)}),
    "duplicate step id": (17, "  - {id: intake, title: Check the account, role: agent}",
                          {("PF004", 17)}),
    "list where text is expected": (19, "    title: [Decide]", {("PF003", 19)}),
    "branch leaves a step unreachable": (23, "      - {when: Complex, next: close}",
                                         {("PF006", 25)}),
    "loop with no way out": (24, "  - {id: answer-call, title: Answer, role: agent, "
                                 "next: answer-call}", {("PF007", 24)}),
    "next is not a slug": (24, "  - {id: answer-call, title: Answer, role: agent, next: Close}",
                           {("PF003", 24)}),
    "missing title": (25, "  - {id: handover, role: lead, checklist: [Write notes, Call back]}",
                      {("PF003", 25)}),
    "step id is not a slug": (26, "  - {id: Close, title: Close the case, role: agent}",
                              {("PF003", 26)}),
    "two ways on": (26, "  - {id: close, title: Close the case, role: agent, next: intake, "
                        "end: true}", {("PF003", 26)}),
}


def with_mistakes(names: list[str]) -> str:
    lines = CLEAN.splitlines()
    for name in names:
        line, written, _ = MISTAKES[name]
        lines[line - 1] = written
    return "\n".join(lines) + "\n"


@functools.cache
def findings_of(text: str) -> frozenset[tuple[str, int]]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / ".git").mkdir()  # no procflow.yaml from outside
        path = folder / "one-run.yaml"
        path.write_text(text, encoding="utf-8")
        return frozenset((f.code, f.line) for f in validate([path], today=TODAY, jobs=1).findings)


def test_the_clean_file_is_clean() -> None:
    assert findings_of(CLEAN) == frozenset()


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_alone_gets_its_findings(name: str) -> None:
    assert findings_of(with_mistakes([name])) == MISTAKES[name][2]


def test_one_mistake_of_each_line_all_at_once() -> None:
    chosen: dict[int, str] = {}
    for name, (line, _, _) in MISTAKES.items():
        chosen.setdefault(line, name)
    names = list(chosen.values())
    assert len(names) >= 15
    expected = frozenset().union(*(findings_of(with_mistakes([n])) for n in names))
    assert findings_of(with_mistakes(names)) == expected


@st.composite
def independent_mistakes(draw: st.DrawFn) -> list[str]:
    """A few mistakes, at most one per line."""
    names = draw(st.lists(st.sampled_from(sorted(MISTAKES)), min_size=2, max_size=8,
                          unique=True))
    by_line: dict[int, str] = {}
    for name in names:
        by_line.setdefault(MISTAKES[name][0], name)
    return sorted(by_line.values())


@settings(max_examples=40, deadline=None)
@given(independent_mistakes())
def test_findings_of_mistakes_together_are_the_union_of_each_alone(names: list[str]) -> None:
    expected = frozenset().union(*(findings_of(with_mistakes([n])) for n in names))
    assert findings_of(with_mistakes(names)) == expected, names

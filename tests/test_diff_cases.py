"""The change cases in ``tests/diff_cases/``: each folder holds an old and a new version
(``old.yaml``, default ``base.yaml``, and ``new.yaml``; or ``old/`` and ``new/`` folders) and
``expected.yaml``, the changes the diff must report. A new case is a new folder, no code.

Every expected change must match one reported change on the keys it names, and nothing
else may be reported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import pair_off

from procflow.diff.tree import diff_sources, path_sources

CASES = Path(__file__).parent / "diff_cases"
#: the date the cases are diffed on (the year a changed calendar is compared from)
TODAY = dt.date(2026, 12, 1)
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.yaml").exists())


def sides(case: Path) -> tuple[Path, Path]:
    if (case / "old").is_dir():
        return case / "old", case / "new"
    old = case / "old.yaml"
    return (old if old.exists() else CASES / "base.yaml"), case / "new.yaml"


def matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return all(key in actual and actual[key] == value for key, value in expected.items())


def check_changes(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> None:
    missing, left = pair_off(expected, actual, matches)
    assert not missing and not left, (
        f"expected but not reported: {missing}\nreported but not expected: "
        f"{[(c['path'], c['kind'], c['impact'], c['message']) for c in left]}")


def check_procedure(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    for key, value in expected.items():
        if key != "changes":
            assert actual[key] == value, f"{actual['id']} {key}: {actual[key]!r} != {value!r}"
    check_changes(expected.get("changes", []), actual["changes"])


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    case = CASES / name
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    old, new, as_one = path_sources(*sides(case))
    report = [p.to_json() for p in diff_sources(old, new, today=TODAY, as_one=as_one).procedures]
    if "procedures" in expected:
        assert [p["id"] for p in report] == [p["id"] for p in expected["procedures"]]
        for wanted, actual in zip(expected["procedures"], report):
            check_procedure(wanted, actual)
    else:
        assert len(report) == 1
        check_procedure(expected, report[0])


def test_every_kind_impact_and_direction_is_covered() -> None:
    """The cases exercise every change kind, impact class and duration direction."""
    seen: set[str] = set()
    for name in NAMES:
        expected = yaml.safe_load((CASES / name / "expected.yaml").read_text(encoding="utf-8"))
        for procedure in expected.get("procedures", [expected]):
            for change in procedure.get("changes", []):
                seen |= {change["kind"], change["impact"], change.get("direction", "")}
    assert {"added", "removed", "changed", "moved", "renamed", "breaking", "notable",
            "cosmetic", "tightened", "loosened"} <= seen


def test_many_files_in_two_processes_give_the_same_report(tmp_path: Path) -> None:
    """Trees of 60 files are settled in worker processes; the report is the same."""
    base = (CASES / "base.yaml").read_text(encoding="utf-8")
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
    for i in range(60):
        text = base.replace("id: complaint-handling", f"id: procedure-{i}")
        (tmp_path / "old" / f"p{i}.yaml").write_text(text, encoding="utf-8")
        if i % 10 == 0:
            text = text.replace("target: 14d", "target: 7d")
        name = f"moved-{i}.yaml" if i == 7 else f"p{i}.yaml"
        (tmp_path / "new" / name).write_text(text, encoding="utf-8")
    old, new, _ = path_sources(tmp_path / "old", tmp_path / "new")
    parallel = diff_sources(old, new, today=TODAY, jobs=2)
    assert parallel == diff_sources(old, new, today=TODAY, jobs=1)
    assert parallel.counts() == {"added": 0, "removed": 0, "changed": 6, "unchanged": 54}

"""``procflow review --tickets``: procedures whose SLAs missed their target in the export's
last month are listed as REVIEW NOW next to the overdue reviews."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_report_cli import project  # noqa: F401  (the fixture)


def test_missed_sla_in_the_last_month_means_review_now(cli, project: Path) -> None:  # noqa: F811
    args = ["review", project / "procedures", "--today", "2026-12-01", "--tickets",
            project / "tickets.csv"]
    text = cli(*args, expect=0).stdout
    assert "REVIEW NOW complaints" in text
    assert "SLA first-response-p1 in 2026-11: 40.0% misses 95%" in text
    assert "1 to review now (SLA targets missed)" in text
    data = json.loads(cli(*args, "--format", "json", expect=0).stdout)
    item = data["procedures"][0]
    assert item["state"] == "review-now" and item["missed_targets"][0].startswith(
        "SLA first-response-p1 in 2026-11")
    assert data["summary"]["review_now"] == 1
    md = cli(*args, "--format", "md", expect=0).stdout
    assert "| REVIEW NOW |" in md and "<br>SLA first-response-p1 in 2026-11" in md
    cli(*args, "--fail-overdue", expect=1)


def test_without_tickets_nothing_changes(cli, project: Path) -> None:  # noqa: F811
    data = json.loads(cli("review", project / "procedures", "--today", "2026-12-01",
                          "--format", "json", expect=0).stdout)
    assert data["procedures"][0]["state"] == "unscheduled"
    assert "review_now" not in data["summary"]
    cli("review", project / "procedures", "--today", "2026-12-01", "--fail-overdue", expect=0)


def test_a_bad_tickets_file_is_a_usage_error(cli, project: Path) -> None:  # noqa: F811
    result = cli("review", project / "procedures", "--tickets", project / "nope.csv", expect=2)
    assert "no such file" in result.stderr

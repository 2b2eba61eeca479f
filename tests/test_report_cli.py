"""``procflow report``: reading exports (CSV, JSON Lines, Parquet, helpdesk presets), bad rows
by row number, SLA verdicts on a business calendar with holidays and pauses, KPIs against
their targets, periods, outputs and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

PROJECT = """\
procflow: 1
calendars:
  - id: office
    timezone: Europe/Warsaw
    hours: "08:00-16:00"
    holidays: [2026-11-11]
default_calendar: office
report:
  pause_statuses: ["Waiting for customer"]
  priorities: {Urgent: p1, Normal: p2}
  kpis: {satisfaction-average: csat}
"""
PROCEDURE = """\
procflow: 1
id: complaints
title: "Complaints <b>&amp; | claims"
version: "1.0.0"
status: active
owner: {name: Anna Nowak}
priorities:
  - {id: p1, name: Urgent}
  - {id: p2, name: Normal}
steps:
  - {id: register, title: Register, role: agent}
  - {id: answer, title: Answer, role: agent, end: true}
roles:
  - {id: agent, name: Agent}
slas:
  - {id: first-response-p1, target: 2h, priority: p1, clock: business, warn_before: 1h}
  - {id: first-response-p2, target: 1d, priority: p2, clock: business}
  - {id: resolution, target: 14d}
escalations:
  - {id: late, when: Late, sla: resolution, to: agent}
  - {id: late-p1, when: Late, sla: first-response-p1, to: agent}
  - {id: late-p2, when: Late, sla: first-response-p2, to: agent}
kpis:
  - {id: fcr, name: First contact resolution, target: ">= 50%"}
  - {id: csat, name: Satisfied customers, target: ">= 80%"}
  - {id: nps, name: Net promoter score, target: ">= 20"}
  - {id: first-response-median, name: Median first response, target: "<= 2h"}
  - {id: satisfaction-average, name: Average rating, target: ">= 4 of 5"}
"""
HEADER = "id,procedure,priority,created,first_response,resolved,contacts,csat,nps"
TICKETS = [
    # Friday 15:30 + 30 min, Monday 08:00 + 89 min: 119 working minutes, met
    "A1,complaints,p1,2026-11-06 15:30,2026-11-09 09:29,2026-11-10 10:00,1,5,10",
    # 121 working minutes: breached; resolved after 24 days: breached
    "A2,complaints,p1,2026-11-06 15:30,2026-11-09 09:31,2026-11-30 10:00,3,2,3",
    # Tuesday 15:00 + 1 h, Wednesday is a holiday, Thursday 08:00 + 1 h: due at 09:00, met
    "A3,complaints,p1,2026-11-10 15:00,2026-11-12 09:00,,,,8",
    # one working day from Tuesday 09:00 skips the holiday: due Thursday 09:00, met
    "A4,complaints,Normal,2026-11-10 09:00,2026-11-12 08:30,2026-11-12 12:00,1,4,",
    "A5,complaints,p1,2026-10-30 10:00,2026-10-30 11:00,2026-11-02 10:00,2,,",
    # three hours, one of them waiting for the customer (status file): met
    "A6,complaints,p1,2026-11-16 09:00,2026-11-16 12:00,2026-11-17 10:00,2,,",
    # open, due Friday 11:00: already breached at --today
    "A7,complaints,p1,2026-11-27 09:00,,,,,",
    # open, due Tuesday 08:30, warning at Monday 15:30: due soon at --today 15:45
    "A8,complaints,URGENT,2026-11-30 14:30,,,,,",
    "B1,complaints,p1,yesterday,,,,,",
    "B2,complaints,p2,2026-11-20 10:00,2026-11-20 11:00,2026-11-19 10:00,,,",
    "B3,complaints,urgent!,2026-11-20 10:00,,,,,",
]
STATUSES = "id,status,at\nA6,Waiting for customer,2026-11-16 09:30\nA6,Open,2026-11-16 10:30\n"
TODAY = "2026-11-30T15:45"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "procflow.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / "complaints.yaml").write_text(PROCEDURE, encoding="utf-8")
    (tmp_path / "tickets.csv").write_text("\n".join([HEADER, *TICKETS]) + "\n",
                                          encoding="utf-8")
    (tmp_path / "statuses.csv").write_text(STATUSES, encoding="utf-8")
    return tmp_path


def _json(cli: Any, project: Path, *args: str, expect: int = 0) -> dict[str, Any]:
    result = cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
                 "--format", "json", *args, expect=expect)
    return json.loads(result.stdout)


def _sla(data: dict[str, Any], sla: str) -> dict[str, Any]:
    return next(s for s in data["procedures"][0]["slas"] if s["id"] == sla)


def _kpi(data: dict[str, Any], kpi: str) -> dict[str, Any]:
    return next(k for k in data["procedures"][0]["kpis"] if k["id"] == kpi)


def test_first_response_verdicts_on_the_business_calendar_with_pauses(cli, project) -> None:
    data = _json(cli, project, "--period", "2026-11", "--statuses", project / "statuses.csv")
    total = _sla(data, "first-response-p1")["total"]
    assert total == {"in_scope": 6, "met": 3, "breached": 1, "open": 2, "open_breached": 1,
                     "open_due_soon": 1, "compliance": 60.0}
    assert _sla(data, "first-response-p2")["total"]["met"] == 1


def test_without_the_status_file_the_paused_ticket_is_breached(cli, project) -> None:
    total = _sla(_json(cli, project, "--period", "2026-11"), "first-response-p1")["total"]
    assert (total["met"], total["breached"]) == (2, 2)


def test_kpis_against_their_targets(cli, project) -> None:
    data = _json(cli, project, "--period", "2026-11", "--statuses", project / "statuses.csv")
    assert (_kpi(data, "fcr")["value"], _kpi(data, "fcr")["met"]) == (50.0, True)
    assert (_kpi(data, "csat")["value"], _kpi(data, "csat")["met"]) == (66.67, False)
    assert (_kpi(data, "nps")["value"], _kpi(data, "nps")["met"]) == (0.0, False)
    median = _kpi(data, "first-response-median")
    assert median["unit"] == "seconds" and median["met"] is True
    average = _kpi(data, "satisfaction-average")
    assert average["met"] is None and "'>= 4 of 5' is not a form" in average["problem"]
    assert any("'>= 4 of 5'" in warning for warning in data["warnings"])


def test_every_bad_row_is_listed_with_its_row_number(cli, project) -> None:
    data = _json(cli, project)
    bad = {row["row"]: row["problems"] for row in data["bad_rows"]}
    assert sorted(bad) == [9, 10, 11]
    assert "created: 'yesterday' is not a time" in bad[9][0]
    assert bad[10] == ["resolved before created"]
    assert bad[11] == ["priority: 'urgent!' is not a priority of complaints"]
    assert data["tickets"] == {"rows": 11, "used": 8, "bad": 3}


def test_strict_fails_on_bad_rows_and_text_names_them(cli, project) -> None:
    result = cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
                 "--strict", expect=1)
    assert "3 bad rows in the ticket export" in result.stdout
    assert "resolved before created: 1 (rows 10)" in result.stdout
    assert "3 bad rows left out" in result.stderr


def test_fail_under_exits_1_when_a_target_is_missed(cli, project) -> None:
    result = cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
                 "--period", "2026-11", "--statuses", project / "statuses.csv",
                 "--fail-under", "50", expect=1)
    assert "SLA first-response-p1" not in result.stdout.split("targets missed")[-1]
    assert "KPI csat" in result.stdout.split("targets missed")[-1]


def test_fail_under_exits_0_when_everything_is_met(cli, project) -> None:
    (project / "tickets.csv").write_text("\n".join([HEADER, TICKETS[0], TICKETS[4]]) + "\n")
    procedure = project / "procedures" / "complaints.yaml"
    text = procedure.read_text().split("kpis:")[0]
    procedure.write_text(text)
    cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
        "--fail-under", "90", expect=0)


def test_period_and_from_to_choose_the_tickets(cli, project) -> None:
    october = _json(cli, project, "--period", "2026-10")
    assert _sla(october, "first-response-p1")["total"]["in_scope"] == 1
    assert october["period"] == {"from": "2026-10-01", "to": "2026-10-31",
                                 "months": ["2026-10"]}
    span = _json(cli, project, "--from", "2026-11-10", "--to", "2026-11-16")
    assert _sla(span, "first-response-p1")["total"]["in_scope"] == 2


@pytest.mark.parametrize("args, message", [
    (["--period", "2026-13"], "--period '2026-13' is not a month"),
    (["--period", "2026-11", "--from", "2026-11-01"], "exclude each other"),
    (["--from", "2026-11-30", "--to", "2026-11-01"], "comes before"),
    (["--column", "created"], "write FIELD=COLUMN"),
    (["--column", "craeted=x"], "unknown field 'craeted' (did you mean 'created'?)"),
    (["--column", "created=Opened"], "no column for created ('Opened')"),
    (["--preset", "helpscout"], "unknown preset 'helpscout'"),
    (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--procedure", "complaint"], "(did you mean 'complaints'?)"),
])
def test_bad_options_are_one_line_usage_errors(cli, project, args, message) -> None:
    result = cli("report", project / "tickets.csv", project / "procedures", *args, expect=2)
    assert message in result.stderr and "Traceback" not in result.stderr


def test_unreadable_or_unknown_files_are_usage_errors(cli, project) -> None:
    (project / "tickets.xlsx").write_bytes(b"PK\x03\x04")
    result = cli("report", project / "tickets.xlsx", project / "procedures", expect=2)
    assert "use a .csv" in result.stderr
    (project / "broken.parquet").write_bytes(b"not parquet")
    result = cli("report", project / "broken.parquet", project / "procedures", expect=2)
    assert "cannot read it as parquet" in result.stderr
    result = cli("report", project / "missing.csv", project / "procedures", expect=2)
    assert "no such file" in result.stderr


def test_json_lines_and_parquet_give_the_same_report_as_csv(cli, project) -> None:
    frame = pl.read_csv(project / "tickets.csv", infer_schema=False)
    frame.write_ndjson(project / "tickets.jsonl")
    frame.write_parquet(project / "tickets.parquet")
    expected = _json(cli, project)
    for name in ("tickets.jsonl", "tickets.parquet"):
        result = cli("report", project / name, project / "procedures", "--today", TODAY,
                     "--format", "json", expect=0)
        data = json.loads(result.stdout)
        assert data["procedures"] == expected["procedures"]
        assert data["bad_rows"] == expected["bad_rows"]


def test_naive_times_are_read_in_the_given_zone(cli, project) -> None:
    (project / "tickets.csv").write_text(
        HEADER + "\nZ1,complaints,p1,2026-11-06 08:00,2026-11-06 10:00,,,,\n"
        "Z2,complaints,p1,2026-11-06T07:00:00Z,2026-11-06T09:00:00Z,,,,\n")
    warsaw = _sla(_json(cli, project), "first-response-p1")["total"]
    assert warsaw["met"] == 2  # 08:00 Warsaw is 07:00Z: the same two hours
    utc = _sla(_json(cli, project, "--timezone", "UTC"), "first-response-p1")["total"]
    # read in UTC, Z1 starts at 09:00 Warsaw: still two working hours
    assert utc["met"] == 2
    (project / "tickets.csv").write_text(
        HEADER + "\nG1,complaints,p1,2026-03-29 02:30,,,,,\n")
    bad = _json(cli, project)["bad_rows"]
    assert bad == [{"row": 1, "problems": [
        "created: '2026-03-29 02:30' does not exist in Europe/Warsaw (the clocks jump forward)"]}]


def test_zendesk_export_with_reply_minutes_and_priority_names(cli, project) -> None:
    (project / "zendesk.csv").write_text(
        "Id,Priority,Created at,First reply time in minutes,Solved at,Reopens,"
        "Satisfaction Score\n"
        "101,Urgent,2026-11-06 15:30:00,3959,2026-11-10 10:00:00,0,Good\n"
        "102,Urgent,2026-11-06 15:30:00,3961,,1,Bad\n"
        "103,Normal,2026-11-09 09:00:00,30,2026-11-09 12:00:00,0,Offered\n")
    result = cli("report", project / "zendesk.csv", project / "procedures", "--preset",
                 "zendesk", "--procedure", "complaints", "--today", TODAY, "-f", "json",
                 expect=0)
    data = json.loads(result.stdout)
    assert _sla(data, "first-response-p1")["total"]["met"] == 1  # 3959 min = Mon 09:29
    assert _sla(data, "first-response-p1")["total"]["breached"] == 1
    assert _kpi(data, "csat")["value"] == 50.0  # Good and Bad; "Offered" is no answer
    assert data["bad_rows"] == []


def test_jira_export_with_its_date_format(cli, project) -> None:
    (project / "jira.csv").write_text(
        "Issue key,Priority,Created,Custom field ([CHART] Date of First Response),Resolved\n"
        "CS-1,Urgent,06/Nov/26 3:30 PM,09/Nov/26 9:29 AM,10/Nov/26 10:00 AM\n"
        "CS-2,Urgent,06/Nov/26 3:30 PM,09/Nov/26 9:31 AM,\n")
    result = cli("report", project / "jira.csv", project / "procedures", "--preset", "jira",
                 "--procedure", "complaints", "--today", TODAY, "-f", "json", expect=0)
    total = _sla(json.loads(result.stdout), "first-response-p1")["total"]
    assert (total["met"], total["breached"]) == (1, 1)


def test_freshdesk_preset_and_column_option(cli, project) -> None:
    (project / "freshdesk.csv").write_text(
        "Ticket ID,Priority,Created time,Initial response time,Resolved time,"
        "Customer interactions,Desk\n"
        "7,Urgent,2026-11-06 15:30:00,2026-11-09 09:29:00,2026-11-10 10:00:00,1,complaints\n")
    result = cli("report", project / "freshdesk.csv", project / "procedures", "--preset",
                 "freshdesk", "--column", "procedure=Desk", "--today", TODAY, "-f", "json",
                 expect=0)
    data = json.loads(result.stdout)
    assert _sla(data, "first-response-p1")["total"]["met"] == 1
    assert _kpi(data, "fcr")["value"] == 100.0


def test_markdown_and_html_escape_what_the_export_and_procedure_say(cli, project) -> None:
    (project / "tickets.csv").write_text(
        HEADER + "\nX1,complaints,<script>alert(1)</script>,2026-11-06 08:00,,,,,\n"
        "X2,complaints,p1,2026-11-06 08:00,2026-11-06 09:00,,,,\n")
    md = cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
             "-f", "md", expect=0).stdout
    assert "Complaints \\<b\\>&amp; \\| claims" in md or "Complaints &lt;b&gt;" in md
    assert "<script>" not in md
    out = project / "report.html"
    cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
        "-f", "html", "-o", out, expect=0)
    html = out.read_text()
    assert "<script>" not in html and "<b>" not in html
    assert "Complaints &lt;b&gt;&amp;amp; | claims" in html


def test_html_is_self_contained_with_named_charts(cli, project) -> None:
    out = project / "report.html"
    cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
        "--statuses", project / "statuses.csv", "-f", "html", "-o", out, expect=0)
    html = out.read_text()
    assert html.count('<svg role="img" aria-labelledby=') == 3
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    assert "https://" not in html and "<link" not in html and "<script" not in html
    again = project / "again.html"
    cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
        "--statuses", project / "statuses.csv", "-f", "html", "-o", again, expect=0)
    assert again.read_bytes() == out.read_bytes()  # stable output, no dates or random ids
    assert "<!--" not in html and "<desc" not in html  # no comment (a date) or tooltip data


def test_html_charts_share_the_page_safely(cli, project) -> None:
    """Three charts on one page: every id once, every reference to an id (a hatch, a
    title) finds it, and the compliance lines differ by marker, not by colour alone."""
    import re

    out = project / "report.html"
    cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
        "--statuses", project / "statuses.csv", "-f", "html", "-o", out, expect=0)
    html = out.read_text()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    references = set(re.findall(r'url\(#([^)]+)\)|aria-labelledby="([^"]+)"', html))
    assert {name for pair in references for name in pair if name} <= set(ids)
    assert 'fill="url(#c0c-hatch)"' in html  # the open-and-late bars are hatched
    compliance = html[html.index('id="chart-c0a"'):html.index("</svg>")]
    def shape(dots: str) -> str:  # "circle", or a path's commands: "Mhvhz" is a square
        first = re.search(r'<(circle|path) [^>]*class="dot[^>]*>', dots)
        assert first is not None
        outline = re.search(r' d="([^"]+)"', first[0])
        return first[1] if outline is None else re.sub(r"[-\d. ]", "", outline[1])

    markers = {series: shape(dots) for series, dots in re.findall(
        r'class="series serie-(\d+)[^"]*"><g class="dots">(.*?)</g></g>', compliance)}
    assert len(markers) >= 2 and len(set(markers.values())) == len(markers), markers


def test_missing_extra_is_a_one_line_instruction(cli, project, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "polars" else real(name, *a))
    result = cli("report", project / "tickets.csv", project / "procedures", expect=2)
    assert result.stderr.strip().splitlines() == [
        "procflow: procflow report needs polars: install the report extra with "
        "pip install 'procflow[report]'"]


def test_a_status_mapped_to_a_pause_step_stops_only_that_slas_clock(cli, project) -> None:
    config = project / "procflow.yaml"
    config.write_text(config.read_text().replace(
        'pause_statuses: ["Waiting for customer"]', 'statuses: {"Waiting for customer": answer}'))
    procedure = project / "procedures" / "complaints.yaml"
    procedure.write_text(procedure.read_text().replace(
        "clock: business, warn_before: 1h}", "clock: business, warn_before: 1h, pause: [answer]}"))
    data = _json(cli, project, "--period", "2026-11", "--statuses", project / "statuses.csv")
    assert _sla(data, "first-response-p1")["total"]["met"] == 3  # A6 paused for an hour
    procedure.write_text(procedure.read_text().replace(", pause: [answer]}", "}"))
    data = _json(cli, project, "--period", "2026-11", "--statuses", project / "statuses.csv")
    assert _sla(data, "first-response-p1")["total"]["met"] == 2


def test_an_sla_without_a_calendar_is_a_one_line_error(cli, project) -> None:
    """A problem found while an SLA is measured reaches the user as a one-line diagnostic
    with exit 2, not a traceback."""
    (project / "procflow.yaml").write_text(PROJECT.replace("default_calendar: office\n", ""),
                                           encoding="utf-8")
    result = cli("report", project / "tickets.csv", project / "procedures", "--today", TODAY,
                 expect=2)
    assert "SLA 'first-response-p1' runs on business hours but names no calendar" in \
        result.stderr
    assert "Traceback" not in result.stderr


def test_text_report_follows_the_colour_rules_of_every_report(cli, project) -> None:
    args = ("report", project / "tickets.csv", project / "procedures", "--today", TODAY)
    coloured = cli(*args, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in coloured.stdout
    plain = cli(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
    assert "complaints" in plain.stdout

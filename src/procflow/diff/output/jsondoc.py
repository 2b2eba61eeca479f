"""The JSON report, the spec's shape: ``{"procedures": [...]}`` plus a ``summary``."""

from __future__ import annotations

import json

from procflow.diff.changes import DiffReport


def json_report(report: DiffReport) -> str:
    document = {"procedures": [diff.to_json() for diff in report.procedures],
                "summary": report.counts()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

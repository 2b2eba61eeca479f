"""``--format json``: exactly the spec's shape, one JSON object."""

from __future__ import annotations

import json
from typing import TextIO

from procflow.lint import ValidationResult


def report(result: ValidationResult, stream: TextIO) -> None:
    payload = {
        "diagnostics": [finding.to_json() for finding in result.findings],
        "summary": {"files": result.files, "errors": result.errors, "warnings": result.warnings},
    }
    json.dump(payload, stream, ensure_ascii=False, indent=2)
    stream.write("\n")

"""``--format sarif``: SARIF 2.1.0 for code-scanning tools, with rule metadata and regions."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from procflow import __version__
from procflow.edits import Fix
from procflow.lint import ValidationResult
from procflow.rules import Rule, all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def report(result: ValidationResult, stream: TextIO) -> None:
    rules = all_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    driver = {
        "name": "procflow",
        "version": __version__,
        "informationUri": "https://github.com/procflow/procflow",
        "rules": [_rule(rule) for rule in rules],
    }
    results = []
    for finding in result.findings:
        entry: dict[str, object] = {
            "ruleId": finding.code,
            "ruleIndex": index.get(finding.code, 0),
            "level": finding.severity.value,  # SARIF's levels include error and warning
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(finding.file)},
                "region": {"startLine": finding.line, "startColumn": finding.column},
            }}],
        }
        if finding.fix is not None:
            entry["fixes"] = [_fix(finding.fix, finding.file)]
        results.append(entry)
    # columns count characters (code points), as procflow's findings and fixes do
    sarif = {"$schema": SCHEMA, "version": "2.1.0",
             "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints",
                       "results": results}]}
    json.dump(sarif, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _fix(fix: Fix, file: str) -> dict[str, object]:
    """A SARIF ``fix``: the edits of ``procflow fix`` as replacements (end column exclusive,
    as in SARIF)."""
    return {"description": {"text": fix.description},
            "artifactChanges": [{
                "artifactLocation": {"uri": _uri(file)},
                "replacements": [{
                    "deletedRegion": {"startLine": edit.line, "startColumn": edit.column,
                                      "endLine": edit.end_line, "endColumn": edit.end_column},
                    "insertedContent": {"text": edit.text},
                } for edit in fix.edits]}]}


def _rule(rule: Rule) -> dict[str, object]:
    """A rule's metadata; its documentation (the docstring) is the help."""
    help_text = inspect.cleandoc(rule.__doc__ or rule.summary)
    return {
        "id": rule.code,
        "name": type(rule).__name__,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": rule.severity.value},
    }


def _uri(file: str) -> str:
    """A URI reference for a shown path: relative stays relative, percent-encoded."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())

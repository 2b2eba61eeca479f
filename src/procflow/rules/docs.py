"""Rule documentation read from each rule's docstring: its parts and examples, and the page
`procflow rules CODE` prints. (The generated `docs/rules/` pages, which run the examples
through the engine, are made above the engine, by `procflow.rule_pages`.)

A docstring is Markdown: what the rule finds, `**Why it matters:**`, then `**Fails...**` and
`**Passes...**` each followed by one or more fenced `yaml` blocks, whole files that
`tests/test_rule_docs.py` runs through the engine. A block may start with
`# file: <path>` (relative to the project root; `procflow.yaml` is the project file);
without it the file is `procedures/<id>.yaml`.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from procflow.rules.base import LoadRule, Rule

_FILE_LINE = re.compile(r"^# file: (\S+)\s*$")
_ID_LINE = re.compile(r"^id: ([a-z0-9-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """One file of an example: where it goes (relative to the project root) and its text."""

    file: str
    text: str


@dataclass(frozen=True)
class RuleDoc:
    rule: Rule
    text: str
    fails: tuple[Example, ...]
    passes: tuple[Example, ...]


def rule_doc(rule: Rule) -> RuleDoc:
    """The rule's documentation and its examples, read from its docstring."""
    text = inspect.cleandoc(type(rule).__doc__ or "")
    examples: dict[str, list[Example]] = {"fails": [], "passes": []}
    section: str | None = None
    block: list[str] | None = None
    for line in text.splitlines():
        if block is not None:
            if line.strip() == "```":
                if section is not None:
                    examples[section].append(_example("\n".join(block) + "\n"))
                block = None
            else:
                block.append(line)
        elif line.startswith("```yaml"):
            block = []
        elif line.startswith("**"):
            heading = line[2:].lower()
            section = next((name for name in examples if heading.startswith(name)), None)
    return RuleDoc(rule, text, tuple(examples["fails"]), tuple(examples["passes"]))


def _example(text: str) -> Example:
    first = _FILE_LINE.match(text.splitlines()[0]) if text.strip() else None
    if first:
        return Example(first.group(1), text)
    found = _ID_LINE.search(text)
    return Example(f"procedures/{found.group(1) if found else 'example'}.yaml", text)


def terminal_page(rule: Rule) -> str:
    """One rule's documentation as `procflow rules CODE` prints it (Markdown source)."""
    return "\n".join([f"{rule.code}: {rule.summary}", "",
                      f"Default severity: {rule.severity.value}.", "", rule_body(rule)])


def rule_body(rule: Rule) -> str:
    """The documentation of the rule and, unless it is always on, how to configure it."""
    parts = [rule_doc(rule).text, ""]
    if not isinstance(rule, LoadRule):
        parts += ["**Configure** in `procflow.yaml`:", "", "```yaml", "rules:",
                  f"  disable: [{rule.code}]          # do not check it at all",
                  f"  severity: {{{rule.code}: {_other(rule)}}}   # or report it as {_other(rule)}",
                  "```", ""]
    return "\n".join(parts)


def _other(rule: Rule) -> str:
    return "warning" if rule.severity.value == "error" else "error"



"""The Markdown pages of `docs/rules/` (one per rule and an index), generated from the rules'
docstrings (`procflow.rules.docs`). Each page shows what `procflow validate` prints for the
rule's failing example, run through the real engine, so this module sits above `lint`.

Regenerate the pages with `python -m procflow.rule_pages docs/rules`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
from pathlib import Path

from procflow.findings import Finding
from procflow.lint import validate
from procflow.markup.markdown import escape
from procflow.rules import Rule, all_rules
from procflow.rules.docs import rule_body, rule_doc

REGENERATE = "python -m procflow.rule_pages docs/rules"
#: the day the examples are written for (PF104's example is overdue on it)
EXAMPLE_DAY = dt.date(2026, 11, 25)


def page(rule: Rule) -> str:
    """The Markdown page of one rule, for `docs/rules/`."""
    return "\n".join([f"<!-- generated from procflow's source by `{REGENERATE}`: do not edit -->",
                      f"# {rule.code}: {escape(rule.summary)}", "",
                      f"Default severity: **{rule.severity.value}**. [All rules](index.md)", "",
                      rule_body(rule), _says(rule)])


def example_findings(rule: Rule) -> list[tuple[str, Finding]]:
    """What ``procflow validate`` reports for the rule's failing example (its findings of
    this rule, each with the example file it is in), run through the real engine."""
    examples = rule_doc(rule).fails
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch).resolve()
        (root / ".git").mkdir()  # no procflow.yaml from outside
        files = {}
        for example in examples:
            path = root / example.file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(example.text, encoding="utf-8")
            if path.name != "procflow.yaml":
                files[str(path)] = example.file
        findings = validate([Path(name) for name in files], today=EXAMPLE_DAY, jobs=1).findings
        return [(next((shown for name, shown in files.items()
                       if Path(name).samefile(f.file)), _inside(f.file, root)),
                 dataclasses.replace(f, message=f.message.replace(f"{root}/", "")))
                for f in findings if f.code == rule.code]


def _inside(file: str, root: Path) -> str:
    """A file of the example (such as its procflow.yaml) named from the example's folder, so
    the page does not depend on where the temporary folder was."""
    path = Path(file).resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else file


def _says(rule: Rule) -> str:
    """The page's section on the message and the fix, from the failing example's findings."""
    found = example_findings(rule)
    lines = [f"{shown}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message}"
             for shown, f in found]
    fixes = [f.fix.description for _, f in found if f.fix is not None]
    fix = (f"`procflow fix` repairs it in place ({escape(fixes[0])}); `procflow fix --diff` "
           "shows the change first." if fixes else
           "by hand, as the message says: the passing example above shows the result.")
    return "\n".join(["## Message and fix", "",
                      "What `procflow validate` prints for the failing example above:", "",
                      "```text", *lines, "```", "", f"**Fix:** {fix}", ""])


def index_page(rules: list[Rule]) -> str:
    """The rules index: every rule with its default severity, and how to configure them."""
    rows = [f"| [{rule.code}]({rule.code}.md) | {rule.severity.value} | "
            f"{escape(rule.summary)} |" for rule in rules]
    return "\n".join([
        f"<!-- generated from procflow's source by `{REGENERATE}`: do not edit -->",
        "# procflow rules", "",
        "`procflow validate` checks every procedure against these rules. Errors make it exit "
        "with 1; warnings do too with `--strict`. `procflow rules CODE` prints a rule's page "
        "in the terminal.", "",
        "| code | default | what it finds |", "| --- | --- | --- |", *rows, "",
        "## Configuring rules", "",
        "Under `rules:` in `procflow.yaml` (the project file at the root of the procedures "
        "tree), turn rules off or change their severity:", "",
        "```yaml", "rules:", "  disable: [PF105, PF106]", "  severity: {PF104: error, PF005: "
        "warning}", "```", "",
        "PF001, PF002 and PF003 are always on and always errors: a file that does not load "
        "cannot be checked at all.", ""])


def pages() -> dict[str, str]:
    """Every page of `docs/rules/` by file name."""
    rules = all_rules()
    return {"index.md": index_page(rules), **{f"{rule.code}.md": page(rule) for rule in rules}}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: {REGENERATE}", file=sys.stderr)
        return 2
    for path in write(Path(args[0])):
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""procflow rules: list the rules as the project configures them, or print one rule's page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from procflow.cli.app import command
from procflow.cli.completion import rule_codes

if TYPE_CHECKING:
    from procflow.rules import Rule


@command("rules")
def rules(
    code: str | None = typer.Argument(
        None, metavar="CODE", autocompletion=rule_codes,
        help="A rule code such as PF005: print that rule's documentation."),
) -> None:
    """List every rule (code, severity in this project, what it finds), or print one rule's
    page. The severity is the one procflow.yaml sets under rules:, 'off' for a disabled rule.

    Example: procflow rules PF102
    """
    from procflow.errors import UsageError
    from procflow.findings import did_you_mean
    from procflow.rules import all_rules, rules_by_code
    from procflow.rules.docs import terminal_page

    if code is None:
        _list(all_rules())
        return
    known = rules_by_code()
    wanted = code.strip().upper()
    chosen = known.get(wanted)
    if chosen is None:
        raise UsageError(f"no rule '{code}'{did_you_mean(wanted, known)}; "
                         "procflow rules lists them all")
    typer.echo(terminal_page(chosen), nl=False)


def _list(rules: list[Rule]) -> None:
    """One line a rule, with the severity of the project around the working folder."""
    from pathlib import Path

    from procflow.findings import display_path, printable
    from procflow.project import project_for
    from procflow.rules import configured_severity

    project = project_for(Path.cwd())
    for finding in project.findings:
        typer.echo(str(finding), err=True)
    if project.path is not None:
        typer.echo(printable(f"severities as set in {display_path(project.path)}"), err=True)
    for rule in rules:
        severity = configured_severity(rule, project.config.rules)
        shown = severity.value if severity else "off"
        typer.echo(f"{rule.code}  {shown:<7}  {rule.summary}")

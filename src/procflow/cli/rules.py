"""procflow rules: list the rules, or print one rule's documentation."""

from __future__ import annotations

from typing import Optional

import typer

from procflow.cli.app import command


@command("rules")
def rules(
    code: Optional[str] = typer.Argument(
        None, metavar="CODE", help="A rule code such as PF005: print that rule's documentation."),
) -> None:
    """List every rule (code, default severity, what it finds), or print one rule's page.

    Example: procflow rules PF102
    """
    from procflow.errors import UsageError
    from procflow.loader import did_you_mean
    from procflow.rules import all_rules, rules_by_code
    from procflow.rules.docs import terminal_page

    if code is None:
        for rule in all_rules():
            typer.echo(f"{rule.code}  {rule.severity.value:<7}  {rule.summary}")
        return
    known = rules_by_code()
    chosen = known.get(code.strip().upper())
    if chosen is None:
        raise UsageError(f"no rule '{code}'{did_you_mean(code.strip().upper(), known)}; "
                         "procflow rules lists them all")
    typer.echo(terminal_page(chosen), nl=False)

"""``procflow fix``: apply the mechanical fixes in place; exit 1 when errors remain."""

from __future__ import annotations

import typer

from procflow.cli.app import command
from procflow.cli.options import Paths, Today


@command()
def fix(
    today: Today,
    paths: Paths = None,
    diff: bool = typer.Option(
        False, "--diff", help="Show what would change, as a unified diff, without writing. "
        "Example: --diff"),
) -> None:
    """Fix what can be fixed mechanically, in place, keeping comments and formatting.

    Quotes a value YAML would read as a boolean, number or date where text is meant;
    writes durations such as 1.5h as 1h30m, version: 1.0 as "1.0.0", a date written the
    one way it can be read as YYYY-MM-DD, the one field or step name a typo was close to,
    and a few syntax slips (a missing space after - or :, a ': ' in a plain value). Then
    prints what is left to fix by hand (exit 1 when errors remain).

    Example: procflow fix procedures/ --diff
    """
    import sys

    from procflow.findings import Severity, count_noun, display_path, printable
    from procflow.fix import fix_files, unified_diff

    results = fix_files(paths or [], today=today, write=not diff)
    out = sys.stdout
    fixed = errors = 0
    for result in results:
        shown = display_path(result.path)
        if result.skipped is not None:
            out.write(f"{printable(shown)}: not fixed, {result.skipped}\n")
        elif result.changed:
            fixed += len(result.fixed)
            if diff:
                out.write(unified_diff(result, printable(shown)))
            else:
                for finding in result.fixed:
                    out.write(f"fixed {printable(shown)}:{finding.line}:{finding.column}: "
                              f"{finding.code} {printable(finding.message)}\n")
        for finding in result.remaining:
            errors += finding.severity is Severity.ERROR
            out.write(f"{finding}\n")
    verb = "would fix" if diff else "fixed"
    out.write(f"{verb} {count_noun(fixed, 'finding')} in {count_noun(len(results), 'file')}; "
              f"{count_noun(errors, 'error')} left to fix by hand.\n")
    raise typer.Exit(1 if errors else 0)

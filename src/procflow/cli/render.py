"""``procflow render``: procedures -> Markdown, HTML and diagram files in one folder.

Parses options, finds the procedure files, calls ``procflow.render.render_site`` (which loads
them, and runs the rules on each in the same pass: ``_judge`` decides on what they found
before anything is written) and shows a progress bar on stderr when it is a terminal and
there are many procedures.
Only typer is imported at the top (start-up time of ``procflow --help``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from procflow.cli.app import command
from procflow.cli.options import FormatList, Jobs, Paths, Today, format_option, output_option

if TYPE_CHECKING:
    from procflow.findings import Finding
    from procflow.lint import ValidationResult

PROGRESS_FROM = 20  # procedures
SHOWN_REMOVED = 10  # file names listed in the summary


def _formats() -> tuple[str, ...]:
    """The formats render writes, asked of the library only when --format is read."""
    from procflow.render import FORMATS

    return FORMATS


@command()
def render(
    today: Today,
    paths: Paths = None,
    output: Path = output_option(
        "The folder to write into, created if missing; files procflow does not write are left "
        "alone (but see --prune). Example: --output site", folder=True, required=True),
    formats: FormatList = format_option(
        _formats, "md,html,svg", many=True, metavar="LIST",
        help="Comma-separated, from md, html, svg, png, dot. Example: --format md,html,png"),
    templates: Path | None = typer.Option(
        None, "--templates", help="Folder of template and label overrides for every procedure "
        "(default: templates: in each procedure's own procflow.yaml); what it lacks comes from "
        "the built-in templates. Example: --templates templates/"),
    by_role: bool = typer.Option(
        False, "--by-role", help="Also write a one-page checklist per role, <id>--<role>.md and "
        ".html. Example: --by-role"),
    jobs: Jobs = None,
    prune: bool = typer.Option(
        False, "--prune", help="Keep OUTPUT in step with the procedures: remove the files an "
        "earlier run wrote that this run does not (a deleted procedure's pages, a removed "
        "role's card), if unchanged since; every run lists what it wrote, with content "
        "hashes, in OUTPUT/.procflow-files, and other files are never touched. "
        "Example: --prune"),
    force: bool = typer.Option(
        False, "--force", help="Render everything again, even procedures whose inputs (file, "
        "project file, templates, options, procflow version) and pages are unchanged since "
        "the last run into OUTPUT. Example: --force"),
    allow_errors: bool = typer.Option(
        False, "--allow-errors", help="Publish procedures that break rules anyway, each "
        "affected page with a banner that lists its errors (files that do not load are left "
        "out); without it, any rule error stops the run (exit 1) and nothing is written. "
        "Example: --allow-errors"),
) -> None:
    """Render procedures to Markdown (for wikis), HTML checklists and swimlane diagrams.

    Writes OUTPUT/<id>.md, <id>.html, <id>.svg (and .png, .dot when asked) plus index.md and
    index.html, a catalog. The rules run first, as in validate: an error stops the run
    (exit 1, nothing written) unless --allow-errors; warnings are printed and do not fail.

    Example: procflow render procedures/ --output site/ --by-role
    """
    import sys

    from procflow.findings import count_noun, printable
    from procflow.procedures import discover
    from procflow.render import Rules, render_site

    files = discover(paths or [])
    with _progress(len(files), sys.stderr.isatty()) as advance:
        site = render_site(files, output, formats, templates_dir=templates, by_role=by_role,
                           today=today, progress=advance, jobs=jobs, prune=prune, force=force,
                           rules=Rules(_judge(files, allow_errors)))
    warnings = list(site.warnings)
    if not files:
        where = ", ".join(map(str, paths)) if paths else "procedures/"
        warnings.append(f"no procedure files (*.yaml, *.yml) in {where}; only an empty "
                        "catalog was written")
    for text in warnings:
        typer.echo(f"procflow: warning: {printable(text)}", err=True)
    summary = (f"wrote {count_noun(len(site.written), 'file')} for "
               f"{count_noun(len(files), 'procedure')} into {output}")
    if site.unchanged:
        summary += f" ({site.unchanged} unchanged since the last run: left as they were)"
    elif force and files and not site.written:
        summary += " (--force made every file again: each came out as it was, so none changed)"
    if site.removed:
        shown = ", ".join(site.removed[:SHOWN_REMOVED])
        more = len(site.removed) - SHOWN_REMOVED
        summary += (f"; removed {len(site.removed)} it no longer makes: {shown}"
                    + (f" and {more} more" if more > 0 else ""))
    typer.echo(f"procflow: {printable(summary)}", err=True)


def _judge(files: list[Path], allow_errors: bool
           ) -> Callable[[ValidationResult], tuple[list[Path], dict[Path, tuple[str, ...]]]]:
    """What ``render_site`` asks once the rules have run on every file (as in validate,
    in the same pass as the rendering, before anything is written): it prints what they
    found (on stderr: stdout stays free). Errors stop the run (exit 1) unless
    ``allow_errors``; then the files that do not load are left out and the others' errors
    go on their pages. It returns the files to render and their errors. A file (or project
    file) that does not load stops the run with exit 2 in ``render_site``, as in every
    command that needs its input loaded."""

    def judge(checked: ValidationResult) -> tuple[list[Path], dict[Path, tuple[str, ...]]]:
        import sys

        from procflow.findings import count_noun, display_path, printable
        from procflow.render import banner
        from procflow.report import text

        given = {display_path(path) for path in files}
        unloaded = {finding.file for finding in checked.findings if finding.code in LOAD_CODES
                    or finding.file not in given}  # a broken procflow.yaml: as a file that fails
        if unloaded and not allow_errors:
            return files, {}  # render_site stops with exit 2, as for any input that does not load
        if checked.findings:
            text.report(checked, sys.stderr)
        if not checked.errors:
            return files, {}
        if not allow_errors:
            errors = count_noun(checked.errors, "error")
            typer.echo(f"procflow: nothing was rendered: {errors} above; fix them, or publish "
                       "anyway with --allow-errors (each affected page then says so)", err=True)
            raise typer.Exit(1)
        by_file: dict[str, list[Finding]] = {}
        for finding in checked.findings:
            by_file.setdefault(finding.file, []).append(finding)
        kept = [path for path in files if display_path(path) not in unloaded]
        for path in files:
            if display_path(path) in unloaded:
                shown = printable(display_path(path))
                typer.echo(f"procflow: warning: {shown} does not load: left out", err=True)
        return kept, {path: lines for path in kept
                      if (lines := banner(by_file.get(display_path(path), [])))}

    return judge


LOAD_CODES = frozenset({"PF001", "PF002", "PF003"})  # the file has no procedure to render


class _progress:
    """A rich progress bar on stderr when it is a terminal and the run is long; else nothing."""

    def __init__(self, total: int, terminal: bool) -> None:
        self.total = total
        self.shown = terminal and total >= PROGRESS_FROM

    def __enter__(self) -> Callable[[], None] | None:
        if not self.shown:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("rendering", total=self.total)
        return lambda: self.bar.advance(task)  # one procedure done

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.bar.stop()

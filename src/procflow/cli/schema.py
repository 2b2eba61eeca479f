"""``procflow schema``: the JSON Schema of a procedure file, for editors."""

from __future__ import annotations

from pathlib import Path

import typer

from procflow.cli.app import command, say
from procflow.cli.options import output_option


@command()
def schema(
    output: Path | None = output_option(
        "The file to write the schema to instead of printing it. "
        "Example: --output schema/procedure.schema.json"),
    project: bool = typer.Option(
        False, "--project",
        help="The schema of the project file procflow.yaml instead (shared roles and "
        "calendars, names per language). Example: --project -o schema/procflow.schema.json"),
) -> None:
    """Print the JSON Schema (draft 2020-12) of a procedure file, for editor completion.

    Point the editor at it with a first line such as
    '# yaml-language-server: $schema=../schema/procedure.schema.json'. With --project, the
    schema of procflow.yaml.

    Example: procflow schema --output schema/procedure.schema.json
    """
    from procflow.findings import display_path
    from procflow.safe_write import write_text
    from procflow.schema import schema_text

    text = schema_text(project)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_text(output, text)
    say(f"wrote {display_path(output)}")

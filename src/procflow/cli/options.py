"""The run settings several commands share, each declared once: the procedure ``PATHS``,
``--today`` and ``--jobs``.

Each is decided here, at the CLI boundary: ``--today`` is parsed and defaulted to the real
date in one place, so the library always receives a ``datetime.date``; ``--jobs`` is checked
once. Commands use them as type annotations: ``paths: Paths = None``, ``today: Today``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer


def _date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


#: the procedure files or folders a command reads
Paths = Annotated[list[Path] | None, typer.Argument(
    show_default=False,
    help="Procedure files or folders (default: the project's procedures/ folder). "
    "Example: procedures/")]

#: the date a run takes as today: review due dates, overdue flags, dates written by new/init
Today = Annotated[dt.date, typer.Option(
    "--today", metavar="YYYY-MM-DD", parser=_date, default_factory=dt.date.today,
    show_default=False,
    help="Take this date as today (review due dates, overdue flags, the review date a new "
    "procedure gets); default: the real date. Example: --today 2026-12-01")]

#: worker processes for runs over many procedures
Jobs = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, show_default=False,
    help="Processes to use for many procedures (default: up to 2, only when there are many). "
    "Example: --jobs 1")]

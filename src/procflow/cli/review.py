"""``procflow review``: periodic reviews that are overdue or due soon (the library side is
``procflow.review``)."""

from __future__ import annotations

from enum import Enum

import typer

from procflow.cli.app import command
from procflow.cli.options import Paths, Today


class ReviewFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


@command()
def review(
    today: Today,
    paths: Paths = None,
    within: int = typer.Option(
        30, "--within", min=0, metavar="DAYS",
        help="Also list reviews due within this many days. Example: --within 60"),
    output_format: ReviewFormat = typer.Option(
        ReviewFormat.text, "--format", "-f",
        help="text for people, md for an issue or a wiki page, json for scripts. "
        "Example: --format md"),
    fail_overdue: bool = typer.Option(
        False, "--fail-overdue", help="Exit 1 when any review is overdue, for a scheduled CI "
        "job. Example: procflow review --fail-overdue"),
) -> None:
    """List procedures whose periodic review is overdue or due soon (review.last +
    review.every), and active ones with no review date, grouped by owner.

    Example: procflow review --within 30 --format md --fail-overdue
    """
    import sys

    from procflow import review as reviews
    from procflow.procedures import load_procedures

    documents = load_procedures(paths or [])
    result = reviews.schedule(((d.model, d.display) for d in documents if d.model),
                              today, within)
    reviews.FORMATS[output_format.value](result, sys.stdout)
    if fail_overdue and result.overdue:
        raise typer.Exit(1)

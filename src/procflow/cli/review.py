"""``procflow review``: periodic reviews that are overdue or due soon (the library side is
``procflow.review``)."""

from __future__ import annotations

from pathlib import Path

import typer

from procflow.cli.app import command, emit, say
from procflow.cli.options import Paths, Today, format_option

FORMATS = ("text", "md", "json")  # procflow.review.FORMATS, without importing it


@command()
def review(
    today: Today,
    paths: Paths = None,
    within: int = typer.Option(
        30, "--within", min=0, metavar="DAYS",
        help="Also list reviews due within this many days. Example: --within 60"),
    output_format: str = format_option(
        FORMATS, "text", help="text for people, md for an issue or a wiki page, json for "
        "scripts. Example: --format md"),
    fail_overdue: bool = typer.Option(
        False, "--fail-overdue", help="Exit 1 when any review is overdue (or, with --tickets, "
        "to do now), for a scheduled CI job. Example: procflow review --fail-overdue"),
    tickets: Path | None = typer.Option(
        None, "--tickets", help="A ticket export (as procflow report reads it): procedures "
        "whose SLAs missed their target in its last month are listed as REVIEW NOW. "
        "Example: --tickets tickets.csv"),
) -> None:
    """List procedures whose periodic review is overdue or due soon (review.last +
    review.every), and active ones with no review date, grouped by owner.

    Example: procflow review --within 30 --format md --fail-overdue
    """
    from procflow import review as reviews
    from procflow.findings import count_noun
    from procflow.procedures import load_procedures

    documents = load_procedures(paths or [])
    missed = None
    if tickets is not None:
        from procflow.tickets import require_extra

        require_extra()
        from procflow.tickets.run import review_now

        missed, bad = review_now(tickets, list(paths or []), today)
        if bad:
            say(f"procflow review: {count_noun(bad, 'bad row')} of {tickets.name} left out; "
                "procflow report lists them")
    result = reviews.schedule(((d.model, d.display) for d in documents if d.model),
                              today, within, missed)
    emit(reviews.FORMATS[output_format], result, fmt=output_format)
    if fail_overdue and result.overdue:
        raise typer.Exit(1)

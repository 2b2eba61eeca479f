"""Review reminders (``procflow review``): which procedures are overdue for their periodic
review or due soon, grouped by owner, as text, Markdown or JSON.

A procedure's next review is ``review.last + review.every`` (the same date PF104 checks).
Active procedures with no ``review`` are listed as unscheduled; retired ones are left out.
Pure computation and formatting: reading files is the caller's job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Literal, TextIO

from procflow.findings import count_noun
from procflow.model import Owner, Procedure

State = Literal["overdue", "review-now", "due", "unscheduled"]
_LABEL: dict[State, str] = {"overdue": "OVERDUE", "review-now": "REVIEW NOW", "due": "due",
                            "unscheduled": "no review"}


@dataclass(frozen=True)
class ReviewItem:
    """One procedure that needs its owner's attention."""

    procedure: Procedure
    file: str
    due: dt.date | None = None  # None: an active procedure with no review
    days_left: int | None = None
    missed: tuple[str, ...] = ()  # SLA targets missed in the tickets' last month

    @property
    def state(self) -> State:
        if self.days_left is not None and self.days_left < 0:
            return "overdue"
        if self.missed:
            return "review-now"
        return "unscheduled" if self.days_left is None else "due"

    @property
    def owner(self) -> Owner:
        return self.procedure.owner


@dataclass(frozen=True)
class Schedule:
    today: dt.date
    within_days: int
    items: list[ReviewItem]
    tickets_checked: bool = False  # whether SLA results from a ticket export were given

    def count(self, state: State) -> int:
        return sum(item.state == state for item in self.items)

    @property
    def overdue(self) -> bool:
        """Whether anything is overdue or, from the tickets, needs a review now."""
        return self.count("overdue") + self.count("review-now") > 0

    def by_owner(self) -> list[tuple[Owner, list[ReviewItem]]]:
        """One group per person: the same name and e-mail, whether or not (and with which)
        a handle is given; the group is shown with the first handle any of its files has."""
        groups = []
        for _, grouped in groupby(self.items, key=lambda item: _person(item.owner)):
            items = list(grouped)
            handle = next((item.owner.handle for item in items if item.owner.handle), None)
            groups.append((items[0].owner.model_copy(update={"handle": handle}), items))
        return groups


def _person(owner: Owner) -> tuple[str, str]:
    """Who an owner is: name and e-mail, compared without case."""
    return owner.name.strip().casefold(), (owner.email or "").strip().casefold()


def _owner_key(owner: Owner) -> tuple[str, str]:
    return _person(owner)


def schedule(procedures: Iterable[tuple[Procedure, str]], today: dt.date,
             within_days: int, missed: Mapping[str, Sequence[str]] | None = None) -> Schedule:
    """The procedures (with their display paths) that are overdue, due within
    ``within_days`` of ``today``, active without a review, or (``missed``, from
    ``procflow report``) whose SLAs missed their target lately, sorted by owner then date."""
    items = []
    for procedure, file in procedures:
        if procedure.status == "retired":
            continue
        late = tuple((missed or {}).get(procedure.id, ()))
        if procedure.review is None:
            if procedure.status == "active" or late:
                items.append(ReviewItem(procedure, file, missed=late))
            continue
        due = procedure.review.due()
        days_left = (due - today).days
        if days_left <= within_days or late:  # overdue ones too: their days_left is negative
            items.append(ReviewItem(procedure, file, due, days_left, late))
    items.sort(key=lambda item: (_owner_key(item.owner), item.due or dt.date.max,
                                 item.procedure.id, item.file))
    return Schedule(today, within_days, items, missed is not None)


def _owner_text(owner: Owner) -> str:
    return " ".join(part for part in (owner.name, owner.email and f"<{owner.email}>",
                                      owner.handle) if part)


def _when(item: ReviewItem) -> str:
    if item.due is None or item.days_left is None:
        return "no review date"
    if item.days_left < 0:
        return f"{item.due} ({count_noun(-item.days_left, 'day')} ago)"
    if item.days_left == 0:
        return f"{item.due} (today)"
    return f"{item.due} (in {count_noun(item.days_left, 'day')})"


def summary(result: Schedule) -> str:
    now = result.count("review-now")
    return ((f"{now} to review now (SLA targets missed), " if now else "")
            + f"{result.count('overdue')} overdue, {result.count('due')} due within "
            f"{result.within_days} days, {result.count('unscheduled')} active without a review "
            f"date (today {result.today}).")


def write_text(result: Schedule, stream: TextIO) -> None:
    from rich.markup import escape

    from procflow.findings import printable
    from procflow.markup import terminal

    def shown(text: str) -> str:  # inert for rich markup, emoji codes and the terminal
        return escape(printable(text))

    console = terminal.console(stream)
    for owner, items in result.by_owner():
        console.print(f"[bold]{shown(_owner_text(owner))}[/bold]")
        for item in items:
            style = "bold red" if item.state == "overdue" else "yellow"
            console.print(f"  [{style}]{_LABEL[item.state]:<9}[/{style}] "
                          f"{shown(item.procedure.id)} {shown(item.procedure.version)}  "
                          f"{shown(_when(item))}  {shown(item.file)}")
            for reason in item.missed:
                console.print(f"            {shown(reason)}")
    console.print(summary(result), style="bold red" if result.overdue else "green")


def write_markdown(result: Schedule, stream: TextIO) -> None:
    # file names in a code span, as in `procflow diff --format md`: one escaping path for a
    # name in a pull-request comment (control and bidi characters shown as escapes)
    from procflow.markup.markdown import code_span, escape

    lines = ["# Procedure reviews", "", escape(summary(result)), ""]
    for owner, items in result.by_owner():
        lines += [f"## {escape(_owner_text(owner))}", "",
                  "| State | Procedure | Version | Review due | File |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {_LABEL[item.state]} | {escape(item.procedure.title)} "
                  f"({escape(item.procedure.id)}) | {escape(item.procedure.version)} | "
                  f"{escape(_when(item))}{_reasons(item)} | {code_span(item.file)} |"
                  for item in items]
        lines.append("")
    stream.write("\n".join(lines))


def _reasons(item: ReviewItem) -> str:
    from procflow.markup.markdown import escape

    return "".join(f"<br>{escape(reason)}" for reason in item.missed)


def _item_json(item: ReviewItem) -> dict[str, Any]:
    review = item.procedure.review
    return {
        "id": item.procedure.id,
        "title": item.procedure.title,
        "file": item.file,
        "version": item.procedure.version,
        "status": item.procedure.status,
        "owner": item.owner.model_dump(mode="json"),
        "state": item.state,
        "last_review": review.last.isoformat() if review else None,
        "every": str(review.every) if review else None,
        "due": item.due.isoformat() if item.due else None,
        "days_left": item.days_left,
        "missed_targets": list(item.missed),
    }


def as_json(result: Schedule) -> dict[str, Any]:
    return {
        "today": result.today.isoformat(),
        "within_days": result.within_days,
        "procedures": [_item_json(item) for item in result.items],
        "summary": {state: result.count(state) for state in ("overdue", "due", "unscheduled")}
        | ({"review_now": result.count("review-now")} if result.tickets_checked else {}),
    }


def write_json(result: Schedule, stream: TextIO) -> None:
    json.dump(as_json(result), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


FORMATS = {"text": write_text, "md": write_markdown, "json": write_json}

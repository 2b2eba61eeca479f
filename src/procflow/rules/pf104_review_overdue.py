"""PF104: the procedure's review is overdue."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity, count_noun
from procflow.rules.base import Rule, RuleContext, issue


class ReviewOverdue(Rule):
    """Finds procedures whose next review is past: `review.last` plus `review.every`
    (read on the calendar clock: `1w` is 7 days) is before today.
    `procflow validate --today YYYY-MM-DD` checks against another date, for reproducible CI
    runs or to see what falls due next month.

    **Why it matters:** procedures age: products, tools, laws and teams change. A procedure
    that nobody has reviewed for longer than its own cycle is likely to describe a way of
    working that no longer exists, and the team stops trusting all of them.

    **Fails** (on 2026-11-25; the review fell due on 2026-07-02):

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    review: {last: 2026-01-01, every: 26w}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```

    **Passes:** review the procedure with its owner and record the date.

    ```yaml
    procflow: 1
    id: phone-request
    title: Phone request
    version: "1.0.0"
    owner: {name: Anna Nowak}
    review: {last: 2026-10-15, every: 26w}
    roles:
      - {id: agent, name: Agent}
    steps:
      - {id: intake, title: Take the call, role: agent}
    ```
    """

    code = "PF104"
    severity = Severity.WARNING
    summary = "review overdue: review.last + review.every is before today"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        review = ctx.procedure.review
        if review is None:
            return
        due = review.due()
        if due < ctx.today:
            late = (ctx.today - due).days
            yield issue(self.code, f"review overdue: last reviewed {review.last}, every "
                        f"{review.every}, so due on {due} ({count_noun(late, 'day')} ago); "
                        "review the procedure and set review.last to the date of the review",
                        "review", "last")


RULE = ReviewOverdue()

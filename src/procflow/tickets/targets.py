"""KPI targets the report can check: a comparison, a number and a unit.

The forms (docs/procedure-format.md, "KPI targets the report checks"):

- a share: ``">= 80%"``, ``"> 75 %"``, ``"100%"`` (no operator: at least);
- a duration: ``"<= 4h"``, ``"<= 4 h"``, ``"< 1d"`` (no operator: at most);
- a plain number, for NPS: ``">= 30"``, ``">= -10"`` (no operator: at least).

A comma works as the decimal mark (``">= 72,5%"``). Anything else (``">= 4 of 5"``, words
after the number) is refused with a message that says what to write.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from procflow.durations import Duration, DurationError

Unit = Literal["percent", "seconds", "number"]
_FORM = re.compile(r"^\s*(?P<op>>=|<=|=|>|<|≥|≤)?\s*(?P<value>-?\d+(?:[.,]\d+)?)\s*"
                   r"(?P<unit>%|(?:[wdhms]\s*(?:\d+\s*[wdhms]\s*)*))?\s*$", re.ASCII)
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}
FORMS_HINT = 'write a share (">= 80%"), a duration ("<= 4h") or a number (">= 30")'


class TargetError(ValueError):
    """A KPI target the report cannot check; the message says what to write instead."""


@dataclass(frozen=True)
class Target:
    """A parsed target: ``value`` in percent, a plain number, or seconds of a ``duration``
    (whose days and weeks count on the clock of the measure: see ``seconds``)."""

    text: str
    op: str
    value: float
    unit: Unit
    duration: Duration | None = None

    def on_clock(self, workday_seconds: int | None) -> Target:
        """A duration target read on a business clock (``d`` = one working day), or as is."""
        if self.duration is None or workday_seconds is None:
            return self
        seconds = self.duration.total_seconds("business", workday_seconds)
        return Target(self.text, self.op, float(seconds), self.unit, self.duration)

    def met(self, measured: float) -> bool:
        return _OPERATORS[self.op](measured, self.value)

    @classmethod
    def parse(cls, text: str) -> Target:
        match = _FORM.match(text.replace("≥", ">=").replace("≤", "<="))
        if match is None:
            raise TargetError(f"KPI target '{text}' is not a form the report can check: "
                              f"{FORMS_HINT}")
        number = match["value"].replace(",", ".")
        unit_text = (match["unit"] or "").replace(" ", "")
        if unit_text == "%":
            return cls(text, match["op"] or ">=", float(number), "percent")
        if unit_text:
            if "." in number:
                raise TargetError(f"KPI target '{text}': a duration takes whole numbers "
                                  "(1h30m, not 1.5h)")
            try:
                duration = Duration.parse(number + unit_text)
            except DurationError as error:
                raise TargetError(f"KPI target '{text}': {error}") from None
            return cls(text, match["op"] or "<=", float(duration.total_seconds("calendar")),
                       "seconds", duration)
        return cls(text, match["op"] or ">=", float(number), "number")

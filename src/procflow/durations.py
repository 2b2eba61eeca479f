"""The Duration type: compact units (``1h30m``, ``2d``, ``1w``) and ISO 8601 (``PT4H``, ``P2D``).

A duration keeps what was written and its parts, because what a day is depends on the clock:
on the ``calendar`` clock (24x7) a day is 24 hours and a week 7 days; on the ``business`` clock
``h`` counts working hours and ``d`` working days of a calendar, and ``w`` is five working days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Clock = Literal["calendar", "business"]

# ASCII digits only, like the JSON Schema pattern below (editors must agree with procflow)
_COMPACT = re.compile(r"(\d+)([wdhms])", re.ASCII)
_COMPACT_WHOLE = re.compile(r"(?:\d+[wdhms])+", re.ASCII)
_ISO = re.compile(
    r"P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?",
    re.ASCII,
)
#: a number of more than 12 digits (30,000 years in seconds) is a typo, not a duration
_TOO_LONG = re.compile(r"\d{13}", re.ASCII)
_ORDER = "wdhms"
_SECONDS = {"h": 3600, "m": 60, "s": 1}
UNIT_HINT = "add a unit: 30s, 15m, 4h, 2d, 1w (or ISO 8601 such as PT4H, P2D)"
#: The pattern a duration string must match, for the JSON Schema.
DURATION_PATTERN = r"^((\d+[wdhms])+|P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?)$"


class DurationError(ValueError):
    """A string that is not a duration; the message says what to write instead."""


@dataclass(frozen=True)
class Duration:
    """A span of time as written: weeks, days and a number of seconds (from h, m, s)."""

    text: str
    weeks: int = 0
    days: int = 0
    seconds: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            raise DurationError(f"'{text}' has no unit: {UNIT_HINT}")
        if not isinstance(text, str):
            raise DurationError(f"a duration is text with a unit, not {text!r}: {UNIT_HINT}")
        raw = text.strip()
        if raw.isdigit():
            raise DurationError(f"'{raw}' has no unit: {UNIT_HINT}")
        if _TOO_LONG.search(raw):
            raise DurationError(f"'{raw}': a number of more than 12 digits is not a duration")
        if _COMPACT_WHOLE.fullmatch(raw):
            parts = _COMPACT.findall(raw)
            units = [unit for _, unit in parts]
            if len(set(units)) != len(units) or units != sorted(units, key=_ORDER.index):
                raise DurationError(
                    f"'{raw}': give each unit once, largest first (for example 1d4h, 1h30m)"
                )
            values = {unit: int(number) for number, unit in parts}
            return cls._of(raw, values)
        iso = _ISO.fullmatch(raw)
        if iso and raw not in ("P", "PT") and not raw.endswith("T"):
            values = {unit: int(number) for unit, number in iso.groupdict().items() if number}
            return cls._of(raw, values)
        if raw.startswith("P") and ("Y" in raw or "M" in raw.split("T")[0]):
            raise DurationError(
                f"'{raw}': years and months have no fixed length; use weeks or days (P2W, P30D)"
            )
        raise DurationError(f"'{raw}' is not a duration: {UNIT_HINT}")

    @classmethod
    def _of(cls, text: str, values: dict[str, int]) -> Duration:
        seconds = sum(values.get(unit, 0) * factor for unit, factor in _SECONDS.items())
        return cls(text, values.get("w", 0), values.get("d", 0), seconds)

    def total_seconds(self, clock: Clock = "calendar", workday_seconds: int = 8 * 3600) -> int:
        """Length in seconds of clock time: wall-clock seconds on ``calendar``, working
        seconds on ``business`` (a day is ``workday_seconds``, a week five days)."""
        if clock == "business":
            return self.seconds + (self.days + 5 * self.weeks) * workday_seconds
        return self.seconds + (self.days + 7 * self.weeks) * 86400

    def __str__(self) -> str:
        return self.text


def format_seconds(seconds: int) -> str:
    """The compact form of a number of (calendar) seconds, largest units first: ``1d4h``."""
    if seconds == 0:
        return "0s"
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)


def format_working(seconds: int) -> str:
    """Working time in hours and smaller units (a working day has no fixed length): ``62h``,
    ``3h30m``."""
    if seconds == 0:
        return "0h"
    hours, rest = divmod(seconds, 3600)
    return (f"{hours}h" if hours else "") + (format_seconds(rest) if rest else "")

"""The corrected form of a value people often write another way, when there is exactly one.

Used by the schema messages (to say what to write) and by ``procflow fix`` (to write it):
``1.5h`` is ``1h30m``, ``90 min`` is ``90m``, ``1.0`` as a version is ``"1.0.0"``,
``13/03/2026`` is ``2026-03-13``. Each function returns None when the value could mean more
than one thing (``0.5d``: half a calendar day or half a working day?), so nothing here ever
guesses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

_UNIT_WORDS = {
    "w": ("w", "wk", "wks", "week", "weeks"),
    "d": ("d", "day", "days"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "m": ("m", "min", "mins", "minute", "minutes"),
    "s": ("s", "sec", "secs", "second", "seconds"),
}
_UNIT = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]+)", re.ASCII)
_SMALLER = {"h": ("m", 60), "m": ("s", 60)}  # a fraction of these has an exact smaller unit
_ORDER = "wdhms"


def duration(text: object) -> str | None:
    """The compact duration meant by ``text`` (``1.5h`` -> ``1h30m``, ``90 min`` -> ``90m``,
    ``2 days`` -> ``2d``, ``1h 30m`` -> ``1h30m``), or None when it is not clear."""
    if not isinstance(text, str):
        return None
    raw = text.strip().lower()
    parts = _PART.findall(raw)
    if not parts or _PART.sub("", raw).strip(" ,and") != "":
        return None
    amounts: dict[str, int] = {}
    for number, word in parts:
        unit = _UNIT.get(word)
        if unit is None or unit in amounts:
            return None
        whole, _, fraction = number.replace(",", ".").partition(".")
        amounts[unit] = int(whole)
        if fraction and int(fraction):
            smaller = _SMALLER.get(unit)
            if smaller is None:
                return None  # half a day or week depends on the clock: not for us to say
            small_unit, factor = smaller
            exact = int(fraction) * factor / 10 ** len(fraction)
            if exact != int(exact) or small_unit in amounts:
                return None
            amounts[small_unit] = amounts.get(small_unit, 0) + int(exact)
    written = "".join(f"{amounts[unit]}{unit}" for unit in _ORDER if amounts.get(unit))
    return written if written and written != text else None


def version(value: object, raw: str | None = None) -> str | None:
    """``MAJOR.MINOR.PATCH`` meant by a version written short (``1``, ``1.0``, ``v1.2``),
    or None. ``raw`` is the text as written (YAML turned ``1.10`` into the number 1.1)."""
    written = raw if raw is not None else str(value)
    match = re.fullmatch(r"[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?", written.strip())
    if match is None:
        return None
    parts = [str(int(part)) if part is not None else "0" for part in match.groups()]
    return ".".join(parts)


def date(text: object) -> tuple[str | None, list[str]]:
    """The ISO date (YYYY-MM-DD) meant by ``text``: ``(the date, [])`` when only one reading
    is possible, ``(None, [the readings])`` when it could be more than one."""
    if not isinstance(text, str):
        return None, []
    match = re.fullmatch(r"\s*(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})\s*", text)
    if match is None:
        return None, []
    first, second, third = match.groups()
    if len(first) == 4:
        readings = [(int(first), int(second), int(third))]
    elif len(third) == 4:
        readings = [(int(third), int(second), int(first)), (int(third), int(first), int(second))]
    else:
        return None, []
    valid = sorted({day for day in (_iso(*reading) for reading in readings) if day})
    if len(valid) == 1:
        return valid[0], []
    return None, valid


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def flow_list(text: object) -> str | None:
    """``[a, b]`` for ``a, b`` written where a list is expected, when every item is plain
    text that needs no quotes; None otherwise."""
    if not isinstance(text, str) or not text.strip():
        return None
    items = [item.strip() for item in text.split(",")]
    if any(not re.fullmatch(r"[\w][\w .'()/-]*", item) for item in items):
        return None
    return "[" + ", ".join(items) + "]"


#: words people use for a field, and the field the format calls it (only offered when the
#: field exists where the word was written)
SYNONYMS = {
    "description": "instructions", "desc": "instructions", "details": "instructions",
    "text": "instructions", "notes": "instructions", "name": "title", "label": "title",
    "assignee": "role", "owner": "role", "responsible": "role", "who": "role",
    "duration": "max_duration", "timeout": "max_duration", "time_limit": "max_duration",
    "then": "next", "goto": "next", "go_to": "next", "next_step": "next",
    "options": "branches", "choices": "branches", "decisions": "branches",
    "if": "when", "condition": "when", "tasks": "checklist", "todo": "checklist",
}


def close_match(name: str, options: Iterable[str]) -> str | None:
    """The one option ``name`` is a slip of (a typo), or None when there is none or several
    are as close: only then is renaming safe."""
    import difflib

    close = difflib.get_close_matches(name, list(options), n=2, cutoff=0.75)
    return close[0] if len(close) == 1 else None

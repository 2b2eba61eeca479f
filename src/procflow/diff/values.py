"""Field values as the diff handles them: read by dotted path, made JSON-plain for ``old`` /
``new``, shown short in messages, and tokenised for rename similarity."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from pydantic import BaseModel

from procflow.durations import Duration

SHORT = 60


def get(item: Any, dotted: str) -> Any:
    """``get(procedure, "owner.name")``; None when a part on the way is absent."""
    for name in dotted.split("."):
        if item is None:
            return None
        item = getattr(item, name)
    return item


def plain(value: Any) -> Any:
    """A JSON-ready copy: durations as written, dates as ISO text, models as mappings
    without their defaults."""
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def is_long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > SHORT or "\n" in value.strip())


def show(value: Any) -> str:
    """A value for a one-line message: ``'agent'``, ``14d``, ``'a', 'b'``, ``none``."""
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(show(v) for v in value)
    if isinstance(value, str):
        flat = " ".join(value.split())
        return f"'{flat[:SHORT - 1]}…'" if len(flat) > SHORT else f"'{flat}'"
    return str(plain(value))


def same_words(old: Any, new: Any) -> bool:
    """Two texts that differ only in whitespace (line breaks, indentation, spaces)."""
    return isinstance(old, str) and isinstance(new, str) and old.split() == new.split()


def tokens(item: BaseModel) -> Counter[str]:
    """The content of an item without its id, as ``field:word`` tokens (for renames)."""
    out: Counter[str] = Counter()
    for name, value in item:
        if name != "id" and value not in (None, [], False):
            for word in str(plain(value)).lower().split():
                out[f"{name}:{word}"] += 1
    return out

"""Babel's locale of a language tag, looked up once per tag and process (pages ask for it for
every plural, language name and SLA sentence)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale


@functools.lru_cache(maxsize=32)
def locale_of(language: str) -> Locale | None:
    """The locale of ``language`` (``pt-BR`` or ``pt_BR``); None when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None

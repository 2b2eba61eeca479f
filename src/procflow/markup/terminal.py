"""The one place that decides colour for every report (validate, diff, review): colour and
styles only on a terminal, none with ``NO_COLOR`` (no-color.org), never emoji codes or
highlighting of user text. Reporters print through ``console``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console


def console(stream: TextIO, *, terminal: bool | None = None) -> Console:
    """A rich console writing to ``stream``; ``terminal`` forces colour on (a pager that git
    started) or off, else it follows whether ``stream`` is a terminal."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(file=stream, force_terminal=False if plain else terminal, no_color=plain,
                   soft_wrap=True, highlight=False, emoji=False)

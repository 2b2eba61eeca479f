"""The one place that decides colour for every report (validate, diff, review): colour and
styles only on a terminal, none with ``NO_COLOR`` (no-color.org), never emoji codes or
highlighting of user text. Reporters print through ``console``, or write ``(text, style)``
parts through ``line_writer``, which leaves rich unimported when the output stays plain."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

#: a piece of a line and its rich style ("" for none)
Part = tuple[str, str]
#: writes one line made of parts, with a style over the whole line (or None)
LineWriter = Callable[[Sequence[Part], "str | None"], None]


def console(stream: TextIO, *, terminal: bool | None = None, width: int | None = None) -> Console:
    """A rich console writing to ``stream``; ``terminal`` forces colour on (a pager that git
    started) or off, else it follows whether ``stream`` is a terminal. A fixed ``width`` is
    for tables, which then wrap their cells instead of the lines."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(file=stream, force_terminal=False if plain else terminal, no_color=plain,
                   soft_wrap=width is None, width=width, highlight=False, emoji=False)


def styled(stream: TextIO, *, terminal: bool | None = None) -> bool:
    """Whether ``console(stream, terminal=...)`` would write styles: rich's own test of a
    terminal (``TTY_COMPATIBLE``, ``FORCE_COLOR``, then ``isatty``), made without importing
    rich, which costs a pre-commit run more than the check itself."""
    if os.environ.get("NO_COLOR"):
        return False
    if terminal is not None:
        return terminal
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(getattr(stream, "isatty", lambda: False)())
    except ValueError:  # a closed stream
        return False


def line_writer(stream: TextIO, *, terminal: bool | None = None) -> LineWriter:
    """A writer of lines made of ``(text, style)`` parts: through a rich ``console`` where
    styles show, else the text alone, exactly what that console would print without them."""
    if not styled(stream, terminal=terminal):
        def plain(parts: Sequence[Part], style: str | None = None) -> None:
            stream.write("".join(text for text, _ in parts) + "\n")
        return plain
    from rich.markup import escape

    rich_console = console(stream, terminal=terminal)

    def rich_line(parts: Sequence[Part], style: str | None = None) -> None:
        rich_console.print("".join(f"[{part_style}]{escape(text)}[/{part_style}]"
                                   if part_style else escape(text)
                                   for text, part_style in parts), style=style)
    return rich_line

"""Markdown escaping: user text that lands in a Markdown page shows as written, in GitHub,
GitLab, Azure DevOps (CommonMark/GFM) and MkDocs (Python-Markdown) alike.

The Markdown templates print every value through ``escape`` (the environment's ``finalize``),
the way HTML templates autoescape. What is already Markdown is a ``markupsafe.Markup``: the
output of templates, blocks (``super()``) and macros, and what procflow builds itself as
``Raw`` (links to its own anchors, the Mermaid block, quoted message bodies); it prints as is.
Nothing here knows about templates or files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from markupsafe import Markup

from procflow.findings import printable

# Characters escaped wherever they are. Backslash escapes are used only where both CommonMark
# and Python-Markdown (with its tables extension, as MkDocs runs it) honour them; the rest are
# character references, which both decode. `<`, `>` and `&` as references so no raw HTML, no
# autolink and no entity can come from user text; `|` so a table cell cannot end early.
_EVERYWHERE = {
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
    "{": "\\{", "}": "\\}", "#": "\\#", "|": "\\|",
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;",
}
_EVERYWHERE_RE = re.compile("[" + re.escape("".join(_EVERYWHERE)) + "]")
# What starts a block when it opens a line: a list item or a definition (Python-Markdown
# def_list) marker followed by a blank, a setext underline or thematic break, an ordered list
# item. (`*`, `_`, `#` and `>` are escaped everywhere.)
_LINE_START_RE = re.compile(r"^(?:([-+=:])(?=[ \t]|$)|([-=])(?=[-= \t]*$)|(\d+)([.)])(?=[ \t]|$))")
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


class Raw(Markup):
    """Markdown that procflow built and escaped itself: printed as is."""

    __slots__ = ()


def escape(text: object) -> str:
    """``text`` as inline Markdown that renders exactly as written, on one source line.

    Newlines become ``<br>`` so a value never ends a heading, list item or table row; a value
    is escaped as if it opened a line, so it is safe wherever a template puts it.
    """
    if isinstance(text, Markup):
        return text
    if text is None:
        return ""
    return _escape_text(str(text))


@functools.lru_cache(maxsize=8192)  # labels and names repeat on every page
def _escape_text(text: str) -> str:
    return "<br>".join(_escape_line(line) for line in _NEWLINE_RE.split(text))


@functools.lru_cache(maxsize=8192)
def escaped(text: str) -> Raw:
    """``escape(text)`` ready to print as is: what the Markdown templates print a value as."""
    return Raw(_escape_text(text))


def _escape_line(line: str) -> str:
    stripped = line.lstrip(" \t")
    # Leading blanks would start an indented code block at a line start: they become
    # non-breaking spaces, so indentation (in message bodies) stays visible and inert.
    indent = "&nbsp;" * (len(line) - len(stripped))
    body = _EVERYWHERE_RE.sub(lambda m: _EVERYWHERE[m.group()], stripped)
    match = _LINE_START_RE.match(body)
    if match:
        marker = match.group(1) or match.group(2)
        if marker:
            body = f"&#{ord(marker)};{body[1:]}"
        else:
            body = f"{match.group(3)}\\{match.group(4)}{body[match.end():]}"
    return indent + body


def quote(text: str) -> Raw:
    """A block quote that shows ``text`` verbatim, line by line (message templates)."""
    out: list[str] = []
    lines = _NEWLINE_RE.split(text.rstrip("\r\n"))
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not line.strip():
            out.append(">")
            continue
        escaped = _escape_line(line)
        out.append(f"> {escaped}<br>" if following.strip() else f"> {escaped}")
    return Raw("\n".join(out))


def fence(body: str, info: str = "", colons: bool = False) -> Raw:
    """A fenced code block, its fence longer than any backtick run in ``body``; with
    ``colons``, Azure DevOps's ``::: info`` block instead (for procflow's own text only, such
    as the Mermaid diagram, whose lines never start with a colon)."""
    if colons:
        return Raw(f"::: {info}\n{body.rstrip(chr(10))}\n:::")
    marker = "`" * max(3, _longest_backtick_run(body) + 1)
    return Raw(f"{marker}{info}\n{body.rstrip(chr(10))}\n{marker}")


def code_span(text: str) -> str:
    """``text`` in a code span on one line, its backticks longer than any run inside.

    Control, bidi and zero-width characters are shown as escapes (a newline in a file name
    would end the table row or paragraph and let the rest render as Markdown: headings,
    links, images). A ``|`` ends a table cell even inside a code span, so such a text is
    escaped plain text instead."""
    text = printable(text)
    if "|" in text:
        return escape(text)
    longest = _longest_backtick_run(text)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}" if longest else f"`{text}`"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def join(items: Iterable[object], separator: str = "") -> Raw:
    """The ``join`` filter of the Markdown templates: every item escaped."""
    return Raw(escape(separator).join(escape(item) for item in items))

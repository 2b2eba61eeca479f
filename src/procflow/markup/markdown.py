"""Markdown escaping: user text that lands in a Markdown page shows as written, in GitHub,
GitLab, Azure DevOps (CommonMark/GFM) and MkDocs (Python-Markdown) alike.

The Markdown templates print every value through ``escape`` (the environment's ``finalize``),
the way HTML templates autoescape. What is already Markdown is a ``markupsafe.Markup``: the
output of templates, blocks (``super()``) and macros, and what procflow builds itself as
``Raw`` (links to its own anchors, the Mermaid block, quoted message bodies); it prints as is.
Nothing here knows about templates or files.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

from markupsafe import Markup

from procflow.findings import printable

# What is escaped, and why. The targets are CommonMark with GFM tables, task lists and
# strikethrough (GitHub, GitLab, Azure DevOps; markdown-it, cmark-gfm) and Python-Markdown
# with tables, attr_list, md_in_html and tasklist (MkDocs). A character is escaped only where
# one of them would read it as syntax, so the source stays readable: `{{ case_id }}`,
# `>= 80%`, `snake_case`, `Q&A` and `a < b` are written as they are. Backslash escapes are
# used only for characters both parsers honour them for; `&`, `<`, `>` and `~` take character
# references, which both decode (Python-Markdown prints `\<` and `\~` as written).
_ALWAYS = {
    "`": "\\`",  # code spans (a lone one could pair with one in a neighbouring value)
    "*": "\\*",  # emphasis: `*` can open and close inside a word (a*b*c)
    "[": "\\[",  # links, images, reference definitions, task-list boxes (`]`: see below)
    "|": "\\|",  # ends a table cell, even inside a code span
    "~": "&#126;",  # GFM strikethrough (one tilde in cmark-gfm), fences at a line start
}
_ALWAYS_TABLE = str.maketrans(_ALWAYS)
#: the characters whose escape depends on what stands around them
_CONTEXT_RE = re.compile("[\\\\_&<>{#\\]\ue000]")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: `&` starts a character reference only before `name;`, `#digits;` or `#xhex;` (CommonMark
#: wants a known name, Python-Markdown any letters and digits): only there is it `&amp;`
_REFERENCE_RE = re.compile(r"#?[A-Za-z0-9]+;")
_MARK = "\ue000"  # a private-use character: where a value starts in a page (see ``settle``)
# What starts a block when it opens a line (in a paragraph, a list item or a quote): a quote
# (`>`), an ATX heading (`#`; Python-Markdown needs no blank after it), a list item or a
# definition (Python-Markdown def_list) marker followed by a blank, a setext underline or a
# thematic break, an ordered list item. (`*` and `_` are escaped anyway.)
_LINE_START_RE = re.compile(
    r"^(?:([>#])|([-+=:])(?=[ \t]|$)|([-=])(?=[-= \t]*$)|(\d+)([.)])(?=[ \t]|$))")
#: what may stand before a block's first character on its line: indentation, quote markers,
#: list markers and a task-list box
_BLOCK_PREFIX_RE = re.compile(
    r"^[ \t]*(?:(?:&gt;|>|[-+*]|\d{1,9}[.)]|\[[ xX]\])[ \t]*)*$")
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


class Raw(Markup):
    """Markdown that procflow built and escaped itself: printed as is."""

    __slots__ = ()


def escape(text: object) -> str:
    """``text`` as inline Markdown that renders exactly as written, on one source line.

    Newlines become ``<br>`` so a value never ends a heading, list item or table row; a value
    is escaped as if it opened a line, so it is safe wherever a caller puts it.
    """
    if isinstance(text, Markup):
        return text
    if text is None:
        return ""
    return _escape_text(str(text))


#: a character that some escape acts on (``_ALWAYS``, ``_CONTEXT_RE``, a line break); text
#: without one, and without leading blanks, is its own inline escape (most names and prose)
_ACTIVE_RE = re.compile("[`*\\[|~\\\\_&<>{#\\]\ue000\r\n]")


@functools.lru_cache(maxsize=8192)  # labels and names repeat on every page
def _escape_text(text: str, line_start: bool = True) -> str:
    if not _ACTIVE_RE.search(text) and text[:1] not in (" ", "\t"):
        return _line_start(text) if line_start else text
    return _escape_lines(text, line_start)


def _escape_lines(text: str, line_start: bool) -> str:
    """``_escape_text`` the long way, line by line (what the quick test above skips)."""
    parts = _NEWLINE_RE.split(text)
    # the lines are joined by `<br>` into one source line: an attribute list of
    # Python-Markdown may close on a later one, so each line knows the `}` after it
    closing_after = [0] * len(parts)
    for index in range(len(parts) - 2 if "{" in text else -1, -1, -1):
        closing_after[index] = closing_after[index + 1] + parts[index + 1].count("}")
    lines = [_escape_line(line, line_start=False, closing_after=closing_after[index])
             for index, line in enumerate(parts)]
    if line_start:
        lines[0] = _line_start(lines[0])
    return "<br>".join(lines)


@functools.lru_cache(maxsize=8192)
def marked(text: str) -> Raw:
    """``text`` escaped for a page template, its line-start escape left to ``settle``: a
    value that could open a block (``>= 80%``, ``# 1``, ``- x``) is marked, and ``settle``
    escapes it only where it does open a line, not in a table cell or after a label."""
    body = _escape_text(text, line_start=False)
    return Raw(_MARK + body if _line_start(body) != body else body)


def settle(page: str) -> str:
    """A page with its ``marked`` values resolved: the line-start escape where a value opens a
    block (nothing but indentation, quote and list markers before it on its line)."""
    if _MARK not in page:
        return page
    lines = str.__new__(str, page).split("\n")  # plain text: Markup would escape for HTML
    for index, line in enumerate(lines):
        while _MARK in line:
            at = line.index(_MARK)
            rest = line[at + 1:]
            if _BLOCK_PREFIX_RE.match(line[:at]):
                rest = _line_start(rest)
            line = line[:at] + rest
        lines[index] = line
    return "\n".join(lines)


def _escape_line(line: str, line_start: bool = True, closing_after: int = 0) -> str:
    """One line of a value; ``closing_after``: the ``}`` on later lines of its source line."""
    stripped = line.lstrip(" \t")
    closing = [at for at, char in enumerate(stripped) if char == "}"] if "{" in stripped else []
    # Leading blanks would start an indented code block at a line start: they become
    # non-breaking spaces, so indentation (in message bodies) stays visible and inert.
    indent = "&nbsp;" * (len(line) - len(stripped))
    tag_like = "<" in stripped

    def replace(match: re.Match[str]) -> str:
        char, at = match.group(), match.start()
        after = stripped[at + 1:at + 2]
        if char == "\\":  # an escape only before punctuation (and before our own `<br>`
            # and the mark, which is written as the character reference `&#57344;`)
            escapes = not after or after in _PUNCTUATION or after == _MARK
            return "\\\\" if escapes else "\\"
        if char == "_":  # inside a word it never opens or closes emphasis, in either parser
            before = stripped[at - 1:at]
            return "_" if before.isalnum() and after.isalnum() else "\\_"
        if char == "&":
            return "&amp;" if _REFERENCE_RE.match(stripped, at + 1) else "&"
        if char == "<":  # a tag, comment, autolink or e-mail link needs a letter, `/`, `!`,
            # `?` after it, or a `>` (or no blank: the rest could meet one) further on
            rest = stripped[at + 1:]
            risky = (after.isascii() and after.isalpha()) or after in ("/", "!", "?", "") \
                or ">" in rest or not any(blank in rest for blank in " \t")
            return "&lt;" if risky else "<"
        if char == ">":  # inline it closes nothing once `<` is escaped; tag-like text keeps
            return "&gt;" if tag_like else ">"  # its pair for the reader (&lt;b&gt;)
        if char == "{":  # Python-Markdown attr_list reads ` {.class}`, ` {: #id}`, `{k=v}`,
            # even an empty ` {}` at a heading's end: after a blank (or where the value
            # starts), up to the one `}` after it (`{{ case_id }}` has two: no attribute list)
            later = len(closing) - bisect.bisect_right(closing, at) + closing_after
            return "\\{" if later == 1 and (not at or stripped[at - 1] in " \t") else "{"
        if char == "]":  # ends link text; before `:` Python-Markdown reads a reference
            return "&#93;" if after == ":" else "\\]"  # definition, `\]` or not
        if char == "#":  # closing hashes of a heading are dropped (both parsers)
            return "\\#" if not stripped[at + 1:].strip(" \t") else "#"
        return "&#57344;"  # the private-use mark, in user text: a character reference

    # the context escapes read the text as written; then the characters escaped everywhere
    # (no context escape writes one of them)
    body = _CONTEXT_RE.sub(replace, stripped).translate(_ALWAYS_TABLE)
    return indent + (_line_start(body) if line_start and not indent else body)


def _line_start(body: str) -> str:
    """``body`` (already escaped inline) made safe to open a line."""
    match = _LINE_START_RE.match(body)
    if not match:
        return body
    marker = match.group(1) or match.group(2) or match.group(3)
    if marker == "#":
        return "\\" + body
    if marker == ">":
        return "&gt;" + body[1:]
    if marker:
        return f"&#{ord(marker)};{body[1:]}"
    return f"{match.group(4)}\\{match.group(5)}{body[match.end():]}"


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
    """The ``join`` filter of the Markdown templates: every item escaped (the first may open
    a line: ``marked``; the others follow the separator)."""
    parts = [item if isinstance(item, Markup) else str(item) for item in items]
    if not parts:
        return Raw("")
    first = parts[0] if isinstance(parts[0], Markup) else marked(parts[0])
    rest = [part if isinstance(part, Markup) else _escape_text(part, False)
            for part in parts[1:]]
    return Raw(_escape_text(separator, False).join([first, *rest]))

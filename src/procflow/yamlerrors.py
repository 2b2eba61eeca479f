"""YAML syntax errors in plain words: what went wrong, where, and how to write it instead.

libyaml stops at the first syntax error and says what its grammar expected ("did not find
expected key"), usually on the line where it noticed, which is often not the line that is
wrong. Here the lines around the error are read again for the slips people make (an
unclosed quote or bracket, a missing space after ``-`` or ``:``, a ``: `` inside a plain
value, text after a closing quote, an indentation that matches no level above), and the
finding points at the line where it went wrong, with the corrected text when there is only
one way to read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from pydantic import BaseModel

from procflow.edits import Edit, Fix
from procflow.findings import Issue
from procflow.schema_errors import unwrap
from procflow.yamlsafe import Located

#: ``key: value`` at the start of a line (after any ``- ``): indent, prefix, key, value
_KEY_VALUE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[^\s:#'\"\[\]{},&*!|>%@`-]"
                        r"[^:#]*?):(?: +(?P<value>.*))?$")
_DASH_NO_SPACE = re.compile(r"^(?P<indent> *)-(?P<rest>[^\s\-].*)$")
_COLON_NO_SPACE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[A-Za-z_][\w-]*):"
                             r"(?P<rest>[^\s/:].*)$")
_QUOTED_THEN_TEXT = re.compile(r"^(?P<head> *(?:- +)*[^\s:#][^:#]*?: +)(?P<quote>[\"'])"
                               r"(?P<inner>(?:(?!(?P=quote)).)*)(?P=quote)(?P<extra>[^#]*?)"
                               r"(?P<comment> +#.*)?$")


@dataclass(frozen=True)
class _Error:
    """What libyaml said, with 1-based lines; ``context_*`` is 0 when it gave none."""

    problem: str
    context: str
    line: int
    column: int
    context_line: int
    context_column: int
    lines: list[str]

    def row(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def _explained(message: str, line: int, column: int, fix: Fix | None = None) -> Located:
    return Located(Issue("PF001", message), line, column, fix)


def explain(text: str, error: yaml.MarkedYAMLError) -> Located:
    """The plain-words explanation of a libyaml syntax error in ``text``."""
    problem_mark = error.problem_mark or error.context_mark
    context_mark = error.context_mark
    found = _Error(error.problem or str(error), error.context or "",
                   problem_mark.line + 1 if problem_mark else 1,
                   problem_mark.column + 1 if problem_mark else 1,
                   context_mark.line + 1 if context_mark else 0,
                   context_mark.column + 1 if context_mark else 0,
                   text.splitlines())
    for check in _CHECKS:
        explained = check(found)
        if explained is not None:
            return explained
    where = f" ({found.context}, line {found.context_line})" if found.context else ""
    return _explained(f"YAML syntax error: {found.problem}{where}", found.line, found.column)


def _unclosed_quote(error: _Error) -> Located | None:
    if error.context == "while scanning a quoted scalar" and error.context_line:
        line, column = error.context_line, error.context_column
    else:
        opened = _first_unclosed_quote(error.lines[: error.line])
        if opened is None:
            return None
        line, column = opened
    quote = error.row(line)[column - 1: column] or '"'
    return _explained(f"unclosed quote: the {quote} opened on line {line}, column {column} is "
                     f"never closed; end the value with {quote} on that line", line, column)


def _first_unclosed_quote(lines: list[str]) -> tuple[int, int] | None:
    """Line and column of the first value that opens a quote and does not close it on its
    line (a quoted value over several lines is valid YAML, but rare in a procedure, and
    only asked about once the file does not parse)."""
    for number, row in enumerate(lines, 1):
        match = _KEY_VALUE.match(row)
        value = match.group("value") if match else None
        if value is None:
            stripped = row.lstrip(" ")
            if not stripped.startswith("- "):
                continue
            value = stripped.lstrip("- ")
        if not value or value[0] not in "\"'":
            continue
        quote, body = value[0], value[1:]
        closed = body.replace("\\\\", "").replace('\\"', "").find('"') >= 0 if quote == '"' \
            else body.replace("''", "").find("'") >= 0
        if not closed:
            return number, len(row) - len(value) + 1
    return None


def _unclosed_bracket(error: _Error) -> Located | None:
    kinds = {"while parsing a flow sequence": ("[", "]", "list"),
             "while parsing a flow mapping": ("{", "}", "mapping")}
    if error.context not in kinds or not error.context_line:
        return None
    opener, closer, noun = kinds[error.context]
    line, column = error.context_line, error.context_column
    rest = error.row(line)[column:]
    if rest.count(closer) > rest.count(opener):  # closed on its line: a missing comma
        return _explained(f"expected a comma or '{closer}' here: separate the items of the "
                         f"{noun} with commas, and quote an item that contains one",
                         error.line, error.column)
    return _explained(f"unclosed bracket: the '{opener}' opened on line {line}, column {column} "
                     f"is never closed; end the {noun} with '{closer}' on that line (or write "
                     "one item a line)", line, column)


def _missing_space(error: _Error) -> Located | None:
    """``-item`` or ``key:value``: the line libyaml read as one plain word."""
    if error.context == "while scanning a simple key" and error.context_line:
        candidates = [error.context_line]
    else:
        candidates = [n for n in (_previous_line(error, error.line), error.line) if n]
    for line in candidates:
        row = error.row(line)
        dash = _DASH_NO_SPACE.match(row)
        if dash and not row.startswith("---"):
            column = len(dash.group("indent")) + 2
            return _explained(f"missing space after '-' on line {line}: a list item is written "
                             f"'- {dash.group('rest')}'", line, column - 1,
                             Fix("put a space after '-'", (Edit(line, column, line, column,
                                                                " "),)))
        colon = _COLON_NO_SPACE.match(row)
        if colon:
            column = len(colon.group("indent")) + len(colon.group("dash")) \
                + len(colon.group("key")) + 2
            return _explained(f"missing space after ':' on line {line}: write "
                             f"'{colon.group('key')}: {colon.group('rest')}'", line, column - 1,
                             Fix("put a space after ':'", (Edit(line, column, line, column,
                                                                " "),)))
    return None


def _text_after_quote(error: _Error) -> Located | None:
    if error.problem != "did not find expected key":
        return None
    row = error.row(error.line)
    match = _QUOTED_THEN_TEXT.match(row)
    if match is None or not match.group("extra").strip():
        return None
    key = match.group("head").strip().lstrip("- ").rstrip(": ")
    quote = match.group("quote")
    whole = match.group("inner") + match.group("extra").rstrip()
    return _explained(f"line {error.line}: the value of '{key}' ends at its closing quote, but "
                     f"text follows it; put all of the text inside the quotes: {key}: "
                     f"{quote}{whole}{quote}", error.line, len(match.group("head")) + 1)


def _bad_indentation(error: _Error) -> Located | None:
    """A line whose indentation matches no level open above it."""
    if error.problem not in ("did not find expected '-' indicator", "did not find expected key",
                             "mapping values are not allowed in this context"):
        return None
    line = error.line
    row = error.row(line)
    if not row.strip():
        return None
    indent = len(row) - len(row.lstrip(" "))
    above = _previous_line(error, line)
    if not above:
        return None
    levels = _open_levels(error.lines[:line - 1])
    previous = error.row(above)
    previous_match = _KEY_VALUE.match(previous)
    item = row.lstrip(" ").startswith("- ")
    if indent in levels:
        # a key that is deeper than the line above, which has a value of its own
        if error.problem != "mapping values are not allowed in this context" \
                or previous_match is None or not previous_match.group("value") \
                or indent <= levels[-1]:
            return None
    if error.problem == "mapping values are not allowed in this context":
        if previous_match is None or not (previous_match.group("value") or "").strip() \
                or indent <= _key_column(previous_match) - 1:
            return None
        expected = [_key_column(previous_match)]
    else:
        expected = sorted({level + 1 for level in levels if level < indent}
                          | {_key_column(previous_match)} if previous_match else
                          {level + 1 for level in levels}, reverse=True)[:2]
    if error.context == "while parsing a block collection" and error.context_line:
        list_column = error.context_column
        if item:
            expected = [list_column]
        else:
            expected = [c for c in expected if c != list_column][:1] or [list_column + 2]
    what = "the list item" if item else "it"
    if item and error.context_line:
        like = f"the items of the list on line {error.context_line} start at column " \
               f"{expected[0]}"
    elif previous_match is not None and _key_column(previous_match) == expected[0]:
        like = f"'{previous_match.group('key')}' on line {above} starts at column {expected[0]}"
    else:
        like = f"the level above starts at column {expected[0]}"
    other = f" (or {expected[1]}, to close that level)" if len(expected) > 1 else ""
    return _explained(f"inconsistent indentation on line {line}: {what} starts at column "
                     f"{indent + 1}, but {like}; indent it to column {expected[0]}{other}",
                     line, indent + 1)


def _key_column(match: re.Match[str]) -> int:
    return len(match.group("indent")) + len(match.group("dash")) + 1


def _open_levels(lines: list[str]) -> list[int]:
    """The indentation (0-based columns) of the levels still open after ``lines``: the last
    line's, then each shallower one above it, with the key column after any ``- ``."""
    levels: list[int] = []
    limit = None
    for row in reversed(lines):
        stripped = row.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(row) - len(stripped)
        if limit is not None and indent >= limit:
            continue
        inner = indent
        columns = [indent]
        while stripped.startswith("- "):
            dash = len(stripped) - len(stripped[1:].lstrip(" "))
            inner += dash
            stripped = stripped[dash:]
            columns.append(inner)
        levels += [c for c in columns if limit is None or c < limit]
        limit = indent
        if indent == 0:
            break
    return sorted(set(levels))


def _previous_line(error: _Error, line: int) -> int:
    """The nearest line above ``line`` with content (0 when none)."""
    for number in range(line - 1, 0, -1):
        stripped = error.row(number).strip()
        if stripped and not stripped.startswith("#"):
            return number
    return 0


def _colon_in_value(error: _Error) -> Located | None:
    if error.problem != "mapping values are not allowed in this context":
        return None
    line = error.line
    row = error.row(line)
    match = _KEY_VALUE.match(row)
    value = match.group("value") if match else None
    if match is None or not value or value[0] in "\"'[{|>&*!%@`":
        return None
    comment = re.search(r" +#", value)
    text = value[: comment.start()] if comment else value.rstrip()
    if ": " not in text + " ":
        return None
    quoted = _quote(text)
    key = match.group("key")
    column = len(row) - len(value) + 1
    second = text.split(": ", 1)[0].rsplit(" ", 1)[-1]
    if second in _field_names():
        return _explained(f"line {line} holds two fields, '{key}' and '{second}': start "
                         f"'{second}:' on a line of its own (or, if it is all the text of "
                         f"'{key}', put the value in quotes: {key}: {quoted})", line, column)
    return _explained(f"the value of '{key}' contains ': ', which YAML reads as the start of "
                     f"another key; put the value in quotes: {key}: {quoted}", line, column,
                     Fix("put the value in quotes",
                         (Edit(line, column, line, column + len(text), quoted),)))


def _field_names() -> set[str]:
    """Every field name of the procedure format (a ``word: `` inside a value that is one of
    them is more likely a second field on the line than text)."""
    from procflow.model import Procedure

    names: set[str] = set()
    todo: list[type[BaseModel]] = [Procedure]
    while todo:
        model = todo.pop()
        for name, info in model.model_fields.items():
            names.add(name)
            inner = unwrap(info.annotation)
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in todo:
                todo.append(inner)
    return names


def _quote(text: str) -> str:
    """``text`` as a YAML quoted scalar: double quotes, or single when it holds a ``"``."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_CHECKS: list[Callable[[_Error], Located | None]] = [
    _unclosed_quote, _unclosed_bracket, _missing_space, _text_after_quote, _bad_indentation,
    _colon_in_value,
]

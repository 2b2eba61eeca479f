"""The jinja2 environments that turn view models into pages, and the template search path.

Search order for a template name: the user's folder (``--templates DIR`` or ``templates:`` in
procflow.yaml), then the packaged defaults. The packaged defaults are also reachable as
``default/<name>``, so a user template can ``{% extends "default/procedure.md.j2" %}`` and
replace single blocks while keeping its own file the same name (pdoc's pattern).

Two environments share that search path: ``*.html.j2`` autoescape HTML; every other template
(Markdown) prints values through ``markdown.escape`` (see ``_markdown_finalize``). Both use ``StrictUndefined``: a field
that does not exist is an error naming the template, the line and the field, never an empty
string. Template errors become ``TemplateProblem`` (exit 2).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from procflow.errors import ProcflowError, UsageError
from procflow.render import markdown


class TemplateProblem(ProcflowError):
    """A template that does not parse, is missing, or names a field that does not exist."""


def builtin_dir() -> Path:
    """The packaged default templates (``templates/`` of the source tree, in the wheel)."""
    return Path(str(resources.files("procflow").joinpath("templates")))


def _markdown_finalize(value: Any) -> Any:
    """Every printed value escaped for Markdown; template output (``Markup``) as is. The
    environment autoescapes so that blocks, ``super()`` and macros give ``Markup``."""
    return value if isinstance(value, Markup) else markdown.Raw(markdown.escape(value))


class Templates:
    """Renders named templates from the user's folder or the packaged defaults."""

    def __init__(self, user_dir: Path | None = None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise UsageError(f"templates folder not found: {user_dir}")
        builtin = builtin_dir()
        self.user_dir = user_dir
        self.folders = [folder for folder in (user_dir, builtin) if folder is not None]
        loader = jinja2.ChoiceLoader([
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(builtin)}),
            jinja2.FileSystemLoader(self.folders),
        ])
        common: dict[str, Any] = {
            "loader": loader, "undefined": jinja2.StrictUndefined, "trim_blocks": True,
            "lstrip_blocks": True, "keep_trailing_newline": True, "auto_reload": False,
        }
        self._markdown = jinja2.Environment(autoescape=True, finalize=_markdown_finalize, **common)
        self._html = jinja2.Environment(autoescape=True, **common)
        self._markdown.filters.update(quote=markdown.quote, fence=markdown.fence,
                                      join=markdown.join)

    def render(self, name: str, **context: Any) -> str:
        from procflow.loader import display_path

        environment = self._html if name.endswith(".html.j2") else self._markdown
        try:
            return environment.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as error:
            shown = display_path(Path(error.filename)) if error.filename else error.name
            raise TemplateProblem(f"template {shown}, line {error.lineno}: "
                                  f"{error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise TemplateProblem(f"template '{error.name}' not found in "
                                  f"{' or '.join(map(str, self.folders))}") from None
        except (jinja2.TemplateError, ProcflowError) as error:
            raise TemplateProblem(f"{_where(error, name)}: {_what(error)}") from None


def _where(error: BaseException, name: str) -> str:
    """``template FILE, line N`` of the innermost template frame of the error."""
    from procflow.loader import display_path

    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename.endswith(".j2")]
    if not frames:
        return f"template {name}"
    return f"template {display_path(Path(frames[-1].filename))}, line {frames[-1].lineno}"


_UNDEFINED_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^'(?P<field>[^']+)' is undefined$"),
     lambda m: f"unknown field '{m['field']}'"),
    (re.compile(r"^'(?P<owner>.+?)' has no attribute '(?P<field>[^']+)'$"),
     lambda m: f"unknown field '{m['field']}' (of {_short(m['owner'])})"),
]


def _short(owner: str) -> str:
    owner = owner.removesuffix(" object")
    return owner.rsplit(".", 1)[-1]


def _what(error: BaseException) -> str:
    message = str(error)
    if isinstance(error, jinja2.UndefinedError):
        for pattern, explain in _UNDEFINED_PATTERNS:
            match = pattern.match(message)
            if match:
                return explain(match)
    return message

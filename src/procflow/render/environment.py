"""The jinja2 environments that turn view models into pages, and the template search path.

Search order for a template name: the user's folder (``--templates DIR`` or ``templates:`` in
procflow.yaml), then the packaged defaults. The packaged defaults are also reachable as
``default/<name>``, so a user template can ``{% extends "default/procedure.md.j2" %}`` and
replace single blocks while keeping its own file the same name (pdoc's pattern).

Two environments share that search path: ``*.html.j2`` autoescape HTML; every other template
(Markdown) prints values through ``markdown.escape`` (see ``_MarkdownEnvironment``). Both use
``StrictUndefined``: a field that does not exist is an error naming the template, the line and
the field, never an empty string. Template errors become ``TemplateProblem`` (exit 2). Both are
jinja2's ``ImmutableSandboxedEnvironment``: a template (the user's come from the repository,
so from pull requests) reaches no Python internals (``cycler.__init__.__globals__``) and
changes no value it is given.

Compiling the templates is the dearest part of a small run, so ``templates(source)`` keeps
them compiled, with the labels read from the same folders, for as long as the process runs
and no file in the folders changes (``source`` takes their state at the start of a run).
"""

from __future__ import annotations

import os
import re
import traceback
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg
from markupsafe import Markup

from procflow.errors import ProcflowError, UsageError
from procflow.markup import markdown
from procflow.render.i18n import Labels


class TemplateProblem(ProcflowError):
    """A template that does not parse, is missing, or names a field that does not exist."""


def builtin_dir() -> Path:
    """The packaged default templates (``templates/`` of the source tree, in the wheel)."""
    return Path(str(resources.files("procflow.templates")))


def _markdown_finalize(value: Any) -> Any:
    """Every printed value escaped for Markdown; ``Markup`` (what procflow built, and the
    output of templates, blocks, ``super()`` and macros) as is. A value that could open a
    block is marked; ``render`` settles the marks once the page's lines are known."""
    if type(value) is str:  # most values: one cached look-up
        return markdown.marked(value)
    if isinstance(value, Markup):
        return value
    return markdown.marked(str(value)) if value is not None else ""


def _markdown_concat(parts: Iterable[str]) -> markdown.Raw:
    return markdown.Raw("".join(parts))


_METHODS = (types.MethodType, types.BuiltinMethodType)


class _Sandbox(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox with its verdict on an attribute remembered per type of
    object and name: the verdict depends on nothing else (the attribute's value is not
    consulted), and a page looks up thousands of attributes (a fifth of rendering time)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}
        self._plain: dict[object, bool] = {}  # callable -> safe and wants no jinja context

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` as jinja's sandbox gives it, without its checks when the
        attribute was found safe on this type before and its value is not a method (only a
        method can be ``str.format``, which the sandbox wraps)."""
        if self._safe.get((type(obj), attribute)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if not isinstance(value, _METHODS):
                    return value
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        """``__obj(*args, **kwargs)`` as the sandbox calls it, its checks remembered for
        what a page calls hundreds of times (the labels, a view's methods): per function
        for a bound method (whose attributes are its function's) and per type for the
        labels. A callable that the sandbox refuses or that wants the context (jinja's
        ``pass_context``...) always takes the sandbox's own way."""
        kind = type(__obj)
        key = __obj.__func__ if kind is types.MethodType else kind if kind is Labels else None
        if key is not None:
            plain = __self._plain.get(key)
            if plain is None:
                plain = __self._plain[key] = __self.is_safe_callable(__obj) and not any(
                    _PassArg.from_obj(part) for part in (__obj, __obj.__call__))
            if plain:
                kwargs.pop("_loop_vars", None)  # what jinja passes for a context it is
                kwargs.pop("_block_vars", None)  # not asked for
                try:
                    return __obj(*args, **kwargs)
                except StopIteration:  # as jinja's Context.call
                    return __self.undefined("value was undefined because a callable raised "
                                            "a StopIteration exception")
        return super().call(__context, __obj, *args, **kwargs)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


class _MarkdownEnvironment(_Sandbox):
    """No HTML autoescaping: ``finalize`` escapes for Markdown, and the output of a template,
    a block or a macro is ``Raw`` (jinja's ``NativeEnvironment`` also replaces ``concat``)."""

    concat = staticmethod(_markdown_concat)


@dataclass(frozen=True)
class Source:
    """The templates of a run: the user's folder (None: only the packaged defaults) and the
    name, size and time of change of every file in the folders when the run started."""

    user_dir: Path | None
    state: tuple[tuple[str, int, int], ...]


def source(user_dir: Path | None) -> Source:
    """The templates as they are now; a missing folder is a usage error."""
    if user_dir is not None and not user_dir.is_dir():
        raise UsageError(f"templates folder not found: {user_dir}")
    state = [(str(path), info.st_size, info.st_mtime_ns)
             for folder in _folders(user_dir) for path in sorted(folder.rglob("*"))
             if path.is_file() and (info := path.stat())]
    return Source(user_dir, tuple(state))


_compiled: dict[Source, Templates] = {}
_KEEP = 4  # sources kept compiled at once (tests and long-lived callers render many)


def templates(current: Source) -> Templates:
    """The templates of ``current``, compiled once per process while their files stay the
    same."""
    found = _compiled.get(current)
    if found is None:
        while len(_compiled) >= _KEEP:
            del _compiled[next(iter(_compiled))]
        found = _compiled[current] = Templates(current.user_dir)
    return found


def _folders(user_dir: Path | None) -> list[Path]:
    return [folder for folder in (user_dir, builtin_dir()) if folder is not None]


class _ContainedLoader(jinja2.FileSystemLoader):
    """jinja's ``FileSystemLoader`` that does not read a template leading, through a symbolic
    link, out of its folder: the user's templates come from the repository, so a pull request
    could otherwise ``{% include %}`` ``~/.git-credentials`` into the published site."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        for folder in self.searchpath:
            candidate = os.path.join(folder, *split_template_path(template))
            if os.path.isfile(candidate):
                real_folder = os.path.realpath(folder)
                if not os.path.realpath(candidate).startswith(real_folder + os.sep):
                    raise TemplateProblem(f"template {template}: a symbolic link out of the "
                                          "templates folder; not read")
                break
        return super().get_source(environment, template)


class Templates:
    """Renders named templates from the user's folder or the packaged defaults, and gives the
    labels of a language from the catalogues in the same folders."""

    def __init__(self, user_dir: Path | None = None) -> None:
        self.user_dir = user_dir
        self.folders = _folders(user_dir)
        self._labels: dict[str, Labels] = {}
        loader = jinja2.ChoiceLoader([
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(self.folders[-1])}),
            _ContainedLoader(self.folders),
        ])
        common: dict[str, Any] = {
            "loader": loader, "undefined": jinja2.StrictUndefined, "trim_blocks": True,
            "lstrip_blocks": True, "keep_trailing_newline": True, "auto_reload": False,
        }
        self._markdown = _MarkdownEnvironment(finalize=_markdown_finalize, **common)
        self._html = _Sandbox(autoescape=True, **common)
        self._markdown.filters.update(quote=markdown.quote, fence=markdown.fence,
                                      join=markdown.join)

    def labels(self, language: str) -> Labels:
        """The labels of ``language`` (catalogues read once)."""
        found = self._labels.get(language)
        if found is None:
            found = self._labels[language] = Labels(language, self.folders)
        return found

    def render(self, name: str, **context: Any) -> str:
        from procflow.findings import display_path

        environment = self._html if name.endswith(".html.j2") else self._markdown
        try:
            text = environment.get_template(name).render(**context)
            return text if environment is self._html else markdown.settle(text)
        except jinja2.TemplateSyntaxError as error:
            shown = display_path(Path(error.filename)) if error.filename else error.name
            raise TemplateProblem(f"template {shown}, line {error.lineno}: "
                                  f"{error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise TemplateProblem(f"template '{error.name}' not found in "
                                  f"{' or '.join(map(str, self.folders))}") from None
        except (jinja2.TemplateError, ProcflowError) as error:
            raise TemplateProblem(f"{_where(error, name)}: {_what(error)}") from None
        except Exception as error:  # a user's template that fails as it runs: exit 2
            if not self._from_user_template(error):
                raise  # a default template failing is procflow's bug (exit 3)
            raise TemplateProblem(f"{_where(error, name)}: {_what(error)}") from None

    def _from_user_template(self, error: BaseException) -> bool:
        if self.user_dir is None:
            return False
        folder = self.user_dir.resolve()
        return any(Path(frame.filename).resolve().is_relative_to(folder)
                   for frame in _template_frames(error))


def _template_frames(error: BaseException) -> list[traceback.FrameSummary]:
    return [frame for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".j2")]


def _where(error: BaseException, name: str) -> str:
    """``template FILE, line N`` of the innermost template frame of the error."""
    from procflow.findings import display_path

    frames = _template_frames(error)
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
    if isinstance(error, RecursionError):
        return ("the template recurses without end: a file that extends or includes itself "
                '(to build on the default, write {% extends "default/<name>" %}) or a macro '
                "that calls itself")
    if not isinstance(error, (jinja2.TemplateError, ProcflowError)):
        return f"{type(error).__name__}: {message}"
    if isinstance(error, jinja2.UndefinedError):
        for pattern, explain in _UNDEFINED_PATTERNS:
            match = pattern.match(message)
            if match:
                return explain(match)
    return message

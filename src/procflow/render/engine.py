"""Diagram images: DOT text -> SVG or PNG bytes, drawn in-process by the Graphviz that the
pygraphviz wheel bundles.

pygraphviz 2 wheels bundle Graphviz (the layout and render plugins, pango and cairo), so a
plain ``pip install`` is enough and no ``dot`` process starts per diagram.

Owns: finding the engine, the one-line message when there is none, and keeping the harmless
warnings of the C libraries' first use off stderr. Must not: build DOT (``dot_writer.py``) or
write files.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
import tempfile
from collections.abc import Iterator
from types import ModuleType
from typing import Literal

from procflow.errors import EnvironmentProblem

INSTALL_HINT = ("no diagram engine for svg/png: run 'pip install \"pygraphviz>=2\"' (its wheels "
                "include Graphviz); md, html without the picture, and dot need none")
_HARMLESS = (
    # the fontconfig inside the wheel reading a newer system configuration, once
    b'unknown element "reset-dirs"',
    # Graphviz sizing text without pango (built-in metrics), the first letter outside ASCII
    b"no value for width of non-ASCII character",
)


@functools.cache
def _pygraphviz() -> ModuleType | None:
    try:
        return importlib.import_module("pygraphviz")
    except ImportError:  # not installed, or pygraphviz 1.x without the Graphviz libraries
        return None


def available() -> bool:
    """Whether ``draw`` can make images on this machine."""
    return _pygraphviz() is not None


def draw(dot: str, fmt: Literal["svg", "png"]) -> bytes:
    """``dot`` drawn as ``fmt``, with the layout engine the graph names (``layout=``; ``dot``
    when it names none). Raises EnvironmentProblem when no engine is installed or the
    installed Graphviz cannot draw ``fmt``."""
    pygraphviz = _pygraphviz()
    if pygraphviz is None:
        raise EnvironmentProblem(INSTALL_HINT)
    try:
        return _draw_with_pygraphviz(pygraphviz, dot, fmt)
    except pygraphviz.DotError as error:  # the engine is there; it refused this graph
        raise EnvironmentProblem(f"Graphviz refused the {fmt} diagram ({error}); the engine "
                                 "is installed, the graph is the problem (please report it)"
                                 ) from None
    except (ValueError, TypeError) as error:  # a missing layout or output plugin
        raise EnvironmentProblem(f"Graphviz cannot draw {fmt} here ({error}); "
                                 f"{INSTALL_HINT.split(': ', 1)[1]}") from None


_pygraphviz_used = False


def _draw_with_pygraphviz(pygraphviz: ModuleType, dot: str, fmt: str) -> bytes:
    global _pygraphviz_used
    graph = pygraphviz.AGraph(string=dot)
    prog = graph.graph_attr.get("layout") or "dot"
    first, _pygraphviz_used = not _pygraphviz_used, True
    with _quiet() if first else contextlib.nullcontext():
        return bytes(graph.draw(format=fmt, prog=prog))


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Catch what the C libraries print on file descriptor 2 meanwhile, and pass on all but
    the known harmless lines."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            kept = [line for line in sink.read().splitlines(keepends=True)
                    if not any(noise in line for noise in _HARMLESS)]
            if kept:
                sys.stderr.write(b"".join(kept).decode(errors="replace"))
                sys.stderr.flush()

"""Diagram images: DOT text -> SVG or PNG bytes, drawn in-process by pygraphviz.

pygraphviz 2 wheels bundle Graphviz (the layout and render plugins, pango and cairo), so a
plain ``pip install`` is enough and no ``dot`` process starts per diagram. Owns: finding the
engine, the one-line message when there is none, and keeping the bundled fontconfig's start-up
warning about the system's newer configuration off stderr. Must not: build DOT (``graph.py``)
or write files.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import tempfile
from types import ModuleType
from typing import Literal

from procflow.errors import EnvironmentProblem

INSTALL_HINT = ("no diagram engine for svg/png: run 'pip install \"pygraphviz>=2\"' (its wheels "
                "include Graphviz); md, html without the picture, and dot need none")
# Printed once by the fontconfig inside the wheel when it reads a newer system configuration.
_HARMLESS = (b'unknown element "reset-dirs"',)


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
    graph = pygraphviz.AGraph(string=dot)
    prog = graph.graph_attr.get("layout") or "dot"
    try:
        with _quiet_first_use():
            return bytes(graph.draw(format=fmt, prog=prog))
    except (ValueError, TypeError) as error:  # a missing layout or output plugin
        raise EnvironmentProblem(f"Graphviz cannot draw {fmt} here ({error}); "
                                 f"{INSTALL_HINT.split(': ', 1)[1]}") from None


_warmed = False


class _quiet_first_use:
    """On the first drawing of the process, catch what Graphviz's C libraries print on file
    descriptor 2 and pass on all but the known harmless lines."""

    def __enter__(self) -> None:
        global _warmed
        self.active = not _warmed
        _warmed = True
        if self.active:
            sys.stderr.flush()
            self.saved = os.dup(2)
            self.sink = tempfile.TemporaryFile()
            os.dup2(self.sink.fileno(), 2)

    def __exit__(self, *exc: object) -> None:
        if not self.active:
            return
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.sink.seek(0)
        kept = [line for line in self.sink.read().splitlines(keepends=True)
                if not any(noise in line for noise in _HARMLESS)]
        self.sink.close()
        if kept:
            sys.stderr.write(b"".join(kept).decode(errors="replace"))
            sys.stderr.flush()

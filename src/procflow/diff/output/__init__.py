"""The reports of ``procflow diff``, one module per format, chosen from a name -> function
table (imported when used). A reporter turns a ``DiffReport`` into text (or, for the
terminal, a ``rich`` Text whose colours only show on a terminal); it writes nothing itself."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from procflow.diff.changes import DiffReport

if TYPE_CHECKING:  # only the terminal report needs rich
    from rich.text import Text

Reporter = Callable[[DiffReport], "str | Text"]
REPORTERS = {"text": "text:text_report", "md": "markdown:markdown_report",
             "json": "jsondoc:json_report", "html": "page:html_report"}


def reporter(name: str) -> Reporter:
    module, function = REPORTERS[name].split(":")
    found: Reporter = getattr(importlib.import_module(f"procflow.diff.output.{module}"), function)
    return found

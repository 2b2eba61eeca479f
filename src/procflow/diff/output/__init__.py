"""The reports of ``procflow diff``, chosen by name from ``FORMATS``. Like every reporter
(validate's in ``procflow.report``, review's in ``procflow.review``), a reporter writes a
result to a stream: ``reporter(report, stream)``. The modules beside this one build the
text of each format; colour, on a terminal only, comes from ``procflow.markup.terminal``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from procflow.diff.changes import DiffReport
from procflow.diff.output import jsondoc, markdown, page, text

Reporter = Callable[[DiffReport, TextIO], None]


def _text(report: DiffReport, stream: TextIO) -> None:
    from procflow.markup.terminal import console

    console(stream).print(text.text_report(report), end="")


def _markdown(report: DiffReport, stream: TextIO) -> None:
    stream.write(markdown.markdown_report(report))


def _json(report: DiffReport, stream: TextIO) -> None:
    stream.write(jsondoc.json_report(report))


def _html(report: DiffReport, stream: TextIO) -> None:
    stream.write(page.html_report(report))


FORMATS: dict[str, Reporter] = {"text": _text, "md": _markdown, "json": _json, "html": _html}

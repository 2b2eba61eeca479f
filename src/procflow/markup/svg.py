"""Graphviz SVG made ready to sit inside an HTML page (procedure pages and the diff page)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_SVG_START = re.compile(rb"<svg\b")


def inline_svg(svg: bytes, procedure_id: str, label: str) -> Markup:
    """Graphviz SVG ready to sit inside an HTML page: no XML prolog, DOCTYPE or comments
    before the ``<svg>`` element, which gets ``role="img"`` and an accessible name."""
    start = _SVG_START.search(svg)
    if start is None:
        raise ValueError(f"the diagram engine returned no <svg> element for {procedure_id}")
    body = svg[start.start():].decode("utf-8")
    return Markup(f'<svg role="img" aria-label="{escape(label)}" '
                  f'class="diagram"{body[len("<svg"):]}')

"""Regenerate the golden files of procflow render:  python tests/golden/refresh.py

Renders every procedure in the project's procedures/ folder, with role cards, on a pinned date,
and writes beside this file: <id>.md, <id>.html, <id>.dot, the Mermaid flowchart of each page
as <id>.mmd, the role cards and the catalog. In the HTML the inline diagram is replaced by a
placeholder: its SVG depends on the Graphviz build and fonts (the DOT golden covers the diagram).
Read the diff before committing it. tests/test_render_golden.py compares against these files.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TODAY = dt.date(2027, 4, 5)  # two of the samples are overdue on this day
SVG = re.compile(r"<svg role=\"img\".*?</svg>", re.DOTALL)
MERMAID = re.compile(r"^```mermaid\n(.*?)^```$", re.DOTALL | re.MULTILINE)
COMMAND = "python tests/golden/refresh.py"


def render_all() -> dict[str, str]:
    """File name -> text of every golden file, freshly rendered."""
    from procflow.procedures import discover
    from procflow.render import render_site

    files: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        render_site(discover([ROOT / "procedures"]), Path(folder), ("md", "html", "dot"),
                    by_role=True, today=TODAY, jobs=1)
        for path in sorted(Path(folder).glob("[!.]*")):  # not the manifest
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".html":
                text = SVG.sub("<svg><!-- the diagram: see the .dot golden --></svg>", text)
            files[path.name] = text
    for procedure_id in [name.removesuffix(".dot") for name in files if name.endswith(".dot")]:
        found = MERMAID.search(files[f"{procedure_id}.md"])
        if found:
            files[f"{procedure_id}.mmd"] = found.group(1)
    return files


def golden_files() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(HERE.iterdir())
            if path.suffix in (".md", ".html", ".dot", ".mmd")}


def main() -> None:
    fresh = render_all()
    for name in set(golden_files()) - set(fresh):
        (HERE / name).unlink()
    for name, text in fresh.items():
        (HERE / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(fresh)} golden files into {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()

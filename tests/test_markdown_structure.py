"""The Markdown pages parsed by the parsers of the wikis they land in: markdown-it-py with
CommonMark, GFM tables and task lists (GitHub, GitLab, Azure DevOps) and Python-Markdown with
the extensions MkDocs uses. Asserted on the HTML structure: one task list per step with the
details not in it, every table row with its header's column count, every internal link
resolving to an anchor on the page."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


class _Tree(HTMLParser):
    """The few facts the assertions need, gathered in one pass."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.lists: list[list[str]] = []  # per top-level <ul>: the text of its items
        self.rows: list[int] = []  # cells per row, per table
        self.tables: list[list[int]] = []
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.anchors.add(str(values["id"]))
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.append(str(values["href"])[1:])
        if tag == "ul" and "ul" not in self.stack and "table" not in self.stack:
            self.lists.append([])
        if tag == "li" and self.lists and self.stack.count("ul") == 1:
            self.lists[-1].append("")
        if tag == "input" and self.lists and "li" in self.stack:
            self.lists[-1][-1] += "[box]"
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append(0)
        if tag in ("td", "th"):
            self.tables[-1][-1] += 1
        if tag not in ("input", "br", "img", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.lists and "li" in self.stack and self.stack.count("ul") == 1 and self.lists[-1]:
            self.lists[-1][-1] += data


def _commonmark(text: str) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    return MarkdownIt("commonmark", {"html": True}).enable("table").use(
        tasklists_plugin).render(text)


def _python_markdown(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html",
                                               "pymdownx.tasklist"])


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from procflow.procedures import discover
    from procflow.render import render_site

    out = tmp_path_factory.mktemp("site")
    render_site(discover([REPO / "procedures", REPO / "tests" / "data" / "valid" / "procedures"]
                         [:1]), out, ("md",), by_role=True, today=dt.date(2026, 6, 1))
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(out.glob("*.md"))}


@pytest.mark.parametrize("parse", [_commonmark, _python_markdown], ids=["gfm", "mkdocs"])
def test_each_step_has_one_task_list_apart_from_its_details(pages: dict[str, str],
                                                            parse: object) -> None:
    checked = 0
    for name, text in pages.items():
        if name == "index.md":
            continue
        for block in re.split(r"\n(?=### )", text)[1:]:
            block = block.split("\n## ", 1)[0]
            tree = _Tree()
            tree.feed(parse(block))  # type: ignore[operator]
            task_lists = [items for items in tree.lists if any("[box]" in i for i in items)]
            boxes = block.count("\n- [ ] ")
            if not boxes:
                continue
            checked += 1
            assert len(task_lists) == 1, (name, block)
            assert all(item.startswith("[box]") for item in task_lists[0]), (name, block)
            assert len(task_lists[0]) == boxes
            assert not any("[box]" in item for items in tree.lists if items is not task_lists[0]
                           for item in items)
    assert checked > 10


@pytest.mark.parametrize("parse", [_commonmark, _python_markdown], ids=["gfm", "mkdocs"])
def test_tables_keep_their_columns_and_links_find_their_anchors(pages: dict[str, str],
                                                                parse: object) -> None:
    tables = links = 0
    for name, text in pages.items():
        tree = _Tree()
        tree.feed(parse(text))  # type: ignore[operator]
        tables, links = tables + len(tree.tables), links + len(tree.links)
        for rows in tree.tables:
            assert len(set(rows)) == 1, (name, rows)
        missing = [link for link in tree.links if link not in tree.anchors]
        assert missing == [], (name, missing)
    assert tables > 20 and links > 50

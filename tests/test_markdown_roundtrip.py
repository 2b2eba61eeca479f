"""Markdown escaping escapes only what a target needs, and every escaped value reads back as
written: rendered by markdown-it-py (CommonMark with GFM tables, strikethrough and task lists,
as GitHub, GitLab and Azure DevOps read it) and Python-Markdown (tables, attr_list,
md_in_html, tasklist: MkDocs), the visible text of a value in every place a page puts one is
the original text, and it makes no element of its own. Over the hostile corpus and a
hypothesis strategy of syntax-heavy text."""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable
from pathlib import Path

import markdown as python_markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from procflow.markup.markdown import Raw, escape, marked, settle

HOSTILE_DIR = Path(__file__).parent / "data" / "hostile"


def commonmark(text: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable(
        "strikethrough").use(tasklists_plugin).render(text)


def mkdocs(text: str) -> str:
    return python_markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html",
                                                      "pymdownx.tasklist"])


RENDERERS: list[Callable[[str], str]] = [commonmark, mkdocs]

#: where a page puts a value: (Markdown around it, the elements that context makes itself)
CONTEXTS = {
    "paragraph": ("{}\n", {"p"}),
    "after a label": ("- **Label:** {}\n", {"ul", "li", "strong"}),
    "list item": ("- {}\n", {"ul", "li"}),
    "task": ("- [ ] {}\n", {"ul", "li", "input", "label", "span"}),
    "quote": ("> {}\n", {"blockquote", "p"}),
    "heading": ("### <a id=\"step-x\"></a>Step 1: {}\n", {"h3", "a"}),
    "table cell": ("| a | b |\n| --- | --- |\n| {} | next |\n",
                   {"table", "thead", "tbody", "tr", "th", "td"}),
    "link text": ("[{}](#step-x)\n", {"p", "a"}),
}


class Visible(html.parser.HTMLParser):
    """The text a reader sees (``<br>`` as a newline), every tag seen, and the text of the
    first table data cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.cell: list[str] | None = None  # the first <td>'s text, while it is open
        self.cells: list[list[str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "td" and not self.cells:
            self.cell = []
            self.cells.append(self.cell)
        if tag == "br":
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None

    def handle_comment(self, data: str) -> None:
        self.tags.add("!--")

    def handle_data(self, data: str) -> None:
        self._add(data)

    def _add(self, text: str) -> None:
        self.text.append(text)
        if self.cell is not None:
            self.cell.append(text)


def shown(markup: str) -> Visible:
    parser = Visible()
    parser.feed(markup)
    parser.close()
    return parser


def normal(text: str) -> str:
    """What a reader sees of text, blanks aside: a browser shows a run of blanks as one
    (Python-Markdown turns tabs into spaces), and parsers trim a paragraph's and a cell's
    ends (indentation is kept as no-break spaces)."""
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip(" ") for line in text.split("\n")]
    return "\n".join(line for line in lines).strip("\n")


def placed(value: str, context: str, page_mode: bool) -> str:
    """The Markdown of ``value`` in ``context``: as page templates print it (``marked``, then
    ``settle``), or as other callers do (``escape``)."""
    template, _ = CONTEXTS[context]
    before, after = template.split("{}")
    if page_mode:
        return settle(Raw(before) + marked(value) + Raw(after))
    return before + escape(value) + after


def check_round_trip(value: str) -> None:
    expected = normal(value.replace("\r\n", "\n").replace("\r", "\n"))
    for context, (_, own_tags) in CONTEXTS.items():
        for page_mode in (True, False):
            source = placed(value, context, page_mode)
            for render in RENDERERS:
                page = shown(render(source))
                where = f"{context}, {render.__name__}, page mode {page_mode}: {source!r}"
                assert page.tags <= own_tags | {"p", "br"}, where
                text = normal("".join(page.cells[0] if context == "table cell"
                                      else page.text))
                text = text.removeprefix({"heading": "Step 1:",
                                          "after a label": "Label:"}.get(context, ""))
                assert normal(text) == expected, where


def hostile_texts() -> list[str]:
    """Every text of the hostile corpus (the files that load as YAML)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.strip():
            found.append(value)

    for path in sorted(HOSTILE_DIR.glob("*.y*ml")):
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
    return list(dict.fromkeys(found))


HOSTILE_TEXTS = hostile_texts()


def test_the_corpus_has_texts() -> None:
    assert len(HOSTILE_TEXTS) > 50


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_every_hostile_text_reads_back_as_written_everywhere(value: str) -> None:
    if len(value) > 2000:
        value = value[:2000]
    check_round_trip(value)


#: text made of the pieces Markdown reads as syntax, with words and blanks between them
PIECES = st.sampled_from([
    "\\", "`", "*", "_", "[", "]", "{", "}", "#", "|", "&", "<", ">", "~", "!", "(", ")",
    "-", "+", "=", ":", ".", "1", "a", "b", "é", " ", " ", "\t", "\n", "{{", "}}", "{:",
    "&amp;", "&#35;", "&copy;", "<b>", "</i>", "<!--", "-->", "http://x.example", "a@b.c",
    "- ", "1. ", "2) ", "> ", "# ", "---", "===", "```", "~~~", "[x]", "](y)", "![", "\\\n",
    "case_id", "_a_", "**", "__", "{.c}", "{#i}", "{k=v}", "\ue000",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join))
def test_any_syntax_heavy_text_reads_back_as_written_everywhere(value: str) -> None:
    if not value.strip():
        return
    check_round_trip(value)


@pytest.mark.parametrize("value", ["{{ case_id }}", ">= 80%", "snake_case_name", "a_b",
                                   "Q&A", "a < b", "x <= 4h", "Press 1 # then", "50% -> 70%"])
def test_text_no_target_needs_escaped_is_written_as_it_is(value: str) -> None:
    for context in ("after a label", "table cell", "heading", "link text"):
        source = placed(value, context, page_mode=True)
        assert value in source, (context, source)
    if not value.startswith(">"):  # it opens no block
        assert escape(value) == value


@pytest.mark.parametrize(("value", "at_line_start"), [
    (">= 80%", "&gt;= 80%"), ("# 1", "\\# 1"), ("- x", "&#45; x"), ("1. x", "1\\. x"),
    ("#hashtag", "\\#hashtag"), ("---", "&#45;--")])
def test_a_value_that_opens_a_line_is_escaped_only_there(value: str, at_line_start: str) -> None:
    assert placed(value, "paragraph", page_mode=True) == at_line_start + "\n"
    assert placed(value, "list item", page_mode=True) == "- " + at_line_start + "\n"
    assert placed(value, "quote", page_mode=True) == "> " + at_line_start + "\n"
    assert value in placed(value, "table cell", page_mode=True)
    assert value in placed(value, "after a label", page_mode=True)
    assert escape(value) == at_line_start  # outside page templates: as if it opened a line


@pytest.mark.parametrize(("value", "written"), [
    ("{ case_id }", "\\{ case_id }"),  # attr_list would take it as an attribute
    ("Title {.warning}", "Title \\{.warning}"), ("x {: #id}", "x \\{: #id}"),
    ("_under_", "\\_under\\_"), ("Press #", "Press \\#"),  # closing hashes of a heading
    ("a &amp; b", "a &amp;amp; b"), ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"), ("a <3", "a &lt;3"),
    ("C:\\temp\\", "C:\\temp\\\\"), ("\\*", "\\\\\\*"), ("~~x~~", "&#126;&#126;x&#126;&#126;"),
])
def test_what_a_target_needs_is_escaped_with_its_reason(value: str, written: str) -> None:
    assert escape(value) == written
    check_round_trip(value)


def test_a_backslash_before_a_private_use_character_reads_back() -> None:
    """Found by hypothesis: the character is written as a reference (`&#57344;`), so the
    backslash before it needs its own escape or it would escape the `&`."""
    check_round_trip("\\\ue000")


@pytest.mark.parametrize("value", ["]:", "a ]: b", "{:}", "{}", "x {: }"])
def test_found_by_a_longer_search_read_back(value: str) -> None:
    """A reference definition `[\\]:](...)` and an empty attribute list at a heading's end
    (Python-Markdown reads both)."""
    check_round_trip(value)


def test_an_attribute_list_closed_on_a_later_line_of_the_value_reads_back() -> None:
    """The lines of a value are joined by `<br>` into one source line (found by hypothesis)."""
    check_round_trip("{{\n{.c}")
    assert escape("{{ case_id }}\nand {{ name }}") == "{{ case_id }}<br>and {{ name }}"


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(), st.lists(PIECES, min_size=1, max_size=8).map("".join)),
       st.booleans())
def test_text_the_quick_test_passes_escapes_as_the_long_way_would(value: str,
                                                                  line_start: bool) -> None:
    # escaping takes a short cut for text no escape acts on (most of a page); it must
    # give what escaping line by line gives
    from procflow.markup.markdown import _escape_lines, _escape_text

    assert _escape_text.__wrapped__(value, line_start) == _escape_lines(value, line_start)

"""Hostile user text through the Markdown and HTML pages: it must show exactly as written,
never become markup (raw HTML, links, emphasis, headings, table cells, template code).

Markdown is checked by rendering it with two real parsers: markdown-it (CommonMark, as GitHub,
GitLab and Azure DevOps follow it) and Python-Markdown with tables (as MkDocs runs it)."""

from __future__ import annotations

import datetime as dt
import html.parser
from pathlib import Path
from typing import Any

import markdown as python_markdown
import pytest
import yaml
from markdown_it import MarkdownIt

HOSTILE = [
    "<script>alert(1)</script>", "<b>bold</b> & <i>x</i>", "{{ 7*7 }}", "{% include 'x' %}",
    "end", "subgraph", "Say \"hi\" and 'bye'", "a | b || c", "[link](http://evil.example)",
    "![img](x.png)", "C:\\temp\\N\\", "\\|", "line one\nline two", "# not a heading",
    "- not a list", "1. not a list", "> not a quote", "---", "*star* _under_ `code`",
    "Zażółć gęślą jaźń", "Příliš žluťoučký kůň úpěl ďábelské ódy", "emoji 🚀✅",
    "&amp; &lt; &#169;", "~~strike~~", "<!-- comment -->", "http://example.com/<x>", "a\\\nb",
    "<https://autolink.example>", "===", "+ plus", ": colon", "2) two", "[x]: http://ref.example",
]
CORPUS = sorted((Path(__file__).parent / "data" / "hostile").glob("*.y*ml"))
TEXT_TAGS = {"p", "br"}


class Visible(html.parser.HTMLParser):
    """The text a reader sees (``<br>`` as a newline) and the elements that carry it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "br":
            self.text.append("\n")
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        if data.strip() != "procflow: the checklist":  # the template's own list separator
            self.tags.append("!--")


def visible(markup: str) -> Visible:
    parser = Visible()
    parser.feed(markup)
    parser.close()
    return parser


def commonmark(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)


def mkdocs(text: str) -> str:
    return python_markdown.markdown(text, extensions=["tables"])


RENDERERS = [pytest.param(commonmark, id="commonmark"), pytest.param(mkdocs, id="python-markdown")]


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_shows_as_written_and_makes_no_markup(render: Any, text: str) -> None:
    from procflow.markup.markdown import escape

    page = visible(render(f"Before {escape(text)} after\n\n{escape(text)}\n"))
    assert set(page.tags) <= TEXT_TAGS, page.tags
    shown = "".join(page.text)
    assert f"Before {text} after" in shown
    assert shown.count(text) >= 2  # and alone in its own paragraph


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_stays_in_its_table_cell(render: Any, text: str) -> None:
    from procflow.markup.markdown import escape

    table = f"| a | b |\n| --- | --- |\n| {escape(text)} | next |\n"
    page = visible(render(table))
    assert page.tags.count("td") == 2, page.tags
    cells = "".join(page.text)
    assert text in cells and cells.rstrip().endswith("next")


@pytest.mark.parametrize("render", RENDERERS)
def test_a_quoted_message_body_shows_verbatim(render: Any) -> None:
    from procflow.markup.markdown import quote

    body = "Dear {{ name }},\n\n  - indented <b>line</b> | pipe\n# hash\n\nBye *now*"
    page = visible(render(quote(body)))
    assert set(page.tags) <= TEXT_TAGS | {"blockquote"}, page.tags
    shown = "".join(page.text).replace("\xa0", " ")
    for line in body.splitlines():
        assert line in shown


def hostile_procedure() -> dict[str, Any]:
    """A valid procedure with hostile text in every free-text field."""
    h = HOSTILE
    return {
        "procflow": 1, "id": "hostile", "title": h[0], "version": "1.0.0", "status": "active",
        "owner": {"name": h[1], "email": "a@example.com"}, "language": "pl", "purpose": h[12],
        "scope": h[8], "customer": {"type": "external", "name": h[7]}, "triggers": [h[2], h[3]],
        "review": {"last": dt.date(2026, 1, 1), "every": "26w"},
        "roles": [{"id": "agent", "name": h[4], "department": h[9],
                   "responsibilities": [h[5], h[6]]},
                  {"id": "lead", "name": h[19]}],
        "steps": [
            {"id": "one", "title": h[13], "role": "agent", "instructions": h[18] + "\n" + h[10],
             "checklist": [h[14], h[15], h[16], h[17]], "tools": [h[11], h[21]],
             "template": "msg", "max_duration": "1h30m"},
            {"id": "two", "title": h[20], "role": "lead",
             "branches": [{"when": h[22], "next": "one"}, {"when": h[23], "next": "three"}]},
            {"id": "three", "title": h[24] + " " + h[25], "role": "agent", "end": True},
        ],
        "slas": [{"id": "s", "name": h[26], "target": "1d"}],
        "escalations": [{"id": "e", "when": h[27], "sla": "s", "to": "lead", "action": h[28]}],
        "templates": [{"id": "msg", "channel": "email", "subject": h[2],
                       "body": "{{ 7*7 }}\n{% include 'x' %}\n" + "\n".join(h[29:])}],
        "kpis": [{"id": "k", "name": h[30], "target": ">= 70% | <b>", "source": h[31],
                  "frequency": h[32]}],
    }


@pytest.fixture
def hostile_site(tmp_path: Path) -> Path:
    from procflow.render import render_site

    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(hostile_procedure(), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "site"
    render_site([source], out, ("md", "html"), by_role=True,
                today=dt.date(2026, 6, 1))
    return out


def every_text(procedure: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                if name not in ("id", "role", "next", "template", "to", "sla", "version",
                                "channel", "type", "status", "language", "email", "procflow"):
                    walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and key not in ("max_duration", "target", "every"):
            found.append(value)

    walk(procedure)
    return found


ALLOWED_MD_TAGS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "a", "table",
                   "thead", "tbody", "tr", "th", "td", "blockquote", "br", "pre", "code", "img"}


@pytest.mark.parametrize("render", RENDERERS)
def test_a_hostile_procedure_renders_to_markdown_that_shows_every_text(
        hostile_site: Path, render: Any) -> None:
    procedure = hostile_procedure()
    for name in ("hostile.md", "hostile--agent.md", "hostile--lead.md", "index.md"):
        page = visible(render((hostile_site / name).read_text(encoding="utf-8")))
        assert set(page.tags) <= ALLOWED_MD_TAGS, (name, set(page.tags) - ALLOWED_MD_TAGS)
        assert page.scripts == 0
    page = visible(render((hostile_site / "hostile.md").read_text(encoding="utf-8")))
    shown = "".join(page.text).replace("\xa0", " ")
    for text in every_text(procedure):
        for line in text.splitlines():
            assert line in shown, line
    assert page.tags.count("h3") == len(procedure["steps"])
    assert page.tags.count("img") == 0  # no diagram image asked; none from user text


def test_a_hostile_procedure_renders_to_html_that_shows_every_text(hostile_site: Path) -> None:
    procedure = hostile_procedure()
    markup = (hostile_site / "hostile.html").read_text(encoding="utf-8")
    page = visible(markup)
    assert page.scripts == 1  # procflow's own
    assert not {"b", "i", "img"} & set(page.tags)
    shown = "".join(page.text)
    for text in every_text(procedure):
        assert text in shown, text
    assert "{{ 7*7 }}" in shown and "49" not in shown
    assert "{% include 'x' %}" in shown
    assert page.tags.count("input") == 5  # 4 checklist items, "step done" of step 3 (2 decides)
    cards = visible((hostile_site / "hostile--agent.html").read_text(encoding="utf-8"))
    assert cards.scripts == 1 and "b" not in cards.tags


@pytest.mark.parametrize("source", CORPUS, ids=[path.name for path in CORPUS])
def test_the_hostile_corpus_renders_without_markup_from_user_text(source: Path,
                                                                  tmp_path: Path) -> None:
    from procflow.procedures import load_procedure
    from procflow.render import render_site

    document = load_procedure(source)
    if document.model is None:
        pytest.skip(f"{source.name} is a loader case: it does not load as a procedure")
    out = tmp_path / "site"
    render_site([source], out, ("md", "html", "dot"), by_role=True, today=dt.date(2026, 6, 1))
    for page in out.glob("*.md"):
        for render in (commonmark, mkdocs):
            seen = visible(render(page.read_text(encoding="utf-8")))
            assert set(seen.tags) <= ALLOWED_MD_TAGS, (page.name, set(seen.tags) - ALLOWED_MD_TAGS)
    for page in out.glob("*.html"):
        seen = visible(page.read_text(encoding="utf-8"))
        assert seen.scripts == (0 if page.name.startswith("index.") else 1), page.name
        assert not {"b", "i", "img", "iframe", "object"} & set(seen.tags), page.name

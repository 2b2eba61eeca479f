"""The Mermaid flowchart: generated ids only, every label quoted and escaped so that no user
text is read as Mermaid syntax or HTML, lanes as subgraphs in declared order. (Mermaid 11 itself parses and renders them in Chromium
in tests/test_mermaid_browser.py; here the escaping is asserted on the text.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from procflow.procedures import load_procedure
from procflow.model import Procedure
from procflow.project import project_for
from procflow.render import diagram, mermaid

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "hostile").glob("*.yaml")) + sorted((DATA / "valid" / "procedures")
                                                           .glob("*.yaml"))
ID = r"(?:s\d+|e\d+|esc\d+)"
LABEL = r'"([^"]*)"'
LINE_SHAPES = [
    r"flowchart TB",
    rf"  subgraph lane\d+\[{LABEL}\]",
    rf"    {ID}(?:\(\[{LABEL}\]\)|\[{LABEL}\]|\{{{LABEL}\}})",
    r"  end",
    rf"  {ID} (?:-->|-\.->)(?:\|{LABEL}\|)? {ID}",
    r"  classDef pf(?:start|end|decision|escalation) [a-z0-9:#,. -]+",
    rf"  class {ID}(?:,{ID})* pf(?:start|end|decision|escalation)",
]
SAFE = re.compile(r'^(?:[^"<>|%:`\\&#]|#(?:\d+|quot|lt|gt|amp);|<br>)*$')


def load(path: Path) -> tuple[Procedure, str]:
    proc = load_procedure(path).model
    return proc, mermaid.to_mermaid(proc, shared_roles=list(project_for(path).shared_roles
                                                            .values()))


def labels(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        match = next((re.fullmatch(shape, line) for shape in LINE_SHAPES
                      if re.fullmatch(shape, line)), None)
        assert match, f"not a line procflow writes: {line!r}"
        found += [group for group in match.groups() if group is not None]
    return found


def decode(label: str) -> str:
    """What Mermaid shows for a label: #123; and #name; are its entity codes."""
    return html.unescape(re.sub(r"#(\d+);", r"&#\1;", re.sub(r"#([a-z]+);", r"&\1;", label)))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_every_line_is_generated_syntax_and_every_label_is_escaped(path: Path) -> None:
    _, text = load(path)
    for label in labels(text):
        assert SAFE.match(label), label
        assert "<script" not in label.lower()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_labels_decode_to_the_text_as_written(path: Path) -> None:
    proc, text = load(path)
    shown = {decode(part) for label in labels(text) for part in label.split("<br>")}
    for step in proc.steps:
        assert diagram.clean(step.title) in shown
    for step in proc.steps:
        for branch in step.branches or []:
            assert diagram.clean(branch.when) in shown
    used = {role.name for role in diagram.lanes_for(proc, list(project_for(path).shared_roles
                                                            .values()))}
    assert {diagram.clean(name) for name in used} <= shown


def test_ids_are_generated_even_when_user_ids_are_keywords() -> None:
    _, text = load(DATA / "hostile" / "hostile-syntax.yaml")
    ids = set(re.findall(r"^\s+(\w+)[\[({]", text, re.MULTILINE)) - {"subgraph"}
    edges = re.findall(r"^  (\w+) -\.?-?>\S* (\w+)$", text, re.MULTILINE)
    ids |= {name for edge in edges for name in edge}
    assert ids and all(re.fullmatch(ID, i) for i in ids), ids
    assert not re.search(r"^\s*end\b(?!$)", text, re.MULTILINE)  # "end" only closes a subgraph
    assert text.count("  subgraph ") == text.count("\n  end\n") + text.endswith("\n  end\n")


def test_lanes_in_declared_order_decisions_and_escalations() -> None:
    proc = Procedure.model_validate({
        "procflow": 1, "id": "x", "title": "X", "version": "1.0.0", "owner": {"name": "O"},
        "roles": [{"id": "b", "name": "Beta"}, {"id": "a", "name": "Alfa"},
                  {"id": "idle", "name": "Nobody"}],
        "steps": [{"id": "one", "title": "Jeden", "role": "a", "max_duration": "2h",
                   "branches": [{"when": "tak", "next": "two"}, {"when": "nie", "next": "one"}]},
                  {"id": "two", "title": "Dwa", "role": "b", "end": True}],
        "escalations": [{"id": "late", "when": "Za długo", "after": "1d", "to": "b"}]})
    text = mermaid.to_mermaid(proc, duration_text=lambda d: "2 godziny",
                              words={"start": "Początek", "end": "Koniec",
                                     "escalation": "Eskalacja"})
    assert re.findall(r'subgraph lane(\d+)\["(\w+)"\]', text) == [("1", "Beta"), ("2", "Alfa")]
    assert '    s1{"Jeden<br>≤ 2 godziny"}' in text
    assert '  s1 -->|"tak"| s2' in text and '  s1 -->|"nie"| s1' in text
    assert '  s0 -.->|"Za długo (2 godziny)"| esc1' in text
    assert '    esc1["Eskalacja"]' in text and '    e2(["Koniec"])' in text
    assert '    s0(["Początek"])' in text


def test_label_escapes_in_one_pass() -> None:
    assert mermaid.label('#quot; "a" <b> | 100% C:\\x `y` &amp;\n') == \
        "#35;quot; #quot;a#quot; #lt;b#gt; #124; 100#37; C#58;#92;x #96;y#96; #amp;amp;"

"""Mermaid 11 itself (the npm package, in headless Chromium) parses and renders the flowchart
of every procedure procflow renders here, hostile corpus included: one cluster per lane, one
node per shape, and no user text turned into markup. Skips with the reason when node, the
package (``npm install --prefix tests/mermaid``, as .ci/run does) or Chromium is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from procflow.procedures import load_procedure
from procflow.project import project_for
from procflow.render import diagram, mermaid

ROOT = Path(__file__).resolve().parents[1]
MERMAID = ROOT / "tests" / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CORPUS = sorted((ROOT / "procedures").glob("*.yaml")) \
    + sorted((ROOT / "examples").rglob("procedures/*.yaml")) \
    + sorted((ROOT / "tests" / "data" / "valid" / "procedures").glob("*.yaml")) \
    + sorted((ROOT / "tests" / "data" / "hostile").glob("*.yaml"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("node") is None, reason="no node: Mermaid runs in JavaScript"),
    pytest.mark.skipif(not MERMAID.exists(), reason="Mermaid is not installed: run "
                       "'npm install --prefix tests/mermaid' (as .ci/run does)"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: apt-get install "
                       "-y chromium"),
]

RENDER = """async ([id, text]) => {
    mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
    await mermaid.parse(text);
    const {svg} = await mermaid.render(id, text);
    return svg;
}"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--headless", "--no-sandbox"])
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.set_content("<!doctype html><html><body></body></html>")
        tab.add_script_tag(path=str(MERMAID))
        yield tab
        browser.close()
        assert not errors


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_mermaid_11_parses_and_renders_every_flowchart(page: Any, path: Path) -> None:
    procedure = load_procedure(path).model
    assert procedure is not None
    drawn = diagram.build(procedure, shared_roles=tuple(project_for(path).shared_roles.values()))
    text = mermaid.mermaid_of(drawn)
    svg = page.evaluate(RENDER, [f"m-{procedure.id}", text])
    html = page.evaluate("""(svg) => {
        const box = document.createElement('div');
        box.innerHTML = svg;
        document.body.replaceChildren(box);
        return {clusters: box.querySelectorAll('g.cluster').length,
                nodes: box.querySelectorAll('g.node').length,
                scripts: box.querySelectorAll('script, [onerror], [onload], iframe').length,
                links: [...box.querySelectorAll('a')].map(a => a.getAttribute('href'))};
    }""", svg)
    lanes_used = {shape.lane for shape in drawn.shapes}
    assert html["clusters"] >= len(lanes_used)  # one subgraph per lane with a shape
    assert html["nodes"] == len(drawn.shapes)
    assert html["scripts"] == 0 and not [link for link in html["links"] if link]


def test_the_lanes_are_subgraphs_in_declared_order() -> None:
    path = ROOT / "procedures" / "complaint-handling.yaml"
    procedure = load_procedure(path).model
    assert procedure is not None
    drawn = diagram.build(procedure, shared_roles=tuple(project_for(path).shared_roles.values()))
    text = mermaid.mermaid_of(drawn)
    order = [line.split("[", 1)[0].split()[-1] for line in text.splitlines()
             if line.strip().startswith("subgraph")]
    assert order == [f"lane{k}" for k in range(1, len(order) + 1)]

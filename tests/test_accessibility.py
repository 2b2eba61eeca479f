"""Every page procflow writes passes axe-core in a real Chromium: a procedure page, a role
card, the catalog and the diff page, with no violation at all (axe's default rules: WCAG 2.x
A/AA and best practices). axe-core is the npm package, installed by
``npm install --prefix tests/axe`` (``.ci/run`` does it) and injected through Playwright."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_browser import ARGS, CHROMIUM, VALID

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CASES = Path(__file__).parent / "diff_cases"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: install Debian's "
                       "chromium package (apt-get install -y chromium)"),
    pytest.mark.skipif(shutil.which("node") is None, reason="no node: axe-core comes from npm "
                       "(install nodejs and npm, then npm install --prefix tests/axe)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run "
                       "npm install --prefix tests/axe (as .ci/run does)"),
]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary)}));
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from procflow.diff import diff_paths
    from procflow.diff.output.page import html_report
    from procflow.procedures import discover
    from procflow.render import render_site

    project = tmp_path_factory.mktemp("project")
    shutil.copytree(VALID, project, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("site")
    render_site(discover([project / "procedures"]), out, ("html", "svg"), by_role=True,
                today=dt.date(2026, 9, 1))
    case = CASES / "step-removed-rewired"
    diff_page = out / "diff.html"
    report = diff_paths(case / "old.yaml", case / "new.yaml", today=dt.date(2026, 9, 1),
                        keep_models=True)
    diff_page.write_text(html_report(report), encoding="utf-8")
    return {"procedure": out / "complaint-handling.html",
            "role card": out / "complaint-handling--agent.html",
            "catalog": out / "index.html", "diff": diff_page}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("kind", ["procedure", "role card", "catalog", "diff"])
def test_no_axe_violations(pages: dict[str, Path], browser: Any, kind: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(pages[kind].as_uri())
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the page's CSP stays
        violations = page.evaluate(RUN_AXE)
    finally:
        context.close()
    assert violations == [], violations


def test_the_diff_page_has_the_head_of_the_procedure_pages(pages: dict[str, Path]) -> None:
    head = pages["diff"].read_text(encoding="utf-8").split("</head>")[0]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in head
    assert "Content-Security-Policy" in head and "default-src 'none'" in head

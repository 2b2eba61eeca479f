"""The HTML report in a real headless Chromium: nothing loaded from outside, no console
errors, and no accessibility violations found by axe-core (the npm package of
tests/axe, as for every other page: see test_accessibility)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_accessibility import AXE, RUN_AXE
from test_browser import ARGS, CHROMIUM, Tab

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: install Debian's "
                       "chromium package (apt-get install -y chromium) to run the browser tests"),
]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import sys

    from typer.testing import CliRunner

    from procflow.cli import app

    folder = tmp_path_factory.mktemp("report")
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_tickets import generate, write

    tickets, statuses = generate(3000, months=3, start=__import__("datetime").date(2026, 9, 1))
    write(tickets, folder / "tickets.csv")
    write(statuses, folder / "statuses.csv")
    out = folder / "report.html"
    result = CliRunner().invoke(app, [
        "report", str(folder / "tickets.csv"), str(ROOT / "procedures"), "--statuses",
        str(folder / "statuses.csv"), "--today", "2026-12-01", "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_report_page_loads_nothing_and_has_no_errors(browser: Any, page_file: Path) -> None:
    tab = Tab(browser)
    page = tab.open(page_file)
    assert page.locator("svg[role=img]").count() >= 6
    assert page.locator("svg[role=img] > title").count() == page.locator("svg[role=img]").count()
    assert tab.errors == []
    assert [url for url in tab.requests if not url.startswith("file://")] == []
    tab.context.close()


def test_every_chart_draws_inside_its_box(browser: Any, page_file: Path) -> None:
    """Nothing of a chart (axis labels, legend rows, titles) is cut off by its viewBox."""
    tab = Tab(browser)
    page = tab.open(page_file)
    outside = page.evaluate("""() => [...document.querySelectorAll('svg[role=img]')]
        .flatMap(svg => {
            const box = svg.viewBox.baseVal;
            return [...svg.querySelectorAll('text')].filter(text => {
                const r = text.getBBox(), m = text.getCTM(), s = svg.getCTM().inverse();
                const corners = [[r.x, r.y], [r.x + r.width, r.y + r.height]].map(([x, y]) =>
                    new DOMPoint(x, y).matrixTransform(m).matrixTransform(s));
                return corners.some(p => p.x < box.x - 1 || p.y < box.y - 1
                    || p.x > box.x + box.width + 1 || p.y > box.y + box.height + 1);
            }).map(text => svg.id + ': ' + text.textContent);
        })""")
    charts = page.locator("svg[role=img]").count()
    tab.context.close()
    assert charts >= 6 and outside == [], outside


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run "
                    "npm install --prefix tests/axe (as .ci/run does)")
def test_report_page_passes_axe_core(browser: Any, page_file: Path) -> None:
    tab = Tab(browser)
    page = tab.open(page_file)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the page's CSP stays
    violations = page.evaluate(RUN_AXE)
    tab.context.close()
    assert violations == [], violations

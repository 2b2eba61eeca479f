"""The HTML checklists in a real headless Chromium (Debian's chromium, driven by Playwright):
no console errors, nothing loaded from outside, every checkbox named and working, ticks kept
across a reload and cleared by the reset button, working when localStorage throws, a print
layout without the controls, and text contrast of at least 4.5:1."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
VALID = Path(__file__).parent / "data" / "valid"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: install Debian's "
                       "chromium package (apt-get install -y chromium) to run the browser tests"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from procflow.procedures import discover
    from procflow.render import render_site

    project = tmp_path_factory.mktemp("project")
    shutil.copytree(VALID, project, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("site")
    render_site(discover([project / "procedures"]), out, ("html", "svg"), by_role=True,
                today=dt.date(2026, 9, 1))
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A page with its console errors, page errors and outside requests recorded."""

    def __init__(self, browser: Any, init_script: str | None = None) -> None:
        self.context = browser.new_context()
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        return self.page


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    opened = Tab(browser)
    yield opened
    opened.context.close()


def checkboxes(page: Any) -> Any:
    return page.locator("input[type=checkbox]")


@pytest.mark.parametrize("name", ["complaint-handling.html", "it-access.html", "index.html",
                                  "complaint-handling--agent.html"])
def test_pages_load_without_errors_or_outside_requests(site: Path, tab: Tab, name: str) -> None:
    tab.open(site / name)
    assert tab.errors == []
    assert all(url.startswith("file://") for url in tab.requests), tab.requests


def test_the_page_language_comes_from_the_procedure(site: Path, tab: Tab) -> None:
    assert tab.open(site / "it-access.html").locator("html").get_attribute("lang") == "pl"
    assert tab.open(site / "complaint-handling.html").locator("html").get_attribute("lang") == "en"


def test_every_checkbox_has_an_accessible_name_and_toggles(site: Path, tab: Tab) -> None:
    page = tab.open(site / "complaint-handling.html")
    boxes = checkboxes(page)
    count = boxes.count()
    assert count >= 4
    tree = page.locator("main").aria_snapshot()
    named = re.findall(r'- checkbox "([^"]+)"', tree)
    assert len(named) == count, tree
    for index in range(count):
        box = boxes.nth(index)
        label = page.locator(f"label[for=\"{box.get_attribute('id')}\"]")
        assert label.count() == 1
        label.click()  # clicking the text ticks the box
        assert box.is_checked()
        box.click()
        assert not box.is_checked()


def test_ticks_survive_a_reload_and_reset_clears_them(site: Path, tab: Tab) -> None:
    page = tab.open(site / "complaint-handling.html")
    page.get_by_role("checkbox", name="Step done").first.check()
    checkboxes(page).last.check()
    page.reload()
    assert checkboxes(page).first.is_checked() and checkboxes(page).last.is_checked()
    assert not checkboxes(page).nth(1).is_checked()
    page.get_by_role("button", name="Clear all ticks").click()
    assert page.get_by_role("status").inner_text() == "All ticks cleared."
    assert not any(checkboxes(page).nth(i).is_checked() for i in range(checkboxes(page).count()))
    page.reload()
    assert not checkboxes(page).first.is_checked()
    assert tab.errors == []


def test_a_role_card_shares_ticks_with_the_full_page(site: Path, tab: Tab) -> None:
    card = tab.open(site / "complaint-handling--agent.html")
    first = checkboxes(card).first
    key = first.get_attribute("data-key")
    first.check()
    page = tab.open(site / "complaint-handling.html")
    assert page.locator(f"input[data-key=\"{key}\"]").is_checked()


def test_a_new_version_starts_with_no_ticks(site: Path, tab: Tab, tmp_path: Path) -> None:
    page = tab.open(site / "it-access.html")
    checkboxes(page).first.check()
    newer = tmp_path / "it-access.html"
    newer.write_text((site / "it-access.html").read_text(encoding="utf-8").replace(
        "procflow:it-access@0.3.0/", "procflow:it-access@0.4.0/"), encoding="utf-8")
    # same origin (file:), other version in the key
    page = tab.open(newer)
    assert not checkboxes(page).first.is_checked()


def test_the_checklist_works_when_local_storage_throws(site: Path, browser: Any) -> None:
    blocked = Tab(browser, init_script=(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('denied', 'SecurityError'); }});"))
    try:
        page = blocked.open(site / "complaint-handling.html")
        box = checkboxes(page).first
        box.check()
        assert box.is_checked()
        assert page.locator("#storage-note").is_visible()
        page.get_by_role("button", name="Clear all ticks").click()
        assert not box.is_checked()
        assert blocked.errors == []
    finally:
        blocked.context.close()


def test_print_hides_the_controls_and_keeps_steps_whole(site: Path, tab: Tab) -> None:
    page = tab.open(site / "complaint-handling.html")
    assert page.get_by_role("button", name="Clear all ticks").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Clear all ticks").is_visible()
    assert not page.locator(".controls").is_visible()
    assert checkboxes(page).first.is_visible()
    assert page.locator("figure.diagram svg").is_visible()
    steps = page.locator("section.step")
    assert steps.count() == 5
    assert steps.first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    assert page.pdf()[:4] == b"%PDF"


CONTRAST = """
() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3); }
    return [255, 255, 255]; };
  const worst = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || !el.offsetParent) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([el.tagName, el.textContent.trim().slice(0, 40), ratio]);
  }
  return worst;
}
"""


@pytest.mark.parametrize("name", ["complaint-handling.html", "index.html"])
def test_text_contrast_is_at_least_4_5_to_1(site: Path, tab: Tab, name: str) -> None:
    page = tab.open(site / name)
    assert page.evaluate(CONTRAST) == []
    assert page.locator(".badge").count() >= 1  # the overdue flag is checked too


def test_diagram_text_is_at_least_12_css_px_and_a_wide_one_scrolls_by_keyboard(
        site: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((site / "complaint-handling.html").as_uri())
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.diagram svg text')]
        .filter(t => t.textContent.trim()).map(t =>
            parseFloat(t.getAttribute('font-size')) *
            t.ownerSVGElement.getBoundingClientRect().width /
            t.ownerSVGElement.viewBox.baseVal.width)""")  # font size x the SVG's scale
    assert sizes and min(sizes) >= 12.0 - 0.01, min(sizes)  # 0.01: rounding of the width
    heights = page.evaluate("""() => [...document.querySelectorAll('figure.diagram svg text')]
        .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height)""")
    assert min(heights) >= 12.0  # the rendered boxes of the glyphs, in CSS px
    figure = page.locator("figure.diagram")
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth")  # fits the column at 1,280
    page.set_viewport_size({"width": 700, "height": 900})  # a narrow window: it scrolls
    assert figure.evaluate("f => f.scrollWidth > f.clientWidth")
    figure.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # the browser may animate the scroll (smooth scrolling): wait for it, up to 5 s
    page.wait_for_function(
        "() => document.querySelector('figure.diagram').scrollLeft > 0", timeout=5000)
    link = page.locator(".diagram-link a")
    assert link.get_attribute("href") == "complaint-handling.svg"
    assert (site / "complaint-handling.svg").exists()
    context.close()


@pytest.mark.parametrize("name", ["complaint-handling", "it-access"])
def test_printed_the_diagram_has_a_page_of_its_own_turned_to_fit_with_text_of_7_pt(
        site: Path, tab: Tab, tmp_path: Path, name: str) -> None:
    import pdfplumber

    svg = (site / f"{name}.svg").read_text(encoding="utf-8")
    width, height = map(float, re.search(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"',
                                         svg).groups())  # type: ignore[union-attr]
    page = tab.open(site / f"{name}.html")
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        last = pages[-1]
        assert (last.width > last.height) == (width > height)  # landscape when wider
        assert all(p.height > p.width for p in pages[:-1])
        names = "".join(c["text"] for c in last.chars)
        assert "Start" in names  # the diagram's words are on its page
        assert min(c["size"] for c in last.chars) >= 7.0
        assert len(pages) >= 2  # the text goes on from the first page (the diagram last)
        for earlier in pages[:-2]:  # no page left mostly empty (the diagram's does not push)
            assert max(c["bottom"] for c in earlier.chars) > earlier.height / 2


def test_printed_catalog_keeps_ids_and_dates_on_one_line(site: Path, tab: Tab) -> None:
    page = tab.open(site / "index.html")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 500, "height": 800})  # a narrow sheet: columns squeezed
    lines = page.evaluate("""() => [...document.querySelectorAll('.nowrap')].map(e => {
        const range = document.createRange();
        range.selectNodeContents(e);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    })""")  # the lines each id, version and date takes
    assert lines and set(lines) == {1}
    assert "@page { margin: 15mm 12mm; }" in (site / "index.html").read_text(encoding="utf-8")

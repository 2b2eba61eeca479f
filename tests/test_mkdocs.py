"""The example repository as a website: ``procflow render`` its procedures to Markdown and
build them with ``mkdocs build --strict`` (Material theme, Mermaid through superfences)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "team"
TODAY = "2026-11-20"
PROCEDURES = sorted(path.stem for path in (EXAMPLE / "procedures").glob("*.yaml"))


@pytest.fixture
def site(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pytest.importorskip("material", reason="the mkdocs-material theme is not installed")
    project = tmp_path / "team"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("rendered", "site"))
    monkeypatch.chdir(project)
    cli("render", "procedures", "--output", "rendered", "--format", "md", "--today", TODAY,
        expect=0)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "site"


def test_mkdocs_builds_a_page_per_procedure_with_mermaid_diagrams(site: Path) -> None:
    assert len(PROCEDURES) >= 2
    for pid in PROCEDURES:
        page = (site / pid / "index.html").read_text(encoding="utf-8")
        assert '<pre class="mermaid"><code>' in page, f"{pid}: no Mermaid diagram"
        assert "language-mermaid" not in page  # a plain code block would show the source
    assert (site / "index.html").is_file()


def test_the_example_template_override_is_used(site: Path) -> None:
    page = (site / "order-enquiry" / "index.html").read_text(encoding="utf-8")
    assert "Northwind Bikes customer care. Questions or ideas for this procedure" in page

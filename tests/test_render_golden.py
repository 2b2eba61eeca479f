"""The rendered Markdown, HTML, DOT and Mermaid of the sample procedures in procedures/ match
the golden files in tests/golden/ (regenerate them with: python tests/golden/refresh.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "golden_refresh", Path(__file__).parent / "golden" / "refresh.py")
assert _spec is not None and _spec.loader is not None
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return refresh.render_all()


def test_every_golden_file_is_rendered_and_nothing_else(fresh: dict[str, str]) -> None:
    assert set(fresh) == set(refresh.golden_files()), f"run {refresh.COMMAND}"
    kinds = {name.rsplit(".", 1)[1] for name in fresh}
    assert kinds == {"md", "html", "dot", "mmd"}


@pytest.mark.parametrize("name", sorted(refresh.golden_files()))
def test_output_matches_the_golden_file(fresh: dict[str, str], name: str) -> None:
    expected = refresh.golden_files()[name]
    assert fresh.get(name) == expected, (
        f"{name} differs from tests/golden/{name}; if the change is intended, run "
        f"{refresh.COMMAND} and review the diff")

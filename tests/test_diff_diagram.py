"""The change diagram of ``procflow diff --format html`` tells the truth, for every diff case
(and the held-out change of issue 12, ``step-removed-rewired``): the new version's flow is
drawn as it is; a removed step is a ghost linked only by dashed, grey, labelled ghost links
to its old neighbours; an edge that changed target is drawn once solid (now) and once as a
ghost (before); no label is cut off with "…"."""

from __future__ import annotations

import re
import pytest
from test_diff_cases import CASES, NAMES, TODAY, sides

from procflow.diff.output.diagram import change_diagram, marks, renames
from procflow.diff.tree import diff_sources, path_sources
from procflow.flow import Flow
from procflow.render import engine
from procflow.render.diagram import build


def changed(name: str) -> list:
    old, new, as_one = path_sources(*sides(CASES / name))
    report = diff_sources(old, new, today=TODAY, as_one=as_one, keep_models=True)
    return [d for d in report.changed if d.new is not None and d.old is not None]


def edges(flow: Flow, names: list[str]) -> set[tuple[str, str]]:
    return {(names[e.source], names[e.target]) for out in flow.edges for e in out}


@pytest.mark.parametrize("name", NAMES)
def test_ghosts_are_only_linked_by_ghost_links(name: str) -> None:
    for diff in changed(name):
        picture = change_diagram(diff.old, diff.new, marks(diff), renames(diff))
        live = build(diff.new)
        ghost_shapes = {i for i, shape in enumerate(picture.shapes) if shape.name.startswith("g")}
        assert all(picture.shapes[i].mark == "removed" for i in ghost_shapes)
        # the new version's own links, unchanged and solid
        solid = [(link.source, link.target, link.kind) for link in picture.links
                 if link.kind != "ghost"]
        assert solid == [(link.source, link.target, link.kind) for link in live.links]
        for link in picture.links:
            if link.source in ghost_shapes or link.target in ghost_shapes:
                assert link.kind == "ghost", (name, link)
            if link.kind == "ghost":
                assert link.label.startswith("before"), (name, link)
        # every edge of the old flow that is gone is drawn as a ghost, once
        rename = renames(diff)
        old_names = [rename.get(step.id, step.id) for step in diff.old.steps]
        gone = edges(Flow(diff.old), old_names) - edges(Flow(diff.new),
                                                        [s.id for s in diff.new.steps])
        name_of = {f"s{i + 1}": step.id for i, step in enumerate(diff.new.steps)}
        name_of |= {f"g{i + 1}": rename.get(step.id, step.id)
                    for i, step in enumerate(diff.old.steps)}
        drawn = {(name_of[picture.shapes[link.source].name],
                  name_of[picture.shapes[link.target].name])
                 for link in picture.links if link.kind == "ghost" and link.source != 0}
        assert drawn == gone, name


def test_the_held_out_change_draws_the_ghost_and_the_old_branch() -> None:
    [diff] = changed("step-removed-rewired")
    picture = change_diagram(diff.old, diff.new, marks(diff), renames(diff))
    ghost = next(i for i, s in enumerate(picture.shapes) if s.text.endswith("Confirm receipt "
                                                                             "to the customer"))
    analyse = next(i for i, s in enumerate(picture.shapes) if s.text == "Analyse the product")
    decision = next(i for i, s in enumerate(picture.shapes) if s.kind == "decision")
    into = [link for link in picture.links if ghost in (link.source, link.target)]
    assert {(link.source, link.target) for link in into} == {(decision, ghost), (ghost, analyse)}
    assert {link.label for link in into} == {"before: Justified, needs a repair or a refund",
                                             "before"}
    # the branch as it is now: a solid link from the decision straight to 'analyse'
    assert any((link.source, link.target, link.kind) == (decision, analyse, "flow")
               for link in picture.links)


@pytest.mark.skipif(not engine.available(), reason="no pygraphviz")
@pytest.mark.parametrize("name", NAMES)
def test_the_svg_draws_ghost_links_dashed_grey_and_cuts_no_label(name: str) -> None:
    from procflow.diff.output.diagram import svg

    for diff in changed(name):
        if not diff.changes:
            continue
        picture = svg(diff)
        for group in re.findall(r'<g id="[^"]*" class="edge ghost">(.*?)</g>', picture, re.S):
            assert 'stroke-dasharray' in group and 'stroke="#7b8794"' in group
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", picture)
        assert texts and not [t for t in texts if "…" in t], name

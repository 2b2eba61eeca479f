"""Swimlane diagrams: the DOT of ``render.dot_writer`` drawn by ``render.engine``, checked on the
SVG's structure (lanes present and in declared order, every step in its lane, labels intact),
never on its bytes; the hostile corpus through DOT; the no-engine path."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from procflow.errors import EnvironmentProblem
from procflow.procedures import load_procedure
from procflow.model import Procedure, Role
from procflow.project import project_for
from procflow.render import diagram, dot_writer, engine

DATA = Path(__file__).parent / "data"
HOSTILE = sorted((DATA / "hostile").glob("*.yaml"))
SAMPLES = sorted((DATA / "valid" / "procedures").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
TEAM_LEAD = Role(id="team-lead", name="Team lead")

needs_engine = pytest.mark.skipif(not engine.available(), reason="no pygraphviz")


def procedure(**fields: Any) -> Procedure:
    base: dict[str, Any] = {"procflow": 1, "id": "sample", "title": "Sample", "version": "1.0.0",
                            "owner": {"name": "Owner"}}
    return Procedure.model_validate({**base, **fields})


def complaint() -> Procedure:
    """Roles declared in an order that is neither alphabetical nor the order of first use;
    a decision, a loop back, an escalation to a shared role."""
    return procedure(
        roles=[{"id": "zeta", "name": "Żaneta z działu jakości"},
               {"id": "agent", "name": "Konsultant"},
               {"id": "spec", "name": "Specjalista ds. reklamacji"}],
        steps=[
            {"id": "register", "title": "Rejestracja reklamacji", "role": "agent",
             "max_duration": "15m"},
            {"id": "verify", "title": "Czy reklamacja jest zasadna?", "role": "spec",
             "branches": [{"when": "Zasadna", "next": "resolve"},
                          {"when": "Brak dokumentów", "next": "ask"},
                          {"when": "Niezasadna", "next": "reject"}]},
            {"id": "ask", "title": "Prośba o dokumenty", "role": "agent", "next": "verify"},
            {"id": "resolve", "title": "Rekompensata", "role": "spec", "next": "close"},
            {"id": "reject", "title": "Odmowa z uzasadnieniem", "role": "zeta"},
            {"id": "close", "title": "Zamknięcie sprawy", "role": "agent", "end": True},
        ],
        escalations=[{"id": "late", "when": "Brak decyzji w 2 dni", "after": "2d",
                      "steps": ["verify"], "to": "team-lead", "action": "Przejmij sprawę"}])


def svg_of(dot: str) -> ET.Element:
    return ET.fromstring(engine.draw(dot, "svg"))


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if kind in g.get("class", "").split()]


def text(group: ET.Element) -> str:
    return " ".join((t.text or "").strip() for t in group.iter(f"{SVG}text"))


def squash(value: str) -> str:
    """Without whitespace: labels are wrapped, and long words cut, at spaces of their own."""
    return "".join(value.split())


def x_range(group: ET.Element) -> tuple[float, float]:
    xs = [float(x) for shape in group.iter() if shape.tag in (f"{SVG}polygon", f"{SVG}path",
                                                              f"{SVG}ellipse")
          for x in re.findall(r"(-?[\d.]+),-?[\d.]+", shape.get("points", "")
                              + shape.get("d", ""))]
    for ellipse in group.iter(f"{SVG}ellipse"):
        xs += [float(ellipse.get("cx", 0)) - float(ellipse.get("rx", 0)),
               float(ellipse.get("cx", 0)) + float(ellipse.get("rx", 0))]
    return min(xs), max(xs)


def lanes(root: ET.Element) -> list[tuple[str, float, float]]:
    """(header text, left, right) of every lane, in document order."""
    return [(text(g), *x_range(g)) for g in groups(root, "lane")]


@needs_engine
def test_lanes_are_columns_in_declared_order_then_used_shared_roles() -> None:
    dot = dot_writer.to_dot(complaint(), shared_roles=[Role(id="unused", name="Unused"), TEAM_LEAD])
    found = lanes(svg_of(dot))
    assert [name for name, _, _ in found] == ["Żaneta z działu jakości", "Konsultant",
                                               "Specjalista ds. reklamacji", "Team lead"]
    rights = [right for _, _, right in found]
    lefts = [left for _, left, _ in found]
    assert all(r <= l + 0.5 for r, l in zip(rights, lefts[1:])), found  # left to right
    tops = {round(float(y)) for g in groups(svg_of(dot), "lane")
            for y in re.findall(r"-?[\d.]+,(-?[\d.]+)", g.find(f"{SVG}polygon").get("points"))}
    assert len(tops) == 2  # every lane spans the full height: one top, one bottom


@needs_engine
def test_every_step_is_one_node_inside_its_role_lane_with_its_title() -> None:
    proc = complaint()
    root = svg_of(dot_writer.to_dot(proc, shared_roles=[TEAM_LEAD]))
    lane_x = {name: (left, right) for name, left, right in lanes(root)}
    names = {role.id: role.name for role in proc.roles}
    nodes = groups(root, "step") + groups(root, "decision")
    assert len(nodes) == len(proc.steps)
    by_id = {g.get("id"): g for g in nodes}
    for number, step in enumerate(proc.steps, start=1):
        node = by_id[f"pf-sample-s{number}"]
        assert text(node).startswith(step.title)
        left, right = x_range(node)
        lane_left, lane_right = lane_x[names[step.role]]
        assert lane_left <= left and right <= lane_right, step.id
    assert "≤ 15m" in text(by_id["pf-sample-s1"])
    assert [g.get("class") for g in nodes if "decision" in g.get("class", "")] == \
        ["node decision"]
    assert len(groups(root, "start")) == 1 and len(groups(root, "end")) == 1


@needs_engine
def test_conditions_loops_and_escalations_are_labelled_edges() -> None:
    root = svg_of(dot_writer.to_dot(complaint(), shared_roles=[TEAM_LEAD]))
    labels = sorted(text(g) for g in groups(root, "edge") if text(g))
    assert labels == ["Brak decyzji w 2 dni (2d)", "Brak dokumentów", "Niezasadna", "Zasadna"]
    assert len(groups(root, "loop")) == 1  # ask -> verify goes back up
    (escalation,) = [g for g in groups(root, "edge") if "escalation" in g.get("class", "")]
    assert escalation.find(f"{SVG}path").get("stroke-dasharray")
    box = next(g for g in groups(root, "node") if "escalation" in g.get("class", ""))
    assert text(box) == "Escalation Przejmij sprawę"
    lane_x = {name: (left, right) for name, left, right in lanes(root)}
    left, right = x_range(box)
    assert lane_x["Team lead"][0] <= left and right <= lane_x["Team lead"][1]


def random_procedure(rng: random.Random, number: int) -> Procedure:
    role_ids = [f"r{k}" for k in range(rng.randint(3, 6))]
    rng.shuffle(role_ids)
    count = rng.randint(4, 12)
    steps: list[dict[str, Any]] = []
    for k in range(count):
        step: dict[str, Any] = {"id": f"s{k}", "title": f"Krok {k} ąę", "role":
                                rng.choice(role_ids)}
        if k < count - 2 and rng.random() < 0.3:
            step["branches"] = [{"when": "tak", "next": f"s{rng.randint(k + 1, count - 1)}"},
                                {"when": "nie", "next": f"s{rng.randint(0, count - 1)}"}]
        steps.append(step)
    return procedure(id=f"random-{number}", roles=[{"id": r, "name": f"Rola {r}"}
                                                   for r in role_ids], steps=steps)


@needs_engine
def test_lane_order_holds_on_random_procedures() -> None:
    rng = random.Random(20261125)
    for number in range(40):
        proc = random_procedure(rng, number)
        found = lanes(svg_of(dot_writer.to_dot(proc)))
        assert [name for name, _, _ in found] == [role.name for role in proc.roles]
        assert [left for _, left, _ in found] == sorted(left for _, left, _ in found)


@needs_engine
@pytest.mark.parametrize("path", HOSTILE + SAMPLES, ids=lambda p: p.stem)
def test_graphviz_draws_every_dot_silently_with_titles_intact(
        path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    proc = load_procedure(path).model
    shared = list(project_for(path).shared_roles.values())
    dot = dot_writer.to_dot(proc, shared_roles=shared)
    root = svg_of(dot)
    assert capfd.readouterr().err == ""  # no Graphviz warning, no syntax error
    nodes = {g.get("id"): g for g in groups(root, "node")}
    for number, step in enumerate(proc.steps, start=1):
        shown = squash(text(nodes[f"pf-{proc.id}-s{number}"]))
        if len(step.title) < 80:  # longer ones may be cut, with an ellipsis
            assert shown.startswith(squash(diagram.clean(step.title))), (shown, step.title)
    names = [squash(role.name) for role in diagram.lanes_for(proc, shared)]
    assert [squash(text(g)) for g in groups(root, "lane")] == names or proc.id == "hostile-long"


@needs_engine
def test_text_that_means_something_to_dot_comes_out_as_written() -> None:
    title = r'C:\temp\N \G \E \L "q" <b>&amp; ends with \\'
    proc = procedure(roles=[{"id": "end", "name": "<<subgraph>>"}],
                     steps=[{"id": "graph", "title": title, "role": "end"}])
    dot = dot_writer.to_dot(proc)
    names = re.findall(r"^\s+(\S+) \[id=", dot, re.MULTILINE)
    names += [n for edge in re.findall(r"^\s+(\S+) -> (\S+) ", dot, re.MULTILINE) for n in edge]
    assert names and all(re.fullmatch(r"s\d+|e\d+|esc\d+", name) for name in names), names
    assert "<b>" not in dot and '"q"' not in dot
    root = svg_of(dot)
    assert text(next(g for g in groups(root, "step"))) == diagram.clean(title)
    assert text(groups(root, "lane")[0]) == "<<subgraph>>"


@needs_engine
def test_cut_titles_keep_the_whole_text_as_tooltip() -> None:
    title = "Bardzo długi tytuł " * 30 + "koniec \\"
    dot = dot_writer.to_dot(procedure(roles=[{"id": "a", "name": "A"}],
                                 steps=[{"id": "x", "title": title, "role": "a"}]))
    svg = engine.draw(dot, "svg").decode()
    assert "…" in svg and diagram.clean(title).replace("\\", "") in svg.replace("\\", "")


def test_words_are_drawn_in_the_procedure_language() -> None:
    dot = dot_writer.to_dot(complaint(), shared_roles=[TEAM_LEAD], duration_text=lambda d: "15 minut",
                       words={"start": "Początek", "end": "Koniec", "escalation": "Eskalacja"})
    assert "<B>Początek</B>" in dot and "<B>Koniec</B>" in dot and "<B>Eskalacja</B>" in dot
    assert "≤ 15 minut" in dot and ">Start<" not in dot


def test_marks_style_added_changed_and_ghost_removed_steps() -> None:
    dot = dot_writer.to_dot(complaint(), shared_roles=[TEAM_LEAD],
                       marks={"register": "added", "verify": "changed", "reject": "removed",
                              "nowhere": "added"})
    classes = dict(re.findall(r'id="pf-sample-(s\d+)", class="([^"]+)"', dot))
    assert classes["s1"] == "step added" and classes["s2"] == "decision changed"
    assert classes["s5"] == "step removed"
    assert re.search(r'id="pf-sample-s5"[^\n]*style="rounded,filled,dashed"', dot)


def test_same_input_same_dot() -> None:
    assert dot_writer.to_dot(complaint()) == dot_writer.to_dot(complaint())


def test_lanes_are_own_roles_then_used_shared_ones_an_own_role_does_not_shadow() -> None:
    """The lanes follow references.known_roles: a shared role of the same id as an own role
    is the own one, a shared role no step or escalation names gets no lane."""
    proc = procedure(roles=[{"id": "agent", "name": "Own agent"}], steps=[
        {"id": "x", "title": "X", "role": "lead", "next": "y"},
        {"id": "y", "title": "Y", "role": "agent", "next": "z"},
        {"id": "z", "title": "Z", "role": "ghost", "end": True}])
    shared = [Role(id="unused", name="Unused"), Role(id="lead", name="Team lead"),
              Role(id="agent", name="Shared agent")]
    assert [(role.id, role.name) for role in diagram.lanes_for(proc, shared)] == [
        ("agent", "Own agent"), ("lead", "Team lead"), ("ghost", "ghost")]


def test_unknown_roles_and_unreachable_cycles_still_draw() -> None:
    proc = procedure(roles=[{"id": "a", "name": "A"}], steps=[
        {"id": "x", "title": "X", "role": "a", "end": True},
        {"id": "y", "title": "Y", "role": "ghost", "next": "z"},
        {"id": "z", "title": "Z", "role": "a", "next": "y"},
        {"id": "w", "title": "W", "role": "a", "next": "w"}])
    assert [role.id for role in diagram.lanes_for(proc)] == ["a", "ghost"]
    dot = dot_writer.to_dot(proc)
    assert dot.count('class="loop"') == 2  # z -> y (or y -> z) and w -> w
    if engine.available():
        assert len(groups(svg_of(dot), "step")) == 4


def test_no_engine_gives_one_line_saying_how_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # import fails as if not installed
    engine._pygraphviz.cache_clear()
    try:
        assert not engine.available()
        with pytest.raises(EnvironmentProblem) as raised:
            engine.draw(dot_writer.to_dot(complaint()), "svg")
    finally:
        engine._pygraphviz.cache_clear()
    message = str(raised.value)
    assert "\n" not in message and "pip install" in message and "pygraphviz" in message


@needs_engine
def test_the_wheel_s_graphviz_draws_svg_in_a_fresh_process_without_a_word_on_stderr() -> None:
    """Graphviz warns once per process when it first sizes a letter outside ASCII, and the
    wheel's fontconfig once when it starts: neither reaches the user."""
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from procflow.procedures import load_procedure\n"
            "from procflow.render import dot_writer, engine\n"
            "for path in sys.argv[1:]:\n"
            "    dot = dot_writer.to_dot(load_procedure(Path(path)).model)\n"
            "    assert engine.draw(dot, 'svg').startswith(b'<?xml')\n"
            "    assert engine.draw(dot, 'png').startswith(b'\\x89PNG')\n")
    paths = [str(DATA / "hostile" / f"hostile-unicode-{lang}.yaml") for lang in ("pl", "cs")]
    run = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True,
                         timeout=60)
    assert (run.returncode, run.stderr) == (0, "")


@needs_engine
def test_png_is_drawn_in_process() -> None:
    proc = procedure(roles=[{"id": "a", "name": "Zażółć"}],
                     steps=[{"id": "x", "title": "Gęślą jaźń", "role": "a"}])
    assert engine.draw(dot_writer.to_dot(proc), "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_first_use_hides_only_the_known_harmless_warnings(
        capfd: pytest.CaptureFixture[str]) -> None:
    import os

    with engine._quiet():
        os.write(2, b'Fontconfig warning: "x.conf", line 6: unknown element "reset-dirs"\n')
        os.write(2, b"Warning: Warning: no value for width of non-ASCII character 196. "
                    b"Falling back to width of space character\n")
        os.write(2, b"Error: something real\n")
    assert capfd.readouterr().err == "Error: something real\n"


def test_the_points_of_an_edge_are_written_as_each_point_would_be() -> None:
    # an edge's points are formatted together (speed, issue 11): every coordinate to a tenth
    # of a point without a trailing .0 and never -0, as one point is written alone
    rnd = random.Random(11)
    values = [0.0, -0.0, 0.04, -0.04, -0.05, 0.05, 0.96, -0.96, 10.0, -10.0, 9.95, -100.04]
    values += [rnd.uniform(-3000, 3000) for _ in range(2000)]
    values += [round(rnd.uniform(-50, 50), rnd.randint(0, 2)) for _ in range(2000)]
    for height in (0.0, 4156.4, 0.04):
        writer = dot_writer._Writer.__new__(dot_writer._Writer)
        writer.height = height
        points = [(rnd.choice(values), rnd.choice(values)) for _ in range(5000)]
        assert writer.points(points) == " ".join(writer.xy(x, y) for x, y in points)

"""The change diagram of the html report: the new version's swimlane diagram, drawn as it is
(``procflow.render.diagram.build``), with added and changed steps marked, and what is gone
drawn as ghosts on top of it.

A removed step is a ghost shape in its old lane, linked only by ghost links (dashed, grey,
labelled "before") from its old predecessors and to its old successors; an edge between
steps that are still there but that no longer exists is drawn as a ghost link too, beside
the solid edge that replaced it. Ghosts never get a solid link: every link that touches one
is a ghost link, and the new version's own links are exactly those of its flow.
"""

from __future__ import annotations

from collections.abc import Sequence

from procflow.diff.changes import ProcedureDiff
from procflow.flow import Flow
from procflow.model import Procedure, Role
from procflow.render.diagram import Diagram, Link, Shape, build, clean, lanes_for

SIGNS = {"added": "+", "changed": "\u0394", "removed": "\u00d7"}
BEFORE = "before"


def marks(diff: ProcedureDiff) -> dict[str, str]:
    """Step id -> added | changed | removed, from the changes of the steps."""
    out: dict[str, str] = {}
    for change in diff.changes:
        if not change.path.startswith("steps["):
            continue
        step_id = change.path[len("steps["):].split("]", 1)[0]
        if change.path == f"steps[{step_id}]" and change.kind in ("added", "removed"):
            out[step_id] = change.kind
        else:
            out.setdefault(step_id, "changed")
    return out


def renames(diff: ProcedureDiff) -> dict[str, str]:
    """Old step id -> new step id, for the steps renamed."""
    return {str(c.old): str(c.new) for c in diff.changes
            if c.kind == "renamed" and c.path.startswith("steps[")}


def change_diagram(old: Procedure | None, new: Procedure, marked: dict[str, str],
                   renamed: dict[str, str] | None = None, shared_roles: Sequence[Role] = ()
                   ) -> Diagram:
    """The new version's diagram with marks, plus the ghosts of what ``old`` had; lanes of
    ``shared_roles`` (the project's, named in the procedure's language) as the page draws
    them."""
    roles = list(new.roles)
    known = {role.id for role in roles}
    roles += [role for role in (old.roles if old else []) if role.id not in known]
    steps = [step.model_copy(update={"title": f"{SIGNS[marked[step.id]]} {step.title}"})
             if step.id in marked else step for step in new.steps]
    drawn = new.model_copy(update={"steps": steps, "roles": roles})
    base = build(drawn, marks=marked, shared_roles=shared_roles)
    if old is None:
        return base
    shapes, links = list(base.shapes), list(base.links)
    lane_of = {role.id: i for i, role in enumerate(lanes_for(drawn, shared_roles))}
    where = {step.id: i + 1 for i, step in enumerate(new.steps)}  # build: step i is shape i+1
    rename = renamed or {}
    old_flow = Flow(old)
    names = [rename.get(step.id, step.id) for step in old.steps]
    for position, (step, name) in enumerate(zip(old.steps, names, strict=True)):
        if name in where or marked.get(step.id) != "removed" or step.role not in lane_of:
            continue
        where[name] = len(shapes)
        # named after its position in the old version: g3 is the ghost of its third step
        shapes.append(Shape(f"g{position + 1}", "decision" if step.branches else "step",
                            lane_of[step.role], clean(f"{SIGNS['removed']} {step.title}"),
                            mark="removed"))
    ghosts = set(range(len(base.shapes), len(shapes)))
    new_flow = Flow(new)
    now = {(new_flow.steps[e.source].id, new_flow.steps[e.target].id)
           for edges in new_flow.edges for e in edges}
    if where.get(names[0]) in ghosts:
        links.append(Link(0, where[names[0]], BEFORE, "ghost"))
    for edges in old_flow.edges:
        for edge in edges:
            source, target = names[edge.source], names[edge.target]
            if source not in where or target not in where or (source, target) in now:
                continue
            label = f"{BEFORE}: {edge.label}" if edge.label else BEFORE
            links.append(Link(where[source], where[target], clean(label), "ghost"))
    return Diagram(base.lanes, shapes, links)


def svg(diff: ProcedureDiff) -> str:
    """The change diagram as inline SVG with an accessible name (``markup.svg.inline_svg``)."""
    from procflow.markup.svg import inline_svg
    from procflow.render.dot_writer import dot_of
    from procflow.render.engine import draw

    assert diff.new is not None
    picture = change_diagram(diff.old, diff.new, marks(diff), renames(diff), diff.shared_roles)
    drawn = draw(dot_of(picture, diff.new.id), "svg")
    return str(inline_svg(drawn, diff.new.id, f"Changes to {diff.new.title}"))

"""The change diagram of the html report: the new version's swimlane diagram (drawn by
``procflow.render.graph``) with added and changed steps marked and removed steps kept as
grey ghosts.

A ghost is a removed step put back into a copy of the new version, in its old lane, leading
to the step it used to lead to. To keep the new flow as it is, every step of the copy that
fell through to the step below it gets that ``next`` written out first; a ghost therefore
has no arrow into it, only one out of it.
"""

from __future__ import annotations

from procflow.diff.changes import ProcedureDiff
from procflow.model import Procedure, Step

SIGNS = {"added": "+", "changed": "\u0394", "removed": "\u00d7"}


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


def drawing(old: Procedure | None, new: Procedure, marked: dict[str, str]) -> Procedure:
    """A copy of ``new`` to draw: titles led by their mark in words (+ added, Δ changed,
    × removed: colour is not the only signal), and the removed steps of ``old`` as ghosts."""
    steps = [_explicit(step, new.steps, i) for i, step in enumerate(new.steps)]
    steps += _ghosts(old, {step.id for step in steps}, marked)
    steps = [step.model_copy(update={"title": f"{SIGNS[marked[step.id]]} {step.title}"})
             if step.id in marked else step for step in steps]
    known = {role.id for role in new.roles}
    roles = list(new.roles) + [role for role in (old.roles if old else []) if role.id not in known]
    return new.model_copy(update={"steps": steps, "roles": roles})


def _ghosts(old: Procedure | None, present: set[str], marked: dict[str, str]) -> list[Step]:
    """The removed steps of ``old``, each leading to the first step after it still present."""
    if old is None:
        return []
    position = {step.id: i for i, step in enumerate(old.steps)}
    out = []
    for step_id, mark in marked.items():
        if mark == "removed" and step_id not in present and step_id in position:
            at = position[step_id]
            after = next((s for s in old.steps[at + 1:] if s.id in present), None)
            out.append(old.steps[at].model_copy(update={
                "branches": None, "next": after.id if after else None, "end": after is None}))
    return out


def _explicit(step: Step, steps: list[Step], index: int) -> Step:
    if step.branches or step.next or step.end:
        return step
    if index + 1 < len(steps):
        return step.model_copy(update={"next": steps[index + 1].id})
    return step.model_copy(update={"end": True})


def svg(old: Procedure | None, new: Procedure, marked: dict[str, str]) -> str:
    """The marked diagram as inline SVG with an accessible name (``markup.svg.inline_svg``)."""
    from procflow.markup.svg import inline_svg
    from procflow.render.dot_writer import to_dot
    from procflow.render.engine import draw

    picture = draw(to_dot(drawing(old, new, marked), marks=marked), "svg")
    return str(inline_svg(picture, new.id, f"Changes to {new.title}"))

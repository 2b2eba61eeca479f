"""What a swimlane diagram of a procedure shows: its lanes, shapes and links, with every text
made safe to draw (``build``). The DOT writer (``dot_writer``), the Mermaid emitter
(``mermaid``), the layout (``layout``) and the diff page all start from this model.

Owns: which roles become lanes (``lanes_for``), the shapes and links in a fixed order, and
``clean`` (text on one line, without characters no XML or DOT may carry). Must not: know
where things go (``layout``), DOT, colours, Graphviz, pages or files. Node names are generated
ASCII (``s0`` start, ``s1``... steps, ``e1``... end markers, ``esc1``... escalations).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from procflow.durations import Duration
from procflow.flow import Flow
from procflow.model import Escalation, Procedure, Role
from procflow.references import known_roles

WORDS = {"start": "Start", "end": "End", "escalation": "Escalation"}
Kind = Literal["start", "step", "decision", "end", "escalation"]
#: ghost: a link of the old version only (the diff view draws it dashed and grey)
LinkKind = Literal["flow", "loop", "escalation", "ghost"]
_UNDRAWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")  # Cc, Cs, non-characters


@dataclass(frozen=True)
class Shape:
    """A box, diamond or marker. Its text, like every text of a ``Diagram``, is ``clean``."""

    name: str  # generated ASCII id
    kind: Kind
    lane: int
    text: str  # the title, or the word of a marker
    note: str = ""  # a smaller second part: the time limit, or an escalation's action
    mark: str | None = None  # added | changed | removed (diff view)


@dataclass(frozen=True)
class Link:
    source: int  # index in Diagram.shapes
    target: int
    label: str = ""
    kind: LinkKind = "flow"


@dataclass(frozen=True)
class Diagram:
    lanes: list[str]  # the names of the lanes, left to right
    shapes: list[Shape]
    links: list[Link]


def lanes_for(procedure: Procedure, shared_roles: Sequence[Role] = ()) -> list[Role]:
    """The lanes, left to right: the procedure's own roles in declared order, then the shared
    roles that a step or an escalation names, then (for a procedure that does not validate)
    unknown role ids in order of first use, labelled with the id."""
    lanes = list(procedure.roles)
    own = {role.id for role in lanes}
    used = [step.role for step in procedure.steps] + [e.to for e in procedure.escalations]
    lanes += [role for role_id, role in known_roles(procedure, shared_roles).items()
              if role_id not in own and role_id in used]
    known = {role.id for role in lanes}
    for role_id in used:
        if role_id not in known:
            lanes.append(Role(id=role_id, name=role_id))
            known.add(role_id)
    return lanes


def build(procedure: Procedure, *, shared_roles: Sequence[Role] = (),
          duration_text: Callable[[Duration], str] = str, words: Mapping[str, str] | None = None,
          marks: Mapping[str, str] | None = None, flow: Flow | None = None) -> Diagram:
    """The lanes, shapes and links of ``procedure``'s diagram, in a fixed order, with every
    text ``clean`` (``flow``: the procedure's, when the caller has it already)."""
    say = {key: clean(word) for key, word in {**WORDS, **(words or {})}.items()}
    marks = marks or {}
    lanes = lanes_for(procedure, shared_roles)
    lane_of = {role.id: index for index, role in enumerate(lanes)}
    flow = flow or Flow(procedure)
    steps = procedure.steps
    shapes = [Shape("s0", "start", lane_of[steps[0].role], say["start"])]
    for step in steps:
        limit = clean(f"\u2264 {duration_text(step.max_duration)}") if step.max_duration else ""
        shapes.append(Shape(f"s{len(shapes)}", "decision" if step.branches else "step",
                            lane_of[step.role], clean(step.title), limit, marks.get(step.id)))
    links = [Link(0, 1)]
    for position, edges in enumerate(flow.edges):
        for edge in edges:
            kind: LinkKind = "loop" if (edge.source, edge.target) in flow.loop_back else "flow"
            links.append(Link(edge.source + 1, edge.target + 1, clean(edge.label or ""), kind))
        if flow.is_end(position):
            links.append(Link(position + 1, len(shapes)))
            shapes.append(Shape(f"e{position + 1}", "end", shapes[position + 1].lane, say["end"]))
    for number, escalation in enumerate(procedure.escalations, start=1):
        target = len(shapes)
        shapes.append(Shape(f"esc{number}", "escalation", lane_of[escalation.to],
                            say["escalation"], clean(escalation.action or "")))
        watched = [flow.index[s] + 1 for s in escalation.steps or () if s in flow.index]
        label = clean(_escalation_label(escalation, procedure, duration_text))
        for k, source in enumerate(watched or [0]):  # the first edge carries the label
            links.append(Link(source, target, "" if k else label, "escalation"))
    return Diagram([clean(role.name) for role in lanes], shapes, links)


def _escalation_label(escalation: Escalation, procedure: Procedure,
                      duration_text: Callable[[Duration], str]) -> str:
    trigger = []
    if escalation.sla:
        sla = next((s for s in procedure.slas if s.id == escalation.sla), None)
        trigger.append(sla.name or sla.id if sla else escalation.sla)
    if escalation.after:
        trigger.append(duration_text(escalation.after))
    return escalation.when + (f" ({', '.join(trigger)})" if trigger else "")


def clean(text: str) -> str:
    """``text`` on one line, with characters no XML or DOT may carry replaced by U+FFFD."""
    return " ".join(_UNDRAWABLE.sub(_undrawable, text).split())


def _undrawable(match: re.Match[str]) -> str:
    return " " if match.group().isspace() else "\ufffd"  # a tab or newline stays a space

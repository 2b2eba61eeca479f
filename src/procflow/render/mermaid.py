"""Mermaid flowchart text of a procedure, for wikis that draw Mermaid themselves (GitHub,
GitLab, Azure DevOps, MkDocs Material, Obsidian).

Owns: the Mermaid text and its escaping. What is drawn comes from ``diagram.build`` (the same
shapes and links as the Graphviz diagram). A lane is a ``subgraph`` (Mermaid's ``flowchart``
has no true lanes: wikis place these boxes themselves, not always in declared order); lanes
with nothing in them are left out. Node ids are generated (``s0``, ``s1``..., ``e3``,
``esc1``; lanes ``lane1``...): user text never becomes an id, so ``end``, ``subgraph`` or
``click`` in a title are only text. Every label is quoted and passed through ``label``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from procflow.durations import Duration
from procflow.model import Procedure, Role
from procflow.render.diagram import Diagram, Shape, build, clean

# One pass, so the "#" of an entity is never escaped again. Mermaid decodes #name; and #123;
# in labels. "%" keeps a label from forming a %%{init}%% directive or a %% comment; ":" keeps
# Mermaid's whole-text clean-up of "style ...:#...;" lines from eating an entity's ";".
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;",
             "`": "#96;", "%": "#37;", "\\": "#92;", ":": "#58;"}
_TABLE = str.maketrans(_ENTITIES)
_OPEN_CLOSE = {"start": ('(["', '"])'), "end": ('(["', '"])'), "decision": ('{"', '"}'),
               "step": ('["', '"]'), "escalation": ('["', '"]')}
# Class names carry a prefix: a class called "end" would end a subgraph.
_CLASSES = {
    "start": "fill:#e3f9e5,stroke:#2f8132,color:#1f2933",
    "end": "fill:#e4e7eb,stroke:#1f2933,stroke-width:3px,color:#1f2933",
    "decision": "fill:#fffbea,stroke:#8d6708,color:#1f2933",
    "escalation": "fill:#fff4e5,stroke:#b44d12,stroke-dasharray:5 4,color:#1f2933",
}


def label(text: str) -> str:
    """``text`` on one line, safe inside a double-quoted Mermaid label."""
    return clean(text).translate(_TABLE)


def to_mermaid(procedure: Procedure, *, shared_roles: Sequence[Role] = (),
               duration_text: Callable[[Duration], str] = str,
               words: Mapping[str, str] | None = None) -> str:
    """A ``flowchart TB`` of ``procedure``: a subgraph per lane (own roles in declared order,
    then the shared roles that steps or escalations name), steps as boxes with their time
    limit, decisions as diamonds with conditions on their edges, start and end, and each
    escalation as a dashed, labelled edge to a box in the target role's lane. Arguments as
    for ``dot_writer.to_dot``."""
    return mermaid_of(build(procedure, shared_roles=shared_roles, duration_text=duration_text,
                            words=words))


def mermaid_of(diagram: Diagram) -> str:
    """The Mermaid text of a ``diagram.build`` result (``to_mermaid`` in two steps, for a caller
    that also draws the same diagram with Graphviz)."""
    out = ["flowchart TB"]
    for lane, name in enumerate(diagram.lanes):
        members = [shape for shape in diagram.shapes if shape.lane == lane]
        if not members:
            continue
        out.append(f'  subgraph lane{lane + 1}["{label(name)}"]')
        out.extend(f"    {_node(shape)}" for shape in members)
        out.append("  end")
    for link in diagram.links:
        source = diagram.shapes[link.source].name
        target = diagram.shapes[link.target].name
        arrow = "-.->" if link.kind == "escalation" else "-->"
        text = f'|"{label(link.label)}"|' if link.label else ""
        out.append(f"  {source} {arrow}{text} {target}")
    for kind, style in _CLASSES.items():
        names = [shape.name for shape in diagram.shapes if shape.kind == kind]
        if names:
            out.append(f"  classDef pf{kind} {style}")
            out.append(f"  class {','.join(names)} pf{kind}")
    return "\n".join(out) + "\n"


def _node(shape: Shape) -> str:
    text = label(shape.text) + (f"<br>{label(shape.note)}" if shape.note else "")
    opening, closing = _OPEN_CLOSE[shape.kind]
    return f"{shape.name}{opening}{text}{closing}"

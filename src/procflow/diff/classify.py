"""What every field of a procedure is, for the diff: how its values are compared and how much
a change to it weighs (the spec's impact classes). This table is the diff's policy; the
engine in ``compare.py`` applies it.

breaking: what people must do or promise changes (a step removed, a step's role, the flow
among existing steps, an SLA target, an escalation's target or trigger, a role removed).
notable: a step added, instructions, checklist or template text, an SLA or escalation added,
a KPI target, owner or status. cosmetic: titles and names, descriptions, tags.
Order is ignored where it has no meaning (roles, tags, notify lists...). Flow fields (``next``,
``branches``, ``end``) are compared on the flow graph, in ``flowdiff.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from procflow.diff.changes import BREAKING, COSMETIC, NOTABLE, Impact

#: value: compared as is; text: whitespace-only edits are cosmetic; set: order ignored;
#: duration: by length (``14d`` == ``336h``), with a direction; ref / refs: an id (or ids) of
#: another item, followed through its rename; checklist: item by item
How = Literal["value", "text", "set", "duration", "ref", "refs", "checklist"]


@dataclass(frozen=True)
class Field:
    name: str  # attribute path, dotted for nested models: ``owner.name``
    label: str  # how messages name it
    impact: Impact
    how: How = "value"
    refers: str | None = None  # for ref/refs: the list the id points into


@dataclass(frozen=True)
class Part:
    """A list of items with ids (``steps``, ``slas``...)."""

    name: str
    noun: str
    added: Impact
    removed: Impact
    fields: tuple[Field, ...]


PROCEDURE_FIELDS = (
    Field("id", "id", NOTABLE),
    Field("title", "title", COSMETIC, "text"),
    Field("status", "status", NOTABLE),
    Field("owner.name", "owner name", NOTABLE, "text"),
    Field("owner.email", "owner e-mail", NOTABLE),
    Field("owner.handle", "owner handle", NOTABLE),
    Field("language", "language", NOTABLE),
    Field("purpose", "purpose", COSMETIC, "text"),
    Field("scope", "scope", COSMETIC, "text"),
    Field("customer.type", "customer type", NOTABLE),
    Field("customer.name", "customer", NOTABLE, "text"),
    Field("triggers", "triggers", NOTABLE, "set"),
    Field("review.last", "last review", COSMETIC),
    Field("review.every", "review interval", COSMETIC, "duration"),
    Field("tags", "tags", COSMETIC, "set"),
    Field("related", "related procedures", COSMETIC, "set"),
)

PARTS = (
    Part("roles", "role", NOTABLE, BREAKING, (
        Field("name", "name", COSMETIC, "text"),
        Field("department", "department", NOTABLE, "text"),
        Field("responsibilities", "responsibilities", NOTABLE, "set"),
    )),
    Part("priorities", "priority", NOTABLE, BREAKING, (
        Field("name", "name", COSMETIC, "text"),
        Field("description", "description", COSMETIC, "text"),
    )),
    Part("steps", "step", NOTABLE, BREAKING, (
        Field("title", "title", COSMETIC, "text"),
        Field("role", "role", BREAKING, "ref", "roles"),
        Field("accountable", "accountable role", NOTABLE, "ref", "roles"),
        Field("consulted", "consulted roles", NOTABLE, "refs", "roles"),
        Field("informed", "informed roles", NOTABLE, "refs", "roles"),
        Field("max_duration", "time limit", NOTABLE, "duration"),
        Field("instructions", "instructions", NOTABLE, "text"),
        Field("checklist", "checklist", NOTABLE, "checklist"),
        Field("tools", "tools", NOTABLE, "set"),
        Field("template", "template", NOTABLE, "ref", "templates"),
    )),
    Part("slas", "SLA", NOTABLE, BREAKING, (
        Field("name", "name", COSMETIC, "text"),
        Field("target", "target", BREAKING, "duration"),
        Field("priority", "priority", BREAKING, "ref", "priorities"),
        Field("clock", "clock", BREAKING),
        Field("calendar", "calendar", BREAKING),
        Field("start", "start step", BREAKING, "ref", "steps"),
        Field("stop", "stop step", BREAKING, "ref", "steps"),
    )),
    Part("escalations", "escalation", NOTABLE, BREAKING, (
        Field("when", "trigger", BREAKING, "text"),
        Field("sla", "SLA", BREAKING, "ref", "slas"),
        Field("at", "SLA moment", BREAKING),
        Field("after", "delay", BREAKING, "duration"),
        Field("steps", "watched steps", BREAKING, "refs", "steps"),
        Field("to", "target role", BREAKING, "ref", "roles"),
        Field("notify", "notified roles", NOTABLE, "refs", "roles"),
        Field("action", "action", NOTABLE, "text"),
    )),
    Part("templates", "template", NOTABLE, NOTABLE, (
        Field("channel", "channel", NOTABLE),
        Field("subject", "subject", NOTABLE, "text"),
        Field("body", "text", NOTABLE, "text"),
    )),
    Part("kpis", "KPI", NOTABLE, NOTABLE, (
        Field("name", "name", COSMETIC, "text"),
        Field("target", "target", NOTABLE, "text"),
        Field("source", "source", NOTABLE, "text"),
        Field("frequency", "frequency", NOTABLE, "text"),
    )),
)

PART_BY_NAME = {part.name: part for part in PARTS}
#: flow changes among existing steps (a ``next``, a branch's target or condition, ``end``)
FLOW_IMPACT: Impact = BREAKING

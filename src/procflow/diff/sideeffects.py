"""What a change leaves behind elsewhere in the procedure, each as its own change: a
template no step sends any more, a role no longer responsible for any step, an SLA whose
start or stop step moved or is gone, an escalation watching a step that is gone, a KPI whose
source nothing uses any more. Every check also reads the other way round (a template sent
again...), so ``diff B A`` mirrors ``diff A B``.

Reads the pairing of a ``Comparison``; names are new-side keys (old-only items keep their old
id). Linear in the size of the procedures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from procflow.diff.changes import BREAKING, NOTABLE, Change
from procflow.diff.match import Matching
from procflow.diff.values import show
from procflow.flow import Flow
from procflow.model import Procedure


class Comparison(Protocol):
    """What side effects read of ``compare.Comparison`` (a protocol, so this module does not
    import the one that calls it)."""

    old: Procedure
    new: Procedure
    items: dict[str, tuple[dict[str, Any], dict[str, Any]]]
    matching: dict[str, Matching]
    moved_reroutes: set[str]

    @property
    def flows(self) -> dict[str, Flow]: ...


def side_effects(comparison: Comparison) -> list[Change]:
    return [*_templates(comparison), *_roles(comparison), *_slas(comparison),
            *_escalations(comparison), *_kpis(comparison)]


def _renamed(comparison: Comparison, part: str) -> dict[str, str]:
    return comparison.matching[part].pairs


def _senders(comparison: Comparison, side: str) -> dict[str, list[str]]:
    """Template -> the steps that send it, of the steps a case can reach."""
    procedure = comparison.old if side == "old" else comparison.new
    reachable = comparison.flows[side].reachable
    steps = _renamed(comparison, "steps") if side == "old" else {}
    templates = _renamed(comparison, "templates") if side == "old" else {}
    out: dict[str, list[str]] = {}
    for i, step in enumerate(procedure.steps):
        if step.template and reachable[i]:
            name = templates.get(step.template, step.template)
            out.setdefault(name, []).append(steps.get(step.id, step.id))
    return out


def _templates(comparison: Comparison) -> Iterable[Change]:
    was, now = _senders(comparison, "old"), _senders(comparison, "new")
    for name in sorted(was.keys() - now.keys()):
        yield Change(f"templates[{name}].sent", "changed", BREAKING,
                     f"template '{name}' is no longer sent by any step (it was sent by "
                     f"{show(was[name])}): customers stop receiving it", was[name], [],
                     roles=tuple(sorted(_roles_of(comparison.old, was[name], comparison))))
    for name in sorted(now.keys() - was.keys()):
        yield Change(f"templates[{name}].sent", "changed", NOTABLE,
                     f"template '{name}' is now sent, by {show(now[name])} (no step sent it "
                     "before)", [], now[name],
                     roles=tuple(sorted(_roles_of(comparison.new, now[name], comparison))))


def _roles_of(procedure: Procedure, steps: list[str], comparison: Comparison) -> set[str]:
    old_side = procedure is comparison.old
    rename = _renamed(comparison, "steps") if old_side else {}
    roles = _renamed(comparison, "roles") if old_side else {}
    wanted = set(steps)
    return {roles.get(s.role, s.role) for s in procedure.steps if rename.get(s.id, s.id) in wanted}


def _responsible(comparison: Comparison, side: str) -> dict[str, list[str]]:
    procedure = comparison.old if side == "old" else comparison.new
    steps = _renamed(comparison, "steps") if side == "old" else {}
    roles = _renamed(comparison, "roles") if side == "old" else {}
    out: dict[str, list[str]] = {}
    for step in procedure.steps:
        out.setdefault(roles.get(step.role, step.role), []).append(steps.get(step.id, step.id))
    return out


def _roles(comparison: Comparison) -> Iterable[Change]:
    was, now = _responsible(comparison, "old"), _responsible(comparison, "new")
    for role in sorted(was.keys() - now.keys()):
        yield Change(f"roles[{role}].steps", "changed", NOTABLE,
                     f"role '{role}' is no longer responsible for any step (it did "
                     f"{show(was[role])})", was[role], [], roles=(role,))
    for role in sorted(now.keys() - was.keys()):
        yield Change(f"roles[{role}].steps", "changed", NOTABLE,
                     f"role '{role}' is now responsible for {show(now[role])} (no step "
                     "before)", [], now[role], roles=(role,))


def _step_names(comparison: Comparison) -> tuple[set[str], set[str]]:
    rename = _renamed(comparison, "steps")
    return ({rename.get(s.id, s.id) for s in comparison.old.steps},
            {s.id for s in comparison.new.steps})


def _gone_or_back(before: set[str], after: set[str], step: str) -> str | None:
    if step in before and step not in after:
        return "gone"
    if step in after and step not in before:
        return "back"
    return None


def _slas(comparison: Comparison) -> Iterable[Change]:
    old_items, new_items = comparison.items["slas"]
    rename = _renamed(comparison, "steps")
    before, after = _step_names(comparison)
    first_old = rename.get(comparison.old.steps[0].id, comparison.old.steps[0].id)
    first_new = comparison.new.steps[0].id
    for old_key, key in comparison.matching["slas"].pairs.items():
        old_sla, new_sla = old_items[old_key], new_items[key]
        for field, verb in (("start", "starts"), ("stop", "stops")):
            was = getattr(old_sla, field)
            now = getattr(new_sla, field)
            was = rename.get(was, was) if was else was
            path = f"slas[{key}].{field}"
            if was is None and now is None and field == "start" and first_old != first_new:
                yield Change(path, "changed", BREAKING,
                             f"SLA '{key}' now starts at '{first_new}', the new first step "
                             f"(was '{first_old}')", first_old, first_new)
            if was is None or was != now:
                continue  # no step named, or the field change itself is reported
            state = _gone_or_back(before, after, now)
            if state == "gone":
                clock = "never starts" if field == "start" else "never stops"
                yield Change(path, "changed", BREAKING,
                             f"SLA '{key}' {verb} at '{now}', which is no longer a step: its "
                             f"clock {clock}", now, None)
            elif state == "back":
                yield Change(path, "changed", NOTABLE,
                             f"SLA '{key}' {verb} at '{now}', which is a step again", None, now)
            elif now in comparison.moved_reroutes:
                yield Change(path, "changed", BREAKING,
                             f"SLA '{key}' {verb} at '{now}', which moved: the steps it "
                             "measures changed", now, now)


def _escalations(comparison: Comparison) -> Iterable[Change]:
    old_items, new_items = comparison.items["escalations"]
    rename = _renamed(comparison, "steps")
    before, after = _step_names(comparison)
    for old_key, key in comparison.matching["escalations"].pairs.items():
        was = {rename.get(s, s) for s in old_items[old_key].steps or ()}
        for step in [s for s in new_items[key].steps or () if s in was]:
            state = _gone_or_back(before, after, step)
            if state == "gone":
                yield Change(f"escalations[{key}].steps", "changed", BREAKING,
                             f"escalation '{key}' watches '{step}', which is no longer a step: "
                             "it never triggers there", step, None,
                             roles=(new_items[key].to,))
            elif state == "back":
                yield Change(f"escalations[{key}].steps", "changed", NOTABLE,
                             f"escalation '{key}' watches '{step}', which is a step again",
                             None, step, roles=(new_items[key].to,))


def _sources(procedure: Procedure, steps: dict[str, str], templates: dict[str, str]
             ) -> set[str]:
    """What a KPI's ``source`` may name, lower-cased: steps, templates and tools (old ids
    through their renames)."""
    out = {steps.get(step.id, step.id).lower() for step in procedure.steps}
    out |= {templates.get(t.id, t.id).lower() for t in procedure.templates}
    out |= {tool.lower() for step in procedure.steps for tool in step.tools or ()}
    return out


def _kpis(comparison: Comparison) -> Iterable[Change]:
    old_items, new_items = comparison.items["kpis"]
    if not any(kpi.source for kpi in new_items.values()):
        return
    was_names = _sources(comparison.old, _renamed(comparison, "steps"),
                         _renamed(comparison, "templates"))
    now_names = _sources(comparison.new, {}, {})
    for old_key, key in comparison.matching["kpis"].pairs.items():
        source = new_items[key].source
        if not source or source != old_items[old_key].source:
            continue
        named = source.strip().lower()
        if named in was_names and named not in now_names:
            yield Change(f"kpis[{key}].source", "changed", NOTABLE,
                         f"KPI '{key}' is measured from {show(source)}, which no step, "
                         "template or tool of the procedure is any more", source, None)
        elif named in now_names and named not in was_names:
            yield Change(f"kpis[{key}].source", "changed", NOTABLE,
                         f"KPI '{key}' is measured from {show(source)}, which the procedure "
                         "uses again", None, source)

"""Flow changes among the steps both versions share: a ``next``, a branch's target or
condition, ``end``, the start, and what a moved step does to the flow.

The two flow graphs are compared after contraction: an added step (new side) or a removed
step (old side) is replaced by what comes after it, so inserting or deleting a step is not
also reported as re-routing its neighbours (the spec: that re-routing is part of the step
added or removed). Renamed steps are followed through the step matching. Linear in steps
and edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procflow.diff.changes import Change, Kind
from procflow.diff.classify import FLOW_IMPACT
from procflow.diff.values import show
from procflow.flow import Flow
from procflow.model import Branch, Step

END = "(end)"
Targets = frozenset[str]


class _Side:
    """One version's flow over step keys, contracting the steps the other side lacks."""

    def __init__(self, flow: Flow, keys: list[str], rename: dict[str, str]) -> None:
        self.flow = flow
        self.keys = keys
        self.rename = rename  # this side's key -> the new side's key, for shared steps
        self._contracted: dict[int, Targets] = {}

    def targets_of(self, index: int) -> Targets:
        """What comes after a step, in shared new-side keys (END for the end)."""
        out: set[str] = {END} if self.flow.is_end(index) else set()
        for edge in self.flow.edges[index]:
            out |= self.through(edge.target)
        return frozenset(out)

    def through(self, index: int) -> Targets:
        """A step as a target: itself when shared, else what comes after it (iteratively,
        so long chains of added or removed steps cost no recursion)."""
        key = self.keys[index]
        if key in self.rename:
            return frozenset({self.rename[key]})
        if index in self._contracted:
            return self._contracted[index]
        found: set[str] = set()
        seen = {index}
        todo = [index]
        while todo:
            current = todo.pop()
            if self.flow.is_end(current):
                found.add(END)
            for edge in self.flow.edges[current]:
                target_key = self.keys[edge.target]
                if target_key in self.rename:
                    found.add(self.rename[target_key])
                elif edge.target in self._contracted:
                    found |= self._contracted[edge.target]
                elif edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        self._contracted[index] = frozenset(found)
        return self._contracted[index]


@dataclass
class FlowDiff:
    changes: dict[str, list[Change]]  # by new step key
    start: list[Change]
    reordering: set[str]  # moved steps (new keys) whose move changed the flow
    #: shared steps (new keys) after which something else comes now: (before, after)
    differs: dict[str, tuple[Targets, Targets]] = field(default_factory=dict)


def compare_flow(old: Flow, new: Flow, old_keys: list[str], new_keys: list[str],
                 pairs: dict[str, str], moved: set[str]) -> FlowDiff:
    """Flow changes per shared step, a change of the start, and which moves re-route."""
    old_side = _Side(old, old_keys, pairs)
    new_side = _Side(new, new_keys, {key: key for key in pairs.values()})
    old_index = {key: i for i, key in enumerate(old_keys)}
    old_of = {new_key: old_key for old_key, new_key in pairs.items()}
    result = FlowDiff({}, [], set())
    for new_i, new_key in enumerate(new_keys):
        old_key = old_of.get(new_key)
        if old_key is None:
            continue
        old_i = old_index[old_key]
        before, after = old_side.targets_of(old_i), new_side.targets_of(new_i)
        new_step = new.steps[new_i]
        if before != after:
            result.differs[new_key] = (before, after)
        found = _explicit(old.steps[old_i], new_step, new_key, before, after, old_side, new_side)
        if found:
            result.changes[new_key] = found
        elif before != after:
            culprits = ({new_key} | (before ^ after)) & moved
            if culprits:
                result.reordering |= culprits
            else:
                result.changes[new_key] = [_reroute(new_key, new_step, before, after)]
    start_before, start_after = old_side.through(0), new_side.through(0)
    if start_before != start_after:
        moved_first = (start_before ^ start_after) & moved
        if moved_first:
            result.reordering |= moved_first
        else:
            result.start.append(Change(
                "steps", "changed", FLOW_IMPACT,
                f"the procedure now starts at {_names(start_after)} (was {_names(start_before)})",
                sorted(start_before), sorted(start_after)))
    return result


def _explicit(old: Step, new: Step, key: str, before: Targets, after: Targets,
              old_side: _Side, new_side: _Side) -> list[Change]:
    """Changes of the flow fields themselves (next, end, branches); ``before`` and ``after``
    are what comes after the step in each version."""
    where = f"steps[{key}]"
    role = (new.role,)
    if old.branches and new.branches:
        return _branches(old, new, key, old_side, new_side)
    if bool(old.branches) != bool(new.branches):
        kind: Kind = "added" if new.branches else "removed"
        what = "now a decision" if new.branches else "no longer a decision"
        return [Change(f"{where}.branches", kind, FLOW_IMPACT,
                       f"step '{key}' is {what}: after it comes {_names(after)}"
                       f" (was {_names(before)}){_ending(before, after)}",
                       _branch_list(old), _branch_list(new), roles=role)]
    if before == after:
        return []
    old_next = old_side.rename.get(old.next, old.next) if old.next else None
    if (old_next, old.end) == (new.next, new.end):
        return []
    field = "next" if old.next or new.next else "end"
    return [Change(f"{where}.{field}", "changed", FLOW_IMPACT,
                   f"after step '{key}' now comes {_names(after)} (was {_names(before)})"
                   f"{_ending(before, after)}", getattr(old, field), getattr(new, field),
                   roles=role)]


def _pair_branches(old: list[Branch], new: list[Branch]) -> list[tuple[int | None, int | None]]:
    """(old index, new index) of the branches: same condition first, the rest in order;
    None on one side for a branch added or removed. Sorted by the new index."""
    old_left = list(range(len(old)))
    found: list[tuple[int | None, int | None]] = []
    unpaired = []
    for now_at, branch in enumerate(new):
        same = next((i for i in old_left if old[i].when == branch.when), None)
        if same is None:
            unpaired.append(now_at)
        else:
            old_left.remove(same)
            found.append((same, now_at))
    found += [(old_left.pop(0) if old_left else None, now_at) for now_at in unpaired]
    found += [(was_at, None) for was_at in old_left]
    return sorted(found, key=lambda p: (p[1] is None, p[1] or 0, p[0] or 0))


def _branches(old: Step, new: Step, key: str, old_side: _Side, new_side: _Side
              ) -> list[Change]:
    assert old.branches is not None and new.branches is not None
    out = []
    role = (new.role,)
    for was_at, now_at in _pair_branches(old.branches, new.branches):
        if now_at is None:
            assert was_at is not None
            gone = old.branches[was_at]
            out.append(Change(f"steps[{key}].branches[{was_at + 1}]", "removed", FLOW_IMPACT,
                              f"step '{key}': outcome {show(gone.when)} removed",
                              gone.model_dump(), None, roles=role))
            continue
        now = new.branches[now_at]
        where = f"steps[{key}].branches[{now_at + 1}]"
        if was_at is None:
            out.append(Change(where, "added", FLOW_IMPACT,
                              f"step '{key}': new outcome {show(now.when)} leads to '{now.next}'",
                              None, now.model_dump(), roles=role))
            continue
        was = old.branches[was_at]
        if was.when != now.when:
            out.append(Change(f"{where}.when", "changed", FLOW_IMPACT,
                              f"step '{key}': condition {show(was.when)} changed to "
                              f"{show(now.when)}", was.when, now.when, roles=role))
        before = _branch_target(old_side, was.next)
        after = _branch_target(new_side, now.next)
        if before != after:
            out.append(Change(f"{where}.next", "changed", FLOW_IMPACT,
                              f"step '{key}': outcome {show(now.when)} now leads to "
                              f"{_names(after)} (was {_names(before)}){_ending(before, after)}",
                              was.next, now.next,
                              roles=role))
    return out


def _branch_target(side: _Side, target: str) -> Targets:
    index = side.flow.index.get(target)
    if index is None:  # an unknown step (PF005): compare the name as written (renamed: new)
        return frozenset({side.rename.get(target, target)})
    return side.through(index)


def _branch_list(step: Step) -> list[dict[str, str]] | None:
    return [b.model_dump() for b in step.branches] if step.branches else None


def _reroute(key: str, step: Step, before: Targets, after: Targets) -> Change:
    return Change(f"steps[{key}].next", "changed", FLOW_IMPACT,
                  f"after step '{key}' now comes {_names(after)} (was {_names(before)}): the "
                  f"order of steps changed{_ending(before, after)}", sorted(before), sorted(after),
                  roles=(step.role,))


def _ending(before: Targets, after: Targets) -> str:
    """Whether the change opens or closes a way to the end."""
    if END in after and END not in before:
        return "; a new way to the end"
    if END in before and END not in after:
        return "; no longer a way to the end"
    return ""


def _names(targets: Targets) -> str:
    if not targets:
        return "nothing"
    return ", ".join("the end" if t == END else f"'{t}'" for t in sorted(targets))

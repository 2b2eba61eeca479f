"""What a change does to the paths through a procedure, beyond the edges ``flowdiff.py``
compares: steps that became unreachable or newly reachable, loops added or removed, steps a
path now skips (or newly passes through), and the story of a removed or inserted step (which
edges now go around it, or through it).

Everything is read on the two flow graphs with steps named by their new-side key (a step
only on the old side keeps its old id). Each walk is linear in steps + edges; the skip checks
share one bounded budget, so a change touching many steps cannot go quadratic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from procflow.diff.changes import BREAKING, NOTABLE, Change, Kind
from procflow.flow import Flow
from procflow.model import Procedure

END = "(end)"
#: steps visited by all skip checks together, as a multiple of the number of steps, and by
#: one check: a skip is found when the skipped step leads to the new target within this many
#: steps (a skip is local; a far one is still reported as the edge change itself). The
#: budget is shared out evenly before any walk (never less than SKIP_LEAST steps a check):
#: the same checks get the same reach whichever version is the old one, so ``diff A B`` and
#: ``diff B A`` find the same skips.
SKIP_BUDGET = 2
SKIP_REACH = 64
SKIP_LEAST = 4
#: the steps of a loop a message names (``old`` or ``new`` lists them all)
LOOP_NAMES = 6


@dataclass
class Graph:
    """One side's flow over step names: successors with their branch conditions."""

    flow: Flow
    names: list[str]  # per index: the new-side key when shared, else the step's own id

    @cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    def edges(self, i: int) -> list[tuple[str | None, str]]:
        """(condition, target name) of each edge out of step ``i``, END when it ends."""
        names = self.names
        found = [(e.label, names[e.target]) for e in self.flow.edges[i]]
        return found + [(None, END)] if self.flow.is_end(i) else found

    def into(self, wanted: set[str]) -> dict[str, list[tuple[str, str | None]]]:
        """Per step name of ``wanted``, its predecessors: (source name, condition)."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        if not wanted:
            return found
        names = self.names
        for edges in self.flow.edges:
            for edge in edges:
                if names[edge.target] in wanted:
                    found.setdefault(names[edge.target], []).append(
                        (names[edge.source], edge.label))
        return found

    def reachable(self) -> set[str]:
        return {name for name, seen in zip(self.names, self.flow.reachable, strict=True) if seen}

    def cycles(self) -> dict[str, int]:
        """Step name -> the number of its loop (strongly connected component with a cycle),
        for every step that lies on a loop; iterative Tarjan."""
        edges = self.flow.edges
        if all(e.target > e.source for out in edges for e in out):
            return {}  # every edge leads further down the list: no loop at all
        n = len(edges)
        number = [-1] * n
        low = [0] * n
        on_stack = [False] * n
        stack: list[int] = []
        component = [-1] * n
        counter = 0
        found = 0
        for root in range(n):
            if number[root] != -1:
                continue
            work = [(root, 0)]
            number[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = True
            while work:
                node, k = work[-1]
                if k < len(edges[node]):
                    work[-1] = (node, k + 1)
                    target = edges[node][k].target
                    if number[target] == -1:
                        number[target] = low[target] = counter
                        counter += 1
                        stack.append(target)
                        on_stack[target] = True
                        work.append((target, 0))
                    elif on_stack[target]:
                        low[node] = min(low[node], number[target])
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == number[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        members.append(member)
                        if member == node:
                            break
                    if len(members) > 1 or any(e.target == node for e in edges[node]):
                        for member in members:
                            component[member] = found
                        found += 1
        return {self.names[i]: c for i, c in enumerate(component) if c != -1}


def important_steps(procedure: Procedure) -> dict[str, str]:
    """Steps whose loss reaches customers or promises, with why: a template is sent there,
    an SLA starts or stops there, an escalation watches it."""
    out: dict[str, str] = {}
    for sla in procedure.slas:
        for step_id, what in ((sla.start, "starts"), (sla.stop, "stops")):
            if step_id:
                out.setdefault(step_id, f"SLA '{sla.id}' {what} there")
    for escalation in procedure.escalations:
        for step_id in escalation.steps or ():
            out.setdefault(step_id, f"escalation '{escalation.id}' watches it")
    for step in procedure.steps:
        if step.template:
            out[step.id] = f"it sends template '{step.template}'"
    return out


@dataclass
class FlowStory:
    #: by new key: the reachability, loop and skip changes of shared steps
    changes: dict[str, list[Change]] = field(default_factory=dict)
    #: by step key (old id for removed, new id for added): the edges around it, in words
    stories: dict[str, tuple[str, list[dict[str, Any]], set[str]]] = field(default_factory=dict)

    def add(self, key: str, change: Change) -> None:
        self.changes.setdefault(key, []).append(change)


def tell(old: Procedure, new: Procedure, old_flow: Flow, new_flow: Flow, old_keys: list[str],
         new_keys: list[str], pairs: dict[str, str], removed: list[str], added: list[str],
         differs: dict[str, tuple[frozenset[str], frozenset[str]]]) -> FlowStory:
    """The path-level changes between two versions: ``old_keys`` and ``new_keys`` name the
    steps of each side (``match.keyed``), ``pairs`` maps an old key to its new key,
    ``differs`` holds the shared steps after which something else comes now, with what came
    before and what comes now (``flowdiff``: added and removed steps contracted)."""
    before = Graph(old_flow, [pairs.get(key, key) for key in old_keys])
    after = Graph(new_flow, new_keys)
    shared = set(pairs.values())
    story = FlowStory()
    old_important = {pairs.get(k, k): why for k, why in important_steps(old).items()}
    new_important = important_steps(new)
    was_reachable, now_reachable = before.reachable(), after.reachable()
    for key in new_keys:
        if key not in shared:
            continue
        if key in was_reachable and key not in now_reachable:
            why = old_important.get(key)
            story.add(key, Change(f"steps[{key}].reachable", "changed",
                                  BREAKING if why else NOTABLE,
                                  f"step '{key}' can no longer be reached: no path leads to "
                                  f"it any more{f' ({why})' if why else ''}", True, False))
        elif key in now_reachable and key not in was_reachable:
            why = new_important.get(key)
            story.add(key, Change(f"steps[{key}].reachable", "changed", NOTABLE,
                                  f"step '{key}' can now be reached (no path led to it before)"
                                  f"{f'; {why}' if why else ''}", False, True))
    _loops(story, before.cycles(), after.cycles(), shared, old_keys, new_keys, pairs)
    _skips(story, before, after, differs, was_reachable & now_reachable)
    into_before, into_after = before.into(set(removed)), after.into(set(added))
    for key in removed:
        story.stories[key] = _around(key, into_before, before, after, "removed")
    for key in added:
        story.stories[key] = _around(key, into_after, after, before, "added")
    return story


def _loops(story: FlowStory, was: dict[str, int], now: dict[str, int], shared: set[str],
           old_keys: list[str], new_keys: list[str], pairs: dict[str, str]) -> None:
    """A loop added: shared steps that now lie on a loop and did not; grouped by loop,
    named by its first step in the version that has it. Removed: the same, mirrored."""
    kind: Kind
    for kind, side, other, order in (("added", now, was, new_keys),
                                     ("removed", was, now, [pairs.get(k, k) for k in old_keys])):
        groups: dict[int, list[str]] = {}
        for key in order:
            if key in shared and key in side and key not in other:
                groups.setdefault(side[key], []).append(key)
        for members in groups.values():
            names = ", ".join(f"'{m}'" for m in members[:LOOP_NAMES]) + (
                f" and {len(members) - LOOP_NAMES} more" if len(members) > LOOP_NAMES else "")
            said = (f"a loop added: a case can now come back to {names}" if kind == "added"
                    else f"a loop removed: a case can no longer come back to {names}")
            story.add(members[0], Change(f"steps[{members[0]}].loop", kind, NOTABLE, said,
                                         None if kind == "added" else members,
                                         members if kind == "added" else None))


def _skips(story: FlowStory, before: Graph, after: Graph,
           differs: dict[str, tuple[frozenset[str], frozenset[str]]], reachable: set[str]
           ) -> None:
    """After a shared step X the flow went to A and now goes to B, where A (still there and
    reachable) led on to B: those cases now skip A. The mirror: now pass through A. Steps
    added or removed in between are looked through (X -> new N -> B still skips A).

    A check in one direction is the same walk as its mirror in the other (a skip of A on
    the old graph is a pass through A on the new one, read backwards), so with the reach of
    every walk fixed up front the two directions report mirrored changes."""
    checks: list[tuple[str, str, Graph, frozenset[str], bool]] = []
    for key, (was, now) in differs.items():
        checks += [(key, skipped, before, now - was, True)
                   for skipped in sorted((was - now) & reachable)]
        checks += [(key, passed, after, was - now, False)
                   for passed in sorted((now - was) & reachable)]
    if not checks:
        return
    reach = max(SKIP_LEAST, min(SKIP_REACH, SKIP_BUDGET * (len(before.names) + len(after.names))
                                // len(checks)))
    for key, step, graph, wanted, skips in checks:
        goes = _reached_from(graph, step, wanted, reach)
        if not goes:
            continue
        if skips:
            story.add(step, Change(
                f"steps[{step}].skipped", "changed", NOTABLE,
                f"after step '{key}' the flow now skips '{step}' and goes straight to "
                f"{_names(goes)}", f"{key} → {step}", f"{key} → {_names(goes)}"))
        else:
            story.add(step, Change(
                f"steps[{step}].skipped", "changed", NOTABLE,
                f"after step '{key}' the flow now passes through '{step}' on its way to "
                f"{_names(goes)}", f"{key} → {_names(goes)}", f"{key} → {step}"))


def _reached_from(graph: Graph, start: str, wanted: Set[str], reach: int) -> set[str]:
    """Which of ``wanted`` (step names or END) a walk from ``start`` meets within ``reach``
    steps, nearest first."""
    if start == END or not wanted:
        return set()
    index = graph.index
    seen = {index[start]}
    todo = deque([index[start]])
    found: set[str] = set()
    while todo and reach > 0 and len(found) < len(wanted):
        i = todo.popleft()
        reach -= 1
        for _, target in graph.edges(i):
            if target in wanted:
                found.add(target)
            if target != END and index[target] not in seen:
                seen.add(index[target])
                todo.append(index[target])
    return found


def _around(key: str, into: dict[str, list[tuple[str, str | None]]], side: Graph,
            other: Graph, kind: str) -> tuple[str, list[dict[str, Any]], set[str]]:
    """A removed step's story (``side`` old, ``other`` new): each edge that led into it and
    where that case goes now; an added step's, mirrored (where the case went before)."""
    rewired = []
    roles = set()
    other_index = other.index
    for source, when in into.get(key, []):
        if source not in other_index:
            continue  # a step also removed (or added): its own story tells it
        targets = sorted({t for w, t in other.edges(other_index[source])
                          if when is None or w == when})
        if not targets:
            continue
        old, new = ([key], targets) if kind == "removed" else (targets, [key])
        rewired.append({"from": source, "when": when, "old": old, "new": new})
        roles.add(other.flow.steps[other_index[source]].role)
    if not rewired:
        return "", [], set()
    parts = []
    for edge in rewired:
        at = f"after '{edge['from']}'" + (f" (outcome '{edge['when']}')" if edge["when"] else "")
        if kind == "removed":
            parts.append(f"{at} the flow now goes straight to {_names(edge['new'])}")
        else:
            parts.append(f"{at} the flow now goes through it (was {_names(edge['old'])})")
    return "; ".join(parts), rewired, roles


def _names(targets: Iterable[str] | str | None) -> str:
    if targets is None or isinstance(targets, str):
        targets = [] if targets is None else [targets]
    return ", ".join("the end" if t == END else f"'{t}'" for t in sorted(targets)) or "nothing"

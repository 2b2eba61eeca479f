"""The flow of a procedure as a graph over step indexes, per the format's flow rules.

After a step comes: its ``branches``; else its ``next``; else the end, if ``end: true``; else
the step below it; the last step in the list ends. References to unknown steps are left out
(rule PF005 reports them). Every walk here is iterative and linear in steps + edges, so a
2,000-step procedure with many branches costs nothing special.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from procflow.model import Procedure


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    label: str | None = None  # the branch condition, for a decision
    branch: int | None = None  # index of the branch in the step's ``branches``


class Flow:
    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self.steps = procedure.steps
        self.index: dict[str, int] = {}
        for position, step in enumerate(self.steps):
            self.index.setdefault(step.id, position)

    @cached_property
    def edges(self) -> list[list[Edge]]:
        """Outgoing edges of every step, in written order."""
        out: list[list[Edge]] = []
        last = len(self.steps) - 1
        for position, step in enumerate(self.steps):
            if step.branches:
                out.append([Edge(position, self.index[b.next], b.when, k)
                            for k, b in enumerate(step.branches) if b.next in self.index])
            elif step.next is not None:
                out.append([Edge(position, self.index[step.next])]
                           if step.next in self.index else [])
            elif step.end or position == last:
                out.append([])
            else:
                out.append([Edge(position, position + 1)])
        return out

    def is_end(self, position: int) -> bool:
        step = self.steps[position]
        last = position == len(self.steps) - 1
        return step.end or (last and not step.branches and step.next is None)

    @cached_property
    def reachable(self) -> list[bool]:
        """Which steps can be reached from the start (the first step)."""
        seen = [False] * len(self.steps)
        seen[0] = True
        todo = [0]
        while todo:
            for edge in self.edges[todo.pop()]:
                if not seen[edge.target]:
                    seen[edge.target] = True
                    todo.append(edge.target)
        return seen

    @cached_property
    def reaches_end(self) -> list[bool]:
        """Which steps have a path to some end (walking the edges backwards from the ends)."""
        return self.can_end(set())

    def can_end(self, open_ended: set[int]) -> list[bool]:
        """Which steps have a path to an end or to a step of ``open_ended`` (steps whose way
        on is not known, such as a ``next`` naming an unknown step: they may well end)."""
        incoming: list[list[int]] = [[] for _ in self.steps]
        for edges in self.edges:
            for edge in edges:
                incoming[edge.target].append(edge.source)
        done = [self.is_end(position) or position in open_ended
                for position in range(len(self.steps))]
        todo = [position for position, end in enumerate(done) if end]
        while todo:
            for source in incoming[todo.pop()]:
                if not done[source]:
                    done[source] = True
                    todo.append(source)
        return done

    @cached_property
    def loop_back(self) -> set[tuple[int, int]]:
        """Edges that close a cycle in a depth-first walk from the start (written order)."""
        state = [0] * len(self.steps)  # 0 new, 1 on the walk's path, 2 finished
        back: set[tuple[int, int]] = set()
        stack: list[tuple[int, int]] = [(0, 0)]
        state[0] = 1
        while stack:
            node, next_edge = stack[-1]
            edges = self.edges[node]
            if next_edge < len(edges):
                stack[-1] = (node, next_edge + 1)
                target = edges[next_edge].target
                if state[target] == 1:
                    back.add((node, target))
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, 0))
            else:
                state[node] = 2
                stack.pop()
        return back

    def longest_path(self, start: int, stop: set[int], weight: list[int]) -> int | None:
        """The largest sum of ``weight`` over a path from ``start`` to a step in ``stop``
        (both included), in the flow without its loop-back edges; None if none reaches."""
        forward = [[e.target for e in edges if (e.source, e.target) not in self.loop_back]
                   for edges in self.edges]
        order = _topological_from(start, forward)
        best: list[int | None] = [None] * len(self.steps)
        best[start] = weight[start]
        result: int | None = None
        for node in order:
            here = best[node]
            if here is None:
                continue
            if node in stop:
                result = here if result is None else max(result, here)
                continue
            for target in forward[node]:
                candidate = here + weight[target]
                previous = best[target]
                if previous is None or candidate > previous:
                    best[target] = candidate
        return result


def _topological_from(start: int, forward: list[list[int]]) -> list[int]:
    """Nodes reachable from ``start`` in topological order (iterative post-order, reversed)."""
    seen = {start}
    order: list[int] = []
    stack: list[tuple[int, int]] = [(start, 0)]
    while stack:
        node, k = stack[-1]
        if k < len(forward[node]):
            stack[-1] = (node, k + 1)
            target = forward[node][k]
            if target not in seen:
                seen.add(target)
                stack.append((target, 0))
        else:
            stack.pop()
            order.append(node)
    order.reverse()
    return order

"""The records a diff produces: one ``Change`` per difference, one ``ProcedureDiff`` per
procedure, one ``DiffReport`` per run, and the impact scale they are ranked on.

Field names follow the spec's JSON output contract (``path``, ``kind``, ``impact``, ``old``,
``new``, ``direction``, ``message``; ``status``, ``required_bump``, ``affected_roles``).
Nothing here compares, prints or reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from procflow.model import Procedure, Role

Impact = Literal["breaking", "notable", "cosmetic"]
Kind = Literal["added", "removed", "changed", "moved", "renamed"]
Status = Literal["added", "removed", "changed", "unchanged"]
Direction = Literal["tightened", "loosened"]

BREAKING: Impact = "breaking"
NOTABLE: Impact = "notable"
COSMETIC: Impact = "cosmetic"

#: worst last
IMPACT_RANK = {COSMETIC: 1, NOTABLE: 2, BREAKING: 3}
BUMP_FOR = {BREAKING: "major", NOTABLE: "minor", COSMETIC: "patch", None: "none"}
BUMP_RANK = {"none": 0, "patch": 1, "minor": 2, "major": 3}
#: the lists of items with ids, in the order of the format; a change's ``part`` is one of
#: them or ``procedure``
LISTS = ("roles", "priorities", "steps", "slas", "escalations", "templates", "kpis")


def worst(impacts: Any) -> Impact | None:
    """The worst of some impacts, or None when there are none."""
    return max(impacts, key=IMPACT_RANK.__getitem__, default=None)


@dataclass(frozen=True)
class Change:
    """One difference, addressed by a path of ids: ``steps[verify].branches[1].next``."""

    path: str
    kind: Kind
    impact: Impact
    message: str
    old: Any = None
    new: Any = None
    direction: Direction | None = None
    similarity: float | None = None
    #: the roles whose work this change touches (they make up ``affected_roles``)
    roles: tuple[str, ...] = ()
    #: for a step removed or added: the edges that now go around it (or through it), each
    #: ``{"from": step, "when": condition or None, "old": [targets], "new": [targets]}``
    rewired: tuple[dict[str, Any], ...] = ()

    @property
    def part(self) -> str:
        """The part of the procedure it belongs to: ``steps``, ``slas``... or ``procedure``."""
        head = self.path.split(".", 1)[0].split("[", 1)[0]
        return head if head in LISTS else "procedure"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind, "impact": self.impact,
                               "old": self.old, "new": self.new}
        if self.direction:
            out["direction"] = self.direction
        if self.similarity is not None:
            out["similarity"] = self.similarity
        out["message"] = self.message
        out["roles"] = list(self.roles)
        if self.rewired:
            out["rewired"] = [dict(edge) for edge in self.rewired]
        return out


@dataclass(frozen=True)
class ProcedureDiff:
    """What changed in one procedure between the two sides."""

    id: str
    status: Status
    file: str
    old_file: str | None = None
    old_version: str | None = None
    new_version: str | None = None
    changes: tuple[Change, ...] = ()
    affected_roles: tuple[str, ...] = ()
    #: the loaded procedures, kept only when a report needs them (the html diagram)
    old: Procedure | None = field(default=None, compare=False, repr=False)
    new: Procedure | None = field(default=None, compare=False, repr=False)
    #: the project's shared roles as the procedure's language names them (the diagram's lanes)
    shared_roles: tuple[Role, ...] = field(default=(), compare=False, repr=False)

    @property
    def impact(self) -> Impact | None:
        if self.status == "removed":
            return BREAKING
        if self.status == "added":
            return NOTABLE
        return worst(change.impact for change in self.changes)

    @property
    def required_bump(self) -> str:
        return BUMP_FOR[self.impact]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "old_file": self.old_file,
                "status": self.status, "old_version": self.old_version,
                "new_version": self.new_version, "impact": self.impact,
                "required_bump": self.required_bump, "affected_roles": list(self.affected_roles),
                "changes": [change.to_json() for change in self.changes]}


@dataclass(frozen=True)
class DiffReport:
    """Every procedure of both sides, sorted by id."""

    procedures: tuple[ProcedureDiff, ...]

    @property
    def changed(self) -> tuple[ProcedureDiff, ...]:
        return tuple(p for p in self.procedures if p.status != "unchanged")

    @property
    def is_empty(self) -> bool:
        return not self.changed

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        for procedure in self.procedures:
            out[procedure.status] += 1
        return out

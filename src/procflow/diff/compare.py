"""Comparing two versions of one procedure: the diff engine. It pairs list items by id
(renamed ones by content), applies the field table of ``classify.py``, reports step moves
and flow changes (``flowdiff.py``), and collects the roles each change touches.

Pure: models in, ``Change`` records out; no I/O, no printing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from procflow.diff.changes import BREAKING, COSMETIC, Change, Direction, Kind, ProcedureDiff, Status
from procflow.diff.classify import PART_BY_NAME, PARTS, PROCEDURE_FIELDS, Field, Part
from procflow.diff.flowdiff import compare_flow
from procflow.diff.flowstory import FlowStory, tell
from procflow.diff.match import Matching, kept_in_order, keyed, match, pair_texts
from procflow.diff.sideeffects import side_effects
from procflow.diff.values import get, is_long, plain, same_words, show, tokens
from procflow.flow import Flow
from procflow.model import Calendar, Procedure, Role, Sla

#: a side's calendars by id (None: its default calendar); None for an unknown one
Calendars = Callable[["str | None"], "Calendar | None"]


def no_calendars(calendar: str | None) -> Calendar | None:
    return None


def diff_procedure(old: Procedure | None, new: Procedure | None, *, file: str,
                   today: dt.date, old_file: str | None = None,
                   old_calendars: Calendars = no_calendars,
                   new_calendars: Calendars = no_calendars, keep_models: bool = False,
                   shared_roles: tuple[Role, ...] = ()) -> ProcedureDiff:
    """The diff of one procedure; ``old`` or ``new`` is None when it was added or removed.
    ``today``: the year from which a changed calendar's working time is compared."""
    present = new or old
    assert present is not None
    changes: list[Change] = []
    if old is None or new is None:
        status: Status = "added" if old is None else "removed"
        roles = {step.role for step in present.steps}
    else:
        if old != new:
            changes = Comparison(old, new, old_calendars, new_calendars, today=today).changes()
        elif any(sla.clock == "business" for sla in new.slas):  # procflow.yaml may differ
            changes = Comparison(old, new, old_calendars, new_calendars,
                                 today=today).calendar_changes()
        roles = {role for change in changes for role in change.roles}
        status = "changed" if changes or old.version != new.version else "unchanged"
    return ProcedureDiff(present.id, status, file, old_file, old.version if old else None,
                         new.version if new else None, tuple(changes), tuple(sorted(roles)),
                         old if keep_models else None, new if keep_models else None,
                         shared_roles if keep_models else ())


class Comparison:
    """Two versions of one procedure and the pairing of their items."""

    def __init__(self, old: Procedure, new: Procedure, old_calendars: Calendars = no_calendars,
                 new_calendars: Calendars = no_calendars, *, today: dt.date) -> None:
        self.old, self.new, self.today = old, new, today
        self.calendars = {"old": old_calendars, "new": new_calendars}
        self.items: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.matching: dict[str, Matching] = {}
        #: moved steps (new keys) whose move changed the flow (set by ``steps``)
        self.moved_reroutes: set[str] = set()
        for part in PARTS:
            old_items = keyed(getattr(old, part.name), lambda item: item.id)
            new_items = keyed(getattr(new, part.name), lambda item: item.id)
            self.items[part.name] = (old_items, new_items)
            self.matching[part.name] = match(old_items, new_items, tokens)

    def changes(self) -> list[Change]:
        out = self.fields(PROCEDURE_FIELDS, self.old, self.new, "", "")
        for part in PARTS:
            out += self.steps() if part.name == "steps" else self.part(part)
        return out + side_effects(self) + self.calendar_changes()

    def calendar_changes(self) -> list[Change]:
        """A change of the calendar under an SLA (procflow.yaml) is a change of the SLA:
        more working time brings every due time forward (tightened), less moves it back."""
        from procflow.sla.compare import changed_parts, working_time_effect

        out: list[Change] = []
        old_items, new_items = self.items["slas"]
        for old_key, new_key in self.matching["slas"].pairs.items():
            old_sla, new_sla = old_items[old_key], new_items[new_key]
            if old_sla.clock != "business" or new_sla.clock != "business":
                continue
            before = self.calendars["old"](old_sla.calendar)
            after = self.calendars["new"](new_sla.calendar)
            if before is None or after is None or before.id != after.id or before == after:
                continue
            parts = changed_parts(before, after)
            effect = working_time_effect(before, after, self.today)
            said = {"more": "more working time, so every due time comes sooner: tightened",
                    "less": "less working time, so due times come later: loosened",
                    "same": "the same working time", "mixed": "working time both added and "
                    "removed: sooner for some cases, later for others"}.get(
                        effect or "", "every working hour moves (another time zone)"
                        if "time zone" in parts else "the effect cannot be decided")
            direction: Direction | None = ("tightened" if effect == "more" else
                                           "loosened" if effect == "less" else None)
            out += self.touching(PART_BY_NAME["slas"], [Change(
                f"slas[{new_key}].calendar", "changed", COSMETIC if effect == "same" else
                BREAKING, f"SLA '{new_key}': its calendar '{after.id}' changed "
                f"({', '.join(parts) or 'names'}): {said}",
                before.model_dump(mode="json", exclude_unset=True),
                after.model_dump(mode="json", exclude_unset=True), direction=direction)],
                old_sla, new_sla)
        return out

    # --- items of a list ------------------------------------------------------------------

    def part(self, part: Part) -> list[Change]:
        out: list[Change] = []
        old_items, new_items = self.items[part.name]
        matching = self.matching[part.name]
        for old_key, new_key in matching.pairs.items():
            out += self.touching(part, self.pair(part, old_key, new_key), old_items[old_key],
                                 new_items[new_key])
        out += [self.added(part, key) for key in matching.added]
        out += [self.removed(part, key) for key in matching.removed]
        return out

    def pair(self, part: Part, old_key: str, new_key: str) -> list[Change]:
        old_item = self.items[part.name][0][old_key]
        new_item = self.items[part.name][1][new_key]
        out: list[Change] = []
        score = self.matching[part.name].renamed.get(old_key)
        if score is not None:
            out.append(Change(f"{part.name}[{new_key}]", "renamed", COSMETIC,
                              f"{part.noun} '{old_key}' renamed to '{new_key}' "
                              f"({round(score * 100)}% similar)", old_key, new_key,
                              similarity=score))
        if old_item != new_item:
            out += self.fields(part.fields, old_item, new_item, f"{part.noun} '{new_key}'",
                               f"{part.name}[{new_key}]")
        return out

    def added(self, part: Part, key: str) -> Change:
        item = self.items[part.name][1][key]
        change = Change(f"{part.name}[{key}]", "added", part.added,
                        f"{part.noun} '{key}' added{_about(item)}", None, plain(item))
        return self.touching(part, [change], None, item)[0]

    def removed(self, part: Part, key: str) -> Change:
        item = self.items[part.name][0][key]
        change = Change(f"{part.name}[{key}]", "removed", part.removed,
                        f"{part.noun} '{key}' removed{_about(item)}", plain(item), None)
        return self.touching(part, [change], item, None)[0]

    def steps(self) -> list[Change]:
        part = PART_BY_NAME["steps"]
        old_items, new_items = self.items["steps"]
        pairs = self.matching["steps"].pairs
        old_of = {new_key: old_key for old_key, new_key in pairs.items()}
        old_position = {key: i for i, key in enumerate(old_items)}
        new_keys = list(new_items)
        shared = [key for key in new_keys if key in old_of]
        # ties between equally long runs go by the ids, read the same in both directions
        by_id = sorted([(min(key, old_of[key]), key) for key in shared], reverse=True)
        rank = {key: r for r, (_, key) in enumerate(by_id)}
        kept = kept_in_order([old_position[old_of[key]] for key in shared],
                             [rank[key] for key in shared])
        moved = {key for i, key in enumerate(shared) if i not in kept}
        flow = compare_flow(self.flows["old"], self.flows["new"], list(old_items), new_keys,
                            pairs, moved)
        self.moved_reroutes = flow.reordering
        story = tell(self.old, self.new, self.flows["old"], self.flows["new"], list(old_items),
                     new_keys, pairs, self.matching["steps"].removed,
                     self.matching["steps"].added, flow.differs)
        out = list(flow.start)
        added = set(self.matching["steps"].added)
        for index, key in enumerate(new_keys):
            if key in added:
                out.append(_told(self.added(part, key), story, key))
                continue
            old_key = old_of[key]
            found = self.pair(part, old_key, key)
            if key in moved:
                found.insert(1 if found and found[0].kind == "renamed" else 0,
                             _move(key, old_position[old_key], index,
                                   new_keys[index - 1] if index else None,
                                   key in flow.reordering))
            found += flow.changes.get(key, []) + story.changes.get(key, [])
            out += self.touching(part, found, old_items[old_key], new_items[key])
        out += [_told(self.removed(part, key), story, key)
                for key in self.matching["steps"].removed]
        return out

    # --- fields of an item ----------------------------------------------------------------

    def fields(self, fields: tuple[Field, ...], old_item: Any, new_item: Any, subject: str,
               where: str) -> list[Change]:
        out: list[Change] = []
        for field in fields:
            before, after = get(old_item, field.name), get(new_item, field.name)
            path = f"{where}.{field.name}" if where else field.name
            label = f"{subject} {field.label}" if subject else field.label
            if field.how == "checklist":
                out += _checklist(before, after, path, label, field)
            elif field.how == "duration":
                out += self.duration(field, old_item, new_item, before, after, path, label)
            else:
                change = self.value(field, before, after, path, label)
                if change:
                    out.append(change)
        return out

    def value(self, field: Field, before: Any, after: Any, path: str, label: str
              ) -> Change | None:
        if field.how in ("ref", "refs"):
            renamed = self.matching[field.refers or ""].pairs
            if field.how == "ref":
                before = renamed.get(before, before) if before else before
            else:
                before = None if before is None else [renamed.get(v, v) for v in before]
        if field.how in ("set", "refs"):
            was, now = set(before or []), set(after or [])
            if was == now:
                return None
            gained, lost = sorted(now - was), sorted(was - now)
            said = "; ".join(part for part in (gained and f"added {show(gained)}",
                                               lost and f"removed {show(lost)}") if part)
            return Change(path, "changed", field.impact, f"{label}: {said}", plain(before),
                          plain(after))
        if before == after:
            return None
        impact = COSMETIC if same_words(before, after) else field.impact
        return Change(path, _kind(before, after), impact, _said(label, before, after),
                      plain(before), plain(after))

    def duration(self, field: Field, old_item: Any, new_item: Any, before: Any, after: Any,
                 path: str, label: str) -> list[Change]:
        if before is None or after is None:
            if before is after:
                return []
            direction: Direction = "tightened" if after is not None else "loosened"
            return [Change(path, _kind(before, after), field.impact, _said(label, before, after),
                           plain(before), plain(after), direction=direction)]
        if isinstance(old_item, Sla) and old_item.clock != new_item.clock:
            if before.text == after.text:
                return []
            return [Change(path, "changed", field.impact,
                           f"{label} changed from {before} to {after} (on another clock)",
                           before.text, after.text)]
        was, now = self.seconds(old_item, before, "old"), self.seconds(new_item, after, "new")
        if was == now:
            return []
        direction = "tightened" if now < was else "loosened"
        return [Change(path, "changed", field.impact, f"{label} {direction} from {before} to "
                       f"{after}", before.text, after.text, direction=direction)]

    def seconds(self, item: Any, value: Any, side: str) -> int:
        """A step's time limit on the calendar clock; an SLA's on its own clock, a working
        day as long as its calendar's (8 hours when the calendar is unknown)."""
        if not isinstance(item, Sla) or item.clock == "calendar":
            return int(value.total_seconds("calendar"))
        calendar = self.calendars[side](item.calendar)
        if calendar is None:
            return int(value.total_seconds("business"))
        return int(value.total_seconds("business", calendar.workday_seconds()))

    # --- who is affected --------------------------------------------------------------------

    def touching(self, part: Part, changes: list[Change], old_item: Any, new_item: Any
                 ) -> list[Change]:
        """The changes, each with the roles whose work the item touches."""
        if not changes or part.name in ("priorities", "kpis"):
            return changes
        roles = self.roles_of(part, old_item, "old") | self.roles_of(part, new_item, "new")
        return [dataclasses.replace(change, roles=tuple(sorted(roles.union(change.roles))))
                for change in changes]

    def roles_of(self, part: Part, item: Any, side: str) -> set[str]:
        if item is None:
            return set()
        rename = self.matching["roles"].pairs if side == "old" else {}
        if part.name == "roles":
            found = {item.id}
        elif part.name == "steps":
            found = {item.role}
        elif part.name == "escalations":
            found = {item.to, *item.notify}
        elif part.name == "templates":
            procedure = self.old if side == "old" else self.new
            found = {s.role for s in procedure.steps if s.template == item.id}
        else:  # slas
            found = self.sla_scope(item, side)
        return {rename.get(role, role) for role in found}

    @cached_property
    def flows(self) -> dict[str, Flow]:
        return {"old": Flow(self.old), "new": Flow(self.new)}

    def sla_scope(self, sla: Sla, side: str) -> set[str]:
        """The roles of the steps an SLA measures: from its start up to its stop."""
        flow = self.flows[side]
        start = flow.index.get(sla.start, 0) if sla.start else 0
        stop = flow.index.get(sla.stop) if sla.stop else None
        seen, todo = {start}, [start]
        while todo:
            current = todo.pop()
            if current == stop:
                continue
            for edge in flow.edges[current]:
                if edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        return {flow.steps[i].role for i in seen}


def _checklist(before: list[str], after: list[str], path: str, label: str, field: Field
               ) -> list[Change]:
    if before == after:
        return []
    changed, removed, added = pair_texts(before, after)
    out = []
    for i, j in changed:
        impact = COSMETIC if same_words(before[i], after[j]) else field.impact
        out.append(Change(f"{path}[{j + 1}]", "changed", impact,
                          f"{label} item {j + 1} changed from {show(before[i])} to "
                          f"{show(after[j])}", before[i], after[j]))
    out += [Change(f"{path}[{j + 1}]", "added", field.impact,
                   f"{label} item added: {show(after[j])}", None, after[j]) for j in added]
    out += [Change(f"{path}[{i + 1}]", "removed", field.impact,
                   f"{label} item removed: {show(before[i])}", before[i], None) for i in removed]
    return out


def _told(change: Change, story: FlowStory, key: str) -> Change:
    """A step added or removed, with the story of the edges around it."""
    said, rewired, roles = story.stories.get(key, ("", [], set()))
    if not said:
        return change
    return dataclasses.replace(change, message=f"{change.message}: {said}",
                               rewired=tuple(rewired),
                               roles=tuple(sorted(roles.union(change.roles))))


def _move(key: str, was: int, now: int, after: str | None, reroutes: bool) -> Change:
    where = f"now after '{after}'" if after is not None else "now first"
    effect = "the flow changed" if reroutes else "the flow is the same"
    return Change(f"steps[{key}]", "moved", BREAKING if reroutes else COSMETIC,
                  f"step '{key}' moved from position {was + 1} to {now + 1}, {where} "
                  f"({effect})", was + 1, now + 1)


def _kind(before: Any, after: Any) -> Kind:
    return "added" if before is None else "removed" if after is None else "changed"


def _said(label: str, before: Any, after: Any) -> str:
    if before is None:
        return f"{label} set to {show(after)}"
    if after is None:
        return f"{label} removed (was {show(before)})"
    if same_words(before, after):
        return f"{label} changed in whitespace only"
    if is_long(before) or is_long(after):
        return f"{label} changed"
    return f"{label} changed from {show(before)} to {show(after)}"


def _about(item: BaseModel) -> str:
    """A few words on an added or removed item."""
    title = getattr(item, "title", None) or getattr(item, "name", None)
    role = getattr(item, "role", None) or getattr(item, "to", None)
    target = getattr(item, "target", None)
    extra = [show(title)] if title else []
    if role:
        extra.append(f"{'role' if hasattr(item, 'role') else 'to'} '{role}'")
    if target is not None and not isinstance(target, str):
        extra.append(f"target {target}")
    return f" ({', '.join(extra)})" if extra else ""

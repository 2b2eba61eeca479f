"""The valid part of a file that fails the schema, so every rule still runs in the same run.

When a procedure has schema errors (PF003), the rules (references, flow, SLAs, review) still
run, on a *salvaged* model: a copy of the data in which only the invalid leaves are changed.
An unknown field is dropped; an invalid optional value falls back to its default; an
invalid or missing required value gets a stand-in (for an id or a reference, the slug of
what was written, so ``next: Verify`` still leads to ``verify``). Every changed node is
*tainted*: a rule finding at a tainted node, or below one, is a consequence of the schema
error and is not reported (no cascades: a step missing its title is still a step that
others may point at). When the repairs do not make the data valid within a few rounds, or
when a list the rest of the file refers to (steps, roles, SLAs ...) is not a list at all,
there is no salvaged model and only the schema errors are reported, as before.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from procflow.findings import YamlPath
from procflow.model import suggest_slug
from procflow.schema_errors import error_path, model_at, unwrap

M = TypeVar("M", bound=BaseModel)
#: repair rounds before giving up (a repair can reveal an error pydantic had not reached)
_ROUNDS = 4
#: stand-ins tried in order for a required value, the first that the field accepts wins
_STAND_INS: tuple[Any, ...] = ("x", "0.0.0", 0, False, dt.date(1970, 1, 1), "1s", {}, [])
#: required fields whose stand-in feeds a computation about their whole object (the review
#: due date, an SLA's length): the object is tainted, not just the field
_COMPUTED = {"last", "every", "target"}


def salvage(model: type[M], data: dict[str, Any], errors: list[Any]
            ) -> tuple[M | None, tuple[YamlPath, ...]]:
    """A model of ``data`` with its invalid leaves repaired, and the tainted paths; or
    ``(None, ())`` when the file is too broken for its rules to mean anything."""
    repaired = copy.deepcopy(data)
    tainted: list[YamlPath] = []
    for _ in range(_ROUNDS):
        for item in errors:
            if not _repair(repaired, model, error_path(item), item["type"], tainted):
                return None, ()
        try:
            return model.model_validate(repaired), tuple(tainted)
        except ValidationError as error:
            errors = error.errors(include_url=False)
    return None, ()


def is_tainted(path: YamlPath, tainted: tuple[YamlPath, ...]) -> bool:
    """Whether a finding at ``path`` is about a node the salvage changed (or inside one)."""
    return any(path[: len(node)] == node for node in tainted)


def _repair(root: dict[str, Any], model: type[BaseModel], loc: YamlPath, kind: str,
            tainted: list[YamlPath]) -> bool:
    """Repair the node at ``loc`` in place; False when the file cannot be salvaged."""
    if not loc or loc == ("procflow",):
        return False  # another format version: its rules are not these
    parent = _node(root, loc[:-1])
    key = loc[-1]
    if isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        return _repair_item(parent, key, model, loc, kind, tainted)
    if not isinstance(parent, dict) or not isinstance(key, str):
        return False
    owner = model_at(model, loc[:-1])
    info = owner.model_fields.get(key) if owner is not None else None
    if kind == "extra_forbidden" or info is None:
        parent.pop(key, None)
        tainted.append(loc)
        return True
    annotation = _declared(info)
    if _is_model_list(annotation) and not isinstance(parent.get(key), list):
        return False  # the steps (roles, SLAs ...) themselves: nothing to check them against
    if info.is_required() or kind == "missing":
        parent[key] = _stand_in(annotation, parent.get(key))
        tainted.append(loc[:-1] if key in _COMPUTED else loc)
        return True
    inner = unwrap(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        parent[key] = _model_stand_in(inner)  # keep the object: its absence is a finding
    else:
        written = parent.pop(key, None)
        slug = suggest_slug(written) if isinstance(written, str) else ""
        if slug and _accepts(annotation, slug):
            parent[key] = slug
    tainted.append(loc)
    return True


def _repair_item(items: list[Any], index: int, model: type[BaseModel], loc: YamlPath,
                 kind: str, tainted: list[YamlPath]) -> bool:
    """Repair one item of a list: a step with two ways on keeps the first; any other
    invalid item becomes a stand-in of its type."""
    item = items[index]
    item_model = model_at(model, loc)
    if item_model is not None and isinstance(item, dict) and kind == "value_error":
        ways = [way for way in ("branches", "next", "end") if way in item]
        for way in ways[1:]:
            del item[way]
        tainted.append(loc)
        return bool(ways)
    if item_model is not None:
        items[index] = _model_stand_in(item_model)
    else:
        owner = model_at(model, loc[:-2])
        info = owner.model_fields.get(str(loc[-2])) if owner is not None else None
        if info is None:
            return False
        element = typing.get_args(_strip_optional(info.annotation))  # list[X]: X
        items[index] = _stand_in(element[0] if element else Any, item)
    tainted.append(loc)
    return True


def _node(root: Any, path: YamlPath) -> Any:
    node = root
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def _stand_in(annotation: Any, written: Any) -> Any:
    """A value the field accepts: the slug of what was written when that fits (an id, a
    reference), else the first of the stand-ins that does."""
    inner = unwrap(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return _model_stand_in(inner)
    base = _strip_optional(annotation)
    if typing.get_origin(base) is typing.Literal:
        return typing.get_args(base)[0]
    slug = suggest_slug(written) if isinstance(written, str) else ""
    for candidate in ((slug,) if slug else ()) + _STAND_INS:
        if _accepts(annotation, candidate):
            return candidate
    return None


def _model_stand_in(model: type[BaseModel]) -> dict[str, Any]:
    """The smallest data the model accepts: a stand-in for each required field."""
    return {name: _stand_in(_declared(info), None)
            for name, info in model.model_fields.items() if info.is_required()}


def _declared(info: FieldInfo) -> Any:
    """A field's type with its constraints (pydantic keeps a pattern or a length apart from
    the annotation, in ``metadata``)."""
    declared: Any = info.annotation
    for constraint in info.metadata:  # Annotated[Annotated[X, a], b] is Annotated[X, a, b]
        declared = typing.Annotated[declared, constraint]
    return declared


def _accepts(annotation: Any, value: Any) -> bool:
    adapter = _adapter(annotation)
    if adapter is None:
        return False
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


@functools.lru_cache(maxsize=256)
def _adapter(annotation: Any) -> TypeAdapter[Any] | None:
    try:
        return TypeAdapter(annotation)
    except Exception:  # an annotation pydantic cannot adapt alone: no stand-in from it
        return None


def _is_model_list(annotation: Any) -> bool:
    base = _strip_optional(annotation)
    if typing.get_origin(base) is typing.Annotated:
        base = typing.get_args(base)[0]
    if typing.get_origin(base) is not list:
        return False
    element = unwrap(base)
    return isinstance(element, type) and issubclass(element, BaseModel)


def _strip_optional(annotation: Any) -> Any:
    """``X | None`` -> ``X`` (and ``Annotated[X | None, ...]`` likewise)."""
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


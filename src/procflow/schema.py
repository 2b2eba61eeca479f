"""The JSON Schema of a procedure file, for editors (yaml-language-server) and other tools.

Generated from ``procflow.model.Procedure`` so it never drifts from what procflow accepts;
``schema/procedure.schema.json`` in the repository is this text, kept in sync by a test.
The schema checks shape only (fields, types, ids, durations); references between fields and
the flow rules are ``procflow validate``'s job.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

DRAFT = "https://json-schema.org/draft/2020-12/schema"


class _WithDraft(GenerateJsonSchema):
    """Pydantic's generator (it targets draft 2020-12) with the ``$schema`` key added."""

    def generate(self, schema: Any, mode: Any = "validation") -> JsonSchemaValue:
        generated = super().generate(schema, mode=mode)
        head = {"$schema": DRAFT, "$id": generated.pop("$id", None),
                "title": generated.pop("title", None)}
        return {**{key: value for key, value in head.items() if value is not None}, **generated}


def procedure_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one procedure file, as a dict."""
    from procflow.model import Procedure

    return Procedure.model_json_schema(mode="validation", schema_generator=_WithDraft)


def schema_text() -> str:
    """The schema as procflow prints and ships it: indented JSON with a final newline."""
    return json.dumps(procedure_schema(), indent=2, ensure_ascii=False) + "\n"

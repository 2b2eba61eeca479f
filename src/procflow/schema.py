"""The JSON Schemas of a procedure file and of the project file ``procflow.yaml``, for editors
(yaml-language-server) and other tools.

Generated from ``procflow.model.Procedure`` and ``ProjectConfig`` so they never drift from what
procflow accepts; ``schema/procedure.schema.json`` and ``schema/procflow.schema.json`` in the
repository are these texts, kept in sync by a test.
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


def project_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the project file ``procflow.yaml``, as a dict: its
    shared names may be text or text per language (``model.LocalText``)."""
    from procflow.model import ProjectConfig

    schema = ProjectConfig.model_json_schema(mode="validation", schema_generator=_WithDraft)
    return {"$schema": DRAFT, "$id": "https://procflow.dev/schema/procflow-1.json",
            "title": "procflow project file (procflow.yaml)",
            **{key: value for key, value in schema.items() if key not in ("$schema", "title")}}


def schema_text(project: bool = False) -> str:
    """A schema as procflow prints and ships it: indented JSON with a final newline (the
    project file's with ``project``)."""
    schema = project_schema() if project else procedure_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"

"""``procflow schema``: a draft 2020-12 JSON Schema that accepts every procedure procflow
loads and rejects what procflow rejects for shape, and the shipped copy stays in sync."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from procflow.procedures import discover, load_procedure
from procflow.scaffold import owner_block, procedure_text, starters
from procflow.schema import DRAFT, procedure_schema, schema_text

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "schema" / "procedure.schema.json"
CORPUS_SCRIPTS = (REPO / "bench" / "gen_corpus.py", Path("/work/shared/bench/gen_corpus.py"))


def as_json(data: Any) -> Any:
    """YAML data as an editor sees it through the schema: dates are strings."""
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = procedure_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_cli_prints_the_draft_2020_12_schema(cli) -> None:
    result = cli("schema", expect=0)
    printed = json.loads(result.stdout)
    assert printed["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    assert printed["additionalProperties"] is False
    assert {"procflow", "id", "title", "version", "owner", "steps"} <= set(printed["required"])


def test_output_option_writes_the_same_text(cli, tmp_path: Path) -> None:
    target = tmp_path / "nested" / "procedure.schema.json"
    result = cli("schema", "--output", target, expect=0)
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == schema_text()


def test_shipped_schema_is_in_sync() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        "schema/procedure.schema.json is stale; regenerate it with: "
        "procflow schema --output schema/procedure.schema.json")


def _valid_files(tmp_path: Path) -> list[Path]:
    files = [p for folder in (REPO / "procedures", REPO / "examples") if folder.is_dir()
             for p in discover([folder])]
    script = next((path for path in CORPUS_SCRIPTS if path.is_file()), None)
    if script is not None:
        subprocess.run([sys.executable, str(script), str(tmp_path / "corpus"), "--procedures",
                        "25", "--steps", "12"], check=True, capture_output=True)
        files += discover([tmp_path / "corpus"])
    for name in starters():
        path = tmp_path / "starters" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(procedure_text(name, name, title="T", today=dt.date(2026, 11, 1),
                                       owner=owner_block("Anna", "a@example.com", "@acme/cs")),
                        encoding="utf-8")
        files.append(path)
    return files


def test_every_procedure_procflow_loads_is_accepted(validator, tmp_path: Path) -> None:
    files = _valid_files(tmp_path)
    loaded = [d for d in map(load_procedure, files) if d.model is not None]
    assert len(loaded) >= len(starters()) + 1
    rejected = {d.display: [e.message for e in validator.iter_errors(as_json(d.data))]
                for d in loaded}
    assert {name: errors for name, errors in rejected.items() if errors} == {}


MINIMAL = {"procflow": 1, "id": "p", "title": "T", "version": "1.0.0",
           "owner": {"name": "Anna"}, "steps": [{"id": "s", "title": "S", "role": "agent"}]}


def _changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(MINIMAL))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize("path, value", [
    (("colour",), "red"),                                   # unknown top-level field
    (("steps", 0, "rol"), "agent"),                         # unknown field in a step
    (("owner", "phone"), "123"),                            # unknown field in the owner
    (("status",), "published"),                             # not a status
    (("templates",), [{"id": "t", "channel": "fax", "body": "x"}]),  # not a channel
    (("slas",), [{"id": "s", "target": 5}]),                # a bare number is no duration
    (("slas",), [{"id": "s", "target": "5 days"}]),         # nor is this
    (("id",), "Complaint Handling"),                        # not a slug
    (("version",), 1.1),                                    # unquoted: a number
    (("procflow",), 2),                                     # format version
    (("steps",), []),                                       # at least one step
    (("review",), {"last": "yesterday", "every": "26w"}),   # not a date
])
def test_schema_and_procflow_reject_the_same_mistakes(validator, tmp_path: Path,
                                                      path: tuple[Any, ...], value: Any) -> None:
    assert list(validator.iter_errors(MINIMAL)) == []
    data = _changed(path, value)
    assert list(validator.iter_errors(data)), f"schema accepts {data}"
    file = tmp_path / "p.yaml"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert load_procedure(file).model is None, "procflow accepts what the schema rejects?"


def _verdicts(validator: jsonschema.Draft202012Validator, path: Path) -> tuple[bool, bool] | None:
    """(the schema accepts it, procflow loads it) for a YAML mapping file, else None."""
    from procflow.yamlsafe import Limits, YamlFailure, parse

    try:
        data = parse(path.read_text(encoding="utf-8"), Limits())[0]
    except (YamlFailure, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    document = load_procedure(path)
    if any("limits." in finding.message for finding in document.findings):
        return None  # a project's size bound: no schema can know it
    return validator.is_valid(as_json(data)), document.model is not None


def test_every_case_file_under_tests_gets_the_same_verdict(validator) -> None:
    checked, disagree = 0, []
    for path in sorted((REPO / "tests").rglob("*.y*ml")):
        if path.name == "procflow.yaml" or "hostile" in path.parts:
            continue
        verdicts = _verdicts(validator, path)
        if verdicts is not None:
            checked += 1
            if verdicts[0] != verdicts[1]:
                disagree.append((path.relative_to(REPO), verdicts))
    assert checked > 100 and disagree == []


@pytest.mark.parametrize(("step", "accepted"), [
    ("{id: a, title: A, role: r, next: b, end: true}", False),
    ("{id: a, title: A, role: r, end: true, branches: [{when: x, next: b}, {when: y, next: b}]}",
     False),
    ("{id: a, title: A, role: r, next: b, branches: [{when: x, next: b}, {when: y, next: b}]}",
     False),
    ("{id: a, title: A, role: r, next: b, end: false}", True),
    ("{id: a, title: A, role: r, next: null, end: true}", True),
])
def test_next_branches_and_end_exclude_each_other_in_both(validator, tmp_path: Path, step: str,
                                                          accepted: bool) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("procflow: 1\nid: p\ntitle: P\nversion: \"1.0.0\"\nowner: {name: A}\n"
                    f"roles: [{{id: r, name: R}}]\nsteps:\n  - {step}\n  - {{id: b, title: B, "
                    "role: r}\n", encoding="utf-8")
    assert _verdicts(validator, path) == (accepted, accepted)


SHIPPED_PROJECT = REPO / "schema" / "procflow.schema.json"


@pytest.fixture(scope="module")
def project_validator() -> jsonschema.Draft202012Validator:
    from procflow.schema import project_schema

    schema = project_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_shipped_project_schema_is_in_sync(cli) -> None:
    assert SHIPPED_PROJECT.read_text(encoding="utf-8") == schema_text(project=True), (
        "schema/procflow.schema.json is stale; regenerate it with: "
        "procflow schema --project --output schema/procflow.schema.json")
    assert cli("schema", "--project", expect=0).stdout == schema_text(project=True)


def test_every_project_file_gets_the_same_verdict(project_validator, tmp_path: Path) -> None:
    """Every procflow.yaml of the repository and under tests/, and translation maps good and
    bad: the schema accepts exactly what procflow loads (the time zone, which only a time
    zone database knows, aside)."""
    from procflow.project import load_project
    from procflow.yamlsafe import Limits, YamlFailure, parse

    files = sorted(REPO.glob("procflow.yaml")) + sorted((REPO / "examples").rglob(
        "procflow.yaml")) + sorted((REPO / "tests").rglob("procflow.yaml"))
    names = ["Team lead", "{en: Team lead, pl: Kierownik zespołu}", "{pt-BR: Líder}", "{}",
             "''", "{pl PL: x}", "{pl: ''}", "{pl: [x]}", "[Team lead]", "{pl: 1}"]
    for k, name in enumerate(names):
        path = tmp_path / f"names-{k}" / "procflow.yaml"
        path.parent.mkdir()
        path.write_text(f"procflow: 1\nroles:\n  - id: lead\n    name: {name}\n"
                        f"    responsibilities: [{name}]\ncalendars:\n"
                        f"  - {{id: office, name: {name}}}\n", encoding="utf-8")
        files.append(path)
    checked, disagree = 0, []
    for path in files:
        try:
            data = parse(path.read_text(encoding="utf-8"), Limits())[0]
        except (YamlFailure, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        project = load_project(path)
        if any("time zone" in finding.message for finding in project.findings):
            continue
        checked += 1
        verdicts = project_validator.is_valid(as_json(data)), not project.findings
        if verdicts[0] != verdicts[1]:
            disagree.append((str(path), verdicts, [f.message for f in project.findings]))
    assert checked > 30 and disagree == []

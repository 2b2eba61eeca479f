"""Every output format of ``procflow validate``: what a person, a script, GitHub Actions and a
code-scanning tool read."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from procflow.findings import Finding, Severity
from procflow.lint import ValidationResult
from procflow.report import FORMATS
from procflow.rules import rules_by_code

SOURCE = "procflow: 1\nid: callback\nsteps:\n  - id: call\n    role: agnt\n"
#: an SGR escape that sets a colour (30-37, 38, 90-97 foreground; 40-48, 100-107 background)
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def render(output: str, result: ValidationResult) -> str:
    stream = io.StringIO()
    FORMATS[output](result, stream)
    return stream.getvalue()


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ValidationResult:
    """Two findings in ``callback.yaml`` (in the working folder) over two files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "callback.yaml").write_text(SOURCE)
    return ValidationResult([
        Finding("callback.yaml", 5, 11, "PF005", "step 'call': unknown role 'agnt' "
                "(did you mean 'agent'?)"),
        Finding("callback.yaml", 2, 5, "PF106", "file name is not <id>.yaml", Severity.WARNING),
    ], files=2)


def hostile(file: str = "we,ird: 100%.yaml") -> ValidationResult:
    """A finding whose file name and message hold every character that needs escaping."""
    message = "unknown field 'a%b\r\n::error file=x.yaml::fake' [red]x[/red] :thumbs_up: \x1b[2J"
    return ValidationResult([Finding(file, 3, 1, "PF003", message)], files=1)


# --- text -----------------------------------------------------------------------------------

def test_text_shows_location_severity_code_message_source_and_caret(result) -> None:
    lines = render("text", result).splitlines()
    assert lines[:3] == [
        "callback.yaml:5:11: error PF005 step 'call': unknown role 'agnt' (did you mean 'agent'?)",
        "    5 |     role: agnt",
        "      |           ^",
    ]
    assert lines[3] == "callback.yaml:2:5: warning PF106 file name is not <id>.yaml"
    assert lines[-1] == "1 error, 1 warning in 2 files."


def test_text_caret_sits_under_the_column(result) -> None:
    source, caret = render("text", result).splitlines()[1:3]
    assert source[caret.index("^"):].startswith("agnt")


def test_text_has_no_escapes_when_not_a_terminal(result, monkeypatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\x1b" not in render("text", result)


def test_text_clean_run_says_so() -> None:
    assert render("text", ValidationResult([], files=3)) == (
        "All good: 3 files checked, no problems.\n")


def test_text_prints_user_text_literally_on_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = render("text", hostile())
    assert out.splitlines()[0] == ("we,ird: 100%.yaml:3:1: error PF003 unknown field "
                                   "'a%b\\r\\n::error file=x.yaml::fake' [red]x[/red] "
                                   ":thumbs_up: \\x1b[2J")
    assert "\x1b" not in out and "👍" not in out


def test_text_escapes_control_characters_in_the_source_line(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bell.yaml").write_text("procflow: 1\ntitle: a\x1b[2Jb\n")
    result = ValidationResult([Finding("bell.yaml", 2, 9, "PF001", "not YAML text")], files=1)
    assert "    2 | title: a\\x1b[2Jb" in render("text", result)


def _run_on_a_terminal(folder: Path, **env: str) -> bytes:
    """Run ``python -m procflow validate`` with stdout on a pseudo-terminal."""
    import pty

    child_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    child_env.update(TERM="xterm-256color", **env)
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "procflow", "validate", "callback.yaml"],
                               cwd=folder, stdout=secondary, stderr=secondary,
                               stdin=subprocess.DEVNULL, env=child_env)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(primary)
    return output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_text_is_coloured_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    (tmp_path / "callback.yaml").write_text(SOURCE)
    coloured = _run_on_a_terminal(tmp_path).decode()
    assert COLOUR.search(coloured) and "PF003" in coloured
    plain = _run_on_a_terminal(tmp_path, NO_COLOR="1").decode()
    assert not COLOUR.search(plain) and "PF003" in plain


# --- json -----------------------------------------------------------------------------------

def test_json_has_exactly_the_spec_shape(result) -> None:
    payload = json.loads(render("json", result))
    assert set(payload) == {"diagnostics", "summary"}
    assert payload["summary"] == {"files": 2, "errors": 1, "warnings": 1}
    assert payload["diagnostics"][0] == {
        "file": "callback.yaml", "line": 5, "column": 11, "severity": "error", "code": "PF005",
        "message": "step 'call': unknown role 'agnt' (did you mean 'agent'?)"}
    for diagnostic in payload["diagnostics"]:
        assert set(diagnostic) == {"file", "line", "column", "severity", "code", "message"}
        assert {key: type(value) for key, value in diagnostic.items()} == {
            "file": str, "line": int, "column": int, "severity": str, "code": str,
            "message": str}
        assert diagnostic["severity"] in ("error", "warning")


def test_json_keeps_user_text_exact() -> None:
    payload = json.loads(render("json", hostile()))
    assert payload["diagnostics"][0]["message"] == hostile().findings[0].message
    assert payload["diagnostics"][0]["file"] == "we,ird: 100%.yaml"


def test_json_clean_run() -> None:
    assert json.loads(render("json", ValidationResult([], files=0))) == {
        "diagnostics": [], "summary": {"files": 0, "errors": 0, "warnings": 0}}


# --- github ---------------------------------------------------------------------------------

def test_github_annotations_then_the_plain_lines(result) -> None:
    lines = render("github", result).splitlines()
    error = ("::error file=callback.yaml,line=5,col=11,title=procflow PF005::step 'call': "
             "unknown role 'agnt' (did you mean 'agent'?)")
    warning = ("::warning file=callback.yaml,line=2,col=5,title=procflow PF106::file name is "
               "not <id>.yaml")
    plain = ("callback.yaml:5:11: error PF005 step 'call': unknown role 'agnt' (did you "
             "mean 'agent'?)")
    assert lines == [error, warning, plain,
                     "callback.yaml:2:5: warning PF106 file name is not <id>.yaml",
                     "1 error, 1 warning in 2 files."]


def test_github_escapes_properties_and_message() -> None:
    lines = render("github", hostile()).splitlines()
    assert lines[0] == (
        "::error file=we%2Cird%3A 100%25.yaml,line=3,col=1,title=procflow PF003::"
        "unknown field 'a%25b\\r\\n::error file=x.yaml::fake' [red]x[/red] :thumbs_up: \\x1b[2J")
    # no escape sequence reaches the log (ESC would clear the screen, OSC 52 the clipboard)
    assert "\x1b" not in "".join(lines)
    # nothing the user wrote can start a workflow command of its own
    assert [line for line in lines if line.startswith("::")] == lines[:1]


# --- sarif ----------------------------------------------------------------------------------

def _object(required: list[str], **properties: object) -> dict[str, object]:
    return {"type": "object", "required": required, "properties": properties}


def _array(items: object, min_items: int = 0) -> dict[str, object]:
    return {"type": "array", "items": items, "minItems": min_items}


_POSITIVE = {"type": "integer", "minimum": 1}
#: a relative URI reference with nothing left unencoded, or a file URI
_URI = {"type": "string", "pattern": r"^(file:///|[^ ,:%]*(%[0-9A-F]{2}[^ ,:%]*)*$)"}
_LOCATION = _object(["physicalLocation"], physicalLocation=_object(
    ["artifactLocation", "region"], artifactLocation=_object(["uri"], uri=_URI),
    region=_object(["startLine", "startColumn"], startLine=_POSITIVE, startColumn=_POSITIVE)))
_RESULT = _object(["ruleId", "level", "message", "locations"], ruleId={"type": "string"},
                  level={"enum": ["none", "note", "warning", "error"]},
                  message=_object(["text"], text={"type": "string"}),
                  locations=_array(_LOCATION, 1))
_RULE = _object(["id", "shortDescription"], id={"type": "string", "pattern": "^PF[0-9]{3}$"},
                shortDescription=_object(["text"], text={"type": "string", "minLength": 1}))
_DRIVER = _object(["name", "rules"], name={"const": "procflow"}, rules=_array(_RULE, 1))
#: the parts of the SARIF 2.1.0 schema that code-scanning uploads depend on
SARIF_SHAPE = _object(["version", "$schema", "runs"], version={"const": "2.1.0"},
                      runs=_array(_object(["tool", "results"],
                                          tool=_object(["driver"], driver=_DRIVER),
                                          results=_array(_RESULT)), 1),
                      **{"$schema": {"type": "string", "pattern": r"sarif-2\.1\.0"}})


def test_sarif_is_structurally_valid_with_rule_metadata(result) -> None:
    document = json.loads(render("sarif", result))
    jsonschema.validate(document, SARIF_SHAPE)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(rules_by_code())
    assert all(rule["shortDescription"]["text"] and rule["help"]["text"] for rule in rules)
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [("PF005", "error"),
                                                                   ("PF106", "warning")]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == "PF005"
    location = first["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "callback.yaml"},
                        "region": {"startLine": 5, "startColumn": 11}}


def test_sarif_rule_help_is_not_indented_like_a_code_block(result) -> None:
    rules = json.loads(render("sarif", result))["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules:
        lines = rule["help"]["markdown"].splitlines()
        assert not lines[1:2] or not lines[1].startswith("    "), rule["id"]


def test_sarif_uris_are_encoded() -> None:
    document = json.loads(render("sarif", hostile("procedures/we,ird: 100%.yaml")))
    jsonschema.validate(document, SARIF_SHAPE)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "procedures/we%2Cird%3A%20100%25.yaml"
    absolute = json.loads(render("sarif", hostile("/srv/cs/a b.yaml")))["runs"][0]["results"][0]
    assert absolute["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "file:///srv/cs/a%20b.yaml")


def test_sarif_clean_run_has_rules_and_no_results() -> None:
    document = json.loads(render("sarif", ValidationResult([], files=1)))
    jsonschema.validate(document, SARIF_SHAPE)
    assert document["runs"][0]["results"] == []


def test_validate_diff_and_review_reporters_have_one_shape() -> None:
    """Three commands, one shape: a plain name -> function table, each function written as
    ``reporter(result, stream)``, so adding a format is the same change everywhere."""
    import inspect
    import types

    from procflow import review
    from procflow.diff import output

    for table in (FORMATS, output.FORMATS, review.FORMATS):
        assert type(table) is dict and table
        for name, reporter in table.items():
            assert isinstance(name, str) and isinstance(reporter, types.FunctionType), name
            parameters = list(inspect.signature(reporter).parameters.values())
            assert [p.kind for p in parameters] == [inspect.Parameter.POSITIONAL_OR_KEYWORD] * 2
            assert parameters[1].name == "stream" and parameters[1].annotation == "TextIO"


def test_a_validate_reporter_loads_only_its_own_module() -> None:
    """Choosing a format imports that format's module when it writes, not the others."""
    script = ("import io, sys\nfrom procflow.lint import ValidationResult\n"
              "from procflow.report import FORMATS\n"
              "before = {m for m in sys.modules if m.startswith('procflow.report.')}\n"
              "FORMATS['json'](ValidationResult(), io.StringIO())\n"
              "after = {m for m in sys.modules if m.startswith('procflow.report.')}\n"
              "print(sorted(before), sorted(after))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[] ['procflow.report.json_report']"

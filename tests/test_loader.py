"""The loader: schema errors placed at the YAML node, with hints an author can act on."""

from __future__ import annotations

import datetime as dt

from pathlib import Path

import pytest
from conftest import VALID

from procflow.errors import LoadFailed, UsageError
from procflow.lint import validate
from procflow.loader import load_document
from procflow.procedures import discover, load_procedure, load_procedures
from procflow.model import Procedure
from procflow.yamlsafe import Limits

GOOD = """\
procflow: 1
id: callback
title: Call the customer back
version: "1.0.0"
owner:
  name: Anna
roles:
  - id: agent
    name: Agent
steps:
  - id: call
    title: Call back
    role: agent
templates:
  - id: sorry
    channel: email
    body: Sorry for the wait.
"""


def load(tmp_path: Path, text: str | bytes, name: str = "callback.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_document(path, Procedure, Limits())


def only(document) -> tuple[str, int, int, str]:
    assert len(document.findings) == 1, [str(f) for f in document.findings]
    finding = document.findings[0]
    return finding.code, finding.line, finding.column, finding.message


def changed(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_good_file_loads_a_model(tmp_path: Path) -> None:
    document = load(tmp_path, GOOD)
    assert document.findings == [] and document.model is not None
    assert document.model.steps[0].role == "agent"


@pytest.mark.parametrize("old, new, line, column, raw", [
    ("title: Call back", "title: NO", 12, 12, "NO"),
    ("name: Agent", "name: on", 9, 11, "on"),
    ("title: Call back", "title: Call back\n    checklist: [Dial, yes]", 13, 23, "yes"),
    ("name: Anna", "name: 1.10", 6, 9, "1.10"),
    ('version: "1.0.0"', "version: 1.10", 4, 10, "1.10"),
    ("name: Anna", "name: 012", 6, 9, "012"),
    ("title: Call the customer back", "title: 1:30", 3, 8, "1:30"),
    ("title: Call the customer back", "title: 2026-01-02", 3, 8, "2026-01-02"),
])
def test_yaml_1_1_surprise_where_text_is_expected_says_quote_it(
        tmp_path: Path, old: str, new: str, line: int, column: int, raw: str) -> None:
    code, at_line, at_column, message = only(load(tmp_path, changed(old, new)))
    assert (code, at_line, at_column) == ("PF003", line, column)
    assert f'quote it: "{raw}"' in message


def test_quoted_values_stay_text(tmp_path: Path) -> None:
    document = load(tmp_path, changed("title: Call back", 'title: "NO"\n    checklist: ["1:30"]'))
    assert document.findings == [] and document.model is not None
    assert document.model.steps[0].title == "NO"


@pytest.mark.parametrize("value", ["30", "4.5", "1_000"])
def test_bare_number_duration_says_add_a_unit(tmp_path: Path, value: str) -> None:
    text = changed("role: agent\ntemplates", f"role: agent\n    max_duration: {value}\ntemplates")
    code, line, column, message = only(load(tmp_path, text))
    assert (code, line, column) == ("PF003", 14, 19)
    assert "add a unit" in message and "steps[call].max_duration" in message


@pytest.mark.parametrize("value", ["4 hours", "1m1h", "P1Y", "PT"])
def test_bad_duration_is_pf003_at_the_value(tmp_path: Path, value: str) -> None:
    text = changed("role: agent\ntemplates", f"role: agent\n    max_duration: {value}\ntemplates")
    code, line, column, message = only(load(tmp_path, text))
    assert (code, line, column) == ("PF003", 14, 19) and value in message


def test_unknown_field_points_at_the_key_with_did_you_mean(tmp_path: Path) -> None:
    text = changed("    role: agent\n", "    role: agent\n    instrucions: Be kind\n")
    code, line, column, message = only(load(tmp_path, text))
    assert (code, line, column) == ("PF003", 14, 5)
    assert "'instrucions'" in message and "did you mean 'instructions'?" in message


def test_unknown_top_level_field(tmp_path: Path) -> None:
    code, line, column, message = only(load(tmp_path, GOOD + "owners: x\n"))
    assert (code, line, column) == ("PF003", 18, 1) and "did you mean 'owner'?" in message


def test_missing_field_points_at_the_parent_mapping(tmp_path: Path) -> None:
    code, line, column, message = only(load(tmp_path, changed("    role: agent\n", "")))
    assert (code, line, column) == ("PF003", 11, 5)
    assert "missing required field 'role'" in message and "steps[call]" in message


def test_missing_nested_field(tmp_path: Path) -> None:
    code, line, column, message = only(load(tmp_path, changed("name: Anna", "email: a@b.c")))
    assert (code, line, column) == ("PF003", 6, 3) and "owner" in message


def test_missing_top_level_field_points_at_the_start(tmp_path: Path) -> None:
    code, line, column, message = only(load(tmp_path, changed("title: Call the customer back\n",
                                                             "")))
    assert (code, line, column) == ("PF003", 1, 1) and "'title'" in message


def test_empty_value_says_it_is_missing(tmp_path: Path) -> None:
    code, line, _, message = only(load(tmp_path, changed("title: Call back", "title:")))
    assert (code, line) == ("PF003", 12) and "missing" in message


@pytest.mark.parametrize("old, new, line, column, hint", [
    ("channel: email", "channel: emial", 16, 14, "did you mean 'email'?"),
    ("owner:", "status: activ\nowner:", 5, 9, "did you mean 'active'?"),
])
def test_bad_enum_lists_the_choices_with_did_you_mean(
        tmp_path: Path, old: str, new: str, line: int, column: int, hint: str) -> None:
    code, at_line, at_column, message = only(load(tmp_path, changed(old, new)))
    assert (code, at_line, at_column) == ("PF003", line, column) and hint in message


def test_bad_slug_suggests_one(tmp_path: Path) -> None:
    code, line, column, message = only(load(tmp_path, changed("id: callback", "id: Call Back")))
    assert (code, line, column) == ("PF003", 2, 5) and "'call-back'" in message


def test_bad_version(tmp_path: Path) -> None:
    code, line, _, message = only(load(tmp_path, changed('"1.0.0"', '"1.0"')))
    assert (code, line) == ("PF003", 4) and "MAJOR.MINOR.PATCH" in message


def test_several_schema_errors_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = changed("name: Anna", "name: yes").replace("channel: email", "channel: fax")
    document = load(tmp_path, text)
    assert [(f.code, f.line) for f in document.findings] == [("PF003", 6), ("PF003", 16)]


def test_duplicate_key_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    text = changed("    role: agent\n", "    role: agent\n    role: lead\n    colour: red\n")
    document = load(tmp_path, text)
    assert [(f.code, f.line, f.column) for f in document.findings] == [
        ("PF002", 14, 5), ("PF003", 15, 5)]
    assert "line 13" in document.findings[0].message


@pytest.mark.parametrize("text, expected", [
    ("", "empty"),
    ("# just a comment\n", "empty"),
    ("- a\n- b\n", "a list"),
    ("hello\n", "'hello'"),
    (GOOD + "---\n" + GOOD, "more than one YAML document"),
])
def test_not_a_procedure_mapping_is_pf001(tmp_path: Path, text: str, expected: str) -> None:
    code, _, _, message = only(load(tmp_path, text))
    assert code == "PF001" and expected in message


def test_not_utf8_gives_line_and_character_column(tmp_path: Path) -> None:
    text = GOOD.encode().replace(b"name: Anna", "name: Zażółć \xe9".encode()[:-2] + b"\xe9")
    code, line, column, message = only(load(tmp_path, text))
    assert (code, line, column) == ("PF001", 6, 16) and "0xe9" in message


def test_not_utf8_after_a_bom(tmp_path: Path) -> None:
    code, line, column, message = only(load(tmp_path, b"\xef\xbb\xbfab\xff\n"))
    assert (code, line, column) == ("PF001", 1, 3) and "0xff" in message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    assert load(tmp_path, b"\xef\xbb\xbf" + GOOD.encode()).findings == []


def test_utf16_file_is_pf001(tmp_path: Path) -> None:
    assert only(load(tmp_path, GOOD.encode("utf-16")))[0] == "PF001"


def test_limits_come_from_procflow_yaml(tmp_path: Path) -> None:
    (tmp_path / "procflow.yaml").write_text(
        "procflow: 1\nlimits: {max_bytes: 100, max_depth: 3, max_alias_nodes: 2}\n")
    small = tmp_path / "small.yaml"
    small.write_text("a:\n  b:\n    c:\n      d: 1\n")
    assert [(f.code, f.line) for f in load_procedure(small).findings] == [("PF002", 4)]
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("a: &a [x, y]\nb: [*a, *a]\n")
    assert [f.code for f in load_procedure(aliases).findings] == ["PF002"]
    big = tmp_path / "big.yaml"
    big.write_text(GOOD)
    finding = load_procedure(big).findings[0]
    assert finding.code == "PF002" and "100" in finding.message
    assert {(Path(f.file).name, f.code) for f in validate([tmp_path], today=dt.date.today()).findings} == {
        ("small.yaml", "PF002"), ("aliases.yaml", "PF002"), ("big.yaml", "PF002")}


def test_raised_limits_let_a_bigger_file_through(tmp_path: Path) -> None:
    (tmp_path / "procflow.yaml").write_text("procflow: 1\nlimits: {max_bytes: 5000000}\n")
    path = tmp_path / "callback.yaml"
    path.write_text(GOOD + "".join(f"# padding line {n:07d} ...........\n" for n in range(80_000)))
    assert path.stat().st_size > 2_000_000
    assert load_procedure(path).findings == []


def test_discover_skips_project_file_hidden_folders_and_other_suffixes(tmp_path: Path) -> None:
    for name in ["procflow.yaml", "a.yaml", "b.yml", "c.json", "sub/d.yaml", ".hidden/e.yaml",
                 "sub/.git/f.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.yaml", "b.yml", "sub/d.yaml"]
    assert discover([tmp_path / "a.yaml", tmp_path]) == [tmp_path / "a.yaml", tmp_path / "b.yml",
                                                          tmp_path / "sub/d.yaml"]


def test_discover_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        discover([tmp_path / "nope.yaml"])


def test_load_procedures_fails_with_every_finding(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "bad.yaml").write_text("id: [\n")
    with pytest.raises(LoadFailed) as caught:
        load_procedures([tmp_path])
    assert "bad.yaml" in str(caught.value)
    assert [str(f).split()[2] for f in caught.value.findings] == ["PF001"]  # file:l:c: error CODE


def test_the_valid_samples_load() -> None:
    documents = load_procedures([VALID / "procedures"])
    assert len(documents) == 3 and all(d.findings == [] for d in documents)

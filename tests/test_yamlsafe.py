"""The YAML layer (procflow.yamlsafe): plain data, exact positions, bounds, no Python objects."""

from __future__ import annotations

import datetime as dt

import pytest

from procflow.yamlsafe import Limits, YamlFailure, locate, parse

DEFAULTS = Limits()


def failure(text: str, limits: Limits = DEFAULTS) -> tuple[str, int, int, str]:
    """(code, line, column, message) of the first problem that stops ``text`` from loading."""
    with pytest.raises(YamlFailure) as caught:
        parse(text, limits)
    first = caught.value.located[0]
    return first.issue.code, first.line, first.column, first.issue.message


def test_plain_data_as_yaml_1_1_reads_it() -> None:
    text = ("title: Call back\ncount: 3\nratio: 1.5\nflag: yes\nnothing: ~\nday: 2026-01-02\n"
            "quoted: \"yes\"\nsingle: '012'\nlist: [a, b]\nmap: {k: v}\n")
    data, positions, problems = parse(text)
    assert data == {"title": "Call back", "count": 3, "ratio": 1.5, "flag": True, "nothing": None,
                    "day": dt.date(2026, 1, 2), "quoted": "yes", "single": "012",
                    "list": ["a", "b"], "map": {"k": "v"}}
    assert positions is None and problems == []


def test_keys_stay_text() -> None:
    data, _, _ = parse("on: 1\n1: 2\nnull: 3\n")
    assert data == {"on": 1, "1": 2, "null": 3}


def test_positions_of_keys_values_and_list_items() -> None:
    text = "id: x\nsteps:\n  - id: greet\n    role:   agent\n  - id: close\n"
    _, positions, _ = parse(text, index=True)
    assert positions is not None
    assert locate(positions, ("steps", 0, "role")) == (4, 13, "agent")
    assert locate(positions, ("steps", 0, "role"), at="key")[:2] == (4, 5)
    assert locate(positions, ("steps", 1))[:2] == (5, 5)
    # a missing node points at the nearest existing ancestor (the mapping that lacks it)
    assert locate(positions, ("steps", 1, "role"))[:2] == (5, 5)


def test_columns_count_characters_not_bytes() -> None:
    _, positions, _ = parse("tytuł: Zażółć\nrola: gęś\n", index=True)
    assert positions is not None
    assert locate(positions, ("rola",))[:2] == (2, 7)


def test_duplicate_key_names_both_lines() -> None:
    data, _, problems = parse("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n")
    assert [(p.issue.code, p.line, p.column) for p in problems] == [("PF002", 5, 3)]
    assert "'c'" in problems[0].issue.message and "line 3" in problems[0].issue.message
    assert data["b"]["c"] == 2


def test_anchors_aliases_and_merge_keys_work() -> None:
    text = "base: &b {role: agent, max: 5m}\nstep:\n  <<: *b\n  role: lead\nagain: *b\n"
    data, _, _ = parse(text)
    assert data["step"] == {"role": "lead", "max": "5m"}
    assert data["again"] == {"role": "agent", "max": "5m"}


@pytest.mark.parametrize("text", [
    'a: !!python/object/apply:os.system ["true"]\n',
    "a: !!python/name:os.system\n",
    "a: !!python/object:collections.OrderedDict {}\n",
    "a: !foo bar\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x}\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!thing x\n",
])
def test_unknown_tags_are_pf002_at_the_tag(text: str) -> None:
    code, line, column, message = failure(text)
    assert code == "PF002" and column == 4 and line == text.count("\n")
    assert "not allowed" in message


def test_harmless_standard_tags_are_accepted() -> None:
    data, _, _ = parse("a: !!str 012\nb: ! x\nc: !!int 7\n")
    assert data == {"a": "012", "b": "x", "c": 7}


def test_alias_expansion_is_bounded() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    code, line, _, message = failure("\n".join(lines) + "\n", Limits(max_alias_nodes=1000))
    assert code == "PF002" and "alias" in message and line == 4  # at l3


def test_alias_bound_counts_nested_nodes_not_alias_events() -> None:
    text = "big: &big [" + ", ".join(["x"] * 50) + "]\nuse: [*big, *big]\n"
    assert failure(text, Limits(max_alias_nodes=60))[:2] == ("PF002", 2)
    assert parse(text, Limits(max_alias_nodes=200))[0]["use"][1][49] == "x"


def test_alias_bound_counts_the_characters_aliases_bring() -> None:
    # few nodes, many characters: the node bound alone lets this through
    text = 'big: &big {key: "' + "x" * 1000 + '"}\nuse: [' + ", ".join(["*big"] * 30) + "]\n"
    assert len(text) < 1300
    code, line, _, message = failure(text, Limits(max_bytes=20_000))
    assert (code, line) == ("PF002", 2)
    assert "20,000 characters" in message and "limits.max_bytes" in message
    # keys count too, and the file's own size is part of the budget
    assert failure("k: &k {" + "y" * 600 + ": 1}\nuse: [*k, *k]\n", Limits(max_bytes=1_500))[0] \
        == "PF002"
    assert len(parse(text, Limits(max_bytes=40_000))[0]["use"]) == 30


def test_an_anchor_used_once_costs_nothing_extra() -> None:
    text = 'a: &a "' + "x" * 900 + '"\n'
    assert parse(text, Limits(max_bytes=1000))[0]["a"] == "x" * 900


def test_depth_bound() -> None:
    text = "a:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 12))
    code, line, _, message = failure(text, Limits(max_depth=5))
    assert code == "PF002" and "limits.max_depth" in message and line == 6
    assert parse(text, Limits(max_depth=20))[0]["a"]["k1"]["k2"] is not None


def test_deep_flow_nesting_past_libyaml_own_limit_is_pf002() -> None:
    code, line, _, _ = failure("a: " + "[" * 20_000 + "]" * 20_000 + "\n",
                               Limits(max_depth=10**6))
    assert (code, line) == ("PF002", 1)


def test_size_bound_on_text() -> None:
    assert failure("a: " + "x" * 100 + "\n", Limits(max_bytes=50))[0] == "PF002"


@pytest.mark.parametrize("text, expected", [
    ("", "empty"),
    ("   \n\n", "empty"),
    ("# only a comment\n  # and another\n", "empty"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
    ("a: [1, 2\n", "YAML syntax error"),
    ("a: b: c\n", "YAML syntax error"),
    ("a:\n\tb: 1\n", "tab"),
    ("a: *nowhere\n", "unknown alias"),
    ("? [a, b]\n: x\n", "key must be plain text"),
])
def test_not_yaml_is_pf001(text: str, expected: str) -> None:
    code, _, _, message = failure(text)
    assert code == "PF001" and expected in message


def test_syntax_error_position() -> None:
    assert failure("id: x\ntitle: a: b\n")[:3] == ("PF001", 2, 9)


def test_tab_indentation_points_at_the_tab() -> None:
    assert failure("a:\n  b: 1\n  \tc: 2\n")[:3] == ("PF001", 3, 3)


def test_nul_byte_is_pf001_at_its_position() -> None:
    code, line, column, message = failure("a: 1\nb: x\x00y\n")
    assert (code, line, column) == ("PF001", 2, 5) and "NUL" in message


def test_an_alias_cannot_close_a_cycle() -> None:
    assert failure("a: &a [*a]\n")[0] == "PF001"

"""Hostile and broken inputs: each gives a diagnostic with the right code and line, in small
memory, and never an exception or a traceback, neither from the library nor from the CLI."""

from __future__ import annotations

import datetime as dt
import json
import random
import tracemalloc
from pathlib import Path

import pytest

from procflow.lint import ValidationResult, validate
from procflow.loader import load_document
from procflow.model import Procedure
from procflow.yamlsafe import Limits

LAUGHS = 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]\n" for n in range(1, 10))
#: issue 16: a 56 KB file, one 20 KB string aliased 9,000 times (180 MB once expanded)
ALIASED_TEXT = 'big: &a "' + "x" * 20_000 + '"\nlist: [' + ", ".join(["*a"] * 9_000) + "]\n"
DEEP_BLOCK_MAPPINGS = "".join(" " * level + f"k{level}:\n" for level in range(1500))
NOISE = random.Random(20260601).randbytes(8192)

#: name -> (file content, expected code, expected line, a word of the message)
CASES: dict[str, tuple[bytes | str, str, int, str]] = {
    "billion-laughs": (LAUGHS, "PF002", 5, "alias"),
    "aliased-big-string": (ALIASED_TEXT, "PF002", 2, "characters"),
    "deep-flow-sequences": ("a: " + "[" * 20_000 + "]" * 20_000 + "\n", "PF002", 1, "nesting"),
    "deep-flow-mappings": ("a: " + "{a: " * 20_000 + "b" + "}" * 20_000 + "\n", "PF002", 1,
                           "nesting"),
    "deep-block-sequences": ("a:\n" + "- " * 20_000 + "x\n", "PF002", 2, "nesting"),
    "deep-block-mappings": (DEEP_BLOCK_MAPPINGS, "PF002", 51, "nesting"),
    "binary-noise": (NOISE, "PF001", 1, "UTF-8"),
    "nul-bytes": ("procflow: 1\nid: x\x00\x00\n", "PF001", 2, "NUL"),
    "control-character": ("procflow: 1\ntitle: a\x07b\n", "PF001", 2, "control character"),
    "not-utf8": (b"procflow: 1\ntitle: caf" + b"\xe9\n", "PF001", 2, "UTF-8"),
    "python-name": ("procflow: 1\nid: !!python/name:os.system\n", "PF002", 2, "not allowed"),
    "custom-tag": ("procflow: 1\nid: !foo x\n", "PF002", 2, "not allowed"),
    "duplicate-key": ("procflow: 1\nid: a\ntitle: t\nid: b\n", "PF002", 4, "line 2"),
    "tab-indentation": ("procflow: 1\nowner:\n\tname: x\n", "PF001", 3, "tab"),
    "empty": ("", "PF001", 1, "empty"),
    "comment-only": ("# a procedure will go here\n", "PF001", 1, "empty"),
    "list-document": ("- procflow: 1\n- id: x\n", "PF001", 1, "list"),
    "multiple-documents": ("procflow: 1\n---\nprocflow: 1\n", "PF001", 2, "document"),
    "syntax-error": ("procflow: 1\nid: [unclosed\n", "PF001", 3, "syntax"),
}


def write(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def validate_measuring_memory(path: Path) -> tuple[ValidationResult, int]:
    """Validate one file; return the result and the peak of Python memory it took."""
    tracemalloc.start()
    try:
        result = validate([path], today=dt.date.today())
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_gives_its_diagnostic(tmp_path: Path, name: str) -> None:
    content, code, line, word = CASES[name]
    path = write(tmp_path, name, content)
    result, peak = validate_measuring_memory(path)
    assert any((f.code, f.line) == (code, line) and word in f.message
               for f in result.findings), [str(f) for f in result.findings]
    assert result.exit_code() == 1
    assert peak < 20_000_000, f"{name} took {peak:,} bytes"


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_through_the_cli(cli, tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    content, code, line, _ = CASES[name]
    write(tmp_path, name, content)
    for output in ("json", "text", "github", "sarif"):
        result = cli("validate", f"{name}.yaml", "--format", output, expect=1)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.stdout + result.stderr
    diagnostics = json.loads(cli("validate", f"{name}.yaml", "--format", "json").stdout)
    assert (code, line) in {(d["code"], d["line"]) for d in diagnostics["diagnostics"]}


def test_python_tag_does_not_run_the_command(tmp_path: Path) -> None:
    victim = tmp_path / "pwned"
    path = write(tmp_path, "apply", f'procflow: 1\nid: x\ntitle: !!python/object/apply:os.system '
                                    f'["touch {victim}"]\n')
    result = validate([path], today=dt.date.today())
    assert [(f.code, f.line, f.column) for f in result.findings] == [("PF002", 3, 8)]
    assert not victim.exists()


def test_sixty_megabyte_file_fails_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(60 * 1024 * 1024)
    result, peak = validate_measuring_memory(path)
    assert [(f.code, f.line) for f in result.findings] == [("PF002", 1)]
    assert "62,914,560 bytes" in result.findings[0].message
    assert peak < 5_000_000


def test_size_bound_holds_when_the_file_grows_after_its_size_was_read(tmp_path: Path,
                                                                       monkeypatch) -> None:
    path = write(tmp_path, "big", "x: " + "y" * 3_000_000 + "\n")
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: real_stat(tmp_path / "small", **kw)
                        if self == path else real_stat(self, **kw))
    (tmp_path / "small").write_text("x: 1\n")
    document = load_document(path, Procedure, Limits())
    assert [f.code for f in document.findings] == ["PF002"] and document.text is None


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    from conftest import VALID

    good = (VALID / "procedures" / "it-access.yaml").read_text(encoding="utf-8")
    (tmp_path / "it-access.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "misnamed.yaml").write_text(good, encoding="utf-8")
    for name in ("billion-laughs", "binary-noise", "duplicate-key", "empty", "syntax-error"):
        content, *_ = CASES[name]
        write(tmp_path, name, content)
    result = validate([tmp_path], today=dt.date.today())
    assert result.files == 7
    reported = {(Path(f.file).stem, f.code) for f in result.findings}
    assert {("billion-laughs", "PF002"), ("binary-noise", "PF001"), ("duplicate-key", "PF002"),
            ("empty", "PF001"), ("syntax-error", "PF001")} <= reported
    # the good files were still checked by every rule: a copy under another name is a
    # duplicate id (PF008) with a file name that does not match (PF106)
    assert {("misnamed", "PF008"), ("misnamed", "PF106"), ("it-access", "PF008")} <= reported


def test_hostile_project_file_is_reported_and_the_procedures_still_checked(tmp_path: Path) -> None:
    (tmp_path / "procflow.yaml").write_text("procflow: 1\n" + LAUGHS)
    (tmp_path / "procedures").mkdir()
    write(tmp_path / "procedures", "empty", "")
    result = validate([tmp_path / "procedures"], today=dt.date.today())
    assert {(Path(f.file).name, f.code) for f in result.findings} == {
        ("procflow.yaml", "PF002"), ("empty.yaml", "PF001")}

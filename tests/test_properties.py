"""Properties (hypothesis): the duration parser, and "loading never raises" on random
mutations of the valid samples (every broken file gets diagnostics, never an exception)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import VALID
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from procflow.durations import DURATION_PATTERN, Duration, DurationError, format_seconds
from procflow.lint import validate
from procflow.loader import load_document
from procflow.model import Procedure, ProjectConfig
from procflow.report import FORMATS
from procflow.rules import rules_by_code
from procflow.yamlsafe import Limits

UNITS = "wdhms"
amounts = st.integers(min_value=0, max_value=10**6)
parts = st.fixed_dictionaries({}, optional={unit: amounts for unit in UNITS}).filter(bool)


def compact(values: dict[str, int]) -> str:
    return "".join(f"{values[unit]}{unit}" for unit in UNITS if unit in values)


def iso(values: dict[str, int]) -> str:
    date = "".join(f"{values[u]}{u.upper()}" for u in "wd" if u in values)
    time = "".join(f"{values[u]}{u.upper()}" for u in "hms" if u in values)
    return "P" + date + (f"T{time}" if time else "")


@given(parts)
def test_compact_and_iso_durations_mean_the_same(values: dict[str, int]) -> None:
    short, long = Duration.parse(compact(values)), Duration.parse(iso(values))
    assert short.text == compact(values) and str(long) == iso(values)
    assert (short.weeks, short.days, short.seconds) == (long.weeks, long.days, long.seconds)
    assert (short.weeks, short.days) == (values.get("w", 0), values.get("d", 0))
    assert short.seconds == values.get("h", 0) * 3600 + values.get("m", 0) * 60 + values.get("s", 0)
    for clock in ("calendar", "business"):
        assert short.total_seconds(clock) == long.total_seconds(clock)


@given(st.integers(min_value=0, max_value=10**12))
def test_format_seconds_round_trips(seconds: int) -> None:
    assert Duration.parse(format_seconds(seconds)).total_seconds("calendar") == seconds


@given(st.integers(min_value=1, max_value=10**6))
def test_business_clock_counts_working_days(days: int) -> None:
    assert Duration.parse(f"{days}d").total_seconds("business", 8 * 3600) == days * 8 * 3600
    assert Duration.parse(f"{days}w").total_seconds("business", 3600) == days * 5 * 3600
    assert Duration.parse(f"{days}w").total_seconds("calendar") == days * 7 * 86400


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.integers(min_value=0).map(str),
                 st.decimals(allow_nan=False, allow_infinity=False).map(str)))
def test_bare_numbers_are_rejected_with_a_unit_hint(value: object) -> None:
    with pytest.raises(DurationError):
        Duration.parse(value)  # type: ignore[arg-type]  # YAML hands over numbers too


@given(st.one_of(st.none(), st.booleans(), st.lists(st.integers()), st.dates()))
def test_values_that_are_not_text_are_rejected(value: object) -> None:
    with pytest.raises(DurationError):
        Duration.parse(value)  # type: ignore[arg-type]


@given(st.one_of(st.text(alphabet="0123456789wdhmsPTWDHMYS .:-\u0663\u00b2", max_size=14),
                 st.text(max_size=20)))
@example("9" * 5000 + "h")
@example("P" + "9" * 5000 + "D")
@example("\u0663h")
@example("1m1h")
@example("PT")
def test_garbage_is_rejected_and_only_what_the_schema_allows_is_accepted(text: str) -> None:
    try:
        duration = Duration.parse(text)
    except DurationError as error:
        assert str(error)
        return
    # editors validate with the JSON Schema pattern: anything procflow accepts, they accept
    assert re.fullmatch(DURATION_PATTERN, text.strip(), re.ASCII)
    assert duration.total_seconds("calendar") >= 0


# --- loading never raises -------------------------------------------------------------------

SAMPLES = sorted((VALID / "procedures").glob("*.yaml")) + [VALID / "procflow.yaml"]
TOKENS = [":", "-", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", '"', "\t", "\x00", "\n",
          "- ", ": ", "&a ", "*a", "!!python/name:os.system ", "? ", "---\n", "%", "#", "\ufeff"]
KNOWN_CODES = set(rules_by_code())


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """One of the valid files after 1-5 random byte flips, deletions, insertions, shuffles."""
    path = draw(st.sampled_from(SAMPLES))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "insert", "shuffle"]))
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "delete":
            del data[at:at + draw(st.integers(min_value=1, max_value=40))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS)).encode()
        else:
            lines = bytes(data).split(b"\n")
            first = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            second = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[first], lines[second] = lines[second], lines[first]
            data = bytearray(b"\n".join(lines))
    return path.relative_to(VALID).as_posix(), bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_loading_a_mutated_file_never_raises(case: tuple[str, bytes]) -> None:
    name, content = case
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        shutil.copytree(VALID, project)
        target = project / name
        target.write_bytes(content)
        model = ProjectConfig if name == "procflow.yaml" else Procedure
        document = load_document(target, model, Limits())
        assert document.model is not None or document.findings, "broken, yet no finding"
        result = validate([project / "procedures"], today=dt.date.today(), jobs=1)
        for finding in result.findings:
            lines = Path(finding.file).read_bytes().count(b"\n") + 2
            assert finding.code in KNOWN_CODES, str(finding)
            assert 1 <= finding.line <= lines and finding.column >= 1, str(finding)
            assert finding.message.strip()
        for report in FORMATS.values():
            report(result, io.StringIO())

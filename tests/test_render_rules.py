"""``procflow render`` runs the rules first: an error stops the run (exit 1, nothing written)
unless ``--allow-errors``, which publishes with a banner on each affected page; warnings are
printed and do not fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import TODAY, RunCli


def _loop_forever(project: Path) -> None:
    """The phone procedure's last step leads back to the first: PF007 (no way to end)."""
    path = project / "procedures" / "phone-intake.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    end: true", "    next: greet"),
                    encoding="utf-8")


def test_a_rule_error_stops_the_run_printed_as_validate_prints_it(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    _loop_forever(valid_project)
    out = tmp_path / "site"
    result = cli("render", valid_project / "procedures", "-o", out, "--today", TODAY, expect=1)
    checked = cli("validate", valid_project / "procedures", "--today", TODAY, expect=1)
    assert checked.stdout.strip() in result.stderr  # the same findings, the same lines
    assert "error PF007 step 'close': no end can be reached" in result.stderr
    assert "nothing was rendered" in result.stderr and "--allow-errors" in result.stderr
    assert not out.exists()
    out.mkdir()
    (out / "index.md").write_text("earlier", encoding="utf-8")
    cli("render", valid_project / "procedures", "-o", out, "--today", TODAY, expect=1)
    assert [p.name for p in out.iterdir()] == ["index.md"]  # an earlier site stays as it was
    assert (out / "index.md").read_text(encoding="utf-8") == "earlier"


def test_allow_errors_publishes_with_a_banner_on_each_affected_page(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    _loop_forever(valid_project)
    out = tmp_path / "site"
    result = cli("render", valid_project / "procedures", "-o", out, "--today", TODAY,
                 "--format", "md,html", "--by-role", "--allow-errors", expect=0)
    assert "error PF007" in result.stderr
    for name in ("phone-intake.md", "phone-intake--agent.md"):
        page = (out / name).read_text(encoding="utf-8")
        assert "> **This procedure has errors; it was published anyway and may be wrong:**" \
            in page
        assert "> - PF007 (line 42): step 'close': no end can be reached" in page
    for name in ("phone-intake.html", "phone-intake--agent.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert '<aside class="errors"' in page and "PF007 (line 17): step &#39;greet&#39;" in page
    for clean in ("it-access.md", "it-access.html", "complaint-handling.md"):
        assert "has errors" not in (out / clean).read_text(encoding="utf-8")
    # fixed: the banner goes, though the file is the only thing that changed
    (valid_project / "procedures" / "phone-intake.yaml").write_text(
        (valid_project / "procedures" / "phone-intake.yaml").read_text(encoding="utf-8")
        .replace("    next: greet", "    end: true"), encoding="utf-8")
    cli("render", valid_project / "procedures", "-o", out, "--today", TODAY,
        "--format", "md,html", "--by-role", expect=0)
    assert "has errors" not in (out / "phone-intake.md").read_text(encoding="utf-8")


def test_an_error_from_another_file_reaches_the_banner_of_an_unchanged_page(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--today", TODAY, "-f", "md", expect=0)
    (procedures / "phone-intake.yaml").unlink()  # complaint-handling relates to it: PF009
    cli("render", procedures, "-o", out, "--today", TODAY, "-f", "md", "--allow-errors",
        expect=0)
    assert "PF009" in (out / "complaint-handling.md").read_text(encoding="utf-8")


def test_warnings_are_printed_and_do_not_fail(cli: RunCli, valid_project: Path,
                                              tmp_path: Path) -> None:
    result = cli("render", valid_project / "procedures", "-o", tmp_path / "site", "--today",
                 "2027-01-01", "-f", "md", expect=0)
    assert "warning PF104 review overdue" in result.stderr
    assert "0 errors, 2 warnings in 3 files." in result.stderr
    assert "has errors" not in (tmp_path / "site" / "phone-intake.md").read_text(encoding="utf-8")
    quiet = cli("render", valid_project / "procedures", "-o", tmp_path / "two", "--today", TODAY,
                "-f", "md", expect=0)
    assert "PF" not in quiet.stderr


def test_a_file_that_does_not_load_is_left_out_with_allow_errors(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    (valid_project / "procedures" / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--today", TODAY, "-f", "md",
        expect=2)  # an input that does not load: a usage error, as before
    result = cli("render", valid_project / "procedures", "-o", out, "--today", TODAY, "-f",
                 "md", "--allow-errors", expect=0)
    assert "broken.yaml does not load: left out" in result.stderr
    assert (out / "phone-intake.md").exists() and not (out / "broken.md").exists()


def test_each_file_is_read_once_for_the_rules_and_the_pages(
        cli: RunCli, valid_project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules run in the same pass as the rendering, on the document loaded for it (one
    load per file, not one for the rules and another for the pages)."""
    import procflow.lint
    import procflow.loader
    import procflow.procedures

    loaded: list[str] = []
    real = procflow.loader.load_document

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        loaded.append(path.name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(procflow.lint, "load_document", counted)
    monkeypatch.setattr(procflow.procedures, "load_document", counted)
    cli("render", valid_project / "procedures", "-o", tmp_path / "site", "--today", TODAY,
        "--jobs", "1", expect=0)
    assert sorted(loaded) == ["complaint-handling.yaml", "it-access.yaml", "phone-intake.yaml"]
    assert (tmp_path / "site" / "phone-intake.html").exists()


def test_an_error_from_a_file_not_rendered_reaches_an_unchanged_page(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    """Nothing given changed (the run only checks), but a procedure of the project that was
    not rendered is gone: the error the rules across files find reaches the page."""
    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    one = procedures / "complaint-handling.yaml"
    cli("render", one, "-o", out, "--today", TODAY, "-f", "md", expect=0)
    before = (out / "index.md").read_text(encoding="utf-8")
    (procedures / "phone-intake.yaml").unlink()  # complaint-handling relates to it: PF009
    cli("render", one, "-o", out, "--today", TODAY, "-f", "md", expect=1)
    cli("render", one, "-o", out, "--today", TODAY, "-f", "md", "--allow-errors", expect=0)
    assert "PF009" in (out / "complaint-handling.md").read_text(encoding="utf-8")
    assert (out / "index.md").read_text(encoding="utf-8") == before

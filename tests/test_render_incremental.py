"""Incremental render (issue 11, item 6): after one procedure changed, the others are neither
loaded nor rendered; their catalog rows come from the manifest, which is hostile input like
any other (forged, truncated, from an older procflow) and never puts text on a page unescaped
nor stops the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import TODAY, RunCli

MANIFEST = ".procflow-files"
CATALOGS = ("index.md", "index.html", "index.pl.md", "index.pl.html")


def render(cli: RunCli, procedures: Path, out: Path, *more: object) -> str:
    return str(cli("render", procedures, "-o", out, "--by-role", "--today", TODAY, *more,
                   expect=0).stderr)


def change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rows(out: Path) -> dict[str, dict[str, object]]:
    """The catalog rows the manifest keeps, by procedure id."""
    found = {}
    for line in (out / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.startswith("#catalog\t"):
            row = json.loads(line.split("\t")[2])
            found[row["id"]] = row
    return found


def edit_rows(out: Path, edit: object) -> None:
    """Rewrite each catalog row of the manifest with ``edit(row text) -> new text``."""
    lines = []
    for line in (out / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.startswith("#catalog\t"):
            head, key, row = line.split("\t")
            line = "\t".join([head, key, edit(row)])  # type: ignore[operator]
        lines.append(line)
    (out / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")


def catalogs(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8") for name in CATALOGS
            if (out / name).exists()}


def fresh_catalogs(cli: RunCli, procedures: Path, tmp_path: Path, *more: object
                   ) -> dict[str, str]:
    """The catalogs a render into an empty folder makes (what an incremental one must equal)."""
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    render(cli, procedures, out, *more)
    return catalogs(out)


def times(out: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in out.iterdir() if path.is_file()}


def test_one_change_loads_only_that_procedure_and_the_catalog_is_as_a_full_render(
        cli: RunCli, valid_project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import procflow.render.pages

    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)
    before = times(out)
    assert set(rows(out)) == {"complaint-handling", "it-access", "phone-intake"}
    change(procedures / "it-access.yaml", "title: ", "title: New <b>")
    drawn: list[str] = []
    page = procflow.render.pages.procedure_page
    monkeypatch.setattr(procflow.render.pages, "procedure_page",
                        lambda procedure, **k: drawn.append(procedure.id) or page(procedure, **k))
    stderr = render(cli, procedures, out, "--jobs", "1")
    assert drawn == ["it-access"]  # the rules load every file; render only the changed
    assert "2 unchanged" in stderr
    after = times(out)
    changed = {name for name in after if after[name] != before.get(name)}
    assert not {name for name in changed
                if name.startswith(("complaint-handling", "phone-intake"))}
    assert "New &lt;b&gt;" in (out / "index.html").read_text(encoding="utf-8")
    monkeypatch.undo()
    assert catalogs(out) == fresh_catalogs(cli, procedures, tmp_path)
    assert str(rows(out)["it-access"]["title"]).startswith("New <b>")  # kept as written


def test_a_forged_row_is_shown_escaped_on_the_catalog(cli: RunCli, valid_project: Path,
                                                      tmp_path: Path) -> None:
    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)
    hostile = '<script>alert(1)</script> [x](javascript:alert(1)) | `**'

    def forge(row: str) -> str:
        data = json.loads(row)
        if data["id"] == "phone-intake":
            data["title"] = data["owner"] = hostile
            data["cards"][0]["name"] = hostile
        return json.dumps(data)

    edit_rows(out, forge)
    change(procedures / "it-access.yaml", "title: ", "title: New ")  # the catalog is redone
    render(cli, procedures, out)
    html = (out / "index.html").read_text(encoding="utf-8")
    markdown = (out / "index.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "<script>alert" not in markdown and "[x](javascript:" not in markdown
    assert "\\[x\\](javascript:" in markdown  # escaped as on any page
    row = next(line for line in markdown.splitlines() if "phone-intake.md" in line)
    assert row.count(" | ") == 7  # the forged "|" did not add a column


@pytest.mark.parametrize("forgery", [
    "not json",
    "{}",
    '{"id": "phone-intake"}',
    "[1, 2]",
    "null",
    "x" * 100_000,
    "ROW_WITH:id=../../etc/passwd",
    "ROW_WITH:id=Phone Intake",
    'ROW_WITH:pages=[".md\\"><script>"]',
    'ROW_WITH:pages=[".exe"]',
    'ROW_WITH:cards=[{"id": "agent\\"><x>", "name": "A", "suffixes": [".md"]}]',
    'ROW_WITH:cards=[{"id": "ghost", "name": "A", "suffixes": [".md"]}]',
    'ROW_WITH:pages=[".md", ".png"]',
    "ROW_WITH:review_due=\"yesterday\"",
    "ROW_WITH:language=\"../../x\"",
    "ROW_WITH:status=\"<b>\"",
    "ROW_WITH:title=\"\"",
    "ROW_WITH:extra=1",
])
def test_a_missing_or_malformed_row_renders_that_procedure_again(
        cli: RunCli, valid_project: Path, tmp_path: Path, forgery: str) -> None:
    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)

    def forge(row: str) -> str:
        data = json.loads(row)
        if data["id"] != "phone-intake":
            return row
        if not forgery.startswith("ROW_WITH:"):
            return forgery
        field, _, value = forgery.removeprefix("ROW_WITH:").partition("=")
        data[field] = json.loads(value) if value[:1] in '["{' else value
        return json.dumps(data)

    edit_rows(out, forge)
    before = times(out)
    change(procedures / "it-access.yaml", "title: ", "title: New ")
    stderr = render(cli, procedures, out)
    assert "1 unchanged" in stderr  # complaint-handling; phone-intake rendered again
    assert catalogs(out) == fresh_catalogs(cli, procedures, tmp_path)
    after = times(out)
    assert after["phone-intake.md"] == before["phone-intake.md"]  # identical: not moved
    assert rows(out)["phone-intake"]["title"] == "Taking a phone request"  # healed


def test_a_manifest_of_an_older_procflow_renders_again_once(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)
    lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    (out / MANIFEST).write_text("\n".join(line for line in lines
                                          if not line.startswith("#catalog")) + "\n",
                                encoding="utf-8")
    before = times(out)
    assert "wrote 0 files" in render(cli, procedures, out)  # nothing changed: nothing to do
    change(procedures / "it-access.yaml", "title: ", "title: New ")
    assert "unchanged" not in render(cli, procedures, out)
    after = times(out)
    assert after["phone-intake.md"] == before["phone-intake.md"]
    assert set(rows(out)) == {"complaint-handling", "it-access", "phone-intake"}
    change(procedures / "it-access.yaml", "title: New ", "title: Newer ")
    assert "2 unchanged" in render(cli, procedures, out)


def test_catalog_templates_of_ones_own_load_every_procedure(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    """A user's catalog may read any field (here the purpose), which a row does not keep."""
    procedures, out = valid_project / "procedures", tmp_path / "site"
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "index.md.j2").write_text(
        "{% for entry in catalog.entries %}{{ entry.procedure.id }}: "
        "{{ entry.procedure.purpose }}\n{% endfor %}", encoding="utf-8")
    render(cli, procedures, out, "--templates", custom)
    change(procedures / "it-access.yaml", "title: ", "title: New ")
    render(cli, procedures, out, "--templates", custom)
    assert catalogs(out) == fresh_catalogs(cli, procedures, tmp_path, "--templates", custom)
    assert "phone-intake: " in (out / "index.md").read_text(encoding="utf-8")


def test_two_projects_in_one_run_keep_their_own_settings(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(valid_project, other)
    (other / "procflow.yaml").write_text(
        (other / "procflow.yaml").read_text(encoding="utf-8").replace(
            "{en: Team lead, pl: Kierownik zespołu}", "{en: Shift lead, pl: Kierownik zmiany}"),
        encoding="utf-8")
    for path in (other / "procedures").glob("*.yaml"):
        change(path, "id: ", "id: other-")
    both = [valid_project / "procedures", other / "procedures"]
    out = tmp_path / "site"
    cli("render", *both, "-o", out, "--by-role", "--today", TODAY, expect=0)
    change(valid_project / "procedures" / "it-access.yaml", "title: ", "title: New ")
    stderr = cli("render", *both, "-o", out, "--by-role", "--today", TODAY, expect=0).stderr
    assert "5 unchanged" in stderr
    fresh = tmp_path / "fresh"
    cli("render", *both, "-o", fresh, "--by-role", "--today", TODAY, expect=0)
    assert catalogs(out) == catalogs(fresh)
    assert "Shift lead" in (out / "index.md").read_text(encoding="utf-8")
    # the other project's shared role changes: its procedures are made again, ours are not
    change(other / "procflow.yaml", "Shift lead", "Night lead")
    from procflow.project import forget_loaded_projects

    forget_loaded_projects()  # each CLI run is a new process; these run in one
    stderr = cli("render", *both, "-o", out, "--by-role", "--today", TODAY, expect=0).stderr
    assert "3 unchanged" in stderr
    assert "Night lead" in (out / "index.md").read_text(encoding="utf-8")


def test_rows_follow_the_files_listed(cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)
    (procedures / "it-access.yaml").unlink()
    render(cli, procedures, out)  # without --prune its files stay listed, and its row
    assert "it-access" in rows(out)
    render(cli, procedures, out, "--prune")
    assert set(rows(out)) == {"complaint-handling", "phone-intake"}
    assert "it-access" not in (out / "index.md").read_text(encoding="utf-8")


def test_a_duplicate_id_of_an_unchanged_procedure_is_still_refused(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    copy = procedures / "zz-copy.yaml"
    copy.write_text((procedures / "phone-intake.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = cli("render", procedures, "-o", out, "--by-role", "--today", TODAY,
                 "--allow-errors")
    assert result.exit_code in (1, 2) and "phone-intake" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before


def test_a_failed_incremental_run_leaves_the_site_and_its_list_as_they_were(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    procedures, out = valid_project / "procedures", tmp_path / "site"
    render(cli, procedures, out)
    change(procedures / "it-access.yaml", "title: ", "title: New ")
    (out / "it-access.svg").unlink()
    (out / "it-access.svg").mkdir()  # a folder where a file goes stops the run before a move
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    stamps = times(out)
    result = cli("render", procedures, "-o", out, "--by-role", "--today", TODAY)
    assert result.exit_code == 2 and "a folder has that name" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
    assert times(out) == stamps

"""Issue 16, items 1-5: variants of the adversarial run that the first round of hardening
tests (test_hardening.py) did not pin down. Hostile repositories built in ``tmp_path``; each
test holds within seconds and small memory."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from test_hardening import SECRET, outside, procedure, repo  # noqa: F401 (fixtures)

BIDI = "\u202e\u200b"


# --- 1: a full disk leaves the old file, never half a file ----------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills while procflow writes: the data is written, then flushing it fails
    with ENOSPC (as it does on a full tmpfs)."""
    import procflow.safe_write as safe_write

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write.os, "fsync", fsync)


def test_a_full_disk_leaves_codeowners_as_it_was(cli, repo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = repo / ".github" / "CODEOWNERS"
    target.parent.mkdir()
    target.write_text("* @acme/admins\n", encoding="utf-8")
    _full_disk(monkeypatch)
    result = cli("codeowners", "--write", expect=2)
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "* @acme/admins\n"
    assert sorted(os.listdir(target.parent)) == ["CODEOWNERS"]  # no scratch file left


def test_a_full_disk_leaves_the_schema_output_as_it_was(cli, repo: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "schema.json").write_text("old\n", encoding="utf-8")
    _full_disk(monkeypatch)
    cli("schema", "-o", "schema.json", expect=2)
    assert (repo / "schema.json").read_text(encoding="utf-8") == "old\n"
    assert not [name for name in os.listdir(repo) if name.endswith(".tmp")]


def test_init_refused_for_a_linked_folder_writes_nothing_at_all(cli, tmp_path: Path,
                                                                 outside: Path) -> None:
    project = tmp_path / "new-project"
    project.mkdir()
    (project / ".github").symlink_to(outside.parent)
    cli("init", project, expect=2)
    assert sorted(os.listdir(project)) == [".github"]  # no half-initialised project
    assert sorted(os.listdir(outside.parent)) == [".bashrc"]


# --- 2: a long line is quoted as a short window around its column --------------------------


def test_the_source_line_is_a_short_window_with_the_caret_under_the_column(cli,
                                                                           repo: Path) -> None:
    secret = "ghp_" + "S" * 3000
    (repo / "procedures" / "returns.yaml").write_text(
        procedure("returns") + f'notes: "{secret}" : x\n', encoding="utf-8")
    result = cli("validate", expect=1)
    lines = result.stdout.splitlines()
    where = next(k for k, line in enumerate(lines) if "PF001" in line)
    column = int(lines[where].split(":")[2])
    assert column > 3000
    source, caret = lines[where + 1], lines[where + 2]
    assert len(source) < 160 and "S" * 200 not in result.stdout
    assert source[caret.index("^")] == ":"  # the caret points at what libyaml named


# --- 3: the project-file walk and the root of links, from a far working folder -------------


def test_a_project_file_above_the_named_file_is_not_used_from_the_file_system_root(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "procflow.yaml").write_text("procflow: 1\ntemplates: tpl\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "procedure.md.j2").write_text("PLANTED\n", encoding="utf-8")
    mine = tmp_path / "shared" / "mine"
    mine.mkdir(parents=True)
    (mine / "p.yaml").write_text(procedure("p"), encoding="utf-8")
    monkeypatch.chdir("/")
    cli("render", mine / "p.yaml", "-o", tmp_path / "site", "--format", "md", expect=0)
    assert "PLANTED" not in (tmp_path / "site" / "p.md").read_text(encoding="utf-8")


def test_a_project_file_in_the_working_folder_is_used(cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "procflow.yaml").write_text("procflow: 1\ntemplates: tpl\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "procedure.md.j2").write_text("MINE\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.yaml").write_text(procedure("p"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cli("render", "docs/p.yaml", "-o", "site", "--format", "md", expect=0)
    assert "MINE" in (tmp_path / "site" / "p.md").read_text(encoding="utf-8")


def test_a_link_out_of_its_folder_is_not_read_from_the_file_system_root(
        cli, tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "a.yaml").symlink_to(outside)
    monkeypatch.chdir("/")
    result = cli("validate", folder / "a.yaml", expect=1)
    assert "symbolic link to a file outside the project; not read" in result.stdout
    assert "ghp_" not in result.stdout + result.stderr


def test_templates_through_a_linked_folder_out_of_the_project_are_refused(
        cli, repo: Path, outside: Path) -> None:
    (repo / "tpl").symlink_to(outside.parent)
    (repo / "procflow.yaml").write_text("procflow: 1\ntemplates: tpl\n", encoding="utf-8")
    assert "templates: must name a folder inside the project" in cli("validate", expect=1).stdout
    cli("render", "-o", "site", "--format", "md", expect=2)


def test_a_repository_below_a_planted_project_file_stops_the_walk(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "procflow.yaml").write_text("procflow: 1\ntemplates: tpl\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "procedure.md.j2").write_text("PLANTED\n", encoding="utf-8")
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "procedures").mkdir()
    (checkout / "procedures" / "p.yaml").write_text(procedure("p"), encoding="utf-8")
    monkeypatch.chdir("/")
    cli("render", checkout / "procedures", "-o", tmp_path / "site", "--format", "md", expect=0)
    assert "PLANTED" not in (tmp_path / "site" / "p.md").read_text(encoding="utf-8")


# --- 4: every message passes the printable filter, in every format ------------------------

HOSTILE = "x\n::error file=a::owned\x1b[2J\x07" + BIDI


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_rule_quoting_a_hostile_file_name_prints_it_inert(cli, repo: Path, fmt: str) -> None:
    (repo / "procedures" / f"{HOSTILE}.yaml").write_text(procedure("q"), encoding="utf-8")
    out = cli("validate", "--format", fmt, expect=0).stdout  # PF106: the name is not the id
    assert "PF106" in out
    for char in "\x1b\x07" + BIDI:
        assert char not in out
    assert not [line for line in out.splitlines() if line.startswith("::error file=a")]


def test_render_names_a_hostile_output_folder_inert(cli, repo: Path) -> None:
    result = cli("render", "-o", f"site{HOSTILE}", "--format", "md", expect=0)
    assert "\x1b" not in result.stderr and BIDI[0] not in result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("::error")]


# --- 5: one escaping path for file names in the pull-request comment -----------------------


@pytest.mark.parametrize("name", ["x\n# Heading <img src=x>" + BIDI, "a `b` c", "p|q"])
def test_diff_and_review_show_a_file_name_the_same_way_in_markdown(cli, repo: Path,
                                                                   name: str) -> None:
    from procflow.markup.markdown import code_span

    review = "review:\n  last: 2020-01-01\n  every: 26w\n"
    for side, title in (("old", "T"), ("new", "Changed")):
        (repo / side).mkdir()
        (repo / side / f"{name}.yaml").write_text(
            procedure("q", extra=review).replace("title: T", f"title: {title}"),
            encoding="utf-8")
    diff = cli("diff", "old", "new", "--format", "md", expect=0).stdout
    reviews = cli("review", "new", "--format", "md", expect=0).stdout
    from procflow.findings import printable

    shown = code_span(printable(f"new/{name}.yaml"))
    assert shown in diff and shown in reviews
    for report in (diff, reviews):
        assert not [line for line in report.splitlines() if line.startswith("# Heading")]
        assert BIDI[0] not in report


def test_json_findings_keep_the_message_printable(cli, repo: Path) -> None:
    (repo / "procedures" / f"{HOSTILE}.yaml").write_text(procedure("q"), encoding="utf-8")
    findings = json.loads(cli("validate", "--format", "json", expect=0).stdout)["diagnostics"]
    assert findings and all(message.isprintable()
                            for message in (f["message"] for f in findings))


# --- 7: alias amplification by size, end to end ------------------------------------------


def _aliased(count: int, size: int, field: str) -> str:
    """A procedure with one ``size``-character text repeated ``count`` times by aliases in
    ``checklist`` or ``related``."""
    repeated = f'[&a "{"A" * size}", ' + ", ".join(["*a"] * count) + "]"
    if field == "related":
        return procedure("returns", extra=f"related: {repeated}\n")
    return procedure("returns").replace(
        "steps: [{id: s, title: S, role: agent}]",
        f"steps:\n  - id: s\n    title: S\n    role: agent\n    checklist: {repeated}")


@pytest.mark.parametrize(("count", "size", "field"), [(9_000, 20_000, "checklist"),
                                                      (1_000, 100_000, "related")])
def test_aliases_of_a_long_text_stop_every_command_before_any_output(
        cli, repo: Path, count: int, size: int, field: str) -> None:
    (repo / "procedures" / "returns.yaml").write_text(_aliased(count, size, field),
                                                      encoding="utf-8")
    report = cli("validate", "--format", "json", expect=1).stdout
    assert len(report) < 2_000 and "alias bomb" in report
    for command in (["render", "-o", "site"], ["review"], ["codeowners"]):
        assert "PF002" in cli(*command, expect=2).stderr
    assert not (repo / "site").exists()


def test_a_raised_max_bytes_does_not_let_aliases_amplify(cli, repo: Path) -> None:
    # the project file may come from the same pull request: 56 KB would render 345 MB
    (repo / "procflow.yaml").write_text("procflow: 1\nlimits: {max_bytes: 1000000000}\n",
                                        encoding="utf-8")
    (repo / "procedures" / "returns.yaml").write_text(_aliased(9_000, 20_000, "checklist"),
                                                      encoding="utf-8")
    assert "aliases repeat more than 2,000,000 characters" in cli("validate", expect=1).stdout
    cli("render", "-o", "site", expect=2)
    assert not (repo / "site").exists()


def test_aliases_under_the_budget_render_pages_in_proportion(cli, repo: Path) -> None:
    (repo / "procedures" / "returns.yaml").write_text(_aliased(90, 20_000, "checklist"),
                                                      encoding="utf-8")
    cli("render", "-o", "site", "--format", "md,html", expect=0)
    written = sum(path.stat().st_size for path in (repo / "site").iterdir())
    assert 3_600_000 < written < 6_000_000  # each page holds the 1.8 MB once, no more


# --- 8: render cost linear in roles and steps, even with the limits raised -----------------


def _roles_each_with_a_step(count: int) -> str:
    roles = "".join(f"  - {{id: role-{k}, name: Role {k}}}\n" for k in range(count))
    steps = "".join(f"  - {{id: step-{k}, title: Step {k}, role: role-{k}}}\n"
                    for k in range(count))
    return procedure("returns").replace("roles: [{id: agent, name: Agent}]\n", "") \
        .replace("steps: [{id: s, title: S, role: agent}]\n", "") + \
        f"roles:\n{roles}steps:\n{steps}"


def test_a_raci_matrix_past_the_default_limits_is_left_out(cli, repo: Path) -> None:
    from procflow.render.pages import RACI_MAX_CELLS

    (repo / "procflow.yaml").write_text(
        "procflow: 1\nlimits: {max_roles: 100000, max_steps: 100000}\n", encoding="utf-8")
    count = 450  # 450 x 450 cells: past the 200 x 1,000 of the default limits
    assert count * count > RACI_MAX_CELLS
    (repo / "procedures" / "returns.yaml").write_text(_roles_each_with_a_step(count),
                                                      encoding="utf-8")
    cli("render", "-o", "site", "--format", "md,html", expect=0)
    for name in ("returns.md", "returns.html"):
        page = (repo / "site" / name).read_text(encoding="utf-8")
        assert "RACI" not in page and "Role 449" in page
        assert len(page) < 3_000 * count  # linear (the matrix alone would be 20 x count²)


def test_the_raci_matrix_keeps_only_the_roles_used(cli, repo: Path) -> None:
    text = procedure("returns").replace(
        "roles: [{id: agent, name: Agent}]",
        "roles: [{id: agent, name: Agent}, {id: idle, name: Idle role}]")
    (repo / "procedures" / "returns.yaml").write_text(text, encoding="utf-8")
    cli("render", "-o", "site", "--format", "md", expect=0)
    page = (repo / "site" / "returns.md").read_text(encoding="utf-8")
    raci = page[page.index("RACI"):]
    header = raci.splitlines()[2]
    assert "Agent" in header and "Idle role" not in header


# --- 6: PF008 names three other files, however many share the id --------------------------


def test_pf008_among_many_files_of_one_id_names_three_and_counts_the_rest(repo: Path) -> None:
    import datetime as dt

    from procflow.lint import validate

    for k in range(40):
        (repo / "procedures" / f"copy-{k:02}.yaml").write_text(procedure("same"),
                                                              encoding="utf-8")
    result = validate([repo / "procedures"], today=dt.date(2026, 6, 1))
    findings = [f for f in result.findings if f.code == "PF008"]
    assert len(findings) == 40
    for finding in findings:
        assert finding.message.count("copy-") == 3 and "and 36 more" in finding.message
        assert Path(finding.file).name not in finding.message  # the others, not itself

"""procflow render end to end: the files it writes, the catalog, role cards, the missing-engine
path, inputs that do not load, and safe writes (all or nothing, only inside --output)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from conftest import RunCli

PAGES = {"complaint-handling", "it-access", "phone-intake"}


MANIFEST = ".procflow-files"  # every run lists what it wrote there


def names(folder: Path) -> set[str]:
    """The files in ``folder`` but the manifest."""
    return {path.name for path in folder.iterdir()} - {MANIFEST}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())
            if path.name != MANIFEST}


def test_default_formats_write_md_html_svg_and_the_catalog(cli: RunCli, valid_project: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cli("render", valid_project / "procedures", "--output", out, expect=0)
    expected = {f"{pid}.{ext}" for pid in PAGES for ext in ("md", "html", "svg")}
    # the project speaks English and it-access Polish: a catalog in each, linked
    assert names(out) == expected | {"index.md", "index.html", "index.pl.md", "index.pl.html"}
    assert result.stdout == ""  # the product is the files; narration goes to stderr
    assert "wrote 13 files" in result.stderr
    svg = (out / "complaint-handling.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "Register the" in svg and ">complaint<" in svg  # the title, wrapped to its box


def test_format_option_chooses_the_files(cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md,dot", expect=0)
    assert names(out) == {f"{pid}.{ext}" for pid in PAGES for ext in ("md", "dot")} | {
        "index.md", "index.html", "index.pl.md", "index.pl.html"}
    assert (out / "it-access.dot").read_text(encoding="utf-8").startswith("digraph")
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "(it-access.md)" in index and "it-access.html" not in index


def test_png_is_written_when_asked(cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures" / "it-access.yaml", "-o", out, "--format", "png",
        expect=0)
    assert (out / "it-access.png").read_bytes().startswith(b"\x89PNG")


def test_a_png_warns_of_text_its_font_cannot_show(cli: RunCli, valid_project: Path,
                                                  tmp_path: Path) -> None:
    source = valid_project / "procedures" / "it-access.yaml"
    out = tmp_path / "site"
    result = cli("render", source, "-o", out, "--format", "svg,png", expect=0)
    assert "procflow: warning" not in result.stderr  # Polish letters are in the font
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("    title: ", "    title: 🚀 ", 1), encoding="utf-8")
    result = cli("render", source, "-o", out, "--format", "svg,png", expect=0)
    assert "procflow: warning:" in result.stderr and "it-access.yaml" in result.stderr
    assert "DejaVu Sans lacks, such as in '🚀" in result.stderr
    result = cli("render", source, "-o", out, "--format", "svg", expect=0)
    assert "procflow: warning" not in result.stderr  # an SVG leaves glyphs to the browser


def test_a_folder_without_procedures_warns_and_writes_an_empty_catalog(
        cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "site"
    result = cli("render", tmp_path / "empty", "-o", out, expect=0)
    assert "warning: no procedure files (*.yaml, *.yml) in" in result.stderr
    assert names(out) == {"index.md", "index.html"}


def test_an_unknown_format_is_a_usage_error(cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    result = cli("render", valid_project, "-o", tmp_path / "site", "--format", "md,htm", expect=2)
    assert "'htm' is not one of 'md', 'html'" in result.stderr
    assert "did you mean 'html'" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_catalog_flags_overdue_reviews_by_today(cli: RunCli, valid_project: Path,
                                                   tmp_path: Path) -> None:
    # complaint-handling: last review 2026-02-01, every 26 weeks -> due 2026-08-02
    before, after = tmp_path / "before", tmp_path / "after"
    cli("render", valid_project / "procedures", "-o", before, "--today", "2026-08-02", expect=0)
    cli("render", valid_project / "procedures", "-o", after, "--today", "2026-08-03", expect=0)
    assert "overdue" not in (before / "index.md").read_text(encoding="utf-8")
    row = next(line for line in (after / "index.md").read_text(encoding="utf-8").splitlines()
               if "complaint-handling.md" in line)
    assert "2026-08-02 **overdue**" in row
    html = (after / "index.html").read_text(encoding="utf-8")
    assert '<strong class="badge">overdue</strong>' in html
    assert "(**overdue**)" in (after / "complaint-handling.md").read_text(encoding="utf-8")


def test_a_bad_today_is_a_usage_error(cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    result = cli("render", valid_project, "-o", tmp_path / "site", "--today", "1.8.2026", expect=2)
    assert "YYYY-MM-DD" in result.stderr


def test_an_input_that_does_not_load_prints_its_findings_and_writes_nothing(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    broken = valid_project / "procedures" / "it-access.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("role: it-support",
                                                                 "rolle: it-support"))
    out = tmp_path / "site"
    result = cli("render", valid_project / "procedures", "-o", out, expect=2)
    assert "it-access.yaml:" in result.stderr and "PF003" in result.stderr
    assert "unknown field 'rolle'" in result.stderr
    assert result.stderr.count("unknown field 'rolle'") == 1  # each finding said once
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.fixture
def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without a diagram engine."""
    from procflow.errors import EnvironmentProblem
    from procflow.render import engine

    def draw(dot: str, fmt: str) -> bytes:
        raise EnvironmentProblem(engine.INSTALL_HINT)

    monkeypatch.setattr(engine, "available", lambda: False)
    monkeypatch.setattr(engine, "draw", draw)


@pytest.mark.usefixtures("no_engine")
def test_without_a_diagram_engine_images_fail_in_one_line_but_md_and_dot_are_written(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cli("render", valid_project / "procedures", "-o", out, "--format", "md,dot,svg",
                 expect=2)
    assert len(own_lines(result.stderr)) == 1  # besides the rules' warnings
    assert "pip install" in result.stderr
    assert names(out) == {f"{pid}.{ext}" for pid in PAGES for ext in ("md", "dot")} | {
        "index.md", "index.html", "index.pl.md", "index.pl.html"}
    assert ".svg" not in (out / "complaint-handling.md").read_text(encoding="utf-8")


@pytest.mark.usefixtures("no_engine")
def test_without_an_engine_html_alone_still_renders_and_says_why_there_is_no_diagram(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "html", expect=0)
    html = (out / "it-access.html").read_text(encoding="utf-8")
    assert "<svg" not in html and "Graphviz" in html


def test_role_cards_hold_only_that_roles_steps(cli: RunCli, valid_project: Path,
                                               tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--by-role", "--format", "md,html",
        expect=0)
    cards = {name for name in names(out) if "--" in name}
    assert {"complaint-handling--agent.md", "complaint-handling--specialist.html",
            "complaint-handling--team-lead.md"} <= cards
    agent = (out / "complaint-handling--agent.md").read_text(encoding="utf-8")
    assert "Register the complaint" in agent and "Close the case" in agent
    assert "Is the complaint justified?" not in agent.split("## Your steps")[1].split("## ")[0]
    assert "[Handling a complaint](complaint-handling.md)" in agent
    # a decision that leads to a step on someone else's card links to the full page
    specialist = (out / "complaint-handling--specialist.md").read_text(encoding="utf-8")
    assert "(complaint-handling.md#step-close)" in specialist
    assert "(#step-resolve)" in specialist
    page = (out / "complaint-handling.md").read_text(encoding="utf-8")
    assert "[Agent](complaint-handling--agent.md)" in page
    assert 'href="complaint-handling--agent.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_the_markdown_page_has_anchors_tasks_decisions_tables_and_the_diagram(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, expect=0)
    page = (out / "complaint-handling.md").read_text(encoding="utf-8")
    assert '### <a id="step-verify"></a>Step 2: Is the complaint justified?' in page
    assert "- [If Justified, go to step 4](#step-resolve)" in page
    assert "- [ ] Step done" in page
    assert "[Next: step 5](#step-close)" in page  # reject -> close jumps over resolve
    assert "```mermaid\n" in page
    assert "![Swimlane diagram of Handling a complaint](complaint-handling.svg)" in page
    assert "| [1. Register the complaint](#step-register) | R | C | A |" in page
    assert "- **Time limit:** 10 minutes" in page


def test_duplicate_ids_and_the_id_index_are_refused(cli: RunCli, valid_project: Path,
                                                   tmp_path: Path) -> None:
    procedures = valid_project / "procedures"
    copy = procedures / "copy.yaml"
    copy.write_text((procedures / "it-access.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("render", procedures, "-o", tmp_path / "a", expect=1)  # the rules say why
    assert "error PF008 procedure id 'it-access' is also the id of" in result.stderr
    assert "nothing was rendered" in result.stderr and not (tmp_path / "a").exists()
    copy.write_text((procedures / "it-access.yaml").read_text(encoding="utf-8").replace(
        "id: it-access", "id: index"), encoding="utf-8")
    result = cli("render", copy, "-o", tmp_path / "b", expect=2)  # PF003: the file does not load
    assert "error PF003 id: the id 'index' is reserved" in result.stderr
    assert not (tmp_path / "b").exists()


# --- safe writes ----------------------------------------------------------------------------


def test_unrelated_files_are_untouched_and_old_outputs_replaced(cli: RunCli, valid_project: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "README.txt").write_text("mine", encoding="utf-8")
    (out / "it-access.md").write_text("stale", encoding="utf-8")
    cli("render", valid_project / "procedures", "-o", out, "--format", "md", expect=0)
    assert (out / "README.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "it-access.md").read_text(encoding="utf-8").startswith("# Wniosek")
    assert not [name for name in names(out) if name.startswith(".")]


def test_a_symlink_at_an_output_name_is_replaced_not_followed(cli: RunCli, valid_project: Path,
                                                             tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "it-access.md").symlink_to(outside)
    cli("render", valid_project / "procedures", "-o", out, "--format", "md", expect=0)
    assert outside.read_text(encoding="utf-8") == "keep"
    assert not (out / "it-access.md").is_symlink()


def test_a_failing_run_changes_nothing_in_the_output(cli: RunCli, valid_project: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md,html", expect=0)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    templates = tmp_path / "templates"
    templates.mkdir()
    # fails on the last procedure only, after the others were rendered
    (templates / "step.md.j2").write_text(
        "{% if page.procedure.id == 'phone-intake' %}{{ page.procedure.nope }}{% endif %}ok\n",
        encoding="utf-8")
    result = cli("render", valid_project / "procedures", "-o", out, "--format", "md,html",
                 "--templates", templates, "--today", "2030-01-01", expect=2)
    assert "nope" in result.stderr
    assert snapshot(out) == before  # same names, same bytes, no temporary leftovers


def test_a_failing_parallel_run_changes_nothing(valid_project: Path, tmp_path: Path) -> None:
    from procflow.procedures import discover
    from procflow.render import render_site
    from procflow.render.environment import TemplateProblem

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "role.md.j2").write_text("{{ page.missing }}", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    files = discover([valid_project / "procedures"])
    with pytest.raises(TemplateProblem, match="missing"):
        render_site(files, out, ("md",), templates_dir=templates, by_role=True, jobs=2,
                    today=dt.date(2026, 6, 1))
    assert names(out) == set()


def test_parallel_and_serial_runs_write_the_same_files(valid_project: Path, tmp_path: Path) -> None:
    from procflow.procedures import discover
    from procflow.render import render_site

    files = discover([valid_project / "procedures"])
    day = dt.date(2026, 6, 1)
    calls: list[int] = []
    serial = render_site(files, tmp_path / "one", ("md", "html", "dot"), by_role=True,
                         today=day, jobs=1, progress=lambda: calls.append(1))
    render_site(files, tmp_path / "two", ("md", "html", "dot"), by_role=True, today=day, jobs=2)
    assert len(calls) == len(files)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert {path.parent for path in serial.written} == {(tmp_path / "one").resolve()}


def test_a_folder_at_an_output_name_stops_the_run_before_anything_moves(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md", expect=0)
    (out / "index.md").unlink()
    (out / "index.md").mkdir()  # sorts after every procedure's page
    before = snapshot_tree(out)
    result = cli("render", valid_project / "procedures", "-o", out, "--format", "md",
                 "--today", "2030-01-01", expect=2)
    assert "index.md: a folder has that name" in result.stderr
    assert "nothing was changed" in result.stderr
    assert snapshot_tree(out) == before


DENIED = OSError(13, "Permission denied")


@pytest.mark.parametrize("error, also_putting_back, said", [
    # the sixth rename: two files moved in, the third's old file aside, its new one fails
    (DENIED, False, "Permission denied; nothing was changed"),
    (KeyboardInterrupt(), False, None),  # Ctrl-C is undone too, then goes on
    # every rename from the sixth fails, putting back too: the old files wait, and are named
    (DENIED, True, r"3 earlier files could not be put back and wait in .*replaced: move "
     r"them back by hand"),
])
def test_a_rename_that_fails_halfway_loses_no_old_file(
        valid_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error: BaseException, also_putting_back: bool, said: str | None) -> None:
    from procflow.errors import ProcflowError
    from procflow.procedures import discover
    from procflow.render import render_site, write

    files = discover([valid_project / "procedures"])
    out = tmp_path / "site"
    render_site(files, out, ("md",), today=dt.date(2026, 6, 1))
    before = snapshot(out)
    renames = 0
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        nonlocal renames
        renames += 1
        if renames == 6 or (also_putting_back and renames > 6):
            raise error
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(type(error) if said is None else ProcflowError,
                       match=said) as caught:
        render_site(files, out, ("md",), today=dt.date(2030, 1, 1))
    if not also_putting_back:
        assert snapshot(out) == before  # the old pages back, no new page, no staging folder
        return
    waiting = Path(str(caught.value).split("wait in ")[1].split(":")[0])
    assert {path.name for path in waiting.iterdir()} | names(out) >= set(before)
    assert all((waiting / name).read_bytes() == before[name] for name in names(waiting))


def test_a_full_disk_is_one_line_and_exit_2_with_nothing_changed(
        cli: RunCli, valid_project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from procflow.render import write

    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md", expect=0)
    before = snapshot(out)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "open", full, raising=False)
    result = cli("render", valid_project / "procedures", "-o", out, "--format", "md",
                 "--jobs", "1", expect=2)
    assert "No space left on device; nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before


def snapshot_tree(folder: Path) -> dict[str, bytes | None]:
    return {str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
            for path in sorted(folder.rglob("*"))}


def test_a_terminal_sees_a_progress_bar_for_many_procedures(valid_project: Path,
                                                            tmp_path: Path) -> None:
    import pty
    import subprocess
    import sys

    source = (valid_project / "procedures" / "it-access.yaml").read_text(encoding="utf-8")
    many = tmp_path / "many" / "procedures"  # with the project file: its shared roles
    many.mkdir(parents=True)
    (tmp_path / "many" / "procflow.yaml").write_bytes(
        (valid_project / "procflow.yaml").read_bytes())
    for k in range(25):  # more than PROGRESS_FROM
        (many / f"p{k}.yaml").write_text(source.replace("id: it-access", f"id: access-{k}", 1),
                                         encoding="utf-8")

    def stderr_of(files: Path, terminal: bool) -> str:
        command = [sys.executable, "-m", "procflow", "render", str(files), "-o",
                   str(tmp_path / "site"), "--format", "md"]
        if not terminal:
            return subprocess.run(command, capture_output=True, text=True, check=True).stderr
        parent, child = pty.openpty()
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child) as process:
            os.close(child)
            chunks = []
            while True:
                try:
                    chunk = os.read(parent, 4096)
                except OSError:  # the terminal closed with the process
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        os.close(parent)
        assert process.returncode == 0
        return b"".join(chunks).decode("utf-8", "replace")

    shown = stderr_of(many, terminal=True)
    assert "rendering" in shown and "wrote 29 files for 25 procedures" in shown  # with index.pl
    assert "rendering" not in stderr_of(many, terminal=False)  # no bar in logs
    few = tmp_path / "few" / "procedures"
    few.mkdir(parents=True)
    (tmp_path / "few" / "procflow.yaml").write_bytes((valid_project / "procflow.yaml").read_bytes())
    (few / "p.yaml").write_text(source, encoding="utf-8")
    assert "rendering" not in stderr_of(few, terminal=True)


def listed(out: Path) -> set[str]:
    """The names the manifest lists."""
    return {line.split("\t")[0] for line in (out / MANIFEST).read_text(encoding="utf-8")
            .splitlines() if not line.startswith("#")}


def test_prune_removes_what_an_earlier_run_wrote_and_nothing_else(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--format", "md", "--by-role", "--prune", expect=0)
    assert "it-access.md" in listed(out) and "notes.md" not in listed(out)
    cards = {name for name in names(out) if name.startswith("it-access--")}
    assert cards
    (procedures / "it-access.yaml").unlink()  # a procedure is retired
    result = cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=0)
    assert "; removed " in result.stderr and "it-access.md" in result.stderr
    left = names(out)
    assert "it-access.md" not in left and not cards & left  # its page and its role cards
    assert {"notes.md", "complaint-handling.md", "index.md"} <= left  # never listed, or made
    assert "it-access.md" not in listed(out)


def test_without_prune_nothing_is_removed_and_the_list_keeps_earlier_files(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--format", "md", expect=0)
    (procedures / "it-access.yaml").unlink()
    result = cli("render", procedures, "-o", out, "--format", "md", expect=0)
    assert "removed" not in result.stderr and (out / "it-access.md").exists()
    assert "it-access.md" in listed(out)  # a later --prune run removes it
    result = cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=0)
    assert "it-access.md" in result.stderr and not (out / "it-access.md").exists()


def test_prune_leaves_forged_foreign_and_edited_files_alone(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    import hashlib

    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=0)
    (out / "complaint-handling.md").write_text("edited by hand", encoding="utf-8")
    planted = {"procflow.yaml": b"procflow: 1\n", "setup.py": b"print()\n",
               "notes.txt": b"mine\n", "old-page.md": b"written by someone else\n"}
    lines = []
    for name, data in planted.items():
        (out / name).write_bytes(data)
        lines.append(f"{name}\t{hashlib.sha256(data).hexdigest()}\t{len(data)}\t0\tforged")
    (out / MANIFEST).write_text((out / MANIFEST).read_text(encoding="utf-8")
                                + "\n".join(lines) + "\n", encoding="utf-8")
    (procedures / "complaint-handling.yaml").unlink()
    result = cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=0)
    # names procflow cannot produce stay whatever the list says; the edited page stays too
    for name in ("procflow.yaml", "setup.py", "notes.txt", "complaint-handling.md"):
        assert (out / name).exists(), name
    # a producible name with the recorded hash is procflow's to remove
    assert not (out / "old-page.md").exists() and "old-page.md" in result.stderr


def test_a_second_run_with_nothing_changed_touches_nothing(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--by-role", expect=0)
    times = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    result = cli("render", procedures, "-o", out, "--by-role", expect=0)
    assert "wrote 0 files" in result.stderr and "3 unchanged" in result.stderr
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == times
    # one procedure changed: its files are written again, the others' are left alone
    path = procedures / "it-access.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: New ", 1),
                    encoding="utf-8")
    result = cli("render", procedures, "-o", out, "--by-role", expect=0)
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    changed = {name for name in after if after[name] != times.get(name)}
    assert {"it-access.md", "it-access.html", "index.md", "index.html"} <= changed
    assert not {name for name in changed if name.startswith("complaint-handling")}
    assert "New " in (out / "index.md").read_text(encoding="utf-8")  # the catalog too
    assert "2 unchanged" in result.stderr
    # --force redoes everything
    result = cli("render", procedures, "-o", out, "--by-role", "--force", expect=0)
    assert "unchanged" not in result.stderr
    assert "wrote 0 files" in result.stderr and "--force made every file again" in result.stderr
    # a changed template redoes every page made with it
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "procedure.md.j2").write_text('{% extends "default/procedure.md.j2" %}\n'
                                            "{% block header %}MINE{% endblock %}\n",
                                            encoding="utf-8")
    cli("render", procedures, "-o", out, "--templates", custom, expect=0)
    assert "MINE" in (out / "complaint-handling.md").read_text(encoding="utf-8")


def test_a_page_edited_by_hand_is_rendered_again(cli: RunCli, valid_project: Path,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--format", "md", expect=0)
    before = (out / "it-access.md").read_text(encoding="utf-8")
    (out / "it-access.md").write_text("oops", encoding="utf-8")
    result = cli("render", procedures, "-o", out, "--format", "md", expect=0)
    assert (out / "it-access.md").read_text(encoding="utf-8") == before
    assert "2 unchanged" in result.stderr


def test_a_failed_prune_run_removes_nothing(cli: RunCli, valid_project: Path,
                                            tmp_path: Path) -> None:
    out = tmp_path / "site"
    procedures = valid_project / "procedures"
    cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=0)
    before = snapshot(out)
    (procedures / "it-access.yaml").unlink()
    (procedures / "broken.yaml").write_text("id: [", encoding="utf-8")
    cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=2)
    assert snapshot(out) == before


def test_a_forged_list_cannot_reach_outside_the_output(cli: RunCli, valid_project: Path,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (tmp_path / "precious.md").write_text("keep", encoding="utf-8")
    (out / "keep.md").mkdir()
    (out / "keep.md" / "mine.txt").write_text("mine", encoding="utf-8")
    (out / ".procflow-files").write_text("../precious.md\nkeep.md\n/etc/passwd\n",
                                         encoding="utf-8")
    cli("render", valid_project / "procedures", "-o", out, "--format", "md", "--prune",
        expect=0)
    assert (tmp_path / "precious.md").read_text(encoding="utf-8") == "keep"
    assert (out / "keep.md" / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_a_folder_where_the_list_goes_stops_a_prune_run(cli: RunCli, valid_project: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / ".procflow-files").mkdir(parents=True)
    (out / ".procflow-files" / "keep.txt").write_text("mine", encoding="utf-8")
    result = cli("render", valid_project / "procedures", "-o", out, "--format", "md",
                 "--prune", expect=2)
    assert ".procflow-files: a folder has that name" in result.stderr
    assert snapshot_tree(out) == {".procflow-files": None, ".procflow-files/keep.txt": b"mine"}


def test_prune_with_no_procedures_is_refused(cli: RunCli, valid_project: Path,
                                             tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md", "--prune",
        expect=0)
    before = snapshot(out)
    (tmp_path / "empty").mkdir()
    result = cli("render", tmp_path / "empty", "-o", out, "--format", "md", "--prune",
                 expect=2)
    assert "--prune would remove every page" in result.stderr
    assert snapshot(out) == before


def test_a_run_that_fails_for_want_of_an_engine_prunes_nothing(
        cli: RunCli, valid_project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from procflow.errors import EnvironmentProblem
    from procflow.render import engine

    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md,svg", "--prune",
        expect=0)
    svgs = {name for name in names(out) if name.endswith(".svg")}

    def draw(dot: str, fmt: str) -> bytes:
        raise EnvironmentProblem(engine.INSTALL_HINT)

    monkeypatch.setattr(engine, "available", lambda: False)
    monkeypatch.setattr(engine, "draw", draw)
    cli("render", valid_project / "procedures", "-o", out, "--format", "md,svg", "--prune",
        expect=2)
    assert svgs and svgs <= names(out)


def test_output_that_is_a_file_is_a_usage_error(cli: RunCli, valid_project: Path,
                                                tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = cli("render", valid_project / "procedures", "-o", target, expect=2)
    assert "is a file" in result.stderr


@pytest.mark.parametrize("procedure_id, role_id", [
    ("../etc", None), ("a/b", None), ("ok", "../x"), ("UPPER", None), ("", None), ("a" * 65, None)])
def test_file_names_are_rebuilt_only_from_slugs(procedure_id: str, role_id: str | None) -> None:
    from procflow.errors import ProcflowError
    from procflow.render.write import file_name

    with pytest.raises(ProcflowError, match="refusing"):
        file_name(procedure_id, ".md", role_id)


@pytest.mark.parametrize("name", ["../x.md", "sub/x.md", ".hidden.md", "/abs.md", "x"])
def test_staged_writes_refuse_anything_but_a_plain_name(tmp_path: Path, name: str) -> None:
    from procflow.errors import ProcflowError
    from procflow.render.write import Staging

    staging = Staging(tmp_path)
    with pytest.raises(ProcflowError, match="refusing"):
        staging.write(name, "x")
    staging.discard()
    assert os.listdir(tmp_path) == []


def test_a_run_over_two_projects_renders_each_with_its_own_settings(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    """Templates, language and shared roles come from each file's own project file."""
    second = tmp_path / "second"
    shutil.copytree(valid_project, second)
    for project, language, lead, mark in ((valid_project, "en", "Team lead", "FIRST"),
                                          (second, "pl", "Kierownik zmiany", "SECOND")):
        (project / "tpl").mkdir()
        (project / "tpl" / "procedure.md.j2").write_text(
            '{% extends "default/procedure.md.j2" %}{% block header %}' + mark
            + "{{ super() }}{% endblock %}", encoding="utf-8")
        text = (project / "procflow.yaml").read_text(encoding="utf-8")
        text = text.replace("language: en", f"language: {language}\ntemplates: tpl")
        (project / "procflow.yaml").write_text(
            text.replace("name: {en: Team lead, pl: Kierownik zespołu}", f"name: {lead}"),
            encoding="utf-8")
    (second / "procedures" / "it-access.yaml").unlink()
    (second / "procedures" / "phone-intake.yaml").unlink()
    (valid_project / "procedures" / "complaint-handling.yaml").unlink()
    copy = second / "procedures" / "complaint-handling.yaml"
    copy.write_text(copy.read_text(encoding="utf-8").replace("id: complaint-handling",
                                                             "id: reklamacje", 1),
                    encoding="utf-8")
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", second / "procedures", "-o", out,
        "--format", "md", expect=0)
    first_page = (out / "phone-intake.md").read_text(encoding="utf-8")
    second_page = (out / "reklamacje.md").read_text(encoding="utf-8")
    assert "FIRST" in first_page and "SECOND" not in first_page
    assert "SECOND" in second_page and "FIRST" not in second_page
    assert "## Steps" in first_page and "## Kroki" in second_page  # each project's language
    assert "Kierownik zmiany" in second_page and "Kierownik zmiany" not in first_page


def own_lines(stderr: str) -> list[str]:
    """procflow's own narration in ``stderr``, without the findings the rules print."""
    return [line for line in stderr.splitlines() if line.startswith("procflow:")]


def test_the_wording_reads_as_the_person_at_the_desk_would_say_it(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    cli("render", valid_project / "procedures", "-o", out, "--format", "md,html",
        "--today", "2026-06-01", expect=0)
    page = (out / "complaint-handling.md").read_text(encoding="utf-8")
    assert "- **Customer:** Retail customers (external)" in page  # no "external: Retail..."
    assert "**Message template (e-mail):** We have received your complaint" in page  # not "ack"
    assert "Steps: [2. Is the complaint justified?](#step-verify), [4. " in page  # linked titles, not "Steps: 3"
    assert ": go to step" not in page and ", go to step" in page
    html = (out / "complaint-handling.html").read_text(encoding="utf-8")
    assert "<dd>Retail customers (external)</dd>" in html
    assert 'Steps: <a href="#step-verify">2. Is the complaint justified?</a>' in html
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "Retail customers (external)" in index


def test_the_catalog_speaks_the_project_language(cli: RunCli, valid_project: Path,
                                                 tmp_path: Path) -> None:
    procedures = valid_project / "procedures"
    for path in procedures.glob("*.yaml"):  # every procedure Polish, the project English
        text = path.read_text(encoding="utf-8")
        if "\nlanguage:" not in text:
            path.write_text(text.replace("procflow: 1\n", "procflow: 1\nlanguage: pl\n", 1),
                            encoding="utf-8")
    cli("render", procedures, "-o", tmp_path / "en", "-f", "md,html", "--today", "2026-06-01",
        expect=0)
    assert (tmp_path / "en" / "index.md").read_text(encoding="utf-8").startswith("# Procedures")
    assert '<html lang="en">' in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    czech = tmp_path / "czech"  # a new project (project files are read once per process)
    shutil.copytree(valid_project, czech)
    project = czech / "procflow.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("language: en",
                                                                    "language: cs"),
                       encoding="utf-8")
    cli("render", czech / "procedures", "-o", tmp_path / "cs", "-f", "md,html", "--today", "2026-06-01",
        expect=0)
    assert '<html lang="cs">' in (tmp_path / "cs" / "index.html").read_text(encoding="utf-8")


def test_a_library_caller_sees_a_project_file_changed_between_two_renders(
        valid_project: Path, tmp_path: Path) -> None:
    """One process, two ``render_site`` calls, the project file edited in between (an editor
    plugin, a long-running wiki builder): the second render uses the new settings."""
    from procflow.procedures import discover
    from procflow.render import render_site

    files = discover([valid_project / "procedures"])
    project_file = valid_project / "procflow.yaml"
    day = dt.date(2026, 6, 1)
    render_site(files, tmp_path / "one", ("md",), today=day)
    assert not (tmp_path / "one" / "index.md").read_text(encoding="utf-8").startswith("MINE")
    templates = valid_project / "tpl"
    templates.mkdir()
    (templates / "index.md.j2").write_text("MINE\n", encoding="utf-8")
    project_file.write_text(project_file.read_text(encoding="utf-8") + "templates: tpl\n",
                            encoding="utf-8")
    render_site(files, tmp_path / "two", ("md",), today=day)
    assert (tmp_path / "two" / "index.md").read_text(encoding="utf-8") == "MINE\n"

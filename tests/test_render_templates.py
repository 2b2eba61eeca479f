"""Template overrides (--templates, templates: in procflow.yaml, block-by-block extension of a
default), StrictUndefined errors, and labels in the procedure's language with CLDR plurals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import RunCli

EXAMPLE = Path(__file__).parents[1] / "examples" / "custom-templates"


def render_md(cli: RunCli, source: Path, out: Path, *extra: object, expect: int = 0) -> str:
    cli("render", source, "-o", out, "--format", "md", *extra, expect=expect)
    return (out / f"{source.stem}.md").read_text(encoding="utf-8") if expect == 0 else ""


def test_a_file_in_the_templates_folder_replaces_the_default(cli: RunCli, valid_project: Path,
                                                             tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "message.md.j2").write_text("MESSAGE {{ template.id }}\n", encoding="utf-8")
    page = render_md(cli, valid_project / "procedures" / "complaint-handling.yaml",
                     tmp_path / "site", "--templates", templates)
    assert "MESSAGE ack" in page
    assert "## Steps" in page  # everything else is the default


AZURE_DEVOPS = """{% extends "default/procedure.md.j2" %}
{% block diagram %}

## {{ t('diagram') }}

{{ page.mermaid | fence("mermaid", colons=True) }}
{% endblock %}
"""


def test_an_azure_devops_wiki_gets_its_mermaid_block_from_a_five_line_override(
        cli: RunCli, valid_project: Path, tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "procedure.md.j2").write_text(AZURE_DEVOPS, encoding="utf-8")
    page = render_md(cli, valid_project / "procedures" / "complaint-handling.yaml",
                     tmp_path / "site", "--templates", templates)
    block = page.split("::: mermaid\n", 1)[1].split("\n:::\n", 1)[0]
    assert block.startswith("flowchart TB\n") and "  s1 --> s2" in block
    assert "```" not in page.split("## Roles")[0]  # no backtick fence left
    assert "## Steps" in page


def test_the_project_file_names_the_templates_folder(cli: RunCli, valid_project: Path,
                                                    tmp_path: Path) -> None:
    (valid_project / "house").mkdir()
    (valid_project / "house" / "header.md.j2").write_text("HOUSE HEADER\n", encoding="utf-8")
    project_file = valid_project / "procflow.yaml"
    project_file.write_text(project_file.read_text(encoding="utf-8") + "templates: house\n",
                            encoding="utf-8")
    page = render_md(cli, valid_project / "procedures" / "complaint-handling.yaml",
                     tmp_path / "site")
    assert "HOUSE HEADER" in page


def test_an_override_extends_the_default_block_by_block(cli: RunCli, valid_project: Path,
                                                       tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "procedure.md.j2").write_text(
        '{% extends "default/procedure.md.j2" %}\n'
        "{% block title %}# {{ p.title }} (ACME){% endblock %}\n"
        "{% block raci %}{{ super() }}\nEXTRA{% endblock %}\n", encoding="utf-8")
    (templates / "procedure.html.j2").write_text(
        '{% extends "default/procedure.html.j2" %}\n'
        "{% block roles %}<p>NO ROLES TABLE</p>{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "site"
    cli("render", valid_project / "procedures" / "complaint-handling.yaml", "-o", out,
        "--format", "md,html", "--templates", templates, expect=0)
    page = (out / "complaint-handling.md").read_text(encoding="utf-8")
    assert page.startswith("# Handling a complaint (ACME)")
    assert "## RACI matrix" in page and page.rstrip().endswith("EXTRA")
    assert "## Steps" in page
    html = (out / "complaint-handling.html").read_text(encoding="utf-8")
    assert "<p>NO ROLES TABLE</p>" in html and 'id="h-roles"' not in html
    assert 'id="step-verify"' in html


def test_a_missing_field_names_the_template_line_and_field(cli: RunCli, valid_project: Path,
                                                          tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "header.md.j2").write_text("fine\n{{ page.procedure.ownr.name }}\n",
                                            encoding="utf-8")
    out = tmp_path / "site"
    result = cli("render", valid_project / "procedures", "-o", out, "--format", "md",
                 "--templates", templates, expect=2)
    lines = [line for line in result.stderr.splitlines() if line.startswith("procflow:")]
    assert len(lines) == 1  # besides the rules' warnings
    line = lines[0]
    assert "header.md.j2, line 2" in line and "unknown field 'ownr'" in line
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_undefined_name_and_a_syntax_error_are_located(cli: RunCli, valid_project: Path,
                                                          tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "step.md.j2").write_text("{{ stepp.title }}\n", encoding="utf-8")
    result = cli("render", valid_project / "procedures", "-o", tmp_path / "a", "--format", "md",
                 "--templates", templates, expect=2)
    assert "step.md.j2, line 1" in result.stderr and "unknown field 'stepp'" in result.stderr
    (templates / "step.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    result = cli("render", valid_project / "procedures", "-o", tmp_path / "b", "--format", "md",
                 "--templates", templates, expect=2)
    assert "step.md.j2, line 2" in result.stderr


@pytest.mark.parametrize("text, said", [
    ("x\n{{ page.procedure.title / 2 }}\n", "line 2: TypeError: unsupported operand"),
    ("{{ page.procedure.title | int(1 / 0) }}\n", "line 1: ZeroDivisionError"),
    ('{% extends "procedure.md.j2" %}\n', 'line 1: the template recurses without end: a file '
     'that extends or includes itself (to build on the default, write {% extends '
     '"default/<name>" %}) or a macro that calls itself'),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}\n", "line 1: the template recurses"),
])
def test_a_user_template_that_fails_as_it_runs_is_located_not_a_crash(
        cli: RunCli, valid_project: Path, tmp_path: Path, text: str, said: str) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "procedure.md.j2").write_text(text, encoding="utf-8")
    for jobs in ("1", "2"):
        out = tmp_path / f"site{jobs}"
        result = cli("render", valid_project / "procedures", "-o", out, "--format", "md",
                     "--templates", templates, "--jobs", jobs, expect=2)
        assert "procedure.md.j2, " + said in result.stderr
        said_lines = [line for line in result.stderr.splitlines() if line.startswith("procflow:")]
        assert len(said_lines) == 1 and not out.exists()


def test_a_missing_templates_folder_is_a_usage_error(cli: RunCli, valid_project: Path,
                                                     tmp_path: Path) -> None:
    result = cli("render", valid_project, "-o", tmp_path / "site", "--templates",
                 tmp_path / "nope", expect=2)
    assert "templates folder not found" in result.stderr


def test_the_worked_example_renders_its_overrides(cli: RunCli, tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    out = tmp_path / "site"
    cli("render", project / "procedures", "-o", out, "--format", "md,html", "--by-role", expect=0)
    page = (out / "returns-desk.md").read_text(encoding="utf-8")
    assert page.startswith("# Zwrot towaru w punkcie obsługi · Acme Retail")
    assert "Etap 1: Sprawdzenie paragonu" in page and "## Etapy" in page  # project labels
    assert "**Właściciel:**" in page  # procflow's own Polish labels
    assert "Średni czas zwrotu" not in page  # the KPI block is emptied
    html = (out / "returns-desk.html").read_text(encoding="utf-8")
    assert "#8a1c00" in html and "<footer>" in html and "Etap 2" in html
    assert (out / "returns-desk--cashier.md").read_text(encoding="utf-8").count("Etap ") >= 4


# --- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language, text, expected", [
    ("en", "1d", "1 day"), ("en", "2d", "2 days"), ("en", "1h30m", "1 hour 30 minutes"),
    ("pl", "1h", "1 godzina"), ("pl", "2d", "2 dni"), ("pl", "5m", "5 minut"),
    ("pl", "22m", "22 minuty"), ("pl", "12m", "12 minut"), ("pl", "1w2d", "1 tydzień 2 dni"),
    ("pl", "5w", "5 tygodni"),
    ("cs", "1d", "1 den"), ("cs", "3d", "3 dny"), ("cs", "5d", "5 dní"), ("cs", "22m", "22 minut"),
    ("cs", "2h", "2 hodiny"), ("pl-PL", "4h", "4 godziny"), ("de", "2d", "2 days"),
])
def test_durations_in_words_with_cldr_plurals(language: str, text: str, expected: str) -> None:
    from procflow.durations import Duration
    from procflow.render.environment import builtin_dir
    from procflow.render.i18n import Labels

    assert Labels(language, [builtin_dir()]).duration(Duration.parse(text)) == expected


@pytest.mark.parametrize("language, text, expected, plain", [
    ("en", "2d", "after 2 days", "2 days"), ("pl", "1d", "po 1 dniu", "1 dzień"),
    ("pl", "2d", "po 2 dniach", "2 dni"), ("pl", "5h", "po 5 godzinach", "5 godzin"),
    ("pl", "1h30m", "po 1 godzinie 30 minutach", "1 godzina 30 minut"),
    ("cs", "1d", "po 1 dni", "1 den"), ("cs", "5d", "po 5 dnech", "5 dní"),
    ("cs", "2h", "po 2 hodinách", "2 hodiny"), ("cs", "1w", "po 1 týdnu", "1 týden"),
    ("de", "2d", "after 2 days", "2 days"),
])
def test_a_duration_after_po_takes_the_locative(language: str, text: str, expected: str,
                                                 plain: str) -> None:
    from procflow.durations import Duration
    from procflow.render.environment import builtin_dir
    from procflow.render.i18n import Labels

    labels = Labels(language, [builtin_dir()])
    assert labels("after_duration", duration=labels.duration(Duration.parse(text),
                                                               "after")) == expected
    assert labels.duration(Duration.parse(text)) == plain


def test_a_project_that_rewords_after_duration_alone_keeps_the_plain_forms(
        tmp_path: Path) -> None:
    from procflow.durations import Duration
    from procflow.render.environment import builtin_dir
    from procflow.render.i18n import Labels

    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "pl.yaml").write_text('after_duration: "gdy minie {duration}"\n',
                                               encoding="utf-8")
    labels = Labels("pl", [tmp_path, builtin_dir()])
    assert labels("after_duration", duration=labels.duration(
        Duration.parse("5d"), "after")) == "gdy minie 5 dni"


def test_a_procedure_in_polish_gets_polish_labels(cli: RunCli, valid_project: Path,
                                                 tmp_path: Path) -> None:
    page = render_md(cli, valid_project / "procedures" / "it-access.yaml", tmp_path / "site")
    assert "## Kroki" in page and "Krok 2: Nadanie uprawnień" in page
    assert "**Limit czasu:** 4 godziny" in page


def test_an_unknown_language_falls_back_to_english(cli: RunCli, valid_project: Path,
                                                   tmp_path: Path) -> None:
    source = valid_project / "procedures" / "it-access.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("language: pl", "language: de"),
                      encoding="utf-8")
    out = tmp_path / "site"
    cli("render", source, "-o", out, "--format", "html", expect=0)
    html = (out / "it-access.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in html and "Time limit" in html and "4 hours" in html


def test_a_project_can_add_a_language_and_override_labels(cli: RunCli, valid_project: Path,
                                                          tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    (templates / "i18n").mkdir(parents=True)
    (templates / "i18n" / "de.yaml").write_text(
        'steps: Schritte\nstep_n: "Schritt {n}"\n'
        'hour: {one: "{n} Stunde", other: "{n} Stunden"}\n', encoding="utf-8")
    source = valid_project / "procedures" / "it-access.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("language: pl", "language: de"),
                      encoding="utf-8")
    page = render_md(cli, source, tmp_path / "site", "--templates", templates)
    assert "## Schritte" in page and "Schritt 2: Nadanie uprawnień" in page
    assert "4 Stunden" in page and "**Time limit:**" in page  # the rest falls back to English


@pytest.mark.parametrize("content, message", [
    ("- a list\n", "expected a mapping"),
    ("day: {one: '{n} day'}\n", "'other' is required"),
    ("step_n: 'Step {number}'\n", "uses {number}"),
])
def test_a_broken_catalogue_is_reported(cli: RunCli, valid_project: Path, tmp_path: Path,
                                        content: str, message: str) -> None:
    templates = tmp_path / "mine"
    (templates / "i18n").mkdir(parents=True)
    (templates / "i18n" / "en.yaml").write_text(content, encoding="utf-8")
    result = cli("render", valid_project / "procedures", "-o", tmp_path / "site", "--format",
                 "md", "--templates", templates, expect=2)
    assert message in result.stderr


def test_every_catalogue_has_every_english_label_and_the_needed_plural_forms() -> None:
    import yaml
    from babel import Locale

    from procflow.render.environment import builtin_dir

    folder = builtin_dir() / "i18n"
    english = yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8"))
    for language in ("pl", "cs"):
        labels = yaml.safe_load((folder / f"{language}.yaml").read_text(encoding="utf-8"))
        after_forms = {f"{unit}_after" for unit in ("week", "day", "hour", "minute", "second")}
        assert set(labels) - after_forms == set(english), language
        categories = {Locale.parse(language).plural_form(n) for n in range(200)}
        for key, value in labels.items():
            if isinstance(english.get(key.removesuffix("_after")), dict):
                assert categories <= set(value), (language, key)

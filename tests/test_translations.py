"""A page speaks one language: shared names of procflow.yaml given per language, calendars
by name, one catalog per language, and PF114 where a page falls back to another language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import RunCli
from procflow.model import SharedRole, in_language

PROJECT = """\
procflow: 1
language: en
roles:
  - id: team-lead
    name: {en: Team lead, pl: Kierownik zespołu, cs: Vedoucí týmu}
    department: {en: Customer care, pl: Obsługa klienta}
    responsibilities:
      - {en: Owns the queue, pl: Odpowiada za kolejkę, cs: Odpovídá za frontu}
calendars:
  - id: office
    name: {en: Office hours, pl: Godziny biura, cs: Pracovní doba}
    timezone: Europe/Warsaw
    hours: "08:00-16:00"
default_calendar: office
"""

POLISH = """\
procflow: 1
id: reklamacja
title: Reklamacja
version: "1.0.0"
language: pl
owner: {name: Anna Nowak}
roles: [{id: konsultant, name: Konsultant}]
steps:
  - {id: przyjmij, title: Przyjmij zgłoszenie, role: konsultant, accountable: team-lead}
  - {id: zamknij, title: Zamknij sprawę, role: team-lead, end: true}
slas:
  - {id: odpowiedz, name: Odpowiedź, target: 2d, clock: business, calendar: office}
escalations:
  - {id: late, when: Za późno, sla: odpowiedz, to: team-lead}
"""


def procedure(procedure_id: str, language: str) -> str:
    return (POLISH.replace("id: reklamacja", f"id: {procedure_id}", 1)
            .replace("language: pl", f"language: {language}"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "procedures").mkdir(parents=True)
    (root / "procflow.yaml").write_text(PROJECT, encoding="utf-8")
    (root / "procedures" / "reklamacja.yaml").write_text(POLISH, encoding="utf-8")
    return root


def test_a_polish_page_in_an_english_project_shows_polish_shared_names(
        cli: RunCli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cli("render", project / "procedures", "-o", out, "--by-role", expect=0)
    assert "PF114" not in result.stderr  # every shared name has Polish text
    page = (out / "reklamacja.md").read_text(encoding="utf-8")
    assert "| Kierownik zespołu (wspólna) | Obsługa klienta | Odpowiada za kolejkę |" in page
    assert "(Kalendarz: Godziny biura)" in page
    assert "Team lead" not in page and "Office hours" not in page and "office" not in page
    assert 'subgraph lane1["Kierownik zespołu"]' in page or '["Kierownik zespołu"]' in page
    html = (out / "reklamacja.html").read_text(encoding="utf-8")
    assert '<html lang="pl">' in html
    assert "Kierownik zespołu" in html and "Godziny biura" in html
    assert "Team lead" not in html and "Office hours" not in html
    card = (out / "reklamacja--team-lead.md").read_text(encoding="utf-8")
    assert "Kierownik zespołu" in card and "Team lead" not in card
    catalog = (out / "index.pl.md").read_text(encoding="utf-8")  # the card's link text
    assert "[Kierownik zespołu](reklamacja--team-lead.md)" in catalog


def test_plain_names_stay_valid_and_mean_the_same_on_every_page(
        cli: RunCli, project: Path, tmp_path: Path) -> None:
    text = PROJECT.replace("{en: Team lead, pl: Kierownik zespołu, cs: Vedoucí týmu}",
                           "Kierownik zespołu").replace(
        "{en: Office hours, pl: Godziny biura, cs: Pracovní doba}", "Godziny biura")
    (project / "procflow.yaml").write_text(text.replace("language: en", "language: pl"),
                                           encoding="utf-8")
    out = tmp_path / "site"
    result = cli("render", project / "procedures", "-o", out, expect=0)
    assert "PF114" not in result.stderr
    page = (out / "reklamacja.md").read_text(encoding="utf-8")
    assert "Kierownik zespołu (wspólna)" in page and "(Kalendarz: Godziny biura)" in page


def test_a_calendar_without_a_name_is_shown_by_its_id(cli: RunCli, project: Path,
                                                      tmp_path: Path) -> None:
    text = PROJECT.replace("    name: {en: Office hours, pl: Godziny biura, cs: Pracovní doba}\n",
                           "")
    (project / "procflow.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    cli("render", project / "procedures", "-o", out, "--format", "md", expect=0)
    assert "(Kalendarz: office)" in (out / "reklamacja.md").read_text(encoding="utf-8")


def test_a_missing_translation_falls_back_to_the_project_language_with_a_warning(
        cli: RunCli, project: Path, tmp_path: Path) -> None:
    (project / "procedures" / "vyrizeni.yaml").write_text(procedure("vyrizeni", "cs"),
                                                          encoding="utf-8")
    out = tmp_path / "site"
    result = cli("render", project / "procedures", "-o", out, "--format", "md", expect=0)
    page = (out / "vyrizeni.md").read_text(encoding="utf-8")
    # name and responsibility in Czech; the department has no Czech text: English, the
    # project's language
    assert "| Vedoucí týmu (sdílená) | Customer care | Odpovídá za frontu |" in page
    assert "(Kalendář: Pracovní doba)" in page
    warnings = [line for line in result.stderr.splitlines() if "PF114" in line]
    assert len(warnings) == 1, result.stderr
    assert "vyrizeni.yaml:9:" in warnings[0]  # where the page first shows the role
    assert "shared role 'team-lead' has no 'cs' text for department" in warnings[0]
    assert "procflow.yaml (line 6)" in warnings[0]
    # validate reports it the same way, and procflow rules lists the rule
    assert "PF114" in cli("validate", project / "procedures", expect=0).stdout
    assert "PF114" in cli("rules", expect=0).stdout


def test_the_fallback_order_procedure_then_project_then_first_written() -> None:
    names = {"cs": "Vedoucí týmu", "en": "Team lead", "pl": "Kierownik zespołu"}
    assert in_language(names, "pl", "en") == "Kierownik zespołu"
    assert in_language(names, "pl-PL", "en") == "Kierownik zespołu"  # primary language
    assert in_language(names, "PL", "en") == "Kierownik zespołu"  # case aside
    assert in_language(names, "de", "en") == "Team lead"  # the project's language
    assert in_language(names, "de", None) == "Vedoucí týmu"  # the first written
    assert in_language(names, "de", "fr") == "Vedoucí týmu"
    assert in_language("Team lead", "pl", "en") == "Team lead"  # plain text: everywhere
    role = SharedRole(id="team-lead", name=names, department="Care",
                      responsibilities=[{"en": "Queue", "pl": "Kolejka"}])
    shown = role.in_language("pl", "en")
    assert (shown.name, shown.department, shown.responsibilities) == (
        "Kierownik zespołu", "Care", ["Kolejka"])


@pytest.mark.parametrize("name", ["{}", "{'pl PL': X}", "{pl: ''}", "{pl: [a]}", "{pl: 1}"])
def test_a_broken_translation_map_is_a_schema_error(cli: RunCli, project: Path,
                                                    name: str) -> None:
    text = PROJECT.replace("{en: Team lead, pl: Kierownik zespołu, cs: Vedoucí týmu}", name)
    (project / "procflow.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", project / "procedures", expect=1)
    assert "procflow.yaml:5:" in result.stdout and "PF003" in result.stdout


def test_procedures_in_several_languages_get_one_linked_catalog_each(
        cli: RunCli, project: Path, tmp_path: Path) -> None:
    procedures = project / "procedures"
    (procedures / "vyrizeni.yaml").write_text(procedure("vyrizeni", "cs"), encoding="utf-8")
    (procedures / "complaint.yaml").write_text(procedure("complaint", "en"), encoding="utf-8")
    out = tmp_path / "site"
    cli("render", procedures, "-o", out, "--prune", expect=0)
    catalogs = {"index.md": "en", "index.pl.md": "pl", "index.cs.md": "cs"}
    for name, language in catalogs.items():
        text = (out / name).read_text(encoding="utf-8")
        title = {"en": "# Procedures", "pl": "# Procedury", "cs": "# Postupy"}[language]
        assert text.startswith(title + "\n")
        for other in catalogs.keys() - {name}:  # linked to the others
            assert f"]({other})" in text
        for page in ("reklamacja.md", "vyrizeni.md", "complaint.md"):  # every procedure
            assert f"]({page})" in text
        html = (out / name.replace(".md", ".html")).read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in html
        links = re.findall(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)">', html)
        assert sorted(links) == sorted((catalogs[other], other.replace(".md", ".html"))
                                       for other in catalogs.keys() - {name})
        assert 'hreflang="pl" lang="pl">Polski</a>' in html or language == "pl"
        assert 'hreflang="cs" lang="cs">Čeština</a>' in html or language == "cs"
        # a title in another language than the catalog's is marked with its own
        assert ('<th scope="row" lang="pl"><a href="reklamacja.html">' in html) == (
            language != "pl")
    # one language left: its catalog alone, the others pruned (they were procflow's)
    (procedures / "vyrizeni.yaml").unlink()
    (procedures / "reklamacja.yaml").unlink()
    result = cli("render", procedures, "-o", out, "--prune", expect=0)
    assert "index.pl.md" in result.stderr and "index.cs.html" in result.stderr
    assert sorted(path.name for path in out.glob("index*")) == ["index.html", "index.md"]
    assert "]( index" not in (out / "index.md").read_text(encoding="utf-8")
    assert "other languages" not in (out / "index.md").read_text(encoding="utf-8")


def test_an_unchanged_run_keeps_every_catalog(cli: RunCli, project: Path,
                                               tmp_path: Path) -> None:
    procedures = project / "procedures"
    (procedures / "complaint.yaml").write_text(procedure("complaint", "en"), encoding="utf-8")
    out = tmp_path / "site"
    cli("render", procedures, "-o", out, "--format", "md", expect=0)
    before = {path.name: path.stat().st_mtime_ns for path in out.glob("index*")}
    assert set(before) == {"index.md", "index.html", "index.pl.md", "index.pl.html"}
    result = cli("render", procedures, "-o", out, "--format", "md", "--prune", expect=0)
    assert "wrote 0 files" in result.stderr
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("index*")} == before


def test_a_project_in_polish_with_english_procedures_links_to_the_english_catalog(
        cli: RunCli, project: Path, tmp_path: Path) -> None:
    (project / "procflow.yaml").write_text(PROJECT.replace("language: en", "language: pl"),
                                           encoding="utf-8")
    procedures = project / "procedures"
    (procedures / "complaint.yaml").write_text(procedure("complaint", "en"), encoding="utf-8")
    out = tmp_path / "site"
    cli("render", procedures, "-o", out, "--format", "md", expect=0)
    assert (out / "index.md").read_text(encoding="utf-8").startswith("# Procedury\n")
    assert "[English](index.en.md)" in (out / "index.md").read_text(encoding="utf-8")
    english = (out / "index.en.md").read_text(encoding="utf-8")
    assert english.startswith("# Procedures\n") and "[Polski](index.md)" in english
    page = (out / "complaint.md").read_text(encoding="utf-8")
    assert "Team lead (shared)" in page and "(Calendar: Office hours)" in page


def test_the_diff_diagram_names_shared_lanes_in_the_procedures_language(
        cli: RunCli, project: Path, tmp_path: Path) -> None:
    old = project / "procedures" / "reklamacja.yaml"
    new = project / "procedures" / "nowa.yaml"
    new.write_text(POLISH.replace("title: Zamknij sprawę", "title: Zamknij sprawę i podziękuj"),
                   encoding="utf-8")
    page = cli("diff", old, new, "-f", "html", expect=0).stdout
    lanes = re.findall(r"<text[^>]*>([^<]*)</text>", page)
    assert "Kierownik zespołu" in lanes  # the shared role's lane, in Polish
    assert "Team lead" not in page and "team-lead" not in lanes


def test_a_calendar_with_a_roles_id_is_still_checked(cli: RunCli, project: Path) -> None:
    """PF114 looks at roles and calendars apart: a calendar called like a shared role the
    procedure names still gets its own warning."""
    text = (project / "procflow.yaml").read_text(encoding="utf-8")
    text = (text.replace("  - id: office\n    name: {en: Office hours, pl: Godziny biura, "
                         "cs: Pracovní doba}", "  - id: team-lead\n    name: Office hours")
            .replace("default_calendar: office", "default_calendar: team-lead"))
    (project / "procflow.yaml").write_text(text, encoding="utf-8")
    procedure_file = project / "procedures" / "reklamacja.yaml"
    procedure_file.write_text(procedure_file.read_text(encoding="utf-8").replace(
        "calendar: office", "calendar: team-lead"), encoding="utf-8")
    result = cli("validate", project / "procedures", expect=0)
    assert "calendar 'team-lead' has no 'pl' text" in result.stdout, result.stdout

"""Rendering procedures into pages: the library entry ``render_site``.

For each procedure it writes ``<id>.md``, ``<id>.html`` and the diagram (``.svg``, ``.png``,
``.dot``) as asked, with ``--by-role`` a Markdown and HTML card per role
(``<id>--<role>.md``), and always ``index.md`` and ``index.html``, a catalog of what it
rendered. Pages come from jinja2 templates (``environment``) over view models (``pages``);
labels from ``i18n``; diagrams from ``graph``, ``mermaid`` and ``engine``; files go through
``write`` (staged, then moved into place together). Many procedures are rendered in worker
processes; nothing here prints.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procflow.errors import EnvironmentProblem, UsageError
from procflow.model import Procedure, Role

FORMATS = ("md", "html", "svg", "png", "dot")
DEFAULT_FORMATS = ("md", "html", "svg")
IMAGE_FORMATS = ("svg", "png")
PARALLEL_FROM = 40  # procedures; fewer render faster in one process than a pool starts


def parse_formats(text: str) -> tuple[str, ...]:
    """``"md,html"`` -> ``("md", "html")``; an unknown name is a usage error."""
    from procflow.loader import did_you_mean

    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in FORMATS:
            raise UsageError(f"unknown format '{name}'{did_you_mean(name, FORMATS)}; "
                             f"choose from {', '.join(FORMATS)}")
    if not names:
        raise UsageError(f"--format is empty; choose from {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Settings:
    """What every procedure of a run is rendered with (sent to worker processes)."""

    staging: Path
    formats: tuple[str, ...]
    templates_dir: Path | None
    by_role: bool
    today: dt.date
    engine: bool  # a diagram engine is available


@dataclass(frozen=True)
class Task:
    procedure: Procedure
    shared_roles: tuple[Role, ...]
    language: str


@dataclass(frozen=True)
class Rendered:
    """What one procedure's rendering staged, for the catalog."""

    names: list[str]
    pages: dict[str, str]
    cards: list[tuple[str, str, dict[str, str]]]  # (role id, role name, suffix -> file)


def render_site(
    documents: Sequence[Any],
    output_dir: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    templates_dir: Path | None = None,
    by_role: bool = False,
    today: dt.date | None = None,
    progress: Callable[[], None] | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Render loaded procedure documents (``procflow.loader.Document``) into ``output_dir``;
    return the files written. All or nothing: on any error nothing in ``output_dir``
    changes. If image formats are asked and no diagram engine exists, everything else is
    written and then ``EnvironmentProblem`` is raised."""
    from procflow.render import engine
    from procflow.render.environment import Templates
    from procflow.render.write import Staging, prepare_output

    formats = parse_formats(",".join(formats))
    tasks = _tasks(documents)
    _forget_templates()  # templates and labels may have changed since the last run
    Templates(templates_dir)  # a missing templates folder fails before anything is written
    problem = _engine_problem(engine) if {"svg", "png", "html"} & set(formats) else None
    existed = output_dir.exists()
    root = prepare_output(output_dir)
    staging = Staging(root)
    try:
        settings = Settings(staging.folder, formats, templates_dir, by_role,
                            today or dt.date.today(), problem is None and
                            bool({"svg", "png", "html"} & set(formats)))
        results = []
        with contextlib.closing(_run(tasks, settings, _jobs(jobs, len(tasks)))) as rendered:
            for result in rendered:  # closing: workers stop before the staging goes away
                staging.adopt(result.names)
                results.append(result)
                if progress:
                    progress()
        for name, text in _catalog(tasks, results, settings):
            staging.write(name, text)
    except BaseException:
        staging.discard()
        if not existed and not any(root.iterdir()):
            root.rmdir()  # a failed run leaves no trace, not even the folder it made
        raise
    written = staging.commit()
    if problem is not None and set(IMAGE_FORMATS) & set(formats):
        raise problem
    return written


def _tasks(documents: Sequence[Any]) -> list[Task]:
    from procflow.project import project_for

    tasks: list[Task] = []
    seen: dict[str, str] = {}
    for document in documents:
        procedure: Procedure = document.model
        if procedure.id in seen:
            raise UsageError(f"two files with the procedure id '{procedure.id}': "
                             f"{seen[procedure.id]} and {document.display}; ids must be unique")
        if procedure.id == "index":
            raise UsageError(f"{document.display}: the procedure id 'index' would overwrite the "
                             "catalog index.md; give the procedure another id")
        seen[procedure.id] = document.display
        project = project_for(document.path)
        language = procedure.language or project.config.language or "en"
        tasks.append(Task(procedure, tuple(project.shared_roles.values()), language))
    return tasks


def _engine_problem(engine: Any) -> EnvironmentProblem | None:
    """None when a diagram engine works, else the engine's own one-line explanation."""
    if engine.available():
        return None
    try:
        engine.draw("digraph probe {}", "svg")
    except EnvironmentProblem as problem:
        return problem
    return None


def _jobs(asked: int | None, count: int) -> int:
    if asked:
        return max(1, asked)
    return min(2, os.cpu_count() or 1) if count >= PARALLEL_FROM else 1


def _run(tasks: list[Task], settings: Settings, jobs: int) -> Generator[Rendered, None, None]:
    if jobs <= 1:
        for task in tasks:
            yield render_procedure(task, settings)
        return
    chunk = max(1, min(32, len(tasks) // (jobs * 4)))
    batches = [tasks[start:start + chunk] for start in range(0, len(tasks), chunk)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures: list[Future[list[Rendered]]] = [pool.submit(_render_batch, batch, settings)
                                                 for batch in batches]
        try:
            for future in futures:
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()


def _render_batch(batch: list[Task], settings: Settings) -> list[Rendered]:
    return [render_procedure(task, settings) for task in batch]


_templates_cache: dict[Path | None, Any] = {}  # per process, for one run


def _forget_templates() -> None:
    from procflow.render.i18n import forget_catalogues

    _templates_cache.clear()
    _labels_cache.clear()
    forget_catalogues()


def _templates(templates_dir: Path | None) -> Any:
    from procflow.render.environment import Templates

    if templates_dir not in _templates_cache:
        _templates_cache[templates_dir] = Templates(templates_dir)
    return _templates_cache[templates_dir]


_labels_cache: dict[tuple[str, tuple[Path, ...]], Any] = {}  # per process, for one run


def _labels(language: str, folders: Sequence[Path]) -> Any:
    from procflow.render.i18n import Labels

    key = (language, tuple(folders))
    if key not in _labels_cache:
        _labels_cache[key] = Labels(language, folders)
    return _labels_cache[key]


def render_procedure(task: Task, settings: Settings) -> Rendered:
    """Render one procedure's files into the staging folder."""
    from procflow.render import engine, graph, mermaid
    from procflow.render.markdown import Raw
    from procflow.render.pages import inline_svg, procedure_page, role_card
    from procflow.render.write import file_name, write_staged

    procedure, formats = task.procedure, settings.formats
    templates = _templates(settings.templates_dir)
    labels = _labels(task.language, templates.folders)
    words = diagram_words(labels)
    names: list[str] = []
    pages: dict[str, str] = {}

    def save(suffix: str, data: str | bytes, role: str | None = None) -> str:
        name = file_name(procedure.id, suffix, role)
        names.append(write_staged(settings.staging, name, data))
        return name

    needs_dot = "dot" in formats or settings.engine
    dot = graph.to_dot(procedure, shared_roles=task.shared_roles, duration_text=labels.duration,
                       words=words) if needs_dot else None
    if dot is not None and "dot" in formats:
        pages[".dot"] = save(".dot", dot)
    svg = engine.draw(dot, "svg") if settings.engine and dot is not None else None
    if svg is not None and dot is not None:
        if "svg" in formats:
            pages[".svg"] = save(".svg", svg)
        if "png" in formats:
            pages[".png"] = save(".png", engine.draw(dot, "png"))
    image = pages.get(".svg") or pages.get(".png")
    cards: list[tuple[str, str, dict[str, str]]] = []
    view = procedure_page(procedure, shared_roles=task.shared_roles, labels=labels, ext="md",
                          today=settings.today, by_role=settings.by_role)
    for ext in ("md", "html"):
        if ext not in formats:
            continue
        page = dataclasses.replace(view, ext=ext)
        if ext == "md":
            page.mermaid = mermaid.to_mermaid(procedure, shared_roles=task.shared_roles,
                                              duration_text=labels.duration, words=words)
            page.image = Raw(image) if image else None
        elif svg is not None:
            page.svg = inline_svg(svg, procedure.id, labels("diagram_alt", title=procedure.title))
        pages[f".{ext}"] = save(f".{ext}", templates.render(f"procedure.{ext}.j2", page=page))
        for role in page.cards:
            card = templates.render(f"role.{ext}.j2", page=role_card(page, role))
            entry = next((c for c in cards if c[0] == role.id), None)
            if entry is None:
                entry = (role.id, role.name, {})
                cards.append(entry)
            entry[2][f".{ext}"] = save(f".{ext}", card, role.id)
    return Rendered(names, pages, cards)


def diagram_words(labels: Any) -> dict[str, str]:
    """The words the diagrams add, in the procedure's language."""
    return {"start": labels("diagram_start"), "end": labels("diagram_end"),
            "escalation": labels("escalation")}


def _catalog(tasks: Sequence[Task], results: Sequence[Rendered], settings: Settings
             ) -> Iterable[tuple[str, str]]:
    from procflow.render.markdown import Raw
    from procflow.render.pages import Catalog, CatalogEntry, RoleRef

    templates = _templates(settings.templates_dir)
    languages = {task.language for task in tasks}
    language = languages.pop() if len(languages) == 1 else "en"
    labels = _labels(language, templates.folders)
    entries = []
    for task, result in zip(tasks, results):
        due = task.procedure.review.due() if task.procedure.review else None
        pages = {f".{fmt}": Raw(result.pages[f".{fmt}"]) for fmt in FORMATS
                 if f".{fmt}" in result.pages}
        entries.append(CatalogEntry(
            procedure=task.procedure, pages=pages, review_due=due,
            overdue=due is not None and due < settings.today,
            cards=[(RoleRef(role_id, name), {suffix: Raw(file) for suffix, file in files.items()})
                   for role_id, name, files in result.cards]))
    catalog = Catalog(labels, language, entries, settings.today)
    for ext in ("md", "html"):
        yield f"index.{ext}", templates.render(f"index.{ext}.j2", catalog=catalog)

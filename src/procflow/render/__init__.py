"""Rendering procedures into pages: the library entry ``render_site``.

For each procedure it writes ``<id>.md``, ``<id>.html`` and the diagram (``.svg``, ``.png``,
``.dot``) as asked, with ``--by-role`` a Markdown and HTML card per role
(``<id>--<role>.md``), and always ``index.md`` and ``index.html``, a catalog of what it
rendered (and ``index.<language>.md``... when the procedures use several languages). Pages
come from jinja2 templates (``environment``) over view models (``pages``);
labels from ``i18n``; diagrams from ``diagram`` (what is drawn), ``dot_writer``, ``mermaid``
and ``engine``; files go through
``write`` (staged, then moved into place together). Nothing here prints.

A file is loaded where it is rendered (``render_file``): with many files, in worker processes
(forked, so they start at once with everything imported) that get file paths in small chunks
and send back only the file names they staged and the procedure's row in the catalog
(``summary``; the procedure itself only when the catalog is made with templates of the
user's own, which may read any field). ``procflow render`` runs the rules in the same pass
(``Rules``): the worker checks the file as ``validate`` does and renders the procedure it
loaded, so each file is read, parsed and validated once, in one process pool; what the rules
found is judged before anything is written. A file whose inputs and files are unchanged since
the last run is only checked: its row in the catalog comes from the manifest.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from procflow.errors import EnvironmentProblem, UsageError

if TYPE_CHECKING:
    from procflow.findings import Finding
    from procflow.lint import Outcome, ValidationResult
    from procflow.loader import Document
    from procflow.model import Procedure
    from procflow.render.environment import Source
    from procflow.render.pages import RoleRef
    from procflow.render.summary import Summary
    from procflow.render.write import Manifest, Staging

FORMATS = ("md", "html", "svg", "png", "dot")
DEFAULT_FORMATS = ("md", "html", "svg")
IMAGE_FORMATS = ("svg", "png")


@dataclass(frozen=True)
class Settings:
    """What every procedure of a run is rendered with (sent to worker processes)."""

    staging: Path
    formats: tuple[str, ...]
    by_role: bool
    today: dt.date
    engine: bool  # a diagram engine is available
    check: bool = False  # run the per-file rules on each file before rendering it (``Rules``)
    #: the catalog is made of rows (``summary``): a worker sends back a procedure's row, not
    #: the procedure (a row is a fraction of the procedure to pass between processes)
    rows: bool = False


@dataclass(frozen=True)
class Rules:
    """Run the rules as ``procflow validate`` does, each file checked in the worker that then
    renders the procedure it loaded (one load and one process pool for both), and
    ``judge`` their result in this process before anything is written: it returns the files
    to publish, each with its rule errors for a banner (``render --allow-errors``), or
    raises, and then nothing is written. A file's banner is part of its key: the workers
    render each file with its own errors, and a file that the rules across files (PF008,
    PF009) or its project file give other errors is rendered again here."""

    judge: Callable[[ValidationResult], tuple[Sequence[Path], Mapping[Path, Sequence[str]]]]


@dataclass(frozen=True)
class Plan:
    """How one file is rendered: with its own project's settings and templates (resolved
    once per project), the key of its inputs, and ``reuse``: the files of an earlier run
    made from the same inputs and still in place (then it is only loaded, for the catalog),
    and with them ``summary``, its row in the catalog as the manifest keeps it (then it is not
    even loaded)."""

    project_file: Path | None
    templates: Source
    inputs: str  # the key of its inputs: file, project, templates, options, version
    reuse: tuple[str, ...] | None = None
    summary: Summary | None = None
    check_only: bool = False  # nothing changed: only run the rules on it (``Rules``)
    errors: tuple[str, ...] = ()  # rule errors shown in a banner (render --allow-errors)

    @property
    def key(self) -> str:
        """The key of its inputs and of the rule errors its pages show (they are known once
        the rules have run, and can change with other files while the file does not)."""
        return _digest(self.inputs, *self.errors) if self.errors else self.inputs


@dataclass(frozen=True)
class Site:
    """What a run did: the files written, the names removed (``prune``), what is worth a
    look though written (text a PNG cannot show), and how many procedures were unchanged
    (their files were left as they were)."""

    written: list[Path]
    removed: list[str]
    warnings: list[str]
    unchanged: int = 0


@dataclass
class Rendered:
    """One file's outcome: the document (with only its findings when it does not load, with
    only its procedure when it does), the procedure's language and the files it staged
    (name -> SHA-256) or reuses."""

    document: Document[Procedure]
    language: str = "en"
    key: str = ""
    made: dict[str, str] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # suffix -> file
    cards: list[tuple[RoleRef, dict[str, str]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stored: Summary | None = None  # not loaded: its catalog row from the manifest
    row: str | None = None  # its catalog row for the manifest, when ``stored`` is made here
    outcome: Outcome | None = None  # what the rules found in it (``Settings.check``)
    errors: tuple[str, ...] = ()  # the rule errors its pages show
    checked_only: bool = False  # checked, not rendered: its files and row are unchanged

    @property
    def procedure(self) -> Procedure:
        """The procedure (asked only once every file has loaded)."""
        return cast("Procedure", self.document.model)


def render_site(
    files: Sequence[Path],
    output_dir: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    templates_dir: Path | None = None,
    by_role: bool = False,
    today: dt.date,
    progress: Callable[[], None] | None = None,
    jobs: int | None = None,
    prune: bool = False,
    force: bool = False,
    rules: Rules | None = None,
) -> Site:
    """Render procedure files (``procflow.procedures.discover`` finds them in folders) into
    ``output_dir``, each with its own project's templates, language and shared roles
    (``templates_dir``, when given, for all). ``formats``: names from ``FORMATS`` (the CLI
    reads them from ``--format``).
    All or nothing: on any error nothing in ``output_dir`` changes; ``LoadFailed`` (with the
    findings) when a file does not load. If image formats are asked and no diagram engine
    exists, everything else is written (nothing pruned) and then ``EnvironmentProblem`` is
    raised. Incremental: a file whose inputs (``input_key``) and outputs are unchanged since
    the last run is not rendered again and its files are not touched; when nothing changed,
    not even the catalog is made (``force``: redo everything). ``prune``: also remove what an
    earlier run wrote and this one does not (``write.Staging.commit``); with no files, a usage
    error. ``rules``: check every file as ``validate`` does, in the same pass (``Rules``: its
    judge also says which rule errors each file's pages show)."""
    from procflow.render import engine
    from procflow.render.write import Manifest, Staging, prepare_output

    formats = tuple(formats)
    if not formats or set(formats) - set(FORMATS):  # library callers: the CLI checked them
        raise UsageError(f"formats {formats!r}: choose from {', '.join(FORMATS)}")
    if prune and not files:
        raise UsageError("no procedure files to render, and --prune would remove every page "
                         "an earlier run wrote; nothing was changed")
    wants_engine = bool({"svg", "png", "html"} & set(formats))  # html inlines the svg
    problem = _engine_problem(engine) if wants_engine else None
    fails = problem is not None and bool(set(IMAGE_FORMATS) & set(formats))
    options = repr((formats, by_role, today.isoformat(), wants_engine and problem is None))
    # a missing templates folder fails before any writing
    plans, catalog_plan = _plans(files, templates_dir, options)
    existed = output_dir.exists()
    root = prepare_output(output_dir)
    manifest = Manifest(root)
    check_only = False
    rows = _catalog_reads_summaries(catalog_plan.templates)
    if not force:
        plans = [dataclasses.replace(plan, reuse=tuple(names))
                 if (names := manifest.unchanged(plan.key)) else plan for plan in plans]
        if _unchanged(plans, catalog_plan, manifest, prune) and not fails:
            if rules is None:
                return Site([], [], [], len(plans))  # nothing changed: nothing to do
            # unless the rules now find other errors than those its pages show
            plans = [dataclasses.replace(plan, check_only=True) for plan in plans]
            check_only = True
        elif rows:
            plans = [_summarized(plan, manifest) if plan.reuse else plan for plan in plans]
    staging = Staging(root, manifest)
    try:
        settings = Settings(staging.folder, formats, by_role, today,
                            wants_engine and problem is None, check=rules is not None,
                            rows=rows)
        with _no_cycle_collection():
            warnings, results = _stage(files, plans, settings, staging, progress, jobs, rules)
            if check_only and all(result.checked_only for result in results):
                staging.discard()  # nothing changed, and the rules found what they found
                return Site([], [], [], len(results))  # before: nothing to do
            catalog_key = _digest("\n".join(sorted(result.key for result in results))
                                  + catalog_plan.key)
            for name, text in _catalog(results, settings, catalog_plan.templates):
                staging.write(name, text, catalog_key)
        written, removed = staging.commit(prune and not fails)  # a failing run prunes nothing
    except BaseException:
        staging.discard()
        if not existed and not any(root.iterdir()):
            root.rmdir()  # a failed run leaves no trace, not even the folder it made
        raise
    if fails and problem is not None:
        raise problem
    return Site(written, removed, warnings, sum(1 for result in results if result.reused))


def _unchanged(plans: Sequence[Plan], catalog_plan: Plan, manifest: Manifest,
               prune: bool) -> bool:
    """Whether every file and the catalog are in place as an earlier run made them from the
    same inputs (and, with ``prune``, there is nothing to remove)."""
    catalog_key = _digest("\n".join(sorted(plan.key for plan in plans)) + catalog_plan.key)
    catalog = manifest.unchanged(catalog_key)
    if not catalog or not all(plan.reuse for plan in plans):
        return False
    ours = {name for plan in plans for name in plan.reuse or ()} | set(catalog)
    return not prune or set(manifest.entries) <= ours  # and nothing to prune


def _plans(files: Sequence[Path], templates_dir: Path | None,
           options: str) -> tuple[list[Plan], Plan]:
    """Each file's plan, every project and templates folder resolved once; and the
    catalog's (the templates given, or those of the first file's project). The rule errors
    a file's pages show are part of its key too (``Plan.key``): they are known once the rules
    have run (``render_file``, ``Rules``), and they can change with other files (a duplicate
    id) while the file itself does not."""
    import procflow
    from procflow.project import find_project_file, load_project
    from procflow.render.environment import source

    folders: dict[Path | None, tuple[Source, str]] = {}  # templates folder -> source, digest

    def templates_of(folder: Path | None) -> tuple[Source, str]:
        if folder not in folders:
            found = source(folder)
            folders[folder] = found, _digest(*(_read(Path(name)) for name, _, _ in found.state))
        return folders[folder]

    projects: dict[Path, tuple[Path | None, Path | None, str]] = {}  # by the file's folder
    plans = []
    for path in files:
        if path.parent not in projects:
            project_file = find_project_file(path)
            project = load_project(project_file)
            project.require_loaded()  # never render with defaults past a broken project file
            folder = templates_dir if templates_dir is not None else project.templates_dir
            project_digest = _digest(_read(project_file) if project_file else b"")
            projects[path.parent] = (project_file, folder, _digest(
                procflow.__version__, options, templates_of(folder)[1], project_digest))
        project_file, folder, shared = projects[path.parent]
        plans.append(Plan(project_file, templates_of(folder)[0],
                          _digest(shared, str(path.resolve()), _read(path))))
    folder = templates_dir if templates_dir is not None or not files \
        else projects[files[0].parent][1]
    templates, templates_digest = templates_of(folder)
    return plans, Plan(None, templates, _digest(procflow.__version__, options,
                                                templates_digest))


def _catalog_reads_summaries(templates: Source) -> bool:
    """Whether the catalog is made by built-in templates only, which read only what a
    ``Summary`` keeps: none of the templates they reach is overridden in the user's folder.
    A user's own may read any field of a procedure: then every procedure is loaded."""
    if templates.user_dir is None:
        return True
    import jinja2
    from jinja2 import meta

    from procflow.render.environment import builtin_dir

    parser = jinja2.Environment()
    todo = [("index.md.j2", False), ("index.html.j2", False)]  # (name, packaged one named)
    seen: set[tuple[str, bool]] = set()
    while todo:
        name, packaged = todo.pop()
        if (name, packaged) in seen:
            continue
        seen.add((name, packaged))
        if not packaged and (templates.user_dir / name).exists():
            return False
        try:
            found = meta.find_referenced_templates(
                parser.parse((builtin_dir() / name).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, jinja2.TemplateError):
            return False
        for reference in found:
            if reference is None:  # a name computed while rendering: could be anything
                return False
            default = reference.startswith("default/")
            todo.append((reference.removeprefix("default/"), default))
    return True


def _summarized(plan: Plan, manifest: Manifest) -> Plan:
    """The plan of an unchanged file with its catalog row from the manifest, when it has a
    valid one naming exactly the files in place; else a plan to render it again (which
    writes a valid row: a manifest of an older procflow, or a forged one, heals)."""
    from procflow.render.summary import Summary

    summary = Summary.from_json(manifest.summaries.get(plan.key))
    if summary is None or summary.file_names() != set(plan.reuse or ()):
        return dataclasses.replace(plan, reuse=None)
    return dataclasses.replace(plan, summary=summary)


def banner(findings: Sequence[Finding]) -> tuple[str, ...]:
    """The rule errors among a file's findings (as ``validate`` reports them: capped and
    sorted), as its pages list them (``render --allow-errors``)."""
    from procflow.findings import Severity

    return tuple(f"{finding.code} (line {finding.line}): {finding.message}"
                 for finding in findings if finding.severity is Severity.ERROR)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # the loader reports it


def _digest(*parts: str | bytes) -> str:
    import hashlib

    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def _stage(files: Sequence[Path], plans: Sequence[Plan], settings: Settings,
           staging: Staging, progress: Callable[[], None] | None,
           jobs: int | None, rules: Rules | None = None) -> tuple[list[str], list[Rendered]]:
    """Render every file (or only load those reused, or only take the catalog row of those
    summarized) into the staging folder, checking each first when ``settings.check``; return
    the warnings and the results (for the catalog), in the order of ``files``."""
    from procflow.parallel import imap_in_processes
    from procflow.procedures import require_loaded

    results: list[Rendered] = []
    todo = [(path, settings, plan) for path, plan in zip(files, plans, strict=True)
            if plan.summary is None or settings.check]
    checks_only = all(plan.check_only or plan.summary is not None for _, _, plan in todo)
    # rendering a procedure takes milliseconds: small chunks, so the workers end together;
    # only checking is quick, and a chunk's arguments are sent once (pickle's memo)
    work = imap_in_processes(render_file, todo, jobs, chunk=64 if checks_only else 8)
    with contextlib.closing(work) as rendered:
        for path, plan in zip(files, plans, strict=True):
            if plan.summary is None:
                results.append(next(rendered))  # closing: workers stop before the staging
            else:                               # goes away
                checked = next(rendered) if settings.check else None
                results.append(_from_summary(path, plan) if checked is None
                               or checked.checked_only else checked)
                results[-1].outcome = checked.outcome if checked else None
            if progress:
                progress()
    if rules is not None:
        results = _judged(files, plans, results, settings, rules)
        if all(result.checked_only for result in results):
            return [], results  # nothing changed: render_site has nothing to do
        plan_of = dict(zip(files, plans, strict=True))  # some file is rendered again after
        results = [_loaded(result, plan_of[result.document.path], settings)  # all: the
                   if result.checked_only else result for result in results]  # catalog too
    require_loaded([result.document for result in results])
    _check_ids(results)
    for result in results:
        staging.adopt(result.made, result.key)
        staging.keep_unchanged(result.reused)
        if result.row is not None:
            staging.summarize(result.key, result.row)
        elif result.stored is None:  # a stored row is in the manifest already, kept by commit
            staging.summarize(result.key, _summary(result, settings).to_json())
    return [text for result in results for text in result.warnings], results


def _from_summary(path: Path, plan: Plan) -> Rendered:
    """An unchanged file's result, its catalog row taken from the manifest."""
    from procflow.loader import Document

    assert plan.summary is not None
    return Rendered(Document(path, model=plan.summary.stand_in()), plan.summary.language,
                    plan.key, reused=list(plan.reuse or ()), stored=plan.summary)


def _loaded(result: Rendered, plan: Plan, settings: Settings) -> Rendered:
    """A file only checked (``Plan.check_only``), loaded for the catalog after all."""
    loaded = render_file(result.document.path, dataclasses.replace(settings, check=False),
                         dataclasses.replace(plan, check_only=False))
    loaded.outcome = result.outcome
    return loaded


def _judged(files: Sequence[Path], plans: Sequence[Plan], results: list[Rendered],
            settings: Settings, rules: Rules) -> list[Rendered]:
    """The results of the files the rules' judge lets through (it may stop the run), each
    rendered again here when the errors it must show are not those its worker found."""
    from procflow.lint import validation_result
    from procflow.procedures import require_loaded

    outcomes = [result.outcome for result in results if result.outcome is not None]
    assert len(outcomes) == len(results)  # every file was checked (``Settings.check``)
    kept, banners = rules.judge(validation_result(list(files), outcomes))
    keep = set(kept)
    chosen = [(path, plan, result) for path, plan, result in zip(files, plans, results,
                                                                 strict=True) if path in keep]
    # before any is rendered again (one only checked did load: it sent no procedure back)
    require_loaded([result.document for _, _, result in chosen if not result.checked_only])
    judged = []
    for path, plan, result in chosen:
        wanted = tuple(banners.get(path, ()))
        if wanted != result.errors:
            for name in result.made:
                (settings.staging / name).unlink(missing_ok=True)
            result = render_file(path, dataclasses.replace(settings, check=False),
                                 dataclasses.replace(plan, errors=wanted, reuse=None,
                                                     summary=None, check_only=False))
        judged.append(result)
    return judged


def _summary(result: Rendered, settings: Settings) -> Summary:
    """The catalog row of a procedure rendered or loaded in this run."""
    from procflow.render.pages import review_due
    from procflow.render.summary import Summary

    return Summary.of(result.procedure, result.language, _pages_in_order(result),
                      result.cards, review_due(result.procedure, settings.today)[0])


def _pages_in_order(result: Rendered) -> dict[str, str]:
    """Suffix -> file name of the procedure's pages, in the order of ``FORMATS``."""
    return {f".{fmt}": result.pages[f".{fmt}"] for fmt in FORMATS if f".{fmt}" in result.pages}


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Rendering makes no reference cycles, so the cycle collector would only cost time: it
    would scan every procedure kept for the catalog again and again. Off while rendering, in
    the worker processes too (forked with it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_ids(results: Sequence[Rendered]) -> None:
    seen: dict[str, str] = {}
    for result in results:
        procedure_id, display = result.procedure.id, result.document.display
        if procedure_id in seen:
            raise UsageError(f"two files with the procedure id '{procedure_id}': "
                             f"{seen[procedure_id]} and {display}; ids must be unique")
        seen[procedure_id] = display


def _engine_problem(engine: Any) -> EnvironmentProblem | None:
    """None when a diagram engine works, else the engine's own one-line explanation."""
    if engine.available():
        return None
    try:
        engine.draw("digraph probe {}", "svg")
    except EnvironmentProblem as problem:
        return problem
    return None


def render_file(path: Path, settings: Settings, plan: Plan) -> Rendered:
    """Load one procedure file and render its files into the staging folder (only load it
    when ``plan.reuse`` names the files an earlier run made from the same inputs). With
    ``settings.check``, first run the per-file rules on that same load, as ``validate``
    does: their errors are part of the page (and of its key), and a file that is only
    checked (``Plan.check_only``, ``Plan.summary``) sends back its findings alone."""
    from procflow.findings import capped
    from procflow.lint import check_document
    from procflow.loader import Document
    from procflow.procedures import load_procedure
    from procflow.project import load_project

    outcome = None
    if settings.check:  # the rules first, on the document loaded for rendering
        outcome, document = check_document(path, settings.today)
        errors = banner(capped(outcome.findings))
        if errors != plan.errors:  # its pages show them: other inputs than planned
            plan = dataclasses.replace(plan, errors=errors, reuse=None, summary=None,
                                       check_only=False)
    else:
        document = load_procedure(path)
    procedure = document.model
    if procedure is None:
        return Rendered(Document(path, findings=document.findings), outcome=outcome)
    if plan.summary is not None or plan.check_only:  # unchanged: only checked
        return Rendered(Document(path), key=plan.key, outcome=outcome, checked_only=True)
    project = load_project(plan.project_file)  # cached: once per project and process
    result = Rendered(Document(path, model=procedure),
                      procedure.language or project.config.language or "en", plan.key,
                      outcome=outcome, errors=plan.errors)
    shared_roles = tuple(project.shared_roles_in(result.language).values())
    if plan.reuse is not None:
        return _as_row(_reused(result, plan.reuse, shared_roles), settings)
    # what only drawing and writing pages needs (a run that only checks never imports it)
    from procflow.flow import Flow
    from procflow.markup.markdown import Raw
    from procflow.markup.svg import inline_svg
    from procflow.render import diagram as diagrams
    from procflow.render import dot_writer, engine, mermaid
    from procflow.render.environment import templates as compiled
    from procflow.render.pages import RoleRef, procedure_page, role_card
    from procflow.render.write import digest, file_name, write_staged

    formats, pages = settings.formats, result.pages
    templates = compiled(plan.templates)
    labels = templates.labels(result.language)

    def save(suffix: str, data: str | bytes, role: str | None = None) -> str:
        name = file_name(procedure.id, suffix, role)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            write_staged(settings.staging, name, payload)
            result.made[name] = digest(payload)
        except FileExistsError:  # another file has this procedure id: render_site refuses
            pass  # the run when it sees both (file names are made from ids only)
        return name

    flow = Flow(procedure)  # built once, for the diagram and the page
    diagram = diagrams.build(procedure, shared_roles=shared_roles, duration_text=labels.duration,
                             words=diagram_words(labels), flow=flow)
    dot = dot_writer.dot_of(diagram, procedure.id) if "dot" in formats or settings.engine else None
    if dot is not None and "dot" in formats:
        pages[".dot"] = save(".dot", dot)
    svg = engine.draw(dot, "svg") if settings.engine and dot is not None else None
    if svg is not None and dot is not None:
        if "svg" in formats:
            pages[".svg"] = save(".svg", svg)
        if "png" in formats:
            pages[".png"] = save(".png", engine.draw(dot, "png"))
            text = dot_writer.text_beyond_font(diagram)
            if text is not None:
                result.warnings.append(
                    f"{result.document.display}: the PNG diagram has characters that "
                    f"{dot_writer.FONT} lacks, such as in '{text}'; they show as empty boxes "
                    "unless another installed font has them (the SVG and HTML leave it to the "
                    "reader's fonts)")
    image = pages.get(".svg") or pages.get(".png")
    view = procedure_page(procedure, shared_roles=shared_roles, labels=labels, ext="md",
                          today=settings.today, by_role=settings.by_role, flow=flow,
                          calendars=project.calendar,
                          project_language=project.config.language)
    view.errors = list(plan.errors)
    cards = [role_card(view, role) for role in view.cards]
    result.cards.extend((RoleRef(role.id, role.name), {}) for role in view.cards)
    for ext in ("md", "html"):
        if ext not in formats:
            continue
        page = dataclasses.replace(view, ext=ext)
        if ext == "md":
            page.mermaid = mermaid.mermaid_of(diagram)
            page.image = Raw(image) if image else None
        elif svg is not None:
            page.svg = inline_svg(svg, procedure.id, labels("diagram_alt", title=procedure.title))
            page.image = pages.get(".svg")  # the link to the diagram at full size
            page.wide_diagram = is_wide(svg)
        pages[f".{ext}"] = save(f".{ext}", templates.render(f"procedure.{ext}.j2", page=page))
        for card, (role, files) in zip(cards, result.cards, strict=True):
            text = templates.render(f"role.{ext}.j2", page=dataclasses.replace(card, ext=ext))
            files[f".{ext}"] = save(f".{ext}", text, role.id)
    return _as_row(result, settings)


def _as_row(result: Rendered, settings: Settings) -> Rendered:
    """``result`` to send back from a worker: with ``settings.rows``, its catalog row and a
    stand-in made of it in place of the procedure."""
    from procflow.loader import Document

    if not settings.rows:
        return result
    result.stored = _summary(result, settings)
    result.row = result.stored.to_json()
    result.document = Document(result.document.path, model=result.stored.stand_in())
    return result


def _reused(result: Rendered, names: Sequence[str], shared_roles: Sequence[Any]) -> Rendered:
    """A file rendered by an earlier run from the same inputs: its pages and role cards for
    the catalog, read from the names of its files (``write.file_name`` made them)."""
    from procflow.references import known_roles
    from procflow.render.pages import RoleRef

    procedure = result.procedure
    result.reused = list(names)
    known = known_roles(procedure, shared_roles)
    order = {role_id: position for position, role_id in enumerate(known)}
    cards: dict[str, dict[str, str]] = {}
    for name in sorted(names):
        stem, dot, suffix = name.rpartition(".")
        own, _, role = stem.partition("--")
        if own != procedure.id:
            continue
        if role:
            cards.setdefault(role, {})[f".{suffix}"] = name
        else:
            result.pages[f".{suffix}"] = name
    result.cards = [(RoleRef(role, known[role].name if role in known else role), cards[role])
                    for role in sorted(cards, key=lambda r: (order.get(r, len(order)), r))]
    return result


def is_wide(svg: bytes) -> bool:
    """Whether Graphviz's SVG is wider than tall (its width and height attributes)."""
    import re

    size = re.search(rb'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    return bool(size) and float(size.group(1)) > float(size.group(2))  # type: ignore[union-attr]


def diagram_words(labels: Any) -> dict[str, str]:
    """The words the diagrams add, in the procedure's language."""
    return {"start": labels("diagram_start"), "end": labels("diagram_end"),
            "escalation": labels("escalation")}


def _catalog(results: Sequence[Rendered], settings: Settings,
             source: Source) -> Iterable[tuple[str, str]]:
    """The catalog pages: ``index.md``/``index.html`` in the main language, and when the
    procedures use other languages, one more per language (``index.pl.md``...), every one
    listing every procedure and linking to the others."""
    from procflow.markup.markdown import Raw
    from procflow.project import project_for
    from procflow.render.environment import templates as compiled
    from procflow.render.i18n import language_name
    from procflow.render.pages import Catalog, CatalogLink, catalog_entry
    from procflow.render.write import catalog_name

    templates = compiled(source)
    # the main catalog speaks the project's language (of the first file's project); without
    # one, the procedures' language when they share it, else English
    languages = list(dict.fromkeys(result.language for result in results))
    project = project_for(results[0].document.path) if results else None
    project_language = project.config.language if project else None
    main = project_language or (languages[0] if len(languages) == 1 else "en")
    others = [language for language in dict.fromkeys(lang.lower() for lang in languages)
              if language != main.lower()]
    entries = [result.stored.entry(settings.today, result.procedure) if result.stored is not None
               else catalog_entry(result.procedure, _pages_in_order(result), result.cards,
                                  settings.today, result.language)
               for result in results]
    catalogs = {main: None, **{language: language for language in others}}
    links = [CatalogLink(language, language_name(language),
                         {f".{ext}": Raw(catalog_name(ext, file_language))
                          for ext in ("md", "html")})
             for language, file_language in catalogs.items()]
    for link in links:
        catalog = Catalog(templates.labels(link.language), link.language, entries,
                          settings.today, [other for other in links if other is not link])
        for ext in ("md", "html"):
            yield link.files[f".{ext}"], templates.render(f"index.{ext}.j2", catalog=catalog)

"""The project file ``procflow.yaml``: finding it and loading it.

``find_project_file(path)`` walks up from a procedure file (like ``pyproject.toml`` discovery)
and stops at the repository root (the folder that holds ``.git``), or outside a repository at
the working folder or the folder above ``procedures/`` (see ``procflow.roots``).
"""

from __future__ import annotations

import functools
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from procflow.errors import LoadFailed, UsageError
from procflow.findings import Finding, Issue, display_path, printable
from procflow.loader import load_document
from procflow.model import Calendar, ProjectConfig, Role
from procflow.roots import PROJECT_FILE, project_folder
from procflow.yamlsafe import Limits


@dataclass
class Project:
    """A loaded project file, or the defaults when there is none (``path`` is None)."""

    path: Path | None = None
    config: ProjectConfig = field(default_factory=lambda: ProjectConfig(procflow=1))
    findings: list[Finding] = field(default_factory=list)

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def procedures_dir(self) -> Path | None:
        return self.root / "procedures" if self.root else None

    @property
    def limits(self) -> Limits:
        settings = self.config.limits
        return Limits(**settings.model_dump())

    @property
    def shared_roles(self) -> dict[str, Role]:
        """The shared roles, in the project's language."""
        return self.shared_roles_in(None)

    def shared_roles_in(self, language: str | None) -> dict[str, Role]:
        """The shared roles as a page in ``language`` shows them (``model.in_language``: that
        language, then the project's, then the first translation written)."""
        return {role.id: role.in_language(language, self.config.language)
                for role in self.config.roles}

    def calendar(self, calendar_id: str | None) -> Calendar | None:
        wanted = calendar_id or self.config.default_calendar
        return next((c for c in self.config.calendars if c.id == wanted), None)

    @property
    def templates_dir(self) -> Path | None:
        """The ``templates:`` folder; one outside the project root is refused (a pull
        request could otherwise point it at ``/`` or ``../..``)."""
        if self.root and self.config.templates:
            folder = (self.root / self.config.templates).resolve()
            if not folder.is_relative_to(self.root.resolve()):
                raise UsageError(f"{printable(str(self.path))}: {_OUTSIDE}")
            return folder
        return None

    def require_loaded(self) -> None:
        """Raise ``LoadFailed`` with the findings when the project file is broken, for the
        commands that must not go on with default settings (render)."""
        if self.findings:
            raise LoadFailed(f"{printable(str(self.path))} has problems; fix them first "
                             "(procflow validate shows them)", self.findings)


_OUTSIDE = "templates: must name a folder inside the project (next to procflow.yaml or below)"


DEFAULT_PROJECT = Project()


def find_project_file(start: Path) -> Path | None:
    """The ``procflow.yaml`` that governs ``start`` (a file or a folder), if any: looked for
    up to the repository root, never in a shared parent (``roots.search_boundary``)."""
    folder = project_folder(start)
    return folder / PROJECT_FILE if folder is not None else None


def load_project(path: Path | None) -> Project:
    """Load a project file; a broken one gives findings and default settings. Loaded once
    per process while the file stays as it is: a file changed since (its size, times or
    inode) is read again, so a long-running caller never works with an old project."""
    if path is None:
        return DEFAULT_PROJECT
    try:
        status = path.stat()
        signature: tuple[int, ...] = (status.st_mtime_ns, status.st_ctime_ns, status.st_size,
                                      status.st_ino)
    except OSError:
        signature = ()  # the loader says why it cannot be read
    return _loaded(path, signature)


@functools.lru_cache(maxsize=64)
def _loaded(path: Path, signature: tuple[int, ...]) -> Project:
    return project_from(path)


def forget_loaded_projects() -> None:
    """Drop every project file loaded so far (a file rewritten within the file system's
    timestamp granularity, with the same size, looks unchanged)."""
    _loaded.cache_clear()


def project_from(path: Path, raw: bytes | None = None, label: str | None = None) -> Project:
    """The project file at ``path``, or ``raw`` bytes that came from there (a git blob, named
    ``label`` in diagnostics), read with the default bounds whatever it says itself; a
    broken one gives findings and default settings."""
    if raw is None and _special(path):  # a pipe would block, a device never end
        return Project(path, findings=[Finding(display_path(path), 1, 1, "PF001",
                                               "not a regular file (a pipe or a device); "
                                               "not read")])
    document = load_document(path, ProjectConfig, Limits(), raw=raw, label=label)
    if document.model is None:
        return Project(path, findings=document.findings)
    project = Project(path, document.model, document.findings)
    try:
        _ = project.templates_dir  # checked now, so validate reports it too
    except UsageError:
        project.findings.append(document.finding(Issue("PF003", _OUTSIDE, ("templates",))))
    return project


def _special(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # the loader says why it cannot be read
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def project_for(start: Path) -> Project:
    return load_project(find_project_file(start))


def distinct_projects(projects: Iterable[Project]) -> list[Project]:
    """The projects (each ``procflow.yaml`` once), in the order first met."""
    return list({id(project): project for project in projects}.values())

"""The procedure files of a tree: which files are procedures (``discover``) and loading them
with the limits of their project (``load_procedure``).

The loader turns bytes into a positioned document and a model; this module decides which
files to read and with which project settings.
"""

from __future__ import annotations

import os
import typing
from pathlib import Path
from typing import Any

from procflow.errors import LoadFailed, UsageError
from procflow.findings import Finding, count_noun, display_path, printable
from procflow.loader import Document, load_document
from procflow.model import Procedure
from procflow.project import distinct_projects, find_project_file, project_for
from procflow.roots import PROJECT_FILE

PROCEDURE_SUFFIXES = (".yaml", ".yml")


def is_procedure_path(parts: typing.Sequence[str]) -> bool:
    """Whether a file, given by the parts of its path below a procedures folder, is a
    procedure: ``*.yaml``/``*.yml``, not ``procflow.yaml``, not in a hidden folder."""
    name = parts[-1]
    return (name.endswith(PROCEDURE_SUFFIXES) and name != PROJECT_FILE
            and not any(part.startswith(".") for part in parts))


def default_folder(start: Path) -> Path:
    """The ``procedures/`` folder of the project around ``start`` (beside its
    ``procflow.yaml``), or ``start/procedures`` outside a project."""
    project_file = find_project_file(start)
    return (project_file.parent if project_file else start) / "procedures"


def discover(paths: typing.Sequence[Path], problems: list[Finding] | None = None
             ) -> list[Path]:
    """The procedure files named by ``paths`` (files or folders), sorted, without repeats.

    In a folder every ``*.yaml``/``*.yml`` below it counts, except ``procflow.yaml`` and
    anything in a hidden folder or a submodule (a folder with a ``.git`` file); linked folders are
    not followed. With no paths: the ``procedures/`` folder of the project around the working
    folder. A path that does not exist is a usage error. A sub-folder that cannot be read is
    a PF001 finding added to ``problems``; without that list it stops the command
    (``LoadFailed``), so no folder is ever skipped silently.
    """
    if not paths:
        default = default_folder(Path.cwd())
        if not default.is_dir():
            raise UsageError("no PATH given and no procedures/ folder here; name the files or "
                             "folders to read, e.g. procedures/")
        paths = [default]
    found: dict[Path, None] = {}
    unreadable: list[Finding] = []
    for path in paths:
        if path.is_dir():
            for candidate in _walk(path, unreadable):
                found[candidate] = None
        elif path.is_file() or path.is_symlink():  # a link out of the tree: a finding later
            found[path] = None
        else:
            raise UsageError(f"no such file or folder: {printable(os.fsdecode(path))}")
    if unreadable and problems is None:
        raise LoadFailed(f"{count_noun(len(unreadable), 'folder')} cannot be read; run procflow "
                         "validate for details", unreadable)
    if problems is not None:
        problems += unreadable
    return list(found)


def _walk(folder: Path, unreadable: list[Finding]) -> list[Path]:
    """The procedure files below ``folder``, sorted; folders that cannot be listed noted."""
    files: list[Path] = []

    def note(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        unreadable.append(Finding(display_path(where), 1, 1, "PF001",
                                  f"cannot read the folder: {error.strerror}; its procedures "
                                  "were not checked"))

    for top, folders, names in os.walk(folder, onerror=note):
        here = Path(top)
        folders[:] = sorted(name for name in folders if not name.startswith(".")
                            and not (here / name / ".git").is_file())  # a submodule
        for name in names:
            candidate = here / name
            if is_procedure_path(candidate.relative_to(folder).parts) and (
                    candidate.is_file() or candidate.is_symlink()):
                files.append(candidate)
    return sorted(files)


def load_procedure(path: Path) -> Document[Any]:
    """Load one procedure file with the limits of its project."""
    return load_document(path, Procedure, project_for(path).limits)


def load_procedures(paths: typing.Sequence[Path]) -> list[Document[Any]]:
    """Load every procedure the paths name, for commands that need them all loaded
    (review, codeowners, report). Raises ``LoadFailed`` with the findings when any does not
    load, or when a project file governing them is broken: never default settings instead."""
    files = discover(paths)
    for project in distinct_projects(map(project_for, files)):
        project.require_loaded()
    documents = [load_procedure(path) for path in files]
    require_loaded(documents)
    return documents


def require_loaded(documents: typing.Sequence[Document[Any]]) -> None:
    """Raise ``LoadFailed`` with the findings when any of the documents does not load."""
    broken = [d for d in documents if d.model is None]
    if broken:
        findings = [f for d in broken for f in d.findings]
        names = ", ".join(printable(d.display) for d in broken[:3]) + (
            " ..." if len(broken) > 3 else "")
        verb = "does" if len(broken) == 1 else "do"
        raise LoadFailed(f"{count_noun(len(broken), 'file')} {verb} not load: {names}; run "
                         "procflow validate for details", findings)

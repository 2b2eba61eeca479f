"""The folders procflow trusts a tree up to: the repository root, and where the search for
``procflow.yaml`` stops outside a repository. Nothing here reads file contents.

A repository under review is hostile: a procedure file may be a symbolic link to
``~/.git-credentials`` and a ``procflow.yaml`` may be planted in a shared parent folder. So
a file whose real location is outside its root is not read (``link_outside``), and the
project file is looked for only up to ``search_boundary``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

PROJECT_FILE = "procflow.yaml"


@functools.lru_cache(maxsize=256)
def _repository_above(folder: Path) -> Path | None:
    if (folder / ".git").exists():
        return folder
    return None if folder.parent == folder else _repository_above(folder.parent)


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` (as written, links not followed) that holds
    ``.git``, if any."""
    folder = Path(os.path.abspath(start))
    return _repository_above(folder if folder.is_dir() else folder.parent)


def search_boundary(start: Path) -> Path:
    """The highest folder whose ``procflow.yaml`` may govern ``start``: the repository root;
    outside a repository the higher of the working folder (when ``start`` is below it and
    the working folder holds a ``procflow.yaml``: the user is in their project) and the folder
    above the nearest ``procedures/`` folder on the way up (the layout ``procflow init``
    makes), else ``start``'s own folder: never an unrelated parent such as ``/tmp``, even when
    the command runs from ``/`` or the home folder."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    repository = _repository_above(folder)
    if repository is not None:
        return repository
    stops = [folder]
    try:
        cwd = Path.cwd()
    except OSError:  # the working folder was deleted
        cwd = None
    if cwd is not None and (folder == cwd or cwd in folder.parents) and (
            cwd / PROJECT_FILE).is_file():
        stops.append(cwd)
    stops += [above.parent for above in (folder, *folder.parents)
              if above.name == "procedures"][:1]
    return min(stops, key=lambda stop: len(stop.parts))


def project_folder(start: Path) -> Path | None:
    """The folder of the ``procflow.yaml`` that governs ``start``, searched up to
    ``search_boundary``."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    return _project_between(folder, search_boundary(folder))


@functools.lru_cache(maxsize=256)
def _project_between(folder: Path, stop: Path) -> Path | None:
    # anything of that name (a folder, a pipe, a dangling link) is the project file: loading
    # it gives a finding, where skipping it would go on silently with default settings
    if os.path.lexists(folder / PROJECT_FILE):
        return folder
    if folder == stop or folder.parent == folder:
        return None
    return _project_between(folder.parent, stop)


def trusted_root(path: Path) -> Path:
    """The folder ``path`` must stay inside: its repository, else its project, else the
    search boundary."""
    return repository_root(path) or project_folder(path) or search_boundary(path)


def link_outside(path: Path) -> Path | None:
    """The root that ``path`` escapes through a symbolic link (of the file or of a folder
    on its way), or None when its real location is inside its root (or nothing is linked)."""
    written = os.path.abspath(path)
    real = os.path.realpath(written)
    if real == written:
        return None
    root = trusted_root(Path(written))
    real_root = os.path.realpath(root)
    if real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return root


def outside_message(root: Path) -> str:
    """The PF001 message for a file ``link_outside`` refuses."""
    where = "the repository" if (root / ".git").exists() else "the project"
    return f"this file is a symbolic link to a file outside {where}; not read"

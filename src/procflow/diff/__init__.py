"""``procflow diff``: what a change to procedures means for the people who follow them.

Pure core, no printing: ``tree`` turns two sets of files into a ``DiffReport`` (``changes``),
``compare`` diffs one procedure with the policy table of ``classify`` (impact of each field),
``match`` pairs items (ids, renames, moves), ``flowdiff`` compares the flow graphs, ``git``
reads files at revisions, ``version`` is the ``--check-version`` policy, ``gitdriver`` is
git's external diff, and ``output/`` holds one reporter per format.

Library use::

    from procflow.diff import diff_paths, diff_revisions
    report = diff_paths(Path("old/"), Path("new/"), today=date.today())
    report = diff_revisions("origin/main", None, [Path("procedures")], Path.cwd(),
                            today=date.today())

``today`` is the year from which a changed calendar's working time is compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from procflow.diff.changes import Change, DiffReport, ProcedureDiff

__all__ = ["Change", "DiffReport", "ProcedureDiff", "diff_paths", "diff_revisions"]


def diff_paths(old: Path, new: Path, *, today: dt.date, keep_models: bool = False
               ) -> DiffReport:
    """Two files (compared whatever their ids) or two folders (procedures paired by id)."""
    from procflow.diff.tree import diff_sources, path_sources

    old_sources, new_sources, as_one = path_sources(old, new)
    return diff_sources(old_sources, new_sources, today=today, as_one=as_one,
                        keep_models=keep_models)


def diff_revisions(base: str, head: str | None, paths: Sequence[Path], cwd: Path, *,
                   today: dt.date, keep_models: bool = False) -> DiffReport:
    """The procedures at git revision ``base`` against ``head`` (None: the working tree),
    limited to ``paths`` (none: the project's ``procedures/`` folder)."""
    from procflow.diff.git import git_sources
    from procflow.diff.tree import diff_sources

    old_sources, new_sources = git_sources(base, head, paths, cwd)
    return diff_sources(old_sources, new_sources, today=today, keep_models=keep_models)

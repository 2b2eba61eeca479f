"""Diffing two sets of procedure files: pair the files, load them, pair the procedures by id
and diff each pair. A ``Source`` is one file on one side, on disk or as bytes from git.

Every file is read once; files at the same place with the same bytes are loaded once (a
tree where 50 of 1,000 files changed costs little more than loading it once), and many pairs
are settled in two worker processes, as ``validate`` does. A side that does not load raises
``LoadFailed`` with the loader's findings; nothing is compared then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from procflow.diff.changes import DiffReport, ProcedureDiff
from procflow.diff.compare import diff_procedure
from procflow.diff.match import keyed
from procflow.errors import LoadFailed, UsageError
from procflow.findings import Finding, count_noun, display_path
from procflow.loader import load_document
from procflow.model import Procedure
from procflow.parallel import map_in_processes
from procflow.procedures import discover
from procflow.project import Project, project_for
from procflow.roots import link_outside


@dataclass(frozen=True)
class Source:
    """One procedure file on one side of a diff."""

    key: str  # where it sits below its side's root: pairs the files that stayed in place
    file: str  # how reports name it
    project: Path  # where its procflow.yaml is looked for (limits, calendars) on disk
    label: str  # how diagnostics name it
    path: Path | None = None  # the file on disk, or
    data: bytes | None = None  # its bytes (from git), or
    problem: str | None = None  # why it is not read (a link out of the tree, too large)
    settings: Project | None = None  # or its project file, read with it at its revision

    def read(self) -> bytes | None:
        """Its bytes; None when the file cannot be read, is over the size bound or is a
        symbolic link out of its tree (loading it then says why, without reading more than
        the bound)."""
        if self.data is not None or self.problem is not None:
            return self.data
        assert self.path is not None
        return read_bounded(self.path, self.governing().limits.max_bytes)

    def governing(self) -> Project:
        """Its project: the one read with it at its revision, else the one on disk."""
        return self.settings or project_for(self.project)


def read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """At most ``max_bytes`` of a file, its size checked first; None when it is larger (or
    grew past the bound), unreadable, or a link out of its tree."""
    if link_outside(path) is not None:
        return None
    try:
        if path.stat().st_size > max_bytes:
            return None
        with path.open("rb") as handle:  # a device such as /dev/zero reports size 0
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    return data if len(data) <= max_bytes else None


def folder_sources(root: Path) -> list[Source]:
    """Every procedure file below a folder (as ``validate`` finds them), keyed by the path
    below it."""
    return [disk_source(path, path.relative_to(root).as_posix()) for path in discover([root])]


def disk_source(path: Path, key: str = "", file: str | None = None) -> Source:
    shown = display_path(path)
    return Source(key, file or shown, path, shown, path=path)


@dataclass
class _Settled:
    """A pair of files after loading: their diff, or procedures still to pair by id, or
    the files that do not load (and their findings)."""

    diff: ProcedureDiff | None = None
    loose: list[tuple[str, Procedure, Source]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    ids: list[tuple[str, str, str]] = field(default_factory=list)  # (side, id, file label)

    def load(self, source: Source, data: bytes | None) -> Procedure | None:
        """The procedure of a file, from the bytes read for it (None: unreadable, the loader
        says why); one that does not load is noted with its findings."""
        if source.problem is not None:
            self.findings.append(Finding(source.label, 1, 1, "PF001", source.problem))
            self.broken.append(source.label)
            return None
        document = load_document(source.path or Path(source.label), Procedure,
                                 source.governing().limits, raw=data, label=source.label)
        document.release_text()
        if document.model is None:
            self.findings += document.findings
            self.broken.append(source.label)
        return document.model


def diff_sources(old: Sequence[Source], new: Sequence[Source], *, today: dt.date,
                 as_one: bool = False, keep_models: bool = False, jobs: int | None = None
                 ) -> DiffReport:
    """Diff two sides. ``as_one``: the sides are one file each, compared whatever their ids.
    ``keep_models``: keep the loaded procedures on each ``ProcedureDiff`` (for diagrams).
    ``today``: the year from which a changed calendar's working time is compared."""
    old_by_key = {source.key: source for source in old}
    new_by_key = {source.key: source for source in new}
    keys = sorted(old_by_key.keys() | new_by_key.keys())
    pairs = [(old_by_key.get(key), new_by_key.get(key), as_one, keep_models, today)
             for key in keys]
    settled = map_in_processes(_settle, pairs, 1 if keep_models else jobs)
    findings = [f for s in settled for f in s.findings]
    broken = [name for s in settled for name in s.broken]
    if broken:
        names = ", ".join(broken[:3]) + (" ..." if len(broken) > 3 else "")
        verb = "does" if len(broken) == 1 else "do"
        raise LoadFailed(f"{count_noun(len(broken), 'file')} {verb} not load ({names}); nothing "
                         "was compared", sorted(findings))
    _refuse_repeated_ids([entry for s in settled for entry in s.ids])
    diffs = [s.diff for s in settled if s.diff is not None]
    diffs += _pair_by_id([item for s in settled for item in s.loose], keep_models, today)
    return DiffReport(tuple(sorted(diffs, key=lambda d: (d.id, d.file))))


def _refuse_repeated_ids(ids: list[tuple[str, str, str]]) -> None:
    """Two files with one procedure id on one side cannot be paired: PF008 for each."""
    files: dict[tuple[str, str], list[str]] = {}
    for side, procedure_id, label in ids:
        files.setdefault((side, procedure_id), []).append(label)
    findings = [Finding(label, 1, 1, "PF008", f"procedure id '{procedure_id}' is also the id "
                        f"of {', '.join(other for other in labels if other != label)[:300]}; "
                        "ids must be unique in the tree")
                for (_, procedure_id), labels in files.items() if len(labels) > 1
                for label in labels]
    if findings:
        raise LoadFailed(f"{count_noun(len(findings), 'file')} on one side share a procedure id "
                         "with another file; nothing was compared", sorted(findings))


def _settle(old: Source | None, new: Source | None, as_one: bool, keep_models: bool,
            today: dt.date) -> _Settled:
    result = _Settled()
    old_bytes = old.read() if old else None
    new_bytes = new.read() if new else None
    same = old is not None and new is not None and old_bytes == new_bytes
    new_model = result.load(new, new_bytes) if new else None
    old_model = new_model if same else result.load(old, old_bytes) if old else None
    if result.broken:
        return result
    result.ids = [(side, model.id, source.label) for side, model, source in
                  (("old", old_model, old), ("new", new_model, new))
                  if model is not None and source is not None]
    if old_model is not None and new_model is not None and (as_one or old_model.id == new_model.id):
        result.diff = _diff(old_model, new_model, old, new, keep_models, today)
    else:
        result.loose = [(side, model, source) for side, model, source in
                        (("old", old_model, old), ("new", new_model, new))
                        if model is not None and source is not None]
    return result


def _diff(old: Procedure | None, new: Procedure | None, old_source: Source | None,
          new_source: Source | None, keep_models: bool, today: dt.date) -> ProcedureDiff:
    shown, present = new_source or old_source, new or old
    assert shown is not None and present is not None
    project = shown.governing()
    shared_roles = project.shared_roles_in(present.language or project.config.language)
    return diff_procedure(
        old, new, file=shown.file, today=today, old_file=old_source.file if old_source else None,
        old_calendars=(old_source or shown).governing().calendar,
        new_calendars=project.calendar, keep_models=keep_models,
        shared_roles=tuple(shared_roles.values()))


def _pair_by_id(loose: list[tuple[str, Procedure, Source]], keep_models: bool,
                today: dt.date) -> list[ProcedureDiff]:
    """Pair the procedures that moved to another file (or changed places) by their id."""
    sides = {side: keyed([(m, s) for sd, m, s in loose if sd == side], lambda ms: ms[0].id)
             for side in ("old", "new")}
    out = []
    for key in sorted(sides["old"].keys() | sides["new"].keys()):
        old_model, old_source = sides["old"].get(key, (None, None))
        new_model, new_source = sides["new"].get(key, (None, None))
        out.append(_diff(old_model, new_model, old_source, new_source, keep_models, today))
    return out


def path_sources(old: Path, new: Path) -> tuple[list[Source], list[Source], bool]:
    """The sources of ``procflow diff OLD NEW``: two files (compared as one procedure) or
    two folders (procedures paired by id). Returns (old, new, as_one)."""
    for path in (old, new):
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    if old.is_file() and new.is_file():
        return [disk_source(old)], [disk_source(new)], True
    if old.is_dir() and new.is_dir():
        return folder_sources(old), folder_sources(new), False
    raise UsageError(f"give two files or two folders, not a {_kind(old)} and a {_kind(new)} "
                     f"({old}, {new})")


def _kind(path: Path) -> str:
    return "folder" if path.is_dir() else "file"

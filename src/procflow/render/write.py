"""Safe writes into the output folder, and the only place that builds output file names.

A run writes every file whole into a hidden staging folder inside the output folder
(``.procflow-*``); only when the whole run has succeeded is each file renamed into place
(``os.replace``: atomic, same file system); a file it replaces waits aside until every
file is in place, and goes back if a move fails. A run that fails removes the staging folder,
so it leaves no half-written file and changes nothing. Names are rebuilt from ids checked again
against the slug pattern, and every name must be a plain file name (no folder part), so
nothing lands outside the output folder. Files the run does not write are never touched;
an existing symbolic link at a target name is replaced, never followed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from procflow.errors import ProcflowError, UsageError

MANIFEST = ".procflow-files"  # what the last --prune run wrote (see ``Staging.commit``)
_MANIFEST_MAX = 4 * 1024 * 1024
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAME = re.compile(r"^[a-z0-9]+(-{1,2}[a-z0-9]+)*\.[a-z]+$")


def file_name(procedure_id: str, suffix: str, role_id: str | None = None) -> str:
    """``<id><suffix>``, or ``<id>--<role><suffix>`` for a role card. A slug has no double
    hyphen, so a role card can never take the name of another procedure's page."""
    for value in (procedure_id, role_id):
        if value is not None and (not _SLUG.match(value) or len(value) > 64):
            raise ProcflowError(f"refusing to build a file name from the id {value!r}: "
                                "not a slug")
    return f"{procedure_id}--{role_id}{suffix}" if role_id else f"{procedure_id}{suffix}"


def prepare_output(output: Path) -> Path:
    """Create the output folder if needed; return its resolved path."""
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} is a file, not a folder")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the output folder {output}: {error.strerror}") from None
    return output.resolve()


def write_staged(folder: Path, name: str, data: str | bytes) -> str:
    """Write one whole file into the staging folder (callable from worker processes)."""
    if not _NAME.match(name):
        raise ProcflowError(f"refusing to write {name!r}: not a plain file name")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(folder / name, "xb") as stream:
            stream.write(payload)
    except FileExistsError:
        raise
    except OSError as error:  # a full disk, a quota: the run stops and changes nothing
        raise ProcflowError(f"cannot write {name} into {folder.parent}: {error.strerror}; "
                            "nothing was changed") from None
    return name


_MANIFEST_HEAD = ("# The files procflow render --prune wrote here; the next --prune run removes\n"
                  "# those it does not write again. Files not listed are never touched.\n")


class Staging:
    """The files of one run, written aside and moved into the output folder together."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=".procflow-", dir=root))
        except OSError as error:
            raise UsageError(f"cannot write into {root}: {error.strerror}") from None
        self.names: list[str] = []
        self.keep = False  # set when old files could not be put back: they wait in folder

    def write(self, name: str, data: str | bytes) -> None:
        self.names.append(write_staged(self.folder, name, data))

    def adopt(self, names: list[str]) -> None:
        """Record files a worker process wrote into ``folder`` (with ``write_staged``)."""
        self.names.extend(names)

    def commit(self, prune: bool = False) -> tuple[list[Path], list[str]]:
        """Move every staged file into place; all or none. A file already at a target name
        is moved aside first and put back if a later move fails (or the run is interrupted);
        a folder at a target name stops the run before anything moves. With ``prune``, the
        files the last pruning run listed in ``MANIFEST`` that this run does not write are
        removed the same way, and the manifest lists this run's files. Returns the paths
        written (the manifest aside) and the names removed."""
        targets = [self.root / name for name in self.names]
        moved = targets + ([self.root / MANIFEST] if prune else [])
        try:
            for target in moved:
                if target.is_dir() and not target.is_symlink():
                    raise ProcflowError(f"cannot write {target}: a folder has that name; "
                                        "move it away (nothing was changed)")
            stale = self._stale() if prune else []
            if prune:
                self._stage_manifest()
            self._move_into_place(moved, stale)
        finally:
            self.discard()
        return targets, [path.name for path in stale]

    def _stale(self) -> list[Path]:
        """The files the manifest lists that this run does not write (never a folder)."""
        listed: set[str] = set()
        manifest = self.root / MANIFEST
        try:
            if stat.S_ISREG(manifest.lstat().st_mode):  # not a link, a pipe or a device
                with open(manifest, encoding="utf-8") as stream:
                    text = stream.read(_MANIFEST_MAX + 1)
                if len(text) <= _MANIFEST_MAX:  # a longer one is not procflow's: no cut names
                    listed = {line for line in text.splitlines() if _NAME.match(line)}
        except (OSError, UnicodeDecodeError):
            pass  # no manifest, or not one procflow wrote: nothing is stale
        paths = [self.root / name for name in sorted(listed - set(self.names))]
        return [path for path in paths if path.is_file() or path.is_symlink()]

    def _stage_manifest(self) -> None:
        listing = "".join(f"{name}\n" for name in sorted(self.names))
        try:
            (self.folder / MANIFEST).write_text(_MANIFEST_HEAD + listing, encoding="utf-8")
        except OSError as error:
            raise ProcflowError(f"cannot write {self.root / MANIFEST}: {error.strerror}; "
                                "nothing was changed") from None

    def _move_into_place(self, targets: list[Path], stale: list[Path]) -> None:
        aside = self.folder / "replaced"  # a staged name has a suffix, so it cannot clash
        aside.mkdir()
        kept: list[tuple[Path, Path]] = []  # (target, where its old file waits)
        placed: list[Path] = []

        def set_aside(path: Path) -> None:
            if os.path.lexists(path):
                os.replace(path, aside / path.name)
                kept.append((path, aside / path.name))

        target = self.root
        try:
            for target in targets:
                set_aside(target)
                os.replace(self.folder / target.name, target)
                placed.append(target)
            for target in stale:
                set_aside(target)  # removed with the staging folder
        except BaseException as error:  # an interrupted run is undone too
            lost = _undo(placed, kept)
            reason = error.strerror if isinstance(error, OSError) else type(error).__name__
            if lost:
                self.keep = True  # the old files that could not go back wait there
                raise ProcflowError(
                    f"cannot write {target}: {reason}; {len(lost)} earlier file(s) could not "
                    f"be put back and wait in {aside}: move them back by hand") from None
            if isinstance(error, OSError):
                raise ProcflowError(f"cannot write {target}: {reason}; "
                                    "nothing was changed") from None
            raise

    def discard(self) -> None:
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def _undo(placed: list[Path], kept: list[tuple[Path, Path]]) -> list[Path]:
    """Take back the files moved in and put the old ones back; return those that could not
    go back."""
    for path in placed:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    lost = []
    for path, old in kept:
        try:
            os.replace(old, path)
        except OSError:
            lost.append(path)
    return lost

"""Procedure files at git revisions, read safely: the sources of ``procflow diff --base``.

git runs with argument lists (never a shell), plumbing commands only (``rev-parse``,
``ls-tree``, ``cat-file``: no configured diff programs or textconv filters run), and
``--end-of-options`` before every revision; a revision that starts with ``-`` is refused
before git is called at all. Blobs are read at the revision without checking anything
out, each procedure with the ``procflow.yaml`` that governs it at that revision (so a
calendar changed between two commits is reported), every blob's size checked before it is
read. Procedures are paired by id afterwards, so renamed and moved files are followed.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from procflow.diff.tree import Source, disk_source
from procflow.errors import EnvironmentProblem, LoadFailed, UsageError
from procflow.findings import Finding, excerpt, printable
from procflow.procedures import discover, is_procedure_path
from procflow.project import DEFAULT_PROJECT, Project, distinct_projects, project_for, project_from
from procflow.roots import PROJECT_FILE
from procflow.yamlsafe import Limits


def check_revision(revision: str) -> None:
    """Refuse what git could read as an option (``--output=x``) or an empty name."""
    if not revision.strip() or revision.startswith("-") or "\n" in revision:
        raise UsageError(f"refusing revision {revision!r}: a revision may not be empty or start "
                         "with '-' (git would read it as an option)")


class Repository:
    """The git repository around a folder."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        try:
            top = self._git(cwd, "rev-parse", "--show-toplevel")
        except _Failed:
            raise UsageError(f"not inside a git repository ({cwd}); --base needs one") from None
        self.top = Path(top.decode("utf-8").strip())

    @staticmethod
    def _git(where: Path, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", "-C", str(where), "--no-pager", "--literal-pathspecs", *args],
                input=stdin, capture_output=True, check=False,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        except FileNotFoundError:
            raise EnvironmentProblem("git is not installed (needed for --base)") from None
        if done.returncode != 0:
            raise _Failed(done.stderr.decode("utf-8", "replace").strip())
        return done.stdout

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return self._git(self.top, *args, stdin=stdin)

    def commit(self, revision: str) -> str:
        """The commit a revision names (``git_sources`` has already refused a name git could
        read as an option); unknown: a usage error."""
        try:
            out = self.git("rev-parse", "--verify", "--quiet", "--end-of-options",
                           f"{revision}^{{commit}}")
        except _Failed:
            raise UsageError(f"unknown revision '{revision}' (not a commit in this repository; "
                             "a shallow CI clone may need 'git fetch' first)") from None
        return out.decode().strip()

    def relative(self, path: Path) -> str:
        """A user path (relative to the working folder) as a path in the repository."""
        full = os.path.realpath(self.cwd / path)
        inside = os.path.relpath(full, os.path.realpath(self.top))
        if inside == ".." or inside.startswith(".." + os.sep):
            raise UsageError(f"{path} is outside the repository {self.top}")
        return PurePosixPath(Path(inside)).as_posix()

    def sources_at(self, revision: str, roots: Sequence[str]) -> list[Source]:
        """The procedure files below ``roots`` at a revision, with their bytes and the
        project file that governs each at that revision (its calendars and limits). A
        symbolic link is followed only to a file of the same revision inside the
        repository; a link out of it and a blob over the size bound are not read (their
        findings say why)."""
        commit = self.commit(revision)
        listing = self.git("ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit)
        blobs: dict[str, tuple[str, str]] = {}  # every file of the revision: (mode, blob)
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, blob = meta.decode().split()
            if kind == "blob":
                blobs[name.decode("utf-8", "surrogateescape")] = (mode, blob)
        link_blobs = sorted({blob for mode, blob in blobs.values() if mode == "120000"})
        link_texts = self.blobs(link_blobs, 4096)
        found = {path: _follow(path, blobs, link_texts) for path in blobs
                 if _is_procedure(path, roots)}
        projects = self._projects_at(revision, found, blobs, link_texts)
        bounds = {blob: projects[path].limits.max_bytes
                  for path, (blob, _) in found.items() if blob}
        contents = self.blobs(sorted(bounds), bounds)
        sources = []
        for path, (blob, problem) in sorted(found.items()):
            data = contents.get(blob) if blob else None
            if blob and data is None:
                problem = (f"the file at {revision} is over the bound of "
                           f"{projects[path].limits.max_bytes:,} bytes (limits.max_bytes in "
                           "procflow.yaml); not read")
            sources.append(Source(path, printable(path), self.top / path,
                                  printable(f"{revision}:{path}"), data=data, problem=problem,
                                  settings=projects[path]))
        return sources

    def _projects_at(self, revision: str, found: dict[str, tuple[str, str | None]],
                     blobs: dict[str, tuple[str, str]], link_texts: dict[str, bytes]
                     ) -> dict[str, Project]:
        """Per procedure file, the ``procflow.yaml`` that governs it at the revision: the
        nearest one in its folder or above, up to the repository root, as on disk. Each is
        hostile input like the procedures: size checked before it is read, loaded with the
        default bounds; one that is broken, too large or a link out of the revision stops
        the diff (``LoadFailed``: its findings, exit 2), as comparing calendars against
        default settings would report changes nobody made."""
        governing: dict[str, str | None] = {}
        for path in found:
            folder = posixpath.dirname(path)
            while True:
                candidate = posixpath.join(folder, PROJECT_FILE) if folder else PROJECT_FILE
                if candidate in blobs or not folder:
                    governing[path] = candidate if candidate in blobs else None
                    break
                folder = posixpath.dirname(folder)
        loaded: dict[str | None, Project] = {None: DEFAULT_PROJECT}
        findings: list[Finding] = []
        wanted = sorted({name for name in governing.values() if name is not None})
        followed = {name: _follow(name, blobs, link_texts) for name in wanted}
        limit = Limits().max_bytes
        contents = self.blobs(sorted({blob for blob, _ in followed.values() if blob}), limit)
        for name, (blob, problem) in followed.items():
            label = printable(f"{revision}:{name}")
            data = contents.get(blob) if blob else None
            if data is None:
                problem = problem or (f"the project file at {revision} is over the bound of "
                                      f"{limit:,} bytes; not read")
                findings.append(Finding(label, 1, 1, "PF001", problem))
                continue
            loaded[name] = project_from(self.top / name, data, label)
            findings += loaded[name].findings
        if findings:
            raise LoadFailed(f"the project file (procflow.yaml) at {printable(revision)} has "
                             "problems; nothing was compared", sorted(findings))
        return {path: loaded[name] for path, name in governing.items()}

    def blobs(self, names: list[str], max_bytes: int | dict[str, int]) -> dict[str, bytes]:
        """Read many blobs with one ``git cat-file --batch``, their sizes checked first
        (``--batch-check``): a blob over ``max_bytes`` (one bound, or one per blob) is left
        out, never read."""
        if not names:
            return {}
        bound = max_bytes.__getitem__ if isinstance(max_bytes, dict) else lambda _: max_bytes
        asked = "".join(f"{name}\n" for name in names).encode()
        sizes = self.git("cat-file", "--batch-check", stdin=asked)
        wanted = [name for name, line in zip(names, sizes.splitlines(), strict=True)
                  if int(line.split()[2]) <= bound(name)]
        if not wanted:
            return {}
        out = self.git("cat-file", "--batch", stdin="".join(f"{n}\n" for n in wanted).encode())
        contents: dict[str, bytes] = {}
        at = 0
        for name in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            size = int(header[2])
            contents[name] = out[end + 1:end + 1 + size]
            at = end + 1 + size + 1
        return contents

    def working_tree(self, roots: Sequence[str]) -> list[Source]:
        """The procedure files below ``roots`` on disk (tracked or not)."""
        present = [self.top / root for root in roots if (self.top / root).exists()]
        top = self.top.resolve()
        out = []
        for path in discover(present) if present else []:
            inside = Path(os.path.abspath(path)).relative_to(top).as_posix()
            out.append(disk_source(path, inside, printable(inside)))
        return out

    def default_roots(self) -> list[str]:
        """No PATH: the project's ``procedures/`` folder, else ``procedures/`` here, else
        the working folder."""
        for candidate in (project_for(self.cwd).procedures_dir, self.cwd / "procedures"):
            if candidate is not None and candidate.is_dir():
                return [self.relative(candidate)]
        return [self.relative(Path("."))]


class _Failed(EnvironmentProblem):
    """git exited with an error (exit 2 when nothing handles it: a partial clone whose
    promisor remote cannot be reached, a corrupt object); the message is git's."""

    def __init__(self, message: str) -> None:
        super().__init__(f"git failed: {excerpt(message, 500)}")


_LINK_PROBLEM = "this file is a symbolic link to a file outside the repository; not read"


def _follow(path: str, blobs: dict[str, tuple[str, str]], link_texts: dict[str, bytes]
            ) -> tuple[str, str | None]:
    """The blob to read for ``path`` and None; or no blob and why it is not read. A committed
    symbolic link (mode 120000, its blob the target's path) leads to a file of the same
    revision only when it stays inside the repository."""
    for _ in range(40):  # git's own limit on chains of links
        mode, blob = blobs[path]
        if mode != "120000":
            return blob, None
        target = link_texts.get(blob, b"").decode("utf-8", "surrogateescape")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if not target or target.startswith("/") or joined == ".." or joined.startswith("../"):
            return "", _LINK_PROBLEM
        if joined not in blobs:
            return "", ("this file is a symbolic link to a file that is not in the revision; "
                        "not read")
        path = joined
    return "", "this file is a chain of more than 40 symbolic links; not read"


def _is_procedure(path: str, roots: Sequence[str]) -> bool:
    for root in roots:
        if root in (".", ""):
            below = path
        elif path == root:
            return True  # a file named on the command line counts whatever its name
        elif path.startswith(root.rstrip("/") + "/"):
            below = path[len(root.rstrip("/")) + 1:]
        else:
            continue
        if is_procedure_path(below.split("/")):
            return True
    return False


def git_sources(base: str, head: str | None, paths: Sequence[Path], cwd: Path
                ) -> tuple[list[Source], list[Source]]:
    """The sources of ``procflow diff --base REV [--head REV2] [PATH...]``."""
    for revision in (base, head):
        if revision is not None:
            check_revision(revision)
    repository = Repository(cwd)
    roots = [repository.relative(path) for path in paths] or repository.default_roots()
    old = repository.sources_at(base, roots)
    new = repository.sources_at(head, roots) if head else repository.working_tree(roots)
    if not head:  # the working tree's project file is held to the same standard
        for project in distinct_projects(source.governing() for source in new):
            project.require_loaded()
    if not old and not new:
        where = ", ".join(roots)
        raise UsageError(f"no procedure files under {where} at {base} or "
                         f"{head or 'in the working tree'}")
    return old, new

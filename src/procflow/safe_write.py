"""Writing a text file whole, and only where it was meant to go.

Every file procflow writes outside ``render`` (CODEOWNERS, ``init`` and ``new``, ``schema
-o``, ``diff -o``) goes through ``write_text``: the text goes to a temporary file with an
unpredictable name in the target's folder and is renamed over the target, so a full disk or
a crash leaves the old file or nothing, never half a file, and a planted link at a scratch
name is never followed. With a ``root`` (the repository being written into, which may be
hostile), a target that is a symbolic link, or whose folder resolves outside the root through
a linked folder, is refused before anything is read or written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from procflow.errors import UsageError
from procflow.findings import display_path, printable


class UnsafeTarget(UsageError):
    """A file procflow was asked to write is a symbolic link or lies outside its root."""


def _shown(path: Path) -> str:
    return printable(os.fsdecode(display_path(path)))


def check_target(target: Path, root: Path) -> None:
    """Raise ``UnsafeTarget`` when ``target`` is a symbolic link (dangling or not) or when
    it, through a linked folder, resolves outside ``root``. Call it before reading a file
    that is about to be rewritten."""
    if target.is_symlink():
        raise UnsafeTarget(f"refusing to write {_shown(target)}: it is a symbolic link; "
                           "replace it with a regular file")
    real_root = root.resolve()
    folder = target.parent
    while not os.path.lexists(folder) and folder != folder.parent:  # yet to be created
        folder = folder.parent
    real = folder.resolve() / target.relative_to(folder)
    if not _below(real, real_root):
        raise UnsafeTarget(f"refusing to write {_shown(target)}: it resolves outside "
                           f"{_shown(root)} (a linked folder on the way?)")


def _below(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def write_text(target: Path, text: str, *, root: Path | None = None,
               exclusive: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``target`` whole, creating its folders.

    ``root``: refuse a target that is a link or resolves outside it (``check_target``).
    ``exclusive``: never replace an existing file (``new``, ``init``): an error if one
    appeared meanwhile. An ``OSError`` becomes a one-line ``UsageError``; a link at the
    target itself is replaced, never written through."""
    target = Path(os.path.abspath(target))
    if root is not None:
        check_target(target, Path(os.path.abspath(root)))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if root is not None:
            check_target(target, Path(os.path.abspath(root)))  # a folder raced in meanwhile
        mode = _mode_for(target)
        handle, scratch = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp",
                                           dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(scratch, mode)
            if exclusive:
                _link_new(Path(scratch), target, text)
            else:
                os.replace(scratch, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(scratch)
    except FileExistsError:
        raise UsageError(f"{_shown(target)} already exists; not overwritten") from None
    except OSError as error:
        raise UsageError(f"cannot write {_shown(target)}: {error.strerror or error}") from None


def _link_new(scratch: Path, target: Path, text: str) -> None:
    """Put the finished scratch file at ``target`` only if nothing is there (a hard link
    fails on an existing name, a dangling link included); where the file system has no hard
    links, create the target exclusively and write it."""
    try:
        os.link(scratch, target)
    except FileExistsError:
        raise
    except OSError:
        with open(target, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)


def _mode_for(target: Path) -> int:
    """The permissions of the regular file being replaced, else those of a new file."""
    try:
        info = target.lstat()
        if stat.S_ISREG(info.st_mode):
            return info.st_mode & 0o7777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask

"""Safe writes into the output folder, and the only place that builds output file names.

A run writes every file whole into a hidden staging folder inside the output folder
(``.procflow-*``); only when the whole run has succeeded is each file renamed into place
(``os.replace``: atomic, same file system); a file it replaces waits aside until every
file is in place, and goes back if a move fails. A run that fails removes the staging folder,
so it leaves no half-written file and changes nothing. Names are rebuilt from ids checked again
against the slug pattern, and every name must be a plain file name (no folder part), so
nothing lands outside the output folder. Files the run does not write are never touched;
an existing symbolic link at a target name is replaced, never followed.

The manifest (``MANIFEST``) lists every file procflow wrote into the folder, with the SHA-256
of its content as written, its size and time, and the key of its inputs (``render`` hashes
the procedure file, the project file, the templates, procflow's version and the options).
The next run leaves an output whose inputs and file are unchanged alone (``Manifest``), and a
staged file identical to the one in place is not moved (its time stays). Next to the files, it
keeps each procedure's row in the catalog by the key of its inputs (``render.summary``: the
catalog made again needs no unchanged procedure loaded). ``--prune`` removes
only listed files that procflow can produce (``producible``) and whose content still has the
recorded hash: a forged or foreign list, or a file edited since, removes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from procflow.errors import ProcflowError, UsageError
from procflow.findings import count_noun
from procflow.model import LANGUAGE_PATTERN, is_language_tag

MANIFEST = ".procflow-files"  # what the last --prune run wrote (see ``Staging.commit``)
_MANIFEST_MAX = 64 * 1024 * 1024  # about 400,000 files listed
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAME = re.compile(r"^[a-z0-9]+(-{1,2}[a-z0-9]+)*\.[a-z]+$")
#: the catalog in a language other than the main one's: ``index.pl.md``, ``index.pt-br.html``
#: (a procedure's page never has a dot in its stem, so the names cannot clash)
_TAG = LANGUAGE_PATTERN.strip("^$").replace("A-Za-z", "a-z")  # catalog names are lowercase
_CATALOG_NAME = re.compile(rf"^index\.{_TAG}\.(md|html)$")
_SUFFIXES = (".md", ".html", ".svg", ".png", ".dot")  # what render writes
_HEX = re.compile(r"^[0-9a-f]{64}$")
#: a manifest line keeping a procedure's catalog row: ``#catalog<TAB>key<TAB>JSON``; an older
#: procflow reads it as a comment
_SUMMARY = "#catalog"


def producible(name: str) -> bool:
    """Whether procflow render can write a file of this name (``<id>.<format>``,
    ``<id>--<role>.<format>``, ``index.md``, ``index.pl.md``...): only such names are ever
    pruned."""
    return (bool(_NAME.match(name)) and name.endswith(_SUFFIXES)) \
        or bool(_CATALOG_NAME.match(name))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A file procflow wrote: the hash of its content, its size and time as written, and
    the key of the inputs it was made from."""

    sha256: str
    size: int
    mtime_ns: int
    key: str


class Manifest:
    """The manifest of an output folder as the last run left it (empty when there is none,
    or when it is not a regular file procflow could have written)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.entries: dict[str, Entry] = {}
        #: key of the inputs -> the procedure's catalog row as written (JSON, not validated:
        #: ``render.summary.Summary.from_json`` does it when the row is used)
        self.summaries: dict[str, str] = {}
        try:
            path = root / MANIFEST
            if stat.S_ISREG(path.lstat().st_mode):  # not a link, a pipe or a device
                with open(path, encoding="utf-8") as stream:
                    text = stream.read(_MANIFEST_MAX + 1)
                if len(text) <= _MANIFEST_MAX:  # a longer one is not procflow's: no cut names
                    self.entries = dict(_entries(text))
                    self.summaries = dict(_summaries(text))
        except (OSError, UnicodeDecodeError):
            pass  # no manifest, or not one procflow wrote
        self.by_key: dict[str, list[str]] = {}
        for name, entry in self.entries.items():
            self.by_key.setdefault(entry.key, []).append(name)

    def intact(self, name: str) -> bool:
        """Whether the listed file is in place as written (a regular file of the recorded
        size and time: cheap, for deciding what to redo)."""
        entry = self.entries.get(name)
        try:
            info = (self.root / name).lstat()
        except OSError:
            return False
        return entry is not None and stat.S_ISREG(info.st_mode) \
            and (info.st_size, info.st_mtime_ns) == (entry.size, entry.mtime_ns)

    def unchanged(self, key: str) -> list[str] | None:
        """The files made from inputs with this key, when there are some and all are in
        place as written; else None."""
        names = self.by_key.get(key)
        return names if names and all(self.intact(name) for name in names) else None

    def untouched(self, name: str) -> bool:
        """Whether the listed file still has the content procflow wrote (for pruning:
        the content is hashed, not only its size and time)."""
        entry = self.entries.get(name)
        path = self.root / name
        try:
            if entry is None or not stat.S_ISREG(path.lstat().st_mode):
                return False
            with open(path, "rb") as stream:
                return digest(stream.read(entry.size + 1)) == entry.sha256
        except OSError:
            return False


def _summaries(text: str) -> list[tuple[str, str]]:
    found = []
    for line in text.splitlines():
        if line.startswith(_SUMMARY + "\t"):
            parts = line.split("\t")
            if len(parts) == 3:
                found.append((parts[1], parts[2]))
    return found


def _entries(text: str) -> list[tuple[str, Entry]]:
    found = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not producible(parts[0]) or not _HEX.match(parts[1]):
            continue  # a comment, a line of an older manifest or a forged one: not procflow's
        try:
            found.append((parts[0], Entry(parts[1], int(parts[2]), int(parts[3]), parts[4])))
        except ValueError:
            continue
    return found


def file_name(procedure_id: str, suffix: str, role_id: str | None = None) -> str:
    """``<id><suffix>``, or ``<id>--<role><suffix>`` for a role card. A slug has no double
    hyphen, so a role card can never take the name of another procedure's page."""
    for value in (procedure_id, role_id):
        if value is not None and (not _SLUG.match(value) or len(value) > 64):
            raise ProcflowError(f"refusing to build a file name from the id {value!r}: "
                                "not a slug")
    return f"{procedure_id}--{role_id}{suffix}" if role_id else f"{procedure_id}{suffix}"


def catalog_name(ext: str, language: str | None = None) -> str:
    """``index.<ext>``, or ``index.<language>.<ext>`` for the catalog in another language
    (the tag lowercased: ``pt-BR`` -> ``index.pt-br.md``)."""
    if language is None:
        return f"index.{ext}"
    tag = language.lower()
    if not is_language_tag(tag):
        raise ProcflowError(f"refusing to build a file name from the language {language!r}")
    return f"index.{tag}.{ext}"


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
    if not (_NAME.match(name) or _CATALOG_NAME.match(name)):
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


_MANIFEST_HEAD = (
    "# procflow render: the files it wrote here. Fields: name, SHA-256 as written, size,\n"
    "# time (ns), key of the inputs. --prune removes listed files a run no longer makes, only\n"
    "# when their content is unchanged; files not listed are never touched. #catalog lines:\n"
    "# key of the inputs, the procedure's row in the catalog (JSON).\n")


class Staging:
    """The files of one run, written aside and moved into the output folder together."""

    def __init__(self, root: Path, manifest: Manifest | None = None) -> None:
        self.root = root
        self.manifest = manifest or Manifest(root)
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=".procflow-", dir=root))
        except OSError as error:
            raise UsageError(f"cannot write into {root}: {error.strerror}") from None
        self.names: list[str] = []
        self.made: dict[str, tuple[str, str]] = {}  # name -> (sha256, key of the inputs)
        self.kept: list[str] = []  # listed files this run makes again unchanged
        self.summaries: dict[str, str] = {}  # key of the inputs -> catalog row (JSON)
        self.listing: list[tuple[str, str, int, int, str]] = []  # the manifest's file lines
        self.rows: list[tuple[str, str]] = []  # and its catalog rows (key, JSON)
        self.keep = False  # set when old files could not be put back: they wait in folder

    def write(self, name: str, data: str | bytes, key: str = "") -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self.names.append(write_staged(self.folder, name, payload))
        self.made[name] = (digest(payload), key)

    def adopt(self, made: dict[str, str], key: str) -> None:
        """Record files a worker process wrote into ``folder`` (with ``write_staged``):
        name -> SHA-256, all made from inputs with ``key``."""
        self.names.extend(made)
        self.made.update((name, (sha, key)) for name, sha in made.items())

    def keep_unchanged(self, names: list[str]) -> None:
        """Listed files whose inputs did not change: not made again, still this run's."""
        self.kept.extend(names)

    def summarize(self, key: str, summary: str) -> None:
        """Keep the catalog row (one line of JSON) of the procedure made from inputs with
        ``key`` in the manifest."""
        if "\t" in summary or len(summary.splitlines()) != 1:
            raise ProcflowError(f"refusing to list a catalog row that is not one line: "
                                f"{summary[:80]!r}")
        self.summaries[key] = summary

    def commit(self, prune: bool = False) -> tuple[list[Path], list[str]]:
        """Move every staged file into place; all or none. A staged file identical to the
        listed file in its place is not moved (its time stays). A file already at a target
        name is moved aside first and put back if a later move fails (or the run is
        interrupted); a folder at a target name stops the run before anything moves. With
        ``prune``, the files the manifest lists that this run does not make are removed the
        same way, if procflow can produce such a name and the file is unchanged since it was
        written. The manifest lists this run's files (and, without ``prune``, the earlier
        ones still in place). Returns the paths written and the names removed."""
        same = [name for name in self.names if self.manifest.intact(name)
                and self.manifest.entries[name].sha256 == self.made[name][0]
                and self.manifest.entries[name].key == self.made[name][1]]
        self.kept.extend(same)
        fresh = [name for name in self.names if name not in set(same)]
        targets = [self.root / name for name in fresh]
        moved = targets + [self.root / MANIFEST]
        try:
            for target in moved:
                if target.is_dir() and not target.is_symlink():
                    raise ProcflowError(f"cannot write {target}: a folder has that name; "
                                        "move it away (nothing was changed)")
            ours = set(self.names) | set(self.kept)
            earlier = [name for name in self.manifest.entries if name not in ours]
            stale = [self.root / name for name in sorted(earlier)
                     if prune and self.manifest.untouched(name)]
            self._stage_manifest(fresh, [] if prune else earlier)
            self._move_into_place(moved, stale)
            self._record_times(fresh)
        finally:
            self.discard()
        return targets, [path.name for path in stale]

    def _stage_manifest(self, fresh: list[str], earlier: list[str]) -> None:
        lines = []
        for name in fresh:
            sha, key = self.made[name]
            info = (self.folder / name).stat()
            lines.append((name, sha, info.st_size, 0, key))  # time: set once in place
        for name in [*self.kept, *earlier]:
            entry = self.manifest.entries[name]
            lines.append((name, entry.sha256, entry.size, entry.mtime_ns, entry.key))
        self.listing = sorted(lines)
        # the rows of the procedures whose files are listed: this run's, else the earlier one's
        keys = sorted({line[4] for line in lines})
        rows = {**self.manifest.summaries, **self.summaries}
        self.rows = [(key, rows[key]) for key in keys if key in rows]
        self._write_manifest(self.folder / MANIFEST)

    def _write_manifest(self, path: Path) -> None:
        text = _MANIFEST_HEAD + "".join("\t".join(map(str, line)) + "\n"
                                        for line in self.listing) \
            + "".join(f"{_SUMMARY}\t{key}\t{row}\n" for key, row in self.rows)
        try:
            with open(path, "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError as error:
            raise ProcflowError(f"cannot write {self.root / MANIFEST}: {error.strerror}; "
                                "nothing was changed") from None

    def _record_times(self, fresh: list[str]) -> None:
        """The manifest gets the times of the files now in place (a rename keeps them)."""
        placed = set(fresh)
        for k, (name, sha, size, _, key) in enumerate(self.listing):
            if name in placed:
                self.listing[k] = (name, sha, size, (self.root / name).lstat().st_mtime_ns, key)
        scratch: Path | None = None
        with contextlib.suppress(ProcflowError, OSError):  # at worst the next run redoes these
            handle, name = tempfile.mkstemp(prefix=".procflow-", dir=self.root)
            os.close(handle)
            scratch = Path(name)
            self._write_manifest(scratch)
            os.replace(scratch, self.root / MANIFEST)
            scratch = None
        if scratch is not None:
            with contextlib.suppress(OSError):
                scratch.unlink()

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
                    f"cannot write {target}: {reason}; {count_noun(len(lost), 'earlier file')} "
                    f"could not be put back and wait in {aside}: move them back by hand") from None
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

"""Safe writes into the output folder, and the only place that builds output file names.

A run writes every file whole into a hidden staging folder inside the output folder
(``.procflow-*``); only when the whole run has succeeded is each file renamed into place
(``os.replace``: atomic, same file system). A run that fails removes the staging folder, so
it leaves no half-written file and changes nothing. Names are rebuilt from ids checked again
against the slug pattern, and every name must be a plain file name (no folder part), so
nothing lands outside the output folder. Files the run does not write are never touched;
an existing symbolic link at a target name is replaced, never followed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from procflow.errors import ProcflowError, UsageError

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
    with open(folder / name, "xb") as stream:
        stream.write(payload)
    return name


class Staging:
    """The files of one run, written aside and moved into the output folder together."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=".procflow-", dir=root))
        except OSError as error:
            raise UsageError(f"cannot write into {root}: {error.strerror}") from None
        self.names: list[str] = []

    def write(self, name: str, data: str | bytes) -> None:
        self.names.append(write_staged(self.folder, name, data))

    def adopt(self, names: list[str]) -> None:
        """Record files a worker process wrote into ``folder`` (with ``write_staged``)."""
        self.names.extend(names)

    def commit(self) -> list[Path]:
        """Move every staged file into place; return the final paths."""
        written = []
        try:
            for name in self.names:
                target = self.root / name
                try:
                    os.replace(self.folder / name, target)
                except OSError as error:
                    raise ProcflowError(f"cannot write {target}: {error.strerror}") from None
                written.append(target)
        finally:
            self.discard()
        return written

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

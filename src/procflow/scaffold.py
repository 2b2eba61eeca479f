"""Writing new files for users: ``procflow init`` (a project) and ``procflow new`` (a procedure).

The texts come from ``procflow/starters/``: ``<name>.yaml`` are procedure starters, ``_*.yaml``
the project files. Placeholders are ``<<name>>``. Nothing here overwrites an existing file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from procflow import __version__
from procflow.errors import UsageError
from procflow.findings import display_path, printable
from procflow.model import RESERVED_IDS
from procflow.procedures import discover
from procflow.safe_write import check_target, write_text

REPOSITORY_URL = "https://github.com/procflow/procflow"
STARTER_PROCEDURE = "phone-request"
_PLACEHOLDER = re.compile(r"<<(\w+)>>")


@dataclass(frozen=True)
class Outcome:
    """One file ``init`` considered: written, or skipped with the reason."""

    path: Path
    skipped: str | None = None


def starters() -> list[str]:
    """The names ``procflow new --from`` accepts, in a stable order (blank first)."""
    folder = resources.files("procflow").joinpath("starters")
    names = (entry.name.removesuffix(".yaml") for entry in folder.iterdir()
             if entry.name.endswith(".yaml") and not entry.name.startswith("_"))
    return sorted(names, key=lambda name: (name != "blank", name))


def _fill(name: str, values: dict[str, str]) -> str:
    text = resources.files("procflow").joinpath("starters").joinpath(f"{name}.yaml").read_text(
        "utf-8")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def git_identity(folder: Path) -> tuple[str | None, str | None]:
    """``git config user.name`` and ``user.email`` as seen from ``folder``, when set."""
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    found: list[str | None] = []
    for key in ("user.name", "user.email"):
        try:
            run = subprocess.run(["git", "config", "--get", key], cwd=folder, capture_output=True,
                                 text=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            run = None
        value = run.stdout.strip() if run is not None and run.returncode == 0 else ""
        found.append(value or None)
    return found[0], found[1]


def title_from_id(procedure_id: str) -> str:
    return procedure_id.replace("-", " ").capitalize()


def check_id(procedure_id: str) -> None:
    """Raises ``UsageError`` (with a suggestion) for an id the format rejects or one that
    is reserved (``procflow.yaml`` is the project file, ``index`` the rendered catalog)."""
    if procedure_id in RESERVED_IDS:
        raise UsageError(f"'{procedure_id}' is reserved ({procedure_id}.yaml or its page would "
                         f"clash with procflow's own); choose another id, such as "
                         f"'{procedure_id}-procedure'")
    from pydantic import TypeAdapter, ValidationError

    from procflow.model import Slug, suggest_slug

    try:
        TypeAdapter(Slug).validate_python(procedure_id)
    except ValidationError:
        suggestion = suggest_slug(procedure_id)
        hint = f", such as '{suggestion}'" if suggestion and suggestion != procedure_id else ""
        raise UsageError(f"'{procedure_id}' is not a valid procedure id: use lowercase letters, "
                         f"digits and single hyphens, at most 64 characters{hint}") from None


def owner_block(name: str, email: str | None, handle: str | None) -> str:
    """The lines under ``owner:``; raises ``UsageError`` for a handle the format rejects."""
    from pydantic import ValidationError

    from procflow.model import Owner

    try:
        Owner(name=name, email=email, handle=handle)
    except ValidationError:
        raise UsageError(f"'{handle}' is not a git host handle such as @user or @org/team"
                         ) from None
    lines = [f"  name: {_quoted(name)}"]
    lines += [f"  email: {_quoted(email)}"] if email else []
    lines += [f"  handle: {_quoted(handle)}"] if handle else []
    return "\n".join(lines)


def procedure_text(starter: str, procedure_id: str, *, title: str, owner: str,
                   today: dt.date) -> str:
    """The text of a new procedure from a starter, ready to write."""
    return _fill(starter, {"id": procedure_id, "title": _quoted(title), "owner": owner,
                           "today": today.isoformat()})


def new_procedure(procedure_id: str, folder: Path, *, starter: str = "blank",
                  title: str | None = None, handle: str | None = None,
                  today: dt.date, root: Path | None = None
                  ) -> tuple[Path, list[str]]:
    """Write ``folder/<id>.yaml`` from a starter; returns the path and hints for the user.
    Nothing is written through a symbolic link or outside ``root`` (default: ``folder``)."""
    check_id(procedure_id)
    if starter not in starters():
        raise UsageError(f"no starter '{starter}'; choose one of: {', '.join(starters())}")
    target = folder / f"{procedure_id}.yaml"
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists():
            raise UsageError(f"{display_path(existing)} already exists; choose another id or "
                             "edit that file")
    name, email = git_identity(folder.resolve())
    hints = [] if name else ["git config user.name is not set: fill in owner.name yourself"]
    text = procedure_text(starter, procedure_id, title=title or title_from_id(procedure_id),
                          owner=owner_block(name or "Procedure owner", email, handle),
                          today=today)
    write_text(target, text, root=root or folder, exclusive=True)
    return target, hints


#: what pip may be given in the written CI: a requirement, a URL or a path, one word without
#: quotes, spaces or anything YAML or the shell would read (it lands in ``pip install "…"``)
_INSTALL = re.compile(r"^[A-Za-z0-9._+@/:=<>~!,\[\]%-]+$")


def default_install() -> str:
    """What installed the running procflow, for the CI to install the same: a git URL at
    its commit, a local path or archive URL (pip's ``direct_url.json``, PEP 610), else
    ``procflow==<this version>`` from the package index."""
    from importlib import metadata

    try:
        recorded = metadata.distribution("procflow").read_text("direct_url.json")
        origin = json.loads(recorded) if recorded else None
    except (metadata.PackageNotFoundError, ValueError):
        origin = None
    if isinstance(origin, dict) and isinstance(origin.get("url"), str):
        url, vcs = origin["url"], origin.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("commit_id"):
            return f"git+{url}@{vcs['commit_id']}"
        if url.startswith("file://") and "dir_info" in origin:
            from urllib.parse import unquote, urlparse

            return unquote(urlparse(url).path)  # a checkout: the path pip was given
        return str(url)
    return f"procflow=={__version__}"


def check_install(spec: str) -> str:
    if not _INSTALL.match(spec):
        raise UsageError(f"--install '{printable(spec)}': give one requirement, URL or path "
                         "without spaces or quotes, such as 'procflow==0.1.0', "
                         "'git+https://github.com/acme/procflow@v0.1.0' or '../procflow'")
    return spec


CI_HOSTS = ("github", "gitlab", "both")


def project_files(ci: str = "github", install: str | None = None) -> dict[str, str]:
    """Relative path -> text of every project file ``init`` writes (not the procedure);
    ``install``: what the CI installs procflow from (default: ``default_install()``)."""
    values = {"version": __version__, "repository": REPOSITORY_URL,
              "install": check_install(install or default_install())}
    files = {
        "procflow.yaml": _fill("_procflow", values),
        ".pre-commit-config.yaml": _fill("_pre-commit-config", values),
    }
    if ci in ("github", "both"):
        files[".github/workflows/procflow.yml"] = _fill("_github-workflow", values)
    if ci in ("gitlab", "both"):
        files[".gitlab-ci.yml"] = _fill("_gitlab-ci", values)
    return files


def init_project(root: Path, *, today: dt.date, ci: str = "github",
                 install: str | None = None) -> list[Outcome]:
    """Write a procflow project into ``root`` with the CI of ``ci`` (github, gitlab or both);
    existing files are kept and reported skipped."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file; name a folder to initialise")
    files = project_files(ci, install)
    for relative in files:  # every new file checked first: a refusal leaves no half project
        if not (root / relative).exists() and not (root / relative).is_symlink():
            check_target(root / relative, root)
    outcomes = []
    for relative, text in files.items():
        path = root / relative
        if path.exists() or path.is_symlink():
            outcomes.append(Outcome(path, "it already exists"))
        else:
            write_text(path, text, root=root, exclusive=True)
            outcomes.append(Outcome(path))
    outcomes.append(_starter_procedure(root, today))
    return outcomes


def _starter_procedure(root: Path, today: dt.date) -> Outcome:
    folder = root / "procedures"
    target = folder / f"{STARTER_PROCEDURE}.yaml"
    if folder.is_dir() and discover([folder]):
        return Outcome(target, f"{folder} already holds procedures")
    path, _ = new_procedure(STARTER_PROCEDURE, folder, starter=STARTER_PROCEDURE, today=today,
                            root=root)
    return Outcome(path)

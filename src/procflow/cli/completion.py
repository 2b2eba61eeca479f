"""Shell completion of option values (``procflow --install-completion`` sets the shell up):
rule codes, the formats of -f/--format (each item of render's comma list) and git branches
and tags. Starters and the other fixed choices complete by themselves (they are enums).
Imports stay inside the functions: completion runs procflow once per key press."""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: a command's format names, or a function giving them (called only when the option is used,
#: so a command can take them from a library module without importing it at start-up)
Choices = Sequence[str] | Callable[[], Sequence[str]]

#: at most this many git names offered (a repository can have thousands of tags)
MAX_REVISIONS = 200


def rule_codes(incomplete: str) -> list[str]:
    from procflow.rules import all_rules

    return [rule.code for rule in all_rules() if rule.code.startswith(incomplete.upper())]


def format_names(choices: Choices, many: bool) -> Callable[[str], list[str]]:
    """The completion of a command's -f/--format: the names that start with what is typed;
    with ``many``, ``md,ht`` -> ``md,html`` (the last item of the comma list completed, those
    given kept)."""

    def complete(incomplete: str) -> list[str]:
        names: Sequence[str] = choices() if callable(choices) else choices
        if not many:
            return [name for name in names if name.startswith(incomplete)]
        given, _, last = incomplete.rpartition(",")
        chosen = given.split(",") if given else []
        prefix = f"{given}," if given else ""
        return [prefix + name for name in names if name.startswith(last) and name not in chosen]

    return complete


def git_revisions(incomplete: str) -> list[str]:
    """Local and remote branches and tags of the repository in the working folder."""
    import subprocess

    try:
        listed = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags",
             "refs/remotes"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    names = [name for name in listed.splitlines() if name.startswith(incomplete)]
    return (["HEAD"] if "HEAD".startswith(incomplete) else []) + names[:MAX_REVISIONS]

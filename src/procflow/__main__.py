"""The console script and ``python -m procflow``: answers ``procflow --version`` before
importing the CLI framework, then hands everything else to the typer app."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from procflow import __version__

        sys.stdout.write(f"procflow {__version__}\n")
        return
    from procflow.cli import app

    app()


if __name__ == "__main__":
    main()

"""The console script and ``python -m procflow``: makes the output streams safe, answers
``procflow --version`` before importing the CLI framework, then hands everything else to the
typer app.

The streams are set to escape what their encoding cannot show (``\\uXXXX``), so a
Latin-1 or ASCII locale (``LC_ALL=C``, ``PYTHONIOENCODING=latin-1``), a "→" of procflow's own
or a file name that is not UTF-8 never crashes a run. Environment faults found here (a closed
stdout, a deleted working folder) are one line on stderr and exit 2.
"""

from __future__ import annotations

import codecs
import os
import sys


def _escape(error: UnicodeError) -> tuple[str, int]:
    """What the stream's encoding cannot show, as ``\\uXXXX`` escapes (a surrogate pair of
    them beyond U+FFFF): readable in text and, unlike ``backslashreplace`` (``\\xe9``,
    ``\\U0001f600``), a valid escape inside a JSON or SARIF string."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def _safe_streams() -> None:
    codecs.register_error("procflow.escape", _escape)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="procflow.escape")


def _fail(message: str) -> None:
    if sys.stderr is not None:
        sys.stderr.write(f"procflow: {message}\n")
    raise SystemExit(2)


def main() -> None:
    _safe_streams()
    if sys.stdout is None:
        _fail("standard output is closed; run procflow with an open stdout (or > /dev/null)")
    try:
        os.getcwd()
    except OSError:
        _fail("the working folder no longer exists (deleted or moved); cd into an existing "
              "folder and run again")
    if sys.argv[1:] == ["--version"]:
        from procflow import __version__

        try:
            sys.stdout.write(f"procflow {__version__}\n")
            sys.stdout.flush()
        except OSError as error:  # closed or broken stdout
            _fail(f"cannot write to standard output: {error.strerror or error}")
        return
    from procflow.cli import app
    from procflow.cli.app import machine_fault, silence_stdout

    try:
        app()
    except SystemExit:
        _flush_stdout()  # here, where a failure is one line, not at exit with a traceback
        raise
    except BrokenPipeError:  # procflow --help | head -1: the reader went away, stop quietly
        silence_stdout()
        raise SystemExit(141) from None
    except OSError as error:  # --help or a usage message into a full or failing stdout
        fault = machine_fault(error)
        if fault is None:
            raise
        _fail(fault)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        from procflow.cli.app import silence_stdout

        silence_stdout()
    except OSError as error:
        from procflow.cli.app import machine_fault

        _fail(machine_fault(error) or f"cannot write the output: {error.strerror}")


if __name__ == "__main__":
    main()

"""Running one function over many inputs in worker processes, when there are enough inputs
for the second core to pay for starting it (validate, diff and render of a whole tree)."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: fewer inputs than this are handled in this process: starting workers would cost more
PARALLEL_FROM = 48


def default_jobs() -> int:
    return min(2, os.cpu_count() or 1)


def max_jobs() -> int:
    """The most worker processes a run starts, whatever ``--jobs`` asks: twice the cores
    (``--jobs 300`` would otherwise start 300 processes)."""
    return 2 * (os.cpu_count() or 1)


def map_in_processes(function: Callable[..., T], arguments: Sequence[tuple[Any, ...]],
                     jobs: int | None = None) -> list[T]:
    """``[function(*a) for a in arguments]``, in ``jobs`` processes (default: up to 2 when
    there are many arguments); results in the order of the arguments."""
    return list(imap_in_processes(function, arguments, jobs))


def imap_in_processes(function: Callable[..., T], arguments: Sequence[tuple[Any, ...]],
                      jobs: int | None = None, *, chunk: int = 64
                      ) -> Generator[T, None, None]:
    """``map_in_processes`` one result at a time, as they come. Workers get at most ``chunk``
    arguments at once (a small one when calls are slow, so the workers finish together).
    Closing the iterator early cancels the chunks not started and waits for the others."""
    workers = min(jobs, max_jobs()) if jobs is not None else (
        default_jobs() if len(arguments) >= PARALLEL_FROM else 1)
    if workers <= 1 or len(arguments) < 2:
        yield from (function(*a) for a in arguments)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    size = max(1, min(chunk, len(arguments) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield from pool.map(function, *zip(*arguments, strict=True), chunksize=size)

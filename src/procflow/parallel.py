"""Running one function over many inputs in worker processes, when there are enough inputs
for the second core to pay for starting it (validate and diff of a whole tree)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: fewer inputs than this are handled in this process: starting workers would cost more
PARALLEL_FROM = 48


def default_jobs() -> int:
    return min(2, os.cpu_count() or 1)


def map_in_processes(function: Callable[..., T], arguments: Sequence[tuple[Any, ...]],
                     jobs: int | None = None) -> list[T]:
    """``[function(*a) for a in arguments]``, in ``jobs`` processes (default: up to 2) when
    there are many arguments; results in the order of the arguments."""
    workers = jobs if jobs is not None else default_jobs()
    if workers <= 1 or len(arguments) < PARALLEL_FROM:
        return [function(*a) for a in arguments]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, min(64, len(arguments) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        return list(pool.map(function, *zip(*arguments), chunksize=chunk))

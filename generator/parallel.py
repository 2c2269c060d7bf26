"""Share independent work out among processes, for large playbooks.

Loading files and rendering pages are done one item at a time with nothing shared between
items, so a large playbook's items can go to one forked process per CPU. Forked workers inherit
the work (the function, its items and everything they refer to, such as the linked playbook and
the compiled templates) instead of receiving it pickled; only the results travel back, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["JOBS_VARIABLE", "MAX_WORKERS", "fork_map", "workers_for"]

T = TypeVar("T")
R = TypeVar("R")

JOBS_VARIABLE = "PLAYBOOK_JOBS"  # set to 1 to do everything in one process
MAX_WORKERS = 8

# What forked workers run: set by fork_map just before the fork, read by the children.
_TASK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def workers_for(items: int, minimum: int) -> int:
    """How many processes should share ``items`` items: one for fewer than ``minimum`` (the
    workers' start would cost more than it saves), where the system cannot fork, or while
    another thread runs (forking a threaded process, as ``mkdocs serve`` is, may copy a lock
    another thread holds into the child); otherwise one per CPU or ``PLAYBOOK_JOBS``."""
    if items < minimum or sys.platform != "linux" or threading.active_count() > 1:
        return 1
    wanted = os.environ.get(JOBS_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), MAX_WORKERS)
    return min(len(os.sched_getaffinity(0)), MAX_WORKERS)


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[function(item) for item in items]``, shared out among ``workers`` forked processes.

    An exception in a worker is raised here, as it would have been in one process; results
    and exceptions must pickle."""
    if workers < 2 or len(items) < 2:
        return [function(item) for item in items]
    global _TASK
    _TASK = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, len(items) // (workers * 16))
            return pool.map(_run, range(len(items)), chunksize=chunk)
    finally:
        _TASK = None


def _run(index: int) -> Any:
    assert _TASK is not None, "only called in a worker forked by fork_map"
    function, items = _TASK
    return function(items[index])

"""Share independent work out among processes, for large playbooks.

Rendering pages is done one page at a time with nothing shared between pages, so a large
playbook's pages can go to one forked process per CPU. A forked worker inherits its share of
the work (the function, its items and everything they refer to, such as the linked playbook
and the compiled templates) instead of receiving it pickled; only the results travel back.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

__all__ = ["JOBS_VARIABLE", "MAX_WORKERS", "fork_map", "workers_for"]

T = TypeVar("T")
R = TypeVar("R")

JOBS_VARIABLE = "PLAYBOOK_JOBS"  # set to 1 to do everything in one process
MAX_WORKERS = 8


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
    """``[function(item) for item in items]``, shared out among ``workers`` forked processes,
    each taking every ``workers``-th item.

    An exception in a worker is raised here, as it would have been in one process; results
    and exceptions must pickle."""
    if workers < 2 or len(items) < 2:
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    shares = []
    for first in range(workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(function, items[first::workers], sender))
        process.start()
        sender.close()
        shares.append((receiver, process))
    results: list[Any] = [None] * len(items)
    failures = []
    for first, (receiver, process) in enumerate(shares):
        with receiver:
            done, value = receiver.recv()
        process.join()
        if done:
            results[first::workers] = value
        else:
            failures.append(value)
    if failures:
        error, text = failures[0]
        raise error from WorkerTraceback(text)
    return results


class WorkerTraceback(Exception):
    """Where an exception raised in a worker process came from, shown as its cause."""


def _work(function: Callable[[Any], Any], share: Sequence[Any], sender: Connection) -> None:
    with sender:
        try:
            sender.send((True, [function(item) for item in share]))
        except Exception as exc:  # raised again in the parent, with this traceback as cause
            sender.send((False, (exc, "".join(traceback.format_exception(exc)))))

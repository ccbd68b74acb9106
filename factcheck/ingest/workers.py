"""Work in worker processes: how many by default, and results in the order given, a bounded window ahead."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_DEFAULT_WORKERS = 8  # more seldom pays: one process writes every document, and each worker holds its own copy
AHEAD = 2  # items submitted per worker beyond the one the consumer waits for: results held stay this few
ORPHAN_CHECK_S = 0.25  # how often a worker looks whether the process that started it is still there


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask where the platform has one, else the CPU count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """Extraction processes when --workers is not given: 1 for now. Worker processes by default (one per usable
    core, at most 8: `multi_core_workers`) hung an ingest of the hostile-input corpus when started from the test
    suite in CI; until that is understood, more processes are only used when --workers asks for them."""
    return 1


def multi_core_workers() -> int:
    """One extraction process per usable core, at most 8 (what --workers 0 would mean; not the default yet)."""
    return min(usable_cores(), MAX_DEFAULT_WORKERS)


def _context() -> multiprocessing.context.BaseContext:
    """Fork on Linux: workers start with the parent's modules already imported and its string hash seed, so
    whatever depends on set order comes out as it does in one process; the platform default elsewhere."""
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _exit_with_parent(parent: int) -> None:
    """Worker initialiser: end this worker when its parent is gone (killed, say), so that no worker outlives an
    interrupted ingest holding its terminal or pipes."""

    def watch() -> None:
        """Poll the parent's pid; once this process has been re-parented, leave at once."""
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def in_order(fn: Callable[[T], R], items: Sequence[T], workers: int,
             fallback: Callable[[T], R]) -> Generator[R, None, None]:
    """fn(item) for every item, in the order given, computed by `workers` processes and submitted at most
    workers * (AHEAD + 1) items ahead of the consumer, so memory does not grow with the number of items.
    When the pool breaks (a worker killed), the items not yet yielded are computed here by fallback."""
    pending: deque[tuple[T, Future[R]]] = deque()
    rest = iter(items)
    window = workers * (AHEAD + 1)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_exit_with_parent,
                               initargs=(os.getpid(),))
    broken = False
    try:
        for item in rest:
            pending.append((item, pool.submit(fn, item)))
            if len(pending) >= window:
                break
        while pending:
            item, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                break
            for nxt in rest:  # one in for the one out
                pending.append((nxt, pool.submit(fn, nxt)))
                break
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if broken:
        yield fallback(item)
        for item, _ in pending:
            yield fallback(item)
        for item in rest:
            yield fallback(item)

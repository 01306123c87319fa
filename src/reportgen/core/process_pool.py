"""The process pool, in one place, with a serial fallback.

Stages never know whether they run here or in a worker. Workers are forked,
so what the parent already imported and rendered (WeasyPrint, the shared
donor edition) is there without being loaded again. Every forked process dies
with its parent (``become_child``), and a failed or interrupted run stops its
workers instead of waiting for them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TypeVar

from reportgen.core.private_apis import pool_processes

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


_PR_SET_PDEATHSIG = 1


def become_child(parent: int) -> None:
    """First thing in a forked process: die with ``parent`` (pid), and let a
    terminate signal end it at once, whatever handler the parent set.

    Without this a killed build's workers live on, orphaned, writing into
    a staging folder or blocked on a pipe nobody reads."""
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


_STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def forking() -> Iterator[None]:
    """Around starting processes: a stop signal's handler is run only after.

    Handlers run between two steps of Python code, and an exception they raise
    inside the interpreter's at-fork callbacks (logging has some) is printed
    and dropped: the build would go on as if never stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers run in the main thread, never inside this one's fork
        return
    caught: list[int] = []
    held = {stop: handler for stop in _STOPS if callable(handler := signal.getsignal(stop))}
    for stop in held:
        signal.signal(stop, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        for stop, handler in held.items():
            signal.signal(stop, handler)
        for signum in caught[:1]:
            held[signal.Signals(signum)](signum, None)


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=become_child,
        initargs=(os.getpid(),),
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel what has not started, kill what has."""
    processes = pool_processes(pool)  # before shutdown, which forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:  # gone before the caller tidies what they were writing
        process.join(timeout=5)


def run(
    function: Callable[[T], R],
    jobs: Sequence[T],
    workers: int,
    done: Callable[[T, R], None] | None = None,
) -> list[R]:
    """``function`` over ``jobs``, in ``workers`` processes when that helps.

    Results come back in job order; ``done`` is called as each one finishes
    (for progress). A failure in any job is raised here, after the pool stops.
    """
    results: dict[int, R] = {}
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, job in enumerate(jobs):
            results[index] = function(job)
            if done:
                done(job, results[index])
        return [results[i] for i in range(len(jobs))]
    with _pool(min(workers, len(jobs))) as pool:
        try:
            with forking():  # the first submit starts the processes
                futures = {pool.submit(function, job): index for index, job in enumerate(jobs)}
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                if done:
                    done(jobs[index], results[index])
        except BaseException:
            _stop(pool)
            raise
    return [results[i] for i in range(len(jobs))]


def run_meanwhile(
    function: Callable[[T], R],
    jobs: Sequence[T],
    workers: int,
    meanwhile: Callable[[], None],
) -> list[R]:
    """``function`` over ``jobs`` in forked processes while the parent runs
    ``meanwhile`` (say, importing what it needs next): two things at once
    even for a single job. Serial, after ``meanwhile``, with one worker or
    where fork is missing."""
    if not jobs or workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        meanwhile()
        return [function(job) for job in jobs]
    with _pool(min(workers, len(jobs))) as pool:
        try:
            with forking():
                futures = [pool.submit(function, job) for job in jobs]
            meanwhile()
            return [future.result() for future in futures]
        except BaseException:
            _stop(pool)
            raise


def chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

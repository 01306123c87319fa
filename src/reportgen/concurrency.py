"""The process pool, in one place, with a serial fallback.

Stages never know whether they run here or in a worker. Workers are forked,
so what the parent already imported and rendered (WeasyPrint, the shared
donor edition) is there without being loaded again.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


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
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = {pool.submit(function, job): index for index, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                if done:
                    done(jobs[index], results[index])
        except BaseException:
            for future in futures:
                future.cancel()
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
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = [pool.submit(function, job) for job in jobs]
        meanwhile()
        return [future.result() for future in futures]


def chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

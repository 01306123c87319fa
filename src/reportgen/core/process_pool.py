"""The process pool, in one place, with a serial fallback.

Stages never know whether they run here or in a worker. Workers are forked,
so what the parent already imported and rendered (WeasyPrint, the shared
donor edition) is there without being loaded again. Every forked process dies
with its parent (``become_child``), and a failed or interrupted run stops its
workers instead of waiting for them.

Only the thread that forks ever imports. A fork copies the modules of the
whole process, and a module another thread is importing at that instant
reaches the child half made, its import lock held by a thread that does not
exist there: the child's own import of it waits forever. Two threads of
one process importing the same module at once fare no better when the
first one's import ends in an exception: the second finds the name missing
("cannot import name ..."). Unpickling imports the modules of the
classes it meets, so what workers send back (results, exceptions, messages)
crosses as bytes, and the calling thread unpickles it (``_packed``,
``Inbox``): the pool's and the inbox's threads move bytes and import nothing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from reportgen.core.private_apis import modules_being_imported, pool_processes

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

# How long a fork waits for another thread's import to end (``imports_settled``).
SETTLE_SECONDS = 30.0


def imports_settled(limit: float = SETTLE_SECONDS) -> None:
    """Just before a fork: wait while another thread is importing a module.

    The child would get that module half made, with an import lock that no
    thread of the child will ever release, and wait forever for it the first
    time it imports it. Alone in its process, a thread has nothing to wait
    for (a module being imported is its own). After ``limit`` seconds the
    fork goes ahead: a thread stuck in an import must not stop the build."""
    if threading.active_count() == 1:
        return
    deadline = time.monotonic() + limit
    while modules_being_imported() and time.monotonic() < deadline:
        time.sleep(0.005)


@contextmanager
def forking() -> Iterator[None]:
    """Around starting processes: a stop signal's handler is run only after.

    Handlers run between two steps of Python code, and an exception they raise
    inside the interpreter's at-fork callbacks (logging has some) is printed
    and dropped: the build would go on as if never stopped. And no other
    thread is importing at the fork (``imports_settled``)."""
    imports_settled()
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


def _packed(function: Callable[[T], R], job: T) -> tuple[bool, bytes]:
    """In a worker: ``function(job)``, its result or the exception it raised
    pickled here, so that the pool's thread in the parent, which takes it off
    the pipe, unpickles only bytes (and imports nothing)."""
    try:
        return True, pickle.dumps(function(job), pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # raised again by the caller (``_unpacked``)
        exc.add_note("In the worker process:\n" + "".join(traceback.format_exception(exc)))
        try:
            return False, pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot be pickled: its words
            return False, pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


def _unpacked(packed: tuple[bool, bytes]) -> Any:
    """In the thread that asked: a worker's result, or its exception raised."""
    ok, data = packed
    value = pickle.loads(data)
    if not ok:
        raise value
    return value


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
                futures = {
                    pool.submit(_packed, function, job): index for index, job in enumerate(jobs)
                }
            for future in as_completed(futures):
                index = futures[future]
                results[index] = _unpacked(future.result())
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
                futures = [pool.submit(_packed, function, job) for job in jobs]
            meanwhile()  # imports, in this thread only (the module's docstring)
            return [_unpacked(future.result()) for future in futures]
        except BaseException:
            _stop(pool)
            raise


class Inbox:
    """Labelled messages from a forked process (``post``), taken off the pipe
    as they come by a thread of this one, so that the sender never waits on a
    full pipe while this process is busy; each is unpickled by the thread that
    waits for it (``wait_for``), never by the taking thread, which imports
    nothing (the module's docstring). A "failed" message holds the sender's
    exception, raised again by ``wait_for``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._raw: dict[str, bytes] = {}
        self._values: dict[str, Any] = {}
        self._ended = False
        self._arrived = threading.Condition()
        self._taker = threading.Thread(target=self._take, name="reportgen-receiver", daemon=True)
        self._taker.start()

    @staticmethod
    def post(connection: Connection, label: str, value: object) -> None:
        """In the sending process: ``value`` under ``label``."""
        connection.send_bytes(label.encode() + b"\0" + pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    def _take(self) -> None:
        while True:
            try:
                message: bytes | None = self._connection.recv_bytes()
            except (EOFError, OSError):
                message = None
            with self._arrived:
                if message is None:
                    self._ended = True
                else:
                    label, _, data = message.partition(b"\0")
                    self._raw.setdefault(label.decode(), data)
                self._arrived.notify_all()
            if message is None:
                return

    def wait_for(self, label: str) -> Any:
        """The value posted under ``label``, once it has come."""
        with self._arrived:
            self._arrived.wait_for(
                lambda: label in self._raw or "failed" in self._raw or self._ended
            )
            data, failure = self._raw.get(label), self._raw.get("failed")
        if data is not None:
            if label not in self._values:
                self._values[label] = pickle.loads(data)
            return self._values[label]
        if failure is not None:
            raise pickle.loads(failure)
        raise RuntimeError("the other process ended without an answer")

    def close(self) -> None:
        """After the sender has ended: the taking thread gone, the pipe closed."""
        self._taker.join()
        self._connection.close()


def chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

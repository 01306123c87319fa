"""Forks and imports: a forked process never inherits a module that another
thread was halfway through importing, and while processes run for a build
only the thread that asked for them imports (what they send back is
unpickled there, and unpickling imports).

Each test writes a module of its own that nothing has imported yet, so that
who imports it, and when, is what the test controls."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from reportgen.core import process_pool
from reportgen.core.process_pool import Inbox

# A module whose import stops halfway until the test lets it go on (a file
# says so: the child's copy of this code never runs, it only waits).
HALTING = """
import pathlib, time
here = pathlib.Path(__file__).parent
(here / "entered").touch()
while not (here / "released").exists():
    time.sleep(0.005)
VALUE = 42
"""

# A module that notes which thread of which process imported it.
NOTING = """
import os, threading
IMPORTED_BY = (os.getpid(), threading.current_thread().name)

class Thing:
    def __init__(self, value):
        self.value = value

class Failure(Exception):
    pass
"""


def _module(folder: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> str:
    name = f"fork_probe_{uuid.uuid4().hex}"
    (folder / f"{name}.py").write_text(source, "utf-8")
    monkeypatch.syspath_prepend(str(folder))
    return name


def _value_of(name: str) -> int:
    """Worker: import ``name`` here; stopped after 20 s if the import hangs."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"the import of {name} waited for a thread this process does not have")

    signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        return int(importlib.import_module(name).VALUE)
    finally:
        signal.alarm(0)


def test_a_fork_waits_for_another_threads_import_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A thread stopped in the middle of importing a module the workers need:
    # forked at that instant, a worker gets the half-made module and its lock,
    # held by a thread it does not have, and its own import waits forever.
    name = _module(tmp_path, HALTING, monkeypatch)
    importing = threading.Thread(target=importlib.import_module, args=(name,), daemon=True)
    importing.start()
    while not (tmp_path / "entered").exists():
        importing.join(0.005)
    # The import goes on a moment after the workers are asked for.
    threading.Timer(0.2, (tmp_path / "released").touch).start()
    try:
        assert process_pool.run(_value_of, [name, name], 2) == [42, 42]
    finally:
        (tmp_path / "released").touch()
        importing.join()


def _thing(job: tuple[str, bool]) -> Any:
    """Worker: an object of a module the parent has not imported, or its exception."""
    name, fails = job
    module = importlib.import_module(name)
    if fails:
        raise module.Failure("the job failed")
    return module.Thing(7)


def _importer(name: str) -> tuple[int, str]:
    """The process and thread that imported ``name``."""
    return tuple(importlib.import_module(name).IMPORTED_BY)  # type: ignore[return-value]


def _this_thread() -> tuple[int, str]:
    return os.getpid(), threading.current_thread().name


def test_results_are_unpickled_by_the_thread_that_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pool's own thread takes results off the pipe; unpickling them there
    # would import the result's module in that thread, while this one imports
    # something else (a build imports WeasyPrint as its workers draw charts).
    name = _module(tmp_path, NOTING, monkeypatch)
    results = process_pool.run(_thing, [(name, False), (name, False)], 2)
    assert [r.value for r in results] == [7, 7]
    assert _importer(name) == _this_thread()


def test_a_workers_exception_is_unpickled_by_the_thread_that_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _module(tmp_path, NOTING, monkeypatch)
    imports: list[str] = []

    def meanwhile() -> None:
        imports.append(threading.current_thread().name)

    with pytest.raises(Exception, match="the job failed") as raised:
        process_pool.run_meanwhile(_thing, [(name, True), (name, False)], 2, meanwhile)
    assert type(raised.value).__module__ == name
    assert _importer(name) == _this_thread()
    assert imports == [threading.current_thread().name]
    # Where it failed in the worker, for --debug.
    assert any("_thing" in note for note in getattr(raised.value, "__notes__", []))


def _posts(connection: Any, name: str, fails: bool) -> None:
    module = importlib.import_module(name)
    if fails:
        Inbox.post(connection, "failed", module.Failure("the chart process failed"))
    else:
        Inbox.post(connection, "early", "plain text")
        Inbox.post(connection, "thing", module.Thing(3))
    connection.close()


@pytest.mark.parametrize("fails", [False, True], ids=["answers", "fails"])
def test_an_inbox_unpickles_in_the_thread_that_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    name = _module(tmp_path, NOTING, monkeypatch)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_posts, args=(sender, name, fails), daemon=True)
    child.start()
    sender.close()
    inbox = Inbox(receiver)
    try:
        if fails:
            with pytest.raises(Exception, match="the chart process failed"):
                inbox.wait_for("thing")
        else:
            assert inbox.wait_for("thing").value == 3
            assert inbox.wait_for("thing") is inbox.wait_for("thing")  # unpickled once
            assert inbox.wait_for("early") == "plain text"
            with pytest.raises(RuntimeError, match="ended without an answer"):
                inbox.wait_for("never sent")
    finally:
        child.join()
        inbox.close()
    assert _importer(name) == _this_thread()

"""What a long build tells its user as it goes: the commands report their steps
through a ``Progress``; the command line shows them, ``Quiet`` drops them."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a long build tells its user: steps, and bars for long runs."""

    def step(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


class Quiet:
    def step(self, message: str) -> None:
        pass

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass

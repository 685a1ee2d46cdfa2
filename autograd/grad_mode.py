"""Switching graph recording off and on: ``with no_grad(): ...`` builds plain leaves.

The switch is per thread and per asyncio task, as PyTorch's grad mode is per thread: it lives
in a ``contextvars.ContextVar``, so a validation thread inside ``no_grad()`` leaves the
training thread's graph alone. A new thread starts with recording on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "RECORDING"]

RECORDING: ContextVar[bool] = ContextVar("autograd_recording", default=True)
"""Whether ops record their parents in the current thread or task (the engine reads it per node)."""


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (and not inside an ``enable_grad()`` within it)."""
    return RECORDING.get()


@contextmanager
def no_grad() -> Iterator[None]:
    """A context in which ops compute values but record no parents (results are leaves).

    Use it for updates and evaluation, where a graph would only cost memory.
    """
    yield from _recording(False)


@contextmanager
def enable_grad() -> Iterator[None]:
    """A context in which ops record their parents, even inside ``no_grad()``.

    For code that needs the graph whatever its caller chose, as ``compile``'s trace does.
    """
    yield from _recording(True)


def _recording(enabled: bool) -> Iterator[None]:
    """Recording set to ``enabled`` while the context lasts, then put back as it was."""
    token = RECORDING.set(enabled)
    try:
        yield
    finally:
        RECORDING.reset(token)

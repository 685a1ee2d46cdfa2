"""Switching graph recording off and on: ``with no_grad(): ...`` builds plain leaves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["no_grad", "enable_grad", "is_grad_enabled"]


class _GradMode:
    """Whether ops record their parents; one flag for the process, like a global switch."""

    enabled = True


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (and not inside an ``enable_grad()`` within it)."""
    return _GradMode.enabled


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
    previous = _GradMode.enabled
    _GradMode.enabled = enabled
    try:
        yield
    finally:
        _GradMode.enabled = previous

"""Switching graph recording off: ``with no_grad(): ...`` builds plain leaves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["no_grad", "is_grad_enabled"]


class _GradMode:
    """Whether ops record their parents; one flag for the process, like a global switch."""

    enabled = True


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return _GradMode.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """A context in which ops compute values but record no parents (results are leaves).

    Use it for updates and evaluation, where a graph would only cost memory.
    """
    previous = _GradMode.enabled
    _GradMode.enabled = False
    try:
        yield
    finally:
        _GradMode.enabled = previous

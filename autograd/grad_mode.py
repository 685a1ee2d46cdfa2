"""How ops record: off and on (``with no_grad(): ...`` builds plain leaves), and into which scope
(``with scope("attention"): ...`` marks the nodes built there, for the pictures to group).

Both are per thread and per asyncio task, as PyTorch's grad mode is per thread: they live in
``contextvars.ContextVar`` s, so a validation thread inside ``no_grad()`` leaves the training
thread's graph alone. A new thread starts recording, outside any scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "scope", "current_scope", "RECORDING"]

RECORDING: ContextVar[str | None] = ContextVar("autograd_recording", default="")
"""What ops record into in the current thread or task, read once per node: None inside
``no_grad()``, else the scope's path ("" outside any scope)."""

_SCOPE: ContextVar[str] = ContextVar("autograd_scope", default="")
"""The scope's path even under ``no_grad()``, for ``enable_grad()`` to record into again."""


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (and not inside an ``enable_grad()`` within it)."""
    return RECORDING.get() is not None


def current_scope() -> str:
    """The path of the scopes around this point, joined by ``.`` ("" outside any)."""
    return _SCOPE.get()


@contextmanager
def scope(name: str) -> Iterator[str]:
    """A context whose new nodes are marked as built in ``name`` (nested scopes join with ``.``).

    ``draw`` and ``to_html`` group a scope's nodes: ``detail="neurons"`` draws each innermost
    scope as one box and ``detail="layers"`` each scope one level up. ``nn`` marks every neuron
    this way (``layers.1.3``). Yields the full path.

    >>> from autograd import Value
    >>> with scope("attention"):
    ...     y = Value(2.0) * 3
    >>> y.scope
    'attention'
    """
    if not isinstance(name, str) or "" in name.split("."):
        raise ValueError(f"scope: the name must be a non-empty str, no dot at an end or twice, got {name!r}")
    outer = _SCOPE.get()
    path = f"{outer}.{name}" if outer else name
    scope_token = _SCOPE.set(path)
    recording_token = RECORDING.set(None if RECORDING.get() is None else path)
    try:
        yield path
    finally:
        RECORDING.reset(recording_token)
        _SCOPE.reset(scope_token)


@contextmanager
def no_grad() -> Iterator[None]:
    """A context in which ops compute values but record no parents (results are leaves).

    Use it for updates and evaluation, where a graph would only cost memory.
    """
    yield from _recording(None)


@contextmanager
def enable_grad() -> Iterator[None]:
    """A context in which ops record their parents, even inside ``no_grad()``.

    For code that needs the graph whatever its caller chose, as ``compile``'s trace does.
    """
    yield from _recording(_SCOPE.get())


def _recording(into: str | None) -> Iterator[None]:
    """Recording set to ``into`` (None: off) while the context lasts, then put back as it was."""
    token = RECORDING.set(into)
    try:
        yield
    finally:
        RECORDING.reset(token)

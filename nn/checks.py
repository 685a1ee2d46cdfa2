"""The argument checks ``nn`` shares: counts, non-negative numbers and seeds.

Each takes ``who`` (the class or function being called) and ``what`` (the argument), so an
error says where it came from: ``"MLP: nin must be at least 1, got 0"``.
"""

from __future__ import annotations

import math
import random

from autograd.value import as_float

__all__ = ["check_count", "check_nonnegative", "as_rng"]


def check_count(who: str, what: str, n: object, least: int = 1) -> int:
    """``n`` if it is an int >= ``least`` (a bool is not), else an error naming ``who`` and ``what``.

    >>> check_count("moons", "n", 1, least=2)
    Traceback (most recent call last):
    ...
    ValueError: moons: n must be at least 2, got 1
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{who}: {what} must be an int, got {type(n).__name__}: {n!r}")
    if n < least:
        raise ValueError(f"{who}: {what} must be at least {least}, got {n}")
    return n


def check_nonnegative(who: str, what: str, x: object, *, expected: str = "a number") -> float:
    """``x`` as a float if it is a finite number >= 0 (a bool is not), else an error naming ``who``.

    ``expected`` is what the TypeError says ``x`` should have been ("a number or None" where
    the caller also takes None).
    """
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise TypeError(f"{who}: {what} must be {expected}, got {type(x).__name__}: {x!r}")
    if (isinstance(x, float) and not math.isfinite(x)) or x < 0:
        raise ValueError(f"{who}: {what} must be a finite number >= 0, got {x!r}")
    return as_float(x, f"{who}: {what}")  # an int beyond ±1.8e308 is an OverflowError naming who


def as_rng(who: str, seed: int | random.Random | None) -> random.Random:
    """A random generator: ``seed`` itself if it is one, else ``random.Random(seed)``.

    None draws the generator's seed from the ``random`` module, so ``random.seed(0)`` before
    building a model repeats its weights, as it does in micrograd.
    """
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random(random.getrandbits(64))
    if isinstance(seed, bool) or not isinstance(seed, int):
        kind = type(seed).__name__
        raise TypeError(f"{who}: seed must be an int, a random.Random or None, got {kind}: {seed!r}")
    return random.Random(seed)

"""Tiny datasets made in pure Python: inputs as lists of floats, labels as ints.

Each random one takes a ``seed`` and draws from its own ``random.Random``, so a seed gives the
same data on every machine and Python version; None seeds it from the ``random`` module, so
``random.seed`` repeats the data too.
"""

from __future__ import annotations

import math
import random

from nn.checks import as_rng, check_count, check_nonnegative

__all__ = ["moons", "xor", "blobs"]


def moons(
    n: int = 100, noise: float = 0.1, seed: int | random.Random | None = None
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles, like scikit-learn's ``make_moons``, with Gaussian noise.

    The upper moon (label 0) is ``(cos t, sin t)`` for t from 0 to pi, the lower one
    (label 1) is ``(1 - cos t, 0.5 - sin t)``; n // 2 points on the first, the rest on the
    second, shuffled. No line separates them: a classifier needs a hidden layer.

    >>> X, y = moons(4, noise=0.0, seed=0)
    >>> sorted(zip(y, X))[0]
    (0, [-1.0, 1.2246467991473532e-16])
    """
    n = check_count("moons", "n", n, least=2)
    noise = check_nonnegative("moons", "noise", noise)
    rng = as_rng("moons", seed)
    n_upper = n // 2
    samples = [([math.cos(t), math.sin(t)], 0) for t in _angles(n_upper)]
    samples += [([1 - math.cos(t), 0.5 - math.sin(t)], 1) for t in _angles(n - n_upper)]
    rng.shuffle(samples)
    inputs = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for (x, y), _ in samples]
    return inputs, [label for _, label in samples]


def xor(
    n: int = 4, noise: float = 0.0, seed: int | random.Random | None = None
) -> tuple[list[list[float]], list[int]]:
    """Exclusive or: label 1 where exactly one input is 1; ``n`` points around the four corners.

    Sample i sits at corner i % 4 of (0, 0), (0, 1), (1, 0), (1, 1), plus Gaussian noise of
    standard deviation ``noise``, and keeps that corner's label. The defaults give exactly the
    four corners; no line separates the labels, so a classifier needs a hidden layer.

    >>> xor()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n = check_count("xor", "n", n, least=4)
    noise = check_nonnegative("xor", "noise", noise)
    rng = as_rng("xor", seed)
    corners = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    points = [corners[i % 4] for i in range(n)]
    inputs = [[a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)] for a, b in points]
    return inputs, [int(a) ^ int(b) for a, b in points]


def blobs(
    n: int = 90, classes: int = 3, noise: float = 0.5, seed: int | random.Random | None = None
) -> tuple[list[list[float]], list[int]]:
    """``classes`` round clusters of 2-D points, for multi-class classification (cross-entropy).

    Class k is centred at distance 2 from the origin at angle 2·pi·k/classes, with Gaussian
    noise of standard deviation ``noise``; sample i has class i % classes.
    """
    n = check_count("blobs", "n", n)
    classes = check_count("blobs", "classes", classes, least=2)
    noise = check_nonnegative("blobs", "noise", noise)
    rng = as_rng("blobs", seed)
    centres = [(2 * math.cos(2 * math.pi * k / classes), 2 * math.sin(2 * math.pi * k / classes))
               for k in range(classes)]
    labels = [i % classes for i in range(n)]
    inputs = [[centres[k][0] + rng.gauss(0.0, noise), centres[k][1] + rng.gauss(0.0, noise)] for k in labels]
    return inputs, labels


def _angles(count: int) -> list[float]:
    """``count`` angles evenly from 0 to pi, both ends included."""
    if count == 1:
        return [0.0]
    return [math.pi * i / (count - 1) for i in range(count)]

"""nn.datasets: moons, xor and blobs are the right shape, deterministic under a seed, and checked."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn


@given(st.integers(2, 200), st.integers(0, 2**32))
def test_moons_has_n_points_split_between_two_labels(n: int, seed: int) -> None:
    """n points of two features; n // 2 on the upper moon (label 0), the rest on the lower one."""
    inputs, labels = nn.datasets.moons(n, noise=0.1, seed=seed)
    assert len(inputs) == len(labels) == n
    assert all(len(x) == 2 and all(isinstance(v, float) for v in x) for x in inputs)
    assert labels.count(0) == n // 2 and labels.count(1) == n - n // 2


def test_moons_without_noise_lie_on_their_half_circles() -> None:
    """Label 0 points are on the unit circle's upper half; label 1 points on the shifted lower one."""
    inputs, labels = nn.datasets.moons(50, noise=0.0, seed=0)
    for (x, y), label in zip(inputs, labels):
        if label == 0:
            assert math.isclose(math.hypot(x, y), 1.0) and y >= 0
        else:
            assert math.isclose(math.hypot(x - 1, y - 0.5), 1.0) and y <= 0.5 + 1e-12


def test_moons_are_shuffled() -> None:
    """The two moons are interleaved, not one block after the other."""
    _, labels = nn.datasets.moons(100, seed=0)
    assert labels != sorted(labels)


def test_a_seed_repeats_the_data_and_another_changes_it() -> None:
    """Same seed, same points (moons and blobs); different seeds, different points."""
    assert nn.datasets.moons(30, 0.2, seed=5) == nn.datasets.moons(30, 0.2, seed=5)
    assert nn.datasets.moons(30, 0.2, seed=5) != nn.datasets.moons(30, 0.2, seed=6)
    assert nn.datasets.blobs(30, seed=5) == nn.datasets.blobs(30, seed=5)
    assert nn.datasets.blobs(30, seed=5) != nn.datasets.blobs(30, seed=6)


def test_xor_is_exclusive_or() -> None:
    """By default exactly the four corners, label 1 exactly where one input is 1."""
    inputs, labels = nn.datasets.xor()
    assert inputs == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert labels == [0, 1, 1, 0]
    assert nn.datasets.xor(seed=3) == nn.datasets.xor(4, noise=0.0)


@given(st.integers(4, 60), st.integers(0, 2**32))
def test_noisy_xor_draws_points_around_the_corners(n: int, seed: int) -> None:
    """Sample i lies near corner i % 4 and keeps its label; a seed repeats the points."""
    inputs, labels = nn.datasets.xor(n, noise=0.05, seed=seed)
    corners = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    assert len(inputs) == len(labels) == n
    for i, ((x, y), label) in enumerate(zip(inputs, labels)):
        a, b = corners[i % 4]
        assert math.hypot(x - a, y - b) < 0.5 and label == int(a != b)
    assert nn.datasets.xor(n, noise=0.05, seed=seed) == (inputs, labels)
    assert nn.datasets.xor(n, noise=0.05, seed=seed + 1) != (inputs, labels)


def test_random_seed_repeats_data_made_without_a_seed() -> None:
    """seed=None draws from the random module, so random.seed(0) before each call repeats the data."""
    makers: list[Callable[[], object]] = [
        lambda: nn.datasets.moons(20), lambda: nn.datasets.blobs(20), lambda: nn.datasets.xor(8, 0.1)
    ]
    for make in makers:
        random.seed(0)
        first = make()
        random.seed(0)
        assert make() == first
        assert make() != first


@given(st.integers(1, 100), st.integers(2, 6))
def test_blobs_are_balanced_around_evenly_spaced_centres(n: int, classes: int) -> None:
    """Sample i has class i % classes; without noise it sits at its centre, 2 from the origin."""
    inputs, labels = nn.datasets.blobs(n, classes=classes, noise=0.0, seed=0)
    assert labels == [i % classes for i in range(n)]
    for (x, y), k in zip(inputs, labels):
        angle = 2 * math.pi * k / classes
        assert math.isclose(x, 2 * math.cos(angle), abs_tol=1e-12)
        assert math.isclose(y, 2 * math.sin(angle), abs_tol=1e-12)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.datasets.moons(1), ValueError, "moons: n must be at least 2, got 1"),
        (lambda: nn.datasets.moons(10.0), TypeError, "moons: n must be an int"),  # type: ignore[arg-type]
        (lambda: nn.datasets.moons(10, noise=-1.0), ValueError, "moons: noise must be a finite number >= 0"),
        (lambda: nn.datasets.blobs(10, classes=1), ValueError, "blobs: classes must be at least 2"),
        (lambda: nn.datasets.blobs(10, noise="a"), TypeError, "blobs: noise must be a number"),  # type: ignore[arg-type]
        (lambda: nn.datasets.xor(3), ValueError, "xor: n must be at least 4, got 3"),
        (lambda: nn.datasets.xor(8, noise=math.inf), ValueError, "xor: noise must be a finite number >= 0"),
        (lambda: nn.datasets.xor(8, seed=1.5), TypeError, "xor: seed must be an int"),  # type: ignore[arg-type]
        (lambda: nn.datasets.blobs(True), TypeError, "blobs: n must be an int, got bool"),
        (lambda: nn.datasets.moons(10, noise=10**400), OverflowError, "moons: noise is too large"),
    ],
)
def test_bad_arguments_name_the_dataset(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """Sizes and noise are checked, with the dataset's name in the message."""
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)

"""no_grad: ops inside it compute values but record nothing, and the previous state always returns."""

from __future__ import annotations

import asyncio
import threading

import pytest

from autograd import Value, dot, enable_grad, grad, is_grad_enabled, no_grad


def test_results_inside_no_grad_are_leaves() -> None:
    """Every kind of op gives a leaf: no op, no parents, no local derivatives."""
    x, y = Value(2.0), Value(3.0)
    with no_grad():
        results = [x + y, x * 2, 2 - x, x / y, x**2, 2**x, -x, x.tanh(), x.log(), dot([x], [y], 1.0)]
    for result in results:
        assert (result.op, result.parents, result.local_grads) == ("", (), ())


def test_values_are_still_computed() -> None:
    """no_grad changes what is recorded, not what is computed."""
    x = Value(0.5)
    with no_grad():
        inside = (x * 4 + 1).exp()
    outside = (x * 4 + 1).exp()
    assert inside.data == outside.data


def test_a_no_grad_result_does_not_pass_gradient_back() -> None:
    """A graph that goes through a no_grad result stops there: its inputs get no gradient."""
    x = Value(3.0)
    with no_grad():
        frozen = x * x
    out = frozen * x
    out.backward()
    assert x.grad == 9.0  # only the direct use of x; frozen is a constant


def test_bad_input_is_still_refused() -> None:
    """Errors do not depend on recording: log(0) raises inside no_grad too."""
    with no_grad(), pytest.raises(ValueError, match=r"^log\(0\.0\)"):
        Value(0.0).log()


def test_is_grad_enabled_follows_the_context() -> None:
    """True outside, False inside."""
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_nesting_restores_the_previous_state() -> None:
    """Leaving an inner no_grad keeps the outer one in force; leaving the outer one ends it."""
    with no_grad():
        with no_grad():
            assert not is_grad_enabled()
        assert not is_grad_enabled()
        assert (Value(1.0) * 2).is_leaf
    assert is_grad_enabled()
    assert not (Value(1.0) * 2).is_leaf


def test_state_is_restored_after_an_exception() -> None:
    """An exception inside no_grad does not leave recording switched off."""
    with pytest.raises(ZeroDivisionError), no_grad():
        Value(1.0) / 0
    assert is_grad_enabled()
    assert (Value(1.0) * 2).op == "*"


def test_grad_with_create_graph_inside_no_grad_records_nothing() -> None:
    """The gradients come out right but, recorded under no_grad, without history."""
    x = Value(2.0)
    y = x * x * x
    with no_grad():
        (g,) = grad(y, [x], create_graph=True)
    assert g.data == 12.0 and g.is_leaf


def test_no_grad_works_as_a_decorator() -> None:
    """@no_grad() on a function, as in PyTorch: its ops record nothing, and recording resumes after."""

    @no_grad()
    def update(p: Value) -> Value:
        return p - 0.1 * p

    assert update(Value(1.0)).is_leaf
    assert is_grad_enabled()


def test_enable_grad_records_inside_no_grad() -> None:
    """enable_grad() switches recording back on within no_grad(); leaving it restores no_grad."""
    with no_grad():
        with enable_grad():
            assert is_grad_enabled()
            assert (Value(1.0) * 2).op == "*"
        assert not is_grad_enabled()
        assert (Value(1.0) * 2).is_leaf
    assert is_grad_enabled()


def test_enable_grad_restores_the_state_after_an_exception() -> None:
    """An exception inside enable_grad() leaves recording as it was before it: off, in no_grad."""
    with no_grad():
        with pytest.raises(ZeroDivisionError), enable_grad():
            Value(1.0) / 0
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_in_one_thread_leaves_another_recording() -> None:
    """Grad mode is per thread: a validation thread inside no_grad() does not switch training off."""
    inside, done = threading.Event(), threading.Event()

    def validate() -> None:
        with no_grad():
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=validate)
    thread.start()
    inside.wait(5)
    try:
        w, x = Value(3.0, "w"), Value(2.0, "x")
        y = w * x
        y.backward()
        assert is_grad_enabled() and y.parents == (w, x) and w.grad == 2.0
    finally:
        done.set()
        thread.join()


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on() -> None:
    """Two threads entering and leaving no_grad() out of step cannot leave the process with it off."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with no_grad():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with no_grad():
            second_in.set()
            first_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert is_grad_enabled() and (Value(1.0) * 2).parents


def test_a_new_thread_records_whatever_its_starter_chose() -> None:
    """A thread started inside no_grad() begins with recording on, as PyTorch's threads do."""
    seen: list[bool] = []
    with no_grad():
        thread = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def test_grad_mode_is_per_asyncio_task() -> None:
    """An evaluation task awaiting inside no_grad() does not stop another task's graph."""

    async def evaluate(pause: asyncio.Event) -> None:
        with no_grad():
            await pause.wait()

    async def train(pause: asyncio.Event) -> tuple[Value, ...]:
        y = Value(2.0) * Value(3.0)
        pause.set()
        return y.parents

    async def both() -> tuple[Value, ...]:
        pause = asyncio.Event()
        evaluation = asyncio.create_task(evaluate(pause))
        await asyncio.sleep(0)  # the evaluation task is inside no_grad() now
        parents = await train(pause)
        await evaluation
        return parents

    assert len(asyncio.run(both())) == 2

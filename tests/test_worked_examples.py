"""The worked examples: the 2-2-2 sigmoid network's printed numbers, the delta rule, the 2-2-1 network's
partial derivatives and the corrected numpy backward, and each loss against its formula."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from demos import linear_network, losses_and_stopping, sigmoid_network

# The 2-2-2 sigmoid network in float64 by PyTorch 2.13.0 (CPU): the example's Net with
# torch.set_default_dtype(torch.float64), loss = sum((out - target)**2) / 2, loss.backward(),
# then SGD(lr=0.5).step(); printed with tolist() / repr (full precision).
TORCH_OUTPUT = [0.7513650695523157, 0.7729284653214625]
TORCH_LOSS = 0.2983711087600027
TORCH_GRADS = {
    "layers.0.weight": [[0.0004385677344743467, 0.0008771354689486934],
                        [0.0004977127352608599, 0.0009954254705217198]],
    "layers.0.bias": [0.008771354689486933, 0.009954254705217198],
    "layers.1.weight": [[0.08216704056423077, 0.08266762784753325],
                        [-0.022602540477475067, -0.02274024221597822]],
    "layers.1.bias": [0.13849856162855695, -0.03809823651655623],
}
TORCH_STATE_AFTER_STEP = {
    "layers.0.weight": [[0.1497807161327628, 0.19956143226552567],
                        [0.24975114363236958, 0.29950228726473915]],
    "layers.0.bias": [0.3456143226552565, 0.3450228726473914],
    "layers.1.weight": [[0.35891647971788465, 0.4086661860762334],
                        [0.5113012702387375, 0.5613701211079891]],
    "layers.1.bias": [0.5307507191857215, 0.6190491182582781],
}


def _flat(x: object) -> list[float]:
    if isinstance(x, list):
        return [item for part in x for item in _flat(part)]
    assert isinstance(x, float)
    return [x]


def _assert_close(ours: object, reference: object, tol: float) -> None:
    ours_flat, reference_flat = _flat(ours), _flat(reference)
    assert len(ours_flat) == len(reference_flat)
    for a, b in zip(ours_flat, reference_flat):
        assert abs(a - b) <= tol, (ours, reference)


def _sigmoid_network_after_backward() -> tuple[nn.MLP, list[float], float]:
    model = sigmoid_network.build()
    outputs, loss = sigmoid_network.loss_of(model)
    loss.backward()
    return model, [out.data for out in outputs], loss.data


def test_sigmoid_network_forward_matches_torch_and_the_printout() -> None:
    """Outputs 0.7514, 0.7729 and loss 0.2984: to 1e-12 of float64 PyTorch and to 4 digits."""
    _, outputs, loss = _sigmoid_network_after_backward()
    _assert_close(outputs, TORCH_OUTPUT, 1e-12)
    assert abs(loss - TORCH_LOSS) <= 1e-12
    _assert_close([round(x, 4) for x in outputs], sigmoid_network.PRINTED["output"], 1e-12)
    assert round(loss, 4) == sigmoid_network.PRINTED["loss"]


def test_sigmoid_network_gradients_match_torch_and_the_printout() -> None:
    """Every parameter's gradient to 1e-12 of PyTorch; the printed weight grads to 4 digits."""
    model, _, _ = _sigmoid_network_after_backward()
    grads = model.grad_dict()
    assert list(grads) == list(TORCH_GRADS)
    for key, reference in TORCH_GRADS.items():
        _assert_close(grads[key], reference, 1e-12)
        printed = sigmoid_network.PRINTED.get(f"{key}.grad")
        if printed is not None:
            _assert_close([round(g, 4) for g in _flat(grads[key])], _flat(printed), 1e-12)


def test_sigmoid_network_state_after_one_sgd_step_matches_torch_and_the_printout() -> None:
    """One SGD step at lr 0.5 leaves PyTorch's state dict (1e-12) and the example's printed one."""
    model, _, _ = _sigmoid_network_after_backward()
    nn.SGD(model.parameters(), lr=sigmoid_network.LR).step()
    state = model.state_dict()
    assert list(state) == list(TORCH_STATE_AFTER_STEP)
    for key, reference in TORCH_STATE_AFTER_STEP.items():
        _assert_close(state[key], reference, 1e-12)
        printed = sigmoid_network.PRINTED[key]
        _assert_close([round(x, 4) for x in _flat(state[key])], _flat(printed), 1e-12)


def test_sigmoid_network_state_survives_a_save_and_load(tmp_path: Path) -> None:
    """The state after the step, saved and loaded into a fresh copy of the example's net, is the same."""
    model, _, _ = _sigmoid_network_after_backward()
    nn.SGD(model.parameters(), lr=sigmoid_network.LR).step()
    model.save(tmp_path / "sigmoid_network.json")
    fresh = sigmoid_network.build()
    fresh.load(tmp_path / "sigmoid_network.json")
    assert fresh.state_dict() == model.state_dict()


def test_sigmoid_network_step_by_step_backward_leaves_what_backward_leaves() -> None:
    """Exhausting backward_steps() gives the gradients to the last bit, naming z, a and the parameters."""
    model, _, _ = _sigmoid_network_after_backward()
    expected = model.grad_dict()
    stepped_model = sigmoid_network.build()
    _, loss = sigmoid_network.loss_of(stepped_model)
    steps = list(loss.backward_steps())
    assert steps and steps[0].node is loss
    assert stepped_model.grad_dict() == expected
    text = "\n".join(map(str, steps))
    for name in ("a1_0 = sigmoid(z1_0)", "z0_1 = w0_1_0*x0 + w0_1_1*x1 + b0_1", "w1_1_1.grad"):
        assert name in text


_weights = st.floats(-3, 3, allow_nan=False)


@given(st.lists(_weights, min_size=12, max_size=12), st.lists(st.floats(0, 1), min_size=4, max_size=4))
def test_delta_rule_equals_backward(numbers: list[float], data: list[float]) -> None:
    """The δ recursion, dE/dw_ji = δ_j·a_i and dE/db_j = δ_j give backward's gradients on any net."""
    model = sigmoid_network.build()
    model.load_state_dict({
        "layers.0.weight": [numbers[0:2], numbers[2:4]], "layers.0.bias": numbers[4:6],
        "layers.1.weight": [numbers[6:8], numbers[8:10]], "layers.1.bias": numbers[10:12],
    })
    inputs, target = data[:2], data[2:]
    outputs = model(inputs)
    assert isinstance(outputs, list)
    loss = sum(((out - t) ** 2 for out, t in zip(outputs, target)), Value(0.0)) / 2
    loss.backward()
    by_hand = sigmoid_network.delta_rule(model, inputs, target)
    grads = model.grad_dict()
    for key, value in by_hand.items():
        _assert_close(value, grads[key], 1e-12)


def test_forward_difference_approximates_backward() -> None:
    """(C(w + ε·e_j) - C(w)) / ε, one extra forward pass per weight, approaches each gradient as ε shrinks."""
    model, _, loss = _sigmoid_network_after_backward()
    epsilon = 1e-7
    for parameter in model.parameters():
        original = parameter.data
        parameter.data = original + epsilon
        _, shifted = sigmoid_network.loss_of(model)
        parameter.data = original
        assert abs((shifted.data - loss) / epsilon - parameter.grad) < 1e-6


@given(st.fixed_dictionaries(dict.fromkeys(linear_network.EXAMPLE, _weights)))
def test_linear_network_every_partial_equals_its_formula(numbers: dict[str, float]) -> None:
    """For any weights, inputs and target, each of the twelve derivatives equals its formula."""
    rows = linear_network.partials(numbers)
    assert len(rows) == 12
    for row in rows:
        assert math.isclose(row.engine, row.by_hand, rel_tol=1e-12, abs_tol=1e-12), row


@given(st.integers(0, 2**32))
def test_linear_network_corrected_numpy_backward_agrees_with_the_engine(seed: int) -> None:
    """The fixed numpy-style backward of the tanh MLP gives the engine's gradients."""
    inputs, labels = nn.datasets.xor()
    targets = [float(label) for label in labels]
    model = nn.MLP(2, [4, 1], activation="tanh", seed=seed)
    errors = []
    for x, t in zip(inputs, targets):
        y = model(x)
        assert isinstance(y, Value)
        errors.append((y - t) ** 2 / 2)
    sum(errors[1:], errors[0]).backward()
    by_hand = linear_network.hand_backward(model, inputs, targets)
    engine = model.grad_dict()
    for key, grads in by_hand.items():
        _assert_close(grads, engine[key], 1e-12)


@pytest.mark.parametrize("example", losses_and_stopping.examples(), ids=lambda example: example.name)
def test_each_loss_equals_its_formula(example: losses_and_stopping.LossExample) -> None:
    """Each loss on its example equals the formula evaluated by hand."""
    assert math.isclose(example.value, example.by_hand, rel_tol=1e-12)

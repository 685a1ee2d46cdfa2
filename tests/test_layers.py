"""nn.Neuron, nn.Layer and nn.MLP: forward, outputs, shapes, activations, seeded init, gradients, errors."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, numerical_grad, sin

_BY_HAND: dict[str, Callable[[float], float]] = {
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "linear": lambda z: z,
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "softplus": lambda z: math.log1p(math.exp(z)),
}


@pytest.mark.parametrize("activation", list(_BY_HAND))
def test_neuron_computes_activation_of_weighted_sum(activation: str) -> None:
    """A neuron's output is activation(w1*x1 + w2*x2 + b), by hand, on both sides of 0."""
    neuron = nn.Neuron(2, activation=activation)
    for bias in (0.25, -0.5):
        neuron.load_state_dict({"weight": [0.5, -2.0], "bias": bias})
        out = neuron([1.5, 0.3])
        assert math.isclose(out.data, _BY_HAND[activation](0.5 * 1.5 - 2.0 * 0.3 + bias), rel_tol=1e-15)


def test_none_is_the_linear_activation() -> None:
    """activation=None, like out_activation=None, leaves w·x + b as it is."""
    model = nn.MLP(1, [1, 1], activation=None)
    model.load_state_dict({"layers.0.weight": [[-1.0]], "layers.0.bias": [0.5],
                           "layers.1.weight": [[2.0]], "layers.1.bias": [-0.25]})
    out = model([3.0])
    assert isinstance(out, Value) and out.data == 2.0 * (-3.0 + 0.5) - 0.25
    assert nn.Neuron(1, activation=None, seed=0)([1.0]).op == "dot"


def test_a_function_of_a_value_can_be_the_activation() -> None:
    """A callable Value -> Value is applied after w·x + b, and the gradient flows through it."""
    neuron = nn.Neuron(1, activation=sin)
    neuron.load_state_dict({"weight": [2.0], "bias": 0.5})
    x = Value(0.25)
    out = neuron([x])
    assert out.data == math.sin(2.0 * 0.25 + 0.5)
    out.backward()
    assert math.isclose(x.grad, 2.0 * math.cos(1.0), rel_tol=1e-15)
    assert repr(nn.MLP(2, [3, 1], activation=sin)) == "MLP(2, [3, 1], activation=sin)"


def test_an_activation_returning_a_number_is_refused() -> None:
    """math.tanh turns a Value into a float, cutting the graph: a TypeError says so at the call."""
    neuron = nn.Neuron(2, activation=math.tanh, seed=0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Neuron: activation tanh returned float, not a Value"):
        neuron([1.0, 2.0])


def test_forward_is_what_a_call_runs() -> None:
    """Neuron, Layer and MLP define forward; calling the module gives the same numbers and checks."""
    x = [0.3, -0.7]
    for module in (nn.Neuron(2, seed=0), nn.Layer(2, 3, seed=0), nn.MLP(2, [3, 2], seed=0)):
        called, forwarded = module(x), module.forward(x)
        assert str(called) == str(forwarded)
        with pytest.raises(ValueError, match=f"{type(module).__name__}: expected 2 inputs, got 1"):
            module.forward([1.0])


def test_random_seed_repeats_a_model_built_without_a_seed() -> None:
    """seed=None draws from the random module, so random.seed(0) before each build repeats it."""
    for build in (lambda: nn.MLP(2, [3, 1]), lambda: nn.Layer(2, 2), lambda: nn.Neuron(3)):
        random.seed(0)
        first = build().state_dict()
        random.seed(0)
        assert build().state_dict() == first
        assert build().state_dict() != first


def test_layer_always_returns_a_list() -> None:
    """Even a one-output layer returns a list, so MLP(2, [16, 1, 1]) works."""
    assert isinstance(nn.Layer(2, 1, seed=0)([1.0, 2.0]), list)
    model = nn.MLP(2, [16, 1, 1], seed=0)
    assert isinstance(model([1.0, 2.0]), Value)


def test_mlp_returns_a_value_for_one_output_and_a_list_otherwise() -> None:
    """MLP(.., [.., 1]) gives a Value; MLP(.., [.., 3]) a list of three."""
    assert isinstance(nn.MLP(2, [3, 1], seed=0)([0.1, 0.2]), Value)
    outputs = nn.MLP(2, [3, 3], seed=0)([0.1, 0.2])
    assert isinstance(outputs, list) and len(outputs) == 3


def test_mlp_uses_activation_inside_and_out_activation_last() -> None:
    """Hidden layers use `activation`; the last uses `out_activation` (default linear), by hand."""
    model = nn.MLP(1, [1, 1], activation="relu", out_activation="sigmoid")
    model.load_state_dict({"layers.0.weight": [[-1.0]], "layers.0.bias": [0.5],
                           "layers.1.weight": [[2.0]], "layers.1.bias": [-0.25]})
    out = model([-3.0])
    assert isinstance(out, Value)
    assert math.isclose(out.data, 1 / (1 + math.exp(-(2.0 * max(3.5, 0) - 0.25))), rel_tol=1e-15)
    linear = nn.MLP(1, [1, 1], activation="relu")
    linear.load_state_dict(model.state_dict())
    linear_out = linear([-3.0])
    assert isinstance(linear_out, Value)
    assert linear_out.data == 2.0 * 3.5 - 0.25


def test_floats_and_values_give_the_same_output_and_values_get_gradients() -> None:
    """Inputs may be floats or Values; Values receive the gradient of the output."""
    model = nn.MLP(2, [4, 1], seed=3)
    x = [Value(0.3), Value(-0.7)]
    out_values, out_floats = model(x), model([0.3, -0.7])
    assert isinstance(out_values, Value) and isinstance(out_floats, Value)
    assert out_values.data == out_floats.data
    out_values.backward()

    def f(a: Value, b: Value) -> Value:
        result = model([a, b])
        assert isinstance(result, Value)
        return result

    for value, numeric in zip(x, numerical_grad(f, [0.3, -0.7])):
        assert math.isclose(value.grad, numeric, rel_tol=1e-6, abs_tol=1e-9)


@given(st.integers(0, 2**32), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_mlp_parameter_gradients_match_finite_differences(seed: int, inputs: list[float]) -> None:
    """backward() through an MLP gives every parameter's gradient, as central differences do."""
    model = nn.MLP(3, [3, 2], activation="tanh", seed=seed)
    parameters = model.parameters()

    def loss_at(*values: Value) -> Value:
        for p, value in zip(parameters, values):
            p.data = value.data
        outputs: Value | list[Value] = model(inputs)
        assert isinstance(outputs, list)
        return outputs[0] * outputs[1] + outputs[0]

    start = [p.data for p in parameters]
    loss_at(*[Value(x) for x in start]).backward()
    analytic = [p.grad for p in parameters]
    numeric = numerical_grad(loss_at, start)
    for a, n in zip(analytic, numeric):
        assert math.isclose(a, n, rel_tol=1e-5, abs_tol=1e-8)


def test_a_seed_repeats_the_initial_weights() -> None:
    """Same seed, same weights; another seed, other weights; a Random is used as given."""
    assert nn.MLP(2, [5, 1], seed=7).state_dict() == nn.MLP(2, [5, 1], seed=7).state_dict()
    assert nn.MLP(2, [5, 1], seed=7).state_dict() != nn.MLP(2, [5, 1], seed=8).state_dict()
    assert nn.Layer(3, 2, seed=random.Random(4)).state_dict() == nn.Layer(3, 2, seed=4).state_dict()


@given(st.integers(1, 20), st.integers(0, 2**32))
def test_initial_weights_lie_within_pytorchs_bound(nin: int, seed: int) -> None:
    """Weights and biases start uniform in ±1/sqrt(nin), like nn.Linear's default."""
    layer = nn.Layer(nin, 3, seed=seed)
    bound = 1 / math.sqrt(nin)
    assert all(-bound <= p.data <= bound for p in layer.parameters())


def test_one_neuron_node_per_unit() -> None:
    """A neuron's weighted sum is one dot node: the output's parent is w·x + b with 2n + 1 parents."""
    neuron = nn.Neuron(3, activation="tanh", seed=0)
    out = neuron([1.0, 2.0, 3.0])
    assert out.op == "tanh"
    assert out.parents[0].op == "dot" and len(out.parents[0].parents) == 7


def test_reprs_say_what_was_built() -> None:
    """The repr of each module shows its constructor arguments."""
    assert repr(nn.Neuron(2, "relu")) == "Neuron(2, activation='relu')"
    assert repr(nn.Layer(2, 3)) == "Layer(2, 3, activation='tanh')"
    assert repr(nn.MLP(2, [3, 1], out_activation="sigmoid")) == (
        "MLP(2, [3, 1], activation='tanh', out_activation='sigmoid')"
    )
    assert repr(nn.MLP(2, [3, 1], activation=None)) == "MLP(2, [3, 1], activation=None)"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.MLP(2, [3, 1], seed=0)([1.0]), ValueError, "MLP: expected 2 inputs, got 1"),
        (lambda: nn.MLP(2, [3, 1])([1.0, "x"]), TypeError, "MLP: input 1 must be a number"),
        (lambda: nn.MLP(2, [3, 1])(1.0), TypeError, "MLP: inputs must be a sequence"),
        (lambda: nn.Layer(2, 3)([None, 1.0]), TypeError, "Layer: input 0 must be a number"),
        (lambda: nn.Layer(2, 3)([1.0, math.inf]), ValueError, "Layer: input 1 must be finite, got inf"),
        (lambda: nn.MLP(2, [3, 1])([-math.inf, 1.0]), ValueError, "MLP: input 0 must be finite, got -inf"),
        (lambda: nn.Neuron(1)([10**400]), OverflowError, "Neuron: input 0 is too large for a float"),
        (lambda: nn.MLP(2, [3, 1])([1.0, -(10**400)]), OverflowError, "MLP: input 1 is too large"),
        (lambda: nn.Neuron(2, seed=0)([1.0, 2.0, 3.0]), ValueError, "Neuron: expected 2 inputs, got 3"),
        (lambda: nn.MLP(2, [3, 1], activation="softmax"), ValueError, "MLP: unknown activation 'softmax'"),
        (lambda: nn.MLP(2, [3, 1], out_activation="gelu"), ValueError, "MLP: unknown activation 'gelu'"),
        (lambda: nn.Layer(2, 3, activation="Tanh"), ValueError, "Layer: unknown activation 'Tanh'"),
        (lambda: nn.Neuron(2, activation="gelu"), ValueError,
         "one of 'tanh', 'relu', 'sigmoid', 'linear', 'leaky_relu', 'softplus', None (linear) or a function"),
        (lambda: nn.MLP(2, [3, 1], activation=3), TypeError,  # type: ignore[arg-type]
         "MLP: activation must be a name, None or a function, got int: 3; choose one of 'tanh'"),
        (lambda: nn.MLP(2, []), TypeError, "MLP: sizes must be a non-empty list"),
        (lambda: nn.MLP(2, 3), TypeError, "MLP: sizes must be a non-empty list"),  # type: ignore[arg-type]
        (lambda: nn.MLP(2, [3, 0]), ValueError, "MLP: each layer size must be at least 1, got 0"),
        (lambda: nn.MLP(0, [3]), ValueError, "MLP: nin must be at least 1"),
        (lambda: nn.Neuron(2.0), TypeError, "Neuron: nin must be an int"),  # type: ignore[arg-type]
        (lambda: nn.MLP(2, [1], seed="x"), TypeError, "MLP: seed must be an int"),  # type: ignore[arg-type]
    ],
)
def test_user_errors_name_the_module_and_the_operand(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """Wrong inputs, sizes, activations and seeds raise TypeError or ValueError saying what and where."""
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("build", "who"),
    [
        (lambda f: nn.Neuron(1, activation=f), "Neuron"),
        (lambda f: nn.Layer(1, 2, activation=f), "Layer"),
        (lambda f: nn.MLP(1, [2, 1], activation=f), "MLP"),
        (lambda f: nn.MLP(1, [2, 1], out_activation=f), "MLP"),
    ],
)
def test_an_activation_returning_a_number_is_refused_naming_the_class_called(
    build: Callable[[object], nn.Module], who: str
) -> None:
    """The activation is checked once, by the class the user called, and errors name that class."""
    model = build(math.tanh)
    with pytest.raises(TypeError, match=rf"^{who}: activation tanh returned float, not a Value"):
        model([1.0])


def test_layers_and_mlps_keep_the_activation_as_given_in_every_neuron() -> None:
    """Each neuron of an MLP shows the activation it was given: a name, None or the user's function."""
    model = nn.MLP(2, [3, 1], activation=sin, out_activation="sigmoid", seed=0)
    assert [repr(n) for n in model.layers[0].neurons] == ["Neuron(2, activation=sin)"] * 3
    assert repr(model.layers[1]) == "Layer(3, 1, activation='sigmoid')"
    assert repr(model.layers[1].neurons[0]) == "Neuron(3, activation='sigmoid')"
    assert [p.label for p in model.layers[1].parameters()] == ["w1_0_0", "w1_0_1", "w1_0_2", "b1_0"]


def test_an_mlp_draws_the_same_weights_as_its_layers_built_alone() -> None:
    """MLP(seed) equals its Layers built one after another from one random.Random(seed)."""
    rng = random.Random(7)
    layers = [nn.Layer(2, 3, "relu", rng), nn.Layer(3, 1, None, rng)]
    model = nn.MLP(2, [3, 1], activation="relu", seed=7)
    assert [layer.state_dict() for layer in model.layers] == [layer.state_dict() for layer in layers]

"""nn.Module: calling forward, finding tensors, parameters, labels, state dicts, save and load."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value


class _Custom(nn.Module):
    """A module of every kind of attribute discovery has to handle."""

    def __init__(self) -> None:
        self.scale = Value(2.0)
        self.vector = [Value(1.0), Value(-1.0)]
        self.rows = [[Value(0.5), Value(0.25)], [Value(4.0), Value(8.0)]]
        self.child = nn.Neuron(2, seed=0)
        self.blocks = [nn.Layer(2, 3, seed=1), nn.Layer(3, 1, seed=2)]
        self._private = Value(9.0)
        self.name = "not a tensor"
        self.sizes = [1, 2]


def _mlp(seed: int = 0) -> nn.MLP:
    return nn.MLP(3, [4, 2], activation="tanh", seed=seed)


def test_tensors_are_found_from_attributes_in_order() -> None:
    """Values, vectors, rows, child modules and lists of them are found; private and other attributes not."""
    assert list(_Custom().named_tensors()) == [
        "scale", "vector", "rows", "child.weight", "child.bias",
        "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias",
    ]


def test_mlp_state_dict_has_pytorch_keys_and_out_in_rows() -> None:
    """MLP(3, [4, 2]) has layers.i.weight as [out][in] rows and layers.i.bias, as nn.Linear does."""
    state = _mlp().state_dict()
    assert list(state) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    weight0, weight1 = state["layers.0.weight"], state["layers.1.weight"]
    assert isinstance(weight0, list) and isinstance(weight1, list)
    assert [len(row) for row in weight0] == [3] * 4  # type: ignore[arg-type]
    assert [len(row) for row in weight1] == [4] * 2  # type: ignore[arg-type]
    assert state["layers.0.bias"] == [n.bias.data for n in _mlp().layers[0].neurons]


def test_weight_row_i_is_neuron_i() -> None:
    """Row i of a layer's weight holds neuron i's weights, so out indexes rows as in PyTorch."""
    model = _mlp()
    weight = model.state_dict()["layers.1.weight"]
    assert weight == [[w.data for w in neuron.weight] for neuron in model.layers[1].neurons]


def test_parameters_follow_state_dict_order_and_count_shared_values_once() -> None:
    """parameters() lists every Value once, in state-dict order, even one shared by two tensors."""
    model = _mlp()
    assert model.parameters() == [value for _, value in model.named_parameters()]
    assert len(model.parameters()) == 3 * 4 + 4 + 4 * 2 + 2
    tied = _Custom()
    tied.vector[1] = tied.scale
    assert len(tied.parameters()) == len(tied.named_parameters()) - 1


def test_named_parameters_give_each_value_its_address() -> None:
    """A parameter's name is its state-dict key and index, e.g. layers.0.weight[1][2]."""
    model = _mlp()
    named = dict(model.named_parameters())
    assert named["layers.0.weight[1][2]"] is model.layers[0].neurons[1].weight[2]
    assert named["layers.1.bias[0]"] is model.layers[1].neurons[0].bias
    assert dict(nn.Neuron(2, seed=0).named_parameters()).keys() == {"weight[0]", "weight[1]", "bias"}


def test_labels_are_short_and_map_to_state_dict_keys() -> None:
    """An MLP labels layers.0.weight[1][2] as w0_1_2 and layers.1.bias[0] as b1_0; all distinct."""
    model = _mlp()
    labels = {name: value.label for name, value in model.named_parameters()}
    assert labels["layers.0.weight[1][2]"] == "w0_1_2"
    assert labels["layers.1.bias[0]"] == "b1_0"
    assert len(set(labels.values())) == len(labels)
    assert all(label.isidentifier() for label in labels.values())


def test_labels_of_attribute_children_and_lone_modules() -> None:
    """Named children go in front (child_w_1); a lone Neuron's bias is just b."""
    custom = _Custom()
    custom.label_parameters()
    labels = {name: value.label for name, value in custom.named_parameters()}
    assert labels["child.weight[1]"] == "child_w_1"
    assert labels["blocks.1.bias[0]"] == "b1_0"
    assert labels["rows[1][0]"] == "rows_1_0"
    assert labels["scale"] == "scale"
    assert nn.Neuron(2, seed=0).bias.label == "b"


def test_zero_grad_clears_every_parameter() -> None:
    """After backward, zero_grad() sets each parameter's grad back to 0."""
    model = _mlp()
    output = model([1.0, 2.0, 3.0])
    assert isinstance(output, list)
    (output[0] + output[1]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_grad_dict_is_shaped_like_state_dict() -> None:
    """grad_dict() holds each parameter's grad under the state dict's keys and shape."""
    model = _mlp()
    output = model([1.0, -1.0, 0.5])
    assert isinstance(output, list)
    output[1].backward()
    grads = model.grad_dict()
    assert list(grads) == list(model.state_dict())
    assert grads["layers.1.bias"] == [0.0, 1.0]
    assert grads["layers.0.weight"] == [[w.grad for w in n.weight] for n in model.layers[0].neurons]


@given(st.integers(1, 4), st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(0, 2**32))
def test_state_dict_round_trips_between_models(nin: int, sizes: list[int], seed: int) -> None:
    """Loading one model's state dict into another of the same shape makes them compute the same."""
    source = nn.MLP(nin, sizes, seed=seed)
    target = nn.MLP(nin, sizes, seed=seed + 1)
    target.load_state_dict(source.state_dict())
    assert target.state_dict() == source.state_dict()
    inputs = [0.1 * (i + 1) for i in range(nin)]
    assert _numbers(target(inputs)) == _numbers(source(inputs))


def _numbers(output: Value | list[Value]) -> list[float]:
    return [output.data] if isinstance(output, Value) else [v.data for v in output]


def test_load_state_dict_accepts_ints_and_json_shaped_data() -> None:
    """Ints are coerced to floats; a state dict that went through JSON loads back exactly."""
    model = _mlp()
    state = json.loads(json.dumps(model.state_dict()))
    other = _mlp(seed=5)
    other.load_state_dict(state)
    assert other.state_dict() == model.state_dict()
    neuron = nn.Neuron(2, seed=0)
    neuron.load_state_dict({"weight": [1, 2], "bias": 3})
    assert neuron.state_dict() == {"weight": [1.0, 2.0], "bias": 3.0}


def _bad_states() -> list[object]:
    good: dict[str, object] = dict(_mlp().state_dict())
    weights = [good["layers.0.weight"], good["layers.1.weight"]]
    assert isinstance(weights[0], list) and isinstance(weights[1], list)
    bias = "layers.1.bias"
    cases = [
        ("missing", {k: v for k, v in good.items() if k != bias}, ValueError, "missing 'layers.1.bias'"),
        ("unexpected", {**good, "layers.2.weight": [[1.0]]}, ValueError, "unexpected 'layers.2.weight'"),
        ("short", {**good, "layers.0.weight": weights[0][:-1]}, ValueError, "'layers.0.weight' has the"),
        ("transposed", {**good, "layers.1.weight": [list(c) for c in zip(*weights[1])]}, ValueError,
         "wrong shape: the model's is shape [2, 4]"),
        ("ragged", {**good, bias: [[1.0], 2.0]}, ValueError, "'layers.1.bias' has the wrong shape"),
        ("scalar for vector", {**good, bias: 1.0}, ValueError, "'layers.1.bias' has the wrong shape"),
        ("string", {**good, bias: [1.0, "2"]}, TypeError, "'layers.1.bias'[1] must be a number"),
        ("bool", {**good, bias: [True, 1.0]}, TypeError, "'layers.1.bias'[0] must be a number"),
        ("nan", {**good, bias: [1.0, math.nan]}, ValueError, "'layers.1.bias'[1] must be a finite"),
        ("inf", {**good, bias: [-math.inf, 1.0]}, ValueError, "'layers.1.bias'[0] must be a finite"),
        ("huge int", {**good, bias: [10**400, 1.0]}, ValueError, "'layers.1.bias'[0] must be a finite"),
    ]
    return [pytest.param(state, error, message, id=case) for case, state, error, message in cases]


@pytest.mark.parametrize(("state", "error", "message"), _bad_states())
def test_bad_state_dicts_are_refused_naming_the_key(
    state: dict[str, object], error: type[Exception], message: str
) -> None:
    """Wrong keys, shapes, non-numbers and non-finite numbers: a clear error, and nothing changes."""
    model = _mlp()
    before = model.state_dict()
    with pytest.raises(error, match="load_state_dict: ") as raised:
        model.load_state_dict(state)
    assert message in str(raised.value)
    assert model.state_dict() == before


def test_load_state_dict_needs_a_mapping() -> None:
    """A list of pairs is not a state dict."""
    with pytest.raises(TypeError, match="load_state_dict: expected a mapping"):
        _mlp().load_state_dict(list(_mlp().state_dict().items()))  # type: ignore[arg-type]


def test_save_then_load_restores_every_number_exactly(tmp_path: Path) -> None:
    """save() writes JSON with one key per line; load() into another model restores it bit for bit."""
    model, other = _mlp(seed=1), _mlp(seed=2)
    path = tmp_path / "model.json"
    model.save(path)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == model.state_dict()
    assert len(text.splitlines()) == len(model.state_dict()) + 2
    other.load(str(path))
    assert other.state_dict() == model.state_dict()


def test_save_replaces_a_file_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    """Saving over an old file replaces it; the folder holds only the saved file afterwards."""
    path = tmp_path / "model.json"
    path.write_text("old contents that are longer than nothing" * 100, encoding="utf-8")
    _mlp().save(path)
    assert json.loads(path.read_text(encoding="utf-8")) == _mlp().state_dict()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


@given(st.data())
def test_truncated_files_are_refused_and_change_nothing(data: st.DataObject) -> None:
    """A file cut anywhere before its closing brace is refused as invalid JSON; the model is unchanged."""
    import tempfile

    model = _mlp(seed=3)
    before = model.state_dict()
    text = json.dumps(_mlp(seed=4).state_dict())
    cut = data.draw(st.integers(0, len(text) - 1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cut.json"
        path.write_text(text[:cut], encoding="utf-8")
        with pytest.raises(ValueError, match=r"not valid JSON .*truncated or damaged"):
            model.load(path)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    ("contents", "error", "message"),
    [
        ("[1, 2, 3]", ValueError, "expected a JSON object of keys, got list"),
        ('{"layers.0.weight": 1}', ValueError, "wrong keys"),
        (None, ValueError, "'layers.1.bias'[1] must be a finite number, got nan"),
        (b"\xff\xfe\x00garbage", ValueError, "not a text file"),
    ],
    ids=["not an object", "wrong keys", "NaN in the file", "binary"],
)
def test_bad_files_are_refused_naming_the_file_and_key(
    tmp_path: Path, contents: str | bytes | None, error: type[Exception], message: str
) -> None:
    """JSON that is not a state dict, a NaN, or bytes that are not text: errors naming the file."""
    path = tmp_path / "bad.json"
    if contents is None:  # a saved file with one number replaced by NaN, which Python's json reads
        _mlp().save(path)
        state = json.loads(path.read_text(encoding="utf-8"))
        state["layers.1.bias"][1] = math.nan
        path.write_text(json.dumps(state), encoding="utf-8")
    elif isinstance(contents, bytes):
        path.write_bytes(contents)
    else:
        path.write_text(contents, encoding="utf-8")
    with pytest.raises(error) as raised:
        _mlp().load(path)
    assert f"load {str(path)!r}: " in str(raised.value)
    assert message in str(raised.value)


def test_loading_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    """A path that does not exist raises FileNotFoundError, as open() does."""
    with pytest.raises(FileNotFoundError):
        _mlp().load(tmp_path / "nowhere.json")


def test_saving_into_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    """save() into a folder that does not exist raises FileNotFoundError and creates nothing."""
    with pytest.raises(FileNotFoundError):
        _mlp().save(tmp_path / "missing" / "model.json")
    assert list(tmp_path.iterdir()) == []


class _Affine(nn.Module):
    """A user's module that defines only __init__ and forward, as in PyTorch."""

    def __init__(self) -> None:
        self.weight = Value(3.0)
        self.bias = Value(-1.0)

    def forward(self, x: Value | float, *, double: bool = False) -> Value:
        y = self.weight * x + self.bias
        return y * 2 if double else y


def test_calling_a_module_runs_its_forward() -> None:
    """module(...) is module.forward(...), positional and keyword arguments passed through."""
    module = _Affine()
    assert module(2.0).data == module.forward(2.0).data == 5.0
    assert module(x=2.0, double=True).data == 10.0


def test_calling_a_module_without_forward_names_its_class() -> None:
    """A Module subclass with no forward raises NotImplementedError naming the class."""
    with pytest.raises(NotImplementedError, match=r"_Custom has no forward\(\)"):
        _Custom()([1.0, 2.0])

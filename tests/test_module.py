"""nn.Module: calling forward, finding tensors, parameters, labels, state dicts, save and load."""

from __future__ import annotations

import errno
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from autograd.files import NotRegularFileError


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


def _nested(innermost: object, depth: int) -> object:
    for _ in range(depth):
        innermost = [innermost]
    return innermost


class _FakeTensor:
    """Stands in for a torch.Tensor: not a number, not a list, but it has .tolist()."""

    def tolist(self) -> list[float]:
        return [1.0, 2.0]


_FakeTensor.__module__, _FakeTensor.__qualname__ = "torch", "Tensor"


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
        ("ragged rows", {**good, "layers.1.weight": [[1.0] * 4, [1.0] * 3]}, ValueError,
         "'layers.1.weight' has the wrong shape: the model's is shape [2, 4], got ragged lists"),
        ("ragged rows, short first", {**good, "layers.1.weight": [[1.0] * 3, [1.0] * 4]}, ValueError,
         "'layers.1.weight' has the wrong shape: the model's is shape [2, 4], got ragged lists"),
        ("too deep", {**good, bias: _nested([1.0, 2.0], 2000)}, ValueError,
         "'layers.1.bias' has the wrong shape: the model's is shape [2], got lists nested more than"),
        ("a dict", {**good, bias: [1.0, {"x": 1}]}, TypeError,
         "'layers.1.bias'[1] must be a number or a list of numbers, got dict"),
        ("None", {**good, bias: None}, TypeError,
         "'layers.1.bias' must be a number or a list of numbers, got None"),
        ("a tensor", {**good, bias: _FakeTensor()}, TypeError,
         "'layers.1.bias' must be a number or a list of numbers, got a torch.Tensor (convert it with"),
        ("scalar for vector", {**good, bias: 1.0}, ValueError, "'layers.1.bias' has the wrong shape"),
        ("string", {**good, bias: [1.0, "2"]}, TypeError, "'layers.1.bias'[1] must be a number"),
        ("bool", {**good, bias: [True, 1.0]}, TypeError, "'layers.1.bias'[0] must be a number"),
        ("nan", {**good, bias: [1.0, math.nan]}, ValueError, "'layers.1.bias'[1] must be a finite"),
        ("inf", {**good, bias: [-math.inf, 1.0]}, ValueError, "'layers.1.bias'[0] must be a finite"),
        ("huge int", {**good, bias: [10**400, 1.0]}, ValueError, "'layers.1.bias'[0] must be a finite"),
        ("5000-digit int", {**good, bias: [1.0, 10**5000]}, ValueError,
         "'layers.1.bias'[1] must be a finite number, got an integer of about 5001 digits"),
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


def test_a_numpy_array_is_named_with_a_hint() -> None:
    """A numpy array for a tensor, or inside one, is named as such with a .tolist() hint; nothing changes."""
    numpy = pytest.importorskip("numpy")
    model = _mlp()
    before = model.state_dict()
    for bias in (numpy.array([1.0, 2.0]), [numpy.array(1.0), 2.0]):
        with pytest.raises(TypeError, match=r"got a numpy\.ndarray \(convert it with \.tolist\(\) first\)"):
            model.load_state_dict({**before, "layers.1.bias": bias})
    assert model.state_dict() == before
    model.load_state_dict({**before, "layers.1.bias": numpy.array([1.0, 2.0]).tolist()})
    assert model.state_dict()["layers.1.bias"] == [1.0, 2.0]


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


def _write(path: Path, contents: str) -> None:
    path.write_text(contents, encoding="utf-8")


def _saved_text(model: nn.Module) -> str:
    return json.dumps(model.state_dict(), indent=2)


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deep to read"),
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "nested too deep to read"),
        (_saved_text(_mlp()).replace("[", "[" + "7" * 5000 + ", ", 1), "an integer of 5000 digits (7777777"),
        (_saved_text(_mlp()).replace("{", '{"layers.1.bias": [0, 0], ', 1),
         "the key 'layers.1.bias' appears more than once"),
        (_saved_text(_mlp()) + " " * (2 << 20), "larger than"),
    ],
    ids=["deep lists", "deep objects", "5000-digit int", "duplicate key", "too large"],
)
def test_hostile_files_are_refused_naming_the_file(tmp_path: Path, contents: str, message: str) -> None:
    """Deep nesting, a huge integer literal, a key twice, megabytes too many: ValueError naming the file."""
    path = tmp_path / "hostile.json"
    _write(path, contents)
    model = _mlp(seed=7)
    before = model.state_dict()
    with pytest.raises(ValueError) as raised:
        model.load(path)
    assert type(raised.value) is ValueError
    assert str(raised.value).startswith(f"load {str(path)!r}: ") and message in str(raised.value)
    assert model.state_dict() == before


def test_the_size_bound_leaves_room_for_hand_formatted_files(tmp_path: Path) -> None:
    """A state file pretty-printed a number a line, deeply indented, is well inside the bound and loads."""
    model = nn.MLP(8, [64, 64, 1], seed=0)
    path = tmp_path / "pretty.json"
    _write(path, json.dumps(model.state_dict(), indent=16))
    other = nn.MLP(8, [64, 64, 1], seed=1)
    other.load(path)
    assert other.state_dict() == model.state_dict()


def test_special_files_are_refused_before_reading(tmp_path: Path) -> None:
    """A FIFO (which would block), /dev/zero (endless) and a folder: refused at once, naming the path."""
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    model = _mlp()
    with pytest.raises(NotRegularFileError, match=r"a FIFO .* load reads only regular files") as raised:
        model.load(fifo)
    assert raised.value.filename == str(fifo)
    assert isinstance(raised.value, OSError) and isinstance(raised.value, ValueError)
    if os.path.exists("/dev/zero"):
        with pytest.raises(NotRegularFileError, match="a character device"):
            model.load("/dev/zero")
    with pytest.raises(IsADirectoryError):
        model.load(tmp_path)


def test_loading_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    """A path that does not exist raises FileNotFoundError, as open() does."""
    with pytest.raises(FileNotFoundError):
        _mlp().load(tmp_path / "nowhere.json")


def test_saving_into_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    """save() into a folder that does not exist raises FileNotFoundError and creates nothing."""
    with pytest.raises(FileNotFoundError):
        _mlp().save(tmp_path / "missing" / "model.json")
    assert list(tmp_path.iterdir()) == []


def _force_data(value: Value, number: float) -> None:
    """Put ``number`` in ``value`` even if the engine refuses it through ``.data``, as a bug could."""
    try:
        value.data = number
    except ValueError:
        slot = next((name for name in ("_data", "data") if hasattr(value, name)), None)
        if slot is None or isinstance(getattr(type(value), slot, None), property):
            pytest.skip("no way to put a non-finite number in a Value")
        setattr(value, slot, number)


def test_save_refuses_non_finite_numbers_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """inf or nan in the state: ValueError naming the key and index; the good checkpoint stays as it was."""
    path = tmp_path / "model.json"
    model = _mlp()
    model.save(path)
    good = path.read_bytes()
    state = model.state_dict()
    weight = state["layers.0.weight"]
    assert isinstance(weight, list) and isinstance(weight[1], list)
    weight[1][0] = math.inf
    monkeypatch.setattr(model, "state_dict", lambda: state)
    with pytest.raises(ValueError, match=r"'layers\.0\.weight'\[1\]\[0\] is inf, not a finite") as raised:
        model.save(path)
    assert str(raised.value).startswith(f"save {str(path)!r}: ")
    monkeypatch.undo()
    _force_data(model.layers[1].neurons[0].bias, math.nan)
    with pytest.raises(ValueError, match=r"'layers\.1\.bias'\[0\] is nan"):
        model.save(path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


@pytest.mark.parametrize("function", ["fsync", "replace"])
def test_save_is_atomic_under_a_crash_midway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str
) -> None:
    """A save failing while writing or renaming leaves the old file whole and loadable, and no temporary."""
    path = tmp_path / "model.json"
    old = _mlp(seed=1)
    old.save(path)
    good = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, function, crash)
    with pytest.raises(OSError) as raised:
        _mlp(seed=2).save(path)
    monkeypatch.undo()
    assert raised.value.filename == str(path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
    restored = _mlp(seed=3)
    restored.load(path)
    assert restored.state_dict() == old.state_dict()


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

"""Keras model files without TensorFlow: the layouts Keras documents, round trips, and clear
errors for truncated, corrupted and mismatched files (which change nothing)."""

import json
import zipfile

import h5py
import numpy as np
import pytest
import torch

from kerascompat import keras
from kerascompat import layers


def _model(units=3):
    return keras.Sequential([keras.Input((4,)), layers.Dense(units, activation="tanh"),
                             layers.BatchNormalization(), layers.Dense(2)])


def _x():
    return torch.from_numpy(np.random.default_rng(0).standard_normal((5, 4)).astype("float32"))


def _out(model):
    model.eval()
    with torch.no_grad():
        return model(_x()).numpy()


def _randomized(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([np.abs(rng.standard_normal(w.shape)).astype("float32") + 0.1 for w in model.get_weights()])
    return model


def _same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


# ---------------------------------------------------------------------- Keras layouts
def test_weights_h5_uses_keras_attribute_paths_and_layouts(tmp_path):
    """Keras 3 names each element of `layers` by its class in snake case (dense, dense_1), stores
    a Dense kernel (in, out) first, then the bias, and BN's gamma, beta, moving mean, variance."""
    model = _randomized(_model())
    model.save_weights(tmp_path / "m.weights.h5")
    dense, bn, dense_1 = model.layers
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        assert "vars" in f
        np.testing.assert_array_equal(f["layers/dense/vars/0"][()], dense.linear.weight.detach().numpy().T)
        np.testing.assert_array_equal(f["layers/dense/vars/1"][()], dense.linear.bias.detach().numpy())
        assert f["layers/dense_1/vars/0"].shape == (3, 2)
        assert [f[f"layers/batch_normalization/vars/{i}"].shape for i in range(4)] == [(3,)] * 4
        np.testing.assert_array_equal(f["layers/batch_normalization/vars/3"][()], bn.get_weights()[3])


def test_recurrent_and_nested_paths(tmp_path):
    """An RNN's weights sit under its `cell`, Bidirectional's under `forward_layer` and
    `backward_layer`, a nested model's under its own `layers`; GRU's bias is (2, 3u)."""
    inner = keras.Sequential([layers.Dense(2)])
    x = keras.Input((5, 3))
    h = layers.Bidirectional(layers.GRU(2))(layers.LSTM(4, return_sequences=True)(x))
    model = keras.Model(x, inner(h))
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        assert f["layers/lstm/cell/vars/0"].shape == (3, 16)
        assert f["layers/lstm/cell/vars/1"].shape == (4, 16)
        assert f["layers/bidirectional/forward_layer/cell/vars/2"].shape == (2, 6)
        assert f["layers/bidirectional/backward_layer/cell/vars/0"].shape == (4, 6)
        assert f["layers/sequential/layers/dense/vars/0"].shape == (4, 2)


def _attention_model():
    q, v = keras.Input((4, 8)), keras.Input((3, 8))
    h = layers.MultiHeadAttention(2, 4)(q, v)
    h = layers.GroupQueryAttention(4, 4, 2)(h, h)
    return keras.Model([q, v], layers.Attention(use_scale=True)([h, h]))


def test_attention_paths_and_scalar_weights(tmp_path):
    """As tf.keras 3.15 writes them: MultiHeadAttention's projections under its public
    `query_dense`, ... properties, GroupQueryAttention's under `_query_dense`, ... (it has no
    such properties); Attention's `scale` keeps its shape () in the file."""
    model = _randomized(_attention_model())
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        for name in ("query_dense", "key_dense", "value_dense", "output_dense"):
            assert f[f"layers/multi_head_attention/{name}/vars/0"].ndim == 3
            assert f[f"layers/grouped_query_attention/_{name}/vars/0"].ndim == 3
        assert f["layers/multi_head_attention/output_dense/vars/0"].shape == (2, 4, 8)
        assert f["layers/grouped_query_attention/_key_dense/vars/0"].shape == (8, 2, 4)
        assert f["layers/attention/vars/0"].shape == ()
    fresh = _attention_model()
    fresh.load_weights(tmp_path / "m.weights.h5")
    assert _same_weights(fresh.get_weights(), model.get_weights())


def test_keras_archive_round_trip_with_compile_config(tmp_path):
    model = _randomized(_model())
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02, beta_1=0.8), loss="mse", metrics=["mae"])
    x, y = _x(), torch.zeros(5, 2)
    model.train_on_batch(x, y)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert {"metadata.json", "config.json", "model.weights.h5"} <= set(archive.namelist())
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Sequential"
    assert config["compile_config"]["loss"] == "mse"
    assert config["compile_config"]["optimizer"]["config"]["beta_1"] == 0.8
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(_out(loaded), _out(model))
    assert isinstance(loaded.optimizer, torch.optim.Adam)
    assert loaded.optimizer.param_groups[0]["betas"][0] == 0.8
    assert loaded.optimizer.param_groups[0]["lr"] == pytest.approx(0.02)
    # the same next step: the moments came back
    model.train()
    loaded.train()
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    uncompiled = keras.saving.load_model(tmp_path / "m.keras", compile=False)
    assert not uncompiled.compiled


def test_own_torch_weights_file_still_used_for_other_paths(tmp_path):
    model = _randomized(_model())
    model.save_weights(tmp_path / "m.weights.pt")
    assert not h5py.is_hdf5(tmp_path / "m.weights.pt")
    other = _model()
    other.load_weights(tmp_path / "m.weights.pt")
    assert _same_weights(other.get_weights(), model.get_weights())


def test_load_weights_from_a_keras_archive(tmp_path):
    model = _randomized(_model())
    model.save(tmp_path / "m.keras")
    other = _model()
    other.load_weights(tmp_path / "m.keras")
    assert _same_weights(other.get_weights(), model.get_weights())


# -------------------------------------------------------------------- legacy Keras 2 files
def _write_keras2_weights(path, model, chunked=False, whole_model=False):
    """A weights file as Keras 2 / tf.keras 2.x wrote it: per-layer groups in sorted order,
    `weight_names` with `:0` suffixes, trainable weights then non-trainable ones."""
    names = [layer.name for layer in model.layers]
    with h5py.File(path, "w") as f:
        root = f.create_group("model_weights") if whole_model else f
        if chunked:
            root.attrs["layer_names0"] = np.array([n.encode() for n in names[:2]])
            root.attrs["layer_names1"] = np.array([n.encode() for n in names[2:]])
        else:
            root.attrs["layer_names"] = np.array([n.encode() for n in names])
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = b"2.11.0"
        for layer in sorted(model.layers, key=lambda l: l.name):
            group = root.create_group(layer.name)
            weight_names = [f"{layer.name}/{n}:0" for n in
                            (["kernel", "bias"] if isinstance(layer, layers.Dense)
                             else ["gamma", "beta", "moving_mean", "moving_variance"])]
            group.attrs["weight_names"] = np.array([n.encode() for n in weight_names])
            for name, value in zip(weight_names, layer.get_weights()):
                group[name] = value
        if whole_model:
            f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {
                "name": "seq", "layers": [
                    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                            "name": "input_1"}},
                    {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "tanh"}},
                    {"class_name": "BatchNormalization", "config": {"name": "batch_normalization"}},
                    {"class_name": "Dense", "config": {"name": "dense_1", "units": 2}}]}}).encode()


@pytest.mark.parametrize("chunked", [False, True], ids=["layer_names", "layer_names0-1"])
def test_keras2_weights_file_loads_by_topology(tmp_path, chunked):
    source = _randomized(_model())
    _write_keras2_weights(tmp_path / "w.h5", source, chunked=chunked)
    target = _model()
    target.load_weights(tmp_path / "w.h5")
    assert _same_weights(target.get_weights(), source.get_weights())


def test_keras2_whole_model_file_loads(tmp_path):
    source = _randomized(_model())
    _write_keras2_weights(tmp_path / "m.h5", source, whole_model=True)
    loaded = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(_out(loaded), _out(source), rtol=1e-6)


def test_keras2_weights_by_name_skips_unknown_layers(tmp_path):
    source = _randomized(_model())
    _write_keras2_weights(tmp_path / "w.h5", source)
    target = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="tanh", name="dense"),
                               layers.Dense(2, name="other")])
    before = target.layers[1].get_weights()
    target.load_weights(tmp_path / "w.h5", by_name=True)
    assert _same_weights(target.layers[0].get_weights(), source.layers[0].get_weights())
    assert _same_weights(target.layers[1].get_weights(), before)


# ------------------------------------------------------------------------------ errors
def _assert_unchanged_after(model, fn, match):
    before = model.get_weights()
    with pytest.raises(ValueError, match=match):
        fn()
    assert _same_weights(model.get_weights(), before)


def test_truncated_weights_file(tmp_path):
    path = tmp_path / "m.weights.h5"
    _randomized(_model()).save_weights(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    target = _model()
    _assert_unchanged_after(target, lambda: target.load_weights(path), r"m\.weights\.h5.*(truncated|corrupted)")


def test_corrupted_keras_archive(tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive" * 10)
    with pytest.raises(ValueError, match=r"m\.keras.*(truncated or corrupted)"):
        keras.models.load_model(path)
    target = _model()
    _assert_unchanged_after(target, lambda: target.load_weights(path), r"m\.keras")


def test_truncated_keras_archive(tmp_path):
    path = tmp_path / "m.keras"
    _randomized(_model()).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    with pytest.raises(ValueError, match=r"m\.keras"):
        keras.models.load_model(path)


def test_archive_without_config(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match=r"m\.keras.*no config\.json"):
        keras.models.load_model(path)


def test_mismatched_shape_names_layer_and_weight(tmp_path):
    path = tmp_path / "m.weights.h5"
    _randomized(_model(units=3)).save_weights(path)
    target = _model(units=5)
    _assert_unchanged_after(target, lambda: target.load_weights(path),
                            r"m\.weights\.h5.*layer 'dense(_\d+)?' weight 'dense(_\d+)?/kernel'.*\(4, 5\).*\(4, 3\)")


def test_file_with_weights_the_model_lacks(tmp_path):
    path = tmp_path / "m.weights.h5"
    big = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="tanh"), layers.BatchNormalization(),
                            layers.Dense(2), layers.Dense(2)])
    big.save_weights(path)
    target = _model()
    _assert_unchanged_after(target, lambda: target.load_weights(path), r"layers/dense_2/vars.*no layer")


def test_model_with_weights_the_file_lacks(tmp_path):
    path = tmp_path / "m.weights.h5"
    keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)]).save_weights(path)
    target = _model()
    _assert_unchanged_after(target, lambda: target.load_weights(path), r"batch_normalization.*holds none")


def test_legacy_file_with_other_layer_count(tmp_path):
    source = _randomized(_model())
    _write_keras2_weights(tmp_path / "w.h5", source)
    target = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    _assert_unchanged_after(target, lambda: target.load_weights(tmp_path / "w.h5"), r"w\.h5.*3 layers.*2 layers")


def test_missing_file():
    with pytest.raises(ValueError, match="File not found"):
        keras.models.load_model("/nonexistent/m.keras")


def test_save_path_extensions(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        model.save(tmp_path / "m.txt")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.keras", overwrite=False)


def test_skip_mismatch_loads_the_rest_and_warns(tmp_path):
    path = tmp_path / "m.weights.h5"
    source = _randomized(_model(units=3))
    source.save_weights(path)
    target = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="tanh"), layers.BatchNormalization(),
                               layers.Dense(5)])
    before = target.layers[2].get_weights()
    with pytest.warns(UserWarning, match="Skipping loading weights for layer"):
        target.load_weights(path, skip_mismatch=True)
    assert _same_weights(target.layers[0].get_weights(), source.layers[0].get_weights())
    assert _same_weights(target.layers[1].get_weights(), source.layers[1].get_weights())
    assert _same_weights(target.layers[2].get_weights(), before)


def test_keras2_hard_sigmoid_warns(tmp_path):
    source = _randomized(_model())
    _write_keras2_weights(tmp_path / "m.h5", source, whole_model=True)
    with h5py.File(tmp_path / "m.h5", "a") as f:
        config = json.loads(f.attrs["model_config"])
        config["config"]["layers"][1]["config"]["activation"] = "hard_sigmoid"
        f.attrs["model_config"] = json.dumps(config).encode()
        f.attrs["keras_version"] = b"2.4.0"
    with pytest.warns(UserWarning, match=r"Keras 2\.4\.0.*hard_sigmoid.*0\.2\*x\+0\.5"):
        keras.models.load_model(tmp_path / "m.h5")


def test_legacy_h5_round_trip_with_unique_weight_names(tmp_path):
    """Keras's legacy writer: one group per layer (sorted), `weight_names` unique inside a layer
    (both directions of a Bidirectional), trainable weights first."""
    x = keras.Input((5, 3))
    h = layers.Bidirectional(layers.GRU(2))(x)
    model = keras.Model(x, layers.Dense(2, trainable=False)(layers.BatchNormalization()(h)))
    _randomized(model)
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert json.loads(f.attrs["model_config"])["class_name"] == "Functional"
        group = f["model_weights"]
        names = [n.decode() for n in group["bidirectional"].attrs["weight_names"]]
        assert len(names) == 6 and len(set(names)) == 6
        bn = [n.decode() for n in group["batch_normalization"].attrs["weight_names"]]
        assert [n.rsplit("/", 1)[1] for n in bn] == ["gamma", "beta", "moving_mean", "moving_variance"]
    loaded = keras.models.load_model(tmp_path / "m.h5")
    x_in = torch.from_numpy(np.random.default_rng(0).standard_normal((2, 5, 3)).astype("float32"))
    model.eval()
    loaded.eval()
    with torch.no_grad():
        np.testing.assert_array_equal(loaded(x_in).numpy(), model(x_in).numpy())


def test_config_naming_grouped_query_attention_deserializes():
    """Keras's legacy `.h5` configs name GroupQueryAttention by its class, GroupedQueryAttention;
    kerascompat still writes Keras's exported name."""
    layer = layers.deserialize({"module": "keras.layers", "class_name": "GroupedQueryAttention",
                                "config": {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}})
    assert isinstance(layer, layers.GroupQueryAttention) and layer.num_key_value_heads == 2
    assert layers.serialize(layer)["class_name"] == "GroupQueryAttention"


def test_sgd_momentum_is_written_as_kerass_momentum(tmp_path):
    """Keras's SGD momentum variable is `m = momentum * m - lr * g`: after one step from m = 0
    it is -lr * g, in the Keras layout of its weight (a Dense kernel (in, out))."""
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
    x = _x()
    y = torch.zeros((5, 2))
    before = [w.copy() for w in model.get_weights()]
    model.train_on_batch(x, y)
    model.save_weights(tmp_path / "m.weights.h5")
    after = model.get_weights()
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        # the first step moves each weight by exactly its momentum
        np.testing.assert_allclose(f["optimizer/vars/2"][()], after[0] - before[0], rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(f["optimizer/vars/3"][()], after[1] - before[1], rtol=1e-5, atol=1e-7)
    fresh = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    fresh.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
    fresh.set_weights(after)
    fresh.load_weights(tmp_path / "m.weights.h5")
    model.train_on_batch(x, y)
    fresh.train_on_batch(x, y)
    assert _same_weights(fresh.get_weights(), model.get_weights())

"""Keras model files cross between frameworks.

For every whole-model case of the parity table plus the models below (BatchNormalization,
LSTM / GRU / Bidirectional, a nested model, a shared layer, a frozen layer, a custom layer
registered with `register_keras_serializable` that holds a sub-layer as an attribute):
  (a) tf.keras writes `.keras`, `.weights.h5` and legacy `.h5`; kerascompat loads each and its
      outputs equal TF's;
  (b) kerascompat writes `.keras` and `.weights.h5`; tf.keras loads them and its outputs equal ours.
And a compiled model trained a few steps round-trips its optimizer: the loaded model takes the
next step as the one that wrote the file.
"""

import numpy as np
import pytest
import torch

import kerascompat
from kerascompat.ops.symbolic import Operation
from case import Case
from cases import CASES
from harness import TF_KERAS, assert_close
from test_config_parity import KNOWN as CONFIG_KNOWN
from test_config_parity import _arrays, _compare, _perturbed, _run_ours, _run_tf


# ------------------------------------------------------------------------ extra models
def _define_scale_shift(K):
    @K.utils.register_keras_serializable(package="model_files")
    class ScaleShift(K.layers.Layer):
        """A custom layer with its own weight and a Dense held as an attribute."""

        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.proj = K.layers.Dense(units, name="proj")

        def build(self, input_shape):
            self.proj.build(input_shape)
            self.scale = self.add_weight(shape=(self.units,), initializer="ones", name="scale")

        def call(self, x):
            return self.proj(x) * self.scale

        def compute_output_shape(self, input_shape):
            return tuple(input_shape[:-1]) + (self.units,)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return ScaleShift


SCALE_SHIFT = {TF_KERAS: _define_scale_shift(TF_KERAS), kerascompat: _define_scale_shift(kerascompat)}


def recurrent_norm_nested_frozen(K):
    x = K.Input((5, 3))
    h = K.layers.LSTM(4, return_sequences=True)(x)
    h = K.layers.Bidirectional(K.layers.GRU(3))(h)
    h = K.layers.BatchNormalization()(h)
    frozen = K.layers.Dense(4, trainable=False)
    h = frozen(h)
    inner = K.Sequential([K.layers.Dense(3, activation="tanh"), K.layers.BatchNormalization(), K.layers.Dense(2)])
    return K.Model(x, inner(h))


def shared_and_custom(K):
    x = K.Input((4,))
    shared = K.layers.Dense(4, activation="tanh")
    h = shared(shared(x))
    h = SCALE_SHIFT[K](3)(h)
    return K.Model(x, K.layers.Dense(2)(h))


def simple_rnn_gru_reset_before(K):
    return K.Sequential([K.Input((4, 3)), K.layers.SimpleRNN(3, return_sequences=True),
                         K.layers.GRU(2, reset_after=False)])


EXTRA_CASES = [
    Case("files-recurrent-norm-nested-frozen", build=recurrent_norm_nested_frozen, input_shapes=(2, 5, 3)),
    Case("files-shared-and-custom", build=shared_and_custom, input_shapes=(3, 4)),
    Case("files-simple-rnn-gru-reset-before", build=simple_rnn_gru_reset_before, input_shapes=(2, 4, 3)),
]
MODEL_CASES = [c for c in CASES if c.build is not None and c.config_needs is None] + EXTRA_CASES


# Cases whose tf.keras config kerascompat cannot rebuild (see test_config_parity.py): their
# weights files still load; `load_model` of their model files must refuse with that reason.
CONFIG_REFUSED = {case_id for (direction, case_id) in CONFIG_KNOWN if direction == "tf_in_ours"}


# --------------------------------------------------------------------------- helpers
# Inputs, runs, perturbed weights and output comparison as the config parity tests do them.
def _tf_model(case, arrays, multi):
    model = case.build(TF_KERAS)
    _run_tf(model, arrays, multi)
    model.set_weights(_perturbed(model.get_weights()))
    return model


def _our_model(case, arrays, multi, perturb=True):
    model = case.build(kerascompat)
    _run_ours(model, arrays, multi)
    if perturb:
        model.set_weights(_perturbed(model.get_weights()))
    return model


# ----------------------------------------------------------------------- (a) TF -> ours
@pytest.mark.parametrize("case", MODEL_CASES, ids=[c.id for c in MODEL_CASES])
def test_kerascompat_loads_tf_keras_files(case, tmp_path):
    """tf.keras writes `.weights.h5`, `.keras` and legacy `.h5`; each loads into kerascompat
    (weights into our model of the same build, whole models with `load_model`)."""
    arrays, multi = _arrays(case)
    theirs = _tf_model(case, arrays, multi)
    expected = _run_tf(theirs, arrays, multi)
    theirs.save_weights(tmp_path / "model.weights.h5")
    theirs.save(tmp_path / "model.keras")
    theirs.save(tmp_path / "legacy.h5")
    ours = _our_model(case, arrays, multi, perturb=False)
    for seed, name in enumerate(("model.weights.h5", "legacy.h5", "model.keras")):
        ours.set_weights(_perturbed(ours.get_weights(), seed=seed + 2))  # nothing left from the last load
        ours.load_weights(tmp_path / name)
        _compare(case, _run_ours(ours, arrays, multi), expected)
    for name in ("model.keras", "legacy.h5"):
        if case.id in CONFIG_REFUSED:
            # `.keras` names the op's module (NotImplementedError); legacy configs do not (TypeError).
            with pytest.raises((NotImplementedError, TypeError), match="NotEqual"):
                kerascompat.models.load_model(tmp_path / name)
            continue
        ours = kerascompat.models.load_model(tmp_path / name)
        assert all(isinstance(p, torch.nn.Parameter) for p in ours.parameters())
        _compare(case, _run_ours(ours, arrays, multi), expected)


# ----------------------------------------------------------------------- (b) ours -> TF
@pytest.mark.parametrize("case", MODEL_CASES, ids=[c.id for c in MODEL_CASES])
def test_tf_keras_loads_kerascompat_files(case, tmp_path):
    """kerascompat writes `.keras`, legacy `.h5` and `.weights.h5`; tf.keras's `load_model` and
    `load_weights` read them and compute our outputs."""
    arrays, multi = _arrays(case)
    ours = _our_model(case, arrays, multi)
    expected = _run_ours(ours, arrays, multi)
    ours.save(tmp_path / "model.keras")
    ours.save(tmp_path / "legacy.h5")
    ours.save_weights(tmp_path / "model.weights.h5")
    has_op_nodes = any(isinstance(op, Operation) for op in getattr(ours, "_operations", ()))
    for name in ("model.keras", "legacy.h5"):
        if name == "legacy.h5" and has_op_nodes:
            continue  # tf.keras 3.15 cannot read keras.ops nodes from a legacy .h5, not even its own (below)
        _compare(case, _run_tf(TF_KERAS.models.load_model(tmp_path / name), arrays, multi), expected)
    theirs = case.build(TF_KERAS)
    _run_tf(theirs, arrays, multi)
    if has_op_nodes:
        theirs.save(tmp_path / "tf_legacy.h5")
        with pytest.raises(Exception, match="Unknown layer|Error when deserializing"):
            TF_KERAS.models.load_model(tmp_path / "tf_legacy.h5")
    theirs.load_weights(tmp_path / "model.weights.h5")
    _compare(case, _run_tf(theirs, arrays, multi), expected)


# ------------------------------------------------------------------- optimizer state
# Adam's epsilon is tiny here: Keras adds it to sqrt(v) before the bias correction, torch after
# (optimizers.py), which moves a step by up to ~10% where a gradient is ~1e-6 at epsilon=1e-7.
OPTIMIZERS = {
    "adam": lambda K: K.optimizers.Adam(learning_rate=0.01, epsilon=1e-12),
    "adam-amsgrad": lambda K: K.optimizers.Adam(learning_rate=0.01, amsgrad=True, epsilon=1e-12),
    "sgd-momentum": lambda K: K.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    "sgd-nesterov": lambda K: K.optimizers.SGD(learning_rate=0.05, momentum=0.8, nesterov=True),
}
_STEP_TOL = 1e-5


def _trained(K, optimizer):
    model = K.Sequential([K.Input((4,)), K.layers.Dense(5, activation="tanh"), K.layers.Dense(3, trainable=False),
                          K.layers.Dense(2)])
    # A loss object: tf.keras 3.15 cannot reload its own legacy `.h5` compiled with loss="mse".
    model.compile(optimizer=OPTIMIZERS[optimizer](K), loss=K.losses.MeanSquaredError(), metrics=["mae"])
    rng = np.random.default_rng(5)  # the same starting weights in every run
    model.set_weights([rng.standard_normal(w.shape).astype("float32") * 0.5 for w in model.get_weights()])
    return model


def _batch():
    rng = np.random.default_rng(3)
    return rng.standard_normal((8, 4)).astype("float32"), rng.standard_normal((8, 2)).astype("float32")


def _tf_optimizer_values(model):
    return [np.asarray(v) for v in model.optimizer.variables]


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_training_continues_from_a_tf_keras_file(optimizer, fmt, tmp_path):
    """tf.keras trains 3 steps and saves; kerascompat loads the file with the optimizer's state
    and its next `train_on_batch` step lands where tf.keras's does."""
    x, y = _batch()
    theirs = _trained(TF_KERAS, optimizer)
    for _ in range(3):
        theirs.train_on_batch(x, y)
    path = tmp_path / f"model.{fmt}"
    theirs.save(path)
    ours = kerascompat.models.load_model(path)
    assert ours.compiled and type(ours._optimizer_spec).__name__ == type(theirs.optimizer).__name__
    assert ours.optimizer.param_groups[0]["lr"] == pytest.approx(float(theirs.optimizer.learning_rate))
    assert ours.optimizer._keras_iterations == 3
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)
    theirs.train_on_batch(x, y)
    ours.train_on_batch(x, y)
    for i, (a, b) in enumerate(zip(ours.get_weights(), theirs.get_weights())):
        assert_close(a, b, _STEP_TOL, _STEP_TOL, f"weight {i} after the next step")


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_tf_keras_continues_training_from_a_kerascompat_file(optimizer, tmp_path):
    """kerascompat trains 3 steps and saves `.keras`; tf.keras loads it with our optimizer's
    state as its variables, and its next step lands where ours does. (Not `.h5`: tf.keras
    3.15 cannot train a model it loaded from a legacy file with optimizer weights, its own
    included: "Unknown variable ... the variables it was originally built with".)"""
    x, y = _batch()
    ours = _trained(kerascompat, optimizer)
    for _ in range(3):
        ours.train_on_batch(x, y)
    ours.save(tmp_path / "model.keras")
    theirs = TF_KERAS.models.load_model(tmp_path / "model.keras")
    if optimizer.startswith("adam"):  # torch's SGD keeps no step count: `fit` steps are not counted
        assert int(theirs.optimizer.iterations) == 3
    assert type(theirs.optimizer).__name__ == type(ours._optimizer_spec).__name__
    ours.train_on_batch(x, y)
    theirs.train_on_batch(x, y)
    for i, (a, b) in enumerate(zip(ours.get_weights(), theirs.get_weights())):
        assert_close(a, b, _STEP_TOL, _STEP_TOL, f"weight {i} after the next step")


def test_optimizer_variables_round_trip_exactly(tmp_path):
    """The Adam moments tf.keras wrote are the ones kerascompat writes back."""
    x, y = _batch()
    theirs = _trained(TF_KERAS, "adam-amsgrad")
    for _ in range(2):
        theirs.train_on_batch(x, y)
    theirs.save(tmp_path / "tf.keras")
    kerascompat.models.load_model(tmp_path / "tf.keras").save(tmp_path / "ours.keras")
    back = TF_KERAS.models.load_model(tmp_path / "ours.keras")
    expected = _tf_optimizer_values(theirs)
    got = _tf_optimizer_values(back)
    assert len(got) == len(expected)
    for i, (a, b) in enumerate(zip(got, expected)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=0, err_msg=f"optimizer variable {i}")

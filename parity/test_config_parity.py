"""Model configs cross between frameworks: for every whole-model case of the parity table,
  (a) tf.keras rebuilds our model's `get_config()` and, given our weights, computes our outputs;
  (b) kerascompat rebuilds tf.keras's `get_config()` and, given TF's weights, computes TF's outputs;
  (c) the same through `to_json()` / `keras.models.model_from_json`.
No custom objects are involved: every class in these models is a Keras built-in."""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from cases import CASES
from harness import TF_KERAS, _flat, _inputs, assert_close

MODEL_CASES = [c for c in CASES if c.build is not None and c.config_needs is None]

_OPS_NODE = ("tf.keras records the mask computation of Masking and Embedding(mask_zero=True) as a keras.ops node "
             "(NotEqual) in the functional config; kerascompat's functional graphs hold layer calls only")
# (test, case id) -> why the case fails today; strict, so a fix shows up as XPASS.
KNOWN = {
    ("tf_in_ours", "model-masking-lstm-pooling"): _OPS_NODE,
    ("tf_in_ours", "model-masking-bidirectional"): _OPS_NODE,
    ("tf_in_ours", "model-embedding-bidirectional-lstm"): _OPS_NODE,
    ("tf_in_ours", "model-embedding-global-average"): _OPS_NODE,
    ("tf_in_ours", "model-embedding-masked-gru-sequences"): _OPS_NODE,
    ("tf_in_ours", "model-masked-time-distributed-tagger"): _OPS_NODE,
}


def _params(direction):
    out = []
    for case in MODEL_CASES:
        reason = KNOWN.get((direction, case.id))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def _arrays(case):
    arrays, multi = _inputs(case, np.random.default_rng(0))
    if case.padded_lengths is not None:
        for b, length in enumerate(case.padded_lengths):
            arrays[0][b, length:] = 0.0
    return arrays, multi


def _run_ours(model, arrays, multi):
    model.eval()
    with torch.no_grad():
        feed = [torch.from_numpy(a) for a in arrays]
        return [o.numpy() for o in _flat(model(feed if multi else feed[0]))]


def _run_tf(model, arrays, multi):
    feed = [tf.constant(a) for a in arrays]
    return [o.numpy() for o in _flat(model(feed if multi else feed[0], training=False))]


def _perturbed(weights, seed=1):
    rng = np.random.default_rng(seed)
    return [w + rng.standard_normal(w.shape).astype(w.dtype) * 0.1 if w.dtype.kind == "f" else w for w in weights]


def _from_config(K, model_type_name, config):
    cls = K.Sequential if model_type_name == "Sequential" else K.Model
    return cls.from_config(config)


def _compare(case, ours, theirs):
    assert len(ours) == len(theirs), f"{len(ours)} outputs vs TensorFlow's {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, case.rtol, case.atol, f"output {i}")


@pytest.mark.parametrize("via_json", [False, True], ids=["config", "json"])
@pytest.mark.parametrize("case", _params("ours_in_tf"))
def test_tf_keras_rebuilds_our_model(case, via_json):
    arrays, multi = _arrays(case)
    ours = case.build(kerascompat)
    _run_ours(ours, arrays, multi)  # builds
    ours.set_weights(_perturbed(ours.get_weights()))
    if via_json:
        theirs = TF_KERAS.models.model_from_json(ours.to_json())
    else:
        theirs = _from_config(TF_KERAS, type(ours).__name__, ours.get_config())
    _run_tf(theirs, arrays, multi)
    theirs.set_weights(ours.get_weights())
    _compare(case, _run_ours(ours, arrays, multi), _run_tf(theirs, arrays, multi))


@pytest.mark.parametrize("via_json", [False, True], ids=["config", "json"])
@pytest.mark.parametrize("case", _params("tf_in_ours"))
def test_kerascompat_rebuilds_tf_keras_model(case, via_json):
    arrays, multi = _arrays(case)
    theirs = case.build(TF_KERAS)
    _run_tf(theirs, arrays, multi)  # builds
    theirs.set_weights(_perturbed(theirs.get_weights()))
    if via_json:
        ours = kerascompat.models.model_from_json(theirs.to_json())
    else:
        ours = _from_config(kerascompat, type(theirs).__name__, theirs.get_config())
    assert sorted(l.name for l in ours.layers) == sorted(l.name for l in theirs.layers)
    ours.set_weights(theirs.get_weights())
    _compare(case, _run_ours(ours, arrays, multi), _run_tf(theirs, arrays, multi))


def _lambda_model(K):
    x = K.Input((3,), name="x")
    return K.Model(x, K.layers.Lambda(lambda t: t * 2 + 1, output_shape=(3,), name="lam")(K.layers.Dense(3)(x)))


def test_lambda_bytecode_crosses_frameworks_with_safe_mode_false():
    arrays = [np.random.default_rng(0).standard_normal((2, 3)).astype("float32")]
    ours = _lambda_model(kerascompat)
    config = TF_KERAS.utils.serialize_keras_object(_lambda_model(TF_KERAS))
    with pytest.raises(ValueError, match="safe_mode=False"):
        kerascompat.saving.deserialize_keras_object(config)
    from_tf = kerascompat.saving.deserialize_keras_object(config, safe_mode=False)
    with pytest.raises(ValueError, match="safe_mode"):
        TF_KERAS.utils.deserialize_keras_object(kerascompat.saving.serialize_keras_object(ours))
    theirs = TF_KERAS.utils.deserialize_keras_object(kerascompat.saving.serialize_keras_object(ours), safe_mode=False)
    _run_tf(theirs, arrays, False)
    theirs.set_weights(ours.get_weights())
    from_tf.set_weights(ours.get_weights())
    expected = _run_ours(ours, arrays, False)
    assert_close(_run_tf(theirs, arrays, False)[0], expected[0], 1e-5, 1e-5, "tf.keras rebuilding our Lambda")
    assert_close(_run_ours(from_tf, arrays, False)[0], expected[0], 1e-5, 1e-5, "kerascompat rebuilding tf's Lambda")


def _nested_functional(K):
    inner_in = K.Input((4,))
    inner = K.Model(inner_in, K.layers.Dense(4, activation="tanh")(inner_in), name="inner_f")
    x = K.Input((4,), name="x")
    first = inner(x)
    return K.Model(x, [inner(first), K.layers.Dense(2)(first)])


@pytest.mark.parametrize("direction", ["ours_in_tf", "tf_in_ours"])
def test_nested_functional_model_called_twice_crosses_frameworks(direction):
    arrays = [np.random.default_rng(0).standard_normal((3, 4)).astype("float32")]
    if direction == "ours_in_tf":
        ours = _nested_functional(kerascompat)
        ours.set_weights(_perturbed(ours.get_weights()))
        theirs = TF_KERAS.Model.from_config(ours.get_config())
        _run_tf(theirs, arrays, False)
        theirs.set_weights(ours.get_weights())
    else:
        theirs = _nested_functional(TF_KERAS)
        _run_tf(theirs, arrays, False)
        theirs.set_weights(_perturbed(theirs.get_weights()))
        ours = kerascompat.Model.from_config(theirs.get_config())
        ours.set_weights(theirs.get_weights())
    ours_out, tf_out = _run_ours(ours, arrays, False), _run_tf(theirs, arrays, False)
    assert len(ours_out) == len(tf_out) == 2
    for i, (a, b) in enumerate(zip(ours_out, tf_out)):
        assert_close(a, b, 1e-5, 1e-5, f"output {i}")

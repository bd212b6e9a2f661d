"""Every whole-model case lists its layers in tf.keras's order, at every nesting level, and
`set_weights(tf_model.get_weights())` then reproduces TF's outputs: the weight order is
proven equal, so a coincidence of shapes can never hide a misordered weight."""

import numpy as np
import pytest

import kerascompat
from cases import CASES
from harness import TF_KERAS

MODEL_CASES = [c for c in CASES if c.build is not None]


def _layer_tree(model):
    """[(name, class name, nested tree or None), ...] in the model's `layers` order."""
    return [(layer.name, type(layer).__name__ if type(layer).__name__ != "Functional" else "Model",
             _layer_tree(layer) if hasattr(layer, "layers") and not hasattr(layer, "cell") else None)
            for layer in model.layers]


def _feed(case, rng):
    shapes = case.input_shapes if isinstance(case.input_shapes, list) else [case.input_shapes]
    if case.input_dtype.startswith("int"):  # token ids
        arrays = [rng.integers(0, 5, size=s).astype(case.input_dtype) for s in shapes]
    else:
        arrays = [rng.standard_normal(s).astype("float32") for s in shapes]
    return arrays if len(arrays) > 1 else arrays[0]


def _flat(out):
    if isinstance(out, dict):
        return [out[k] for k in sorted(out)]
    if isinstance(out, (list, tuple)):
        return list(out)
    return [out]


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda c: c.id)
def test_layer_order_matches_tf(case):
    kerascompat.backend.clear_session()
    TF_KERAS.backend.clear_session()
    theirs = case.build(TF_KERAS)
    ours = case.build(kerascompat)
    feed = _feed(case, np.random.default_rng(0))
    theirs(feed)
    ours(feed)
    assert _layer_tree(ours) == _layer_tree(theirs)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    # Random weights with every value distinct: any misplaced weight changes the outputs.
    rng = np.random.default_rng(1)
    values = [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    theirs.set_weights(values)
    ours.set_weights(values)
    ours.eval()
    expected = [np.asarray(t) for t in _flat(theirs(feed, training=False))]
    got = [o.detach().numpy() for o in _flat(ours(feed))]
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5 * max(1.0, float(np.abs(e).max())))

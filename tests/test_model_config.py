"""Functional and Sequential models round-trip through get_config / from_config (TensorFlow-free:
the whole-model builders of the parity table are plain Keras code)."""

import os
import sys

import pytest
import torch

import kerascompat
from kerascompat import layers

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity"))
import cases  # noqa: E402

MODEL_CASES = [c for c in cases.CASES if c.build is not None]


def _flat(out):
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, dict):
        return [out[k] for k in sorted(out)]
    return list(out)


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda c: c.id)
def test_model_config_round_trip(case):
    model = case.build(kerascompat)
    clone = type(model).from_config(model.get_config())
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    clone.set_weights(model.get_weights())
    shapes = case.input_shapes if isinstance(case.input_shapes, list) else [case.input_shapes]
    xs = [torch.randn(s) for s in shapes]
    feed = xs if len(xs) > 1 else xs[0]
    model.eval()
    clone.eval()
    for a, b in zip(_flat(model(feed)), _flat(clone(feed))):
        torch.testing.assert_close(a, b)
    assert clone.get_config() == model.get_config()


def test_model_with_lambda_cannot_be_serialized_and_says_so():
    x = kerascompat.Input((3,))
    model = kerascompat.Model(x, layers.Lambda(lambda t: t * 2)(x))
    with pytest.raises(NotImplementedError, match="Lambda"):
        model.get_config()

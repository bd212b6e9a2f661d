"""What tf.keras rejects, kerascompat rejects too (symbolically, in the functional API)."""

import pytest

import kerascompat
from harness import TF_KERAS

REJECTED = [
    ("Add", {}, [(3,), (4,)]),
    ("Add", {}, [(2, 3), (3, 3)]),
    ("Multiply", {}, [(4, 3), (4,)]),
    ("Maximum", {}, [(2, 5), (3, 5)]),
    ("Subtract", {}, [(3,), (3,), (3,)]),
    ("Subtract", {}, [(3,)]),
    ("Concatenate", {}, [(3, 4), (4, 4)]),
    ("Concatenate", {"axis": 1}, [(2, 3), (2, 4)]),
    ("Concatenate", {}, [(3, 4), (3,)]),
    ("Dot", {"axes": 1}, [(4,), (5,)]),
    ("Dot", {"axes": (1, 2)}, [(3, 5), (4, 5)]),
    ("Dot", {"axes": 1}, [(4,), (4,), (4,)]),
    ("Dense", {"units": 0}, None),
    ("Dropout", {"rate": 1.5}, None),
    ("Permute", {"dims": (1, 3)}, None),
    ("Reshape", {"target_shape": (5,)}, [(3, 4)]),
]


def _attempt(K, layer, kwargs, shapes):
    obj = getattr(K.layers, layer)(**kwargs)
    if shapes is None:
        return
    inputs = [K.Input(shape=s) for s in shapes]
    obj(inputs if len(inputs) > 1 or layer in ("Subtract", "Dot", "Add") else inputs[0])


@pytest.mark.parametrize("layer,kwargs,shapes", REJECTED, ids=lambda v: str(v))
def test_rejected_by_both(layer, kwargs, shapes):
    with pytest.raises(ValueError):
        _attempt(TF_KERAS, layer, kwargs, shapes)
    with pytest.raises(ValueError):
        _attempt(kerascompat, layer, kwargs, shapes)


from cases import INCONSISTENT_TRANSPOSE  # noqa: E402


@pytest.mark.parametrize("kwargs,shape", INCONSISTENT_TRANSPOSE, ids=str)
def test_inconsistent_output_padding_rejected_by_both(kwargs, shape):
    import numpy as np

    x = np.zeros(shape, dtype="float32")
    with pytest.raises(Exception):
        TF_KERAS.layers.Conv2DTranspose(**kwargs)(x)
    with pytest.raises(ValueError, match="output_padding"):
        kerascompat.layers.Conv2DTranspose(**kwargs)(x)

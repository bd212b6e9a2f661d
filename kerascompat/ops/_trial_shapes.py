"""Pure arithmetic of shape trials: unknown (None) sizes are replaced by placeholder sizes in two
runs, and an output size that differs between the runs depends on an unknown input size (None).

Used by the layers' output-shape inference (engine/shape_inference.py) and by symbolic op calls
(ops/symbolic.py).
"""

import torch

from .. import _tree

# Placeholder sizes for unknown dimensions: run A and run B, one per axis position (cycled).
# Large primes on fake tensors (free); small ones for runs on real data.
FAKE_SIZES = ((1031, 1033, 1039, 1049, 1051, 1061, 1063, 1069), (2053, 2063, 2069, 2081, 2083, 2087, 2089, 2099))
REAL_SIZES = ((5, 7, 11, 13, 17, 19, 23, 29), (31, 37, 41, 43, 47, 53, 59, 61))


def fill(input_shape, sizes):
    """Unknown sizes -> placeholders, one per axis position (the batch axes of several inputs
    get the same size, so they still broadcast together)."""

    def concrete(shape):
        return tuple(sizes[i % len(sizes)] if d is None else d for i, d in enumerate(shape))

    return _tree.map_shapes(concrete, input_shape)


def shapes_of(outputs):
    """Output shapes; a size the run could not know (a symbolic size of a data-dependent output
    on fake tensors) is None."""
    return _tree.map_structure(
        lambda t: tuple(d if type(d) is int else None for d in t.shape) if isinstance(t, torch.Tensor) else None,
        outputs)


def merge(a, b):
    if a is None or b is None:
        return None
    if len(a) != len(b):
        return tuple(None for _ in a)  # the rank itself depends on an unknown size
    return tuple(x if x == y else None for x, y in zip(a, b))


def merge_structures(a, b):
    if isinstance(a, tuple) and all(d is None or isinstance(d, int) for d in a):
        return merge(a, b)
    if isinstance(a, dict):
        return {k: merge_structures(a[k], b[k]) for k in a}
    if isinstance(a, (list, tuple)):
        return type(a)(merge_structures(x, y) for x, y in zip(a, b))
    return None

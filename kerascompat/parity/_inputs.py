"""The arrays both models are fed: the user's (normalised to numpy), or seeded random ones drawn
from the model's input specs."""

import numpy as np

BATCH_SIZE = 2
UNKNOWN_SIZE = 8  # a None dimension other than the batch one
FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")


def input_specs(model):
    """[(name, batch shape, dtype name, exclusive upper bound for integer draws or None)], or None
    when the model does not declare its inputs (a subclassed model, an unbuilt Sequential)."""
    from ..models import Functional, Sequential

    if isinstance(model, Functional):
        specs = []
        for tensor in model.inputs:
            bound = _embedding_bound(_consumers(model, tensor))
            specs.append((tensor._keras_history[0].name, tuple(tensor.shape), _dtype_name(tensor.dtype), bound))
        return specs
    if isinstance(model, Sequential) and model._input_batch_shape is not None:
        first = model.layers[:1]
        return [(model._input_layer_name or "input", tuple(model._input_batch_shape), _dtype_name(model._input_dtype_name),
                 _embedding_bound(first))]
    return None


def _dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def _consumers(model, tensor):
    layers = []
    for node in model._nodes:
        if any(t._kid == tensor._kid for t in node.input_tensors):
            layers.append(getattr(node, "layer", None))
    return layers


def _embedding_bound(layers):
    """The smallest `input_dim` among the layers reading an input directly (Embedding's vocabulary)."""
    bounds = [layer.input_dim for layer in layers
              if isinstance(getattr(layer, "input_dim", None), int) and not isinstance(layer.input_dim, bool)]
    return min(bounds) if bounds else None


def random_inputs(specs, seed):
    """Seeded arrays for `specs`: standard normal floats, integers in [0, input_dim) for inputs read
    by an Embedding (kept in the input's dtype), integers in [0, 10) for other integer inputs."""
    rng = np.random.default_rng(seed)
    arrays = []
    for _, shape, dtype, bound in specs:
        size = tuple(BATCH_SIZE if i == 0 and d is None else (UNKNOWN_SIZE if d is None else d)
                     for i, d in enumerate(shape))
        numpy_dtype = "float32" if dtype == "bfloat16" else dtype
        if bound is not None or dtype not in FLOAT_DTYPES:
            arrays.append(rng.integers(0, bound or 10, size=size).astype(numpy_dtype))
        else:
            arrays.append(rng.standard_normal(size).astype(numpy_dtype))
    return arrays


def to_numpy(value):
    """A numpy array from a numpy array, torch tensor, TensorFlow tensor or nested Python numbers."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # torch
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):  # TensorFlow eager tensor
        return np.asarray(value.numpy())
    return np.asarray(value)


def normalize_inputs(inputs):
    """(structure, [(name, array)]): the user's `inputs` as one array, a list of arrays or a dict
    of arrays (keyed by input name), and its leaves with the names the report gives them."""
    if isinstance(inputs, dict):
        for key in inputs:
            if not isinstance(key, str):
                raise TypeError("The keys of `inputs` must be the model's input names (strings). "
                                f"Received: `inputs` with key {key!r}")
        return "dict", [(key, to_numpy(inputs[key])) for key in sorted(inputs)]
    if isinstance(inputs, (list, tuple)) and inputs and not all(isinstance(v, (int, float)) for v in inputs):
        return "list", [(f"input {i}", to_numpy(v)) for i, v in enumerate(inputs)]
    return "single", [("input", to_numpy(inputs))]


def pack(structure, names, values):
    """The values laid out as the model takes them (see `normalize_inputs`)."""
    if structure == "dict":
        return dict(zip(names, values))
    if structure == "list":
        return list(values)
    return values[0]

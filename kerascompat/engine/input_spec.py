"""Keras's `InputSpec` (`keras.InputSpec`, `keras.layers.InputSpec`) and its check.

A layer that sets `self.input_spec` has its first argument checked on every call, eager or
symbolic, with Keras's error wording (`assert_input_compatibility`). A layer without one pays
nothing: `Layer.input_spec`'s setter installs the checking call path on that layer only.
"""

from .. import _tree
from ..backend.dtypes import standardize_dtype


class InputSpec:
    """The rank, dtype and shape every input of a layer must have (Keras's InputSpec).

    Args: `dtype`, `shape` (with the batch size; None for any size), `ndim`, `max_ndim`,
    `min_ndim`, `axes` (a dict {axis: size}), `allow_last_axis_squeeze` (accept rank N+1 with
    a last axis of 1, and rank N-1 when the spec's last axis is 1), `name` (the key of this input
    when inputs come as a dict), `optional` (the input may be None).
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = tuple(None if d is None else int(d) for d in shape)
            self.ndim = len(self.shape)
        else:
            self.ndim = ndim
            self.shape = None
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            axes = axes or {}
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise TypeError(f"Argument `axes` must be a dict with integer keys. Received: axes={axes}") from None
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            max_axis = max(self.axes)
            if max_axis > max_dim:
                raise ValueError(f"Axis {max_axis} is greater than the maximum allowed value: {max_dim}")

    def __repr__(self):
        spec = [
            f"dtype={self.dtype}" if self.dtype else "",
            f"shape={self.shape}" if self.shape else "",
            f"ndim={self.ndim}" if self.ndim else "",
            f"max_ndim={self.max_ndim}" if self.max_ndim else "",
            f"min_ndim={self.min_ndim}" if self.min_ndim else "",
            f"axes={self.axes}" if self.axes else "",
        ]
        return f"InputSpec({', '.join(x for x in spec if x)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes, "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _shape(x):
    return tuple(None if d is None else int(d) for d in x.shape)


def _ordered_inputs(specs, inputs):
    """Dict inputs in the order of the specs' names (when every spec has one), flattened."""
    if isinstance(inputs, dict):
        names = [spec.name for spec in specs]
        if all(names):
            for name in names:
                if name not in inputs:
                    raise ValueError(
                        f'Missing data for input "{name}". You passed a data dictionary with keys '
                        f"{list(inputs.keys())}. Expected the following keys: {names}")
            inputs = [inputs[name] for name in names]
    return _tree.flatten(inputs)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raise Keras's ValueError when `inputs` (tensors or KerasTensors) do not satisfy
    `input_spec` (an InputSpec, or a nested structure of them with None for unchecked inputs)."""
    if not input_spec:
        return
    specs = _tree.flatten(input_spec)
    inputs = _ordered_inputs(specs, inputs)
    if len(inputs) != len(specs):
        names = [spec.name for spec in specs if spec is not None]
        if len(names) == len(specs) and all(names):
            keys = ", ".join(f"'{n}': ..." for n in names)
            raise ValueError(
                f'Layer "{layer_name}" expects {len(specs)} named input(s) with keys {names}, but it '
                f"received {len(inputs)} input tensors. Pass inputs as a dict, e.g. `layer({{{keys}}})`.")
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
                         f"{len(inputs)} input tensors. Inputs received: {inputs}")
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        _check_one(index, x, spec, layer_name)


def _check_one(index, x, spec, layer_name):
    if not hasattr(x, "shape"):
        raise ValueError(f"Inputs to a layer should be tensors. Got '{x}' (of type {type(x)}) as input for "
                         f"layer '{layer_name}'.")
    shape = _shape(x)
    ndim = len(shape)
    head = f"Input {index} with name '{spec.name}' of layer '{layer_name}' is incompatible with the layer: "
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise ValueError(f"{head}expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{head}expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{head}expected min_ndim={spec.min_ndim}, found ndim={ndim}. Full shape received: {shape}")
    if spec.dtype is not None:
        dtype = standardize_dtype(x.dtype)
        if dtype != spec.dtype:
            raise ValueError(f"{head}expected dtype={spec.dtype}, found dtype={dtype}")
    for axis, value in spec.axes.items():
        if value is not None and shape[axis] not in (value, None):
            raise ValueError(f"{head}expected axis {axis} of input shape to have value {value}, but received "
                             f"input with shape {shape}")
    if spec.shape is not None:
        spec_shape = spec.shape
        if spec.allow_last_axis_squeeze:
            if shape and shape[-1] == 1:
                shape = shape[:-1]
            if spec_shape and spec_shape[-1] == 1:
                spec_shape = spec_shape[:-1]
        for spec_dim, dim in zip(spec_shape, shape):
            if spec_dim is not None and dim is not None and spec_dim != dim:
                raise ValueError(f"{head}expected shape={spec.shape}, found shape={shape}")

"""The one input converter: numpy arrays, Python numbers and torch tensors -> torch tensors in
the dtype and on the device of a layer's own parameters.

Keras casts a layer's floating-point inputs to its compute dtype; here the compute dtype is what
the parameters really are, so after `model.double()`, `model.half()` or `model.to(device)`,
`model(numpy_array)` still works. Integer and boolean inputs keep their dtype (indices, masks)
and only move to the device.

    ref = reference_tensor(model)            # the first floating-point parameter (or buffer)
    x = to_tensor(np.ones((2, 3)), like=ref)  # float64 array -> ref.dtype on ref.device
"""

import numbers

import numpy as np
import torch

__all__ = ["reference_tensor", "to_tensor", "convert_structure"]


def reference_tensor(module):
    """The tensor whose dtype and device inputs of `module` take: its first floating-point
    parameter, else its first floating-point buffer, else None."""
    found = find_reference(module)
    if found is None:
        return None
    owner, key, is_buffer = found
    return (owner._buffers if is_buffer else owner._parameters)[key]


def find_reference(module):
    """(owning module, key, is_buffer) of `reference_tensor(module)`, or None. The owner and key
    stay valid when `.to()`/`.double()`/`load_state_dict(assign=True)` replace the tensor."""
    for owner in module.modules():
        for key, p in owner._parameters.items():
            if p is not None and p.is_floating_point():
                return owner, key, False
    for owner in module.modules():
        for key, b in owner._buffers.items():
            if b is not None and b.is_floating_point():
                return owner, key, True
    return None


def _is_array_like(x):
    if isinstance(x, (np.ndarray, np.generic, numbers.Number)):
        return True
    # A (nested) list of numbers is one array; a list of arrays/tensors is a structure.
    return isinstance(x, (list, tuple)) and bool(x) and not isinstance(x[0], (np.ndarray, torch.Tensor, list, tuple, dict))


def to_tensor(x, like=None, dtype=torch.float32, cast_floats=True):
    """One input as a torch tensor.

    `like`: the reference tensor (see `reference_tensor`); floating-point inputs take its dtype
    (when it is floating point) and every input its device. Without one, floating-point numpy
    arrays and Python floats become `dtype` (Keras's floatx) and torch tensors are unchanged.
    `cast_floats=False` (a layer with `autocast=False`) keeps floating-point dtypes.
    """
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        tensor = x
    elif _is_array_like(x) and not isinstance(x, (str, bytes)):
        array = np.asarray(x)
        if array.dtype == object or array.dtype.kind in "USV":
            raise TypeError(f"Cannot convert an input of dtype {array.dtype} to a tensor. Received: {_short(x)}")
        tensor = torch.from_numpy(np.ascontiguousarray(array))
        if tensor.is_floating_point() and cast_floats and like is None:
            tensor = tensor.to(dtype)
    else:
        raise TypeError(
            "Inputs must be torch tensors, numpy arrays or Python numbers. "
            f"Received an input of type {type(x).__name__}: {_short(x)}"
        )
    if like is not None:
        target = like.dtype if (cast_floats and tensor.is_floating_point() and like.is_floating_point()) else tensor.dtype
        if tensor.device != like.device or tensor.dtype != target:
            tensor = tensor.to(device=like.device, dtype=target)
    return tensor


def convert_structure(inputs, like=None, dtype=torch.float32, cast_floats=True):
    """`to_tensor` over a list/tuple/dict of inputs (a list of numbers is one array)."""
    if isinstance(inputs, dict):
        return {k: convert_structure(v, like, dtype, cast_floats) for k, v in inputs.items()}
    if isinstance(inputs, (list, tuple)) and not _is_array_like(inputs):
        return type(inputs)(convert_structure(v, like, dtype, cast_floats) for v in inputs)
    return to_tensor(inputs, like, dtype, cast_floats)


def _short(x):
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."

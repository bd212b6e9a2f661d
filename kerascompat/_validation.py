"""Argument clean-up shared by every layer, so that errors are worded the same way.

Messages follow Keras's form: they name the argument in backticks, say what is
accepted, and end with what was received.
"""

import numbers

import torch

_FLOAT_DTYPES = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
}
_INT_DTYPES = {
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "bool": torch.bool,
}


def received(name, value):
    return f"Received: `{name}`={value!r}"


def standardize_dtype(dtype, argname="dtype", allow_int=False):
    """Turns a Keras dtype spelling (string, numpy or torch dtype) into a torch dtype."""
    if dtype is None:
        return torch.float32
    if isinstance(dtype, torch.dtype):
        out = dtype
    else:
        key = getattr(dtype, "name", None)  # numpy dtypes, Keras DTypePolicy
        if key is None:
            key = dtype.__name__ if isinstance(dtype, type) else dtype
        if isinstance(dtype, dict):  # serialized DTypePolicy
            key = dtype.get("config", {}).get("name")
        if not isinstance(key, str):
            raise TypeError(
                f"The `{argname}` argument must be a dtype name such as 'float32'. "
                + received(argname, dtype)
            )
        if key.startswith("mixed_"):
            raise NotImplementedError(
                f"Mixed-precision dtype policies are not supported (`{argname}`="
                f"{key!r}); use torch.autocast instead."
            )
        out = _FLOAT_DTYPES.get(key) or _INT_DTYPES.get(key)
        if out is None:
            raise ValueError(
                f"Unknown `{argname}`. Expected one of "
                f"{sorted(_FLOAT_DTYPES) + sorted(_INT_DTYPES)}. " + received(argname, dtype)
            )
    if not allow_int and not out.is_floating_point:
        raise ValueError(
            f"The `{argname}` of a layer with weights must be a floating point type. "
            + received(argname, dtype)
        )
    return out


def dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def positive_int(value, argname, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(
            f"Received an invalid value for `{argname}`, expected a positive integer. "
            f"Received: {argname}={value!r}"
        )
    return int(value)


def check_bool(value, argname):
    if not isinstance(value, bool):
        raise TypeError(
            f"The `{argname}` argument must be a boolean. " + received(argname, value)
        )
    return value


def rate(value, argname="rate"):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(
            f"Invalid value received for argument `{argname}`. Expected a float value "
            f"between 0 and 1. Received: {argname}={value!r}"
        )
    return float(value)


def normalize_tuple(value, n, argname, allow_zero=False):
    """Keras's `standardize_tuple`: an int or an iterable of n ints -> a tuple of n ints."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value_tuple = (int(value),) * n
    else:
        try:
            value_tuple = tuple(value)
        except TypeError:
            raise TypeError(
                f"The `{argname}` argument must be a tuple of {n} integers. "
                f"Received: {argname}={value!r}"
            ) from None
        if len(value_tuple) != n or not all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value_tuple
        ):
            raise ValueError(
                f"The `{argname}` argument must be a tuple of {n} integers. "
                f"Received: {argname}={value!r}"
            )
        value_tuple = tuple(int(v) for v in value_tuple)
    lowest = 0 if allow_zero else 1
    bad = [v for v in value_tuple if v < lowest]
    if bad:
        req = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"The `{argname}` argument must be a tuple of {n} integers. Received "
            f"{argname}={value!r} including values {set(bad)} that do not satisfy `value {req}`"
        )
    return value_tuple


def one_of(value, argname, allowed):
    if isinstance(value, str):
        low = value.lower()
        if low in allowed:
            return low
    raise ValueError(
        f"Invalid value for argument `{argname}`. Expected one of {sorted(allowed)}. "
        + received(argname, value)
    )


def data_format(value):
    if value is None:
        return "channels_last"
    return one_of(value, "data_format", ("channels_last", "channels_first"))


def padding(value, allowed=("valid", "same")):
    return one_of(value, "padding", allowed)


def incompatible_input(layer, expected, shape):
    """The ValueError for an input that does not fit a layer, worded as Keras's InputSpec check."""
    return ValueError(
        f'Input 0 of layer "{layer.name}" is incompatible with the layer: {expected}, '
        f"but received input with shape {tuple(shape)}"
    )


def unsupported(owner, arg, value, supported):
    """The NotImplementedError for a Keras argument value kerascompat does not implement;
    `supported` says what is (e.g. "save_weights_only=True")."""
    return NotImplementedError(
        f"{owner}: the Keras argument `{arg}` is not supported by kerascompat "
        f"(only {supported}). " + received(arg, value)
    )


def reject_unsupported(layer_name, **flags):
    """Raise NotImplementedError for a Keras argument that was set to a value we do not support."""
    for arg, (value, default) in flags.items():
        if value != default:
            raise unsupported(layer_name, arg, value, f"{arg}={default!r}")


def normalize_padding_pairs(value, rank, argname):
    """ZeroPadding/Cropping forms: int, tuple of `rank` ints, or tuple of `rank` (lo, hi) pairs.

    For rank 1 a single (lo, hi) pair is the Keras form.
    """
    def bad():
        return ValueError(
            f"`{argname}` should be an int, a tuple of {rank} ints, or a tuple of {rank} tuples of 2 "
            f"non-negative ints. Received: {argname}={value!r}"
        )

    def nonneg_int(v):
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    if nonneg_int(value):
        return ((value, value),) * rank
    if not isinstance(value, (tuple, list)):
        raise bad()
    value = tuple(value)
    if rank == 1:
        if len(value) == 2 and all(nonneg_int(v) for v in value):
            return (value,)
        if len(value) == 1 and nonneg_int(value[0]):
            return ((value[0], value[0]),)
        raise bad()
    if len(value) != rank:
        raise bad()
    pairs = []
    for v in value:
        if nonneg_int(v):
            pairs.append((v, v))
        elif isinstance(v, (tuple, list)) and len(v) == 2 and all(nonneg_int(u) for u in v):
            pairs.append(tuple(v))
        else:
            raise bad()
    return tuple(pairs)


"""Keras's dtype names and type promotion, on torch dtypes.

Keras names dtypes by strings ("float32", "int8", ...) and promotes them with a lattice adapted
from JAX (keras/src/backend/common/dtypes.py), not with torch's or numpy's rules:
int8 + uint8 -> int16, int32 + float16 -> float16, a Python int or float is a *weak* type that
takes the other operand's dtype where it can, and a lone weak type resolves to floatx's width.
We follow tf.keras as shipped with TensorFlow (the parity target), so 64-bit results stay 64-bit
(Keras's torch and JAX backends would narrow int64/float64 to 32 bits) and the Python `int` type
standardizes to "int64".
"""

import functools

import numpy as np
import torch

from . import settings as _backend

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
WEAK_TYPES = ("int", "float")
COMPLEX_TYPES = ("complex64", "complex128")
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
ALLOWED_DTYPES = (
    "float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64", "int8", "int16",
    "int32", "int64", "bfloat16", "bool", "string", "float8_e4m3fn", "float8_e5m2", "complex64",
    "complex128",
)

# Python types as the TensorFlow backend names them.
PYTHON_DTYPES_MAP = {
    bool: "bool", int: "int64", float: "float32", str: "string", complex: "complex128",
    "int": "int64",
}

_TORCH_DTYPES = {
    "bool": torch.bool, "uint8": torch.uint8, "int8": torch.int8, "int16": torch.int16,
    "int32": torch.int32, "int64": torch.int64, "float16": torch.float16,
    "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
for _name in ("uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2"):
    if hasattr(torch, _name):  # added to torch over the 2.x releases
        _TORCH_DTYPES[_name] = getattr(torch, _name)
_TORCH_NAMES = {v: k for k, v in _TORCH_DTYPES.items()}


def standardize_dtype(dtype):
    """Keras's name for `dtype` (a string, torch/numpy dtype or Python type); None is floatx."""
    name = _TORCH_NAMES.get(dtype) if isinstance(dtype, torch.dtype) else None
    if name is not None:
        return name
    if dtype is None:
        return _backend.floatx()
    if isinstance(dtype, str):
        name = PYTHON_DTYPES_MAP.get(dtype, dtype)
    elif dtype in PYTHON_DTYPES_MAP:
        name = PYTHON_DTYPES_MAP[dtype]
    elif isinstance(dtype, torch.dtype):
        name = str(dtype).split(".")[-1]
    elif hasattr(dtype, "name"):  # numpy dtypes, tf.DType, ...
        name = dtype.name
    elif isinstance(dtype, type) and issubclass(dtype, np.generic):
        name = np.dtype(dtype).name
    elif hasattr(dtype, "__name__"):
        name = dtype.__name__
    else:
        name = str(dtype)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype}")
    return name


def to_torch_dtype(dtype):
    """The torch dtype for a Keras dtype (any form `standardize_dtype` accepts)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    name = standardize_dtype(dtype)
    try:
        return _TORCH_DTYPES[name]
    except KeyError:
        raise ValueError(f"dtype {name!r} has no torch equivalent. Received: `dtype`={dtype!r}")


def is_float_dtype(dtype):
    name = standardize_dtype(dtype)
    return name.startswith("float") or name.startswith("bfloat")


def is_int_dtype(dtype):
    name = standardize_dtype(dtype)
    return name.startswith("int") or name.startswith("uint")


def is_complex_dtype(dtype):
    return standardize_dtype(dtype).startswith("complex")


# The promotion lattice: each dtype points to the dtypes directly above it. A weak `int` sits
# below every integer width (so int8 + 1 stays int8), a weak `float` below every float width.
_LATTICE = {
    "bool": ("int",),
    "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for above in _LATTICE[todo.pop()]:
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
        bounds[node] = frozenset(seen)
    return bounds


_UPPER = _upper_bounds()


def _join(nodes):
    """The least upper bound of `nodes` on the lattice."""
    for n in nodes:
        if n not in _UPPER:
            raise ValueError(f"dtype={n!r} is not a valid dtype for Keras type promotion.")
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    least = [c for c in common if common <= _UPPER[c]]
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {tuple(nodes)} have no available implicit dtype promotion path. "
            "Try explicitly casting inputs to the desired output type."
        )
    return least[0]


def _weak(name):
    if name == "bool":
        return name
    if "float" in name:
        return "float"
    if "int" in name:
        return "int"
    return name


def _resolve_weak(name, precision):
    if name == "int":
        return "int" + precision
    if name == "float":
        return "float" + precision
    return name


_TF_NARROWING = {"uint64": "uint32", "complex128": "complex64"}


@functools.lru_cache(1024)
def _promote(pairs, floatx):
    names = [n for n, _ in pairs]
    weak = [w for _, w in pairs]
    if len(pairs) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _join(set(names)), True
    else:
        out = _join({_weak(n) if w else n for n, w in pairs})
        out_weak = out in WEAK_TYPES
    if out_weak and out != "bool":
        out = _resolve_weak(_weak(out), floatx[-2:])
    # The TensorFlow backend keeps int64 and float64 but narrows these two.
    return _TF_NARROWING.get(out, out)


def _key(arg, floatx):
    if arg is int or arg is float:
        return PYTHON_DTYPES_MAP[arg], True
    if arg is None:
        return floatx, False
    name = standardize_dtype(arg)
    if name in FLOAT8_TYPES:
        raise ValueError(
            "There is no implicit conversions from float8 dtypes to others. You must cast it "
            f"explicitly. Received: {name}"
        )
    return name, False


def result_type(*dtypes):
    """Keras's `backend.result_type`: the dtype of combining `dtypes` (Python `int`/`float` weak).

    result_type("int8", "uint8") -> "int16"; result_type("int32", float) -> "float32";
    result_type("float16", int) -> "float16"; result_type() -> floatx.
    """
    floatx = _backend.floatx()
    if not dtypes:
        return floatx
    return _promote(tuple(_key(d, floatx) for d in dtypes), floatx)

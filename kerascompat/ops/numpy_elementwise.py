"""keras.ops elementwise functions (keras/src/ops/numpy.py) on torch.

Result dtypes follow Keras: 'float' functions (sin, exp, sqrt, ...) of ints and bools give floatx;
binary functions promote with Keras's lattice (backend.dtypes.result_type), Python numbers weak.
"""

import torch

from kerascompat import backend as _backend
from kerascompat.backend.dtypes import _TORCH_DTYPES, result_type
from kerascompat.ops._convert import binary, binary_tensors, convert, dtype_name, to_float


def _float_result(x1, x2, weak=False):
    return binary_tensors(x1, x2, float, weak=weak)


# --- unary, float results -------------------------------------------------------------------
def sin(x):
    return torch.sin(to_float(x))


def cos(x):
    return torch.cos(to_float(x))


def tan(x):
    return torch.tan(to_float(x))


def arcsin(x):
    return torch.asin(to_float(x))


def arccos(x):
    return torch.acos(to_float(x))


def arctan(x):
    return torch.atan(to_float(x))


def sinh(x):
    return torch.sinh(to_float(x))


def cosh(x):
    return torch.cosh(to_float(x))


def tanh(x):
    return torch.tanh(to_float(x))


def arcsinh(x):
    return torch.asinh(to_float(x))


def arccosh(x):
    return torch.acosh(to_float(x))


def arctanh(x):
    return torch.atanh(to_float(x))


def exp(x):
    return torch.exp(to_float(x))


def exp2(x):
    return torch.exp2(to_float(x))


def expm1(x):
    return torch.expm1(to_float(x))


def log(x):
    return torch.log(to_float(x))


def log2(x):
    return torch.log2(to_float(x))


def log10(x):
    return torch.log10(to_float(x))


def log1p(x):
    return torch.log1p(to_float(x))


def sqrt(x):
    return torch.sqrt(to_float(x))


def cbrt(x):
    x = to_float(x)
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


def deg2rad(x):
    return torch.deg2rad(to_float(x))


def rad2deg(x):
    return torch.rad2deg(to_float(x))


def i0(x):
    return torch.special.i0(to_float(x))


def sinc(x):
    return torch.sinc(to_float(x))


def ceil(x):
    return torch.ceil(to_float(x))


def floor(x):
    return torch.floor(to_float(x))


def reciprocal(x):
    return torch.reciprocal(to_float(x))


# --- unary, dtype kept ----------------------------------------------------------------------
def absolute(x):
    x = convert(x)
    if x.dtype == torch.bool:
        return x
    return torch.abs(x)


abs = absolute


def fabs(x):
    return torch.abs(to_float(x))


def negative(x):
    return torch.negative(convert(x))


def square(x):
    x = convert(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


def sign(x):
    x = convert(x)
    if x.dtype == torch.bool:
        return x
    return torch.sign(x)


def signbit(x):
    x = convert(x)
    if x.dtype == torch.bool:
        return torch.zeros_like(x)
    return torch.signbit(x)


def trunc(x):
    x = convert(x)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        return x
    return torch.trunc(x)


def round(x, decimals=0):
    x = convert(x)
    if x.dtype.is_floating_point:
        return torch.round(x, decimals=decimals)
    if decimals >= 0 or x.dtype == torch.bool:
        return x
    # Integers rounded to tens, hundreds, ...: half to even on the scaled value, as numpy.
    factor = 10.0 ** (-decimals)
    return (torch.round(x.to(torch.float64) / factor) * factor).to(x.dtype)


def conjugate(x):
    x = convert(x)
    return torch.conj_physical(x) if x.dtype.is_complex else x


conj = conjugate


def real(x):
    x = convert(x)
    return torch.real(x) if x.dtype.is_complex else x


def imag(x):
    x = convert(x)
    return torch.imag(x) if x.dtype.is_complex else torch.zeros_like(x)


def angle(x):
    x = to_float(x)
    return torch.angle(x)


def isreal(x):
    x = convert(x)
    if x.dtype.is_complex:
        return torch.imag(x) == 0
    return torch.ones_like(x, dtype=torch.bool)


def isfinite(x):
    return torch.isfinite(convert(x))


def isinf(x):
    return torch.isinf(convert(x))


def isnan(x):
    return torch.isnan(convert(x))


def isneginf(x):
    return torch.isneginf(convert(x))


def isposinf(x):
    return torch.isposinf(convert(x))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert(x)
    if not x.dtype.is_floating_point:
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def clip(x, x_min, x_max):
    x = convert(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clamp(x, x_min, x_max)


def copy(x):
    return convert(x).clone()


def logical_not(x):
    return torch.logical_not(convert(x))


def bitwise_invert(x):
    return torch.bitwise_not(convert(x))


bitwise_not = bitwise_invert


# --- binary, promoted with the lattice ------------------------------------------------------
def add(x1, x2):
    x1, x2, _ = binary(x1, x2)
    if not isinstance(x1, torch.Tensor):
        x1, x2 = x2, x1
    return torch.add(x1, x2)


def subtract(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2, weak=True)
    if dt == torch.bool:  # as numpy and Keras's other backends
        raise TypeError(
            "`subtract` does not support two bool operands; use `logical_xor` or cast to an integer "
            "dtype first. Received: `x1` dtype=bool, `x2` dtype=bool"
        )
    return torch.sub(x1, x2)


def multiply(x1, x2):
    x1, x2, _ = binary(x1, x2)
    if not isinstance(x1, torch.Tensor):
        x1, x2 = x2, x1
    return torch.mul(x1, x2)


def divide(x1, x2):
    x1, x2, _ = _float_result(x1, x2, weak=True)
    return torch.div(x1, x2)


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2, _ = _float_result(x1, x2, weak=True)
    return torch.where(x2 == 0, torch.zeros((), dtype=x1.dtype, device=x1.device), x1 / x2)


def floor_divide(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2, weak=True)
    if dt == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
        return torch.floor_divide(x1, x2).to(dt)
    return torch.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2)
    if dt == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.remainder(x1, x2)


def fmod(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2)
    if dt == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.fmod(x1, x2)


def power(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2, weak=True)
    if dt == torch.bool:  # torch has no bool pow; x ** y of truth values is x or not y
        return torch.logical_or(x1, torch.logical_not(x2))
    return torch.pow(x1, x2)


def maximum(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2, weak=True)
    return torch.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2, weak=True)
    return torch.minimum(x1, x2)


def fmax(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2, weak=True)
    return torch.fmax(x1, x2)


def fmin(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2, weak=True)
    return torch.fmin(x1, x2)


def arctan2(x1, x2):
    x1, x2, _ = _float_result(x1, x2)
    return torch.atan2(x1, x2)


def _int_to_float(dt):
    # hypot/heaviside: ints up to 32 bits compute in floatx, int64 in float64 (TF backend).
    if dt == torch.int64:
        return torch.float64
    if not (dt.is_floating_point or dt.is_complex):
        return _TORCH_DTYPES[_backend.floatx()]
    return dt


def hypot(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2)
    dt = _int_to_float(dt)
    return torch.hypot(x1.to(dt), x2.to(dt))


def heaviside(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2)
    dt = _int_to_float(dt)
    return torch.heaviside(x1.to(dt), x2.to(dt))


def logaddexp(x1, x2):
    x1, x2, _ = _float_result(x1, x2)
    return torch.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2, _ = _float_result(x1, x2)
    return torch.logaddexp2(x1, x2)


def nextafter(x1, x2):
    x1, x2, dt = binary_tensors(x1, x2, float)
    if dt in (torch.float16, torch.bfloat16):
        return torch.nextafter(x1.to(torch.float32), x2.to(torch.float32)).to(dt)
    return torch.nextafter(x1, x2)


def ldexp(x1, x2):
    x2 = convert(x2)
    if x2.dtype.is_floating_point or x2.dtype.is_complex:
        raise TypeError(f"ldexp exponent must be an integer type. Received: `x2` dtype={dtype_name(x2)}")
    x1 = convert(x1, device=x2.device)
    dt = _TORCH_DTYPES[result_type(dtype_name(x1), dtype_name(x2), float)]
    return torch.ldexp(x1.to(dt), x2).to(dt)


def gcd(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.gcd(x1, x2)


def lcm(x1, x2):
    x1, x2, _ = binary_tensors(x1, x2)
    return torch.lcm(x1, x2)

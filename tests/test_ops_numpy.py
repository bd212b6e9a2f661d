"""keras.ops numpy family: hand-computed cases for Keras's semantics (dtypes, axes, errors,
devices) and for the cases where tf.keras itself is wrong or refuses (parity xfails them)."""

import numpy as np
import pytest
import torch

from kerascompat import ops


def t(values, dtype):
    return torch.tensor(values, dtype=getattr(torch, dtype))


# --- result dtypes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fn, args, expected",
    [
        (ops.add, (t([1], "int8"), t([1], "uint8")), torch.int16),
        (ops.add, (t([1], "int8"), 1), torch.int8),  # Python int is weak
        (ops.add, (t([1], "int8"), 1.5), torch.float32),
        (ops.add, (t([1], "float16"), 1.5), torch.float16),
        (ops.add, (t([1], "int32"), t([1], "float16")), torch.float16),
        (ops.add, (t([1], "bfloat16"), t([1], "float16")), torch.float32),
        (ops.add, (t([True], "bool"), 1), torch.int32),
        (ops.add, (2, 3), torch.int32),
        (ops.add, (2, 3.0), torch.float32),
        (ops.multiply, (t([1], "uint8"), t([1], "int16")), torch.int16),
        (ops.subtract, (t([1], "int64"), t([1], "int32")), torch.int64),
        (ops.divide, (t([1], "int32"), t([2], "int32")), torch.float32),
        (ops.divide, (t([1], "int8"), 2), torch.float32),
        (ops.divide, (t([1], "float16"), 2), torch.float16),
        (ops.floor_divide, (t([7], "int8"), 2), torch.int8),
        (ops.mod, (t([7], "int8"), 2), torch.int32),  # mod converts the Python int to int32 first
        (ops.arctan2, (t([1], "float16"), 1.0), torch.float32),
        (ops.power, (t([2], "int8"), 2), torch.int8),
        (ops.maximum, (t([2], "uint8"), t([1], "int8")), torch.int16),
        (ops.where, (t([True], "bool"), t([1], "int8"), 2.0), torch.float32),
        (ops.matmul, (t([[1]], "int8"), t([[1]], "int8")), torch.int32),
        (ops.matmul, (t([[1]], "int8"), t([[1]], "uint8")), torch.int16),
        (ops.bitwise_left_shift, (t([1], "uint8"), 2), torch.uint8),
    ],
)
def test_binary_result_dtypes(fn, args, expected):
    assert fn(*args).dtype == expected


@pytest.mark.parametrize(
    "fn, dtype, expected",
    [
        (ops.sum, "bool", torch.int32),
        (ops.sum, "int8", torch.int32),
        (ops.sum, "int16", torch.int32),
        (ops.sum, "int32", torch.int32),
        (ops.sum, "int64", torch.int64),
        (ops.sum, "float16", torch.float16),
        (ops.prod, "int8", torch.int32),
        (ops.mean, "int32", torch.float32),
        (ops.mean, "bool", torch.float32),
        (ops.mean, "float16", torch.float16),
        (ops.mean, "float64", torch.float64),
        (ops.var, "int8", torch.float32),
        (ops.std, "uint8", torch.float32),
        (ops.median, "int32", torch.float32),
        (ops.argmax, "float32", torch.int32),
        (ops.count_nonzero, "float32", torch.int32),
        (ops.cumsum, "bool", torch.int32),
        (ops.cumsum, "int8", torch.int8),
        (ops.max, "bool", torch.bool),
        (ops.sqrt, "int32", torch.float32),
        (ops.sqrt, "int64", torch.float32),
        (ops.sqrt, "float16", torch.float16),
        (ops.sin, "bool", torch.float32),
        (ops.ceil, "int8", torch.float32),
        (ops.abs, "bool", torch.bool),
        (ops.square, "bool", torch.int32),
        (ops.trunc, "int8", torch.int8),
    ],
)
def test_unary_and_reduction_dtypes(fn, dtype, expected):
    assert fn(torch.ones(2, 3, dtype=getattr(torch, dtype))).dtype == expected


def test_sum_of_uint8_widens_without_wrapping():
    out = ops.sum(torch.full((300,), 255, dtype=torch.uint8))
    assert int(out) == 300 * 255


def test_python_and_numpy_inputs_convert_as_keras_does():
    assert ops.array([1, 2]).dtype == torch.int32
    assert ops.array([1.0, 2.0]).dtype == torch.float32
    assert ops.array(np.ones(2)).dtype == torch.float64  # numpy keeps its dtype
    assert ops.array([True]).dtype == torch.bool
    assert ops.array([2**40]).dtype == torch.int64
    assert ops.abs(-3).dtype == torch.int32 and int(ops.abs(-3)) == 3


def test_constructor_defaults_are_floatx_or_promoted():
    assert ops.zeros((2,)).dtype == torch.float32
    assert ops.full((2,), 3).dtype == torch.float32
    assert ops.eye(2).dtype == torch.float32
    assert ops.arange(5).dtype == torch.int32
    assert ops.arange(0.5, 2).dtype == torch.float32
    assert ops.linspace(0, 1, 3).dtype == torch.float32
    assert ops.ones_like(t([1], "int8")).dtype == torch.int8
    assert ops.arange(1, 7, 2).tolist() == [1, 3, 5]
    assert ops.linspace(0.0, 1.0, 4, endpoint=False).tolist() == [0.0, 0.25, 0.5, 0.75]


# --- axes and keepdims ----------------------------------------------------------------------
def test_negative_axes_and_keepdims():
    x = torch.arange(24.0).reshape(2, 3, 4)
    assert ops.sum(x, axis=-1).shape == (2, 3)
    assert ops.sum(x, axis=(-1, 0), keepdims=True).shape == (1, 3, 1)
    assert ops.max(x, axis=[0, 2]).tolist() == [15.0, 19.0, 23.0]
    assert ops.mean(x, axis=-2, keepdims=True).shape == (2, 1, 4)
    assert ops.argmax(x, axis=-1, keepdims=True).shape == (2, 3, 1)
    assert ops.argmax(x).item() == 23
    assert ops.expand_dims(torch.zeros(2, 3), (-1, 0)).shape == (1, 2, 3, 1)
    assert ops.prod(torch.tensor([[1, 2], [3, 4]]), axis=(0, 1)).item() == 24


def test_quantile_methods_on_small_input():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert ops.quantile(x, 0.5).item() == 2.5
    assert ops.quantile(x, 0.5, method="lower").item() == 2.0
    assert ops.quantile(x, 0.5, method="higher").item() == 3.0
    assert ops.median(torch.tensor([[1.0, 5.0, 3.0]]), axis=1, keepdims=True).tolist() == [[3.0]]


def test_max_with_initial():
    x = torch.tensor([[1.0, -2.0], [0.5, -3.0]])
    assert ops.max(x, axis=1, initial=0.75).tolist() == [1.0, 0.75]
    assert ops.min(x, axis=0, initial=-2.5).tolist() == [-2.5, -3.0]


# --- where tf.keras refuses or differs (parity xfails them); expected values by numpy's rules ----------
def test_bool_arithmetic():
    a, b = torch.tensor([True, False, True]), torch.tensor([True, True, False])
    assert ops.add(a, b).tolist() == [True, True, True]
    assert ops.multiply(a, b).tolist() == [True, False, False]
    assert ops.maximum(a, b).dtype == torch.bool
    assert ops.power(a, b).tolist() == [True, False, True]  # 1**1, 0**1, 1**0
    assert ops.greater(a, b).tolist() == [False, False, True]


def test_vstack_of_1d_stacks_rows():
    assert ops.vstack([torch.zeros(3), torch.ones(3)]).shape == (2, 3)


def test_pad_modes():
    x = torch.tensor([1, 2, 3])
    assert ops.pad(x, (2, 1), mode="edge").tolist() == [1, 1, 1, 2, 3, 3]
    assert ops.pad(x, (2, 1), mode="wrap").tolist() == [2, 3, 1, 2, 3, 1]
    assert ops.pad(x, (2, 1), mode="reflect").tolist() == [3, 2, 1, 2, 3, 2]
    assert ops.pad(x, (2, 1), mode="symmetric").tolist() == [2, 1, 1, 2, 3, 3]
    assert ops.pad(torch.zeros(1, 1, dtype=torch.int32), 1, constant_values=7).tolist() == [[7, 7, 7], [7, 0, 7], [7, 7, 7]]


def test_eye_with_negative_k_and_fewer_columns():
    assert ops.eye(4, M=2, k=-1).tolist() == [[0, 0], [1, 0], [0, 1], [0, 0]]


def test_isclose_of_equal_infinities():
    inf = float("inf")
    assert ops.isclose(torch.tensor([inf, -inf, inf]), torch.tensor([inf, -inf, -inf])).tolist() == [True, True, False]


def test_correlate_valid_with_longer_second_input():
    # numpy.correlate([1, 2, 3], [1, 1, 0, 0], 'valid') == [1, 3]
    assert ops.correlate(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 1.0, 0.0, 0.0])).tolist() == [1.0, 3.0]


def test_searchsorted_with_2d_values():
    out = ops.searchsorted(torch.tensor([1.0, 2.0, 4.0]), torch.tensor([[0.0, 2.0], [3.0, 5.0]]), side="right")
    assert out.tolist() == [[0, 2], [2, 3]] and out.dtype == torch.int32


def test_vectorize_and_concatenate_none():
    f = ops.vectorize(lambda v: v * 2 + 1)
    assert f(torch.tensor([[1.0, 2.0]])).tolist() == [[3.0, 5.0]]
    assert ops.concatenate([torch.zeros(2, 2), torch.ones(1, 2)], axis=None).shape == (6,)


def test_meshgrid_with_mixed_dtypes():
    xs, ys = ops.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([0.5, 1.5]), indexing="ij")
    assert xs.shape == ys.shape == (3, 2)


def test_reciprocal_of_ints_is_float():
    out = ops.reciprocal(torch.tensor([2, 4]))
    assert out.dtype == torch.float32 and out.tolist() == [0.5, 0.25]


# --- devices and gradients ---------------------------------------------------------------
def test_outputs_stay_on_the_input_device():
    x = torch.ones(2, 3, device="meta")
    for out in (ops.add(x, np.ones(3, "float32")), ops.sum(x, axis=0), ops.where(x > 0, x, 0.0),
                ops.matmul(x, np.ones((3, 2), "float32")), ops.concatenate([x, np.zeros((1, 3), "float32")])):
        assert out.device.type == "meta"


def test_gradients_flow_through_ops():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    ops.sum(ops.mean(ops.square(x), axis=1)).backward()
    assert x.grad.tolist() == [[1.0, 2.0], [3.0, 4.0]]


# --- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: ops.array_split(torch.zeros(4), [1, 2]), TypeError, "indices_or_sections"),
        (lambda: ops.split(torch.zeros(5), 2), ValueError, "equal division"),
        (lambda: ops.squeeze(torch.zeros(2, 1), axis=0), ValueError, "Cannot squeeze"),
        (lambda: ops.pad(torch.zeros(2), 1, mode="bogus"), ValueError, "mode"),
        (lambda: ops.pad(torch.zeros(2), -1), ValueError, "negative"),
        (lambda: ops.argpartition(torch.zeros(3), 3), ValueError, "kth"),
        (lambda: ops.pad(torch.zeros(2), 1, mode="reflect", constant_values=1), ValueError, "constant_values"),
        (lambda: ops.quantile(torch.zeros(2), 0.5, method="bogus"), ValueError, "method"),
        (lambda: ops.bincount(torch.tensor([1]), sparse=True), NotImplementedError, "sparse"),
        (lambda: ops.einsum("i->i", torch.zeros(2), optimize=True), NotImplementedError, "optimize"),
        (lambda: ops.vectorize(lambda v: v, excluded={"v"}), NotImplementedError, "excluded"),
        (lambda: ops.linspace(0, 1, -1), ValueError, "num"),
        (lambda: ops.meshgrid(torch.zeros(2), indexing="bogus"), ValueError, "indexing"),
        (lambda: ops.searchsorted(torch.zeros(2, 2), torch.zeros(2)), ValueError, "1-D"),
        (lambda: ops.cross(torch.zeros(4), torch.zeros(4)), ValueError, "2 or 3"),
        (lambda: ops.where(torch.tensor([True]), torch.zeros(1)), ValueError, "x1"),
        (lambda: ops.zeros((2,), dtype="float31"), ValueError, "Invalid dtype"),
        (lambda: ops.subtract(torch.tensor([True]), torch.tensor([False])), TypeError, "logical_xor"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_keras_numpy_op_is_exported():
    # keras/src/ops/numpy.py's keras.ops exports, Keras 3.15
    names = """abs absolute add all allclose amax amin angle any append arange arccos arccosh arcsin arcsinh
    arctan arctan2 arctanh argmax argmin argpartition argsort array array_split average bartlett bincount
    bitwise_and bitwise_invert bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor
    blackman broadcast_to cbrt ceil clip concatenate conj conjugate copy corrcoef correlate cos cosh
    count_nonzero cross cumprod cumsum deg2rad diag diagflat diagonal diff digitize divide divide_no_nan dot
    dsplit dstack einsum empty empty_like equal exp exp2 expand_dims expm1 eye fabs flip fliplr flipud floor
    floor_divide fmax fmin fmod full full_like gcd geomspace get_item greater greater_equal hamming hanning
    heaviside histogram hsplit hstack hypot i0 identity imag inner isclose isfinite isin isinf isnan isneginf
    isposinf isreal kaiser kron lcm ldexp left_shift less less_equal linspace log log10 log1p log2 logaddexp
    logaddexp2 logical_and logical_not logical_or logical_xor logspace matmul max maximum mean median meshgrid
    min minimum mod moveaxis multiply nan_to_num nanargmax nanargmin nancumprod nancumsum nanmax nanmean
    nanmedian nanmin nanpercentile nanprod nanquantile nanstd nansum nanvar ndim negative nextafter nonzero
    not_equal ones ones_like outer pad percentile power prod ptp quantile rad2deg ravel real reciprocal repeat
    reshape right_shift roll rot90 round searchsorted select sign signbit sin sinc sinh size slogdet sort split
    sqrt square squeeze stack std subtract sum swapaxes take take_along_axis tan tanh tensordot tile trace
    transpose trapezoid tri tril triu true_divide trunc unique unravel_index vander var vdot vectorize view
    vsplit vstack where zeros zeros_like""".split()
    assert len(names) == 220
    assert sorted(set(names) - set(ops.__all__)) == []
    for name in names:
        assert callable(getattr(ops, name))


@pytest.mark.parametrize("mode", ["constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum",
                                  "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("dtype", ["float64", "int32"])
def test_pad_modes_match_numpy(mode, dtype):
    # numpy defines every mode; TensorFlow's backend has only three, so numpy is the reference here.
    x = np.array([[1, 7, 2, 4], [5, 3, 8, 6], [9, 0, 2, 1]], dtype=dtype)
    widths = ((1, 2), (2, 1))
    got = ops.pad(torch.from_numpy(x), widths, mode=mode)
    want = np.pad(x, widths, mode=mode)
    assert got.dtype == torch.from_numpy(want).dtype
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)


def test_pad_width_shortcuts_and_circular():
    x = torch.arange(6).reshape(2, 3)
    assert ops.pad(x, (1,)).shape == (4, 5)
    assert ops.pad(x, ((1, 0),)).shape == (3, 4)
    assert ops.pad(x, 1, mode="circular").tolist() == np.pad(x.numpy(), 1, mode="wrap").tolist()
    assert ops.pad(x, 1, mode="empty").shape == (4, 5)


def test_vectorize_with_signature_and_excluded():
    matvec = ops.vectorize(lambda m, v: m @ v, signature="(m,n),(n)->(m)")
    m, v = torch.arange(12.0).reshape(2, 2, 3), torch.tensor([1.0, 0.0, -1.0])
    assert matvec(m, v).tolist() == [[-2.0, -2.0], [-2.0, -2.0]]
    scaled = ops.vectorize(lambda x, k: x * k, excluded={1})
    assert scaled(torch.tensor([1.0, 2.0]), 3.0).tolist() == [3.0, 6.0]


def test_unique_unsorted_keeps_first_appearance_order():
    values, index, inverse, counts = ops.unique(torch.tensor([3, 1, 3, 2, 1]), sorted=False, return_index=True,
                                                return_inverse=True, return_counts=True)
    assert values.tolist() == [3, 1, 2]
    assert index.tolist() == [0, 1, 3]
    assert inverse.tolist() == [0, 1, 0, 2, 1]
    assert counts.tolist() == [2, 2, 1]

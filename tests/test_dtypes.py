"""Keras's dtype names and promotion lattice (rows computed by hand from keras/src/backend/common/dtypes.py)."""

import numpy as np
import pytest
import torch

from kerascompat.backend import dtypes


@pytest.mark.parametrize(
    "args, expected",
    [
        (("int8", "uint8"), "int16"),
        (("uint8", "uint16"), "uint16"),
        (("uint32", "int32"), "int64"),
        (("uint64", "int8"), "float32"),  # uint64 + int sits on the weak float: floatx
        (("int32", "float16"), "float16"),
        (("int64", "float16"), "float16"),
        (("bfloat16", "float16"), "float32"),
        (("bool", "bool"), "bool"),
        (("bool", "int8"), "int8"),
        (("bool", "float16"), "float16"),
        (("int8", int), "int8"),
        (("float16", float), "float16"),
        (("int32", float), "float32"),
        (("bool", int), "int32"),
        (("bool", float), "float32"),
        ((int,), "int32"),
        ((float,), "float32"),
        ((int, float), "float32"),
        ((bool,), "bool"),
        (("int64", "int32"), "int64"),  # the TensorFlow backend keeps 64-bit results
        (("float64", "float32"), "float64"),
        (("complex64", "float64"), "complex64"),  # complex128 narrows on TensorFlow
        (("uint64",), "uint32"),
        ((None, "int8"), "float32"),
        ((), "float32"),
        (("float32", "int64", "uint8", bool), "float32"),
    ],
)
def test_result_type(args, expected):
    assert dtypes.result_type(*args) == expected


def test_result_type_is_order_independent():
    assert dtypes.result_type("uint8", "int8", "float16") == dtypes.result_type("float16", "int8", "uint8")


def test_result_type_rejects_float8():
    with pytest.raises(ValueError, match="float8"):
        dtypes.result_type("float8_e4m3fn", "float32")


@pytest.mark.parametrize(
    "value, expected",
    [
        (torch.float32, "float32"),
        (torch.bfloat16, "bfloat16"),
        (torch.bool, "bool"),
        (np.float64, "float64"),
        (np.dtype("uint8"), "uint8"),
        ("int16", "int16"),
        (int, "int64"),
        ("int", "int64"),
        (float, "float32"),
        (bool, "bool"),
        (None, "float32"),
    ],
)
def test_standardize_dtype(value, expected):
    assert dtypes.standardize_dtype(value) == expected


def test_standardize_dtype_rejects_unknown_names():
    with pytest.raises(ValueError, match="Invalid dtype"):
        dtypes.standardize_dtype("float")
    with pytest.raises(ValueError, match="Invalid dtype"):
        dtypes.standardize_dtype("int31")


def test_dtype_kinds():
    assert dtypes.is_float_dtype(torch.bfloat16) and dtypes.is_float_dtype("float16")
    assert not dtypes.is_float_dtype("int32") and not dtypes.is_float_dtype("bool")
    assert dtypes.is_int_dtype("uint8") and dtypes.is_int_dtype(torch.int64)
    assert not dtypes.is_int_dtype("float32") and not dtypes.is_int_dtype("bool")
    assert dtypes.to_torch_dtype("int8") is torch.int8
    assert dtypes.to_torch_dtype(None) is torch.float32

"""ops.padding / ops.layout / layers._common: the pure layout arithmetic and shared helpers, by hand."""

import pytest
import torch

from kerascompat import constraints, initializers, regularizers
from kerascompat._validation import normalize_padding_pairs
from kerascompat.layers._common import PlanCache, set_weight_args, weight_args_config
from kerascompat.ops.layout import channels_last_parameter, to_channels_first, to_channels_last
from kerascompat.ops.padding import (
    conv_padding_plan, conv_transpose_plan, explicit_pad, keras_pads, pool_padding_plan,
)


def test_keras_pads_for_each_padding():
    assert keras_pads((7, 8), (3, 3), (1, 1), "valid") == ((0, 0), (0, 0))
    assert keras_pads((8, 7), (3, 3), (2, 2), "same") == ((0, 1), (1, 1))   # TF: extra cell at the end
    assert keras_pads((5,), (3,), (1,), "causal", (2,)) == ((4, 0),)          # (k - 1) * dilation on the left


def test_explicit_pad_lists_the_last_axis_first():
    assert explicit_pad(((1, 2), (3, 4))) == [3, 4, 1, 2]


def test_conv_padding_plan_symmetric_goes_to_the_op():
    assert conv_padding_plan((7, 7), (3, 3), (1, 1), (1, 1), "same") == ((1, 1), None)
    assert conv_padding_plan((7,), (3,), (1,), (1,), "valid") == ((0,), None)


def test_conv_padding_plan_asymmetric_is_an_explicit_pad():
    assert conv_padding_plan((8, 7), (3, 3), (2, 2), (1, 1), "same") == ((0, 0), [1, 1, 0, 1])
    assert conv_padding_plan((5,), (2,), (1,), (1,), "causal") == ((0,), [1, 0])


def test_pool_padding_plan_uses_ceil_mode_for_one_extra_end_cell():
    # 3 cells, pool 2, stride 2: TF pads (0, 1); torch's ceil_mode adds the same last window.
    assert pool_padding_plan((3,), (2,), (2,), "same") == ((0,), None, True)
    # 4 cells, pool 4, stride 1: TF pads (1, 2), not of the (lo, lo + 1) form with lo <= k // 2 ... explicit
    assert pool_padding_plan((4,), (4,), (1,), "same") == ((0,), [1, 2], False)
    assert pool_padding_plan((6, 6), (3, 3), (1, 1), "same") == ((1, 1), None, False)


def test_conv_transpose_plan():
    # 'same', kernel 3, stride 2, length 5: TF's output is 10 of the full 11 ((5 - 1) * 2 + 3), and
    # the forward 'same' conv of 10 pads (0, 1), so TF keeps the first 10: no torch padding, keep 10.
    assert conv_transpose_plan((5,), (3,), (2,), "same", None, (1,)) == ((0,), (0,), (10,))
    # 'valid', kernel 1, stride 2, length 5: Keras's output is 10, the full result 9: torch output_padding 1.
    assert conv_transpose_plan((5,), (1,), (2,), "valid", None, (1,)) == ((0,), (1,), None)
    # 'same', kernel 4, stride 1: full length 8, TF keeps 5 from a low crop of 1; torch crops both sides
    # (1, 1) -> 6, one too long, so `keep` trims it.
    assert conv_transpose_plan((5,), (4,), (1,), "same", None, (1,)) == ((1,), (0,), (5,))


def test_channels_views_and_parameter_strides():
    x = torch.randn(2, 5, 6, 3)
    y = to_channels_first(x, 2)
    assert y.shape == (2, 3, 5, 6) and y.is_contiguous(memory_format=torch.channels_last)
    assert to_channels_last(y, 2).is_contiguous()
    w = torch.nn.Parameter(torch.randn(4, 3, 5))
    before = w.detach().clone()
    channels_last_parameter(w, 1)
    assert torch.equal(w, before) and w.unsqueeze(2).is_contiguous(memory_format=torch.channels_last)


def test_normalize_padding_pairs():
    assert normalize_padding_pairs(2, 2, "padding") == ((2, 2), (2, 2))
    assert normalize_padding_pairs((1, 2), 1, "padding") == ((1, 2),)
    assert normalize_padding_pairs((1, (2, 3)), 2, "cropping") == ((1, 1), (2, 3))
    with pytest.raises(ValueError, match="`cropping`.*Received: cropping=-1"):
        normalize_padding_pairs(-1, 2, "cropping")


class _Holder:
    pass


def test_weight_args_init_and_config_round_trip():
    holder = _Holder()
    set_weight_args(holder, kernel_initializer="he_normal", bias_initializer="ones", kernel_regularizer="l2",
                    bias_regularizer=None, kernel_constraint="non_neg", bias_constraint=None)
    assert isinstance(holder.kernel_initializer, initializers.HeNormal)
    assert isinstance(holder.kernel_regularizer, regularizers.L2)
    assert isinstance(holder.kernel_constraint, constraints.NonNeg)
    config = weight_args_config(holder)
    assert list(config) == ["kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                            "kernel_constraint", "bias_constraint"]
    assert config["bias_regularizer"] is None and config["bias_constraint"] is None
    again = _Holder()
    set_weight_args(again, **config)
    assert weight_args_config(again) == config


def test_weight_args_for_a_recurrent_layer_and_mistakes():
    holder = _Holder()
    names = ("kernel", "recurrent", "bias")
    values = {f"{w}_{k}": None for w in names for k in ("initializer", "regularizer", "constraint")}
    values["recurrent_initializer"] = "orthogonal"
    set_weight_args(holder, names, **values)
    assert isinstance(holder.recurrent_initializer, initializers.Orthogonal)
    assert len(weight_args_config(holder, names)) == 9
    with pytest.raises(TypeError, match="missing `bias_constraint`"):
        set_weight_args(_Holder(), kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
                        bias_regularizer=None, kernel_constraint=None)
    with pytest.raises(TypeError, match="unexpected"):
        set_weight_args(_Holder(), names[:2], **values)


def test_plan_cache_computes_once_per_key_and_evicts_the_oldest():
    calls = []
    cache = PlanCache(lambda n: calls.append(n) or n * 10, maxsize=2)
    assert cache(1) == 10 and cache(1) == 10 and calls == [1]
    cache(2), cache(3)
    assert len(cache) == 2 and calls == [1, 2, 3]
    cache(1)  # 1 was evicted first
    assert calls == [1, 2, 3, 1]


def test_ops_imports_nothing_above_it():
    # Dependencies point one way: backend <- ops <- engine <- layers <- saving/trainers.
    import ast
    import pathlib

    import kerascompat.ops

    for path in pathlib.Path(kerascompat.ops.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not any(part in ("layers", "engine", "trainers", "saving") for part in module.split(".")), (
                    f"{path.name} imports {module}")
            elif isinstance(node, ast.Import):
                assert not any("kerascompat" in a.name for a in node.names), f"{path.name} imports kerascompat"

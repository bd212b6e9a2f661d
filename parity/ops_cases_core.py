"""keras.ops core parity cases (TensorFlow-free)."""

import numpy as np

from ops_case import OpCase, PerSide, rand


def _equal(ours, theirs):
    assert [np.asarray(o).tolist() for o in ours] == [np.asarray(t).tolist() for t in theirs]


X = rand(4, 3, seed=1)
IMAGES = rand(2, 4, 6, 3, seed=4)
CASES = [
    OpCase("rearrange_permute", "rearrange", (IMAGES, "b h w c -> b c h w"), grad=(0,)),
    OpCase("rearrange_merge", "rearrange", (IMAGES, "b h w c -> (b h) w c"), grad=(0,)),
    OpCase("rearrange_merge_across", "rearrange", (IMAGES, "b h w c -> h (b w) c"), grad=(0,)),
    OpCase("rearrange_flatten", "rearrange", (IMAGES, "b h w c -> b (c h w)"), grad=(0,)),
    OpCase("rearrange_patches", "rearrange", (IMAGES, "b (h1 h) (w1 w) c -> (b h1 w1) h w c"), {"h1": 2, "w1": 3},
           grad=(0,)),
    OpCase("rearrange_space_to_depth", "rearrange", (IMAGES, "b (h h1) (w w1) c -> b h w (c h1 w1)"),
           {"h1": 2, "w1": 2}, grad=(0,)),
    OpCase("convert_to_tensor_float", "convert_to_tensor", (1.5,)),
    OpCase("convert_to_tensor_int", "convert_to_tensor", (3,)),
    OpCase("convert_to_tensor_list", "convert_to_tensor", ([[1, 2], [3, 4]],)),
    OpCase("convert_to_tensor_mixed_list", "convert_to_tensor", ([1, 2.5],)),
    OpCase("convert_to_tensor_dtype", "convert_to_tensor", (X,), {"dtype": "float16"}, rtol=1e-3, atol=1e-3,
           tol_reason="float16 rounding"),
    OpCase("convert_to_tensor_numpy_int64", "convert_to_tensor", (np.arange(3),)),
    OpCase("convert_to_numpy", "convert_to_numpy", (X,), check_dtype=False),
    OpCase("cast", "cast", (X * 3, "int32")),
    OpCase("cast_bool", "cast", (np.array([0, 2, -1]), "bool")),
    OpCase("cast_grad", "cast", (X, "float64"), grad=(0,)),
    OpCase("saturate_cast_uint8", "saturate_cast", (np.array([-5.0, 3.7, 300.0], "float32"), "uint8")),
    OpCase("saturate_cast_int8", "saturate_cast", (np.array([-500, 3, 300], "int32"), "int8")),
    OpCase("saturate_cast_float16", "saturate_cast", (np.array([-1e6, 3.5, 1e6], "float32"), "float16")),
    OpCase("shape", "shape", (rand(2, 3, 4),), check_dtype=False, compare=_equal),
    OpCase("dtype", "dtype", (X,), check_dtype=False, compare=_equal),
    OpCase("is_tensor_numpy", "is_tensor", (X,), check_dtype=False, compare=_equal),
    OpCase("stop_gradient", "stop_gradient", (X,), grad=(0,)),
    OpCase("unstack", "unstack", (X,), grad=(0,)),
    OpCase("unstack_axis1", "unstack", (X,), {"axis": 1, "num": 3}, grad=(0,)),
    OpCase("scatter", "scatter", (np.array([[0, 1], [2, 0], [0, 1]]), np.array([1.0, 2.0, 3.0], "float32"), (3, 2))),
    OpCase("scatter_slices", "scatter", (np.array([[1], [3]]), rand(2, 3, seed=2), (4, 3)), grad=(1,)),
    OpCase("scatter_update", "scatter_update", (X, np.array([[0, 1], [3, 2]]), np.array([9.0, 8.0], "float32")),
           grad=(0,)),
    OpCase("scatter_update_rows", "scatter_update", (X, np.array([[2]]), rand(1, 3, seed=3)), grad=(0, 2)),
    OpCase("scatter_update_add", "scatter_update", (X, np.array([[0, 1], [0, 1]]), np.array([1.0, 2.0], "float32")),
           {"reduction": "add"}),
    OpCase("scatter_update_max", "scatter_update", (X, np.array([[0, 1], [0, 1], [1, 0]]),
                                                     np.array([5.0, 6.0, -9.0], "float32")), {"reduction": "max"}),
    OpCase("slice", "slice", (rand(4, 5, 6), (1, 0, 2), (2, 5, 3)), grad=(0,)),
    OpCase("slice_update", "slice_update", (rand(4, 5), (1, 2), rand(2, 3, seed=4))),
    OpCase("cond", "cond", (True, PerSide(lambda ops: lambda: ops.convert_to_tensor([1.0, 2.0])), PerSide(lambda ops: lambda: ops.convert_to_tensor([0.0, 0.0])))),
    OpCase("switch", "switch", (1, PerSide(lambda ops: [lambda x: x + 1, lambda x: x * 3]), X), grad=(2,)),
    OpCase("switch_clamped", "switch", (7, PerSide(lambda ops: [lambda x: x + 1, lambda x: x * 3]), X)),
    OpCase("while_loop", "while_loop", (PerSide(lambda ops: lambda i, x: i < 3),
                                        PerSide(lambda ops: lambda i, x: (i + 1, x * 2.0)), (0, X))),
    OpCase("while_loop_single_max_iter", "while_loop", (PerSide(lambda ops: lambda x: x[0] < 1e9),
                                                        PerSide(lambda ops: lambda x: x * 2.0), np.ones(2, "float32")),
           {"maximum_iterations": 4}),
    OpCase("fori_loop", "fori_loop", (0, 4, PerSide(lambda ops: lambda i, x: x * 2.0 + i), X), grad=(3,)),
    OpCase("map", "map", (PerSide(lambda ops: lambda x: ops.logsumexp(x) * x), X), grad=(1,)),
    OpCase("map_dict", "map", (PerSide(lambda ops: lambda d: {"s": d["a"] + d["b"]}), {"a": X, "b": X * 2})),
    OpCase("scan", "scan", (PerSide(lambda ops: lambda c, x: (c + x, c * x)), np.zeros(3, "float32"), X),
           grad=(1, 2)),
    OpCase("scan_reverse", "scan", (PerSide(lambda ops: lambda c, x: (c + x, c * x)), np.ones(3, "float32"), X),
           {"reverse": True}, grad=(1, 2)),
    OpCase("scan_length", "scan", (PerSide(lambda ops: lambda c, x: (c * 2.0, c)), np.ones(2, "float32")),
           {"length": 3}),
    OpCase("associative_scan_add", "associative_scan", (PerSide(lambda ops: lambda a, b: a + b), X), grad=(1,)),
    OpCase("associative_scan_reverse_axis1", "associative_scan", (PerSide(lambda ops: lambda a, b: a * b), X),
           {"reverse": True, "axis": 1}, grad=(1,)),
    OpCase("vectorized_map", "vectorized_map", (PerSide(lambda ops: lambda x: ops.logsumexp(x * x)), X), grad=(1,)),
    OpCase("custom_gradient", "custom_gradient", (X * 3,), call=PerSide(lambda ops: _log1pexp(ops)), grad=(0,)),
]


def _log1pexp(ops):
    @ops.custom_gradient
    def log1pexp(x):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * ops.sigmoid(x) * 2.0  # twice the true gradient: the custom one must be used

        return ops.softplus(x), grad

    return log1pexp

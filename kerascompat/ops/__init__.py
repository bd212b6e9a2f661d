"""keras.ops on torch: thin calls of torch functions with Keras's names, arguments and semantics.

Inputs may be torch tensors, numpy arrays or Python numbers; results are torch tensors on
the device of the torch tensors among the inputs. The layout and padding arithmetic the layer
families share lives here too, as pure functions (`ops.padding`, `ops.layout`); nothing here
imports `kerascompat.layers`.
"""

from . import numpy
from .numpy import *  # noqa: F401,F403  (the numpy-like ops; `numpy.__all__` lists them)
from . import core, einops, image, linalg, math, nn
from .einops import rearrange
from .linalg import (cholesky, cholesky_inverse, det, eig, eigh, inv, jvp, lstsq, lu_factor, matrix_rank, norm, pinv,
                     qr, solve, solve_triangular, svd)
from .math import (cdist, erf, erfc, erfinv, extract_sequences, fft, fft2, ifft2, in_top_k, irfft, istft, logdet,
                   logsumexp, rfft, rsqrt, segment_max, segment_min, segment_prod, segment_sum, stft, top_k,
                   view_as_complex, view_as_real)
from .core import (associative_scan, cast, cond, convert_to_numpy, convert_to_tensor, custom_gradient, dtype,
                   fori_loop, is_tensor, map, saturate_cast, scan, scatter, scatter_update, shape, slice, slice_update,
                   stop_gradient, switch, unstack, vectorized_map, while_loop)
from .nn import (adaptive_average_pool, adaptive_max_pool, average_pool, batch_normalization, binary_crossentropy,
                 categorical_crossentropy, celu, conv, conv_transpose, ctc_decode, ctc_loss, depth_to_space,
                 depthwise_conv, dot_product_attention, elu, fold, gelu, glu, hard_shrink, hard_sigmoid, hard_silu,
                 hard_swish, hard_tanh, layer_normalization, leaky_relu, log_sigmoid, log_softmax, max_pool, moments,
                 multi_hot, normalize, one_hot, polar, psnr, relu, relu6, rms_normalization, selu, separable_conv,
                 sigmoid, silu, soft_shrink, softmax, softplus, softsign, space_to_depth,
                 sparse_categorical_crossentropy, sparse_plus, sparse_sigmoid, sparsemax, squareplus, swish,
                 tanh_shrink, threshold, unfold)

__all__ = [
    "core", "einops", "image", "linalg", "math", "nn", "rearrange",
    # linalg
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor", "matrix_rank", "norm",
    "pinv", "qr", "solve", "solve_triangular", "svd",
    # math
    "cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "ifft2", "in_top_k", "irfft", "istft",
    "logdet", "logsumexp", "rfft", "rsqrt", "segment_max", "segment_min", "segment_prod", "segment_sum", "stft",
    "top_k", "view_as_complex", "view_as_real",
    # core
    "associative_scan", "cast", "cond", "convert_to_numpy", "convert_to_tensor", "custom_gradient", "dtype",
    "fori_loop", "is_tensor", "map", "saturate_cast", "scan", "scatter", "scatter_update", "shape", "slice",
    "slice_update", "stop_gradient", "switch", "unstack", "vectorized_map", "while_loop",
    # nn
    "adaptive_average_pool", "adaptive_max_pool", "average_pool", "batch_normalization", "binary_crossentropy",
    "categorical_crossentropy", "celu", "conv", "conv_transpose", "ctc_decode", "ctc_loss", "depth_to_space",
    "depthwise_conv", "dot_product_attention", "elu", "fold", "gelu", "glu", "hard_shrink", "hard_sigmoid",
    "hard_silu", "hard_swish", "hard_tanh", "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax",
    "max_pool", "moments", "multi_hot", "normalize", "one_hot", "polar", "psnr", "relu", "relu6",
    "rms_normalization", "selu", "separable_conv", "sigmoid", "silu", "soft_shrink", "softmax", "softplus",
    "softsign", "space_to_depth", "sparse_categorical_crossentropy", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh_shrink", "threshold", "unfold",
] + numpy.__all__


def _install_symbolic_dispatch():
    """Every op Keras records on symbolic tensors dispatches to ops.symbolic when an argument is a
    KerasTensor; one wrapper per function, shared by every namespace that exports it."""
    import sys

    from . import symbolic
    from ._op_table import OPS

    this = sys.modules[__name__]
    wrapped = {}
    for key in OPS:
        namespace, name = key.split(".")
        module = getattr(this, namespace, None)
        fn = getattr(module, name, None) if namespace != "activations" else None
        if fn is None:
            continue
        fn = getattr(fn, "__wrapped__", fn)
        op = wrapped.get(fn)
        if op is None:
            op = wrapped[fn] = symbolic.dispatching(key, fn)
        else:
            symbolic._IMPLEMENTATIONS[key] = fn
        setattr(module, name, op)
        if getattr(this, name, None) is fn:
            setattr(this, name, op)
    # Aliases Keras has no class of their own for (`swish` is `silu`): the same wrapper.
    for module in (this, numpy, nn, core, math, linalg, image, einops):
        for name, value in list(vars(module).items()):
            if not name.startswith("_") and callable(value) and value in wrapped:
                setattr(module, name, wrapped[value])


_install_symbolic_dispatch()

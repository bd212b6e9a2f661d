"""Run one keras.ops case on tf.keras.ops and on kerascompat.ops and compare them.

Values and shapes (|ours - tf| <= atol * max(1, max|tf|) + rtol * |tf|), Keras dtype names,
and for `grad` arguments the gradient of sum(output * R).
"""

import numpy as np
import tensorflow as tf
import torch

import kerascompat.ops
from harness import TF_KERAS
from kerascompat.ops._tensor import dtype_name
from ops_case import PerSide


def _resolve(root, path):
    for part in path.split("."):
        root = getattr(root, part)
    return root


def _side(value, ops):
    return value.make(ops) if isinstance(value, PerSide) else value


def _flat(out):
    if isinstance(out, dict):
        return [leaf for key in sorted(out) for leaf in _flat(out[key])]
    if isinstance(out, (list, tuple)):
        return [leaf for item in out for leaf in _flat(item)]
    return [out]


def _tf_dtype(t):
    return t.dtype.name if hasattr(t, "dtype") else type(t).__name__


def _np(t):
    if isinstance(t, torch.Tensor):
        t = t.detach().cpu()
        return (t.float() if t.dtype == torch.bfloat16 else t).numpy()
    return np.asarray(t)


def _close(ours, theirs, case, what):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what} shape {ours.shape} vs TensorFlow {theirs.shape}"
    if ours.dtype == bool or np.issubdtype(ours.dtype, np.integer):
        np.testing.assert_array_equal(ours, theirs, err_msg=what)
        return
    finite = np.isfinite(theirs)
    np.testing.assert_array_equal(np.isfinite(ours), finite, err_msg=f"{what}: non-finite entries differ")
    if not finite.any():
        return
    scale = max(1.0, float(np.abs(theirs[finite]).max()))
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=case.rtol, atol=case.atol * scale,
                               err_msg=f"{what} differs from TensorFlow")


def run_op_case(case):
    if case.call is not None:
        tf_fn, our_fn = case.call.make(TF_KERAS.ops), case.call.make(kerascompat.ops)
    else:
        tf_fn, our_fn = _resolve(TF_KERAS.ops, case.fn), _resolve(kerascompat.ops, case.fn)
    rng = np.random.RandomState(123)

    tf_args = [_side(a, TF_KERAS.ops) for a in case.args]
    tf_kwargs = {k: _side(v, TF_KERAS.ops) for k, v in case.kwargs.items()}
    our_kwargs = {k: _side(v, kerascompat.ops) for k, v in case.kwargs.items()}
    tf_args = [tf.constant(a) if i in case.grad else a for i, a in enumerate(tf_args)]
    with tf.GradientTape() as tape:
        for i in case.grad:
            tape.watch(tf_args[i])
        tf_out = tf_fn(*tf_args, **tf_kwargs)
        tf_flat = _flat(tf_out)
        weights = [rng.standard_normal(np.shape(t)).astype(_np(t).dtype) if case.grad else None for t in tf_flat]
        if case.grad:
            tf_loss = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float64) * w.astype("float64"))
                                for t, w in zip(tf_flat, weights) if t.dtype.is_floating])
    tf_grads = tape.gradient(tf_loss, [tf_args[i] for i in case.grad]) if case.grad else []

    our_args = [torch.tensor(a, requires_grad=True) if i in case.grad else _side(a, kerascompat.ops)
                for i, a in enumerate(case.args)]
    our_out = our_fn(*our_args, **our_kwargs)
    our_flat = _flat(our_out)
    assert len(our_flat) == len(tf_flat), f"{len(our_flat)} outputs vs TensorFlow's {len(tf_flat)}"
    ours_np, theirs_np = [_np(t) for t in our_flat], [np.asarray(t) for t in tf_flat]
    for k, (o, t) in enumerate(zip(our_flat, tf_flat)):
        if case.check_dtype:
            ours_dt = dtype_name(o.dtype) if isinstance(o, torch.Tensor) else type(o).__name__
            assert ours_dt == _tf_dtype(t), f"output {k}: dtype {ours_dt} vs TensorFlow {_tf_dtype(t)}"
    if case.compare is not None:
        case.compare(ours_np, theirs_np)
    else:
        for k, (o, t) in enumerate(zip(ours_np, theirs_np)):
            _close(o, t, case, f"output {k}")
    if case.grad:
        loss = sum((o.double() * torch.from_numpy(w).double()).sum()
                   for o, w in zip(our_flat, weights) if o.dtype.is_floating_point)
        inputs = [our_args[i] for i in case.grad]
        grads = (torch.autograd.grad(loss, inputs, allow_unused=True) if loss.requires_grad
                 else [None] * len(inputs))
        for i, g_ours, g_tf in zip(case.grad, grads, tf_grads):
            g_tf = np.zeros(np.shape(case.args[i])) if g_tf is None else np.asarray(g_tf)
            g_ours = np.zeros(np.shape(case.args[i])) if g_ours is None else _np(g_ours)
            _close(g_ours, g_tf, case, f"gradient of argument {i}")

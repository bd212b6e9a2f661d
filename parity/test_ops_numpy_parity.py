"""keras.ops (numpy family) against tf.keras.ops on the TensorFlow backend: values, shapes, Keras
dtype names and gradients, for every case of ops_cases_numpy.CASES."""

import dataclasses
import zlib

import numpy as np
import pytest
import tensorflow as tf
import torch

from kerascompat import ops as kc_ops
from kerascompat.backend.dtypes import standardize_dtype
from harness import TF_KERAS
from ops_cases_numpy import CASES, GRAD_OPS, A

tf_ops = TF_KERAS.ops

# float16 keeps ~3 significant digits; TF and torch round intermediate results differently.
TOLERANCE = {"float16": (2e-3, 2e-3), "bfloat16": (1e-2, 1e-2), "float64": (1e-10, 1e-10)}
DEFAULT_TOL = (1e-5, 1e-5)


def _materialize(spec, rng):
    if isinstance(spec, A):
        return spec.make(rng)
    if isinstance(spec, list) and any(isinstance(s, A) for s in spec):
        return [_materialize(s, rng) for s in spec]
    return spec


def _flatten(out):
    if isinstance(out, (list, tuple)):
        return [leaf for o in out for leaf in _flatten(o)]
    return [out]


def _numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _dtype_name(x):
    if isinstance(x, (int, float, bool)):
        return type(x).__name__
    return standardize_dtype(x.dtype)


def _run(ops, c, args):
    if c.call is not None:
        return c.call(ops, *args)
    return getattr(ops, c.op)(*args, **c.kwargs)


def _tf_inputs(args):
    return [tf.constant(a) if isinstance(a, np.ndarray) else a for a in args]



def _grad_positions(c, args):
    if c.op not in GRAD_OPS or not c.grad or c.check != "values":
        return []
    return [i for i, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype in (np.float32, np.float64)]


def _assert_same(ours, theirs, c, what):
    o, t = _flatten(ours), _flatten(theirs)
    assert len(o) == len(t), f"{what}: {len(o)} outputs, TF has {len(t)}"
    for a, b in zip(o, t):
        assert _dtype_name(a) == _dtype_name(b), f"{what}: dtype {_dtype_name(a)} vs TF {_dtype_name(b)}"
        an, bn = _numpy(a), _numpy(b)
        assert an.shape == bn.shape, f"{what}: shape {an.shape} vs TF {bn.shape}"
        if c.check == "meta":
            continue
        if an.dtype.kind in "biu":
            np.testing.assert_array_equal(an, bn, err_msg=what)
        else:
            rtol, atol = c.tol or TOLERANCE.get(_dtype_name(b), DEFAULT_TOL)
            scale = max(1.0, float(np.nanmax(np.abs(bn[np.isfinite(bn)]))) if np.isfinite(bn).any() else 1.0)
            np.testing.assert_allclose(an.astype("float64"), bn.astype("float64"), rtol=rtol,
                                       atol=atol * scale, equal_nan=True, err_msg=what)


@pytest.mark.parametrize("c", [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else []) for c in CASES])
def test_op(c):
    rng = np.random.default_rng(zlib.crc32(c.id.encode()))
    args = [_materialize(a, rng) for a in c.args]
    c = dataclasses.replace(c, kwargs={k: _materialize(v, rng) for k, v in c.kwargs.items()})
    theirs = _run(tf_ops, c, _tf_inputs(args))
    ours = _run(kc_ops, c, args)
    if c.check == "sorted_kth":
        axis = c.kwargs.get("axis", -1)
        kth = args[1]
        x = args[0]
        got = np.take(np.take_along_axis(x, _numpy(ours).astype("int64"), axis), kth, axis)
        want = np.take(np.sort(x, axis=axis), kth, axis)
        np.testing.assert_array_equal(got, want)
        assert _dtype_name(ours) == _dtype_name(theirs)
        return
    _assert_same(ours, theirs, c, "value")
    positions = _grad_positions(c, args)
    if not positions:
        return
    outs_t = _flatten(theirs)
    r = [np.random.default_rng(1).standard_normal(np.shape(_numpy(o))).astype(_numpy(o).dtype) for o in outs_t]
    tf_args = _tf_inputs(args)
    with tf.GradientTape() as tape:
        for i in positions:
            tape.watch(tf_args[i])
        out = _flatten(_run(tf_ops, c, tf_args))
        loss = tf.add_n([tf.reduce_sum(tf.cast(o, "float64") * ri) for o, ri in zip(out, r) if o.dtype.is_floating])
    tf_grads = tape.gradient(loss, [tf_args[i] for i in positions])
    t_args = list(args)
    for i in positions:
        t_args[i] = torch.tensor(args[i], requires_grad=True)
    out = _flatten(_run(kc_ops, c, t_args))
    loss = sum((o.double() * torch.from_numpy(ri).double()).sum() for o, ri in zip(out, r) if o.dtype.is_floating_point)
    loss.backward()
    for i, g in zip(positions, tf_grads):
        got = t_args[i].grad
        want = np.zeros_like(args[i]) if g is None else g.numpy()
        got = np.zeros_like(args[i]) if got is None else got.numpy()
        scale = max(1.0, float(np.abs(want).max()) if want.size else 1.0)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * scale, err_msg=f"gradient of argument {i}")

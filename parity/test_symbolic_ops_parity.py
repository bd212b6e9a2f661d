"""keras.ops on symbolic tensors against tf.keras: every case of the eager op tables
(ops_cases_*.py) is called again with its array arguments replaced by KerasTensors — once with
their full shapes, once with an unknown (None) leading axis where all arrays share it — and the
output structure, shapes (None where Keras does not know a size) and dtype names must equal
tf.keras's. Where tf.keras rejects the symbolic call, ours must reject it too."""

import importlib
import zlib

import numpy as np
import pytest

import kerascompat
from harness import TF_KERAS
from ops_cases_numpy import CASES as NUMPY_CASES, A

FAMILIES = ["nn", "core", "math", "linalg", "image"]

# Ops whose symbolic result legitimately differs from tf.keras's, with the reason.
_NONZERO = ("`where(x)` (nonzero) has a data-dependent length: kerascompat's symbolic result is two int32 vectors "
            "of unknown length (what the op returns), tf.keras's symbolic result one (2, 3) int64 tensor, and its "
            "eager op two vectors of length 3 for this input")
KNOWN = {
    "numpy-where-nonzero-static": _NONZERO,
    "numpy-cross-axes-batch_none": (
        "`cross` along an unknown axis: the vectors' length (2 or 3) decides the output's rank, so neither side "
        "can know it; tf.keras says (4,), its eager op gives (3, 4) for length 3, kerascompat says (None,)"),
}


def _cases():
    for c in NUMPY_CASES:
        if c.call is None and not c.xfail:
            yield f"numpy-{c.id}", c.op, c.args, c.kwargs
    for family in FAMILIES:
        for c in importlib.import_module(f"ops_cases_{family}").CASES:
            if c.call is None and not c.xfail and not any(hasattr(a, "make") for a in c.args):
                yield f"{family}-{c.id}", c.fn, c.args, c.kwargs


def _materialize(spec, rng):
    if isinstance(spec, A):
        return spec.make(rng)
    if isinstance(spec, list) and any(isinstance(s, A) for s in spec):
        return [_materialize(s, rng) for s in spec]
    return spec


def _symbolic(args, make, batch_unknown):
    def convert(a):
        if isinstance(a, np.ndarray):
            shape = a.shape
            if batch_unknown:
                shape = (None,) + shape[1:]
            return make(shape, a.dtype.name)
        if isinstance(a, list):
            return [convert(x) for x in a]
        return a
    return [convert(a) for a in args]


def _resolve(root, path):
    for part in path.split("."):
        root = getattr(root, part)
    return root


def _flat(out):
    if isinstance(out, dict):
        return [leaf for key in sorted(out) for leaf in _flat(out[key])]
    if isinstance(out, (list, tuple)) and not (out and all(d is None or isinstance(d, int) for d in out)):
        return [leaf for item in out for leaf in _flat(item)]
    return [out]


def _describe(out):
    return [(tuple(t.shape), getattr(t.dtype, "name", str(t.dtype))) if hasattr(t, "shape") else ("value", repr(t))
            for t in _flat(out)]


def _call(ops, path, args, kwargs):
    try:
        return "ok", _describe(_resolve(ops, path)(*args, **kwargs))
    except Exception as error:  # a rejected call: compared as "both reject"
        return "error", f"{type(error).__name__}: {error}"


def _shapes(values):
    out = []
    for a in values:
        if isinstance(a, (np.ndarray, A)):
            out.append(tuple(a.shape))
        elif isinstance(a, list):
            out.extend(_shapes(a))
    return out


def _shares_leading_axis(shapes):
    return all(len(s) == len(shapes[0]) >= 1 for s in shapes) and len({s[0] for s in shapes}) == 1


def _params():
    for case_id, path, args, kwargs in _cases():
        shapes = _shapes(list(args) + list(kwargs.values()))
        if not shapes:
            continue  # nothing to make symbolic
        for batch_unknown in ((False, True) if _shares_leading_axis(shapes) else (False,)):
            variant = "batch_none" if batch_unknown else "static"
            test_id = f"{case_id}-{variant}"
            marks = [pytest.mark.xfail(reason=KNOWN[test_id], strict=True)] if test_id in KNOWN else []
            yield pytest.param(case_id, path, args, kwargs, batch_unknown, id=test_id, marks=marks)


@pytest.mark.parametrize("case_id,path,args,kwargs,batch_unknown", list(_params()))
def test_symbolic_op_matches_tf(case_id, path, args, kwargs, batch_unknown):
    rng = np.random.default_rng(zlib.crc32(case_id.encode()))
    args = [_materialize(a, rng) for a in args]
    kwargs = {k: _materialize(v, rng) for k, v in kwargs.items()}
    keys = list(kwargs)
    tf_make = lambda shape, dtype: TF_KERAS.KerasTensor(shape, dtype=dtype)  # noqa: E731
    our_make = lambda shape, dtype: kerascompat.KerasTensor(shape, dtype=dtype)  # noqa: E731
    tf_args = _symbolic(args + [kwargs[k] for k in keys], tf_make, batch_unknown)
    our_args = _symbolic(args + [kwargs[k] for k in keys], our_make, batch_unknown)
    n = len(args)
    theirs = _call(TF_KERAS.ops, path, tf_args[:n], dict(zip(keys, tf_args[n:])))
    ours = _call(kerascompat.ops, path, our_args[:n], dict(zip(keys, our_args[n:])))
    if ours == theirs or ours[0] == theirs[0] == "error":
        return
    # Where tf.keras's symbolic result contradicts its own eager op (its symbolic path rejects a
    # Python scalar operand with "'int' object has no attribute 'dtype'", or names another dtype
    # than the eager op returns), ours must equal what the op computes: tf.keras's eager result,
    # None allowed only for sizes the symbolic inputs leave unknown.
    assert ours[0] == "ok", f"tf.keras: {theirs}; kerascompat: {ours}"
    eager = _call(TF_KERAS.ops, path, _tf_constants(args), {k: _tf_constants([v])[0] for k, v in kwargs.items()})
    assert eager[0] == "ok", f"tf.keras rejects this call ({eager[1]}); kerascompat: {ours}"
    symbolic_shapes = theirs[1] if theirs[0] == "ok" and len(theirs[1]) == len(eager[1]) else None
    assert len(ours[1]) == len(eager[1]), f"outputs: tf.keras {theirs}, tf.keras eager {eager[1]}, kerascompat {ours[1]}"
    for k, ((our_shape, our_dtype), (tf_shape, tf_dtype)) in enumerate(zip(ours[1], eager[1])):
        unknown = [d is None for d in symbolic_shapes[k][0]] if symbolic_shapes and symbolic_shapes[k][0] != "value" \
            and len(symbolic_shapes[k][0]) == len(tf_shape) else [False] * len(tf_shape)
        assert our_dtype == tf_dtype and len(our_shape) == len(tf_shape) and all(
            o == t or (o is None and (batch_unknown or u)) for o, t, u in zip(our_shape, tf_shape, unknown)), (
            f"output {k}: tf.keras {theirs}, tf.keras eager {eager[1]}, kerascompat {ours[1]}")


def _tf_constants(values):
    import tensorflow as tf

    def convert(a):
        if isinstance(a, np.ndarray):
            return tf.constant(a)
        if isinstance(a, list):
            return [convert(x) for x in a]
        return a
    return [convert(a) for a in values]


def test_the_table_is_not_empty():
    assert len(list(_params())) > 1000

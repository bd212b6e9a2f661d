"""Output shapes of layers that do not compute them, found by running the layer without data.

`infer_output_shape(layer, input_shape)` runs `layer.forward` twice on fake tensors (torch's
FakeTensorMode: shapes, dtypes and devices, no data, no compute), with two different
placeholder sizes for every unknown (None) dimension. An output dimension that is the same in
both runs is known; one that differs depends on an unknown input size and is None. No
placeholder size is ever mistaken for a real size (a real output of 17 stays 17).

The trial has no side effects:
- under FakeTensorMode an in-place update of a parameter or buffer (BatchNorm statistics,
  `variable.assign`) reaches only a fake copy; the exception, 0-dim CPU tensors (counters such
  as BatchNorm's num_batches_tracked), and every buffer are restored from copies taken before;
- every module's attributes are restored afterwards (a stateful RNN keeps its states, a layer
  built lazily inside the run stays unbuilt);
- it runs in a fresh call context marked `inferring_shapes` that keeps no losses
  (`add_loss`, activity regularizers) and leaves the thread's own context untouched.

When an op cannot run on fake tensors (data-dependent control flow, `.item()`, an op without
a meta kernel), the same two runs happen on real zero tensors on the layer's device with small
placeholder sizes, on copies of the state; an error there is raised with the layer's name and a
hint to implement `compute_output_shape`.
"""

import threading

import torch

from .. import _tree
from ..backend import context as _context
from ..ops._trial_shapes import FAKE_SIZES as _FAKE_SIZES, REAL_SIZES as _REAL_SIZES
from ..ops._trial_shapes import fill as _fill, merge_structures as _merge_structures, shapes_of as _shapes_of

__all__ = ["infer_output_shape", "infer_call_output_shape"]

def _snapshot(layer, clone_all):
    """Module attributes and registries, and the values of the tensors a run could change: every
    buffer and 0-dim tensor (FakeTensorMode lets 0-dim CPU tensors be updated for real), or every
    tensor for a run on real data."""
    # Lists held as attributes (a layer's weight slots, its inbound nodes) are copied too: a
    # layer first built inside the run appends to them in place.
    modules = [(m, {k: (list(v) if type(v) is list else v) for k, v in m.__dict__.items()},
                dict(m._parameters), dict(m._buffers), dict(m._modules))
               for m in layer.modules()]
    values = []
    for m in layer.modules():
        for store, is_buffer in ((m._parameters, False), (m._buffers, True)):
            for t in store.values():
                if t is not None and (clone_all or is_buffer or t.dim() == 0):
                    values.append((t, t._version, t.detach().clone()))
    return modules, values


def _restore(snapshot):
    modules, values = snapshot
    for module, attrs, params, buffers, children in modules:
        module.__dict__.clear()
        module.__dict__.update(attrs)
        for store, saved in ((module._parameters, params), (module._buffers, buffers), (module._modules, children)):
            store.clear()
            store.update(saved)
    with torch.no_grad():
        for tensor, version, value in values:
            if tensor._version != version:
                tensor.copy_(value)


def _run(layer, make_call, fake):
    """One trial run: `make_call(device)` builds (args, kwargs) of placeholder tensors (inside
    the fake mode when `fake`); returns the output structure."""
    ref = layer._reference_tensor()
    device = ref.device if ref is not None else torch.device("cpu")
    snapshot = _snapshot(layer, clone_all=not fake)
    try:
        with torch.no_grad(), _context.shape_inference():
            if fake:
                from torch._subclasses.fake_tensor import FakeTensorMode

                with FakeTensorMode(allow_non_fake_inputs=True):
                    args, kwargs = make_call(device)
                    return layer(*args, **kwargs)
            args, kwargs = make_call(device)
            return layer(*args, **kwargs)
    finally:
        _restore(snapshot)


_BUILDS = threading.local()


def record_build(layer, input_shape):
    """Called by `Layer.build_from_shape` inside a trial run: the sub-layers a layer's `call`
    builds lazily are built for real after the trial (see `_build_for_real`)."""
    log = getattr(_BUILDS, "log", None)
    if log is not None:
        log.append((layer, input_shape))


def _build_for_real(log):
    """Build, outside the trial and with None for the placeholder sizes, the sub-layers that
    the first trial run built lazily (the trial itself leaves no state behind): a functional
    model then has every weight as tf.keras's does, before any real call."""
    placeholders = set(_FAKE_SIZES[0])
    for layer, input_shape in log:
        if layer.built:
            continue
        shape = _tree.map_shapes(lambda s: tuple(None if d in placeholders else d for d in s), input_shape)
        try:
            layer.build_from_shape(shape)
        except Exception:  # noqa: BLE001 - it builds on its first real call instead, raising there
            pass


def _infer(layer, make_call, describe):
    """Two runs (fake tensors, else real zeros), merged: sizes that differ are None."""
    try:
        _BUILDS.log = []
        try:
            first = _shapes_of(_run(layer, make_call(_FAKE_SIZES[0]), fake=True))
        finally:
            log, _BUILDS.log = _BUILDS.log, None
        runs = [first, _shapes_of(_run(layer, make_call(_FAKE_SIZES[1]), fake=True))]
        _build_for_real(log)
    except Exception as fake_error:  # an op without fake/meta support: run on real zeros instead
        try:
            runs = [_shapes_of(_run(layer, make_call(sizes), fake=False)) for sizes in _REAL_SIZES]
        except Exception as error:
            raise ValueError(
                f"Layer {layer.name!r} could not infer its output shape for {describe} "
                f"by running `call` on placeholder tensors (fake tensors: {type(fake_error).__name__}: "
                f"{fake_error}; zeros: {type(error).__name__}: {error}). Implement "
                "`compute_output_shape(input_shape)` in the layer."
            ) from error
    return _merge_structures(runs[0], runs[1])


def infer_output_shape(layer, input_shape):
    """The output shape (structure) of `layer` for `input_shape`; None marks unknown sizes."""
    dtype = layer._dtype
    training = {"training": False} if layer._call_has_training else {}

    def make_call(sizes):
        def build(device):
            inputs = _tree.map_shapes(lambda s: torch.zeros(s, dtype=dtype, device=device), _fill(input_shape, sizes))
            return (inputs,), dict(training)
        return build

    return _infer(layer, make_call, f"input shape {input_shape}")


def infer_call_output_shape(layer, args, kwargs, is_symbolic, dtype_of):
    """The output shape of `layer(*args, **kwargs)` where some arguments are symbolic tensors
    (`is_symbolic(x)`; `dtype_of(x)` its torch dtype): every symbolic tensor, in any argument,
    becomes a placeholder tensor. Keras infers a call with several tensor arguments (a layer
    called as `layer(labels, predictions)`) this way."""
    training = {"training": False} if layer._call_has_training and "training" not in kwargs else {}

    def make_call(sizes):
        def placeholder(x, device):
            if is_symbolic(x):
                shape = _fill(tuple(x.shape), sizes)
                return torch.zeros(shape, dtype=dtype_of(x), device=device)
            return x

        def build(device):
            call_args = _tree.map_structure(lambda x: placeholder(x, device), list(args))
            call_kwargs = _tree.map_structure(lambda x: placeholder(x, device), dict(kwargs))
            call_kwargs.update(training)
            return call_args, call_kwargs
        return build

    return _infer(layer, make_call, "its symbolic arguments")

"""Symbolic tensors, graph nodes, and ops and Python operators applied to symbolic tensors.

A `KerasTensor` is what `Input()` and layer calls return in the functional API: a shape (None
for unknown sizes), a Keras dtype name, and the node that made it. Calling a keras.ops function,
a keras.activations function or a Python operator (`x + y`, `x[:, 0]`, `-x`, `x @ w`, ...) on
one records an `Operation` node, as Keras 3 does: the op's Keras class name and module, its
constructor arguments as the node's config (Keras's `ops/_op_table.py` lists them) and its
tensor arguments as the node's inbound arguments. The output's shape and dtype come from running
the op's torch implementation twice on fake tensors (placeholder sizes for unknown dimensions,
see `_trial_shapes`); a functional model runs the node eagerly with that same implementation.

The public ops are wrapped once (`dispatching`): an eager call costs one type check of the
arguments more than the torch implementation.
"""

import functools
import inspect
import itertools
import math

import torch

from .. import _tree
from .. import backend as _backend
from . import _trial_shapes
from ._op_table import OPS, REQUIRED
from ._tensor import dtype_name, torch_dtype

__all__ = ["KerasTensor", "Node", "Operation", "is_symbolic", "dispatching", "operation_from_config"]

_KID = itertools.count()
_NODE_ID = itertools.count()
_IMPLEMENTATIONS = {}  # "numpy.add" -> the eager function, filled by `dispatching`


def _operator(key, *args):
    return symbolic_call(key, _IMPLEMENTATIONS[key], args, {})


class KerasTensor:
    """A symbolic tensor: a shape (None for unknown sizes), a dtype, and the node that made it."""

    __slots__ = ("shape", "dtype", "name", "_kid", "_keras_history")
    _is_keras_tensor = True  # backend.is_keras_tensor (the backend cannot import this module)
    __array_priority__ = 1000  # numpy defers `array + x` to our __radd__
    __array_ufunc__ = None

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.name = name
        self._kid = next(_KID)
        self._keras_history = None  # (layer or operation, node_index, tensor_index)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def node(self):
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    @property
    def T(self):
        return _operator("numpy.transpose", self)

    def reshape(self, newshape):
        return _operator("numpy.reshape", self, newshape)

    def squeeze(self, axis=None):
        return _operator("numpy.squeeze", self, axis)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python boolean.")

    def _concrete(self, *args, **kwargs):
        raise TypeError(
            "A symbolic KerasTensor has no value: it cannot be converted to a Python number, a numpy "
            "array or iterated over. Use keras.ops on it, or compute on real tensors inside a layer's `call`."
        )

    __int__ = __float__ = __index__ = __array__ = __iter__ = _concrete

    # Python operators record Keras's ops (keras/src/backend/common/keras_tensor.py's mapping).
    def __add__(self, other): return _operator("numpy.add", self, other)  # noqa: E704
    def __radd__(self, other): return _operator("numpy.add", other, self)  # noqa: E704
    def __sub__(self, other): return _operator("numpy.subtract", self, other)  # noqa: E704
    def __rsub__(self, other): return _operator("numpy.subtract", other, self)  # noqa: E704
    def __mul__(self, other): return _operator("numpy.multiply", self, other)  # noqa: E704
    def __rmul__(self, other): return _operator("numpy.multiply", other, self)  # noqa: E704
    def __matmul__(self, other): return _operator("numpy.matmul", self, other)  # noqa: E704
    def __rmatmul__(self, other): return _operator("numpy.matmul", other, self)  # noqa: E704
    def __truediv__(self, other): return _operator("numpy.true_divide", self, other)  # noqa: E704
    def __rtruediv__(self, other): return _operator("numpy.true_divide", other, self)  # noqa: E704
    def __floordiv__(self, other): return _operator("numpy.floor_divide", self, other)  # noqa: E704
    def __rfloordiv__(self, other): return _operator("numpy.floor_divide", other, self)  # noqa: E704
    def __mod__(self, other): return _operator("numpy.mod", self, other)  # noqa: E704
    def __rmod__(self, other): return _operator("numpy.mod", other, self)  # noqa: E704
    def __pow__(self, other): return _operator("numpy.power", self, other)  # noqa: E704
    def __rpow__(self, other): return _operator("numpy.power", other, self)  # noqa: E704
    def __neg__(self): return _operator("numpy.negative", self)  # noqa: E704
    def __abs__(self): return _operator("numpy.absolute", self)  # noqa: E704
    def __invert__(self): return _operator("numpy.logical_not", self)  # noqa: E704
    def __lt__(self, other): return _operator("numpy.less", self, other)  # noqa: E704
    def __le__(self, other): return _operator("numpy.less_equal", self, other)  # noqa: E704
    def __gt__(self, other): return _operator("numpy.greater", self, other)  # noqa: E704
    def __ge__(self, other): return _operator("numpy.greater_equal", self, other)  # noqa: E704
    def __ne__(self, other): return _operator("numpy.not_equal", self, other)  # noqa: E704
    def __and__(self, other): return _operator("numpy.logical_and", self, other)  # noqa: E704
    def __rand__(self, other): return _operator("numpy.logical_and", other, self)  # noqa: E704
    def __or__(self, other): return _operator("numpy.logical_or", self, other)  # noqa: E704
    def __ror__(self, other): return _operator("numpy.logical_or", other, self)  # noqa: E704
    def __xor__(self, other): return _operator("numpy.logical_xor", self, other)  # noqa: E704
    def __rxor__(self, other): return _operator("numpy.logical_xor", other, self)  # noqa: E704
    def __getitem__(self, key): return _operator("numpy.get_item", self, key)  # noqa: E704
    def __round__(self, ndigits=None): return _operator("numpy.round", self, ndigits or 0)  # noqa: E704
    __hash__ = object.__hash__  # `==` stays identity (as in Keras), so tensors stay hashable

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        # A TypeError here lets `torch_tensor + keras_tensor` fall back to KerasTensor.__radd__.
        raise TypeError(
            f"torch function {getattr(func, '__name__', func)!r} cannot be applied to a symbolic KerasTensor. "
            "Use keras.ops (recorded in the functional graph), a layer, or a custom `Layer` subclass."
        )


def is_symbolic(value):
    """True if `value` (or a leaf of a list/tuple/dict) is a KerasTensor."""
    t = type(value)
    if t is KerasTensor:
        return True
    if t is list or t is tuple:
        return any(is_symbolic(v) for v in value)
    if t is dict:
        return any(is_symbolic(v) for v in value.values())
    return False


class Node:
    """One call of a layer or an operation on symbolic inputs: its arguments and its outputs."""

    def __init__(self, layer, call_args, call_kwargs, outputs):
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs
        self.outputs = outputs
        self.input_tensors = [
            x for x in _tree.flatten([list(call_args), call_kwargs]) if isinstance(x, KerasTensor)
        ]
        self.output_tensors = _tree.flatten(outputs)
        self.id = next(_NODE_ID)
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, tensor in enumerate(self.output_tensors):
            tensor._keras_history = (layer, node_index, i)
        # Fast path for the common case: one tensor in, one tensor out, no other arguments.
        self._simple = (
            len(call_args) == 1 and type(call_args[0]) is KerasTensor and not call_kwargs
        )
        self._in_kid = call_args[0]._kid if self._simple else None
        self._single_out = type(outputs) is KerasTensor
        self._out_kids = [t._kid for t in self.output_tensors]

    @property
    def is_input(self):
        return not self.input_tensors and not self.call_args

    def run(self, values):
        """Execute this node on concrete tensors; `values` maps KerasTensor ids to tensors."""
        if self._simple:
            out = self.layer(values[self._in_kid])
        else:
            resolve = lambda x: values[x._kid] if type(x) is KerasTensor else x  # noqa: E731
            args = _tree.map_structure(resolve, list(self.call_args))
            kwargs = _tree.map_structure(resolve, self.call_kwargs)
            out = self.layer(*args, **kwargs)
        if self._single_out:
            values[self._out_kids[0]] = out
        else:
            for kid, value in zip(self._out_kids, _tree.flatten(out)):
                values[kid] = value


class Operation:
    """A keras.ops call recorded in a functional graph: Keras's class name and module, a name
    (`add`, `reshape_1`: automatic names share the layers' counters, as in Keras), the constructor
    arguments (`get_config()`), and the torch implementation it runs with them."""

    def __init__(self, key, config, name=None):
        if key not in OPS or key not in _IMPLEMENTATIONS:
            raise NotImplementedError(f"keras.ops function {key!r} cannot be recorded on symbolic tensors.")
        self.key = key
        self.keras_module, self.class_name, init_params, self._call_params = OPS[key]
        self.fn = _IMPLEMENTATIONS[key]
        self.config = dict(config)
        if name is None:
            name = _backend.unique_name(_backend.to_snake_case(self.class_name))
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. Received: name={name!r}")
        self.name = name
        self._inbound_nodes = []
        self._parameters = inspect.signature(self.fn).parameters  # read once, not at every run
        plain = [p for p in self._call_params if not p.startswith("*")]
        self._positional = list(self._parameters)[:len(plain)] == plain and len(plain) == len(self._call_params)

    def __repr__(self):
        return f"<Operation name={self.name}>"

    def __call__(self, *args, **kwargs):
        """Run eagerly on concrete tensors (a functional model's forward pass)."""
        if self._positional:
            return self.fn(*args, **kwargs, **self.config)
        return _call_by_signature(self.fn, self._parameters, self._call_params, args, kwargs, self.config)

    def symbolic_call(self, *args, **kwargs):
        if self.key == "numpy.get_item" and len(args) == 2 and type(args[1]) is list:
            args = (args[0], tuple(args[1]))  # a tuple key that went through a config, as Keras reads it
        outputs = _output_spec(self, args, kwargs)
        if is_symbolic(outputs):
            Node(self, tuple(args), dict(kwargs), outputs)
        return outputs

    def compute_output_shape(self, *arg_shapes):
        placeholders = [KerasTensor(s) if _tree.is_shape(s) else s for s in arg_shapes]
        return _tree.map_structure(lambda t: t.shape, _output_spec(self, placeholders, {}))

    def get_config(self):
        return {"name": self.name, **self.config}

    def serialize(self):
        """Keras's serialized form of the op (an entry of a functional config's `layers`)."""
        return {"module": self.keras_module, "class_name": self.class_name, "config": self.get_config(),
                "registered_name": self.class_name}


def _call_by_signature(fn, parameters, call_params, args, kwargs, config):
    """`fn` called with Keras's call arguments (`args`, in `call_params` order, a `*name` taking
    the rest) and constructor arguments (`config`), placed by `fn`'s own signature (e.g.
    `einsum(subscripts, *operands)`, where Keras's constructor argument comes first)."""
    named, rest = dict(kwargs), list(args)
    for name in call_params:
        if name.startswith("*"):
            named[name] = rest
            rest = []
        elif rest:
            named[name] = rest.pop(0)
    named.update(config)
    # A Keras call argument under another name here (Keras records `extract_patches_3d` as the
    # 2-D op's `images`; ours is `volumes`) takes our first free positional parameter.
    free = [n for n, p in parameters.items() if n not in named and p.kind is p.POSITIONAL_OR_KEYWORD]
    for name in [n for n in call_params if n in named and n not in parameters]:
        if free:
            named[free.pop(0)] = named.pop(name)
    positional, keywords, by_position = [], {}, True
    for p in parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            positional.extend(named.pop("*" + p.name, ()))
        elif p.name in named and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and by_position:
            positional.append(named.pop(p.name))
        elif p.name in named:
            keywords[p.name] = named.pop(p.name)
        elif p.kind is not p.VAR_KEYWORD:
            by_position = False  # a parameter left at its default: the rest go by name
    for name in list(named):
        if name.startswith("*"):
            positional.extend(named.pop(name))
    keywords.update(named)
    return fn(*positional, **keywords)


def _placeholder(sizes, real, varied):
    """Placeholder tensors: zeros, or (for the second run on real data) the repeating values
    0, 1, 2, so that a size that depends on the data (`unique`, `nonzero`) differs between runs."""
    def make(x):
        if type(x) is not KerasTensor:
            return x
        shape = _trial_shapes.fill(x.shape, sizes)
        dtype = torch_dtype(x.dtype)
        if real and varied:
            return (torch.arange(math.prod(shape)) % 3).reshape(shape).to(dtype)
        return torch.zeros(shape, dtype=dtype)
    return make


def _trial(op, args, kwargs, sizes, real=False, varied=False):
    make = _placeholder(sizes, real, varied)
    with torch.no_grad():
        if real:
            return op(*_tree.map_structure(make, list(args)), **_tree.map_structure(make, dict(kwargs)))
        from torch._subclasses.fake_tensor import FakeTensorMode

        with FakeTensorMode(allow_non_fake_inputs=True):
            return op(*_tree.map_structure(make, list(args)), **_tree.map_structure(make, dict(kwargs)))


def _output_spec(op, args, kwargs):
    """KerasTensors with the op's output shapes (None where a size depends on an unknown input
    size or on the data) and dtypes, found by two trial runs."""
    try:
        runs = [_trial(op, args, kwargs, sizes) for sizes in _trial_shapes.FAKE_SIZES]
    except Exception as fake_error:  # no fake-tensor support, or a data-dependent output size
        try:
            runs = [_trial(op, args, kwargs, sizes, real=True, varied=varied)
                    for sizes, varied in zip(_trial_shapes.REAL_SIZES, (False, True))]
        except Exception as error:
            runs = _small_size_trials(op, args, kwargs)
            if runs is None:
                raise ValueError(
                    f"keras.ops.{op.key.split('.')[-1]} cannot be applied to these symbolic tensors: "
                    f"{type(error).__name__}: {error}"
                ) from fake_error
    if len(_tree.flatten(runs[0])) != len(_tree.flatten(runs[1])):
        raise ValueError(f"keras.ops.{op.key.split('.')[-1]}: the number of outputs depends on an unknown size of "
                         "its symbolic inputs; pass the sizes it needs (e.g. `num`) or give the inputs known shapes.")
    if not any(isinstance(v, torch.Tensor) for v in _tree.flatten(runs[0])):
        if runs[0] == runs[1]:
            return runs[0]  # a Python value that does not depend on the data (e.g. `ops.ndim`)
        raise TypeError(f"keras.ops.{op.key.split('.')[-1]} on symbolic tensors returns a value that depends on "
                        "unknown sizes; call it on real tensors inside a layer's `call`.")
    shapes = _trial_shapes.merge_structures(_trial_shapes.shapes_of(runs[0]), _trial_shapes.shapes_of(runs[1]))
    small = _small_size_shapes(op, args, kwargs)
    if small is not None and len(_tree.flatten_shapes(small)) == len(_tree.flatten_shapes(shapes)):
        shapes = _trial_shapes.merge_structures(shapes, small)

    def spec(value, shape):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"keras.ops.{op.key.split('.')[-1]} on symbolic tensors returned a non-tensor {value!r}.")
        return KerasTensor(shape, dtype_name(value.dtype), name=op.name)

    flat = [spec(v, s) for v, s in zip(_tree.flatten(runs[0]), _tree.flatten_shapes(shapes) if not isinstance(
        runs[0], torch.Tensor) else [shapes])]
    if isinstance(runs[0], torch.Tensor):
        return flat[0]
    return _tree.pack_like(_tree.map_structure(lambda t: None, runs[0]), flat)


def _has_unknown_size(args, kwargs):
    return any(d is None for t in _tree.flatten([list(args), dict(kwargs)]) if type(t) is KerasTensor
               for d in t.shape)


def _small_size_shapes(op, args, kwargs):
    """Output shapes of a third run with every unknown size 2, which catches output sizes the
    large placeholders hide (`diagonal` of an (n, 4) matrix has min(n, 4) entries); None when
    no size is unknown or the op rejects size 2."""
    if not _has_unknown_size(args, kwargs):
        return None
    try:
        return _trial_shapes.shapes_of(_trial(op, args, kwargs, (2,)))
    except Exception:
        return None


def _small_size_trials(op, args, kwargs):
    """Runs where every unknown size is one small value (1 to 8), for ops that constrain an
    unknown size (`glu` needs it even, `broadcast_to` 1 or the target's): two runs that work give
    the output's known sizes; when only one works, an output size equal to its placeholder is
    taken as unknown."""
    if not _has_unknown_size(args, kwargs):
        return None
    good = []
    for size in (2, 3, 4, 6, 8, 1, 5, 7):
        try:
            good.append((size, _trial(op, args, kwargs, (size,), real=True)))
        except Exception:
            continue
        if len(good) == 2:
            return [good[0][1], good[1][1]]
    if not good:
        return None
    size, run = good[0]
    unknown = _tree.map_structure(
        lambda t: torch.empty([0 if d == size else d for d in t.shape]) if isinstance(t, torch.Tensor) else t, run)
    return [run, unknown]


def symbolic_call(key, fn, args, kwargs):
    """Record `fn(*args, **kwargs)` (the eager function of keras.ops `key`) as an op node."""
    _, class_name, init_params, call_params = OPS[key]
    try:
        signature = inspect.signature(fn)
        bound = signature.bind(*args, **kwargs)
    except TypeError as error:
        raise TypeError(f"keras.ops.{key.split('.')[-1]}: {error}") from None
    arguments = bound.arguments
    for p in signature.parameters.values():
        if p.kind is p.VAR_KEYWORD and p.name in arguments:
            arguments.update(arguments.pop(p.name))
    config = {}
    for name, default in init_params:
        if name in arguments and not is_symbolic(arguments[name]):
            config[name] = arguments.pop(name)
        elif name not in arguments:
            parameter = signature.parameters.get(name)
            if parameter is not None and parameter.default is not parameter.empty:
                config[name] = parameter.default
            elif default is not REQUIRED:
                config[name] = default
    call_args = []
    for name in call_params:
        if name.startswith("*"):
            call_args.extend(arguments.pop(name[1:], ()))
        elif name in arguments:
            call_args.append(arguments.pop(name))
    call_kwargs = {k: v for k, v in arguments.items()}
    if not is_symbolic([call_args, call_kwargs]):
        return fn(*args, **kwargs)
    return Operation(key, config).symbolic_call(*call_args, **call_kwargs)


def _has_symbolic(values):
    for v in values:
        t = type(v)
        if t is KerasTensor or ((t is list or t is tuple) and _has_symbolic(v)):
            return True
    return False


def dispatching(key, fn):
    """`fn` (the eager implementation of keras.ops `key`), recording an op node when any argument
    is a symbolic tensor. The same wrapper object serves every namespace that exports `fn`."""
    _IMPLEMENTATIONS[key] = fn

    def op(*args, **kwargs):
        if _has_symbolic(args) or (kwargs and _has_symbolic(kwargs.values())):
            return symbolic_call(key, fn, args, kwargs)
        return fn(*args, **kwargs)

    functools.update_wrapper(op, fn)
    return op


_BY_CLASS = {}


def operation_from_config(config):
    """An Operation from its serialized form (a `layers` entry of tf.keras's functional config)."""
    if not _BY_CLASS:
        # keras.ops namespaces before keras.activations: the same class, the op's own function
        for key in sorted(OPS, key=lambda k: k.startswith("activations.")):
            module, class_name = OPS[key][:2]
            if key in _IMPLEMENTATIONS:
                _BY_CLASS.setdefault((module, class_name), key)
                _BY_CLASS.setdefault(class_name, key)  # legacy .h5 configs name no module
    module, class_name = config.get("module"), config.get("class_name")
    key = _BY_CLASS.get((module, class_name)) if module else _BY_CLASS.get(class_name)
    if key is None:
        raise NotImplementedError(
            f"The functional config holds the op {module}.{class_name}, which kerascompat does not provide.")
    inner = dict(config.get("config") or {})
    name = inner.pop("name", None) or config.get("name")
    return Operation(key, inner, name=name)


def is_operation_config(config):
    """True for a serialized keras.ops operation: module keras.src.ops.* or keras.src.activations.*,
    or (Keras's legacy .h5 configs name no module) an op class name whose config is an op's
    (a layer's config always has `trainable`; `Multiply` the layer and the op share a name)."""
    if not isinstance(config, dict):
        return False
    module = config.get("module")
    if isinstance(module, str):
        return module.startswith("keras.src.ops.") or module.startswith("keras.src.activations")
    inner = config.get("config")
    if module is None and isinstance(inner, dict) and "trainable" not in inner:
        return config.get("class_name") in _OP_CLASS_NAMES
    return False


_OP_CLASS_NAMES = frozenset(class_name for _, class_name, _, _ in OPS.values())

"""Symbolic tensors and the nodes of the functional graph."""

import itertools

from .. import _tree

_KID = itertools.count()
_NODE_ID = itertools.count()


class KerasTensor:
    """A symbolic tensor: a shape (None for unknown sizes), a dtype, and the node that made it."""

    __slots__ = ("shape", "dtype", "name", "_kid", "_keras_history")

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.name = name
        self._kid = next(_KID)
        self._keras_history = None  # (layer, node_index, tensor_index)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def node(self):
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python boolean.")

    def _unsupported(self, *args, **kwargs):
        raise TypeError(
            "Operators and torch functions cannot be applied to a symbolic KerasTensor in "
            "kerascompat's functional API. Wrap the computation in a layer (for example "
            "`layers.Add()`, `layers.Activation(...)`, or a custom `Layer` subclass) instead."
        )

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _unsupported
    __truediv__ = __rtruediv__ = __matmul__ = __rmatmul__ = __neg__ = __pow__ = _unsupported
    __getitem__ = _unsupported

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        KerasTensor._unsupported(None)


def is_symbolic(value):
    """True if `value` (or a leaf of a list/tuple/dict) is a KerasTensor."""
    t = type(value)
    if t is KerasTensor:
        return True
    if t in (list, tuple):
        return any(is_symbolic(v) for v in value)
    if t is dict:
        return any(is_symbolic(v) for v in value.values())
    return False


class Node:
    """One call of a layer on symbolic inputs: the layer, its arguments and its outputs."""

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

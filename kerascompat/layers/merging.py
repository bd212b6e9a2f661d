"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Shape rules are Keras's: non-batch axes broadcast right-aligned, and an input of lower
rank gets its missing axes inserted after the batch axis (Keras expands at axis 1, which
is not torch's left-padding broadcast). Batch sizes must agree.
"""

import torch

from .._tree import is_shape
from ..engine.base_layer import Layer
from ..regularizers import _l2_normalize


def _is_shape_list(input_shape):
    return isinstance(input_shape, (list, tuple)) and len(input_shape) > 0 and all(
        is_shape(s) for s in input_shape) and not is_shape(input_shape)


def _elementwise_shape(name, shape1, shape2):
    """Keras's right-aligned broadcast of two non-batch shapes (size 1 and None broadcast)."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    out = list(shape1[: len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1 or i == j:
            out.append(i)
        else:
            raise ValueError(
                f'Layer "{name}": inputs have incompatible shapes. Received shapes {tuple(shape1)} and {tuple(shape2)}'
            )
    return tuple(out)


class Merge(Layer):
    """Base class of the element-wise merge layers: subclasses define `_merge_function`."""

    _exact_inputs = None  # Subtract: 2
    supports_masking = True

    def compute_mask(self, inputs, mask=None):
        """Keras: the output step is kept if any input keeps it."""
        if mask is None or not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = out | m
        return out

    def _check_input_list(self, input_shape):
        if not _is_shape_list(input_shape):
            raise ValueError(
                f'A merge layer ("{self.name}", {type(self).__name__}) should be called on a list of inputs. '
                f"Received: input_shape={input_shape} (not a list of shapes)"
            )
        if self._exact_inputs is not None and len(input_shape) != self._exact_inputs:
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on exactly {self._exact_inputs} inputs. "
                f"Received: input_shape={list(input_shape)}"
            )
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f'Layer "{self.name}": cannot merge tensors with different batch sizes. '
                f"Received tensors with shapes {list(input_shape)}"
            )

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = _elementwise_shape(self.name, out, tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + out

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'A merge layer ("{self.name}") should be called on a list of inputs. '
                f"Received: inputs of type {type(inputs).__name__} (not a list of tensors)"
            )
        if self._exact_inputs is not None and len(inputs) != self._exact_inputs:
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on exactly {self._exact_inputs} inputs. "
                f"Received {len(inputs)} inputs."
            )
        ndims = [x.dim() for x in inputs]
        max_ndim = max(ndims)
        if min(ndims) != max_ndim:  # Keras inserts the missing axes after the batch axis
            inputs = [x.reshape(x.shape[:1] + (1,) * (max_ndim - x.dim()) + x.shape[1:]) for x in inputs]
        try:
            return self._merge_function(inputs)
        except RuntimeError:
            self.compute_output_shape([tuple(x.shape) for x in inputs])  # raises the Keras-worded error
            raise

    def _merge_function(self, inputs):
        raise NotImplementedError


class Add(Merge):
    """Element-wise sum of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


class Subtract(Merge):
    """`inputs[0] - inputs[1]`; exactly two inputs."""

    _exact_inputs = 2

    def _merge_function(self, inputs):
        return inputs[0] - inputs[1]


class Multiply(Merge):
    """Element-wise product of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


class Average(Merge):
    """Element-wise mean of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


class Maximum(Merge):
    """Element-wise maximum of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.maximum(out, x)
        return out


class Minimum(Merge):
    """Element-wise minimum of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.minimum(out, x)
        return out


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis` (default -1); other axes must match."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"The `axis` argument must be an integer. Received: axis={axis!r}")
        self.axis = axis

    def _error(self, input_shape):
        return ValueError(
            f'Layer "{self.name}": a `Concatenate` layer requires inputs with matching shapes except for '
            f"the concatenation axis. Received: input_shape={[tuple(s) for s in input_shape]}"
        )

    def compute_output_shape(self, input_shape):
        if not _is_shape_list(input_shape):
            raise ValueError(
                f"A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise self._error(input_shape)
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f'Layer "{self.name}": `axis`={self.axis} is out of range for inputs of rank {rank}.'
            )
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in input_shape if s[i] is not None}
            if len(sizes) > 1:
                raise self._error(input_shape)
        out = list(input_shape[0])
        for i in range(rank):
            if i != axis:
                out[i] = next((s[i] for s in input_shape if s[i] is not None), None)
        sizes = [s[axis] for s in input_shape]
        out[axis] = None if any(d is None for d in sizes) else sum(sizes)
        return tuple(out)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'A `Concatenate` layer ("{self.name}") should be called on a list of inputs. '
                f"Received: inputs of type {type(inputs).__name__}"
            )
        try:
            return torch.cat(inputs, dim=self.axis)
        except (RuntimeError, IndexError):
            self.compute_output_shape([tuple(x.shape) for x in inputs])
            raise

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(Merge):
    """Batch-wise dot product of two inputs along `axes` (an int, or one axis per input).

    With `normalize=True` both inputs are L2-normalised along their dot axis first, so the
    result is the cosine similarity. The batch axis cannot be a dot axis.
    """

    _exact_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int) or isinstance(axes, bool):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    f"Invalid type for argument `axes`: it should be a list or an int. Received: axes={axes!r}"
                )
            if len(axes) != 2:
                raise ValueError(
                    f"Invalid format for argument `axes`: it should contain two elements. Received: axes={axes!r}"
                )
            if not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
                raise ValueError(
                    f"Invalid format for argument `axes`: list elements should be integers. Received: axes={axes!r}"
                )
            axes = tuple(axes)
        self.axes = axes
        self.normalize = bool(normalize)

    def _resolve_axes(self, rank1, rank2):
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        resolved = (axes[0] % rank1 if axes[0] < 0 else axes[0], axes[1] % rank2 if axes[1] < 0 else axes[1])
        if 0 in resolved:
            raise ValueError(
                f'Layer "{self.name}": cannot take a Dot product over axis 0 (the batch axis). Received: axes={self.axes}'
            )
        if resolved[0] >= rank1 or resolved[1] >= rank2:
            raise ValueError(
                f'Layer "{self.name}": `axes`={self.axes} is out of range for inputs of rank {rank1} and {rank2}.'
            )
        return resolved

    def compute_output_shape(self, input_shape):
        if not _is_shape_list(input_shape) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: input_shape={input_shape}")
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                f'Layer "{self.name}": cannot do a Dot product on inputs with rank < 2. '
                f"Received inputs with shapes {tuple(shape1)} and {tuple(shape2)}."
            )
        a1, a2 = self._resolve_axes(len(shape1), len(shape2))
        if shape1[a1] is not None and shape2[a2] is not None and shape1[a1] != shape2[a2]:
            raise ValueError(
                f'Layer "{self.name}": incompatible input shapes: axis values {shape1[a1]} (at axis {a1}) != '
                f"{shape2[a2]} (at axis {a2}). Full input shapes: {tuple(shape1)}, {tuple(shape2)}"
            )
        if shape1[0] is not None and shape2[0] is not None and shape1[0] != shape2[0]:
            raise ValueError(
                f'Layer "{self.name}": cannot do a Dot product on inputs with different batch sizes. '
                f"Received inputs with shapes {tuple(shape1)} and {tuple(shape2)}."
            )
        shape1.pop(a1)
        shape2.pop(a2)
        shape2.pop(0)
        out = shape1 + shape2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f'A `Dot` layer ("{self.name}") should be called on exactly 2 inputs.')
        x, y = inputs
        if x.dim() < 2 or y.dim() < 2 or x.shape[0] != y.shape[0]:
            self.compute_output_shape([tuple(x.shape), tuple(y.shape)])
        a1, a2 = self._resolve_axes(x.dim(), y.dim())
        if x.shape[a1] != y.shape[a2]:
            self.compute_output_shape([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x = _l2_normalize(x, a1)
            y = _l2_normalize(y, a2)
        # (B, *x_rest, K) @ (B, K, *y_rest) -> (B, *x_rest, *y_rest), as Keras's batch_dot.
        x = x.movedim(a1, -1)
        y = y.movedim(a2, 1)
        x_rest, y_rest = x.shape[1:-1], y.shape[2:]
        out = torch.bmm(x.reshape(x.shape[0], -1, x.shape[-1]), y.reshape(y.shape[0], y.shape[1], -1))
        out = out.reshape((x.shape[0],) + x_rest + y_rest)
        if out.dim() == 1:
            out = out.unsqueeze(1)
        return out

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def add(inputs, **kwargs):
    """Functional form of `Add`."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of `Concatenate`."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """Functional form of `Dot`."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)

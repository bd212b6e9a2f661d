"""Dot and its functional form `dot`."""

import torch

from ...regularizers import _l2_normalize
from .base_merge import Merge, is_shape_list


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
        if not is_shape_list(input_shape) or len(input_shape) != 2:
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


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """Functional form of `Dot`."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)

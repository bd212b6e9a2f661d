"""Reshape."""

import math
import numbers

from ...engine.base_layer import Layer


class Reshape(Layer):
    """Reshapes the non-batch axes to `target_shape` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target_shape = tuple(target_shape)
        except TypeError:
            raise TypeError(
                f"The `target_shape` argument must be a tuple of integers. Received: target_shape={target_shape!r}"
            ) from None
        if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and (d > 0 or d == -1)
                   for d in target_shape):
            raise ValueError(
                "The `target_shape` argument must be a tuple of positive integers, with at most one -1. "
                f"Received: target_shape={target_shape!r}"
            )
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError(
                f"There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape={target_shape!r}"
            )
        self.target_shape = tuple(int(d) for d in target_shape)

    def _resolve(self, input_shape):
        rest = input_shape[1:]
        known = math.prod(d for d in self.target_shape if d != -1)
        if any(d is None for d in rest):
            return tuple(None if d == -1 else d for d in self.target_shape)
        total = math.prod(rest)
        if -1 in self.target_shape:
            if known == 0 or total % known:
                raise self._size_error(input_shape)
            return tuple(total // known if d == -1 else d for d in self.target_shape)
        if total != known:
            raise self._size_error(input_shape)
        return self.target_shape

    def _size_error(self, input_shape):
        return ValueError(
            f'Layer "{self.name}": the total size of the tensor must be unchanged. Received: '
            f"input_shape={tuple(input_shape)}, target_shape={self.target_shape}"
        )

    def call(self, inputs):
        try:
            return inputs.reshape((inputs.shape[0],) + self.target_shape)
        except RuntimeError:
            raise self._size_error(inputs.shape) from None

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}

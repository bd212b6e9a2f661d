"""Permute."""

from ..._validation import incompatible_input
from ...engine.base_layer import Layer


class Permute(Layer):
    """Permutes the non-batch axes: `dims` is a permutation of 1..n (1-indexed, as in Keras)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` "
                f"must be consecutive and start from 1. Received dims={dims}"
            )
        self.dims = dims
        self._perm = (0,) + dims

    def call(self, inputs):
        if inputs.dim() != len(self._perm):
            raise incompatible_input(self, f"expected ndim={len(self._perm)}", inputs.shape)
        return inputs.permute(self._perm)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != len(self._perm):
            raise incompatible_input(self, f"expected ndim={len(self._perm)}", input_shape)
        return tuple(input_shape[i] for i in self._perm)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}

"""UnitNormalization."""

import torch

from ...engine.base_layer import Layer
from ._axes import axis_list, canonical_axes

_EPSILON = 1e-12  # Keras's: the inverse norm is capped at 1 / 1e-12


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm over `axis` (an int or a list of ints): x * rsqrt(sum x^2),
    the inverse norm capped at 1e12 as Keras caps it. No weights."""

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        if isinstance(axis, bool) or not isinstance(axis, (int, list, tuple)):
            raise TypeError(
                f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. Received: axis={axis!r}")
        axes = axis_list(axis)
        super().__init__(**kwargs)
        self.axis = axes if isinstance(axis, (list, tuple)) else axes[0]
        self.built = True

    def call(self, inputs):
        axes = canonical_axes(axis_list(self.axis), inputs.dim(), self.name)
        inv = torch.rsqrt((inputs * inputs).sum(axes, keepdim=True)).clamp(max=1.0 / _EPSILON)
        return inputs * inv

    def compute_output_shape(self, input_shape):
        canonical_axes(axis_list(self.axis), len(input_shape), self.name)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
